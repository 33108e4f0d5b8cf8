// A loopback port that silently drops connection attempts, like a port an NSG or firewall black-holes.
#pragma once

#include <cstdint>
#include <string>

namespace vnetdiag::testing {

/// An nft rule, in a table of its own, dropping this machine's outgoing TCP SYNs to ip:port on loopback:
/// connect() then times out exactly as through a dropping firewall. With `also_udp`, UDP datagrams to
/// ip:port vanish too (a DNS server that is down). Removed on destruction. Needs root and nft.
class LoopbackDrop {
 public:
  LoopbackDrop(std::string ip, std::uint16_t port, bool also_udp = false);
  ~LoopbackDrop();
  LoopbackDrop(const LoopbackDrop&) = delete;
  LoopbackDrop& operator=(const LoopbackDrop&) = delete;

 private:
  std::string table_;
};

}  // namespace vnetdiag::testing
