// The passwd(5) reader the static binary uses instead of NSS.
#include <catch2/catch.hpp>

#include <sstream>

#include "agent/static_passwd.hpp"

using vnetdiag::find_passwd_entry;

TEST_CASE("a user's entry is read from a passwd file", "[passwd]") {
  std::istringstream passwd(
      "root:x:0:0:root:/root:/bin/bash\n"
      "# not an entry\n"
      "broken:x:notanumber:1::/:/bin/sh\n"
      "short:x:1001\n"
      "azureuser:x:1000:1000:Azure User,,,:/home/azureuser:/bin/bash\n"
      "nogecos:x:1002:1002::/home/nogecos:");
  auto entry = find_passwd_entry(passwd, 1000);
  REQUIRE(entry);
  CHECK(entry->name == "azureuser");
  CHECK(entry->gid == 1000);
  CHECK(entry->gecos == "Azure User,,,");
  CHECK(entry->home == "/home/azureuser");
  CHECK(entry->shell == "/bin/bash");

  passwd.clear();
  passwd.seekg(0);
  entry = find_passwd_entry(passwd, 1002);
  REQUIRE(entry);
  CHECK(entry->name == "nogecos");
  CHECK(entry->shell.empty());

  passwd.clear();
  passwd.seekg(0);
  CHECK_FALSE(find_passwd_entry(passwd, 1001));  // only on a malformed line
  passwd.clear();
  passwd.seekg(0);
  CHECK_FALSE(find_passwd_entry(passwd, 4242));
}
