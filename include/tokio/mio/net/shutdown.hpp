// tokio::mio layer: Rust's `std::net::Shutdown`, shared by TCP and Unix stream sockets.
#pragma once

#include <cstdint>

namespace tokio::mio::net {

/// Which halves of a connection `shutdown` closes.
enum class Shutdown : std::uint8_t { Read, Write, Both };

}  // namespace tokio::mio::net
