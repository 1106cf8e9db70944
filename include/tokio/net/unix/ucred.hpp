// tokio::net layer: UCred, the credentials of a Unix stream's peer. Mirrors tokio-uds
// 0.2 `src/ucred.rs` (Linux: SO_PEERCRED, read by the raw tokio::mio::unix::UnixStream).
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>

namespace tokio::net::unix {

/// Rust's `tokio_uds::UCred`: the peer process's effective user and group ids at the
/// time it connected (or called socketpair). uid_t / gid_t are 32-bit on Linux.
struct UCred {
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;

  friend bool operator==(const UCred&, const UCred&) = default;
  friend std::ostream& operator<<(std::ostream& os, const UCred& c) {
    return os << "UCred { uid: " << c.uid << ", gid: " << c.gid << " }";
  }
};

}  // namespace tokio::net::unix

template <>
struct std::hash<tokio::net::unix::UCred> {
  std::size_t operator()(const tokio::net::unix::UCred& c) const noexcept {
    return std::hash<std::uint64_t>{}((std::uint64_t{c.uid} << 32) | c.gid);
  }
};
