// tokio layer: the AsyncRead concept (Rust's `tokio_io::AsyncRead`) and `read_buf`.
// Mirrors tokio-io 0.1.22 `src/async_read.rs`.
//
// Rust's AsyncRead is `std::io::Read` plus "WouldBlock means NotReady". Here the one
// required member is `poll_read`, which already speaks futures' Poll: a type that wraps
// a non-blocking OS handle turns its WouldBlock into NotReady (PollEvented does).
#pragma once

#include <tokio/io/error.hpp>

#include <futures/poll.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace tokio::io {

/// Rust's `AsyncRead`: `t.poll_read(buf)` reads into `buf` and returns
///  - Ready(n), n > 0: the first n bytes of `buf` were filled;
///  - Ready(0): end of stream (or `buf` was empty);
///  - NotReady: nothing to read now; the current task will be notified when there may
///    be (so it must be called inside a task);
///  - Err(e): an I/O error.
template <class T>
concept AsyncRead = requires(T& t, std::span<std::uint8_t> buf) {
  { t.poll_read(buf) } -> std::same_as<futures::Poll<std::size_t, Error>>;
};

/// Rust's `AsyncRead::read_buf(&mut BufMut)`, over a vector (there is no bytes crate
/// yet): reads into the spare capacity `[buf.size(), buf.capacity())` and grows
/// `buf.size()` by the count read. With no spare capacity it returns Ready(0) without
/// calling `poll_read`. The spare bytes are zeroed before the read (Rust's
/// `prepare_uninitialized_buffer` default); on NotReady or an error `buf` keeps its size.
template <AsyncRead R>
futures::Poll<std::size_t, Error> read_buf(R& reader, std::vector<std::uint8_t>& buf) {
  const std::size_t filled = buf.size();
  if (filled == buf.capacity()) return futures::Ready(std::size_t{0});
  buf.resize(buf.capacity());
  auto polled = reader.poll_read(std::span<std::uint8_t>(buf).subspan(filled));
  std::size_t n = 0;
  if (polled.is_ok() && polled.unwrap_ref().is_ready()) n = polled.unwrap_ref().value();
  buf.resize(filled + n);
  return polled;
}

}  // namespace tokio::io
