// tokio::net layer: the address of a Unix-domain socket (Rust's
// `std::os::unix::net::SocketAddr`, which tokio-uds returns): a path, or unnamed (an
// unbound socket or one end of a pair). The type itself is the raw layer's.
#pragma once

#include <tokio/mio/unix/socket_addr.hpp>

namespace tokio::net::unix {

/// `is_unnamed()`, `as_pathname()` (nullopt when unnamed or abstract, as Rust's None).
using SocketAddr = tokio::mio::unix::SocketAddr;

}  // namespace tokio::net::unix
