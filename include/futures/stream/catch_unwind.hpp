// futures layer: stream::CatchUnwind, the stream returned by `catch_unwind()`. Mirrors
// futures 0.1 `src/stream/catch_unwind.rs`; Rust's panic is a C++ exception here.
#pragma once

#include <futures/stream_ext.hpp>

#include <exception>
#include <optional>
#include <utility>

namespace futures::stream {

/// Polls S and catches any exception its poll throws (futures::Panic from `unwrap`
/// included). As in Rust, Item is S's outcome, `Result<S::Item, S::Error>` (S's errors
/// become items), and the Error, `std::exception_ptr`, carries what was thrown.
///
/// After an exception S is destroyed (Rust drops it while unwinding), the next poll
/// returns Ready(nullopt), and polling after that is a contract violation ("cannot
/// poll after eof"). The normal end of S is passed on and S is kept: polling again
/// polls S again, as Rust does.
///
/// Notifies: nothing itself; S arranges the notification on NotReady.
template <class S>
class CatchUnwind : public StreamExt<CatchUnwind<S>> {
 public:
  using Item = Result<typename S::Item, typename S::Error>;
  using Error = std::exception_ptr;

  explicit CatchUnwind(S stream) : stream_(std::in_place, std::move(stream)) {}

  Poll<std::optional<Item>, Error> poll() {
    if (!stream_) {
      if (state_ == State::Done) contract_violation("stream::CatchUnwind: cannot poll after eof");
      state_ = State::Done;
      return Ready(std::optional<Item>());
    }
    std::optional<Poll<std::optional<typename S::Item>, typename S::Error>> polled;
    try {
      polled.emplace(stream_->poll());
    } catch (...) {
      stream_.reset();  // state_ stays Eof: the next poll ends the stream
      return Err(std::current_exception());
    }
    if (polled->is_err()) return Ready(std::optional<Item>(std::in_place, Err(std::move(*polled).unwrap_err())));
    if (polled->unwrap_ref().is_not_ready()) return NotReady;
    std::optional<typename S::Item> item = std::move(*polled).unwrap().value();
    if (!item) return Ready(std::optional<Item>());
    return Ready(std::optional<Item>(std::in_place, Ok(std::move(*item))));
  }

 private:
  enum class State { Eof, Done };

  std::optional<S> stream_;  // empty once S threw
  State state_ = State::Eof;   // after S threw: Eof until the end was reported, then Done
};

}  // namespace futures::stream
