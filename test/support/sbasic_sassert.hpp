// Test support: futures 0.1 tests/support's stream assertions (`sassert_done`,
// `sassert_empty`, `sassert_next`, `sassert_err`) and `delay_future`.
//
// Each sassert polls the stream once in its own task, as Rust's
// `executor::spawn(s).poll_stream_notify(..)` does: sassert_empty with a no-op
// notifier, the others with one that fails the test if notified.
#pragma once

#include <futures/future_ext.hpp>
#include <futures/task.hpp>

#include <gtest/gtest.h>

#include <utility>

#include "support/notify.hpp"

namespace futures_test {

/// Asserts that polling `s` yields the end, Ready(nullopt).
template <class S>
void sassert_done(S& s) {
  auto p = poll_once(s, panic_notify());
  ASSERT_TRUE(p.is_ok()) << "stream had an error";
  ASSERT_TRUE(p.unwrap_ref().is_ready()) << "stream wasn't ready";
  ASSERT_FALSE(p.unwrap_ref().value().has_value()) << "stream had more elements";
}

/// Asserts that polling `s` returns NotReady.
template <class S>
void sassert_empty(S& s) {
  auto p = poll_once(s, noop_notify());
  ASSERT_TRUE(p.is_ok()) << "stream had an error";
  ASSERT_TRUE(p.unwrap_ref().is_not_ready())
      << (p.unwrap_ref().value().has_value() ? "stream had more elements" : "stream is at its end");
}

/// Asserts that polling `s` yields the item `item`.
template <class S, class T>
void sassert_next(S& s, const T& item) {
  auto p = poll_once(s, panic_notify());
  ASSERT_TRUE(p.is_ok()) << "stream had an error";
  ASSERT_TRUE(p.unwrap_ref().is_ready()) << "stream wasn't ready";
  ASSERT_TRUE(p.unwrap_ref().value().has_value()) << "stream is at its end";
  ASSERT_EQ(*p.unwrap_ref().value(), item);
}

/// Asserts that polling `s` yields the error `err`.
template <class S, class E>
void sassert_err(S& s, const E& err) {
  auto p = poll_once(s, panic_notify());
  ASSERT_TRUE(p.is_err()) << "expected an error";
  ASSERT_EQ(p.unwrap_err_ref(), err);
}

/// Rust's `DelayFuture`: one NotReady (after notifying the current task) before
/// polling the inner future.
template <class F>
class DelayFuture : public futures::FutureExt<DelayFuture<F>> {
 public:
  using Item = typename F::Item;
  using Error = typename F::Error;

  explicit DelayFuture(F inner) : inner_(std::move(inner)) {}

  futures::Poll<Item, Error> poll() {
    if (delayed_) return inner_.poll();
    delayed_ = true;
    futures::task::current().notify();
    return futures::NotReady;
  }

 private:
  F inner_;
  bool delayed_ = false;
};

/// Introduces one NotReady before polling `f` (a future or a Result).
template <class F>
auto delay_future(F f) {
  return DelayFuture<futures::IntoFutureT<F>>(futures::into_future(std::move(f)));
}

}  // namespace futures_test
