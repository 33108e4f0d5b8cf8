#include "agent/static_passwd.hpp"

#include <pwd.h>

#include <charconv>
#include <fstream>
#include <vector>

namespace vnetdiag {
namespace {

template <class T>
bool parse_id(const std::string& text, T& out) {
  const auto* end = text.data() + text.size();
  auto [at, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc{} && at == end && !text.empty();
}

}  // namespace

std::optional<PasswdEntry> find_passwd_entry(std::istream& passwd, uid_t uid) {
  std::string line;
  while (std::getline(passwd, line)) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (;;) {
      const auto colon = line.find(':', start);
      fields.push_back(line.substr(start, colon == std::string::npos ? std::string::npos : colon - start));
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
    PasswdEntry entry;
    if (fields.size() != 7 || fields[0].empty() || !parse_id(fields[2], entry.uid) || !parse_id(fields[3], entry.gid))
      continue;
    if (entry.uid != uid) continue;
    entry.name = fields[0];
    entry.password = fields[1];
    entry.gecos = fields[4];
    entry.home = fields[5];
    entry.shell = fields[6];
    return entry;
  }
  return std::nullopt;
}

}  // namespace vnetdiag

#ifdef VNETDIAG_STATIC_BUILD
// Linked with -Wl,--wrap=getpwuid: every getpwuid() in vnetdiag's own code lands here. Like getpwuid(),
// the answer lives in static storage until the next call.
extern "C" passwd* __wrap_getpwuid(uid_t uid) {
  static vnetdiag::PasswdEntry entry;
  static passwd answer;
  std::ifstream file("/etc/passwd");
  auto found = vnetdiag::find_passwd_entry(file, uid);
  if (!found) return nullptr;
  entry = std::move(*found);
  answer = passwd{.pw_name = entry.name.data(), .pw_passwd = entry.password.data(), .pw_uid = entry.uid,
                  .pw_gid = entry.gid, .pw_gecos = entry.gecos.data(), .pw_dir = entry.home.data(),
                  .pw_shell = entry.shell.data()};
  return &answer;
}
#endif
