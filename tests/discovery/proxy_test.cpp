// Proxy variables: which are set, which win (curl's rules), and that no credential ever shows.

#include <catch2/catch.hpp>

#include <algorithm>

#include "agent/discovery/environment.hpp"
#include "agent/discovery/proxy_env.hpp"
#include "reports/render.hpp"
#include "tests/discovery/support.hpp"

using namespace vnetdiag;
using vnetdiag::test::contains;
using vnetdiag::test::FakeEnvironment;

namespace {

/// Every credential the fixtures below hold, decoded and encoded: none may appear in any output.
const std::vector<std::string> kSecrets = {
    "alice", "S3cr3t-p@ss", "S3cr3t-p%40ss", "bob", "hunter2", "carol", "pw-socks", "dave", "1234/5678", "5678",
    "admin", "tok3n",
};

/// Everything describe_proxy returned, as one text.
std::string everything(const ProxyDiscovery& p) {
  std::string out = p.https_proxy + "\n" + p.https_from + "\n" + p.http_proxy + "\n" + p.http_from + "\n";
  for (const auto& v : p.variables) out += v.name + "=" + v.value + "\n";
  for (const auto& e : p.errors) out += e + "\n";
  for (const auto& n : p.notes) out += n.text + "\n";
  for (const auto& s : p.no_proxy) out += s + "\n";
  return out;
}

const ProxyVariable* variable(const ProxyDiscovery& p, const std::string& name) {
  const auto it = std::ranges::find(p.variables, name, &ProxyVariable::name);
  return it == p.variables.end() ? nullptr : &*it;
}

void check_no_secret(const std::string& text) {
  INFO(text);
  for (const auto& secret : kSecrets) {
    INFO("secret: " << secret);
    CHECK_FALSE(contains(text, secret));
  }
}

}  // namespace

TEST_CASE("proxy URLs with credentials are shown masked, and the lowercase variable wins as in curl", "[proxy]") {
  const FakeEnvironment env({{"https_proxy", "http://alice:S3cr3t-p%40ss@proxy.corp.contoso.com:3128"},
                             {"HTTPS_PROXY", "http://bob:hunter2@old-proxy.corp.contoso.com:8080"},
                             {"no_proxy", "localhost,127.0.0.1,.corp.contoso.com,169.254.169.254"}});
  const auto p = describe_proxy(test::fake_env);
  const auto text = everything(p);
  INFO(text);
  check_no_secret(text);
  CHECK(p.https_proxy == "http://***@proxy.corp.contoso.com:3128");
  CHECK(p.https_from == "https_proxy");
  CHECK(p.http_proxy.empty());  // https_proxy does not apply to plain-HTTP URLs
  CHECK(p.no_proxy == std::vector<std::string>{"localhost", "127.0.0.1", ".corp.contoso.com", "169.254.169.254"});
  REQUIRE(variable(p, "HTTPS_PROXY") != nullptr);
  CHECK(variable(p, "HTTPS_PROXY")->value == "http://***@old-proxy.corp.contoso.com:8080");
  CHECK(variable(p, "HTTPS_PROXY")->credentials);
  CHECK_FALSE(variable(p, "HTTPS_PROXY")->used);
  CHECK(variable(p, "https_proxy")->used);
  CHECK(contains(text, "https_proxy and HTTPS_PROXY differ: curl and vnetdiag use https_proxy"));
  CHECK(p.errors.empty());
}

TEST_CASE("unusable proxy values are reported by variable name without quoting any part of them", "[proxy]") {
  const FakeEnvironment env({{"https_proxy", "socks5://carol:pw-socks@socks.corp.contoso.com:1080"},
                             {"http_proxy", "http://admin:tok3n"},  // forgot the host: the "port" is the password
                             {"ALL_PROXY", "http://svc:1234/5678@proxy.corp.contoso.com:3128"}});
  const auto p = describe_proxy(test::fake_env);
  const auto text = everything(p);
  INFO(text);
  check_no_secret(text);
  REQUIRE(p.errors.size() == 3);
  CHECK(contains(text, "https_proxy is not a usable proxy URL: proxy scheme 'socks5' is not supported"));
  CHECK(contains(text, "http_proxy is not a usable proxy URL: the proxy port is not a number"));
  CHECK(contains(text, "ALL_PROXY: the user information contains '/', '?' or '#' that is not percent-encoded"));
  // An unusable value is not shown at all; a parsable one only with its user information masked.
  CHECK(variable(p, "https_proxy")->value.empty());
  CHECK(variable(p, "https_proxy")->credentials);
  CHECK(variable(p, "ALL_PROXY")->value == "http://***@proxy.corp.contoso.com:3128");
  CHECK(p.https_proxy.empty());  // the winning variable is unusable: curl fails, vnetdiag goes direct
}

TEST_CASE("uppercase HTTP_PROXY is listed but not used: curl ignores it (Python tools use it)", "[proxy]") {
  const FakeEnvironment env({{"HTTP_PROXY", "http://proxy.corp.contoso.com:3128"}});
  const auto p = describe_proxy(test::fake_env);
  const auto text = everything(p);
  INFO(text);
  CHECK(p.http_proxy.empty());
  CHECK_FALSE(variable(p, "HTTP_PROXY")->used);
  CHECK(variable(p, "HTTP_PROXY")->value == "http://proxy.corp.contoso.com:3128");
}

TEST_CASE("the uppercase NO_PROXY is used when no_proxy is not set", "[proxy]") {
  const FakeEnvironment env({{"https_proxy", "http://proxy.corp.contoso.com:3128"},
                             {"http_proxy", "http://proxy.corp.contoso.com:3128"},
                             {"NO_PROXY", ".corp.contoso.com"}});
  const auto p = describe_proxy(test::fake_env);
  CHECK(p.https_proxy == "http://proxy.corp.contoso.com:3128");
  CHECK(p.http_proxy == "http://proxy.corp.contoso.com:3128");
  CHECK(p.http_from == "http_proxy");
  CHECK(variable(p, "NO_PROXY")->used);
  CHECK(p.no_proxy == std::vector<std::string>{".corp.contoso.com"});
}

TEST_CASE("all_proxy serves both schemes when nothing more specific is set", "[proxy]") {
  const FakeEnvironment env({{"all_proxy", "http://dave:hunter2@proxy.corp.contoso.com:3128"}, {"https_proxy", ""}});
  const auto p = describe_proxy(test::fake_env);
  check_no_secret(everything(p));
  CHECK(p.https_from == "all_proxy");
  CHECK(p.http_from == "all_proxy");
  CHECK(p.https_proxy == "http://***@proxy.corp.contoso.com:3128");
  CHECK_FALSE(variable(p, "https_proxy")->used);  // set but empty: curl treats it as unset
}

TEST_CASE("no proxy variables means direct connections", "[proxy]") {
  const FakeEnvironment env({});
  const auto p = describe_proxy(test::fake_env);
  CHECK(p.variables.empty());
  CHECK(p.https_proxy.empty());
  CHECK(p.notes.empty());
}

TEST_CASE("proxy credentials never appear in the report's JSON or text", "[proxy][environment]") {
  const FakeEnvironment env({{"https_proxy", "http://alice:S3cr3t-p%40ss@proxy.corp.contoso.com:3128"},
                             {"HTTPS_PROXY", "http://bob:hunter2@old-proxy.corp.contoso.com:8080"},
                             {"http_proxy", "http://admin:tok3n"},
                             {"all_proxy", "socks5://carol:pw-socks@socks:1080"},
                             {"ALL_PROXY", "http://svc:1234/5678@proxy.corp.contoso.com:3128"}});
  Environment e;
  e.proxy = describe_proxy(test::fake_env);
  const auto report = test::report_of(e, test::contoso_plan(), proxy_settings_from_env(test::fake_env, nullptr));
  const auto json = render_json(report);
  const auto text = render_terminal(report);
  check_no_secret(json);
  check_no_secret(text);
  CHECK(contains(json, "\"name\": \"HTTPS_PROXY\""));
  CHECK(contains(text, "https: http://***@proxy.corp.contoso.com:3128  http: direct  (from https_proxy)"));
  CHECK(contains(text, "VND-PXY-006"));  // the unusable variables, by name
}

TEST_CASE("mask_proxy_value hides the whole user information, also with '@' or ':' in the password", "[proxy]") {
  CHECK(mask_proxy_value("http://user:pa@ss:word@proxy:3128") == "http://***@proxy:3128");
  CHECK(mask_proxy_value("user:secret@proxy:3128") == "***@proxy:3128");
  CHECK(mask_proxy_value("http://token@proxy:3128") == "http://***@proxy:3128");
  CHECK(mask_proxy_value("http://proxy:3128") == "http://proxy:3128");
  CHECK(mask_proxy_value("http://[fd00::3]:3128/") == "http://[fd00::3]:3128/");
  CHECK(mask_proxy_value("ftp://user:secret@proxy").empty());
  CHECK(mask_proxy_value("").empty());
}

TEST_CASE("a proxy named in vnetdiag's settings is shown masked beside the variables other tools follow",
          "[proxy][environment]") {
  const FakeEnvironment env({{"https_proxy", "http://bob:hunter2@old-proxy.corp.contoso.com:8080"}});
  auto plan = test::contoso_plan();
  ProxySettings configured;
  configured.https_proxy = ProxyUrl::parse("http://alice:S3cr3t-p%40ss@proxy.corp.contoso.com:3128", nullptr);
  configured.origin = "config";
  plan.proxy = configured;
  DiscoverySettings settings;
  settings.paths.resolv_conf = test::fixture_path("resolv-custom.conf");
  settings.paths.hosts_file = "";
  settings.imds_base_url = "";  // not asked
  const auto e = discover_environment(settings, plan, test::fake_env);
  const auto report = test::report_of(e, plan, configured);
  const auto json = render_json(report);
  const auto text = render_terminal(report);
  INFO(text);
  check_no_secret(json);
  check_no_secret(text);
  CHECK(contains(text, "https: http://***@proxy.corp.contoso.com:3128  http: direct  (from config)"));
  CHECK(contains(text, "variables other tools follow: https_proxy=http://***@old-proxy.corp.contoso.com:8080"));
  CHECK(e.imds.status == ImdsStatus::not_asked);

  CHECK(ProxyUrl::parse("http://[fd00::3]:3128", nullptr)->masked() == "http://[fd00::3]:3128");
  CHECK(ProxyUrl::parse("http://token@proxy", nullptr)->masked() == "http://***@proxy:1080");
}
