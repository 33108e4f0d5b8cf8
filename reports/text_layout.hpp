// Laying text out for a terminal of a given width: display width, words wrapped with a hanging indent,
// names elided in the middle, and tables whose columns shrink to fit. Pure functions of strings.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vnetdiag {

/// Columns `text` takes on a terminal: one per UTF-8 code point; ANSI escape sequences ("\033[1;31m") take none.
std::size_t display_width(std::string_view text);

/// `text` cut to at most `width` columns by replacing its middle with "…", so that both ends stay readable:
/// "7c1e2d3f-4a5b-4c6d-….eastus.api.azureml.ms:443". Text that fits is returned as is.
std::string elide_middle(std::string_view text, std::size_t width);

/// `text` broken at spaces into lines of at most `width` columns, each ending in '\n'. The first line starts with
/// `first`, the others with `indent` spaces, so that continuation lines align under the text. A word is never
/// broken: one too long for the indented column gets a line of its own, indented less (a URL, a host name); only
/// a word longer than the whole width overflows. Width 0: one line, unwrapped.
std::string wrap(std::string_view text, std::size_t width, std::string_view first, std::size_t indent);

/// How a table column may give up width when the table is wider than the terminal.
enum class Fit {
  keep,   ///< never narrower than its widest cell
  elide,  ///< cells cut in the middle with "…", down to the column's minimum
  wrap,   ///< cells broken at spaces onto more lines, down to the widest word
};

struct Column {
  std::string_view header;
  Fit fit = Fit::keep;
  std::size_t min = 0;  ///< for Fit::elide: the narrowest the column may get
};

/// Aligned columns two spaces apart, each row one line, or more when a wrapped cell needs them. With width 0,
/// or when the table fits, every column is as wide as its widest cell; else the column with the most to give
/// gives one column at a time until the table fits. Returns "" when even the narrowest layout is wider than
/// `width`: the caller lays the rows out another way.
std::string fit_table(const std::vector<Column>& columns, const std::vector<std::vector<std::string>>& rows,
                      std::size_t width);

}  // namespace vnetdiag
