// tokio layer: io::shutdown and Shutdown. Mirrors tokio-io 0.1.22 `src/io/shutdown.rs`.
#pragma once

#include <tokio/io/async_write.hpp>
#include <tokio/io/error.hpp>

#include <futures/contract.hpp>
#include <futures/future_ext.hpp>

#include <optional>
#include <utility>

namespace tokio::io {

/// Resolves to the writer once its `shutdown` is Ready (flushed and shut down).
/// Aborts if polled after it resolved.
template <AsyncWrite A>
class Shutdown : public futures::FutureExt<Shutdown<A>> {
 public:
  using Item = A;
  using Error = io::Error;

  explicit Shutdown(A writer) : writer_(std::in_place, std::move(writer)) {}

  futures::Poll<A, Error> poll() {
    if (!writer_) futures::contract_violation("futures must not be polled after they complete");
    FUTURES_TRY_READY(writer_->shutdown());
    A writer = std::move(*writer_);
    writer_.reset();
    return futures::Ready(std::move(writer));
  }

 private:
  std::optional<A> writer_;  // empty once resolved
};

/// Rust's `tokio::io::shutdown(a)`.
template <AsyncWrite A>
Shutdown<A> shutdown(A writer) {
  return Shutdown<A>(std::move(writer));
}

}  // namespace tokio::io
