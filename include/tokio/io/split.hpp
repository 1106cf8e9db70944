// tokio layer: io::split, ReadHalf and WriteHalf: one I/O object used from two tasks.
// Mirrors tokio-io 0.1.22 `src/split.rs`.
//
// The halves share the object through a futures BiLock: each call locks it for the
// duration of that one call. A half that finds the lock held by the other returns
// NotReady and is notified when it is released, so the two halves may live in tasks
// on different threads.
#pragma once

#include <tokio/io/async_read.hpp>
#include <tokio/io/async_write.hpp>
#include <tokio/io/error.hpp>

#include <futures/contract.hpp>
#include <futures/detail/consumes.hpp>
#include <futures/sync/bilock.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <tuple>
#include <utility>

namespace tokio::io {

template <class T>
class WriteHalf;

/// The reading half of a split object: AsyncRead. Move-only.
template <class T>
class ReadHalf {
 public:
  futures::Poll<std::size_t, Error> poll_read(std::span<std::uint8_t> buf) {
    auto guard = lock_.poll_lock();
    if (guard.is_not_ready()) return futures::NotReady;
    return (*guard.value()).poll_read(buf);
  }

  /// Rust's `ReadHalf::unsplit`: the object back from its two halves. Aborts if `w`
  /// is the half of another object.
  T unsplit(WriteHalf<T> w) && {
    auto whole = std::move(lock_).reunite(std::move(w.lock_));
    if (whole.is_err()) futures::contract_violation("Unrelated `WriteHalf` passed to `ReadHalf::unsplit`.");
    return std::move(whole).unwrap();
  }
  FUTURES_DETAIL_CONSUMES("ReadHalf", unsplit)

 private:
  template <class U>
  friend std::tuple<ReadHalf<U>, WriteHalf<U>> split(U);
  friend class WriteHalf<T>;
  explicit ReadHalf(futures::sync::BiLock<T> lock) : lock_(std::move(lock)) {}

  futures::sync::BiLock<T> lock_;
};

/// The writing half of a split object: AsyncWrite. Move-only.
template <class T>
class WriteHalf {
 public:
  futures::Poll<std::size_t, Error> poll_write(std::span<const std::uint8_t> buf) {
    auto guard = lock_.poll_lock();
    if (guard.is_not_ready()) return futures::NotReady;
    return (*guard.value()).poll_write(buf);
  }
  futures::Poll<futures::Unit, Error> poll_flush() {
    auto guard = lock_.poll_lock();
    if (guard.is_not_ready()) return futures::NotReady;
    return (*guard.value()).poll_flush();
  }
  futures::Poll<futures::Unit, Error> shutdown() {
    auto guard = lock_.poll_lock();
    if (guard.is_not_ready()) return futures::NotReady;
    return (*guard.value()).shutdown();
  }

  /// Rust's `WriteHalf::unsplit`. Aborts if `r` is the half of another object.
  T unsplit(ReadHalf<T> r) && {
    auto whole = std::move(lock_).reunite(std::move(r.lock_));
    if (whole.is_err()) futures::contract_violation("Unrelated `ReadHalf` passed to `WriteHalf::unsplit`.");
    return std::move(whole).unwrap();
  }
  FUTURES_DETAIL_CONSUMES("WriteHalf", unsplit)

 private:
  template <class U>
  friend std::tuple<ReadHalf<U>, WriteHalf<U>> split(U);
  friend class ReadHalf<T>;
  explicit WriteHalf(futures::sync::BiLock<T> lock) : lock_(std::move(lock)) {}

  futures::sync::BiLock<T> lock_;
};

/// Rust's `tokio::io::split(t)` (there `AsyncRead::split(self)`): two handles to one
/// object, one for reading and one for writing.
template <class T>
std::tuple<ReadHalf<T>, WriteHalf<T>> split(T io) {
  static_assert(AsyncRead<T> && AsyncWrite<T>, "split needs an object that is AsyncRead and AsyncWrite");
  auto [r, w] = futures::sync::BiLock<T>::new_(std::move(io));
  return std::tuple<ReadHalf<T>, WriteHalf<T>>(ReadHalf<T>(std::move(r)), WriteHalf<T>(std::move(w)));
}

}  // namespace tokio::io
