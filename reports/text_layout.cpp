#include "reports/text_layout.hpp"

#include <algorithm>
#include <numeric>

namespace vnetdiag {
namespace {

constexpr std::string_view kEllipsis = "…";

bool continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

/// Where an escape sequence starting at `at` ends: CSI ("\033[...m") at its final byte, OSC ("\033]...") at BEL
/// or ST, any other at the character after ESC.
std::size_t escape_end(std::string_view text, std::size_t at) {
  if (at + 1 >= text.size()) return text.size();
  std::size_t i = at + 2;
  if (text[at + 1] == '[') {
    while (i < text.size() && !(text[i] >= 0x40 && text[i] <= 0x7E)) ++i;
    return std::min(i + 1, text.size());
  }
  if (text[at + 1] == ']') {
    for (; i < text.size(); ++i) {
      if (text[i] == '\a') return i + 1;
      if (text[i] == '\033' && i + 1 < text.size() && text[i + 1] == '\\') return i + 2;
    }
    return text.size();
  }
  return at + 2;
}

/// Byte offsets where each code point of `text` starts, and its size at the end.
std::vector<std::size_t> code_point_starts(std::string_view text) {
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (!continuation_byte(text[i])) starts.push_back(i);
  starts.push_back(text.size());
  return starts;
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

/// A word and the run of spaces before it.
struct Token {
  std::string_view space, word;
};

std::vector<Token> tokens(std::string_view line) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < line.size()) {
    const std::size_t word = std::min(line.find_first_not_of(' ', i), line.size());
    const std::size_t end = std::min(line.find(' ', word), line.size());
    if (word < end) out.push_back({line.substr(i, word - i), line.substr(word, end - word)});
    i = end;
  }
  return out;
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  std::size_t at = 0;
  for (std::size_t end; (end = text.find('\n', at)) != std::string_view::npos; at = end + 1)
    out.emplace_back(text.substr(at, end - at));
  if (at < text.size() || out.empty()) out.emplace_back(text.substr(at));
  return out;
}

std::string padded(std::string_view text, std::size_t width) {
  std::string out(text);
  const auto w = display_width(text);
  if (w < width) out.append(width - w, ' ');
  return out;
}

}  // namespace

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '\033') {
      i = escape_end(text, i);
      continue;
    }
    width += !continuation_byte(text[i]);
    ++i;
  }
  return width;
}

std::string elide_middle(std::string_view text, std::size_t width) {
  const auto starts = code_point_starts(text);
  const std::size_t length = starts.size() - 1;
  if (length <= width) return std::string(text);
  if (width == 0) return "";
  // The end keeps the extra column: the domain and the port say more than the first label.
  const std::size_t head = (width - 1) / 2, tail = width - 1 - head;
  return std::string(text.substr(0, starts[head])) + std::string(kEllipsis) + std::string(text.substr(starts[length - tail]));
}

std::string wrap(std::string_view text, std::size_t width, std::string_view first, std::size_t indent) {
  const std::string margin(indent, ' ');
  std::string out;
  bool first_line = true;
  for (const auto& paragraph : lines_of(text)) {
    std::string line = first_line ? std::string(first) : margin;
    std::size_t column = display_width(line);
    bool has_word = false;
    auto next_line = [&] {
      out += trim_right(line);
      out += '\n';
      line = margin;
      column = indent;
      has_word = false;
    };
    for (const auto& [space, word] : tokens(paragraph)) {
      const std::size_t w = display_width(word);
      const std::size_t gap = has_word ? display_width(space) : 0;
      if (width == 0 || column + gap + w <= width) {
        if (has_word) line += space;
        line += word;
        column += gap + w;
        has_word = true;
        continue;
      }
      // Too long for this line: on the next one, or, too long for the indented column, outdented.
      if (has_word || !trim_right(line).empty()) next_line();
      if (indent + w > width) {
        const std::size_t pad = std::min(indent, w < width ? width - w : 0);
        line = std::string(pad, ' ');
        column = pad;
      }
      line += word;
      column += w;
      has_word = true;
    }
    next_line();
    first_line = false;
  }
  return out;
}

std::string fit_table(const std::vector<Column>& columns, const std::vector<std::vector<std::string>>& rows,
                      std::size_t width) {
  const std::size_t n = columns.size();
  std::vector<std::size_t> natural(n), least(n);
  for (std::size_t c = 0; c < n; ++c) {
    natural[c] = display_width(columns[c].header);
    std::size_t word = natural[c];
    for (const auto& row : rows) {
      natural[c] = std::max(natural[c], display_width(row[c]));
      for (const auto& t : tokens(row[c])) word = std::max(word, display_width(t.word));
    }
    switch (columns[c].fit) {
      case Fit::keep: least[c] = natural[c]; break;
      case Fit::elide: least[c] = std::min(natural[c], std::max(display_width(columns[c].header), columns[c].min)); break;
      case Fit::wrap: least[c] = word; break;
    }
  }
  std::vector<std::size_t> w = natural;
  std::size_t total = std::accumulate(w.begin(), w.end(), std::size_t{0}) + 2 * (n - 1);
  while (width != 0 && total > width) {
    std::size_t give = n;
    for (std::size_t c = 0; c < n; ++c)
      if (w[c] > least[c] && (give == n || w[c] - least[c] > w[give] - least[give])) give = c;
    if (give == n) return "";
    --w[give];
    --total;
  }

  std::string out;
  auto add_row = [&](const std::vector<std::string>& cells) {
    std::vector<std::vector<std::string>> lines(n);
    std::size_t height = 1;
    for (std::size_t c = 0; c < n; ++c) {
      if (columns[c].fit == Fit::wrap && display_width(cells[c]) > w[c]) {
        lines[c] = lines_of(wrap(cells[c], w[c], "", 0));
      } else {
        lines[c].push_back(columns[c].fit == Fit::elide ? elide_middle(cells[c], w[c]) : cells[c]);
      }
      height = std::max(height, lines[c].size());
    }
    for (std::size_t k = 0; k < height; ++k) {
      std::string line;
      for (std::size_t c = 0; c < n; ++c) {
        const std::string_view cell = k < lines[c].size() ? std::string_view(lines[c][k]) : std::string_view();
        line += c + 1 == n ? std::string(cell) : padded(cell, w[c]) + "  ";
      }
      out += trim_right(line);
      out += '\n';
    }
  };
  std::vector<std::string> header;
  for (const auto& c : columns) header.emplace_back(c.header);
  add_row(header);
  for (const auto& row : rows) add_row(row);
  return out;
}

}  // namespace vnetdiag
