// tokio::mio layer, private: the poll(2) backend (edge triggering emulated, self-pipe
// waker). docs/mio.md, "The poll(2) backend".
#pragma once

#include "tokio/mio/selector.hpp"

namespace tokio::mio::sys {

/// Opens a poll(2) selector; nullptr with `ec` set on failure.
std::unique_ptr<Selector> open_poll_selector(std::error_code& ec);

}  // namespace tokio::mio::sys
