// tokio layer: io::read_exact and ReadExact, fill a whole buffer. Mirrors tokio-io
// 0.1.22 `src/io/read_exact.rs`.
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

/// Resolves to (reader, buf) once all of `buf` is filled. Fails with UnexpectedEof
/// ("early eof") if the stream ends first; the bytes read so far are then lost with
/// the buffer, as in Rust. Aborts if polled after it resolved.
template <AsyncRead A, ByteBufMut T>
class ReadExact : public futures::FutureExt<ReadExact<A, T>> {
 public:
  using Item = std::tuple<A, T>;
  using Error = io::Error;

  ReadExact(A reader, T buf) : state_(std::in_place, std::move(reader), std::move(buf)) {}

  futures::Poll<Item, Error> poll() {
    if (!state_) futures::contract_violation("poll a ReadExact after it's done");
    auto& [reader, buf] = *state_;
    auto bytes = detail::bytes_of_mut(buf);
    while (pos_ < bytes.size()) {
      std::size_t n = FUTURES_TRY_READY(reader.poll_read(bytes.subspan(pos_)));
      if (n == 0) return futures::Err(Error(ErrorKind::UnexpectedEof, "early eof"));
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

/// Rust's `tokio::io::read_exact(a, buf)`.
template <AsyncRead A, ByteBufMut T>
ReadExact<A, T> read_exact(A reader, T buf) {
  return ReadExact<A, T>(std::move(reader), std::move(buf));
}

}  // namespace tokio::io
