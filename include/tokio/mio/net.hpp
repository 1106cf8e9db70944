// tokio::mio layer: the non-blocking raw sockets (mio 0.6's `mio::net`), TCP and UDP.
// The Unix-domain ones are in tokio/mio/unix/{stream,listener,datagram}.hpp.
#pragma once

#include <tokio/mio/net/tcp.hpp>
#include <tokio/mio/net/udp.hpp>
#include <tokio/mio/unix/datagram.hpp>
#include <tokio/mio/unix/listener.hpp>
#include <tokio/mio/unix/socket_addr.hpp>
#include <tokio/mio/unix/stream.hpp>
