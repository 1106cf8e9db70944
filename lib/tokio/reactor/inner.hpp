// The state a Reactor shares with its Handles and Registrations (private).
#pragma once

#include "slab.hpp"

#include <tokio/mio/poll.hpp>
#include <tokio/mio/waker.hpp>
#include <tokio/reactor/handle.hpp>

#include <atomic>
#include <utility>

namespace tokio::reactor::detail {

class Inner {
 public:
  Inner(mio::Poll poll, mio::Waker waker) noexcept : poll(std::move(poll)), waker(std::move(waker)) {}

  void wakeup() const noexcept { (void)waker.wake(); }

  mio::Poll poll;
  mio::Waker waker;
  Slab slab;
  // Set by Background::shutdown_on_idle: the last release wakes the reactor.
  std::atomic<bool> wake_when_idle{false};
};

}  // namespace tokio::reactor::detail
