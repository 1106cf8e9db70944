// tokio layer: io::write_all and WriteAll, write a whole buffer. Mirrors tokio-io
// 0.1.22 `src/io/write_all.rs`.
#pragma once

#include <tokio/io/async_write.hpp>
#include <tokio/io/buf.hpp>
#include <tokio/io/error.hpp>

#include <futures/contract.hpp>
#include <futures/future_ext.hpp>

#include <cstddef>
#include <optional>
#include <tuple>
#include <utility>

namespace tokio::io {

/// Resolves to (writer, buf) once every byte of `buf` was accepted by `poll_write`
/// (it does not flush). Fails with WriteZero ("zero-length write") if `poll_write`
/// returns Ready(0). Aborts if polled after it resolved.
template <AsyncWrite A, ByteBuf T>
class WriteAll : public futures::FutureExt<WriteAll<A, T>> {
 public:
  using Item = std::tuple<A, T>;
  using Error = io::Error;

  WriteAll(A writer, T buf) : state_(std::in_place, std::move(writer), std::move(buf)) {}

  futures::Poll<Item, Error> poll() {
    if (!state_) futures::contract_violation("poll a WriteAll after it's done");
    auto& [writer, buf] = *state_;
    auto bytes = detail::bytes_of(buf);
    while (pos_ < bytes.size()) {
      std::size_t n = FUTURES_TRY_READY(writer.poll_write(bytes.subspan(pos_)));
      if (n == 0) return futures::Err(Error(ErrorKind::WriteZero, "zero-length write"));
      pos_ += n;
    }
    auto [a, b] = std::move(*state_);
    state_.reset();
    return futures::Ready(Item(std::move(a), std::move(b)));
  }

 private:
  std::optional<std::pair<A, T>> state_;  // empty once resolved
  std::size_t pos_ = 0;
};

/// Rust's `tokio::io::write_all(a, buf)`.
template <AsyncWrite A, ByteBuf T>
WriteAll<A, T> write_all(A writer, T buf) {
  return WriteAll<A, T>(std::move(writer), std::move(buf));
}

}  // namespace tokio::io
