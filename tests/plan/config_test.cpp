// The config file: every key, and the errors a user's typos get.
#include <catch2/catch.hpp>

#include "agent/plan/config.hpp"
#include "tests/plan/support.hpp"

namespace vnetdiag {
using test::error_of;
using test::fixture;
using test::value_of;

TEST_CASE("a config with comments sets every documented setting", "[plan][config]") {
  const auto config = value_of(parse_config(fixture("fixtures/config-full.jsonc"), "vnetdiag.jsonc"));
  CHECK(config.source == "vnetdiag.jsonc");
  REQUIRE(config.vnet.size() == 2);
  CHECK(config.vnet[0].to_string() == "10.20.0.0/16");
  CHECK(config.vnet[1].to_string() == "fd00:20::/48");

  REQUIRE(config.extra_hosts.size() == 2);
  const auto& mirror = config.extra_hosts[0];
  CHECK(mirror.id == "extra.pypi.fabrikam.internal");
  CHECK(mirror.host == "pypi.fabrikam.internal");
  CHECK(mirror.ports == std::vector<std::uint16_t>{443});
  CHECK(mirror.category == "packageRepositories");
  CHECK(mirror.private_endpoint == true);
  CHECK(mirror.expected_ips == std::vector<std::string>{"10.20.4.10"});
  REQUIRE(mirror.http);
  CHECK(mirror.http->target == "/simple/");
  CHECK(mirror.http->headers == std::vector<std::pair<std::string, std::string>>{{"Accept", "text/html"}});
  CHECK(mirror.reachable_statuses == std::vector<int>{200});
  const auto& proxy_host = config.extra_hosts[1];
  CHECK(proxy_host.id == "corp.proxy");
  CHECK(proxy_host.ports == std::vector<std::uint16_t>{3128, 8080});
  CHECK_FALSE(proxy_host.tls);
  CHECK(proxy_host.category == "others");
  CHECK(proxy_host.required);

  CHECK(config.expected_ips.at("stfabrikamsecure01.blob.core.windows.net") == std::vector<std::string>{"10.20.1.5"});
  CHECK(config.skip == std::vector<std::string>{"vscode.web", "tensorflow", "aka.ms"});
  CHECK(config.wildcard_hosts.at("mcr.data") == std::vector<std::string>{"westeurope.data.mcr.microsoft.com"});
  CHECK(config.expect_private_endpoints == true);
  CHECK(config.budgets.dns.count() == 1500);
  CHECK(config.budgets.connect.count() == 2000);
  CHECK(config.budgets.proxy.count() == 4000);
  CHECK(config.budgets.tls.count() == 3000);
  CHECK(config.budgets.http.count() == 3500);
  CHECK(config.budgets.deadline.count() == 20000);
  REQUIRE(config.dns_servers.size() == 2);
  CHECK(config.dns_servers[1].to_string() == "10.20.0.5:5353");
  CHECK(config.azure_dns.to_string() == "168.63.129.16:53");
  CHECK(config.arm_url == "https://management.azure.com");
  CHECK(config.ca_file == "/etc/ssl/certs/fabrikam-root.pem");
  REQUIRE(config.proxy);
  REQUIRE(config.proxy->https_proxy);
  CHECK(config.proxy->https_proxy->masked() == "http://***@10.20.0.8:3128");
  CHECK(config.proxy->no_proxy == std::vector<std::string>{"localhost", ".internal", "169.254.169.254"});
  CHECK(config.proxy->origin == "config");
}

TEST_CASE("an empty config keeps every production default", "[plan][config]") {
  const auto config = value_of(parse_config("{}", "empty.json"));
  const Config defaults;
  CHECK(config.azure_dns.to_string() == "168.63.129.16:53");
  CHECK(config.metadata_url == "http://169.254.169.254");
  CHECK(config.arm_url.empty());  // the cloud's own Resource Manager
  CHECK(config.resolv_conf == "/etc/resolv.conf");
  CHECK(config.hosts_file == "/etc/hosts");
  CHECK(config.ca_file.empty());
  CHECK(config.budgets.deadline == defaults.budgets.deadline);
  CHECK_FALSE(config.proxy);
  CHECK_FALSE(config.expect_private_endpoints);
}

TEST_CASE("a misspelt key is an error that names its path and the key meant", "[plan][config]") {
  auto e = error_of(parse_config("{\"extra_host\": []}", "c.json"));
  CHECK(e.to_string() == "c.json: /extra_host: unknown key \"extra_host\"; did you mean \"extra_hosts\"?");
  e = error_of(parse_config("{\"extra_hosts\": [{\"host\": \"a.example\", \"prot\": [443]}]}", "c.json"));
  CHECK(e.field == "/extra_hosts/0/prot");
  CHECK(e.message == "unknown key \"prot\"; did you mean \"ports\"?");
  e = error_of(parse_config("{\"budgets_ms\": {\"conect\": 10}}", "c.json"));
  CHECK(e.field == "/budgets_ms/conect");
  CHECK(e.message.find("\"connect\"") != std::string::npos);
  e = error_of(parse_config("{\"colour\": 1}", "c.json"));
  CHECK(e.message.find("expected one of: $schema, vnet, extra_hosts") != std::string::npos);
}

TEST_CASE("a wrong type or value names the path and what was expected", "[plan][config]") {
  auto e = error_of(parse_config("{\"budgets_ms\": {\"dns\": \"fast\"}}", "c.json"));
  CHECK(e.to_string() == "c.json: /budgets_ms/dns: expected milliseconds from 1 to 3600000, got a string");
  e = error_of(parse_config("{\"budgets_ms\": {\"deadline\": 0}}", "c.json"));
  CHECK(e.message == "expected milliseconds from 1 to 3600000, got 0");
  e = error_of(parse_config("{\"budgets_ms\": {\"deadline\": 18446744073709551615}}", "c.json"));
  CHECK(e.field == "/budgets_ms/deadline");
  e = error_of(parse_config("{\"vnet\": [\"10.0.0.0/33\"]}", "c.json"));
  CHECK(e.field == "/vnet/0");
  e = error_of(parse_config("{\"vnet\": \"10.0.0.0/16\"}", "c.json"));
  CHECK(e.message == "expected an array of CIDR ranges, got a string");
  e = error_of(parse_config("{\"extra_hosts\": [{\"host\": \"a.example\", \"ports\": [70000]}]}", "c.json"));
  CHECK(e.field == "/extra_hosts/0/ports/0");
  e = error_of(parse_config("{\"extra_hosts\": [{\"ports\": [443]}]}", "c.json"));
  CHECK(e.field == "/extra_hosts/0");
  CHECK(e.message == "missing \"host\"");
  e = error_of(parse_config("{\"extra_hosts\": [{\"host\": \"a.example\", \"category\": \"storage\"}]}", "c.json"));
  CHECK(e.field == "/extra_hosts/0/category");
  e = error_of(parse_config("{\"expected_ips\": {\"a.example\": [\"10.0.0.300\"]}}", "c.json"));
  CHECK(e.field == "/expected_ips/a.example/0");
  e = error_of(parse_config("{\"dns_servers\": [\"dns.contoso.com\"]}", "c.json"));
  CHECK(e.field == "/dns_servers/0");
  e = error_of(parse_config("{\"metadata_url\": \"ftp://169.254.169.254\"}", "c.json"));
  CHECK(e.field == "/metadata_url");
  // The VM's bearer token would go to this URL: plain HTTP is refused.
  e = error_of(parse_config("{\"arm_url\": \"http://management.azure.com\"}", "c.json"));
  CHECK(e.field == "/arm_url");
  CHECK(e.message == "expected an https:// URL such as \"https://management.azure.com\", got \"http://management.azure.com\"");
  e = error_of(parse_config("{\"expect_private_endpoints\": \"yes\"}", "c.json"));
  CHECK(e.message == "expected true or false, got a string");
  e = error_of(parse_config("[]", "c.json"));
  CHECK(e.field == "/");
}

TEST_CASE("config syntax errors are located even after comments", "[plan][config]") {
  const auto e = error_of(parse_config("// comment\n{\n  /* block */ \"vnet\": [\"10.0.0.0/8\",]\n}", "c.jsonc"));
  CHECK(e.line == 3);
  CHECK(e.column > 20);
  CHECK(e.to_string().starts_with("c.jsonc:3:"));
}

TEST_CASE("header values cannot smuggle a second header or request", "[plan][config][hostile]") {
  const auto e = error_of(parse_config(
      R"({"extra_hosts": [{"host": "a.example", "http": {"headers": {"X-A": "1\r\nHost: evil"}}}]})", "c.json"));
  CHECK(e.field == "/extra_hosts/0/http/headers/X-A");
  const auto e2 = error_of(parse_config(
      R"({"extra_hosts": [{"host": "a.example", "http": {"target": "/ HTTP/1.1\r\n"}}]})", "c.json"));
  CHECK(e2.field == "/extra_hosts/0/http/target");
}

TEST_CASE("a malformed proxy URL is refused without repeating its password", "[plan][config][hostile]") {
  const auto e = error_of(parse_config(R"({"proxy": {"url": "http://user:hunter2@proxy:99999"}})", "c.json"));
  CHECK(e.field == "/proxy/url");
  CHECK(e.to_string().find("hunter2") == std::string::npos);
}

TEST_CASE("wildcard hosts only name wildcard targets, and extra hosts cannot take catalog ids", "[plan][config]") {
  auto e = error_of(parse_config(R"({"wildcard_hosts": {"storage.blob": ["x.blob.core.windows.net"]}})", "c.json"));
  CHECK(e.field == "/wildcard_hosts/storage.blob");
  e = error_of(parse_config(R"({"wildcard_hosts": {"mcr.data": ["*.data.mcr.microsoft.com"]}})", "c.json"));
  CHECK(e.field == "/wildcard_hosts/mcr.data/0");
  e = error_of(parse_config(R"({"extra_hosts": [{"id": "keyvault", "host": "a.example"}]})", "c.json"));
  CHECK(e.field == "/extra_hosts/0/id");
}

TEST_CASE("keys with control characters are named safely", "[plan][config][hostile]") {
  const auto e = error_of(parse_config("{\"v\\u001bnet\": 1}", "c.json"));
  CHECK(e.field == "/v\\x1bnet");
  CHECK(e.to_string().find('\x1b') == std::string::npos);
}

TEST_CASE("an http URL splits into scheme, host, port and path", "[plan][config]") {
  auto url = parse_http_url("http://169.254.169.254");
  REQUIRE(url);
  CHECK(url->host == "169.254.169.254");
  CHECK(url->port == 80);
  CHECK(url->path.empty());
  url = parse_http_url("https://[::1]:8443/base/");
  REQUIRE(url);
  CHECK(url->tls);
  CHECK(url->host == "::1");
  CHECK(url->port == 8443);
  CHECK(url->path == "/base");
  CHECK_FALSE(parse_http_url("http://user@host"));
  CHECK_FALSE(parse_http_url("http://host:0"));
  CHECK_FALSE(parse_http_url("http://bad host"));
  CHECK_FALSE(parse_http_url("169.254.169.254"));
}

}  // namespace vnetdiag

namespace vnetdiag {

TEST_CASE("the example in the user documentation is a valid config", "[plan][config][docs]") {
  const auto doc = test::fixture("../../docs/config.md");
  const auto start = doc.find("```jsonc\n");
  REQUIRE(start != std::string::npos);
  const auto body = start + 9;
  const auto end = doc.find("```", body);
  REQUIRE(end != std::string::npos);
  const auto config = test::value_of(parse_config(doc.substr(body, end - body), "config.md"));
  CHECK(config.extra_hosts.size() == 2);
  CHECK(config.expect_private_endpoints == true);
}

}  // namespace vnetdiag
