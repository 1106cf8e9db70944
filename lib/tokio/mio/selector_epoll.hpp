// tokio::mio layer, private: the epoll backend (edge-triggered natively, eventfd waker).
#pragma once

#include "tokio/mio/selector.hpp"

namespace tokio::mio::sys {

/// Opens an epoll selector; nullptr with `ec` set on failure.
std::unique_ptr<Selector> open_epoll_selector(std::error_code& ec);

}  // namespace tokio::mio::sys
