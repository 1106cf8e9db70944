// tokio layer: io::read_to_end and ReadToEnd. Mirrors tokio-io 0.1.22
// `src/io/read_to_end.rs` (std's `Read::read_to_end` growth policy).
#pragma once

#include <tokio/io/async_read.hpp>
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

/// Appends everything up to end of stream to `buf` and resolves to (reader, buf).
/// Bytes read before a NotReady stay in `buf`. The vector grows by doubling (at least
/// 32 bytes). Aborts if polled after it resolved.
template <AsyncRead A>
class ReadToEnd : public futures::FutureExt<ReadToEnd<A>> {
 public:
  using Item = std::tuple<A, std::vector<std::uint8_t>>;
  using Error = io::Error;

  ReadToEnd(A reader, std::vector<std::uint8_t> buf)
      : state_(std::in_place, std::move(reader), std::move(buf)) {}

  futures::Poll<Item, Error> poll() {
    if (!state_) futures::contract_violation("poll ReadToEnd after it's done");
    auto& [reader, buf] = *state_;
    for (;;) {
      const std::size_t filled = buf.size();
      if (filled == buf.capacity()) buf.reserve(std::max<std::size_t>(32, 2 * filled));
      buf.resize(buf.capacity());
      auto polled = reader.poll_read(std::span<std::uint8_t>(buf).subspan(filled));
      if (polled.is_err() || polled.unwrap_ref().is_not_ready()) {
        buf.resize(filled);
        if (polled.is_err()) return futures::Err(std::move(polled).unwrap_err());
        return futures::NotReady;
      }
      std::size_t n = polled.unwrap_ref().value();
      buf.resize(filled + n);
      if (n == 0) break;
    }
    auto [a, b] = std::move(*state_);
    state_.reset();
    return futures::Ready(Item(std::move(a), std::move(b)));
  }

 private:
  std::optional<std::pair<A, std::vector<std::uint8_t>>> state_;  // empty once resolved
};

/// Rust's `tokio::io::read_to_end(a, buf)`.
template <AsyncRead A>
ReadToEnd<A> read_to_end(A reader, std::vector<std::uint8_t> buf) {
  return ReadToEnd<A>(std::move(reader), std::move(buf));
}

}  // namespace tokio::io
