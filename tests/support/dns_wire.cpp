#include "tests/support/dns_wire.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace vnetdiag::testing::dns_wire {

namespace {

void append_u16(std::vector<std::uint8_t>& out, std::uint16_t value) {
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value & 0xff));
}

std::uint16_t read_u16(std::span<const std::uint8_t> message, std::size_t offset) {
  return static_cast<std::uint16_t>((message[offset] << 8) | message[offset + 1]);
}

}  // namespace

std::string normalize_name(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  if (!name.empty() && name.back() == '.') {
    name.pop_back();
  }
  return name;
}

void append_name(std::vector<std::uint8_t>& out, const std::string& name) {
  const auto plain = name.ends_with('.') ? name.substr(0, name.size() - 1) : name;
  std::size_t start = 0;
  while (!plain.empty() && start <= plain.size()) {
    auto dot = plain.find('.', start);
    if (dot == std::string::npos) {
      dot = plain.size();
    }
    const auto label = plain.substr(start, dot - start);
    if (label.empty() || label.size() > 63) {
      throw std::invalid_argument("bad DNS name: '" + name + "'");
    }
    out.push_back(static_cast<std::uint8_t>(label.size()));
    out.insert(out.end(), label.begin(), label.end());
    start = dot + 1;
  }
  out.push_back(0);
}

std::vector<std::uint8_t> make_query(std::uint16_t id, const std::string& name, std::uint16_t qtype,
                                     std::uint16_t qclass) {
  std::vector<std::uint8_t> query;
  append_u16(query, id);
  append_u16(query, 0x0100);  // RD
  append_u16(query, 1);       // QDCOUNT
  append_u16(query, 0);
  append_u16(query, 0);
  append_u16(query, 0);
  append_name(query, name);
  append_u16(query, qtype);
  append_u16(query, qclass);
  return query;
}

std::optional<Question> parse_question(std::span<const std::uint8_t> message) {
  if (message.size() < 12 || read_u16(message, 4) < 1) {
    return std::nullopt;
  }
  Question question;
  question.id = read_u16(message, 0);
  question.flags = read_u16(message, 2);
  std::size_t offset = 12;
  while (true) {
    if (offset >= message.size()) {
      return std::nullopt;
    }
    const auto length = message[offset++];
    if (length == 0) {
      break;
    }
    // Queries never need compression; a pointer or an over-long label means garbage.
    if (length > 63 || offset + length > message.size()) {
      return std::nullopt;
    }
    if (!question.name.empty()) {
      question.name += '.';
    }
    question.name.append(reinterpret_cast<const char*>(message.data() + offset), length);
    offset += length;
  }
  if (offset + 4 > message.size()) {
    return std::nullopt;
  }
  question.name = normalize_name(question.name);
  question.qtype = read_u16(message, offset);
  question.qclass = read_u16(message, offset + 2);
  question.question_end = offset + 4;
  return question;
}

}  // namespace vnetdiag::testing::dns_wire
