// tokio layer, vocabulary: Rust's `std::net::{SocketAddr, SocketAddrV4, SocketAddrV6}`
// (tokio 0.1 re-exports std's), plus the IP types of ip_addr.hpp.
//
// Plain values, ordered as Rust's derived `Ord` orders them (every V4 before every V6;
// within one family by address, then port, then for V6 flowinfo and scope id), hashable
// and printed as Rust prints them: "127.0.0.1:8080", "[::1]:8080", "[fe80::1%2]:8080".
// `SocketAddr::parse` accepts numeric addresses only, as Rust's `FromStr` does (no name
// resolution). The conversion to and from `sockaddr` lives in lib/ (sockaddr.hpp) so
// this header stays free of OS headers.
#pragma once

#include <tokio/net/ip_addr.hpp>

#include <compare>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>

namespace tokio::net {

/// Rust's `std::net::SocketAddrV4`.
class SocketAddrV4 {
 public:
  constexpr SocketAddrV4() noexcept = default;
  constexpr SocketAddrV4(Ipv4Addr ip, std::uint16_t port) noexcept : ip_(ip), port_(port) {}

  static futures::Result<SocketAddrV4, AddrParseError> parse(std::string_view text);

  constexpr const Ipv4Addr& ip() const noexcept { return ip_; }
  constexpr void set_ip(Ipv4Addr ip) noexcept { ip_ = ip; }
  constexpr std::uint16_t port() const noexcept { return port_; }
  constexpr void set_port(std::uint16_t port) noexcept { port_ = port; }

  std::string to_string() const;

  friend constexpr bool operator==(const SocketAddrV4&, const SocketAddrV4&) = default;
  friend constexpr auto operator<=>(const SocketAddrV4&, const SocketAddrV4&) = default;
  friend std::ostream& operator<<(std::ostream& os, const SocketAddrV4& a) { return os << a.to_string(); }

 private:
  Ipv4Addr ip_;
  std::uint16_t port_ = 0;
};

/// Rust's `std::net::SocketAddrV6`: address, port, flow label and scope id (the
/// interface index of a link-local address, printed after '%').
class SocketAddrV6 {
 public:
  constexpr SocketAddrV6() noexcept = default;
  constexpr SocketAddrV6(Ipv6Addr ip, std::uint16_t port, std::uint32_t flowinfo = 0,
                         std::uint32_t scope_id = 0) noexcept
      : ip_(ip), port_(port), flowinfo_(flowinfo), scope_id_(scope_id) {}

  static futures::Result<SocketAddrV6, AddrParseError> parse(std::string_view text);

  constexpr const Ipv6Addr& ip() const noexcept { return ip_; }
  constexpr void set_ip(Ipv6Addr ip) noexcept { ip_ = ip; }
  constexpr std::uint16_t port() const noexcept { return port_; }
  constexpr void set_port(std::uint16_t port) noexcept { port_ = port; }
  constexpr std::uint32_t flowinfo() const noexcept { return flowinfo_; }
  constexpr void set_flowinfo(std::uint32_t flowinfo) noexcept { flowinfo_ = flowinfo; }
  constexpr std::uint32_t scope_id() const noexcept { return scope_id_; }
  constexpr void set_scope_id(std::uint32_t scope_id) noexcept { scope_id_ = scope_id; }

  std::string to_string() const;

  friend constexpr bool operator==(const SocketAddrV6&, const SocketAddrV6&) = default;
  friend constexpr auto operator<=>(const SocketAddrV6&, const SocketAddrV6&) = default;
  friend std::ostream& operator<<(std::ostream& os, const SocketAddrV6& a) { return os << a.to_string(); }

 private:
  Ipv6Addr ip_;
  std::uint16_t port_ = 0;
  std::uint32_t flowinfo_ = 0;
  std::uint32_t scope_id_ = 0;
};

/// Rust's `std::net::SocketAddr`: a V4 or a V6 socket address. Rust matches on
/// `V4(a)` / `V6(a)`; here `as_v4()` / `as_v6()` return a pointer to the alternative or null.
class SocketAddr {
 public:
  /// 0.0.0.0:0 (C++ containers want a default; Rust has none).
  constexpr SocketAddr() noexcept = default;
  constexpr SocketAddr(SocketAddrV4 v4) noexcept : v_(v4) {}  // NOLINT: implicit, as Rust's From
  constexpr SocketAddr(SocketAddrV6 v6) noexcept : v_(v6) {}  // NOLINT: implicit, as Rust's From
  /// Rust's `SocketAddr::new(ip, port)`.
  SocketAddr(IpAddr ip, std::uint16_t port) noexcept {
    if (const auto* v4 = ip.as_v4()) {
      v_ = SocketAddrV4(*v4, port);
    } else {
      v_ = SocketAddrV6(*ip.as_v6(), port);
    }
  }
  constexpr SocketAddr(Ipv4Addr ip, std::uint16_t port) noexcept : v_(SocketAddrV4(ip, port)) {}
  constexpr SocketAddr(Ipv6Addr ip, std::uint16_t port) noexcept : v_(SocketAddrV6(ip, port)) {}

  /// Rust's `"127.0.0.1:8080".parse::<SocketAddr>()`: "a.b.c.d:port" or "[v6%scope]:port".
  static futures::Result<SocketAddr, AddrParseError> parse(std::string_view text);

  constexpr bool is_ipv4() const noexcept { return v_.index() == 0; }
  constexpr bool is_ipv6() const noexcept { return v_.index() == 1; }
  const SocketAddrV4* as_v4() const noexcept { return std::get_if<SocketAddrV4>(&v_); }
  const SocketAddrV6* as_v6() const noexcept { return std::get_if<SocketAddrV6>(&v_); }

  IpAddr ip() const noexcept {
    if (const auto* v4 = as_v4()) return v4->ip();
    return as_v6()->ip();
  }
  /// Rust's `set_ip`: changes the family if `ip` is of the other one (port kept).
  void set_ip(IpAddr ip) noexcept { *this = SocketAddr(ip, port()); }
  std::uint16_t port() const noexcept {
    if (const auto* v4 = as_v4()) return v4->port();
    return as_v6()->port();
  }
  void set_port(std::uint16_t port) noexcept {
    if (auto* v4 = std::get_if<SocketAddrV4>(&v_)) {
      v4->set_port(port);
    } else {
      std::get_if<SocketAddrV6>(&v_)->set_port(port);
    }
  }

  std::string to_string() const;

  friend bool operator==(const SocketAddr&, const SocketAddr&) = default;
  // Out of line, as to_string: the variant's comparison is costly to instantiate in
  // every includer.
  friend std::strong_ordering operator<=>(const SocketAddr& a, const SocketAddr& b);
  friend std::ostream& operator<<(std::ostream& os, const SocketAddr& a) { return os << a.to_string(); }

 private:
  std::variant<SocketAddrV4, SocketAddrV6> v_;
};

}  // namespace tokio::net

template <>
struct std::hash<tokio::net::SocketAddrV4> {
  std::size_t operator()(const tokio::net::SocketAddrV4& a) const noexcept {
    return tokio::net::detail::hash_mix(std::hash<tokio::net::Ipv4Addr>{}(a.ip()), a.port());
  }
};
template <>
struct std::hash<tokio::net::SocketAddrV6> {
  std::size_t operator()(const tokio::net::SocketAddrV6& a) const noexcept {
    std::size_t h = tokio::net::detail::hash_mix(std::hash<tokio::net::Ipv6Addr>{}(a.ip()), a.port());
    h = tokio::net::detail::hash_mix(h, a.flowinfo());
    return tokio::net::detail::hash_mix(h, a.scope_id());
  }
};
template <>
struct std::hash<tokio::net::SocketAddr> {
  std::size_t operator()(const tokio::net::SocketAddr& a) const noexcept {
    if (const auto* v4 = a.as_v4()) return std::hash<tokio::net::SocketAddrV4>{}(*v4);
    return tokio::net::detail::hash_mix(1, std::hash<tokio::net::SocketAddrV6>{}(*a.as_v6()));
  }
};
