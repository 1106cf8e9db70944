// tokio layer: associates one I/O source with a reactor. Mirrors tokio-reactor 0.1
// `src/registration.rs`.
//
// A Registration owns one slab entry (detail::ScheduledIo) of a reactor and the token
// that names it. It registers lazily: the first `register_` (or the first poll of a
// PollEvented) picks the reactor, so a socket created on one thread and first polled on
// a runtime worker registers with that worker's reactor.
//
// Thread safety: `poll_read_ready` / `take_read_ready` (the read side) and
// `poll_write_ready` / `take_write_ready` (the write side) may run at the same time on
// two threads; at most one task per side. Registering is safe to race (one wins).
#pragma once

#include <tokio/reactor/detail/scheduled_io.hpp>
#include <tokio/reactor/handle.hpp>

#include <tokio/io/error.hpp>
#include <tokio/mio/registry.hpp>
#include <tokio/mio/poll_opt.hpp>
#include <tokio/mio/ready.hpp>
#include <tokio/mio/token.hpp>

#include <futures/poll.hpp>
#include <futures/result.hpp>
#include <futures/unit.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <thread>
#include <utility>

namespace tokio::reactor {

namespace detail {
/// A slab entry handed to a Registration: keeps the reactor's state alive as long as
/// the entry is used.
struct Slot {
  std::shared_ptr<Inner> inner;
  ScheduledIo* io = nullptr;
  mio::Token token{0};
};
/// Takes a free entry from the reactor `handle` names (lazy: the thread's default).
/// Errors: the reactor is gone or shut down.
io::Result<Slot> allocate(const Handle& handle);
const mio::Registry& registry(const Inner& inner) noexcept;
/// Returns the entry: its generation moves on (stale events are dropped), its tasks
/// are released, the slot goes back to the free list. Any thread.
void release(Slot& slot) noexcept;
io::Error reactor_gone();
io::Error not_registered();
/// Has the slot's reactor publish readable in the entry and notify its reader once
/// `delay` has passed (skipped if the slot was freed meanwhile). At most one pending
/// per slot: a second call before the first fires is a no-op. Any thread. The accept
/// back-off's timer; docs/reactor.md, "Deferred readiness".
void defer_read(const Slot& slot, std::chrono::nanoseconds delay);

/// The readiness bits the reader and the writer care about (tokio-reactor's
/// Direction::mask): the reader everything but writable, the writer writable, hup and
/// error. Hup is sticky: it is never taken out of the entry.
inline std::size_t read_bits() noexcept { return (mio::Ready::all() - mio::Ready::writable()).as_usize(); }
inline std::size_t write_bits() noexcept {
  return (mio::Ready::writable() | mio::Ready::hup() | mio::Ready::error()).as_usize();
}
inline std::size_t sticky_bits() noexcept { return mio::Ready::hup().as_usize() | kShutdownBit; }

/// What one side takes out of an entry: its readiness bits and the shutdown bit.
inline std::size_t side_mask(bool read) noexcept {
  return (read ? read_bits() : write_bits()) | kShutdownBit;
}

/// One side's readiness taken out of `io` (0 after registering the current task when
/// nothing is ready; kShutdownBit set when the reactor is gone), as raw bits, so that
/// PollEvented's cache miss builds no Poll in between.
inline std::size_t poll_side(ScheduledIo& io, bool read) {
  return poll_ready(io, read ? io.reader : io.writer, side_mask(read), sticky_bits());
}
}  // namespace detail

/// Rust's `tokio_reactor::Registration`. Move-only (moving it while another thread
/// polls it is a data race). Destroying it frees its entry (without deregistering the
/// source from the OS: PollEvented does that first).
class Registration {
 public:
  /// Rust's `Registration::new()`: not registered yet.
  Registration() noexcept = default;
  Registration(Registration&& other) noexcept { take_from(other); }
  Registration& operator=(Registration&& other) noexcept {
    if (this != &other) {
      reset();
      take_from(other);
    }
    return *this;
  }
  Registration(const Registration&) = delete;
  Registration& operator=(const Registration&) = delete;
  ~Registration() { reset(); }

  /// Registers `io` with the thread's default reactor (edge-triggered, all interests).
  /// Ok(true) if this call registered it, Ok(false) if it was already registered.
  template <class E>
  io::Result<bool> register_(const E& io) {
    return register_with(io, Handle::default_());
  }
  /// As register_, with the reactor `handle` names.
  template <class E>
  io::Result<bool> register_with(const E& io, const Handle& handle) {
    if (is_registered()) return futures::Ok(false);
    bool expected = false;
    if (!registering_.compare_exchange_strong(expected, true, std::memory_order_acquire)) {
      // The other side (reader vs writer) is registering the same source: wait for it.
      while (!is_registered()) {
        if (!registering_.load(std::memory_order_acquire)) return register_with(io, handle);
        std::this_thread::yield();
      }
      return futures::Ok(false);
    }
    auto slot = detail::allocate(handle);
    if (slot.is_err()) {
      registering_.store(false, std::memory_order_release);
      return futures::Err(std::move(slot).unwrap_err());
    }
    slot_ = std::move(slot).unwrap();
    auto registered = io.register_(detail::registry(*slot_.inner), slot_.token, mio::Ready::all(), mio::PollOpt::edge());
    if (registered.is_err()) {
      detail::release(slot_);
      slot_ = detail::Slot{};
      registering_.store(false, std::memory_order_release);
      return futures::Err(std::move(registered).unwrap_err());
    }
    // Release: pairs with is_registered()'s acquire on the other side.
    io_.store(slot_.io, std::memory_order_release);
    return futures::Ok(true);
  }

  /// Removes `io` from the OS poller (the entry stays until this is destroyed).
  template <class E>
  io::Result<futures::Unit> deregister(const E& io) {
    if (!is_registered()) return futures::Ok();
    return io.deregister(detail::registry(*slot_.inner));
  }

  bool is_registered() const noexcept { return io_.load(std::memory_order_acquire) != nullptr; }

  /// Library internal (the accept back-off): the reactor reports readable to the reader
  /// after `delay`, as if an event had come (detail::defer_read). Errors: not registered.
  io::Result<futures::Unit> defer_read_(std::chrono::nanoseconds delay) const {
    if (!is_registered()) return futures::Err(detail::not_registered());
    detail::defer_read(slot_, delay);
    return futures::Ok();
  }

  /// After an operation hit WouldBlock: asks the poller to report `bits` again (a no-op
  /// on epoll; the poll(2) backend stops watching a reported bit until then: docs/mio.md).
  void rearm(mio::Ready bits) const noexcept {
    if (is_registered()) detail::registry(*slot_.inner).rearm(slot_.token, bits);
  }

  /// Ready(bits) with the read-side readiness taken out of the entry, or NotReady after
  /// registering the current task for the next read-side event. Errors: not registered,
  /// reactor gone.
  futures::Poll<mio::Ready, io::Error> poll_read_ready() { return poll(true, true); }
  futures::Poll<mio::Ready, io::Error> poll_write_ready() { return poll(false, true); }
  /// As poll_*_ready without registering a task: nullopt when nothing is ready.
  io::Result<std::optional<mio::Ready>> take_read_ready() { return take(true); }
  io::Result<std::optional<mio::Ready>> take_write_ready() { return take(false); }

  /// Library internal (PollEvented's fast path): the entry, null before registration.
  detail::ScheduledIo* entry_() const noexcept { return io_.load(std::memory_order_acquire); }

 private:
  futures::Poll<mio::Ready, io::Error> poll(bool read, bool notify) {
    detail::ScheduledIo* io = entry_();
    if (io == nullptr) return futures::Err(detail::not_registered());
    const std::size_t ready =
        notify ? detail::poll_side(*io, read)
               : detail::take_ready(*io, detail::side_mask(read), detail::sticky_bits());
    if ((ready & detail::kShutdownBit) != 0) return futures::Err(detail::reactor_gone());
    if (ready == 0) return futures::NotReady;
    return futures::Ready(mio::Ready::from_usize(ready));
  }
  io::Result<std::optional<mio::Ready>> take(bool read) {
    auto polled = poll(read, false);
    if (polled.is_err()) return futures::Err(std::move(polled).unwrap_err());
    auto ready = std::move(polled).unwrap();
    if (ready.is_not_ready()) return futures::Ok(std::optional<mio::Ready>());
    return futures::Ok(std::optional<mio::Ready>(ready.value()));
  }

  void take_from(Registration& other) noexcept {
    slot_ = std::exchange(other.slot_, detail::Slot{});
    io_.store(other.io_.exchange(nullptr, std::memory_order_relaxed), std::memory_order_relaxed);
    registering_.store(other.registering_.exchange(false, std::memory_order_relaxed), std::memory_order_relaxed);
  }
  void reset() noexcept {
    if (slot_.io != nullptr) detail::release(slot_);
    slot_ = detail::Slot{};
    io_.store(nullptr, std::memory_order_relaxed);
    registering_.store(false, std::memory_order_relaxed);
  }

  detail::Slot slot_;
  std::atomic<detail::ScheduledIo*> io_{nullptr};  // non-null once registered
  std::atomic<bool> registering_{false};           // a register_ is (or was) under way
};

}  // namespace tokio::reactor
