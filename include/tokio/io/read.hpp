// tokio layer: io::read and Read, one read into a buffer. Mirrors tokio-io 0.1.22
// `src/io/read.rs`.
#pragma once

#include <tokio/io/async_read.hpp>
#include <tokio/io/buf.hpp>
#include <tokio/io/error.hpp>

#include <futures/contract.hpp>
#include <futures/future_ext.hpp>

#include <cstddef>
#include <optional>
#include <tuple>
#include <utility>

namespace tokio::io {

/// Resolves to (reader, buf, n) after one successful `poll_read` into all of `buf`
/// (n == 0 at end of stream). Aborts if polled after it resolved.
template <AsyncRead R, ByteBufMut T>
class Read : public futures::FutureExt<Read<R, T>> {
 public:
  using Item = std::tuple<R, T, std::size_t>;
  using Error = io::Error;

  Read(R reader, T buf) : state_(std::in_place, std::move(reader), std::move(buf)) {}

  futures::Poll<Item, Error> poll() {
    if (!state_) futures::contract_violation("poll a Read after it's done");
    auto& [reader, buf] = *state_;
    std::size_t n = FUTURES_TRY_READY(reader.poll_read(detail::bytes_of_mut(buf)));
    auto [r, b] = std::move(*state_);
    state_.reset();
    return futures::Ready(Item(std::move(r), std::move(b), n));
  }

 private:
  std::optional<std::pair<R, T>> state_;  // empty once resolved
};

/// Rust's `tokio::io::read(rd, buf)`: one read of up to `buf.size()` bytes.
template <AsyncRead R, ByteBufMut T>
Read<R, T> read(R reader, T buf) {
  return Read<R, T>(std::move(reader), std::move(buf));
}

}  // namespace tokio::io
