// tokio layer: `fmt::format("{}", x)` for the library's printable types (PORTING.md:
// SocketAddr, io::Error, ...), through their operator<<. The one public tokio header that
// may include fmt (tools/check_layers.py); without fmt installed it adds nothing.
#pragma once

#include <tokio/io/error.hpp>
#include <tokio/net/socket_addr.hpp>

#if __has_include(<fmt/ostream.h>)
#include <fmt/ostream.h>

template <>
struct fmt::formatter<tokio::io::Error> : fmt::ostream_formatter {};
template <>
struct fmt::formatter<tokio::io::ErrorKind> : fmt::ostream_formatter {};
template <>
struct fmt::formatter<tokio::net::AddrParseError> : fmt::ostream_formatter {};
template <>
struct fmt::formatter<tokio::net::Ipv4Addr> : fmt::ostream_formatter {};
template <>
struct fmt::formatter<tokio::net::Ipv6Addr> : fmt::ostream_formatter {};
template <>
struct fmt::formatter<tokio::net::IpAddr> : fmt::ostream_formatter {};
template <>
struct fmt::formatter<tokio::net::SocketAddrV4> : fmt::ostream_formatter {};
template <>
struct fmt::formatter<tokio::net::SocketAddrV6> : fmt::ostream_formatter {};
template <>
struct fmt::formatter<tokio::net::SocketAddr> : fmt::ostream_formatter {};
#endif
