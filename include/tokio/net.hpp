// tokio::net layer: everything in Rust's `tokio::net` (`#include <tokio/net.hpp>`):
// SocketAddr and the TCP types; UDP and Unix-domain sockets join here.
#pragma once

#include <tokio/net/socket_addr.hpp>
#include <tokio/net/tcp.hpp>
#include <tokio/net/udp.hpp>
#include <tokio/net/unix.hpp>
