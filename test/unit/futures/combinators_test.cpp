// Unit tests: map_err, from_err, or_else, then, inspect, flatten, fuse, catch_unwind,
// BoxFuture, into_stream, lazy, poll_fn, loop_fn, empty and option
// (include/futures/future/*.hpp). Each combinator: success, error, NotReady and the
// notification passing through, drop = cancel, callbacks called once and released
// eagerly, and the contract violation on a poll after completion.
#include <futures/future.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "support/assert_poll.hpp"
#include "support/counted.hpp"
#include "support/manual_future.hpp"
#include "support/notify.hpp"

// One namespace per file: a unity build compiles several test files as one unit.
namespace future_combinators_test {

using namespace futures;
using futures_test::Counted;
using futures_test::CountingNotify;
using futures_test::LifetimeCounts;
using futures_test::make_slot;
using futures_test::Manual;
using futures_test::Slot;

namespace {

// ===== Test futures =====

std::shared_ptr<CountingNotify> counting() {
  return std::make_shared<CountingNotify>();
}

/// Empty callables, to measure combinator sizes without captures.
struct Stateless {
  int operator()(int x) const { return x; }
};
struct NullaryPoll {
  Poll<int, int> operator()() const { return NotReady; }
};

}  // namespace

// ===== map_err =====

TEST(MapErr, success_passes_through_without_calling_f) {
  int calls = 0;
  auto f = future::ok<int, int>(5).map_err([&](int e) {
    ++calls;
    return e;
  });
  ASSERT_READY_EQ(f, 5);
  EXPECT_EQ(calls, 0);
}

TEST(MapErr, error_is_mapped_once) {
  int calls = 0;
  auto f = future::err<int, int>(5).map_err([&](int e) {
    ++calls;
    return std::to_string(e * 2);
  });
  static_assert(std::is_same_v<decltype(f)::Error, std::string>);
  ASSERT_ERR_EQ(f, std::string("10"));
  EXPECT_EQ(calls, 1);
}

TEST(MapErr, void_callback_gives_unit_error) {
  bool called = false;
  auto f = future::err<int, int>(1).map_err([&](int) { called = true; });
  static_assert(std::is_same_v<decltype(f)::Error, Unit>);
  ASSERT_ERR_EQ(f, Unit{});
  EXPECT_TRUE(called);
}

TEST(MapErr, not_ready_passes_through_and_the_inner_future_notifies) {
  LifetimeCounts counts;
  auto slot = make_slot<int, int>();
  auto f = Manual(slot, counts).map_err([](int e) { return e + 1; });
  auto notify = counting();
  executor::NotifyHandle handle(notify);
  auto p = futures_test::poll_once(f, handle);
  ASSERT_EQ(p, Ok(Async<int>(NotReady)));
  EXPECT_EQ(notify->count(), 0u);
  slot->complete(Err(41));
  EXPECT_EQ(notify->count(), 1u);
  ASSERT_ERR_EQ(f, 42);
}

TEST(MapErr, drop_cancels_the_inner_future_and_never_calls_f) {
  LifetimeCounts counts;
  LifetimeCounts captured;
  bool called = false;
  {
    auto slot = make_slot<int, int>();
    auto f = Manual(slot, counts).map_err([&, c = Counted(captured)](int e) {
      called = true;
      return e;
    });
    ASSERT_NOT_READY(f);
    EXPECT_EQ(counts.alive(), 1);
  }
  EXPECT_EQ(counts.alive(), 0);
  EXPECT_EQ(captured.alive(), 0);
  EXPECT_FALSE(called);
}

TEST(MapErr, callback_is_released_once_it_ran) {
  LifetimeCounts captured;
  auto f = future::err<int, int>(1).map_err([c = Counted(captured)](int e) { return e; });
  EXPECT_EQ(captured.alive(), 1);
  ASSERT_ERR_EQ(f, 1);
  EXPECT_EQ(captured.alive(), 0);
}

TEST(MapErr, small) {
  using F = future::MapErr<future::FutureResult<int, int>, Stateless>;
  EXPECT_LE(sizeof(F), sizeof(future::FutureResult<int, int>) + alignof(F));
}

TEST(MapErrDeathTest, poll_after_completion_is_a_contract_violation) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto f = future::err<int, int>(1).map_err([](int e) { return e; });
  ASSERT_ERR_EQ(f, 1);
  EXPECT_DEATH((void)futures_test::poll_noop(f), "MapErr polled after it completed");
}

// ===== from_err =====

namespace {
struct WideError {
  explicit WideError(int c) : code(c) {}
  int code;
  friend bool operator==(const WideError&, const WideError&) = default;
  friend std::ostream& operator<<(std::ostream& os, const WideError& e) {
    return os << "WideError(" << e.code << ")";
  }
};
}  // namespace

TEST(FromErr, converts_the_error) {
  auto f = future::err<int, int>(3).from_err<WideError>();
  static_assert(std::is_same_v<decltype(f)::Error, WideError>);
  ASSERT_ERR_EQ(f, WideError(3));
}

TEST(FromErr, success_passes_through) {
  auto f = future::ok<int, int>(3).from_err<long>();
  ASSERT_READY_EQ(f, 3);
}

TEST(FromErr, not_ready_passes_through_and_the_inner_future_notifies) {
  LifetimeCounts counts;
  auto slot = make_slot<int, int>();
  auto f = Manual(slot, counts).from_err<WideError>();
  auto notify = counting();
  auto p = futures_test::poll_once(f, executor::NotifyHandle(notify));
  ASSERT_TRUE(p.is_ok() && p.unwrap_ref().is_not_ready());
  slot->complete(Err(8));
  EXPECT_EQ(notify->count(), 1u);
  ASSERT_ERR_EQ(f, WideError(8));
}

TEST(FromErr, drop_cancels) {
  LifetimeCounts counts;
  {
    auto slot = make_slot<int, int>();
    auto f = Manual(slot, counts).from_err<long>();
    ASSERT_NOT_READY(f);
  }
  EXPECT_EQ(counts.alive(), 0);
}

TEST(FromErr, small) {
  using A = future::FutureResult<int, int>;
  EXPECT_EQ(sizeof(future::FromErr<A, long>), sizeof(A));
}

TEST(FromErrDeathTest, poll_after_completion_is_a_contract_violation) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto f = future::ok<int, int>(1).from_err<long>();
  ASSERT_READY(f);
  EXPECT_DEATH((void)futures_test::poll_noop(f), "polled after it completed");
}

// ===== or_else =====

TEST(OrElse, success_skips_the_callback) {
  int calls = 0;
  auto f = future::ok<int, int>(1).or_else([&](int) {
    ++calls;
    return future::ok<int, int>(2);
  });
  ASSERT_READY_EQ(f, 1);
  EXPECT_EQ(calls, 0);
}

TEST(OrElse, error_runs_the_callback_future) {
  int calls = 0;
  auto f = future::err<int, int>(1).or_else([&](int e) {
    ++calls;
    return future::err<int, std::string>(std::to_string(e + 1));
  });
  static_assert(std::is_same_v<decltype(f)::Error, std::string>);
  ASSERT_ERR_EQ(f, std::string("2"));
  EXPECT_EQ(calls, 1);
}

TEST(OrElse, callback_may_return_a_result_or_void) {
  auto f = future::err<int, int>(1).or_else([](int e) { return Result<int, int>(Ok(e + 10)); });
  ASSERT_READY_EQ(f, 11);
  auto g = future::err<Unit, int>(1).or_else([](int) {});
  static_assert(std::is_same_v<decltype(g)::Error, int>);
  ASSERT_READY_EQ(g, Unit{});
}

TEST(OrElse, not_ready_in_both_stages_passes_notifications_through) {
  LifetimeCounts counts;
  auto slot1 = make_slot<int, int>();
  auto slot2 = make_slot<int, int>();
  auto f = Manual(slot1, counts).or_else([s = Manual(slot2, counts)](int) mutable {
    return std::move(s);
  });
  auto notify = counting();
  executor::NotifyHandle handle(notify);
  ASSERT_TRUE(futures_test::poll_once(f, handle).unwrap().is_not_ready());
  slot1->complete(Err(1));
  EXPECT_EQ(notify->count(), 1u);
  ASSERT_TRUE(futures_test::poll_once(f, handle).unwrap().is_not_ready());
  EXPECT_EQ(counts.alive(), 1);  // the first future was dropped once it completed
  slot2->complete(Ok(7));
  EXPECT_EQ(notify->count(), 2u);
  ASSERT_EQ(futures_test::poll_once(f, handle), Ok(Async<int>(Ready(7))));
}

TEST(OrElse, drop_cancels_either_stage) {
  LifetimeCounts counts;
  {
    auto slot1 = make_slot<int, int>();
    auto f = Manual(slot1, counts).or_else([](int e) { return future::err<int, int>(e); });
    ASSERT_NOT_READY(f);
  }
  EXPECT_EQ(counts.alive(), 0);
  {
    auto slot2 = make_slot<int, int>();
    auto f = future::err<int, int>(1).or_else(
        [s = Manual(slot2, counts)](int) mutable { return std::move(s); });
    ASSERT_NOT_READY(f);
    EXPECT_EQ(counts.alive(), 1);
  }
  EXPECT_EQ(counts.alive(), 0);
}

TEST(OrElseDeathTest, poll_after_completion_is_a_contract_violation) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto f = future::ok<int, int>(1).or_else([](int e) { return future::err<int, int>(e); });
  ASSERT_READY(f);
  EXPECT_DEATH((void)futures_test::poll_noop(f), "polled after it completed");
}

// ===== then =====

TEST(Then, callback_gets_the_ok_result) {
  auto f = future::ok<int, int>(2).then([](Result<int, int> r) {
    EXPECT_EQ(r, Ok(2));
    return future::ok<std::string, long>("two");
  });
  static_assert(std::is_same_v<decltype(f)::Item, std::string>);
  static_assert(std::is_same_v<decltype(f)::Error, long>);
  ASSERT_READY_EQ(f, std::string("two"));
}

TEST(Then, callback_gets_the_err_result_and_may_recover) {
  int calls = 0;
  auto f = future::err<int, int>(2).then([&](Result<int, int> r) {
    ++calls;
    return Result<int, int>(Ok(r.unwrap_err() * 3));
  });
  ASSERT_READY_EQ(f, 6);
  EXPECT_EQ(calls, 1);
}

TEST(Then, void_callback_gives_unit_item_and_error) {
  auto f = future::err<int, int>(2).then([](const Result<int, int>&) {});
  static_assert(std::is_same_v<decltype(f)::Item, Unit>);
  static_assert(std::is_same_v<decltype(f)::Error, Unit>);
  ASSERT_READY_EQ(f, Unit{});
}

TEST(Then, not_ready_passes_through_and_drop_cancels) {
  LifetimeCounts counts;
  LifetimeCounts captured;
  bool called = false;
  {
    auto slot = make_slot<int, int>();
    auto f =
        Manual(slot, counts).then([&, c = Counted(captured)](Result<int, int>) { called = true; });
    auto notify = counting();
    ASSERT_TRUE(futures_test::poll_once(f, executor::NotifyHandle(notify)).unwrap().is_not_ready());
    slot->complete(Ok(1));
    EXPECT_EQ(notify->count(), 1u);
  }
  EXPECT_EQ(counts.alive(), 0);
  EXPECT_EQ(captured.alive(), 0);
  EXPECT_FALSE(called);
}

TEST(Then, callback_is_released_before_the_second_stage_runs) {
  LifetimeCounts captured;
  auto f = future::ok<int, int>(1)
               .then([c = Counted(captured)](Result<int, int> r) { return r; })
               .map([&](int v) {
                 EXPECT_EQ(captured.alive(), 0);
                 return v;
               });
  ASSERT_READY_EQ(f, 1);
}

TEST(ThenDeathTest, poll_after_completion_is_a_contract_violation) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto f = future::ok<int, int>(1).then([](Result<int, int> r) { return r; });
  ASSERT_READY(f);
  EXPECT_DEATH((void)futures_test::poll_noop(f), "polled after it completed");
}

// ===== inspect =====

TEST(Inspect, sees_the_item_once_and_passes_it_on) {
  int seen = 0;
  int calls = 0;
  auto f = future::ok<int, int>(4).inspect([&](const int& v) {
    seen = v;
    ++calls;
  });
  ASSERT_READY_EQ(f, 4);
  EXPECT_EQ(seen, 4);
  EXPECT_EQ(calls, 1);
}

TEST(Inspect, errors_skip_the_callback) {
  bool called = false;
  auto f = future::err<int, int>(4).inspect([&](const int&) { called = true; });
  ASSERT_ERR_EQ(f, 4);
  EXPECT_FALSE(called);
}

TEST(Inspect, not_ready_passes_through_and_drop_cancels) {
  LifetimeCounts counts;
  LifetimeCounts captured;
  {
    auto slot = make_slot<std::string, int>();
    auto f = Manual(slot, counts).inspect([c = Counted(captured)](const std::string&) {});
    auto notify = counting();
    ASSERT_TRUE(futures_test::poll_once(f, executor::NotifyHandle(notify)).unwrap().is_not_ready());
    slot->complete(Ok(std::string("x")));
    EXPECT_EQ(notify->count(), 1u);
    ASSERT_READY_EQ(f, std::string("x"));
    EXPECT_EQ(captured.alive(), 0);  // released once it ran
  }
  EXPECT_EQ(counts.alive(), 0);
}

TEST(InspectDeathTest, poll_after_completion_is_a_contract_violation) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto f = future::ok<int, int>(1).inspect([](const int&) {});
  ASSERT_READY(f);
  EXPECT_DEATH((void)futures_test::poll_noop(f), "Inspect polled after it completed");
}

// ===== flatten =====

TEST(Flatten, runs_the_inner_future) {
  auto f = future::ok<future::FutureResult<int, int>, int>(future::ok<int, int>(9)).flatten();
  ASSERT_READY_EQ(f, 9);
  auto g = future::ok<future::FutureResult<int, int>, int>(future::err<int, int>(2)).flatten();
  ASSERT_ERR_EQ(g, 2);
}

TEST(Flatten, inner_result_is_a_future_too) {
  auto f = future::ok<Result<int, int>, int>(Result<int, int>(Ok(3))).flatten();
  ASSERT_READY_EQ(f, 3);
}

TEST(Flatten, outer_error_converts_to_the_inner_error) {
  auto f = future::err<future::FutureResult<int, WideError>, int>(5).flatten();
  static_assert(std::is_same_v<decltype(f)::Error, WideError>);
  ASSERT_ERR_EQ(f, WideError(5));
}

TEST(Flatten, not_ready_in_both_stages_and_drop_cancels) {
  LifetimeCounts counts;
  {
    auto slot1 = make_slot<Manual<int, int>, int>();
    auto slot2 = make_slot<int, int>();
    auto f = Manual(slot1, counts).flatten();
    auto notify = counting();
    executor::NotifyHandle handle(notify);
    ASSERT_TRUE(futures_test::poll_once(f, handle).unwrap().is_not_ready());
    slot1->complete(Ok(Manual(slot2, counts)));
    EXPECT_EQ(notify->count(), 1u);
    ASSERT_TRUE(futures_test::poll_once(f, handle).unwrap().is_not_ready());
    EXPECT_EQ(counts.alive(), 1);  // only the inner future is left
    EXPECT_EQ(slot2->polls, 1);
  }
  EXPECT_EQ(counts.alive(), 0);
}

TEST(FlattenDeathTest, poll_after_completion_is_a_contract_violation) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto f = future::ok<future::FutureResult<int, int>, int>(future::ok<int, int>(9)).flatten();
  ASSERT_READY(f);
  EXPECT_DEATH((void)futures_test::poll_noop(f), "polled after it completed");
}

// ===== fuse =====

TEST(Fuse, completes_once_then_not_ready_forever) {
  auto f = future::err<int, int>(1).fuse();
  EXPECT_FALSE(f.is_done());
  ASSERT_ERR_EQ(f, 1);
  EXPECT_TRUE(f.is_done());
  ASSERT_NOT_READY(f);
  ASSERT_NOT_READY(f);
}

TEST(Fuse, not_ready_passes_through_and_the_inner_is_dropped_on_completion) {
  LifetimeCounts counts;
  auto slot = make_slot<int, int>();
  auto f = Manual(slot, counts).fuse();
  auto notify = counting();
  executor::NotifyHandle handle(notify);
  ASSERT_TRUE(futures_test::poll_once(f, handle).unwrap().is_not_ready());
  EXPECT_FALSE(f.is_done());
  slot->complete(Ok(3));
  EXPECT_EQ(notify->count(), 1u);
  ASSERT_EQ(futures_test::poll_once(f, handle), Ok(Async<int>(Ready(3))));
  EXPECT_EQ(counts.alive(), 0);
  // After completion the NotReady arranges no notification at all.
  ASSERT_TRUE(futures_test::poll_once(f, futures_test::panic_notify()).unwrap().is_not_ready());
}

TEST(Fuse, drop_cancels) {
  LifetimeCounts counts;
  {
    auto slot = make_slot<int, int>();
    auto f = Manual(slot, counts).fuse();
    ASSERT_NOT_READY(f);
  }
  EXPECT_EQ(counts.alive(), 0);
}

// ===== catch_unwind =====

TEST(CatchUnwind, success_and_error_become_the_item) {
  auto f = future::ok<int, int>(1).catch_unwind();
  static_assert(std::is_same_v<decltype(f)::Item, Result<int, int>>);
  static_assert(std::is_same_v<decltype(f)::Error, std::exception_ptr>);
  auto p = futures_test::poll_noop(f);
  ASSERT_TRUE(p.is_ok());
  EXPECT_EQ(p.unwrap().value(), Ok(1));
  auto g = future::err<int, int>(2).catch_unwind();
  auto q = futures_test::poll_noop(g);
  ASSERT_TRUE(q.is_ok());
  EXPECT_EQ(q.unwrap().value(), Err(2));
}

TEST(CatchUnwind, exception_becomes_the_error) {
  auto f = future::ok<int, int>(1)
               .map([](int) -> int { throw std::runtime_error("boom"); })
               .catch_unwind();
  auto p = futures_test::poll_noop(f);
  ASSERT_TRUE(p.is_err());
  try {
    std::rethrow_exception(p.unwrap_err());
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "boom");
  }
}

TEST(CatchUnwind, panic_from_unwrap_is_caught) {
  auto f =
      future::ok<Result<int, std::string>, int>(Result<int, std::string>(Err(std::string("bad"))))
          .map([](Result<int, std::string> r) { return r.unwrap(); })
          .catch_unwind();
  auto p = futures_test::poll_noop(f);
  ASSERT_TRUE(p.is_err());
  EXPECT_THROW(std::rethrow_exception(p.unwrap_err()), Panic);
}

TEST(CatchUnwind, not_ready_passes_through_and_drop_cancels) {
  LifetimeCounts counts;
  {
    auto slot = make_slot<int, int>();
    auto f = Manual(slot, counts).catch_unwind();
    auto notify = counting();
    ASSERT_TRUE(futures_test::poll_once(f, executor::NotifyHandle(notify)).unwrap().is_not_ready());
    slot->complete(Ok(1));
    EXPECT_EQ(notify->count(), 1u);
  }
  EXPECT_EQ(counts.alive(), 0);
}

TEST(CatchUnwind, the_inner_future_is_dropped_when_it_throws) {
  LifetimeCounts counts;
  auto f = future::poll_fn([c = Counted(counts)]() -> Poll<int, int> {
             throw std::logic_error("x");
           }).catch_unwind();
  EXPECT_EQ(counts.alive(), 1);
  auto p = futures_test::poll_noop(f);
  ASSERT_TRUE(p.is_err());
  EXPECT_EQ(counts.alive(), 0);
}

TEST(CatchUnwindDeathTest, poll_after_completion_is_a_contract_violation) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto f = future::ok<int, int>(1).catch_unwind();
  ASSERT_READY(f);
  EXPECT_DEATH((void)futures_test::poll_noop(f), "CatchUnwind polled after it completed");
}

// ===== BoxFuture =====

namespace {
BoxFuture<int, int> choose(bool ok) {
  if (ok) return future::ok<int, int>(1).map([](int v) { return v + 1; });
  return future::err<int, int>(7);
}
}  // namespace

TEST(BoxFuture, erases_the_type_and_keeps_the_outcome) {
  auto a = choose(true);
  auto b = choose(false);
  static_assert(std::is_same_v<decltype(a), decltype(b)>);
  static_assert(std::is_same_v<future::BoxFuture<int, int>, BoxFuture<int, int>>);
  ASSERT_READY_EQ(a, 2);
  ASSERT_ERR_EQ(b, 7);
}

TEST(BoxFuture, boxed_is_the_same_type_and_combinators_chain_on_it) {
  auto f = future::ok<int, int>(1).boxed();
  static_assert(std::is_same_v<decltype(f), BoxFuture<int, int>>);
  auto g = std::move(f).boxed().map([](int v) { return v * 5; });
  ASSERT_READY_EQ(g, 5);
}

TEST(BoxFuture, is_one_pointer_and_movable) {
  EXPECT_EQ(sizeof(BoxFuture<int, int>), sizeof(void*));
  static_assert(std::is_nothrow_move_constructible_v<BoxFuture<int, int>>);
  static_assert(!std::is_copy_constructible_v<BoxFuture<int, int>>);
  static_assert(!std::is_convertible_v<int, BoxFuture<int, int>>);
  static_assert(std::is_convertible_v<future::FutureResult<int, int>, BoxFuture<int, int>>);
  BoxFuture<int, int> f = future::ok<int, int>(3);
  BoxFuture<int, int> g = std::move(f);
  ASSERT_READY_EQ(g, 3);
}

TEST(BoxFuture, not_ready_passes_through_and_drop_cancels) {
  LifetimeCounts counts;
  {
    auto slot = make_slot<int, int>();
    BoxFuture<int, int> f = Manual(slot, counts);
    auto notify = counting();
    executor::NotifyHandle handle(notify);
    ASSERT_TRUE(futures_test::poll_once(f, handle).unwrap().is_not_ready());
    slot->complete(Ok(4));
    EXPECT_EQ(notify->count(), 1u);
    ASSERT_EQ(futures_test::poll_once(f, handle), Ok(Async<int>(Ready(4))));
    EXPECT_EQ(counts.alive(), 1);  // kept until the box goes
  }
  EXPECT_EQ(counts.alive(), 0);
  {
    auto slot = make_slot<int, int>();
    auto f = Manual(slot, counts).boxed();
    ASSERT_NOT_READY(f);
  }
  EXPECT_EQ(counts.alive(), 0);
}

TEST(BoxFutureDeathTest, polling_a_moved_from_box_is_a_contract_violation) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  BoxFuture<int, int> f = future::ok<int, int>(3);
  BoxFuture<int, int> g = std::move(f);
  EXPECT_DEATH((void)futures_test::poll_noop(f), "BoxFuture polled after it was moved from");
  ASSERT_READY(g);
  EXPECT_DEATH((void)futures_test::poll_noop(g), "polled after it completed");
}

// ===== into_stream =====

TEST(IntoStream, yields_the_item_then_ends) {
  auto s = future::ok<int, int>(4).into_stream();
  static_assert(Stream<decltype(s)>);
  auto p = futures_test::poll_noop(s);
  ASSERT_EQ(p, Ok(Async<std::optional<int>>(Ready(std::optional<int>(4)))));
  p = futures_test::poll_noop(s);
  ASSERT_EQ(p, Ok(Async<std::optional<int>>(Ready(std::optional<int>()))));
  p = futures_test::poll_noop(s);
  ASSERT_EQ(p, Ok(Async<std::optional<int>>(Ready(std::optional<int>()))));
}

TEST(IntoStream, yields_the_error_then_ends) {
  auto s = future::err<int, int>(4).into_stream();
  ASSERT_ERR_EQ(s, 4);
  auto p = futures_test::poll_noop(s);
  ASSERT_EQ(p, Ok(Async<std::optional<int>>(Ready(std::optional<int>()))));
}

TEST(IntoStream, not_ready_passes_through_and_drop_cancels) {
  LifetimeCounts counts;
  {
    auto slot = make_slot<int, int>();
    auto s = Manual(slot, counts).into_stream();
    auto notify = counting();
    executor::NotifyHandle handle(notify);
    ASSERT_TRUE(futures_test::poll_once(s, handle).unwrap().is_not_ready());
    slot->complete(Ok(1));
    EXPECT_EQ(notify->count(), 1u);
  }
  EXPECT_EQ(counts.alive(), 0);
}

TEST(IntoStream, wait_stream_drives_it) {
  auto spawned = executor::spawn(future::ok<int, int>(6).into_stream());
  EXPECT_EQ(spawned.wait_stream(), (std::optional<Result<int, int>>(Ok(6))));
  EXPECT_EQ(spawned.wait_stream(), std::nullopt);
}

// ===== lazy =====

TEST(Lazy, runs_the_callback_on_first_poll_only) {
  int calls = 0;
  auto f = future::lazy([&] {
    ++calls;
    return future::ok<int, int>(calls);
  });
  EXPECT_EQ(calls, 0);
  ASSERT_READY_EQ(f, 1);
  EXPECT_EQ(calls, 1);
}

TEST(Lazy, callback_may_return_a_result_or_void) {
  auto f = future::lazy([] { return Result<int, std::string>(Err(std::string("no"))); });
  ASSERT_ERR_EQ(f, std::string("no"));
  auto g = futures::lazy([] {});
  static_assert(std::is_same_v<decltype(g)::Item, Unit>);
  static_assert(std::is_same_v<decltype(g)::Error, Unit>);
  ASSERT_READY_EQ(g, Unit{});
}

TEST(Lazy, callback_runs_inside_the_task) {
  auto f = future::lazy([] {
    EXPECT_TRUE(task::is_in_task());
    return future::ok<int, int>(1);
  });
  EXPECT_EQ(std::move(f).wait(), Ok(1));
}

TEST(Lazy, not_ready_passes_through_once_called_and_drop_cancels) {
  LifetimeCounts counts;
  LifetimeCounts captured;
  int calls = 0;
  {
    auto slot = make_slot<int, int>();
    auto f = future::lazy([&, c = Counted(captured), m = Manual(slot, counts)]() mutable {
      ++calls;
      return std::move(m);
    });
    auto notify = counting();
    executor::NotifyHandle handle(notify);
    ASSERT_TRUE(futures_test::poll_once(f, handle).unwrap().is_not_ready());
    EXPECT_EQ(captured.alive(), 0);  // the callback is gone once it ran
    ASSERT_TRUE(futures_test::poll_once(f, handle).unwrap().is_not_ready());
    EXPECT_EQ(calls, 1);
    slot->complete(Ok(2));
    EXPECT_EQ(notify->count(), 1u);
  }
  EXPECT_EQ(counts.alive(), 0);
  {
    auto f = future::lazy([c = Counted(captured)] { return future::ok<int, int>(1); });
  }
  EXPECT_EQ(captured.alive(), 0);
}

TEST(LazyDeathTest, poll_after_completion_is_a_contract_violation) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto f = future::lazy([] { return future::ok<int, int>(1); });
  ASSERT_READY(f);
  EXPECT_DEATH((void)futures_test::poll_noop(f), "Lazy polled after it completed");
}

TEST(LazyDeathTest, poll_after_the_callback_threw_is_a_contract_violation) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto f = future::lazy([]() -> future::FutureResult<int, int> { throw std::runtime_error("x"); });
  EXPECT_THROW((void)futures_test::poll_noop(f), std::runtime_error);
  EXPECT_DEATH((void)futures_test::poll_noop(f), "Lazy polled after it completed");
}

// ===== poll_fn =====

TEST(PollFn, polls_the_callable_each_time) {
  int polls = 0;
  auto f = future::poll_fn([&]() -> Poll<int, std::string> {
    if (++polls < 3) {
      task::current().notify();
      return NotReady;
    }
    return Ready(polls);
  });
  static_assert(std::is_same_v<decltype(f)::Item, int>);
  static_assert(std::is_same_v<decltype(f)::Error, std::string>);
  auto notify = counting();
  executor::NotifyHandle handle(notify);
  ASSERT_TRUE(futures_test::poll_once(f, handle).unwrap().is_not_ready());
  ASSERT_TRUE(futures_test::poll_once(f, handle).unwrap().is_not_ready());
  EXPECT_EQ(notify->count(), 2u);
  ASSERT_EQ(futures_test::poll_once(f, handle), Ok(Async<int>(Ready(3))));
}

TEST(PollFn, errors_and_wait) {
  auto f = future::poll_fn([]() -> Poll<int, int> { return Err(5); });
  ASSERT_ERR_EQ(f, 5);
  int n = 0;
  auto g = future::poll_fn([&n]() -> Poll<int, int> {
    if (n++ == 0) {
      task::current().notify();
      return NotReady;
    }
    return Ready(n);
  });
  EXPECT_EQ(std::move(g).wait(), Ok(2));
}

TEST(PollFn, drop_releases_the_callable) {
  LifetimeCounts captured;
  {
    auto f = future::poll_fn([c = Counted(captured)]() -> Poll<int, int> { return NotReady; });
    ASSERT_NOT_READY(f);
  }
  EXPECT_EQ(captured.alive(), 0);
}

// ===== loop_fn =====

TEST(LoopFn, counts_down_and_breaks) {
  std::vector<int> seen;
  auto f = future::loop_fn(3, [&](int n) {
    seen.push_back(n);
    using L = future::Loop<std::string, int>;
    if (n == 0) return future::ok<L, int>(future::Break(std::string("done")));
    return future::ok<L, int>(future::Continue(n - 1));
  });
  static_assert(std::is_same_v<decltype(f)::Item, std::string>);
  EXPECT_EQ(seen, std::vector<int>{3});  // the first step is made at construction, as in Rust
  ASSERT_READY_EQ(f, std::string("done"));
  EXPECT_EQ(seen, (std::vector<int>{3, 2, 1, 0}));
}

TEST(LoopFn, loop_values) {
  using L = future::Loop<int, std::string>;
  L b = L::Break(1);
  L c = L::Continue("s");
  EXPECT_TRUE(b.is_break());
  EXPECT_FALSE(b.is_continue());
  EXPECT_TRUE(c.is_continue());
  EXPECT_EQ(b.break_value(), 1);
  EXPECT_EQ(c.continue_value(), "s");
  EXPECT_EQ(b, L(future::Break(1)));
  EXPECT_EQ(c, L(future::Continue("s")));
  EXPECT_NE(b, c);
  future::Loop<int, int> same = future::Continue(1);
  EXPECT_TRUE(same.is_continue());
  const auto brk = future::Break(std::string("kept"));
  future::Loop<std::string, int> from_lvalue = brk;
  EXPECT_EQ(std::move(from_lvalue).break_value(), "kept");
  EXPECT_EQ(brk.value, "kept");
  std::ostringstream os;
  os << b << ' ' << c;
  EXPECT_EQ(os.str(), "Break(1) Continue(\"s\")");
}

TEST(LoopFn, step_error_ends_the_loop) {
  int steps = 0;
  auto f = future::loop_fn(0, [&](int n) -> Result<future::Loop<int, int>, std::string> {
    ++steps;
    if (n == 2) return Err(std::string("stop"));
    return Ok(future::Loop<int, int>::Continue(n + 1));
  });
  ASSERT_ERR_EQ(f, std::string("stop"));
  EXPECT_EQ(steps, 3);
}

TEST(LoopFn, a_million_ready_steps_use_no_stack) {
  auto f = future::loop_fn(std::size_t{0}, [](std::size_t n) {
    using L = future::Loop<std::size_t, std::size_t>;
    if (n == 1'000'000) return future::ok<L, Unit>(L::Break(n));
    return future::ok<L, Unit>(L::Continue(n + 1));
  });
  ASSERT_READY_EQ(f, std::size_t{1'000'000});
}

TEST(LoopFn, tuple_state_may_be_spread) {
  auto f = future::loop_fn(std::make_tuple(0, std::string()), [](int i, std::string acc) {
    using L = future::Loop<std::string, std::tuple<int, std::string>>;
    if (i == 3) return future::ok<L, Unit>(future::Break(acc));
    return future::ok<L, Unit>(future::Continue(std::make_tuple(i + 1, acc + std::to_string(i))));
  });
  ASSERT_READY_EQ(f, std::string("012"));
}

TEST(LoopFn, not_ready_steps_pass_notifications_through_and_drop_cancels) {
  LifetimeCounts counts;
  std::vector<std::shared_ptr<Slot<future::Loop<int, int>, int>>> slots;
  {
    auto f = future::loop_fn(0, [&](int) {
      auto slot = make_slot<future::Loop<int, int>, int>();
      slots.push_back(slot);
      return Manual(slot, counts);
    });
    auto notify = counting();
    executor::NotifyHandle handle(notify);
    ASSERT_TRUE(futures_test::poll_once(f, handle).unwrap().is_not_ready());
    slots.back()->complete(Ok(future::Loop<int, int>::Continue(1)));
    EXPECT_EQ(notify->count(), 1u);
    ASSERT_TRUE(futures_test::poll_once(f, handle).unwrap().is_not_ready());
    EXPECT_EQ(slots.size(), 2u);
    EXPECT_EQ(counts.alive(), 1);  // the finished step was dropped
  }
  EXPECT_EQ(counts.alive(), 0);
}

TEST(LoopFnDeathTest, poll_after_completion_is_a_contract_violation) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto f = future::loop_fn(
      0, [](int) { return future::ok<future::Loop<int, int>, int>(future::Break(1)); });
  ASSERT_READY(f);
  EXPECT_DEATH((void)futures_test::poll_noop(f), "LoopFn polled after it completed");
}

// ===== empty =====

TEST(Empty, never_completes_and_never_notifies) {
  auto f = future::empty<int, std::string>();
  static_assert(std::is_same_v<decltype(f)::Item, int>);
  static_assert(std::is_same_v<decltype(f)::Error, std::string>);
  for (int i = 0; i < 3; ++i) {
    auto p = futures_test::poll_once(f, futures_test::panic_notify());
    ASSERT_TRUE(p.is_ok() && p.unwrap_ref().is_not_ready());
  }
  auto g = future::empty();
  static_assert(std::is_same_v<decltype(g), future::Empty<Unit, Unit>>);
}

TEST(Empty, loses_a_select_like_race) {
  auto f = future::empty<int, int>().fuse();
  ASSERT_NOT_READY(f);
  EXPECT_FALSE(f.is_done());
}

// ===== option =====

TEST(OptionFuture, none_is_ready_with_nullopt) {
  auto f = future::option(std::optional<future::FutureResult<int, int>>());
  static_assert(std::is_same_v<decltype(f)::Item, std::optional<int>>);
  ASSERT_READY_EQ(f, std::optional<int>());
}

TEST(OptionFuture, some_runs_the_future) {
  auto f = future::option(std::optional(future::ok<int, int>(2)));
  ASSERT_READY_EQ(f, std::optional<int>(2));
  auto g = future::option(std::optional(future::err<int, int>(3)));
  ASSERT_ERR_EQ(g, 3);
}

TEST(OptionFuture, not_ready_passes_through_and_drop_cancels) {
  LifetimeCounts counts;
  {
    auto slot = make_slot<int, int>();
    auto f = future::option(std::optional(Manual(slot, counts)));
    auto notify = counting();
    executor::NotifyHandle handle(notify);
    ASSERT_TRUE(futures_test::poll_once(f, handle).unwrap().is_not_ready());
    slot->complete(Ok(5));
    EXPECT_EQ(notify->count(), 1u);
    ASSERT_EQ(futures_test::poll_once(f, handle),
              Ok(Async<std::optional<int>>(Ready(std::optional<int>(5)))));
  }
  EXPECT_EQ(counts.alive(), 0);
}

TEST(OptionFutureDeathTest, poll_after_completion_is_a_contract_violation) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto f = future::option(std::optional(future::ok<int, int>(2)));
  ASSERT_READY(f);
  EXPECT_DEATH((void)futures_test::poll_noop(f), "polled after it completed");
}

// ===== sizes =====

TEST(Combinators, sizes_are_the_parts_plus_a_small_state) {
  using A = future::FutureResult<int, int>;
  constexpr std::size_t kSlack = alignof(A);  // one flag or index, padded
  EXPECT_LE(sizeof(future::Inspect<A, Stateless>), sizeof(A) + kSlack);
  EXPECT_LE(sizeof(future::Fuse<A>), sizeof(A) + kSlack);
  EXPECT_LE(sizeof(future::CatchUnwind<A>), sizeof(A) + kSlack);
  EXPECT_LE(sizeof(future::IntoStream<A>), sizeof(A) + kSlack);
  EXPECT_LE(sizeof(future::OptionFuture<A>), sizeof(A) + kSlack);
  EXPECT_EQ(sizeof(future::Empty<int, int>), 1u);
  EXPECT_EQ(sizeof(future::PollFn<NullaryPoll>), 1u);
  EXPECT_LE(sizeof(future::Then<A, A, Stateless>), sizeof(A) + kSlack);
  EXPECT_LE(sizeof(future::OrElse<A, A, Stateless>), sizeof(A) + kSlack);
  EXPECT_LE(sizeof(future::Flatten<future::FutureResult<A, int>>),
            sizeof(future::FutureResult<A, int>) + kSlack);
}

}  // namespace future_combinators_test
