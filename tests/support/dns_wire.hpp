// Minimal DNS wire format shared by the fault responder and readiness probes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

/// Just enough RFC 1035 wire format for the test servers: build a query, read a question back,
/// encode names. Not a general DNS library.
namespace vnetdiag::testing::dns_wire {

inline constexpr std::uint16_t type_a = 1;      ///< A
inline constexpr std::uint16_t type_cname = 5;  ///< CNAME
inline constexpr std::uint16_t type_txt = 16;   ///< TXT
inline constexpr std::uint16_t type_aaaa = 28;  ///< AAAA
inline constexpr std::uint16_t type_any = 255;  ///< ANY
inline constexpr std::uint16_t class_in = 1;    ///< IN
inline constexpr std::uint16_t class_ch = 3;    ///< CHAOS (version.bind and friends)

/// The header fields and the single question of a DNS message.
struct Question {
  std::uint16_t id = 0;          ///< transaction id
  std::uint16_t flags = 0;       ///< header flags word (QR, opcode, AA, TC, RD, RA, rcode)
  std::string name;              ///< lower-case, no trailing dot ("" for the root)
  std::uint16_t qtype = 0;       ///< question type
  std::uint16_t qclass = 0;      ///< question class
  std::size_t question_end = 0;  ///< offset just past the question section
};

/// Appends `name` ("a.b.c" or "a.b.c.") in uncompressed label form; throws on a label over 63 bytes.
void append_name(std::vector<std::uint8_t>& out, const std::string& name);
/// A standard query with RD set.
std::vector<std::uint8_t> make_query(std::uint16_t id, const std::string& name, std::uint16_t qtype,
                                     std::uint16_t qclass = class_in);
/// Reads the header and first question; nullopt when the bytes are not a well-formed message.
std::optional<Question> parse_question(std::span<const std::uint8_t> message);
/// Lower-cases a name and strips one trailing dot, the form all test-server maps use.
std::string normalize_name(std::string name);

}  // namespace vnetdiag::testing::dns_wire
