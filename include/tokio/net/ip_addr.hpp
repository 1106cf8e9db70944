// tokio layer, vocabulary: Rust's `std::net::{IpAddr, Ipv4Addr, Ipv6Addr, AddrParseError}`.
//
// Plain values: copyable, totally ordered (numerically; every IPv4 address orders before
// every IPv6 one, as Rust's derived `Ord` on the enum does), hashable, printable exactly
// as Rust prints them (IPv6 in RFC 5952 compressed form, "::ffff:a.b.c.d" for v4-mapped
// addresses). Parsing follows Rust's std parser: no leading zeros in IPv4 octets, at most
// four hex digits per IPv6 group, one "::", an embedded IPv4 tail allowed. Used by
// tokio::mio as Rust's mio uses std::net (tools/check_layers.py MIO_VOCABULARY), so this
// header includes nothing from futures/ but result.hpp.
#pragma once

#include <futures/result.hpp>

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>

namespace tokio::net {

/// Rust's `std::net::AddrParseError`: what a `parse` rejected. Prints as Rust's Display
/// ("invalid IP address syntax", "invalid socket address syntax", ...).
class AddrParseError {
 public:
  /// Which parser failed (Rust's private `AddrKind`).
  enum class Kind : std::uint8_t { Ip, Ipv4, Ipv6, Socket, SocketV4, SocketV6 };

  explicit AddrParseError(Kind kind) noexcept : kind_(kind) {}
  Kind kind() const noexcept { return kind_; }
  std::string_view description() const noexcept;

  friend bool operator==(const AddrParseError&, const AddrParseError&) = default;
  friend std::ostream& operator<<(std::ostream& os, const AddrParseError& e) { return os << e.description(); }

 private:
  Kind kind_;
};

class Ipv6Addr;

/// Rust's `std::net::Ipv4Addr`.
class Ipv4Addr {
 public:
  /// 0.0.0.0.
  constexpr Ipv4Addr() noexcept = default;
  constexpr Ipv4Addr(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) noexcept
      : octets_{a, b, c, d} {}
  constexpr explicit Ipv4Addr(std::array<std::uint8_t, 4> octets) noexcept : octets_(octets) {}
  /// Rust's `From<u32>`: the address in host order (0x7f000001 is 127.0.0.1).
  static constexpr Ipv4Addr from_bits(std::uint32_t bits) noexcept {
    return Ipv4Addr(static_cast<std::uint8_t>(bits >> 24), static_cast<std::uint8_t>(bits >> 16),
                    static_cast<std::uint8_t>(bits >> 8), static_cast<std::uint8_t>(bits));
  }

  /// Rust's associated constants LOCALHOST, UNSPECIFIED, BROADCAST.
  static constexpr Ipv4Addr localhost() noexcept { return {127, 0, 0, 1}; }
  static constexpr Ipv4Addr unspecified() noexcept { return {}; }
  static constexpr Ipv4Addr broadcast() noexcept { return {255, 255, 255, 255}; }

  static futures::Result<Ipv4Addr, AddrParseError> parse(std::string_view text);

  constexpr std::array<std::uint8_t, 4> octets() const noexcept { return octets_; }
  constexpr std::uint32_t to_bits() const noexcept {
    return (std::uint32_t{octets_[0]} << 24) | (std::uint32_t{octets_[1]} << 16) |
           (std::uint32_t{octets_[2]} << 8) | std::uint32_t{octets_[3]};
  }

  constexpr bool is_unspecified() const noexcept { return to_bits() == 0; }
  constexpr bool is_loopback() const noexcept { return octets_[0] == 127; }
  constexpr bool is_private() const noexcept {
    return octets_[0] == 10 || (octets_[0] == 172 && (octets_[1] & 0xf0) == 16) ||
           (octets_[0] == 192 && octets_[1] == 168);
  }
  constexpr bool is_link_local() const noexcept { return octets_[0] == 169 && octets_[1] == 254; }
  constexpr bool is_multicast() const noexcept { return octets_[0] >= 224 && octets_[0] <= 239; }
  constexpr bool is_broadcast() const noexcept { return to_bits() == 0xffffffffu; }
  constexpr bool is_documentation() const noexcept {
    return (octets_[0] == 192 && octets_[1] == 0 && octets_[2] == 2) ||
           (octets_[0] == 198 && octets_[1] == 51 && octets_[2] == 100) ||
           (octets_[0] == 203 && octets_[1] == 0 && octets_[2] == 113);
  }

  /// ::a.b.c.d (deprecated in IPv6, kept by Rust).
  Ipv6Addr to_ipv6_compatible() const noexcept;
  /// ::ffff:a.b.c.d.
  Ipv6Addr to_ipv6_mapped() const noexcept;

  std::string to_string() const;

  friend constexpr bool operator==(const Ipv4Addr&, const Ipv4Addr&) = default;
  friend constexpr auto operator<=>(const Ipv4Addr&, const Ipv4Addr&) = default;
  friend std::ostream& operator<<(std::ostream& os, const Ipv4Addr& a) { return os << a.to_string(); }

 private:
  std::array<std::uint8_t, 4> octets_{};
};

/// Rust's `std::net::Ipv6Addr`.
class Ipv6Addr {
 public:
  /// ::
  constexpr Ipv6Addr() noexcept = default;
  /// From eight 16-bit segments, most significant first.
  constexpr Ipv6Addr(std::uint16_t a, std::uint16_t b, std::uint16_t c, std::uint16_t d, std::uint16_t e,
                     std::uint16_t f, std::uint16_t g, std::uint16_t h) noexcept
      : Ipv6Addr(std::array<std::uint16_t, 8>{a, b, c, d, e, f, g, h}) {}
  constexpr explicit Ipv6Addr(std::array<std::uint16_t, 8> segments) noexcept {
    for (std::size_t i = 0; i < 8; ++i) {
      octets_[2 * i] = static_cast<std::uint8_t>(segments[i] >> 8);
      octets_[2 * i + 1] = static_cast<std::uint8_t>(segments[i]);
    }
  }
  constexpr explicit Ipv6Addr(std::array<std::uint8_t, 16> octets) noexcept : octets_(octets) {}

  /// Rust's associated constants LOCALHOST (::1) and UNSPECIFIED (::).
  static constexpr Ipv6Addr localhost() noexcept { return {0, 0, 0, 0, 0, 0, 0, 1}; }
  static constexpr Ipv6Addr unspecified() noexcept { return {}; }

  static futures::Result<Ipv6Addr, AddrParseError> parse(std::string_view text);

  constexpr std::array<std::uint8_t, 16> octets() const noexcept { return octets_; }
  constexpr std::array<std::uint16_t, 8> segments() const noexcept {
    std::array<std::uint16_t, 8> s{};
    for (std::size_t i = 0; i < 8; ++i) {
      s[i] = static_cast<std::uint16_t>((octets_[2 * i] << 8) | octets_[2 * i + 1]);
    }
    return s;
  }

  constexpr bool is_unspecified() const noexcept { return *this == unspecified(); }
  constexpr bool is_loopback() const noexcept { return *this == localhost(); }
  constexpr bool is_multicast() const noexcept { return octets_[0] == 0xff; }

  /// Rust's `to_ipv4`: the address for ::a.b.c.d and ::ffff:a.b.c.d, else none.
  std::optional<Ipv4Addr> to_ipv4() const noexcept;
  /// Rust's `to_ipv4_mapped`: the address for ::ffff:a.b.c.d only.
  std::optional<Ipv4Addr> to_ipv4_mapped() const noexcept;

  std::string to_string() const;

  friend constexpr bool operator==(const Ipv6Addr&, const Ipv6Addr&) = default;
  friend constexpr auto operator<=>(const Ipv6Addr&, const Ipv6Addr&) = default;
  friend std::ostream& operator<<(std::ostream& os, const Ipv6Addr& a) { return os << a.to_string(); }

 private:
  std::array<std::uint8_t, 16> octets_{};
};

/// Rust's `std::net::IpAddr`: an IPv4 or an IPv6 address. Rust matches on `V4(a)` /
/// `V6(a)`; here `as_v4()` / `as_v6()` return a pointer to the alternative or null.
class IpAddr {
 public:
  /// 0.0.0.0 (C++ containers want a default; Rust has none).
  constexpr IpAddr() noexcept = default;
  constexpr IpAddr(Ipv4Addr v4) noexcept : v_(v4) {}  // NOLINT: implicit, as Rust's From
  constexpr IpAddr(Ipv6Addr v6) noexcept : v_(v6) {}  // NOLINT: implicit, as Rust's From

  static futures::Result<IpAddr, AddrParseError> parse(std::string_view text);

  constexpr bool is_ipv4() const noexcept { return v_.index() == 0; }
  constexpr bool is_ipv6() const noexcept { return v_.index() == 1; }
  const Ipv4Addr* as_v4() const noexcept { return std::get_if<Ipv4Addr>(&v_); }
  const Ipv6Addr* as_v6() const noexcept { return std::get_if<Ipv6Addr>(&v_); }

  bool is_unspecified() const noexcept {
    if (const auto* v4 = as_v4()) return v4->is_unspecified();
    return as_v6()->is_unspecified();
  }
  bool is_loopback() const noexcept {
    if (const auto* v4 = as_v4()) return v4->is_loopback();
    return as_v6()->is_loopback();
  }
  bool is_multicast() const noexcept {
    if (const auto* v4 = as_v4()) return v4->is_multicast();
    return as_v6()->is_multicast();
  }

  std::string to_string() const;

  friend bool operator==(const IpAddr&, const IpAddr&) = default;
  // Out of line, as to_string: the variant's comparison is costly to instantiate in
  // every includer.
  friend std::strong_ordering operator<=>(const IpAddr& a, const IpAddr& b);
  friend std::ostream& operator<<(std::ostream& os, const IpAddr& a) { return os << a.to_string(); }

 private:
  std::variant<Ipv4Addr, Ipv6Addr> v_;
};

namespace detail {
inline std::size_t hash_mix(std::size_t seed, std::size_t value) noexcept {
  return seed ^ (value + 0x9e3779b97f4a7c15ull + (seed << 6) + (seed >> 2));
}
}  // namespace detail

}  // namespace tokio::net

template <>
struct std::hash<tokio::net::Ipv4Addr> {
  std::size_t operator()(const tokio::net::Ipv4Addr& a) const noexcept { return std::hash<std::uint32_t>{}(a.to_bits()); }
};
template <>
struct std::hash<tokio::net::Ipv6Addr> {
  std::size_t operator()(const tokio::net::Ipv6Addr& a) const noexcept {
    std::size_t h = 0;
    for (std::uint8_t b : a.octets()) h = tokio::net::detail::hash_mix(h, b);
    return h;
  }
};
template <>
struct std::hash<tokio::net::IpAddr> {
  std::size_t operator()(const tokio::net::IpAddr& a) const noexcept {
    if (const auto* v4 = a.as_v4()) return std::hash<tokio::net::Ipv4Addr>{}(*v4);
    return tokio::net::detail::hash_mix(1, std::hash<tokio::net::Ipv6Addr>{}(*a.as_v6()));
  }
};
