// tokio layer: `fmt::format("{}", x)` for the library's printable types (PORTING.md:
// SocketAddr, io::Error, ...). The one public tokio header that may include fmt
// (tools/check_layers.py); without fmt installed it adds nothing.
//
// Each type formats as the text it displays as, through fmt's string formatter (so
// width, fill and alignment work). fmt's ostream adapter would do the same through
// operator<<, at a quarter second more compile time for every program including
// <tokio.hpp>; only fmt/core.h is included here (see format_text).
#pragma once

#include <tokio/io/error.hpp>
#include <tokio/net/ip_addr.hpp>
#include <tokio/net/socket_addr.hpp>

#if __has_include(<fmt/core.h>)
#include <fmt/core.h>

#include <string>
#include <string_view>
#include <type_traits>

namespace tokio::detail {
using StringFormatter = fmt::formatter<fmt::string_view>;
// `text` written as fmt's string formatter writes it with the specs it parsed. Out of
// line (lib/tokio/fmt.cpp, in the mio library when meson finds fmt): the writing code is
// in fmt/format.h, which costs every program including <tokio.hpp> ~35 MB of compiler
// memory (echo.cpp: 427 -> 390 MB).
fmt::format_context::iterator format_text(const StringFormatter& f, std::string_view text,
                                          fmt::format_context& ctx);
// The same for another context (FMT_COMPILE's): the padded text.
std::string format_text(const StringFormatter& f, std::string_view text);

// `display(value)` is the text; a std::string or a std::string_view.
template <class T, auto display>
struct DisplayFormatter : StringFormatter {
  template <class FormatContext>
  auto format(const T& value, FormatContext& ctx) const {
    const auto text = display(value);
    if constexpr (std::is_same_v<FormatContext, fmt::format_context>) {
      return format_text(*this, std::string_view(text), ctx);
    } else {
      auto out = ctx.out();
      for (const char c : format_text(*this, std::string_view(text))) *out++ = c;
      return out;
    }
  }
};
template <class T>
std::string to_text(const T& value) {
  return value.to_string();
}
inline std::string error_text(const io::Error& e) { return e.message(); }
inline std::string_view parse_error_text(const net::AddrParseError& e) { return e.description(); }
}  // namespace tokio::detail

template <>
struct fmt::formatter<tokio::io::Error>
    : tokio::detail::DisplayFormatter<tokio::io::Error, &tokio::detail::error_text> {};
template <>
struct fmt::formatter<tokio::io::ErrorKind>
    : tokio::detail::DisplayFormatter<tokio::io::ErrorKind, &tokio::io::kind_name> {};
template <>
struct fmt::formatter<tokio::net::AddrParseError>
    : tokio::detail::DisplayFormatter<tokio::net::AddrParseError, &tokio::detail::parse_error_text> {};
template <>
struct fmt::formatter<tokio::net::Ipv4Addr>
    : tokio::detail::DisplayFormatter<tokio::net::Ipv4Addr, &tokio::detail::to_text<tokio::net::Ipv4Addr>> {};
template <>
struct fmt::formatter<tokio::net::Ipv6Addr>
    : tokio::detail::DisplayFormatter<tokio::net::Ipv6Addr, &tokio::detail::to_text<tokio::net::Ipv6Addr>> {};
template <>
struct fmt::formatter<tokio::net::IpAddr>
    : tokio::detail::DisplayFormatter<tokio::net::IpAddr, &tokio::detail::to_text<tokio::net::IpAddr>> {};
template <>
struct fmt::formatter<tokio::net::SocketAddrV4>
    : tokio::detail::DisplayFormatter<tokio::net::SocketAddrV4, &tokio::detail::to_text<tokio::net::SocketAddrV4>> {};
template <>
struct fmt::formatter<tokio::net::SocketAddrV6>
    : tokio::detail::DisplayFormatter<tokio::net::SocketAddrV6, &tokio::detail::to_text<tokio::net::SocketAddrV6>> {};
template <>
struct fmt::formatter<tokio::net::SocketAddr>
    : tokio::detail::DisplayFormatter<tokio::net::SocketAddr, &tokio::detail::to_text<tokio::net::SocketAddr>> {};
#endif
