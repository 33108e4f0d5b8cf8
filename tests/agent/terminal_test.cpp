// How the text report meets its terminal, decided from plain values: colour from --color, the terminal and
// NO_COLOR; the width from the terminal, COLUMNS, or 80.
#include <catch2/catch.hpp>

#include "agent/terminal.hpp"

using namespace vnetdiag;

TEST_CASE("colour: --color decides, and auto colours a terminal unless NO_COLOR has a value", "[terminal]") {
  struct Case {
    const char* mode;
    bool terminal;
    const char* no_color;
    bool coloured;
  };
  const Case cases[] = {
      {"auto", true, nullptr, true},     // a terminal, NO_COLOR unset
      {"auto", true, "", true},          // an empty NO_COLOR is as good as unset
      {"auto", true, "1", false},        // any value turns colour off
      {"auto", true, "0", false},        // even "0": the convention is "set and not empty"
      {"auto", false, nullptr, false},   // a pipe or a file
      {"always", false, "1", true},      // asked for: on a pipe, and despite NO_COLOR
      {"never", true, nullptr, false},
  };
  for (const auto& c : cases) {
    INFO(c.mode << (c.terminal ? " on a terminal" : " on a pipe") << ", NO_COLOR " << (c.no_color ? c.no_color : "unset"));
    CHECK(use_colour(c.mode, c.terminal, c.no_color) == c.coloured);
  }
}

TEST_CASE("width: the terminal's own, on a pipe COLUMNS when it is a number, else 80, never below 40", "[terminal]") {
  struct Case {
    std::optional<std::size_t> terminal;
    const char* columns;
    std::size_t width;
  };
  const Case cases[] = {
      {100, nullptr, 100},  {80, nullptr, 80},    {132, "90", 132},     // a terminal says how wide it is
      {std::nullopt, nullptr, 80},                                        // a pipe or a file
      {std::nullopt, "120", 120}, {std::nullopt, "", 80},  {std::nullopt, "wide", 80}, {std::nullopt, "0", 80},
      {std::nullopt, "-5", 80},   {std::nullopt, "90x", 80},                            // COLUMNS that is not a width
      {20, nullptr, 40},          {std::nullopt, "12", 40},                             // too narrow to wrap into
  };
  for (const auto& c : cases) {
    INFO("terminal " << (c.terminal ? std::to_string(*c.terminal) : "none") << ", COLUMNS " << (c.columns ? c.columns : "unset"));
    CHECK(report_width(c.terminal, c.columns) == c.width);
  }
}
