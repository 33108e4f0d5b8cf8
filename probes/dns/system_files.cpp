#include "probes/dns/system_files.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace vnetdiag::dns {
namespace {

constexpr std::size_t kGlibcMaxNameservers = 3;

std::vector<std::string> words(std::string_view line) {
  std::vector<std::string> out;
  std::string current;
  for (char c : line) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!current.empty()) out.push_back(std::exchange(current, {}));
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

std::string lower(std::string s) {
  std::ranges::transform(s, s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

template <class F>
void for_each_line(std::string_view text, F&& f) {
  int number = 0;
  while (!text.empty()) {
    auto nl = text.find('\n');
    auto line = text.substr(0, nl);
    ++number;
    if (auto hash = line.find_first_of("#;"); hash != std::string_view::npos) line = line.substr(0, hash);
    f(number, line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}

}  // namespace

bool ResolvConf::systemd_stub() const {
  return !nameservers.empty() && std::ranges::all_of(nameservers, [](const Endpoint& e) {
    auto text = e.address.to_string();
    return text == "127.0.0.53" || text == "127.0.0.54";
  });
}

ResolvConf parse_resolv_conf(std::string_view text) {
  ResolvConf out;
  for_each_line(text, [&](int number, std::string_view line) {
    auto w = words(line);
    if (w.empty()) return;
    if (w[0] == "nameserver" && w.size() >= 2) {
      auto endpoint = Endpoint::parse(w[1], 53);
      // glibc accepts only a bare address here: no port, no brackets.
      if (!endpoint || w[1].find('[') != std::string::npos || (!endpoint->address.v6 && w[1].find(':') != std::string::npos)) {
        out.warnings.push_back("line " + std::to_string(number) + ": nameserver '" + w[1] + "' is not an IP address");
      } else if (out.nameservers.size() >= kGlibcMaxNameservers) {
        out.warnings.push_back("line " + std::to_string(number) + ": nameserver " + w[1] +
                               " is ignored (only the first three are used)");
      } else {
        out.nameservers.push_back(*endpoint);
      }
    } else if (w[0] == "search" || w[0] == "domain") {
      out.search.assign(w.begin() + 1, w.end());
    } else if (w[0] == "options") {
      out.options.insert(out.options.end(), w.begin() + 1, w.end());
    }
  });
  return out;
}

std::vector<HostsEntry> parse_hosts(std::string_view text) {
  std::vector<HostsEntry> out;
  for_each_line(text, [&](int, std::string_view line) {
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    auto w = words(line);
    if (w.size() < 2 || !IpAddress::parse(w[0])) return;
    HostsEntry entry{w[0], {}};
    for (auto it = w.begin() + 1; it != w.end(); ++it) entry.names.push_back(lower(*it));
    out.push_back(std::move(entry));
  });
  return out;
}

std::vector<std::string> lookup_hosts(const std::vector<HostsEntry>& entries, std::string_view name) {
  std::string wanted = lower(std::string(name));
  if (wanted.ends_with('.')) wanted.pop_back();
  std::vector<std::string> out;
  for (const auto& entry : entries) {
    if (std::ranges::find(entry.names, wanted) != entry.names.end() && std::ranges::find(out, entry.address) == out.end())
      out.push_back(entry.address);
  }
  return out;
}

std::optional<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace vnetdiag::dns
