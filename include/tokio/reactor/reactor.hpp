// tokio layer: the reactor, the event loop that drives I/O sources. Mirrors
// tokio-reactor 0.1 `src/lib.rs` (`Reactor`, `Turn`) and `src/background.rs`.
//
// A Reactor owns a mio::Poll, its Events buffer, a Waker and the slab of readiness
// entries (see detail/scheduled_io.hpp and docs/reactor.md). `turn` waits for events
// and, for each, sets the readiness bits of the entry its token names (ignored if the
// token's generation is stale) and notifies the reader / writer task. It is a Park: an
// executor that runs out of work sleeps in `turn` (epoll_wait), and `unpark()` (a
// Handle) wakes it through the Waker from any thread.
//
// Threads: `turn` / `park` on one thread at a time (the owner); `handle()`, registering
// and deregistering sources and `unpark` from any thread.
//
// Destroying the Reactor shuts it down: every source still registered is woken and its
// next poll fails with "reactor gone"; new registrations fail.
#pragma once

#include <tokio/reactor/handle.hpp>

#include <tokio/executor/park.hpp>
#include <tokio/io/error.hpp>
#include <tokio/mio/events.hpp>

#include <futures/contract.hpp>
#include <futures/result.hpp>
#include <futures/unit.hpp>

#include <chrono>
#include <memory>
#include <optional>

namespace tokio::reactor {

class Background;

/// Rust's `tokio_reactor::Reactor`. Move-only.
class Reactor {
 public:
  using Unpark = Handle;
  using Error = io::Error;

  /// Rust's `Reactor::new()`: a new Poll and Waker (fails on fd exhaustion).
  static io::Result<Reactor> create();

  Reactor(Reactor&&) noexcept = default;
  Reactor& operator=(Reactor&&) noexcept = delete;
  ~Reactor();

  /// A handle for registering sources with this reactor from any thread.
  Handle handle() const;

  /// Waits for events for at most `max_wait` (nullopt: until an event or an unpark;
  /// zero: only collects what is ready) and dispatches them. An interrupted wait
  /// (EINTR) is a successful, empty turn.
  io::Result<futures::Unit> turn(std::optional<std::chrono::nanoseconds> max_wait);

  /// Events the last turn collected, deferred wakeups that fired included (0 after a
  /// turn that only timed out).
  std::size_t last_turn_events() const noexcept { return last_turn_events_; }

  /// True if no source is registered (Rust's `is_idle`).
  bool is_idle() const;

  /// Moves the reactor onto a thread of its own that turns it until shut down (Rust's
  /// `background(self)`). Errors: the thread could not be started.
  io::Result<Background> background() &&;
  template <class Self = Reactor>
  void background() & {
    static_assert(futures::detail::always_false<Self>,
                  "background() consumes the reactor (Rust takes `self`): write std::move(reactor).background()");
  }

  // ----- Park -----
  Handle unpark() const { return handle(); }
  io::Result<futures::Unit> park() { return turn(std::nullopt); }
  io::Result<futures::Unit> park_timeout(std::chrono::nanoseconds duration) { return turn(duration); }

 private:
  Reactor(std::shared_ptr<detail::Inner> inner, mio::Events events) noexcept;

  std::shared_ptr<detail::Inner> inner_;
  mio::Events events_;
  std::size_t last_turn_events_ = 0;
};

static_assert(executor::park::Park<Reactor>);

namespace detail {
struct BackgroundThread;
}  // namespace detail

/// A reactor running on its own thread (Rust's `tokio_reactor::Background`). Move-only.
/// Destroying it without shutting it down is shutdown_now().
///
/// Deviation: Rust returns a `Shutdown` future from both shutdowns; here they block
/// until the thread has exited and the reactor is dropped.
class Background {
 public:
  Background(Background&&) noexcept;
  Background& operator=(Background&&) = delete;
  ~Background();

  /// A handle to the reactor.
  Handle handle() const;

  /// Stops the reactor thread once no source is registered any more, then drops the
  /// reactor. Blocks until then.
  void shutdown_on_idle() &&;
  /// Stops the reactor thread now and drops the reactor (pending I/O fails with
  /// "reactor gone").
  void shutdown_now() &&;

  template <class Self = Background>
  void shutdown_on_idle() & {
    static_assert(futures::detail::always_false<Self>,
                  "shutdown_on_idle() consumes the Background: write std::move(bg).shutdown_on_idle()");
  }
  template <class Self = Background>
  void shutdown_now() & {
    static_assert(futures::detail::always_false<Self>,
                  "shutdown_now() consumes the Background: write std::move(bg).shutdown_now()");
  }

 private:
  friend class Reactor;
  explicit Background(std::unique_ptr<detail::BackgroundThread> thread) noexcept;
  std::unique_ptr<detail::BackgroundThread> thread_;
};

}  // namespace tokio::reactor
