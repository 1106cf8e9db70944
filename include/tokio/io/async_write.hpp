// tokio layer: the AsyncWrite concept (Rust's `tokio_io::AsyncWrite`) and `write_buf`.
// Mirrors tokio-io 0.1.22 `src/async_write.rs`.
#pragma once

#include <tokio/io/cursor.hpp>
#include <tokio/io/error.hpp>

#include <futures/poll.hpp>
#include <futures/unit.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>

namespace tokio::io {

/// Rust's `AsyncWrite`:
///  - `t.poll_write(buf)`: Ready(n) wrote the first n bytes of `buf` (0 only if `buf` is
///    empty or the writer can take no more: write_all and copy report WriteZero);
///    NotReady: the current task will be notified when it may write;
///  - `t.poll_flush()`: Ready once everything written has reached its destination;
///  - `t.shutdown()`: Ready once the writer is flushed and shut down (for a socket, the
///    write side is closed); returns NotReady until then.
template <class T>
concept AsyncWrite = requires(T& t, std::span<const std::uint8_t> buf) {
  { t.poll_write(buf) } -> std::same_as<futures::Poll<std::size_t, Error>>;
  { t.poll_flush() } -> std::same_as<futures::Poll<futures::Unit, Error>>;
  { t.shutdown() } -> std::same_as<futures::Poll<futures::Unit, Error>>;
};

/// Rust's `AsyncWrite::write_buf(&mut Buf)`: writes the bytes of `buf` after its
/// position and advances the position by the count written. With nothing left it
/// returns Ready(0) without calling `poll_write`.
template <AsyncWrite W, class T>
futures::Poll<std::size_t, Error> write_buf(W& writer, Cursor<T>& buf) {
  auto rest = buf.remaining_slice();
  if (rest.empty()) return futures::Ready(std::size_t{0});
  auto polled = writer.poll_write(rest);
  if (polled.is_ok() && polled.unwrap_ref().is_ready()) buf.advance(polled.unwrap_ref().value());
  return polled;
}

}  // namespace tokio::io
