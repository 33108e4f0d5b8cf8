// Local interfaces, and Docker bridge ranges that shadow VNet ranges or the workspace's addresses.

#include <catch2/catch.hpp>

#include <algorithm>

#include "agent/discovery/interfaces.hpp"
#include "tests/discovery/support.hpp"

using namespace vnetdiag;
using vnetdiag::test::contains;

namespace {

LocalInterface v4(std::string name, std::string address, int prefix) {
  return {std::move(name), false, std::move(address), prefix, true, false};
}

const std::vector<LocalInterface> kLoopback = {{"lo", false, "127.0.0.1", 8, true, true}, {"lo", true, "::1", 128, true, true}};

std::vector<LocalInterface> with_loopback(std::vector<LocalInterface> more) {
  auto out = kLoopback;
  out.insert(out.end(), more.begin(), more.end());
  return out;
}

LabeledRange range(const char* cidr, const char* source) { return {*Cidr::parse(cidr), source}; }

std::vector<std::string> overlaps(const DockerCheck& check) {
  std::vector<std::string> out;
  for (const auto& o : check.overlaps) out.push_back((o.bridge.interface.empty() ? "(default)" : o.bridge.interface) + " " +
                                                     o.bridge.range.to_string() + " x " + o.what);
  return out;
}

}  // namespace

TEST_CASE("this machine's interfaces include the loopback address with its prefix", "[interfaces]") {
  const auto list = list_interfaces();
  REQUIRE(list.error.empty());
  const auto lo = std::ranges::find_if(list.interfaces, [](const LocalInterface& i) { return i.address == "127.0.0.1"; });
  REQUIRE(lo != list.interfaces.end());
  CHECK(lo->prefix == 8);
  CHECK(lo->loopback);
  CHECK(lo->up);
  CHECK_FALSE(lo->v6);
}

TEST_CASE("a docker0 bridge on 172.17.0.0/16 overlapping a VNet range 172.16.0.0/12 is flagged", "[interfaces][docker]") {
  const auto check = check_docker_ranges(with_loopback({v4("eth0", "172.20.1.4", 24), v4("docker0", "172.17.0.1", 16)}),
                                         {range("172.16.0.0/12", "config vnet")}, {});
  CHECK(overlaps(check) == std::vector<std::string>{"docker0 172.17.0.0/16 x 172.16.0.0/12 (config vnet)"});
  CHECK(check.notes.empty());  // an overlap is a fact for VND-ENV-001, not a note
}

TEST_CASE("without docker0, Docker's default 172.17.0.0/16 is checked against this machine's own subnet",
          "[interfaces][docker]") {
  // The VM sits in a VNet that uses 172.17.x: Docker would take the same range when it starts.
  const auto check = check_docker_ranges(with_loopback({v4("eth0", "172.17.3.4", 24)}), {}, {});
  REQUIRE(check.bridges.size() == 1);
  CHECK(check.bridges[0].interface.empty());
  CHECK(overlaps(check) == std::vector<std::string>{"(default) 172.17.0.0/16 x 172.17.3.0/24 (network of eth0)"});
  CHECK(std::ranges::any_of(check.notes, [](const EnvironmentNote& n) { return contains(n.text, "no docker0 interface"); }));
}

TEST_CASE("a docker0 moved off 172.17.0.0/16 (bip) is checked at its real range, not the default", "[interfaces][docker]") {
  const auto check = check_docker_ranges(with_loopback({v4("eth0", "10.0.0.4", 24), v4("docker0", "192.168.200.1", 24)}),
                                         {range("172.17.0.0/16", "config vnet")}, {});
  REQUIRE(check.bridges.size() == 1);
  CHECK(check.bridges[0].range.to_string() == "192.168.200.0/24");
  CHECK(check.overlaps.empty());
}

TEST_CASE("a user-defined Docker network holding a private endpoint's expected IP is flagged", "[interfaces][docker]") {
  const auto check = check_docker_ranges(
      with_loopback({v4("eth0", "10.0.0.4", 24), v4("docker0", "172.17.0.1", 16), v4("br-5f2c1a9d0e11", "172.18.0.1", 16)}),
      {range("10.0.0.0/16", "config vnet")},
      {{"172.18.0.9", "expected IP of storage.blob"}, {"10.0.1.5", "expected IP of keyvault"}});
  CHECK(overlaps(check) ==
        std::vector<std::string>{"br-5f2c1a9d0e11 172.18.0.0/16 x 172.18.0.9 (expected IP of storage.blob)"});
}

TEST_CASE("a usual VM with Docker on its default range and a 10.x VNet has no overlap", "[interfaces][docker]") {
  const auto check = check_docker_ranges(
      with_loopback({v4("eth0", "10.0.0.4", 24), v4("docker0", "172.17.0.1", 16), v4("veth1a2b3c", "169.254.9.9", 16)}),
      {range("10.0.0.0/16", "config vnet"), range("10.0.0.0/24", "instance metadata, this VM's subnet")},
      {{"10.0.1.5", "expected IP of storage.blob"}});
  CHECK(check.overlaps.empty());
  CHECK(check.notes.empty());
}

TEST_CASE("network_of clears the host bits", "[interfaces]") {
  CHECK(network_of(*IpAddress::parse("172.17.0.1"), 16).to_string() == "172.17.0.0/16");
  CHECK(network_of(*IpAddress::parse("10.144.133.132"), 26).to_string() == "10.144.133.128/26");
  CHECK(network_of(*IpAddress::parse("fd00:144:133::84"), 64).to_string() == "fd00:144:133::/64");
  CHECK(network_of(*IpAddress::parse("10.1.2.3"), 32).to_string() == "10.1.2.3/32");
  CHECK(network_of(*IpAddress::parse("10.1.2.3"), 0).to_string() == "0.0.0.0/0");
}
