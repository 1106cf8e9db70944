// tokio layer: an I/O source driven by the reactor. Mirrors tokio-reactor 0.1
// `src/poll_evented.rs` (`PollEvented2`, re-exported by tokio as `PollEvented`).
//
// PollEvented<E> owns a mio source E (a raw non-blocking socket) and its Registration.
// Readiness is edge-triggered: an event sets bits in the reactor's entry; the
// PollEvented takes them into a private cache and keeps them until an operation fails
// with WouldBlock, then clears them (`clear_*_ready`), which also registers the current
// task for the next event. A read or write that succeeds therefore touches no atomic
// and takes no lock; only the WouldBlock path does (one load, the AtomicTask, one RMW).
//
// Registration is lazy: the first poll registers the source with the default reactor of
// the thread that polls it (the runtime's reactor on a worker). `new_with_handle`
// registers at once with a given reactor.
//
// Threads: the read side (poll_read_ready, clear_read_ready, poll_read) and the write
// side (poll_write_ready, clear_write_ready, poll_write) may be used at the same time by
// two tasks on two threads, one per side, with no lock (a split TcpStream). Every other
// member needs exclusive access.
#pragma once

#include <tokio/reactor/handle.hpp>
#include <tokio/reactor/registration.hpp>

#include <tokio/io/error.hpp>
#include <tokio/mio/ready.hpp>

#include <futures/contract.hpp>
#include <futures/poll.hpp>
#include <futures/result.hpp>
#include <futures/task.hpp>
#include <futures/unit.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>

namespace tokio::reactor {

namespace detail {
template <class E>
concept ReadableSource = requires(E& e, std::span<std::uint8_t> buf) {
  { e.read(buf) } -> std::same_as<io::Result<std::size_t>>;
};
template <class E>
concept WritableSource = requires(E& e, std::span<const std::uint8_t> buf) {
  { e.write(buf) } -> std::same_as<io::Result<std::size_t>>;
};
template <class E>
concept FlushableSource = requires(E& e) {
  { e.flush() } -> std::same_as<io::Result<futures::Unit>>;
};
}  // namespace detail

/// Rust's `tokio::reactor::PollEvented` (PollEvented2). E: a mio Evented source.
/// Move-only. The destructor deregisters the source and frees its entry.
template <class E>
class PollEvented {
 public:
  /// Takes `io`; it registers with the polling thread's default reactor on first use.
  explicit PollEvented(E io) : io_(std::move(io)) {}

  /// Takes `io` and registers it with `handle`'s reactor now.
  static io::Result<PollEvented> new_with_handle(E io, const Handle& handle) {
    PollEvented evented(std::move(io));
    auto registered = evented.registration_.register_with(*evented.io_, handle);
    if (registered.is_err()) return futures::Err(std::move(registered).unwrap_err());
    return futures::Ok(std::move(evented));
  }

  PollEvented(PollEvented&& other) noexcept
      : io_(std::move(other.io_)),
        registration_(std::move(other.registration_)),
        read_cache_(std::exchange(other.read_cache_, 0)),
        write_cache_(std::exchange(other.write_cache_, 0)) {
    other.io_.reset();
  }
  PollEvented& operator=(PollEvented&& other) noexcept {
    if (this != &other) {
      drop_io();
      io_ = std::move(other.io_);
      other.io_.reset();
      registration_ = std::move(other.registration_);
      read_cache_ = std::exchange(other.read_cache_, 0);
      write_cache_ = std::exchange(other.write_cache_, 0);
    }
    return *this;
  }
  PollEvented(const PollEvented&) = delete;
  PollEvented& operator=(const PollEvented&) = delete;
  ~PollEvented() { drop_io(); }

  /// Ready(bits) when any bit of `mask` (plus hup and error, always) is ready; else
  /// NotReady with the current task registered for the next read-side event. `mask`
  /// must not contain writable. Call from a task.
  futures::Poll<mio::Ready, io::Error> poll_read_ready(mio::Ready mask) {
    if (mask.is_writable()) futures::contract_violation("PollEvented::poll_read_ready: mask contains writable");
    const std::size_t want = (mask | mio::Ready::hup() | mio::Ready::error()).as_usize();
    if (const std::size_t hit = read_cache_ & want) return futures::Ready(mio::Ready::from_usize(hit));
    return drain(true, want);
  }
  /// Forgets the `mask` bits of the read-side readiness (after an operation returned
  /// WouldBlock) and makes sure the current task is notified by the next event.
  io::Result<futures::Unit> clear_read_ready(mio::Ready mask) {
    if (mask.is_writable()) futures::contract_violation("PollEvented::clear_read_ready: mask contains writable");
    read_cache_ &= ~mask.as_usize();
    registration_.rearm(mask & mio::Ready::readable());
    auto again = poll_read_ready(mask);
    if (again.is_err()) return futures::Err(std::move(again).unwrap_err());
    if (again.unwrap_ref().is_ready()) futures::task::current().notify();
    return futures::Ok();
  }
  /// Library internal (the accept back-off, docs/net.md): like clear_read_ready, but the
  /// poller is NOT asked for `mask` again (so a level-triggered backend cannot report
  /// it at once); instead the reactor reports readable after `delay` and notifies the
  /// current task. An event arriving meanwhile (epoll) is still delivered.
  io::Result<futures::Unit> defer_read_ready_(mio::Ready mask, std::chrono::nanoseconds delay) {
    if (mask.is_writable()) futures::contract_violation("PollEvented::defer_read_ready_: mask contains writable");
    read_cache_ &= ~mask.as_usize();
    auto deferred = registration_.defer_read_(delay);
    if (deferred.is_err()) return deferred;
    auto again = poll_read_ready(mask);
    if (again.is_err()) return futures::Err(std::move(again).unwrap_err());
    if (again.unwrap_ref().is_ready()) futures::task::current().notify();
    return futures::Ok();
  }
  /// Ready(bits) when writable (or hup / error); else NotReady with the current task
  /// registered for the next write-side event.
  futures::Poll<mio::Ready, io::Error> poll_write_ready() {
    const std::size_t want = detail::write_bits();
    if (const std::size_t hit = write_cache_ & want) return futures::Ready(mio::Ready::from_usize(hit));
    return drain(false, want);
  }
  io::Result<futures::Unit> clear_write_ready() {
    write_cache_ &= ~mio::Ready::writable().as_usize();
    registration_.rearm(mio::Ready::writable());
    auto again = poll_write_ready();
    if (again.is_err()) return futures::Err(std::move(again).unwrap_err());
    if (again.unwrap_ref().is_ready()) futures::task::current().notify();
    return futures::Ok();
  }

  const E& get_ref() const { return *io_; }
  E& get_mut() { return *io_; }
  /// The registration (registered once polled or made by new_with_handle).
  const Registration& registration() const noexcept { return registration_; }

  /// Deregisters the source and gives it back (Rust's `into_inner(self)`).
  io::Result<E> into_inner() && {
    auto deregistered = registration_.deregister(*io_);
    registration_ = Registration();
    E io = std::move(*io_);
    io_.reset();
    if (deregistered.is_err()) return futures::Err(std::move(deregistered).unwrap_err());
    return futures::Ok(std::move(io));
  }
  template <class Self = PollEvented>
  void into_inner() & {
    static_assert(futures::detail::always_false<Self>,
                  "into_inner() consumes the PollEvented (Rust takes `self`): write std::move(evented).into_inner()");
  }

  // ----- AsyncRead / AsyncWrite, when E reads and writes spans -----

  /// Reads into `buf`: Ready(n) (0 = end of stream), or NotReady with the task
  /// registered when the source would block.
  futures::Poll<std::size_t, io::Error> poll_read(std::span<std::uint8_t> buf)
    requires detail::ReadableSource<E>
  {
    FUTURES_TRY_READY(poll_read_ready(mio::Ready::readable()));
    auto n = io_->read(buf);
    if (n.is_err()) {
      if (n.unwrap_err_ref().is_would_block()) {
        auto cleared = clear_read_ready(mio::Ready::readable());
        if (cleared.is_err()) return futures::Err(std::move(cleared).unwrap_err());
        return futures::NotReady;
      }
      return futures::Err(std::move(n).unwrap_err());
    }
    const std::size_t got = n.unwrap_ref();
    // A short read drained the socket: forget the readiness now rather than learn it
    // from one more read() that fails with WouldBlock (a system call per message saved;
    // Tokio 1.x does the same). New data makes a new edge event.
    if (got > 0 && got < buf.size()) forget_read_ready();
    return futures::Ready(got);
  }
  futures::Poll<std::size_t, io::Error> poll_write(std::span<const std::uint8_t> buf)
    requires detail::WritableSource<E>
  {
    FUTURES_TRY_READY(poll_write_ready());
    auto n = io_->write(buf);
    if (n.is_err()) {
      if (n.unwrap_err_ref().is_would_block()) {
        auto cleared = clear_write_ready();
        if (cleared.is_err()) return futures::Err(std::move(cleared).unwrap_err());
        return futures::NotReady;
      }
      return futures::Err(std::move(n).unwrap_err());
    }
    const std::size_t put = n.unwrap_ref();
    // A short write filled the send buffer: the next write would block.
    if (put > 0 && put < buf.size()) forget_write_ready();
    return futures::Ready(put);
  }
  futures::Poll<futures::Unit, io::Error> poll_flush()
    requires detail::WritableSource<E>
  {
    if constexpr (detail::FlushableSource<E>) {
      FUTURES_TRY_READY(poll_write_ready());
      auto flushed = io_->flush();
      if (flushed.is_err()) {
        if (flushed.unwrap_err_ref().is_would_block()) {
          auto cleared = clear_write_ready();
          if (cleared.is_err()) return futures::Err(std::move(cleared).unwrap_err());
          return futures::NotReady;
        }
        return futures::Err(std::move(flushed).unwrap_err());
      }
    }
    return futures::Ready(futures::Unit{});
  }
  /// Rust's `AsyncWrite::shutdown` for PollEvented: nothing to do (a socket type that
  /// half-closes does it itself).
  futures::Poll<futures::Unit, io::Error> shutdown()
    requires detail::WritableSource<E>
  {
    return futures::Ready(futures::Unit{});
  }

 private:
  // Cache miss: takes readiness from the reactor's entry (registering the task when
  // there is none), registering the source with the reactor first if needed.
  futures::Poll<mio::Ready, io::Error> drain(bool read, std::size_t want) {
    detail::ScheduledIo* entry = registration_.entry_();
    if (entry == nullptr) {
      auto registered = registration_.register_(*io_);
      if (registered.is_err()) return futures::Err(std::move(registered).unwrap_err());
      entry = registration_.entry_();
    }
    std::size_t& cache = read ? read_cache_ : write_cache_;
    for (;;) {
      const std::size_t ready = detail::poll_side(*entry, read);
      if ((ready & detail::kShutdownBit) != 0) return futures::Err(detail::reactor_gone());
      if (ready == 0) return futures::NotReady;
      cache |= ready;
      if (const std::size_t hit = cache & want) return futures::Ready(mio::Ready::from_usize(hit));
    }
  }

  // Clears the cached read readiness without polling again (the next read-side poll
  // takes fresh readiness from the entry, or registers the task).
  void forget_read_ready() noexcept {
    read_cache_ &= ~mio::Ready::readable().as_usize();
    registration_.rearm(mio::Ready::readable());
  }
  void forget_write_ready() noexcept {
    write_cache_ &= ~mio::Ready::writable().as_usize();
    registration_.rearm(mio::Ready::writable());
  }

  void drop_io() noexcept {
    if (io_) (void)registration_.deregister(*io_);
    registration_ = Registration();  // frees the entry after the source left the poller
  }

  std::optional<E> io_;  // empty only once moved from / into_inner
  Registration registration_;
  // Readiness taken from the entry and not yet used up; each touched by its side only.
  std::size_t read_cache_ = 0;
  std::size_t write_cache_ = 0;
};

}  // namespace tokio::reactor
