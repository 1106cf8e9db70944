// futures layer: CatchUnwind, the future returned by `catch_unwind`. Mirrors futures 0.1
// `src/future/catch_unwind.rs`; Rust's panic is a C++ exception here.
#pragma once

#include <futures/future_ext.hpp>

#include <exception>
#include <optional>
#include <utility>

namespace futures::future {

/// Polls A and catches any exception its poll throws (futures::Panic from `unwrap`
/// included): Item is A's outcome, `Result<A::Item, A::Error>`, and the Error
/// `std::exception_ptr` carries what was thrown.
///
/// A is destroyed as soon as it completes or throws (Rust drops it while unwinding).
///
/// Notifies: nothing itself; A arranges the notification when it returns NotReady.
/// Aborts: polling again after Ready or an error is a contract violation, reported
/// outside the catch.
template <class A>
class CatchUnwind : public FutureExt<CatchUnwind<A>> {
 public:
  using Item = Result<typename A::Item, typename A::Error>;
  using Error = std::exception_ptr;

  explicit CatchUnwind(A future) : future_(std::in_place, std::move(future)) {}

  Poll<Item, Error> poll() {
    if (!future_) contract_violation("CatchUnwind polled after it completed");
    std::optional<Poll<typename A::Item, typename A::Error>> polled;
    try {
      polled.emplace(future_->poll());
    } catch (...) {
      future_.reset();
      return Err(std::current_exception());
    }
    if (polled->is_ok() && polled->unwrap_ref().is_not_ready()) return NotReady;
    future_.reset();
    if (polled->is_ok()) return Ready(Item(Ok(std::move(*polled).unwrap().value())));
    return Ready(Item(Err(std::move(*polled).unwrap_err())));
  }

 private:
  std::optional<A> future_;  // empty once A completed or threw
};

}  // namespace futures::future
