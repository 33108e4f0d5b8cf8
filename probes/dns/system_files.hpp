// The machine's own name configuration: resolv.conf and the hosts file, parsed as pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probes/evidence.hpp"
#include "probes/net/address.hpp"

namespace vnetdiag::dns {

/// What resolv.conf says. Lines are kept as facts; nothing here decides what they mean.
struct ResolvConf {
  std::vector<Endpoint> nameservers;  ///< in file order, port 53
  std::vector<std::string> search;    ///< `search` or `domain`, the last one wins as in glibc
  std::vector<std::string> options;   ///< "ndots:5", "timeout:2", "rotate", "edns0", ...
  std::vector<std::string> warnings;  ///< lines that could not be read, e.g. "line 4: nameserver 'x' is not an IP"
  /// True when the only nameserver is systemd-resolved's stub (127.0.0.53) or its local listener (127.0.0.54).
  bool systemd_stub() const;
};

/// Parses resolv.conf text as glibc reads it: `#`/`;` comments, first three nameservers only
/// (glibc's MAXNS) plus the rest flagged in `warnings`.
ResolvConf parse_resolv_conf(std::string_view text);

/// One hosts-file line's names and address.
struct HostsEntry {
  std::string address;
  std::vector<std::string> names;
};

/// Parses hosts-file text; malformed lines are skipped.
std::vector<HostsEntry> parse_hosts(std::string_view text);

/// The addresses `name` maps to in `entries` (case-insensitive), in file order; empty if none.
std::vector<std::string> lookup_hosts(const std::vector<HostsEntry>& entries, std::string_view name);

/// Reads a whole file, or nullopt if it cannot be opened.
std::optional<std::string> read_text_file(const std::string& path);

}  // namespace vnetdiag::dns
