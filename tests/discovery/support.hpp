// Shared helpers for the discovery tests: fixture paths, a fake environment, a small plan.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <utility>
#include <map>
#include <optional>
#include <string>
#include <thread>

#include "agent/discovery/environment.hpp"
#include "agent/plan/plan.hpp"
#include "reports/report_model.hpp"
#include "tests/support/unique_fd.hpp"

namespace vnetdiag::test {

/// The absolute path of a file under tests/discovery/fixtures.
std::string fixture_path(const std::string& name);

/// The whole text of a fixture file (fails the test when missing).
std::string fixture_text(const std::string& name);

/// The variables `fake_env` answers from; tests set it and clear it (see FakeEnvironment).
extern std::map<std::string, std::string> g_fake_env;

/// An EnvLookup over g_fake_env.
std::optional<std::string> fake_env(const char* name);

/// Sets g_fake_env for one test and clears it again.
struct FakeEnvironment {
  explicit FakeEnvironment(std::initializer_list<std::pair<const std::string, std::string>> variables);
  ~FakeEnvironment();
  FakeEnvironment(const FakeEnvironment&) = delete;
  FakeEnvironment& operator=(const FakeEnvironment&) = delete;
};

/// The plan of a private-endpoint workspace in eastus with storage account contosoml4821 and key vault
/// contosokv; the blob host's private endpoint IP is 10.0.1.5; VNet 10.0.0.0/16.
Plan contoso_plan();

/// A one-request stand-in that answers as IMDS does about its header rule (facts §2.5): `document` with
/// `Metadata: true` and without X-Forwarded-For, else 400 "Required metadata header not specified". It
/// keeps the request, so a test can read exactly what vnetdiag put on the wire. Listens on 127.0.0.1.
class ImdsStandIn {
 public:
  explicit ImdsStandIn(std::string document);
  /// Waits for the exchange (at most about 7 s when nobody connects).
  ~ImdsStandIn();
  ImdsStandIn(const ImdsStandIn&) = delete;
  ImdsStandIn& operator=(const ImdsStandIn&) = delete;

  std::uint16_t port() const { return port_; }
  /// "http://127.0.0.1:<port>".
  std::string url() const;
  /// Waits for the one exchange to end and returns the request as received.
  std::string request();

 private:
  void serve(const std::string& document);

  testing::UniqueFd listener_;
  std::uint16_t port_ = 0;
  std::string request_;
  std::thread thread_;
};

/// The report a check would write for this environment and no probe: facts_of with `used_proxy` as the
/// engine's proxy, and the findings of the run-level rules.
Report report_of(const Environment& environment, const Plan& plan, const ProxySettings& used_proxy = {});

/// True when `text` contains `needle`.
bool contains(const std::string& text, const std::string& needle);

}  // namespace vnetdiag::test
