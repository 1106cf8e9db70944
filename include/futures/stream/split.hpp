// futures layer: split, SplitStream, SplitSink and stream::ReuniteError. Mirrors
// futures 0.1 `src/stream/split.rs`.
#pragma once

#include <futures/sink_ext.hpp>
#include <futures/stream_ext.hpp>
#include <futures/sync/bilock.hpp>

#include <optional>
#include <ostream>
#include <tuple>
#include <type_traits>
#include <utility>

namespace futures::sync {
template <class T>
class BiLock;  // defined in sync/bilock.hpp (which may be mid-include here)
}  // namespace futures::sync

namespace futures::stream {

template <class S>
class SplitSink;

/// The Stream half of a split value: polls it under the shared BiLock.
///
/// Notifies: when the lock is held by the SplitSink half, poll returns NotReady and the
/// current task is notified when the sink half releases it; otherwise S notifies.
template <class S>
class SplitStream : public StreamExt<SplitStream<S>> {
 public:
  using Item = typename S::Item;
  using Error = typename S::Error;

  /// Wraps one half of the lock; use `split()` rather than this.
  explicit SplitStream(sync::BiLock<S> lock) : lock_(std::move(lock)) {}

  Poll<std::optional<Item>, Error> poll() {
    auto guard = lock_.poll_lock();
    if (guard.is_not_ready()) return NotReady;
    return (*guard.value()).poll();
  }

  /// Rust's `SplitStream::reunite(self, other)`: see SplitSink::reunite.
  auto reunite(SplitSink<S> other) && { return std::move(other).reunite(std::move(*this)); }

  FUTURES_DETAIL_CONSUMES("SplitStream", reunite)

 private:
  friend class SplitSink<S>;
  sync::BiLock<S> lock_;
};

/// What `reunite` returns for halves of two different splits: both, handed back
/// (Rust's `ReuniteError(pub SplitSink<T>, pub SplitStream<T>)`; decompose with
/// `auto [sink, stream] = std::move(err);`).
template <class S>
struct ReuniteError {
  SplitSink<S> sink;
  SplitStream<S> stream;

  friend std::ostream& operator<<(std::ostream& os, const ReuniteError&) {
    return os << "tried to reunite a SplitStream and SplitSink that don't form a pair";
  }
};

/// The Sink half of a split value: sends into it under the shared BiLock.
///
/// Notifies: when the lock is held by the SplitStream half, start_send hands the item
/// back and poll_complete / close return NotReady, and the current task is notified
/// when the stream half releases it; otherwise S notifies.
template <class S>
class SplitSink : public SinkExt<SplitSink<S>> {
 public:
  using SinkItem = typename S::SinkItem;
  using SinkError = typename S::SinkError;

  /// Wraps one half of the lock; use `split()` rather than this.
  explicit SplitSink(sync::BiLock<S> lock) : lock_(std::move(lock)) {}

  StartSend<SinkItem, SinkError> start_send(SinkItem item) {
    auto guard = lock_.poll_lock();
    if (guard.is_not_ready()) return Ok(AsyncSink<SinkItem>::NotReady(std::move(item)));
    return (*guard.value()).start_send(std::move(item));
  }
  Poll<Unit, SinkError> poll_complete() {
    auto guard = lock_.poll_lock();
    if (guard.is_not_ready()) return NotReady;
    return (*guard.value()).poll_complete();
  }
  Poll<Unit, SinkError> close() {
    auto guard = lock_.poll_lock();
    if (guard.is_not_ready()) return NotReady;
    return (*guard.value()).close();
  }

  /// Puts the split value back together: Ok(s) if `other` came from the same split(),
  /// else Err(ReuniteError{this, other}).
  Result<S, ReuniteError<S>> reunite(SplitStream<S> other) && {
    auto r = std::move(lock_).reunite(std::move(other.lock_));
    if (r.is_ok()) return Ok(std::move(r).unwrap());
    auto [a, b] = std::move(r).unwrap_err();
    return Err(ReuniteError<S>{SplitSink(std::move(a)), SplitStream<S>(std::move(b))});
  }

  FUTURES_DETAIL_CONSUMES("SplitSink", reunite)

 private:
  sync::BiLock<S> lock_;
};

/// Splits a value that is both a Stream and a Sink into std::tuple<SplitSink<S>,
/// SplitStream<S>> (Rust's order: sink first), sharing it through a BiLock. Consumes
/// `s` (pass an rvalue). `reunite` puts it back together.
template <class S>
auto split(S&& s) {
  static_assert(!std::is_lvalue_reference_v<S>,
                "split(s) consumes s (Rust takes `self`): call it on an rvalue, std::move(s)");
  using T = std::remove_cvref_t<S>;
  static_assert(Stream<T> && Sink<T>, "split(s): s must be both a Stream and a Sink");
  auto [a, b] = sync::BiLock<T>::new_(std::forward<S>(s));
  return std::tuple<SplitSink<T>, SplitStream<T>>(SplitSink<T>(std::move(b)),
                                                  SplitStream<T>(std::move(a)));
}

}  // namespace futures::stream
