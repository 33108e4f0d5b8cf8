// Reading DNS replies: pure functions over bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "probes/evidence.hpp"

namespace vnetdiag::dns {

/// The parts of a reply a diagnosis needs.
struct AnswerSection {
  int rcode = 0;
  bool truncated = false;
  std::vector<CnameHop> cnames;                                 ///< in record order
  std::vector<std::pair<std::string, std::uint32_t>> addresses;  ///< text form + TTL, A and AAAA
};

/// Reads the header and answer section of a DNS message. Works for NXDOMAIN and NODATA replies too.
/// nullopt for a message too short or malformed to read.
std::optional<AnswerSection> parse_answer(std::span<const unsigned char> message);

/// The question name, then each alias in turn, following hops in any order. Bounded, so loops end.
std::vector<std::string> follow_cnames(std::string qname, std::span<const CnameHop> hops);

/// "NOERROR", "NXDOMAIN", ... for an rcode.
std::string rcode_name(int rcode);

}  // namespace vnetdiag::dns
