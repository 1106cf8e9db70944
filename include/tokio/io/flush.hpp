// tokio layer: io::flush and Flush. Mirrors tokio-io 0.1.22 `src/io/flush.rs`.
#pragma once

#include <tokio/io/async_write.hpp>
#include <tokio/io/error.hpp>

#include <futures/contract.hpp>
#include <futures/future_ext.hpp>

#include <optional>
#include <utility>

namespace tokio::io {

/// Resolves to the writer once its `poll_flush` is Ready. Aborts if polled after it
/// resolved.
template <AsyncWrite A>
class Flush : public futures::FutureExt<Flush<A>> {
 public:
  using Item = A;
  using Error = io::Error;

  explicit Flush(A writer) : writer_(std::in_place, std::move(writer)) {}

  futures::Poll<A, Error> poll() {
    if (!writer_) futures::contract_violation("futures must not be polled after they complete");
    FUTURES_TRY_READY(writer_->poll_flush());
    A writer = std::move(*writer_);
    writer_.reset();
    return futures::Ready(std::move(writer));
  }

 private:
  std::optional<A> writer_;  // empty once resolved
};

/// Rust's `tokio::io::flush(a)`.
template <AsyncWrite A>
Flush<A> flush(A writer) {
  return Flush<A>(std::move(writer));
}

}  // namespace tokio::io
