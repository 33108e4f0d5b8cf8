// How the text report meets the terminal it lands on: colour and width, decided from plain values so that the
// decision is testable; only terminal_columns() asks the system.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace vnetdiag {

/// The text report's width when standard output is not a terminal and COLUMNS says nothing: what pagers, mail and
/// ticket systems show without wrapping.
inline constexpr std::size_t kDefaultWidth = 80;
/// Narrower than this, wrapped lines would hold a word or two: the report keeps this width and the terminal wraps.
inline constexpr std::size_t kNarrowestWidth = 40;

/// --color always or never decides; auto colours a terminal unless NO_COLOR is set to something (an empty NO_COLOR
/// is as good as unset, as no-color.org says).
bool use_colour(std::string_view mode, bool terminal, const char* no_color);

/// The columns the text report fits: the terminal's, when standard output is one; else COLUMNS, when it is a
/// positive number; else 80. Never below 40.
std::size_t report_width(std::optional<std::size_t> terminal_columns, const char* columns);

/// The width of the terminal on `fd`, or nullopt when `fd` is not a terminal (or it does not say).
std::optional<std::size_t> terminal_columns(int fd);

}  // namespace vnetdiag
