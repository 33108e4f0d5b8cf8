// The findings a user gets from `vnetdiag check` over a local VNet of real servers, with several faults
// planted at once, and the same VNet without faults. Every address is loopback or inside a namespace
// the test created (the "public" storage address is routed into one).
#include <csignal>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "tests/agent/local_vnet.hpp"

using namespace vnetdiag::testing;
using nlohmann::json;
using Strings = std::set<std::string>;

namespace {

std::map<std::string, Strings> codes_and_targets(const json& report) {
  std::map<std::string, Strings> out;
  for (const auto& f : report["findings"])
    for (const auto& t : f["targets"]) out[f["code"]].insert(t.get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("five faults planted at once give exactly their five findings, with fixes, and none for healthy targets",
          "[findings][e2e][netns]") {
  std::string why;
  if (!BlackholeNetns::available(&why)) FAIL("network namespaces are needed for this test: " << why);
  LocalVnet vnet({.storage_resolves_publicly = true,
                  .key_vault_record_missing = true,
                  .smb_black_holed = true,
                  .intercepted_package_repository = true,
                  .proxy_wants_credentials = true});
  auto r = run_vnetdiag(vnet.with_workspace({"check", "--format", "json"}));
  INFO(r.output.substr(0, 6000));
  CHECK(r.exit_code == 1);
  auto report = json::parse(json_part(r.output));
  const auto found = codes_and_targets(report);
  CHECK(found == std::map<std::string, Strings>{{"VND-DNS-013", {"storage.blob"}},
                                                {"VND-DNS-004", {"keyvault"}},
                                                {"VND-NET-003", {"storage.file.smb"}},
                                                {"VND-TLS-001", {"pypi"}},
                                                {"VND-PXY-001", {"mcr"}}});
  for (const auto& f : report["findings"]) {
    INFO(f["code"]);
    CHECK_FALSE(f["fix"].get<std::string>().empty());
    CHECK(f["docUrl"].get<std::string>().starts_with("https://"));
    CHECK_FALSE(f["evidence"].get<std::string>().empty());
  }
}

TEST_CASE("the same VNet without faults is healthy: exit 0 and no findings", "[findings][e2e]") {
  LocalVnet vnet({});
  auto r = run_vnetdiag(vnet.with_workspace({"check", "--format", "json"}));
  INFO(r.output.substr(0, 6000));
  auto report = json::parse(json_part(r.output));
  CHECK(report["findings"].empty());
  CHECK(r.exit_code == 0);
  std::size_t probed = 0;
  for (const auto& t : report["targets"]) {
    INFO(t["context"]["id"]);
    CHECK(t["healthy"] == true);
    ++probed;
  }
  CHECK(probed == kServed.size());
}
