#include "agent/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace vnetdiag {

void init_logging(int verbosity) {
  auto logger = spdlog::stderr_color_st("vnetdiag");
  logger->set_pattern("%H:%M:%S.%e %^%l%$ %v");
  logger->set_level(verbosity >= 2 ? spdlog::level::debug : verbosity == 1 ? spdlog::level::info : spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

}  // namespace vnetdiag
