// tokio layer: Cursor<T>, Rust's `std::io::Cursor`: an in-memory buffer with a position,
// which is AsyncRead (it reads from the position; never NotReady) and, over a vector
// or a writable span, AsyncWrite (it writes at the position). It is also the `Buf`
// that `write_buf` advances. Rust's `&[u8]` reader is `Cursor<std::span<const uint8_t>>`
// and its `Vec<u8>` writer is `Cursor<std::vector<uint8_t>>`.
#pragma once

#include <tokio/io/buf.hpp>
#include <tokio/io/error.hpp>

#include <futures/poll.hpp>
#include <futures/unit.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

namespace tokio::io {

template <ByteBuf T>
class Cursor {
 public:
  Cursor() = default;
  explicit Cursor(T inner) : inner_(std::move(inner)) {}

  std::uint64_t position() const noexcept { return pos_; }
  void set_position(std::uint64_t pos) noexcept { pos_ = pos; }

  const T& get_ref() const noexcept { return inner_; }
  T& get_mut() noexcept { return inner_; }
  T into_inner() && { return std::move(inner_); }

  /// The bytes after the position (empty if the position is past the end).
  std::span<const std::uint8_t> remaining_slice() const {
    auto all = detail::bytes_of(inner_);
    return all.subspan(std::min<std::uint64_t>(pos_, all.size()));
  }
  /// Rust's `Buf::advance`.
  void advance(std::size_t n) noexcept { pos_ += n; }

  /// Copies from the position; Ready(0) at the end. Never NotReady.
  futures::Poll<std::size_t, Error> poll_read(std::span<std::uint8_t> buf) {
    auto rest = remaining_slice();
    std::size_t n = std::min(rest.size(), buf.size());
    if (n != 0) std::memcpy(buf.data(), rest.data(), n);
    pos_ += n;
    return futures::Ready(n);
  }

  /// Writes at the position: a vector grows (zero-filling a gap if the position is
  /// past its end); a fixed buffer takes what fits (Ready(0) when full).
  futures::Poll<std::size_t, Error> poll_write(std::span<const std::uint8_t> buf)
    requires ByteBufMut<T>
  {
    std::size_t n = buf.size();
    if constexpr (std::is_same_v<T, std::vector<std::uint8_t>>) {
      if (inner_.size() < pos_ + n) inner_.resize(pos_ + n);
    } else {
      auto size = std::ranges::size(inner_);
      n = pos_ >= size ? 0 : std::min<std::size_t>(n, size - pos_);
    }
    if (n != 0) std::memcpy(detail::bytes_of_mut(inner_).data() + pos_, buf.data(), n);
    pos_ += n;
    return futures::Ready(n);
  }
  futures::Poll<futures::Unit, Error> poll_flush()
    requires ByteBufMut<T>
  {
    return futures::Ready(futures::Unit{});
  }
  futures::Poll<futures::Unit, Error> shutdown()
    requires ByteBufMut<T>
  {
    return futures::Ready(futures::Unit{});
  }

 private:
  T inner_{};
  std::uint64_t pos_ = 0;
};

}  // namespace tokio::io
