// Hosts-file lines that pin the workspace's hosts, judged against the plan's expectations.

#include <catch2/catch.hpp>

#include <algorithm>

#include "agent/discovery/hosts.hpp"
#include "tests/discovery/support.hpp"

using namespace vnetdiag;
using vnetdiag::test::contains;

namespace {

const HostsOverrideNote* find(const std::vector<HostsOverrideNote>& notes, const std::string& host) {
  const auto it = std::ranges::find(notes, host, &HostsOverrideNote::host);
  return it == notes.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("a hosts file pinning the workspace's storage and key vault hosts is reported per host", "[hosts]") {
  const auto plan = test::contoso_plan();
  const auto entries = dns::parse_hosts(test::fixture_text("hosts-pinned"));
  const auto notes = hosts_overrides(entries, plan, "/etc/hosts");
  std::string all;
  for (const auto& n : notes) all += n.text + "\n";
  INFO(all);
  REQUIRE(notes.size() == 3);  // blob, file (written in capitals) and the vault; localhost and the jumpbox are not planned

  SECTION("pinned to the private endpoint's expected IP: fine today, but DNS is bypassed") {
    const auto* blob = find(notes, "contosoml4821.blob.core.windows.net");
    REQUIRE(blob != nullptr);
    CHECK(blob->file == "/etc/hosts");
    REQUIRE(blob->addresses.size() == 1);
    CHECK(blob->addresses[0].ip == "10.0.1.5");
    CHECK(blob->addresses[0].in_vnet);
    CHECK(blob->matches_expectation == true);
    CHECK(std::ranges::find(blob->target_ids, "storage.blob") != blob->target_ids.end());
    CHECK(contains(blob->text, "DNS is never asked for it"));
  }
  SECTION("host names match case-insensitively, and a private address fits a private expectation") {
    const auto* file = find(notes, "contosoml4821.file.core.windows.net");
    REQUIRE(file != nullptr);
    CHECK(file->addresses[0].ip == "10.0.1.9");
    CHECK(file->matches_expectation == true);
    // One note per host, listing every planned port of it (443 and SMB 445).
    CHECK(file->target_ids.size() >= 2);
  }
  SECTION("a public address where a private endpoint is expected contradicts the plan") {
    const auto* vault = find(notes, "contosokv.vault.azure.net");
    REQUIRE(vault != nullptr);
    CHECK(vault->addresses[0].cls == AddressClass::public_ip);
    CHECK(vault->matches_expectation == false);
    CHECK(contains(vault->text, "where a private endpoint address is expected"));
  }
}

TEST_CASE("a pin that differs from the private endpoint's expected IP names both addresses", "[hosts]") {
  const auto plan = test::contoso_plan();
  const auto entries = dns::parse_hosts("10.0.7.7 contosoml4821.blob.core.windows.net\n");
  const auto notes = hosts_overrides(entries, plan, "/etc/hosts");
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].matches_expectation == false);
  CHECK(contains(notes[0].text, "pinned to 10.0.7.7 in /etc/hosts, not to the private endpoint's 10.0.1.5"));
}

TEST_CASE("a hosts file that pins no planned host gives no note", "[hosts]") {
  const auto plan = test::contoso_plan();
  CHECK(hosts_overrides(dns::parse_hosts("127.0.0.1 localhost\n10.0.0.4 jumpbox\n"), plan).empty());
  CHECK(hosts_overrides({}, plan).empty());
}
