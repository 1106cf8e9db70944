// tokio layer: the AsyncBufRead concept (Rust's `AsyncRead + BufRead`) and
// BufReader<R> (Rust's `std::io::BufReader`), which read_until and lines need: a
// buffered reader can hand back the bytes after a delimiter instead of losing them.
#pragma once

#include <tokio/io/async_read.hpp>
#include <tokio/io/async_write.hpp>
#include <tokio/io/error.hpp>

#include <futures/poll.hpp>

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <utility>

namespace tokio::io {

/// A reader with an internal buffer: `t.poll_fill_buf()` returns the buffered bytes,
/// reading more first if there are none (Ready(empty) = end of stream; NotReady
/// notifies as poll_read does); `t.consume(n)` marks the first n of them used.
template <class T>
concept AsyncBufRead = AsyncRead<T> && requires(T& t, std::size_t n) {
  { t.poll_fill_buf() } -> std::same_as<futures::Poll<std::span<const std::uint8_t>, Error>>;
  t.consume(n);
};

/// Rust's `BufReader<R>`: reads `R` in chunks of `capacity` bytes (8 KiB by default,
/// as in Rust). Reads at least as large as the buffer bypass it. AsyncWrite calls pass
/// straight through to R.
template <AsyncRead R>
class BufReader {
 public:
  static constexpr std::size_t kDefaultCapacity = 8 * 1024;

  explicit BufReader(R inner) : BufReader(kDefaultCapacity, std::move(inner)) {}
  BufReader(std::size_t capacity, R inner)
      : inner_(std::move(inner)), buf_(std::make_unique_for_overwrite<std::uint8_t[]>(capacity)), cap_(capacity) {}

  /// Rust's `BufReader::with_capacity(cap, inner)`.
  static BufReader with_capacity(std::size_t capacity, R inner) { return BufReader(capacity, std::move(inner)); }

  const R& get_ref() const noexcept { return inner_; }
  R& get_mut() noexcept { return inner_; }
  /// The bytes read from R but not consumed yet (Rust's `buffer()`).
  std::span<const std::uint8_t> buffer() const noexcept { return {buf_.get() + pos_, filled_ - pos_}; }
  /// Gives R back; buffered bytes are lost, as in Rust.
  R into_inner() && { return std::move(inner_); }

  futures::Poll<std::span<const std::uint8_t>, Error> poll_fill_buf() {
    if (pos_ == filled_) {
      std::size_t n = FUTURES_TRY_READY(inner_.poll_read(std::span<std::uint8_t>(buf_.get(), cap_)));
      pos_ = 0;
      filled_ = n;
    }
    return futures::Ready(buffer());
  }
  void consume(std::size_t n) noexcept { pos_ = std::min(pos_ + n, filled_); }

  futures::Poll<std::size_t, Error> poll_read(std::span<std::uint8_t> out) {
    if (pos_ == filled_ && out.size() >= cap_) return inner_.poll_read(out);
    auto avail = FUTURES_TRY_READY(poll_fill_buf());
    std::size_t n = std::min(avail.size(), out.size());
    if (n != 0) std::memcpy(out.data(), avail.data(), n);
    consume(n);
    return futures::Ready(n);
  }

  futures::Poll<std::size_t, Error> poll_write(std::span<const std::uint8_t> data)
    requires AsyncWrite<R>
  {
    return inner_.poll_write(data);
  }
  futures::Poll<futures::Unit, Error> poll_flush()
    requires AsyncWrite<R>
  {
    return inner_.poll_flush();
  }
  futures::Poll<futures::Unit, Error> shutdown()
    requires AsyncWrite<R>
  {
    return inner_.shutdown();
  }

 private:
  R inner_;
  std::unique_ptr<std::uint8_t[]> buf_;
  std::size_t cap_;
  std::size_t pos_ = 0;     // first unconsumed byte
  std::size_t filled_ = 0;  // end of the bytes read
};

}  // namespace tokio::io
