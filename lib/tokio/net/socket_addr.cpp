// Parsing and printing of the std::net address types (include/tokio/net/socket_addr.hpp).
//
// The parser mirrors the structure of Rust's `std::net::parser`: a cursor over the text
// with `atomically` (restore the position when a sub-parser fails), so "::" handling and
// the optional IPv4 tail of an IPv6 address need no lookahead tricks.
#include <tokio/net/socket_addr.hpp>

#include <cstdio>
#include <optional>

namespace tokio::net {
namespace {

class Parser {
 public:
  explicit Parser(std::string_view text) noexcept : text_(text) {}

  bool at_end() const noexcept { return pos_ == text_.size(); }

  /// Runs `f`; on failure (an empty optional) the cursor is put back.
  template <class F>
  auto atomically(F&& f) -> decltype(f()) {
    const std::size_t saved = pos_;
    auto result = f();
    if (!result) pos_ = saved;
    return result;
  }

  bool read_char(char c) noexcept {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  /// An unsigned number in `radix` (10 or 16) of at most `max_digits` digits (0: no
  /// limit) that fits in `max_value`; a leading zero is accepted only if
  /// `allow_zero_prefix` or the number is "0" itself.
  std::optional<std::uint32_t> read_number(unsigned radix, std::size_t max_digits, std::uint32_t max_value,
                                           bool allow_zero_prefix) {
    return atomically([&]() -> std::optional<std::uint32_t> {
      std::uint64_t value = 0;
      std::size_t digits = 0;
      const std::size_t start = pos_;
      while (pos_ < text_.size()) {
        const int d = digit(text_[pos_], radix);
        if (d < 0) break;
        if (max_digits != 0 && digits == max_digits) return std::nullopt;
        value = value * radix + static_cast<unsigned>(d);
        if (value > max_value) return std::nullopt;
        ++digits;
        ++pos_;
      }
      if (digits == 0) return std::nullopt;
      if (!allow_zero_prefix && digits > 1 && text_[start] == '0') return std::nullopt;
      return static_cast<std::uint32_t>(value);
    });
  }

  std::optional<Ipv4Addr> read_ipv4() {
    return atomically([&]() -> std::optional<Ipv4Addr> {
      std::array<std::uint8_t, 4> octets{};
      for (std::size_t i = 0; i < 4; ++i) {
        if (i > 0 && !read_char('.')) return std::nullopt;
        auto n = read_number(10, 3, 255, false);
        if (!n) return std::nullopt;
        octets[i] = static_cast<std::uint8_t>(*n);
      }
      return Ipv4Addr(octets);
    });
  }

  std::optional<Ipv6Addr> read_ipv6() {
    return atomically([&]() -> std::optional<Ipv6Addr> {
      std::array<std::uint16_t, 8> head{};
      const std::size_t head_size = read_groups(head.data(), 8);
      if (head_size == 8) return Ipv6Addr(head);
      // Fewer than eight groups: a "::" must stand for the missing ones (at least one).
      if (!read_char(':') || !read_char(':')) return std::nullopt;
      std::array<std::uint16_t, 8> tail{};
      const std::size_t limit = 8 - (head_size + 1);
      const std::size_t tail_size = read_groups(tail.data(), limit);
      for (std::size_t i = 0; i < tail_size; ++i) head[8 - tail_size + i] = tail[i];
      return Ipv6Addr(head);
    });
  }

  std::optional<std::uint16_t> read_port() {
    return atomically([&]() -> std::optional<std::uint16_t> {
      if (!read_char(':')) return std::nullopt;
      auto n = read_number(10, 0, 0xffff, true);
      if (!n) return std::nullopt;
      return static_cast<std::uint16_t>(*n);
    });
  }

  std::optional<SocketAddrV4> read_socket_v4() {
    return atomically([&]() -> std::optional<SocketAddrV4> {
      auto ip = read_ipv4();
      if (!ip) return std::nullopt;
      auto port = read_port();
      if (!port) return std::nullopt;
      return SocketAddrV4(*ip, *port);
    });
  }

  std::optional<SocketAddrV6> read_socket_v6() {
    return atomically([&]() -> std::optional<SocketAddrV6> {
      if (!read_char('[')) return std::nullopt;
      auto ip = read_ipv6();
      if (!ip) return std::nullopt;
      std::uint32_t scope_id = 0;
      if (read_char('%')) {
        auto scope = read_number(10, 0, 0xffffffffu, true);
        if (!scope) return std::nullopt;
        scope_id = *scope;
      }
      if (!read_char(']')) return std::nullopt;
      auto port = read_port();
      if (!port) return std::nullopt;
      return SocketAddrV6(*ip, *port, 0, scope_id);
    });
  }

 private:
  static int digit(char c, unsigned radix) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (radix == 16) {
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    }
    return -1;
  }

  /// Up to `limit` ':'-separated groups into `groups`; the last two may be an IPv4
  /// address. Returns how many groups were read (the cursor stops after the last one).
  std::size_t read_groups(std::uint16_t* groups, std::size_t limit) {
    for (std::size_t i = 0; i < limit; ++i) {
      const std::size_t before = pos_;
      if (i > 0 && !read_char(':')) return i;
      if (i + 1 < limit) {
        if (auto v4 = read_ipv4()) {
          const auto o = v4->octets();
          groups[i] = static_cast<std::uint16_t>((o[0] << 8) | o[1]);
          groups[i + 1] = static_cast<std::uint16_t>((o[2] << 8) | o[3]);
          return i + 2;
        }
      }
      auto group = read_number(16, 4, 0xffff, true);
      if (!group) {
        pos_ = before;  // leave the ':' for the caller's "::"
        return i;
      }
      groups[i] = static_cast<std::uint16_t>(*group);
    }
    return limit;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

/// Runs `read` over the whole text; anything left over is an error of `kind`.
template <class T, class Read>
futures::Result<T, AddrParseError> parse_all(std::string_view text, AddrParseError::Kind kind, Read read) {
  Parser p(text);
  std::optional<T> value = read(p);
  if (value && p.at_end()) return futures::Ok(*value);
  return futures::Err(AddrParseError(kind));
}

}  // namespace

std::string_view AddrParseError::description() const noexcept {
  switch (kind_) {
    case Kind::Ip: return "invalid IP address syntax";
    case Kind::Ipv4: return "invalid IPv4 address syntax";
    case Kind::Ipv6: return "invalid IPv6 address syntax";
    case Kind::Socket: return "invalid socket address syntax";
    case Kind::SocketV4: return "invalid IPv4 socket address syntax";
    case Kind::SocketV6: return "invalid IPv6 socket address syntax";
  }
  return "invalid address syntax";
}

futures::Result<Ipv4Addr, AddrParseError> Ipv4Addr::parse(std::string_view text) {
  return parse_all<Ipv4Addr>(text, AddrParseError::Kind::Ipv4, [](Parser& p) { return p.read_ipv4(); });
}

futures::Result<Ipv6Addr, AddrParseError> Ipv6Addr::parse(std::string_view text) {
  return parse_all<Ipv6Addr>(text, AddrParseError::Kind::Ipv6, [](Parser& p) { return p.read_ipv6(); });
}

futures::Result<IpAddr, AddrParseError> IpAddr::parse(std::string_view text) {
  return parse_all<IpAddr>(text, AddrParseError::Kind::Ip, [](Parser& p) -> std::optional<IpAddr> {
    if (auto v4 = p.read_ipv4()) return IpAddr(*v4);
    if (auto v6 = p.read_ipv6()) return IpAddr(*v6);
    return std::nullopt;
  });
}

futures::Result<SocketAddrV4, AddrParseError> SocketAddrV4::parse(std::string_view text) {
  return parse_all<SocketAddrV4>(text, AddrParseError::Kind::SocketV4,
                                 [](Parser& p) { return p.read_socket_v4(); });
}

futures::Result<SocketAddrV6, AddrParseError> SocketAddrV6::parse(std::string_view text) {
  return parse_all<SocketAddrV6>(text, AddrParseError::Kind::SocketV6,
                                 [](Parser& p) { return p.read_socket_v6(); });
}

futures::Result<SocketAddr, AddrParseError> SocketAddr::parse(std::string_view text) {
  return parse_all<SocketAddr>(text, AddrParseError::Kind::Socket, [](Parser& p) -> std::optional<SocketAddr> {
    if (auto v4 = p.read_socket_v4()) return SocketAddr(*v4);
    if (auto v6 = p.read_socket_v6()) return SocketAddr(*v6);
    return std::nullopt;
  });
}

Ipv6Addr Ipv4Addr::to_ipv6_compatible() const noexcept {
  return Ipv6Addr(std::array<std::uint8_t, 16>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, octets_[0], octets_[1],
                                               octets_[2], octets_[3]});
}

Ipv6Addr Ipv4Addr::to_ipv6_mapped() const noexcept {
  return Ipv6Addr(std::array<std::uint8_t, 16>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, octets_[0],
                                               octets_[1], octets_[2], octets_[3]});
}

std::optional<Ipv4Addr> Ipv6Addr::to_ipv4() const noexcept {
  if (auto mapped = to_ipv4_mapped()) return mapped;
  const auto s = segments();
  for (std::size_t i = 0; i < 6; ++i) {
    if (s[i] != 0) return std::nullopt;
  }
  return Ipv4Addr(octets_[12], octets_[13], octets_[14], octets_[15]);
}

std::optional<Ipv4Addr> Ipv6Addr::to_ipv4_mapped() const noexcept {
  const auto s = segments();
  for (std::size_t i = 0; i < 5; ++i) {
    if (s[i] != 0) return std::nullopt;
  }
  if (s[5] != 0xffff) return std::nullopt;
  return Ipv4Addr(octets_[12], octets_[13], octets_[14], octets_[15]);
}

std::string Ipv4Addr::to_string() const {
  char buf[16];
  const int n = std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", octets_[0], octets_[1], octets_[2], octets_[3]);
  return std::string(buf, static_cast<std::size_t>(n));
}

// Rust's Display: "::ffff:a.b.c.d" for v4-mapped addresses, else the longest run (the
// first of equal ones) of two or more zero groups becomes "::" (RFC 5952).
std::string Ipv6Addr::to_string() const {
  if (auto v4 = to_ipv4_mapped()) return "::ffff:" + v4->to_string();
  const auto s = segments();
  std::size_t best_start = 0, best_len = 0;
  for (std::size_t i = 0; i < 8;) {
    if (s[i] != 0) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < 8 && s[j] == 0) ++j;
    if (j - i > best_len) {
      best_start = i;
      best_len = j - i;
    }
    i = j;
  }
  std::string out;
  out.reserve(39);
  char buf[8];
  auto append_groups = [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
      if (i > from) out.push_back(':');
      const int n = std::snprintf(buf, sizeof buf, "%x", static_cast<unsigned>(s[i]));
      out.append(buf, static_cast<std::size_t>(n));
    }
  };
  if (best_len > 1) {
    append_groups(0, best_start);
    out += "::";
    append_groups(best_start + best_len, 8);
  } else {
    append_groups(0, 8);
  }
  return out;
}

std::string IpAddr::to_string() const {
  if (const auto* v4 = as_v4()) return v4->to_string();
  return as_v6()->to_string();
}

std::strong_ordering operator<=>(const IpAddr& a, const IpAddr& b) { return a.v_ <=> b.v_; }

std::string SocketAddrV4::to_string() const { return ip_.to_string() + ':' + std::to_string(port_); }

std::string SocketAddrV6::to_string() const {
  // Appends rather than `"[" + ...`: GCC 12 -O3 reports a false -Wrestrict for that.
  std::string out(1, '[');
  out.append(ip_.to_string());
  if (scope_id_ != 0) out.append(1, '%').append(std::to_string(scope_id_));
  out.append("]:").append(std::to_string(port_));
  return out;
}

std::string SocketAddr::to_string() const {
  if (const auto* v4 = as_v4()) return v4->to_string();
  return as_v6()->to_string();
}

std::strong_ordering operator<=>(const SocketAddr& a, const SocketAddr& b) { return a.v_ <=> b.v_; }

}  // namespace tokio::net
