// lib/tokio/runtime/shared_reactor_park.hpp. The state machine follows Tokio 1.x's
// multi-thread parker: a worker's token is kNotified, or says where the worker sleeps so
// that an unpark knows how to wake it.
#include "shared_reactor_park.hpp"

#include <sched.h>

#include <algorithm>

namespace tokio::runtime::detail {

void SharedReactorUnpark::unpark() const {
  SharedParker& p = *parker_;
  switch (p.state.exchange(SharedParker::kNotified, std::memory_order_acq_rel)) {
    case SharedParker::kParkedCondvar: {
      // Taking the lock orders this with the sleeper's check-then-wait.
      { std::lock_guard<std::mutex> lock(p.mu); }
      p.cv.notify_one();
      return;
    }
    case SharedParker::kParkedDriver:
      p.shared->handle().unpark();
      return;
    default:  // not asleep (the token makes its next park return) or already notified
      return;
  }
}

io::Result<futures::Unit> SharedReactorPark::park_for(std::optional<std::chrono::nanoseconds> timeout) {
  SharedParker& p = *parker_;
  SharedReactor& shared = *p.shared;
  if (timeout && timeout->count() <= 0) {
    // A busy worker's periodic look at the I/O (the pool's run loop): collect what is
    // ready if nobody else is driving, and consume a pending token; never sleep.
    (void)p.take_notified();
    if (!shared.try_take()) return futures::Ok();
    io::Result<futures::Unit> turned = shared.reactor_.turn(*timeout);
    shared.give_back();
    return turned;
  }
  if (p.take_notified()) return futures::Ok();
  if (shared.try_take()) return park_driver(timeout);
  park_condvar(timeout);
  return futures::Ok();
}

io::Result<futures::Unit> SharedReactorPark::park_driver(std::optional<std::chrono::nanoseconds> timeout) {
  SharedParker& p = *parker_;
  SharedReactor& shared = *p.shared;
  int expected = SharedParker::kEmpty;
  if (!p.state.compare_exchange_strong(expected, SharedParker::kParkedDriver, std::memory_order_acq_rel)) {
    // Notified meanwhile: consume it and let someone else drive.
    p.state.store(SharedParker::kEmpty, std::memory_order_release);
    shared.give_back();
    return futures::Ok();
  }
  std::optional<io::Result<futures::Unit>> spun = spin(timeout);
  io::Result<futures::Unit> turned = spun ? std::move(*spun) : shared.reactor_.turn(timeout);
  // Back from the reactor: a notify that arrived meanwhile woke this turn (or will make
  // the next one return at once), so the token is consumed either way.
  p.state.exchange(SharedParker::kEmpty, std::memory_order_acq_rel);
  shared.give_back();
  return turned;
}

// Why spin: a worker that sleeps in epoll_wait must be woken by the kernel when the next
// request arrives, and waking a thread on another CPU costs ~60 µs on this VM (15-30 µs
// on most machines), more than a round trip that finds the worker awake. The yield
// between looks gives the CPU to any thread that wants it, so the spin only burns time
// that nobody else would use.
std::optional<io::Result<futures::Unit>> SharedReactorPark::spin(
    std::optional<std::chrono::nanoseconds>& timeout) {
  SharedParker& p = *parker_;
  reactor::Reactor& reactor = p.shared->reactor_;
  const std::chrono::nanoseconds budget =
      timeout ? std::min(p.shared->spin_, *timeout) : p.shared->spin_;
  if (budget.count() <= 0) return std::nullopt;
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + budget;
  do {
    io::Result<futures::Unit> turned = reactor.turn(std::chrono::nanoseconds(0));
    // Events (tasks woken, or the Waker of an unpark) or an error end the park here.
    if (turned.is_err() || reactor.last_turn_events() > 0) return turned;
    if (p.state.load(std::memory_order_acquire) == SharedParker::kNotified) return turned;
    sched_yield();
  } while (std::chrono::steady_clock::now() < deadline);
  // Nothing came: sleep for what is left of the timeout.
  if (timeout)
    *timeout = std::max(std::chrono::nanoseconds(0),
                        *timeout - (std::chrono::steady_clock::now() - start));
  return std::nullopt;
}

void SharedReactorPark::park_condvar(std::optional<std::chrono::nanoseconds> timeout) {
  SharedParker& p = *parker_;
  std::unique_lock<std::mutex> lock(p.mu);
  int expected = SharedParker::kEmpty;
  if (!p.state.compare_exchange_strong(expected, SharedParker::kParkedCondvar, std::memory_order_acq_rel)) {
    p.state.store(SharedParker::kEmpty, std::memory_order_release);  // it was kNotified
    return;
  }
  auto notified = [&p] { return p.take_notified(); };
  if (!timeout) {
    p.cv.wait(lock, notified);
    return;
  }
  if (p.cv.wait_for(lock, *timeout, notified)) return;
  // Timed out: leave kParkedCondvar; an unpark racing with this is consumed.
  p.state.exchange(SharedParker::kEmpty, std::memory_order_acq_rel);
}

}  // namespace tokio::runtime::detail
