// tokio layer: io::read_until and ReadUntil. Mirrors tokio-io 0.1.22
// `src/io/read_until.rs` (std's `BufRead::read_until`).
#pragma once

#include <tokio/io/async_read.hpp>
#include <tokio/io/buf_reader.hpp>
#include <tokio/io/error.hpp>

#include <futures/contract.hpp>
#include <futures/future_ext.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <tuple>
#include <utility>
#include <vector>

namespace tokio::io {
namespace detail {

/// Appends to `out` up to and including `byte`, or to end of stream. Ready(true) when
/// the delimiter was found, Ready(false) at end of stream; bytes appended before a
/// NotReady stay in `out`.
///
/// Rust requires `A: BufRead`. An AsyncBufRead reader is scanned a buffer at a time;
/// a plain AsyncRead one is read one byte at a time, so nothing after the delimiter is
/// taken from it (correct, but one poll_read per byte: wrap it in a BufReader).
template <AsyncRead A>
futures::Poll<bool, Error> poll_read_until(A& reader, std::uint8_t byte, std::vector<std::uint8_t>& out) {
  for (;;) {
    if constexpr (AsyncBufRead<A>) {
      auto avail = FUTURES_TRY_READY(reader.poll_fill_buf());
      if (avail.empty()) return futures::Ready(false);
      auto hit = std::find(avail.begin(), avail.end(), byte);
      bool found = hit != avail.end();
      std::size_t used = static_cast<std::size_t>(hit - avail.begin()) + (found ? 1 : 0);
      out.insert(out.end(), avail.begin(), avail.begin() + static_cast<std::ptrdiff_t>(used));
      reader.consume(used);
      if (found) return futures::Ready(true);
    } else {
      std::uint8_t one = 0;
      std::size_t n = FUTURES_TRY_READY(reader.poll_read(std::span<std::uint8_t>(&one, 1)));
      if (n == 0) return futures::Ready(false);
      out.push_back(one);
      if (one == byte) return futures::Ready(true);
    }
  }
}

}  // namespace detail

/// Resolves to (reader, buf) after appending to `buf` everything up to and including
/// `byte` (or up to end of stream, possibly nothing). Aborts if polled after it
/// resolved.
template <AsyncRead A>
class ReadUntil : public futures::FutureExt<ReadUntil<A>> {
 public:
  using Item = std::tuple<A, std::vector<std::uint8_t>>;
  using Error = io::Error;

  ReadUntil(A reader, std::uint8_t byte, std::vector<std::uint8_t> buf)
      : state_(std::in_place, std::move(reader), std::move(buf)), byte_(byte) {}

  futures::Poll<Item, Error> poll() {
    if (!state_) futures::contract_violation("poll ReadUntil after it's done");
    FUTURES_TRY_READY(detail::poll_read_until(state_->first, byte_, state_->second));
    auto [a, b] = std::move(*state_);
    state_.reset();
    return futures::Ready(Item(std::move(a), std::move(b)));
  }

 private:
  std::optional<std::pair<A, std::vector<std::uint8_t>>> state_;  // empty once resolved
  std::uint8_t byte_;
};

/// Rust's `tokio::io::read_until(a, byte, buf)`.
template <AsyncRead A>
ReadUntil<A> read_until(A reader, std::uint8_t byte, std::vector<std::uint8_t> buf) {
  return ReadUntil<A>(std::move(reader), byte, std::move(buf));
}

}  // namespace tokio::io
