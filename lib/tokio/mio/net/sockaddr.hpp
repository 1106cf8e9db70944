// Private to lib/: conversions between tokio::net::SocketAddr and the OS `sockaddr`
// structures. Lives in the mio layer because the raw sockets need it and tokio::mio may
// include nothing above itself (tools/check_layers.py); lib/tokio/net/sockaddr.hpp
// re-exports it for the tokio layer.
#pragma once

#include <tokio/io/error.hpp>
#include <tokio/mio/unix/socket_addr.hpp>
#include <tokio/net/socket_addr.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string_view>

namespace tokio::net {

/// Fills `storage` with `addr`; returns the length to pass to bind/connect/sendto.
inline socklen_t to_sockaddr(const SocketAddr& addr, sockaddr_storage& storage) noexcept {
  std::memset(&storage, 0, sizeof storage);
  if (const auto* v4 = addr.as_v4()) {
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(v4->port());
    sin.sin_addr.s_addr = htonl(v4->ip().to_bits());
    std::memcpy(&storage, &sin, sizeof sin);
    return sizeof sin;
  }
  const auto* v6 = addr.as_v6();
  sockaddr_in6 sin6{};
  sin6.sin6_family = AF_INET6;
  sin6.sin6_port = htons(v6->port());
  sin6.sin6_flowinfo = htonl(v6->flowinfo());
  sin6.sin6_scope_id = v6->scope_id();
  const auto octets = v6->ip().octets();
  std::memcpy(sin6.sin6_addr.s6_addr, octets.data(), octets.size());
  std::memcpy(&storage, &sin6, sizeof sin6);
  return sizeof sin6;
}

/// The SocketAddr of an AF_INET / AF_INET6 `sockaddr` of `len` bytes. Any other family
/// (or a short length) gives 0.0.0.0:0; callers check the family when it can be other.
inline SocketAddr from_sockaddr(const sockaddr* sa, socklen_t len) noexcept {
  if (sa->sa_family == AF_INET && len >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    sockaddr_in sin;
    std::memcpy(&sin, sa, sizeof sin);
    return SocketAddrV4(Ipv4Addr::from_bits(ntohl(sin.sin_addr.s_addr)), ntohs(sin.sin_port));
  }
  if (sa->sa_family == AF_INET6 && len >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    sockaddr_in6 sin6;
    std::memcpy(&sin6, sa, sizeof sin6);
    std::array<std::uint8_t, 16> octets{};
    std::memcpy(octets.data(), sin6.sin6_addr.s6_addr, octets.size());
    return SocketAddrV6(Ipv6Addr(octets), ntohs(sin6.sin6_port), ntohl(sin6.sin6_flowinfo), sin6.sin6_scope_id);
  }
  return SocketAddr();
}

inline SocketAddr from_sockaddr(const sockaddr_storage& storage, socklen_t len) noexcept {
  return from_sockaddr(reinterpret_cast<const sockaddr*>(&storage), len);
}

}  // namespace tokio::net

namespace tokio::mio::unix {

/// Fills `out` with a Unix-domain address; InvalidInput if the path does not fit in
/// sun_path (or is unnamed: there is nothing to bind or connect to).
inline io::Result<socklen_t> to_sockaddr_un(const SocketAddr& addr, sockaddr_un& out) {
  std::memset(&out, 0, sizeof out);
  out.sun_family = AF_UNIX;
  const std::size_t base = offsetof(sockaddr_un, sun_path);
  if (auto path = addr.as_pathname()) {
    const std::string& s = path->native();
    // Room for the terminating NUL, as the kernel expects for pathnames.
    if (s.empty() || s.size() >= sizeof out.sun_path || s.find('\0') != std::string::npos) {
      return futures::Err(io::Error(io::ErrorKind::InvalidInput, "path must be shorter than SUN_LEN"));
    }
    std::memcpy(out.sun_path, s.data(), s.size());
    return futures::Ok(static_cast<socklen_t>(base + s.size() + 1));
  }
  if (auto name = addr.as_abstract_name()) {
    if (name->size() + 1 > sizeof out.sun_path) {
      return futures::Err(io::Error(io::ErrorKind::InvalidInput, "abstract name must be shorter than SUN_LEN"));
    }
    std::memcpy(out.sun_path + 1, name->data(), name->size());  // sun_path[0] stays NUL
    return futures::Ok(static_cast<socklen_t>(base + 1 + name->size()));
  }
  return futures::Err(io::Error(io::ErrorKind::InvalidInput, "unnamed Unix socket address"));
}

/// The SocketAddr of a `sockaddr_un` of `len` bytes as filled by the kernel.
inline SocketAddr from_sockaddr_un(const sockaddr_un& sun, socklen_t len) {
  const std::size_t base = offsetof(sockaddr_un, sun_path);
  if (static_cast<std::size_t>(len) <= base || sun.sun_family != AF_UNIX) return SocketAddr();
  const std::size_t n = std::min(static_cast<std::size_t>(len) - base, sizeof sun.sun_path);
  if (sun.sun_path[0] == '\0') return SocketAddr::from_abstract_name(std::string(sun.sun_path + 1, n - 1));
  // Pathnames may or may not include their NUL in `len`.
  std::string_view path(sun.sun_path, n);
  if (auto nul = path.find('\0'); nul != std::string_view::npos) path = path.substr(0, nul);
  return SocketAddr::from_pathname(std::string(path));
}

}  // namespace tokio::mio::unix
