#include "tests/discovery/support.hpp"

#include <catch2/catch.hpp>

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "agent/report_inputs.hpp"
#include "reports/findings.hpp"
#include "tests/support/sockets.hpp"

namespace vnetdiag::test {

std::map<std::string, std::string> g_fake_env;

Report report_of(const Environment& environment, const Plan& plan, const ProxySettings& used_proxy) {
  CheckSettings used;
  used.engine.proxy = used_proxy;
  used.vnet = environment.vnet;
  RunResult run;
  return build_report(metadata_of(plan, run, "2026-12-07T00:00:00Z"), facts_of(environment, plan, used), std::move(run), {});
}

std::string fixture_path(const std::string& name) { return std::string(VNETDIAG_DISCOVERY_FIXTURES) + "/" + name; }

std::string fixture_text(const std::string& name) {
  std::ifstream in(fixture_path(name), std::ios::binary);
  if (!in) FAIL("cannot open fixture " << fixture_path(name));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<std::string> fake_env(const char* name) {
  const auto it = g_fake_env.find(name);
  if (it == g_fake_env.end()) return std::nullopt;
  return it->second;
}

FakeEnvironment::FakeEnvironment(std::initializer_list<std::pair<const std::string, std::string>> variables) {
  g_fake_env = variables;
}
FakeEnvironment::~FakeEnvironment() { g_fake_env.clear(); }

Plan contoso_plan() {
  WorkspaceInfo ws;
  ws.source = "test";
  ws.name = "contoso-ml";
  ws.workspace_id = "8c5b1a53-0c0b-4d8e-9f47-1f0f7b3d2a11";
  ws.region = "eastus";
  ws.storage_account = "contosoml4821";
  ws.key_vault = "contosokv";
  ws.cloud = Cloud::public_cloud;
  ws.private_endpoint = true;
  Config config;
  config.vnet = {*Cidr::parse("10.0.0.0/16")};
  config.expected_ips["contosoml4821.blob.core.windows.net"] = {"10.0.1.5"};
  return build_plan(ws, config, Cloud::public_cloud);
}

ImdsStandIn::ImdsStandIn(std::string document) : listener_(testing::bound_socket("127.0.0.1", 0, SOCK_STREAM)) {
  if (::listen(listener_.get(), 4) != 0) throw std::runtime_error("ImdsStandIn: listen failed");
  port_ = testing::local_port(listener_.get());
  thread_ = std::thread([this, doc = std::move(document)] { serve(doc); });
}

ImdsStandIn::~ImdsStandIn() {
  if (thread_.joinable()) thread_.join();
}

std::string ImdsStandIn::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::string ImdsStandIn::request() {
  if (thread_.joinable()) thread_.join();
  return request_;
}

void ImdsStandIn::serve(const std::string& document) {
  pollfd wait{listener_.get(), POLLIN, 0};
  if (::poll(&wait, 1, 5000) != 1) return;
  const testing::UniqueFd client(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
  if (!client) return;
  char buffer[4096];
  while (request_.find("\r\n\r\n") == std::string::npos && request_.size() < 16384) {
    pollfd readable{client.get(), POLLIN, 0};
    if (::poll(&readable, 1, 2000) != 1) return;
    const auto n = ::recv(client.get(), buffer, sizeof buffer, 0);
    if (n <= 0) return;
    request_.append(buffer, static_cast<std::size_t>(n));
  }
  std::string lower = request_;
  std::ranges::transform(lower, lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const bool accepted = contains(lower, "\r\nmetadata: true\r\n") && !contains(lower, "x-forwarded-for");
  const std::string body = accepted ? document : R"({"error": "Bad request. Required metadata header not specified"})";
  const std::string response = std::string(accepted ? "HTTP/1.1 200 OK" : "HTTP/1.1 400 Bad Request") +
                               "\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: " +
                               std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  (void)::send(client.get(), response.data(), response.size(), MSG_NOSIGNAL);
}

bool contains(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

}  // namespace vnetdiag::test
