#include "agent/plan/input_error.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <utility>

#include <sys/stat.h>

namespace vnetdiag {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

struct Position {
  int line = 1, column = 1;
};

// Line and column of byte `offset` (0-based) in `text`; columns count bytes, as editors showing
// ASCII JSON do.
Position position_of(std::string_view text, std::size_t offset) {
  Position p;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else {
      ++p.column;
    }
  }
  return p;
}

// nlohmann's parser is iterative, but destroying and walking a 100 000-deep document is not cheap and
// nothing legitimate nests that far, so depth is checked with a small scanner first. It follows
// strings and comments so brackets inside them do not count. Returns the offset of the first bracket
// past `limit`, or npos.
std::size_t first_too_deep(std::string_view text, int limit, bool comments) {
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;
      }
    } else if (comments && c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (comments && c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      const auto end = text.find("*/", i + 2);
      if (end == std::string_view::npos) return std::string_view::npos;  // the parser reports it
      i = end + 1;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::string_view::npos;
}

// nlohmann messages start "[json.exception.parse_error.101] parse error at line 1, column 5: "; the
// position is reported separately, so keep only the explanation ("number overflow parsing '1e999'" for
// out_of_range, which has no position).
std::string explanation(const std::string& what) {
  std::string_view text = what;
  if (text.starts_with("[json.exception."))
    if (const auto end = text.find("] "); end != std::string_view::npos) text.remove_prefix(end + 2);
  if (text.starts_with("parse error"))
    if (const auto colon = text.find(": "); colon != std::string_view::npos) text.remove_prefix(colon + 2);
  return std::string(text);
}

}  // namespace

std::string InputError::to_string() const {
  std::string out = source;
  if (line > 0) {
    out += ":" + std::to_string(line);
    if (column > 0) out += ":" + std::to_string(column);
  }
  out += ": ";
  if (!field.empty()) out += field + ": ";
  out += message;
  return out;
}

Parsed<std::string> read_input_file(const std::string& path_or_dash, std::size_t cap) {
  const bool use_stdin = path_or_dash == "-";
  const std::string source = use_stdin ? "<stdin>" : path_or_dash;
  FilePtr owned;
  std::FILE* file = stdin;
  if (!use_stdin) {
    struct stat st {};
    if (::stat(path_or_dash.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      return InputError{source, 0, 0, "", "is a directory, expected a file"};
    }
    owned.reset(std::fopen(path_or_dash.c_str(), "rb"));
    if (!owned) return InputError{source, 0, 0, "", std::string("cannot open: ") + std::strerror(errno)};
    file = owned.get();
  }
  std::string text;
  char buffer[65536];
  while (text.size() <= cap) {
    const std::size_t want = std::min(sizeof buffer, cap + 1 - text.size());
    const std::size_t got = std::fread(buffer, 1, want, file);
    text.append(buffer, got);
    if (got < want) break;
  }
  if (std::ferror(file)) return InputError{source, 0, 0, "", std::string("read error: ") + std::strerror(errno)};
  if (text.size() > cap) {
    return InputError{source, 0, 0, "",
                      "larger than " + std::to_string(cap / 1024) + " KiB; a workspace document or config is a few KiB"};
  }
  return text;
}

Parsed<nlohmann::json> parse_json_text(std::string_view text, std::string_view source_name, bool comments) {
  const std::string source(source_name);
  if (text.size() > kMaxInputBytes) {
    return InputError{source, 0, 0, "",
                      "larger than " + std::to_string(kMaxInputBytes / 1024) + " KiB; a workspace document or config is a few KiB"};
  }
  if (const auto deep = first_too_deep(text, kMaxJsonDepth, comments); deep != std::string_view::npos) {
    const auto p = position_of(text, deep);
    return InputError{source, p.line, p.column, "",
                      "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels; not a workspace document or config"};
  }
  try {
    return nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/true, comments);
  } catch (const nlohmann::json::parse_error& e) {
    // `byte` is 1-based and points at the last character read: the one that broke the grammar.
    const auto p = position_of(text, e.byte == 0 ? 0 : e.byte - 1);
    // The explanation quotes the offending input ("last read: ..."), which may hold terminal escapes.
    return InputError{source, p.line, p.column, "", "invalid JSON: " + sanitized(explanation(e.what()))};
  } catch (const nlohmann::json::out_of_range& e) {
    // A number too large for a double ("1e999") is refused with out_of_range, not parse_error, and without a
    // position; uncaught, it ended the program instead of naming the file (found by fuzzing).
    return InputError{source, 0, 0, "", "invalid JSON: " + sanitized(explanation(e.what()))};
  }
}

std::string sanitized(std::string_view text) {
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += ch;
    }
  }
  return out;
}

std::string escaped(std::string_view text, std::size_t limit) {
  std::string out;
  for (std::size_t i = 0; i < text.size() && i < limit; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (text.size() > limit) out += "...";
  return out;
}

std::string quote_value(std::string_view text) {
  constexpr std::size_t kShown = 64;
  const bool cut = text.size() > kShown;
  return "\"" + escaped(text.substr(0, std::min(text.size(), kShown)), kShown) + (cut ? "\"..." : "\"");
}

std::string_view json_type_name(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::object: return "an object";
    case nlohmann::json::value_t::array: return "an array";
    case nlohmann::json::value_t::string: return "a string";
    case nlohmann::json::value_t::boolean: return "a boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned: return "an integer";
    case nlohmann::json::value_t::number_float: return "a number";
    case nlohmann::json::value_t::binary: return "binary data";
    case nlohmann::json::value_t::discarded: return "nothing";
  }
  return "something else";
}

}  // namespace vnetdiag
