// Helpers for the plan tests: fixtures, a fake environment, and diff-friendly plan comparison.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "agent/plan/input_error.hpp"

namespace vnetdiag::test {

/// The text of tests/plan/<relative>.
std::string fixture(const std::string& relative);

/// The variables `fake_env` answers with; tests set it, then pass `&fake_env` as an EnvLookup.
extern std::map<std::string, std::string> g_fake_env;
std::optional<std::string> fake_env(const char* name);

/// Compares `actual` with tests/plan/expected/<name>.json. Returns "" when equal; otherwise writes the
/// actual plan beside the build (actual/<name>.json) and returns one line per difference, naming the
/// target each difference belongs to.
std::string compare_with_expected(const nlohmann::json& actual, const std::string& name);

/// The value of a Parsed<T>, failing the test with the error text when it is an error.
template <class T>
T value_of(Parsed<T> parsed) {
  if (auto* e = std::get_if<InputError>(&parsed)) FAIL("unexpected input error: " << e->to_string());
  return std::get<T>(std::move(parsed));
}

/// The error of a Parsed<T>, failing the test when it parsed.
template <class T>
InputError error_of(Parsed<T> parsed) {
  if (!std::holds_alternative<InputError>(parsed)) FAIL("expected an input error, but the input was accepted");
  return std::get<InputError>(std::move(parsed));
}

}  // namespace vnetdiag::test
