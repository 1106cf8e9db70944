// tokio layer: `fmt::format("{}", x)` for the library's printable types (PORTING.md:
// SocketAddr, io::Error, ...), through their operator<<. The one public tokio header that
// may include fmt (tools/check_layers.py); without fmt installed it adds nothing.
#pragma once

#include <tokio/io/error.hpp>

#if __has_include(<fmt/ostream.h>)
#include <fmt/ostream.h>

template <>
struct fmt::formatter<tokio::io::Error> : fmt::ostream_formatter {};
template <>
struct fmt::formatter<tokio::io::ErrorKind> : fmt::ostream_formatter {};
#endif
