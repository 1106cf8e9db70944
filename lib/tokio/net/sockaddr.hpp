// Private to lib/: SocketAddr <-> `sockaddr` conversions (`to_sockaddr`, `from_sockaddr`)
// for the tokio layer. The definitions live with the mio raw sockets, which need them
// too and may not include this directory (tools/check_layers.py).
#pragma once

#include "tokio/mio/net/sockaddr.hpp"
