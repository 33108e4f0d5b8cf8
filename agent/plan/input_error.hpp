// What went wrong with a user's input, and the guarded edge where text becomes JSON.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

namespace vnetdiag {

/// A malformed input: which file (or flag, or variable), where in it, and what was expected.
/// The CLI prints `to_string()` and exits with status 3 without probing anything.
struct InputError {
  std::string source;   ///< "ws.json", "<stdin>", "--storage-account", "environment"
  int line = 0;         ///< 1-based; 0 when the error is about a field, not a position
  int column = 0;       ///< 1-based; 0 when unknown
  std::string field;    ///< JSON pointer ("/properties/keyVault") or variable name; may be empty
  std::string message;  ///< what was expected, and what was found (control characters escaped)

  /// "ws.json:3:14: message" or "ws.json: /properties/keyVault: message".
  std::string to_string() const;
};

/// A value, or the reason there is none.
template <class T>
using Parsed = std::variant<T, InputError>;

/// Inputs larger than this are refused before parsing: a workspace document is a few kilobytes.
inline constexpr std::size_t kMaxInputBytes = 8u * 1024u * 1024u;

/// JSON nested deeper than this is refused before parsing; real inputs nest fewer than 10 levels.
inline constexpr int kMaxJsonDepth = 64;

/// Reads a whole file, or standard input for "-", reading at most `cap` + 1 bytes so an endless
/// or huge input costs no more than the cap. Errors name the path and the reason.
Parsed<std::string> read_input_file(const std::string& path_or_dash, std::size_t cap = kMaxInputBytes);

/// Parses JSON text from `source_name`, refusing oversized or over-deep input. Syntax errors carry the
/// 1-based line and column computed from the parser's byte offset. `comments` allows // and /* */.
Parsed<nlohmann::json> parse_json_text(std::string_view text, std::string_view source_name, bool comments);

/// `text` made safe to show in a message: quoted, control and non-ASCII bytes as \xNN, at most ~64 chars.
std::string quote_value(std::string_view text);

/// `text` with control and non-ASCII bytes as \xNN: safe for a terminal, still readable.
std::string sanitized(std::string_view text);

/// `text` with control, non-ASCII, quote and backslash bytes as \xNN, cut after `limit` bytes ("...").
std::string escaped(std::string_view text, std::size_t limit = 256);

/// A JSON value's type in words, for "expected a string, got a number" messages.
std::string_view json_type_name(const nlohmann::json& value);

}  // namespace vnetdiag
