#include "tests/support/nginx.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <stdexcept>

#include "tests/support/process.hpp"

namespace vnetdiag::testing {

namespace {

using namespace std::chrono_literals;

constexpr int kStartAttempts = 3;
constexpr std::size_t kMinTrickleBytes = 1 << 20;
constexpr std::size_t kMaxTrickleBytes = 64 << 20;

bool iequals(const std::string& a, const std::string& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](unsigned char x, unsigned char y) { return std::tolower(x) == std::tolower(y); });
}

// An nginx double-quoted string. `$` would start a variable and has no escape of its own, hence
// the geo-defined ${vnd_dollar} that expands to a literal dollar sign.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '$') {
      out += "${vnd_dollar}";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

void require_token(const std::string& value, const std::string& what) {
  const bool ok = !value.empty() && std::none_of(value.begin(), value.end(), [](unsigned char c) {
    return std::isspace(c) || c == '"' || c == '\'' || c == '\\' || c == ';' || c == '{' || c == '}' || c == '$';
  });
  if (!ok) {
    throw std::invalid_argument("Nginx: unusable " + what + ": '" + value + "'");
  }
}

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::string listen_address(const NginxSite& site) {
  return site.listen_ip.find(':') != std::string::npos ? "[" + site.listen_ip + "]:" + std::to_string(site.port)
                                                       : site.listen_ip + ":" + std::to_string(site.port);
}

}  // namespace

struct Nginx::Impl {
  std::vector<NginxSite> sites;
  std::filesystem::path prefix;
  std::string config;
  std::optional<ChildProcess> process;

  void assign_ports() {
    for (std::size_t i = 0; i < sites.size(); ++i) {
      auto& site = sites[i];
      if (site.same_port_as) {
        if (*site.same_port_as >= i) {
          throw std::invalid_argument("Nginx: same_port_as must name an earlier site");
        }
        const auto& other = sites[*site.same_port_as];
        if (other.listen_ip != site.listen_ip) {
          throw std::invalid_argument("Nginx: same_port_as across different listen_ip");
        }
        site.port = other.port;
      } else if (site.port == 0) {
        site.port = free_port(false, site.listen_ip);
      }
    }
  }

  std::string location_block(const NginxLocation& location, std::size_t trickle_index) const {
    require_token(location.path, "location path");
    std::ostringstream out;
    out << "    location " << location.path << " {\n";
    std::string redirect_target = location.body;
    for (const auto& [name, value] : location.headers) {
      require_token(name, "header name");
      if (iequals(name, "Content-Type")) {
        // add_header would send a second Content-Type next to nginx's own.
        out << "      default_type " << quoted(value) << ";\n";
      } else if (iequals(name, "Location") && is_redirect(location.status)) {
        redirect_target = value;
      } else {
        out << "      add_header " << name << " " << quoted(value) << " always;\n";
      }
    }
    if (location.required_header) {
      const auto& [name, value] = *location.required_header;
      require_token(name, "required header name");
      // nginx names a request header $http_<name>, lowercase with '-' as '_'.
      std::string variable = "$http_";
      for (const unsigned char c : name) variable += c == '-' ? '_' : static_cast<char>(std::tolower(c));
      out << "      if (" << variable << " != " << quoted(value) << ") { return " << location.rejected_status << " "
          << quoted(location.rejected_body) << "; }\n";
    }
    if (location.trickle_bytes_per_second > 0) {
      out << "      default_type application/octet-stream;\n"
          << "      root " << quoted((prefix / "trickle").string()) << ";\n"
          << "      rewrite ^ /trickle-" << trickle_index << ".bin break;\n"
          << "      limit_rate " << location.trickle_bytes_per_second << ";\n"
          << "      limit_rate_after " << location.trickle_after_bytes << ";\n";
    } else if (is_redirect(location.status)) {
      out << "      return " << location.status << " " << quoted(redirect_target) << ";\n";
    } else {
      out << "      return " << location.status << " " << quoted(location.body) << ";\n";
    }
    out << "    }\n";
    return out.str();
  }

  void write_trickle_file(std::size_t index, std::size_t rate) const {
    const auto size = std::clamp(rate * 60, kMinTrickleBytes, kMaxTrickleBytes);
    const auto path = prefix / "trickle" / ("trickle-" + std::to_string(index) + ".bin");
    std::filesystem::create_directories(path.parent_path());
    { std::ofstream create(path, std::ios::binary); }
    // Sparse: a minute of body costs no disk.
    std::filesystem::resize_file(path, size);
  }

  std::string make_config() const {
    const auto p = [this](const std::string& name) { return quoted((prefix / name).string()); };
    std::ostringstream out;
    out << "daemon off;\n"
        << "master_process off;\n"
        << "worker_processes 1;\n"
        << "user root;\n"
        << "pid " << p("nginx.pid") << ";\n"
        << "error_log " << p("error.log") << " info;\n"
        << "events { worker_connections 512; }\n"
        << "http {\n"
        << "  access_log " << p("access.log") << ";\n"
        << "  client_body_temp_path " << p("tmp/client_body") << ";\n"
        << "  proxy_temp_path " << p("tmp/proxy") << ";\n"
        << "  fastcgi_temp_path " << p("tmp/fastcgi") << ";\n"
        << "  uwsgi_temp_path " << p("tmp/uwsgi") << ";\n"
        << "  scgi_temp_path " << p("tmp/scgi") << ";\n"
        << "  default_type text/plain;\n"
        << "  geo $vnd_dollar { default \"$\"; }\n";

    std::map<std::string, std::size_t> first_on_port;
    std::size_t trickle_index = 0;
    for (std::size_t i = 0; i < sites.size(); ++i) {
      const auto& site = sites[i];
      const auto listen = listen_address(site);
      const bool is_default = first_on_port.emplace(listen, i).second;
      if (sites[first_on_port.at(listen)].tls != site.tls) {
        throw std::invalid_argument("Nginx: sites sharing " + listen + " disagree on tls");
      }
      require_token(site.server_name, "server_name");
      out << "  server {\n"
          << "    listen " << listen << (site.tls ? " ssl" : "") << (is_default ? " default_server" : "") << ";\n"
          << "    server_name " << site.server_name << ";\n";
      if (site.tls) {
        if (!site.cert) {
          throw std::invalid_argument("Nginx: TLS site " + site.server_name + " has no cert");
        }
        out << "    ssl_certificate " << quoted(site.cert->chain.string()) << ";\n"
            << "    ssl_certificate_key " << quoted(site.cert->key.string()) << ";\n";
        if (!site.ssl_protocols.empty()) out << "    ssl_protocols " << site.ssl_protocols << ";\n";
        if (!site.ssl_ciphers.empty()) out << "    ssl_ciphers " << quoted(site.ssl_ciphers) << ";\n";
        if (site.client_ca) {
          out << "    ssl_verify_client on;\n"
              << "    ssl_client_certificate " << quoted(site.client_ca->string()) << ";\n";
        }
      }
      if (site.locations.empty()) {
        out << location_block(NginxLocation{.path = "/", .status = 200, .headers = {}, .body = "ok\n"}, 0);
      }
      for (const auto& location : site.locations) {
        if (location.trickle_bytes_per_second > 0) {
          write_trickle_file(++trickle_index, location.trickle_bytes_per_second);
        }
        out << location_block(location, trickle_index);
      }
      out << "  }\n";
    }
    out << "}\n";
    return out.str();
  }

  bool all_ports_accept() const {
    return std::all_of(sites.begin(), sites.end(),
                       [](const NginxSite& site) { return tcp_accepts(site.listen_ip, site.port); });
  }
};

Nginx::Nginx(std::vector<NginxSite> sites, const TempDir& dir) : impl_(std::make_unique<Impl>()) {
  static std::atomic<int> instances{0};
  impl_->prefix = dir.path() / ("nginx-" + std::to_string(++instances));
  std::filesystem::create_directories(impl_->prefix / "tmp");
  const auto requested = std::move(sites);
  const bool any_picked = std::any_of(requested.begin(), requested.end(),
                                      [](const NginxSite& s) { return s.port == 0 && !s.same_port_as; });
  for (int attempt = 1;; ++attempt) {
    impl_->sites = requested;
    impl_->assign_ports();
    impl_->config = impl_->make_config();
    const auto conf = impl_->prefix / "nginx.conf";
    dir.write(std::filesystem::relative(conf, dir.path()).string(), impl_->config);
    impl_->process.emplace(std::vector<std::string>{"nginx", "-p", impl_->prefix.string() + "/", "-e",
                                                    (impl_->prefix / "error.log").string(), "-c", conf.string()},
                           impl_->prefix / "stdout.log");
    try {
      wait_for_ready(*impl_->process, [this] { return impl_->all_ports_accept(); }, 5s, "nginx");
      return;
    } catch (const std::runtime_error& error) {
      const bool port_race = log_tail().find("in use") != std::string::npos;
      impl_->process.reset();
      if (!(any_picked && port_race && attempt < kStartAttempts)) {
        throw std::runtime_error(std::string(error.what()) + "\nerror.log tail:\n" + log_tail() +
                                 "\nnginx.conf:\n" + impl_->config);
      }
    }
  }
}

Nginx::~Nginx() = default;

std::uint16_t Nginx::port(std::size_t site_index) const { return impl_->sites.at(site_index).port; }

pid_t Nginx::pid() const { return impl_->process->pid(); }

std::string Nginx::log_tail() const {
  std::ifstream in(impl_->prefix / "error.log", std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text.size() > 4096 ? text.substr(text.size() - 4096) : text;
}

const std::string& Nginx::config_text() const { return impl_->config; }

std::string access_logs(const TempDir& dir) {
  std::string out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path())) {
    if (entry.path().filename() != "access.log") continue;
    std::ifstream in(entry.path());
    std::ostringstream text;
    text << in.rdbuf();
    out += text.str();
  }
  return out;
}

}  // namespace vnetdiag::testing
