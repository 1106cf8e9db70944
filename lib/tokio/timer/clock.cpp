// The thread's installed clock (include/tokio/timer/clock.hpp).
#include <tokio/timer/clock.hpp>

namespace tokio::timer::clock {

namespace {
// Points at the Clock given to the innermost with_default on this thread (Rust keeps a
// raw pointer in its CLOCK thread-local too); with_default restores it on exit.
thread_local const Clock* installed_clock = nullptr;
}  // namespace

namespace detail {
const Clock* current_clock() noexcept {
  return installed_clock;
}

const Clock* exchange_current_clock(const Clock* clock) noexcept {
  const Clock* previous = installed_clock;
  installed_clock = clock;
  return previous;
}
}  // namespace detail

Instant now() {
  if (const Clock* clock = installed_clock) return clock->now();
  return std::chrono::steady_clock::now();
}

}  // namespace tokio::timer::clock
