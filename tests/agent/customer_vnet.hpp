// The layout most customers build, made of real local servers: a jump box in one subnet, the private
// endpoints in a subnet of their own, a custom DNS server (dnsmasq) forwarding to Azure DNS (Knot playing
// 168.63.129.16, serving the private zones linked to the VNet), an "internet" DNS server for what public
// resolvers answer, and a metadata service that knows only the jump box's subnet. Every planned host is
// served (nginx, one certificate from the test's CA naming them all), so a run needs no skip list, no
// VNet range and no expectation: only the stand-ins' addresses. Faults are planted one at a time.
// Every address is loopback, or inside a namespace the test created (the "public" addresses).
#pragma once

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/agent/local_vnet.hpp"
#include "tests/support/dnsmasq.hpp"

namespace vnetdiag::testing {

/// One fault at a time, as a user meets them.
enum class CustomerFault {
  none,
  smb_dropped,             // an NSG drops TCP 445 to the storage account's file endpoint
  storage_firewall,        // the storage firewall answers 403 AuthorizationFailure
  stale_notebooks_record,  // the notebooks name points where no private endpoint answers any more
  missing_forwarder,       // the custom DNS server forwards to an internet resolver, not to Azure DNS
  zone_not_linked,         // privatelink.blob.core.windows.net is not linked: Azure DNS answers publicly
  missing_keyvault_record, // the vault's record is missing from privatelink.vaultcore.azure.net
  silent_resolver,         // resolv.conf's first server is down
  entra_black_holed,       // login.microsoftonline.com is dropped on the way out
  mcr_data_black_holed,    // MCR's front end works, but the data host its blob request redirects to is dropped
};

/// What the VM's managed identity can do with Azure Resource Manager (a stand-in on loopback).
enum class ArmAccess {
  no_identity,  // the metadata service has no identity for this VM (400 "Identity not found")
  reader,       // a token, and Reader on the VM, its NIC and the VNet (with one connected peering)
  denied,       // a token, but 403 AuthorizationFailed on the VNet
};

/// A planned target, as `vnetdiag targets --json` prints it.
struct PlannedHost {
  std::string id, host, transport, expect, zone;
  std::uint16_t port = 443;
  int status = 200;  ///< what the stand-in answers: the first status the plan accepts
};

inline const std::filesystem::path kWorkspaceFixture =
    std::filesystem::path(VNETDIAG_REPORT_TEST_DIR).parent_path() / "plan/fixtures/arm-private-westeurope.json";

/// The zone a stand-in serves a name from: its last two labels ("core.windows.net" → "windows.net").
inline std::string zone_of(const std::string& host) {
  auto last = host.rfind('.');
  auto second = last == std::string::npos || last == 0 ? std::string::npos : host.rfind('.', last - 1);
  return second == std::string::npos ? host : host.substr(second + 1);
}

/// The record's owner relative to its zone ("@" at the apex).
inline std::string relative(const std::string& name, const std::string& zone) {
  return name == zone ? "@" : name.substr(0, name.size() - zone.size() - 1);
}

/// The privatelink alias of a host, as Azure's public DNS writes it: "x.blob.core.windows.net" in
/// "privatelink.blob.core.windows.net" → "x.privatelink.blob.core.windows.net"; a vault "kv.vault.azure.net"
/// in "privatelink.vaultcore.azure.net" → "kv.privatelink.vaultcore.azure.net".
inline std::string privatelink_name(const std::string& host, const std::string& zone) {
  const std::string public_zone = zone.substr(std::string("privatelink.").size());
  const std::string label = host.ends_with("." + public_zone) ? host.substr(0, host.size() - public_zone.size() - 1)
                                                              : host.substr(0, host.find('.'));
  return label + "." + zone;
}

struct CustomerVnet {
  CustomerFault fault;
  ArmAccess arm_access = ArmAccess::no_identity;
  TempDir dir;
  Pki pki{dir, "vnetdiag Test Root CA"};
  std::vector<PlannedHost> hosts;
  std::map<std::string, std::string> address;  // planned host → the address its stand-in listens on
  std::unique_ptr<Knot> azure_dns, internet_dns;
  std::unique_ptr<Dnsmasq> custom_dns;
  std::unique_ptr<BlackholeNetns> hole;
  std::vector<std::unique_ptr<LoopbackDrop>> drops;
  std::unique_ptr<Nginx> nginx;
  std::filesystem::path resolv_conf, hosts_file, settings;

  // The jump box's subnet (the only one the metadata service knows), the private endpoints' subnet, the
  // DNS servers' addresses.
  static std::string jumpbox_ip() { return vnet_ip(20); }
  static std::string jumpbox_subnet() { return vnet_ip(16) + "/28"; }
  static std::string custom_dns_ip() { return vnet_ip(4); }
  static std::string silent_dns_ip() { return vnet_ip(3); }
  static std::string azure_dns_ip() { return vnet_ip(250); }
  static std::string internet_dns_ip() { return vnet_ip(251); }
  static std::string metadata_ip() { return vnet_ip(11); }
  static std::string stale_ip() { return vnet_ip(120); }

  static constexpr const char* kToken = "eyJ0eXAi.vnetdiag-e2e-token.sig";
  static constexpr const char* kComputeInstance = "ci-fabrikam";
  /// A host for each required wildcard no input names, as an administrator names them in the config.
  json wildcard_hosts = json::object();
  static constexpr const char* kRedirectedDataHost = "westcentralus.data.mcr.microsoft.com";
  static std::string arm_ip() { return vnet_ip(241); }
  /// The VNet's address space as Resource Manager knows it (both subnets), and a peered hub's range.
  static std::string vnet_space() { return vnet_ip(0) + "/25"; }
  static std::string hub_space() { return vnet_ip(128) + "/25"; }

  explicit CustomerVnet(CustomerFault f, ArmAccess arm = ArmAccess::no_identity) : fault(f), arm_access(arm) {
    std::string why;
    if (!BlackholeNetns::available(&why)) FAIL("network namespaces are needed for this layout: " << why);
    hole = std::make_unique<BlackholeNetns>();
    hole->route_here(public_blob_ip());  // every "public" answer lands in a namespace that drops it
    plan();
    start_dns();
    start_services();
    resolv_conf = dir.write("resolv.conf", (f == CustomerFault::silent_resolver ? "nameserver " + silent_dns_ip() + "\n" : "") +
                                               "nameserver " + custom_dns_ip() + "\n");
    if (f == CustomerFault::silent_resolver) drops.push_back(std::make_unique<LoopbackDrop>(silent_dns_ip(), 53, true));
    hosts_file = dir.write("hosts", "127.0.0.1 localhost\n");
    // Only where the stand-ins are: no VNet range, no expected address, no skip list.
    settings = dir.write("stand-ins.json", json{{"azure_dns", azure_dns_ip()},
                                                {"metadata_url", "http://" + metadata_ip()},
                                                {"arm_url", "https://" + arm_ip()},
                                                {"ca_file", pki.ca_file().string()},
                                                {"tls_issuers", {"vnetdiag Test Root CA"}},
                                                {"wildcard_hosts", wildcard_hosts}}
                                               .dump(2));
  }

  /// The command line of a user who names the workspace and nothing else.
  std::vector<std::string> args(std::vector<std::string> extra = {}) const {
    std::vector<std::string> out{"check", "--workspace-json", kWorkspaceFixture.string(), "--config", settings.string(),
                                 "--resolv-conf", resolv_conf.string(), "--hosts-file", hosts_file.string(),
                                 "--compute-instance", kComputeInstance};
    out.insert(out.end(), extra.begin(), extra.end());
    return out;
  }

  const PlannedHost& planned(const std::string& id) const {
    for (const auto& h : hosts)
      if (h.id == id) return h;
    FAIL("the plan has no testable target " << id);
    throw std::logic_error("unreachable");
  }

 private:
  /// What `check` will probe: healthy means every required target is checked, so the compute instance is
  /// named and each required wildcard gets a host in the config, as an administrator would do.
  void plan() {
    auto list = [&](const std::vector<std::string>& extra) {
      std::vector<std::string> args{"targets", "--json", "--workspace-json", kWorkspaceFixture.string(),
                                    "--compute-instance", kComputeInstance};
      args.insert(args.end(), extra.begin(), extra.end());
      auto r = run_vnetdiag(args);
      REQUIRE(r.exit_code == 0);
      return json::parse(json_part(r.output));
    };
    // Rows untested for one reason are listed as one entry: naming a host for it brings the next one up.
    json doc;
    for (int round = 0; round < 5; ++round) {
      doc = list({"--config", dir.write("wildcards.json", json{{"wildcard_hosts", wildcard_hosts}}.dump()).string()});
      bool named = false;
      for (const auto& t : doc["targets"]) {
        const std::string host = t["host"];
        if (t["required"] == true && !t["not_testable"].is_null() && !t["not_testable"].get<std::string>().empty() &&
            host.starts_with("*.")) {
          wildcard_hosts[t["id"].get<std::string>()] = {"probe" + host.substr(1)};
          named = true;
        }
      }
      if (!named) break;
    }
    int next_private = 64, next_public = 130;
    for (const auto& t : doc["targets"]) {
      if (!t["not_testable"].is_null() && !t["not_testable"].get<std::string>().empty()) continue;
      if (t["id"] == "imds" || t["id"] == "azure.dns") continue;  // the metadata stand-in and Azure DNS play these
      PlannedHost h{t["id"], t["host"], t["transport"], t["expect"], t["privatelink_zone"], t["port"].get<std::uint16_t>()};
      if (!t["reachable_statuses"].empty()) h.status = t["reachable_statuses"][0];
      if (!address.contains(h.host)) address[h.host] = vnet_ip(h.expect == "private" ? next_private++ : next_public++);
      hosts.push_back(h);
    }
    REQUIRE(next_public < 250);
    REQUIRE(next_private < 120);
  }

  /// What a resolver answers for the planned names: `linked` for Azure DNS in this VNet (private zones),
  /// `public_view` for an internet resolver (the privatelink alias leads to the public address).
  std::vector<KnotZone> zones(bool public_view) const {
    std::map<std::string, std::set<std::string>> records;
    for (const auto& h : hosts) {
      auto add = [&](const std::string& name, const std::string& rdata) {
        const auto zone = zone_of(name);
        records[zone].insert(relative(name, zone) + " " + rdata);
      };
      std::string ip = address.at(h.host);
      if (h.host == "login.microsoftonline.com" && fault == CustomerFault::entra_black_holed) ip = public_blob_ip();
      const bool has_alias = h.zone.starts_with("privatelink.");
      if (h.expect != "private" || !has_alias) {
        add(h.host, "A " + ip);
        continue;
      }
      const auto alias = privatelink_name(h.host, h.zone);
      add(h.host, "CNAME " + alias + ".");
      const bool not_linked = fault == CustomerFault::zone_not_linked && h.zone == "privatelink.blob.core.windows.net";
      if (public_view || not_linked) {
        // As public DNS answers: the privatelink alias is a CNAME to the service's public front end (kept in
        // the alias's zone: the stand-in answers the whole chain, as a recursive resolver would).
        const auto front = "front-" + std::to_string(std::hash<std::string>{}(h.host) % 100000) + "." + zone_of(alias);
        add(alias, "CNAME " + front + ".");
        add(front, "A " + public_blob_ip());
      } else if (fault == CustomerFault::missing_keyvault_record && h.id == "keyvault") {
        // NXDOMAIN at the end of the chain: the zone is linked, the record is gone.
      } else if (fault == CustomerFault::stale_notebooks_record && h.id == "notebooks") {
        add(alias, "A " + stale_ip());
      } else {
        add(alias, "A " + ip);
      }
    }
    // The data host MCR's front end redirects to when it is not the planned regional one: a public address
    // that the namespace drops.
    if (fault == CustomerFault::mcr_data_black_holed) {
      const std::string zone = zone_of(kRedirectedDataHost);
      records[zone].insert(relative(kRedirectedDataHost, zone) + " A " + public_blob_ip());
    }
    std::vector<KnotZone> out;
    for (const auto& [zone, rrs] : records) out.push_back({zone, {rrs.begin(), rrs.end()}});
    return out;
  }

  void start_dns() {
    azure_dns = std::make_unique<Knot>(zones(false), dir, azure_dns_ip(), 53);
    internet_dns = std::make_unique<Knot>(zones(true), dir, internet_dns_ip(), 53);
    // The custom DNS server forwards everything to Azure DNS, as the guidance says; with the fault it
    // forwards to an internet resolver instead.
    const auto upstream = fault == CustomerFault::missing_forwarder ? internet_dns_ip() : azure_dns_ip();
    custom_dns = std::make_unique<Dnsmasq>(
        DnsmasqConfig{.listen_ip = custom_dns_ip(), .port = 53, .forward_all = upstream + ":53"}, dir);
  }

  void start_services() {
    std::vector<std::string> names;
    for (const auto& h : hosts) names.push_back(h.host);
    const auto cert = pki.leaf({.dns_names = names, .common_name = "vnetdiag test services"});
    std::vector<NginxSite> sites;
    std::map<std::string, std::size_t> first_on;  // "ip:port" → the site that owns it
    for (const auto& h : hosts) {
      const auto ip = address.at(h.host);
      const auto key = ip + ":" + std::to_string(h.port);
      if (first_on.contains(key)) continue;
      first_on[key] = sites.size();
      NginxSite site{.listen_ip = ip, .port = h.port, .tls = h.transport == "tls"};
      if (site.tls) site.cert = cert;
      std::vector<std::pair<std::string, std::string>> headers;
      int status = h.status;
      if (fault == CustomerFault::storage_firewall && h.id == "storage.blob") {
        status = 403;
        headers = {{"x-ms-error-code", "AuthorizationFailure"}};
      }
      // MCR answers its blob request with a 307 to a data host [S18]: the planned regional one, or another.
      if (h.id == "mcr") {
        const auto data = fault == CustomerFault::mcr_data_black_holed ? std::string(kRedirectedDataHost)
                                                                       : planned("mcr.data").host;
        headers = {{"Location", "https://" + data + "/0123-abc//docker/registry/v2/blobs/sha256/fc/fce2/data?sig=x"}};
      }
      if (h.transport != "tcp") site.locations = {{.status = status, .headers = headers, .body = "{}"}};
      sites.push_back(std::move(site));
    }
    const std::vector<std::pair<std::string, std::string>> json_type{{"Content-Type", "application/json"}};
    NginxLocation identity{.path = "/metadata/identity", .status = 400, .headers = json_type,
                           .body = R"({"error":"invalid_request","error_description":"Identity not found"})"};
    if (arm_access != ArmAccess::no_identity)
      identity = {.path = "/metadata/identity", .status = 200, .headers = json_type,
                  .body = json{{"access_token", kToken}, {"expires_in", "3599"}, {"token_type", "Bearer"},
                               {"resource", "https://management.azure.com/"}}.dump()};
    sites.push_back({.listen_ip = metadata_ip(), .port = 80,
                     .locations = {{.path = "/metadata/instance", .status = 200, .headers = json_type,
                                    .body = metadata_document()},
                                   identity}});
    sites.push_back(arm_site(json_type));
    nginx = std::make_unique<Nginx>(std::move(sites), dir);
    // After nginx is up (it waits for every port to accept): from here these SYNs vanish.
    if (fault == CustomerFault::smb_dropped) drops.push_back(std::make_unique<LoopbackDrop>(address.at(planned("storage.file.smb").host), 445));
    if (fault == CustomerFault::stale_notebooks_record) drops.push_back(std::make_unique<LoopbackDrop>(stale_ip(), 443));
  }

  /// Resource Manager's documents for this VM, its NIC and the VNet, each only for the right bearer token.
  NginxSite arm_site(const std::vector<std::pair<std::string, std::string>>& json_type) {
    const std::string rg = std::string("/subscriptions/") + kImdsSubscription + "/resourceGroups/rg-fabrikam-network/providers/";
    const std::string vnet_id = rg + "Microsoft.Network/virtualNetworks/vnet-fabrikam";
    const std::string nic_id = rg + "Microsoft.Network/networkInterfaces/jumpbox-nic";
    auto document = [&](const std::string& id, json body, int status = 200) {
      return NginxLocation{.path = id, .status = status, .headers = json_type, .body = body.dump(),
                           .required_header = std::pair<std::string, std::string>{"Authorization", std::string("Bearer ") + kToken}};
    };
    json vnet{{"name", "vnet-fabrikam"}, {"id", vnet_id},
              {"properties",
               {{"addressSpace", {{"addressPrefixes", {vnet_space()}}}},
                {"virtualNetworkPeerings",
                 {{{"name", "to-hub"},
                   {"properties", {{"peeringState", "Connected"},
                                   {"remoteVirtualNetwork", {{"id", rg + "Microsoft.Network/virtualNetworks/vnet-hub"}}},
                                   {"remoteAddressSpace", {{"addressPrefixes", {hub_space()}}}}}}}}}}}};
    json vm_nics = json::array({{{"id", nic_id}, {"properties", {{"primary", true}}}}});
    json vm{{"properties", {{"networkProfile", {{"networkInterfaces", vm_nics}}}}}};
    json nic_configs = json::array({{{"properties", {{"subnet", {{"id", vnet_id + "/subnets/snet-jumpbox"}}}}}}});
    json nic{{"properties", {{"ipConfigurations", nic_configs}}}};
    json denied{{"error", {{"code", "AuthorizationFailed"}, {"message", "no read access"}}}};
    std::vector<NginxLocation> locations;
    locations.push_back(document(rg + "Microsoft.Compute/virtualMachines/jumpbox", vm));
    locations.push_back(document(nic_id, nic));
    locations.push_back(arm_access == ArmAccess::denied ? document(vnet_id, denied, 403) : document(vnet_id, vnet));
    // The workspace as Resource Manager serves it: the ARM body, which carries the GUID a CLI v2 document lacks.
    const auto workspace = json::parse(std::ifstream(kWorkspaceFixture));
    locations.push_back(document(workspace["id"].get<std::string>(), workspace));
    return {.listen_ip = arm_ip(), .port = 443, .tls = true,
            .cert = pki.leaf({.ip_addresses = {arm_ip()}}), .locations = std::move(locations)};
  }

  /// This VM as the metadata service describes it: in the workspace's region, knowing only its own subnet.
  static std::string metadata_document() {
    return json{{"compute",
                 {{"azEnvironment", "AzurePublicCloud"}, {"location", "westeurope"}, {"name", "jumpbox"},
                  {"vmId", "11111111-2222-3333-4444-555555555555"}, {"subscriptionId", kImdsSubscription},
                  {"resourceGroupName", "rg-fabrikam-network"},
                  {"resourceId", std::string("/subscriptions/") + kImdsSubscription +
                                     "/resourceGroups/rg-fabrikam-network/providers/Microsoft.Compute/virtualMachines/jumpbox"}}},
                {"network",
                 {{"interface",
                   {{{"ipv4", {{"ipAddress", {{{"privateIpAddress", jumpbox_ip()}, {"publicIpAddress", ""}}}},
                               {"subnet", {{{"address", vnet_ip(16)}, {"prefix", "28"}}}}}},
                     {"ipv6", {{"ipAddress", json::array()}}},
                     {"macAddress", "000D3A000001"}}}}}}}
        .dump();
  }
};

}  // namespace vnetdiag::testing
