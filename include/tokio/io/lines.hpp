// tokio layer: io::lines and Lines, the lines of a reader as a stream. Mirrors tokio-io
// 0.1.22 `src/lines.rs`.
#pragma once

#include <tokio/io/buf_reader.hpp>
#include <tokio/io/error.hpp>
#include <tokio/io/read_until.hpp>

#include <futures/stream_ext.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace tokio::io {

/// A stream of the lines of `A`, each without its "\n" or "\r\n"; a last line without
/// a newline is yielded too. The bytes are not checked for UTF-8 (Rust fails with
/// InvalidData): a std::string holds any bytes. A reader that is not AsyncBufRead is
/// wrapped in a BufReader, which `into_inner` returns.
template <AsyncRead A>
class Lines : public futures::StreamExt<Lines<A>> {
 public:
  using Reader = std::conditional_t<AsyncBufRead<A>, A, BufReader<A>>;
  using Item = std::string;
  using Error = io::Error;

  explicit Lines(A reader) : reader_(std::move(reader)) {}

  futures::Poll<std::optional<std::string>, Error> poll() {
    bool found = FUTURES_TRY_READY(detail::poll_read_until(reader_, std::uint8_t{'\n'}, line_));
    if (!found && line_.empty()) return futures::Ready(std::optional<std::string>());
    if (found) {
      line_.pop_back();
      if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    }
    std::string out(line_.begin(), line_.end());
    line_.clear();
    return futures::Ready(std::optional<std::string>(std::move(out)));
  }

  const Reader& get_ref() const noexcept { return reader_; }
  Reader& get_mut() noexcept { return reader_; }
  Reader into_inner() && { return std::move(reader_); }

 private:
  Reader reader_;
  std::vector<std::uint8_t> line_;  // the line so far, kept across NotReady
};

/// Rust's `tokio::io::lines(a)`.
template <AsyncRead A>
Lines<A> lines(A reader) {
  return Lines<A>(std::move(reader));
}

}  // namespace tokio::io
