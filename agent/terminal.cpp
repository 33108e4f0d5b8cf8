#include "agent/terminal.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace vnetdiag {

bool use_colour(std::string_view mode, bool terminal, const char* no_color) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  return terminal && (no_color == nullptr || *no_color == '\0');
}

std::size_t report_width(std::optional<std::size_t> terminal_columns, const char* columns) {
  std::size_t width = kDefaultWidth;
  if (terminal_columns && *terminal_columns > 0) {
    width = *terminal_columns;
  } else if (columns != nullptr) {
    std::size_t n = 0;
    const char* end = columns + std::strlen(columns);
    const auto [at, ec] = std::from_chars(columns, end, n);
    if (ec == std::errc() && at == end && n > 0) width = n;
  }
  return std::max(width, kNarrowestWidth);
}

std::optional<std::size_t> terminal_columns(int fd) {
  if (::isatty(fd) != 1) return std::nullopt;
  winsize size{};
  if (::ioctl(fd, TIOCGWINSZ, &size) != 0 || size.ws_col == 0) return std::nullopt;
  return size.ws_col;
}

}  // namespace vnetdiag
