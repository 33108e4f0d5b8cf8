// Azure Resource Manager's answers when the VNet's ranges are read: the token response, the VM, network
// interface and virtual network documents, through parse_token_response(), parse_az_access_token(),
// parse_primary_nic(), parse_nic_subnets(), vnet_id_of_subnet() and parse_vnet(). Each input is given to all.
#include <cstddef>
#include <cstdint>

#include "agent/discovery/arm_vnet.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace vnetdiag;
using vnetdiag::fuzz::as_text;

namespace {

/// A parser's answer is a value or a reason, never both, never neither.
template <class T>
void check_answer(const std::optional<T>& value, const std::string& error) {
  FUZZ_CHECK(value.has_value() == error.empty());
}

void check_subnet_id(std::string_view id) {
  if (const auto vnet = vnet_id_of_subnet(id)) FUZZ_CHECK(!vnet->empty() && id.starts_with(*vnet));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = as_text(data, size);
  std::string error;
  const auto token = parse_token_response(text, error);
  check_answer(token, error);
  if (token) FUZZ_CHECK(!token->empty());

  error.clear();
  const auto az_token = parse_az_access_token(text, error);
  check_answer(az_token, error);

  error.clear();
  const auto nic = parse_primary_nic(text, error);
  check_answer(nic, error);

  error.clear();
  const auto subnets = parse_nic_subnets(text, error);
  check_answer(subnets, error);
  if (subnets) {
    FUZZ_CHECK(!subnets->empty());
    for (const auto& id : *subnets) check_subnet_id(id);
  }

  error.clear();
  const auto vnet = parse_vnet(text, error);
  check_answer(vnet, error);
  if (vnet) {
    FUZZ_CHECK(!vnet->address_space.empty());
    for (const auto& range : vnet->address_space) FUZZ_CHECK(Cidr::parse(range.to_string()) == range);
    for (const auto& peered : vnet->peered) FUZZ_CHECK(Cidr::parse(peered.range.to_string()) == peered.range);
  }

  if (size < 512) check_subnet_id(text);
  return 0;
}
