// User names for the static binary, from /etc/passwd itself. A statically linked glibc answers getpwuid()
// by loading the machine's NSS modules, which must be from the very glibc version it was built with; on
// any other machine (the reason for a static binary) that load fails or worse. vnetdiag needs the name
// only to say in the report who ran it, so the static build reads the passwd file instead (see
// agent/CMakeLists.txt: the linker sends getpwuid to the wrapper below). Accounts that only a directory
// service knows (LDAP, SSSD) then have no name, and the report leaves it out.
#pragma once

#include <istream>
#include <optional>
#include <string>
#include <sys/types.h>

namespace vnetdiag {

/// One /etc/passwd line's fields (passwd(5)).
struct PasswdEntry {
  std::string name, password, gecos, home, shell;
  uid_t uid = 0;
  gid_t gid = 0;
};

/// The entry for `uid` in a passwd(5) file, if any; malformed lines are skipped.
std::optional<PasswdEntry> find_passwd_entry(std::istream& passwd, uid_t uid);

}  // namespace vnetdiag
