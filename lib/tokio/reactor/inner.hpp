// The state a Reactor shares with its Handles and Registrations (private).
#pragma once

#include "slab.hpp"

#include <tokio/mio/poll.hpp>
#include <tokio/mio/waker.hpp>
#include <tokio/reactor/handle.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <vector>
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

  // Deferred read wakeups (detail::defer_read, the accept back-off): a min-heap on the
  // deadline, at most one entry per token. The seed of the timer the timer issue will
  // replace (docs/reactor.md, "Deferred readiness").
  struct Deferred {
    std::chrono::steady_clock::time_point deadline;
    std::size_t token;
    // std::push_heap builds a max-heap: "less" = later deadline puts the earliest on top.
    friend bool operator<(const Deferred& a, const Deferred& b) noexcept { return a.deadline > b.deadline; }
  };
  std::mutex deferred_mu;
  std::vector<Deferred> deferred;          // guarded by deferred_mu
  std::atomic<bool> has_deferred{false};  // !deferred.empty(); lets turn skip the lock
};

}  // namespace tokio::reactor::detail
