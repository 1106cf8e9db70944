// Unit tests of the single-stream combinators (map, map_err, from_err, filter,
// filter_map, then, and_then, or_else, inspect, inspect_err, take, skip, take_while,
// skip_while, fuse, by_ref, catch_unwind, boxed, wait) and of the stream sources
// (iter_ok, iter_result, once, repeat, empty, poll_fn, unfold).
//
// Streams are driven by hand: `Script` yields a scripted sequence of polls and counts
// how often it was polled, so each test sees exactly what a combinator forwards, when
// it polls its upstream, and when it stops.
#include <futures/future.hpp>
#include <futures/stream.hpp>
#include <futures/sync/oneshot.hpp>

#include <gtest/gtest.h>

#include <array>
#include <deque>
#include <list>
#include <memory>
#include <optional>
#include <ranges>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "support/assert_poll.hpp"
#include "support/counted.hpp"
#include "support/manual_future.hpp"
#include "support/notify.hpp"
#include "support/sbasic_sassert.hpp"

// One namespace per file: a unity build compiles several test files as one unit.
namespace basic_test {

using futures::Err;
using futures::NotReady;
using futures::Ok;
using futures::Poll;
using futures::Ready;
using futures::Result;
using futures::Unit;
using futures_test::poll_noop;
using futures_test::sassert_done;
using futures_test::sassert_empty;
using futures_test::sassert_err;
using futures_test::sassert_next;
namespace stream = futures::stream;
namespace future = futures::future;

namespace {

using P = Poll<std::optional<int>, int>;
P item(int v) { return Ready(std::optional<int>(v)); }
P error(int e) { return Err(e); }
P pending() { return NotReady; }
P end() { return Ready(std::optional<int>()); }

/// What a Script shares with its test: the steps left and the number of polls.
struct ScriptState {
  std::deque<P> steps;
  int polls = 0;
};

/// A stream of int (Error int) that returns its scripted polls in order; once the
/// script is used up it is NotReady. Holds a Counted so tests see when it is dropped.
class Script : public futures::StreamExt<Script> {
 public:
  using Item = int;
  using Error = int;

  Script(std::shared_ptr<ScriptState> state, futures_test::LifetimeCounts& counts)
      : state_(std::move(state)), counted_(counts) {}

  P poll() {
    ++state_->polls;
    if (state_->steps.empty()) return NotReady;
    P p = std::move(state_->steps.front());
    state_->steps.pop_front();
    return p;
  }

 private:
  std::shared_ptr<ScriptState> state_;
  futures_test::Counted counted_;
};

struct Scripted {
  std::shared_ptr<ScriptState> state = std::make_shared<ScriptState>();
  futures_test::LifetimeCounts counts;
  Script stream(std::initializer_list<P> steps) {
    for (const P& p : steps) state->steps.push_back(p);
    return Script(state, counts);
  }
  int polls() const { return state->polls; }
};

/// Collects every result of a stream that is always ready (aborts the test on NotReady).
template <class S>
std::vector<Result<typename S::Item, typename S::Error>> drain(S& s) {
  std::vector<Result<typename S::Item, typename S::Error>> out;
  for (;;) {
    auto p = poll_noop(s);
    if (p.is_err()) {
      out.emplace_back(Err(std::move(p).unwrap_err()));
      continue;
    }
    EXPECT_TRUE(p.unwrap_ref().is_ready()) << "drain: stream not ready";
    if (p.unwrap_ref().is_not_ready()) return out;
    auto v = std::move(p).unwrap().value();
    if (!v) return out;
    out.emplace_back(Ok(std::move(*v)));
  }
}

using R = Result<int, int>;

}  // namespace

// ---------------------------------------------------------------------------------
// Sources

TEST(IterOk, yields_each_element_then_ends) {
  auto s = stream::iter_ok<std::vector<int>, std::string>({1, 2, 3});
  static_assert(std::is_same_v<decltype(s)::Item, int>);
  static_assert(std::is_same_v<decltype(s)::Error, std::string>);
  sassert_next(s, 1);
  sassert_next(s, 2);
  sassert_next(s, 3);
  sassert_done(s);
  sassert_done(s);  // and again
}

TEST(IterOk, default_error_is_unit_and_views_work) {
  auto s = stream::iter_ok(std::views::iota(0, 4));
  static_assert(std::is_same_v<decltype(s)::Error, Unit>);
  EXPECT_EQ(drain(s), (std::vector<Result<int, Unit>>{Ok(0), Ok(1), Ok(2), Ok(3)}));
}

TEST(IterOk, moves_elements_out_so_move_only_items_work) {
  std::vector<std::unique_ptr<int>> v;
  v.push_back(std::make_unique<int>(7));
  v.push_back(std::make_unique<int>(8));
  auto s = stream::iter_ok(std::move(v));
  auto p = poll_noop(s);
  ASSERT_TRUE(p.is_ok());
  EXPECT_EQ(**std::move(p).unwrap().value(), 7);
}

TEST(IterOk, keeps_its_position_when_moved_or_copied) {
  // std::array's iterators point into the object itself: a move must re-derive them.
  auto a = stream::iter_ok(std::array<int, 4>{1, 2, 3, 4});
  sassert_next(a, 1);
  auto b = std::move(a);
  sassert_next(b, 2);
  auto c = b;  // Clone
  sassert_next(b, 3);
  sassert_next(c, 3);
  sassert_next(c, 4);
  sassert_done(c);
  // A node-based container is re-walked to the position.
  auto l = stream::iter_ok(std::list<int>{5, 6, 7});
  sassert_next(l, 5);
  auto m = std::move(l);
  sassert_next(m, 6);
  sassert_next(m, 7);
  sassert_done(m);
}

TEST(IterOk, subrange_of_two_iterators) {
  std::vector<int> v{1, 2, 3, 4};
  auto s = stream::iter_ok(std::ranges::subrange(v.begin() + 1, v.end() - 1));
  EXPECT_EQ(drain(s), (std::vector<Result<int, Unit>>{Ok(2), Ok(3)}));
}

TEST(IterResult, items_and_errors_in_order_errors_do_not_end_it) {
  auto s = stream::iter_result(std::vector<R>{Ok(1), Err(2), Ok(3)});
  static_assert(std::is_same_v<decltype(s)::Item, int>);
  sassert_next(s, 1);
  sassert_err(s, 2);
  sassert_next(s, 3);
  sassert_done(s);
  sassert_done(s);
}

TEST(Once, one_item_then_end) {
  auto s = stream::once(R(Ok(5)));
  sassert_next(s, 5);
  sassert_done(s);
  sassert_done(s);
}

TEST(Once, one_error_then_end) {
  auto s = stream::once(R(Err(6)));
  sassert_err(s, 6);
  sassert_done(s);
}

TEST(Repeat, endless_copies) {
  auto s = stream::repeat<std::string, int>("ab");
  static_assert(std::is_same_v<decltype(s)::Error, int>);
  for (int i = 0; i < 5; ++i) sassert_next(s, std::string("ab"));
  auto t = stream::repeat(7).take(3);
  EXPECT_EQ(drain(t), (std::vector<Result<int, Unit>>{Ok(7), Ok(7), Ok(7)}));
}

TEST(Empty, ends_at_once_and_again) {
  auto s = stream::empty<int, std::string>();
  static_assert(std::is_same_v<decltype(s)::Error, std::string>);
  sassert_done(s);
  sassert_done(s);
}

TEST(PollFn, calls_f_on_every_poll) {
  int calls = 0;
  auto s = stream::poll_fn([&calls]() -> Poll<std::optional<int>, int> {
    ++calls;
    if (calls == 1) return NotReady;
    if (calls == 2) return Err(9);
    if (calls == 3) return Ready(std::optional<int>(3));
    return Ready(std::optional<int>());
  });
  sassert_empty(s);
  sassert_err(s, 9);
  sassert_next(s, 3);
  sassert_done(s);
  EXPECT_EQ(calls, 4);
}

// ---------------------------------------------------------------------------------
// map, map_err, from_err, filter, filter_map, inspect, inspect_err

TEST(StreamMap, maps_items_passes_errors_not_ready_and_end) {
  Scripted sc;
  auto s = sc.stream({item(1), error(2), pending(), item(3), end()}).map([](int x) { return x * 10; });
  sassert_next(s, 10);
  sassert_err(s, 2);
  sassert_empty(s);
  sassert_next(s, 30);
  sassert_done(s);
  EXPECT_EQ(sc.polls(), 5);
}

TEST(StreamMap, void_callback_gives_unit_and_tuple_items_spread) {
  int sum = 0;
  auto s = stream::iter_ok(std::vector<int>{1, 2}).map([&sum](int x) { sum += x; });
  static_assert(std::is_same_v<decltype(s)::Item, Unit>);
  EXPECT_EQ(drain(s).size(), 2u);
  EXPECT_EQ(sum, 3);
  auto t = stream::iter_ok(std::vector<std::tuple<int, std::string>>{{1, "a"}, {2, "b"}})
               .map([](int n, std::string str) { return str + std::to_string(n); });
  sassert_next(t, std::string("a1"));
  sassert_next(t, std::string("b2"));
}

TEST(StreamMap, move_only_callback_and_accessors) {
  auto owned = std::make_unique<int>(100);
  auto s = stream::iter_ok(std::vector<int>{1}).map([p = std::move(owned)](int x) { return x + *p; });
  EXPECT_EQ(drain(s), (std::vector<Result<int, Unit>>{Ok(101)}));
  auto inner = std::move(s).into_inner();
  sassert_done(inner);
}

TEST(StreamMapErr, maps_errors_only_and_goes_on) {
  Scripted sc;
  auto s = sc.stream({error(1), item(2), pending(), error(3), end()}).map_err([](int e) {
    return std::to_string(e);
  });
  static_assert(std::is_same_v<decltype(s)::Error, std::string>);
  sassert_err(s, std::string("1"));
  sassert_next(s, 2);
  sassert_empty(s);
  sassert_err(s, std::string("3"));
  sassert_done(s);
}

TEST(StreamFromErr, converts_errors) {
  struct Wrapped {
    explicit Wrapped(int v) : v(v) {}
    int v;
    bool operator==(const Wrapped&) const = default;
  };
  Scripted sc;
  auto s = sc.stream({item(1), error(2), end()}).from_err<Wrapped>();
  static_assert(std::is_same_v<decltype(s)::Error, Wrapped>);
  sassert_next(s, 1);
  auto p = poll_noop(s);
  ASSERT_TRUE(p.is_err());
  EXPECT_EQ(p.unwrap_err_ref().v, 2);
  sassert_done(s);
}

TEST(StreamFilter, keeps_matching_items_passes_errors) {
  Scripted sc;
  auto s = sc.stream({item(1), item(2), error(3), item(5), pending(), item(6), end()})
               .filter([](const int& x) { return x % 2 == 0; });
  sassert_next(s, 2);
  sassert_err(s, 3);  // errors are not filtered
  sassert_empty(s);   // 5 dropped, then NotReady in the same poll
  EXPECT_EQ(sc.polls(), 5);
  sassert_next(s, 6);
  sassert_done(s);
}

TEST(StreamFilterMap, maps_some_drops_none) {
  Scripted sc;
  auto s = sc.stream({item(1), item(2), error(7), item(4), end()}).filter_map([](int x) {
    return x % 2 == 0 ? std::optional<std::string>(std::to_string(x + 10)) : std::nullopt;
  });
  static_assert(std::is_same_v<decltype(s)::Item, std::string>);
  sassert_next(s, std::string("12"));
  sassert_err(s, 7);
  sassert_next(s, std::string("14"));
  sassert_done(s);
}

TEST(StreamInspect, sees_items_not_errors) {
  std::vector<int> seen;
  Scripted sc;
  auto s = sc.stream({item(1), error(2), item(3), end()}).inspect([&seen](const int& x) {
    seen.push_back(x);
  });
  sassert_next(s, 1);
  sassert_err(s, 2);
  sassert_next(s, 3);
  sassert_done(s);
  EXPECT_EQ(seen, (std::vector<int>{1, 3}));
}

TEST(StreamInspectErr, sees_errors_not_items) {
  std::vector<int> seen;
  Scripted sc;
  auto s = sc.stream({item(1), error(2), item(3), error(4), end()})
               .inspect_err([&seen](const int& e) { seen.push_back(e); });
  auto results = drain(s);
  EXPECT_EQ(results, (std::vector<R>{Ok(1), Err(2), Ok(3), Err(4)}));
  EXPECT_EQ(seen, (std::vector<int>{2, 4}));
}

// ---------------------------------------------------------------------------------
// then, and_then, or_else

TEST(StreamThen, runs_f_on_items_and_errors) {
  Scripted sc;
  auto s = sc.stream({item(1), error(2), end()}).then([](R r) -> Result<std::string, long> {
    if (r.is_ok()) return Ok(std::to_string(r.unwrap()));
    return Err(long{r.unwrap_err()} * 100);
  });
  static_assert(std::is_same_v<decltype(s)::Item, std::string>);
  static_assert(std::is_same_v<decltype(s)::Error, long>);
  sassert_next(s, std::string("1"));
  sassert_err(s, 200L);
  sassert_done(s);
}

TEST(StreamThen, one_element_at_a_time) {
  Scripted sc;
  int calls = 0;
  auto s = sc.stream({item(1), item(2), end()}).then([&calls](R r) {
    ++calls;
    return futures_test::delay_future(std::move(r));
  });
  sassert_empty(s);  // f(1)'s future is delayed; the upstream is not polled again
  EXPECT_EQ(sc.polls(), 1);
  sassert_next(s, 1);
  EXPECT_EQ(sc.polls(), 1);
  sassert_empty(s);
  sassert_next(s, 2);
  sassert_done(s);
  EXPECT_EQ(calls, 2);
}

TEST(StreamThen, void_callback_gives_unit_unit) {
  int seen = 0;
  auto s = stream::iter_ok(std::vector<int>{4, 5}).then([&seen](Result<int, Unit> r) { seen += r.unwrap(); });
  static_assert(std::is_same_v<decltype(s)::Item, Unit>);
  static_assert(std::is_same_v<decltype(s)::Error, Unit>);
  EXPECT_EQ(drain(s).size(), 2u);
  EXPECT_EQ(seen, 9);
}

TEST(StreamAndThen, runs_f_on_items_errors_pass_without_calling_f) {
  Scripted sc;
  int calls = 0;
  auto s = sc.stream({item(1), error(2), item(3), item(4), end()}).and_then([&calls](int x) -> R {
    ++calls;
    if (x == 3) return Err(30);
    return Ok(x + 1);
  });
  sassert_next(s, 2);
  sassert_err(s, 2);
  EXPECT_EQ(calls, 1);
  sassert_err(s, 30);  // f's error; the stream goes on
  sassert_next(s, 5);
  sassert_done(s);
  EXPECT_EQ(calls, 3);
}

TEST(StreamAndThen, future_runs_before_the_next_item_is_pulled) {
  Scripted sc;
  auto s = sc.stream({item(1), pending(), item(2), end()}).and_then([](int x) {
    return futures_test::delay_future(R(Ok(x * 2)));
  });
  sassert_empty(s);
  EXPECT_EQ(sc.polls(), 1);
  sassert_next(s, 2);
  EXPECT_EQ(sc.polls(), 1);
  sassert_empty(s);  // upstream NotReady
  sassert_empty(s);  // delayed future
  sassert_next(s, 4);
  sassert_done(s);
}

TEST(StreamAndThen, void_callback_and_tuple_spread) {
  int sum = 0;
  auto s = stream::iter_ok<std::vector<std::tuple<int, int>>, int>({{1, 2}, {3, 4}})
               .and_then([&sum](int a, int b) { sum += a * b; });
  static_assert(std::is_same_v<decltype(s)::Item, Unit>);
  static_assert(std::is_same_v<decltype(s)::Error, int>);
  EXPECT_EQ(drain(s).size(), 2u);
  EXPECT_EQ(sum, 14);
}

TEST(StreamAndThen, dropping_it_drops_the_running_future) {
  Scripted sc;
  futures_test::LifetimeCounts counts;
  auto slot = futures_test::make_slot<int, int>();
  {
    auto s = sc.stream({item(1)}).and_then(
        [&](int) { return futures_test::Manual<int, int>(slot, counts); });
    sassert_empty(s);
    EXPECT_EQ(counts.alive(), 1);
    EXPECT_EQ(sc.counts.alive(), 1);
  }
  EXPECT_EQ(counts.alive(), 0);
  EXPECT_EQ(sc.counts.alive(), 0);
}

TEST(StreamOrElse, recovers_errors_items_pass) {
  Scripted sc;
  int calls = 0;
  auto s = sc.stream({item(1), error(2), error(3), end()}).or_else([&calls](int e) -> Result<int, std::string> {
    ++calls;
    if (e == 3) return Err(std::string("three"));
    return Ok(e * 10);
  });
  static_assert(std::is_same_v<decltype(s)::Error, std::string>);
  sassert_next(s, 1);
  EXPECT_EQ(calls, 0);
  sassert_next(s, 20);
  sassert_err(s, std::string("three"));
  sassert_done(s);
  EXPECT_EQ(calls, 2);
}

TEST(StreamOrElse, delayed_recovery_holds_the_stream) {
  Scripted sc;
  auto s = sc.stream({error(1), item(2), end()}).or_else([](int e) {
    return futures_test::delay_future(R(Ok(-e)));
  });
  sassert_empty(s);
  EXPECT_EQ(sc.polls(), 1);
  sassert_next(s, -1);
  sassert_next(s, 2);
  sassert_done(s);
}

// ---------------------------------------------------------------------------------
// take, skip, take_while, skip_while

TEST(StreamTake, counts_items_not_errors_and_stops_polling) {
  Scripted sc;
  auto s = sc.stream({error(1), item(2), pending(), error(3), item(4), item(5)}).take(2);
  sassert_err(s, 1);
  sassert_next(s, 2);
  sassert_empty(s);
  sassert_err(s, 3);
  sassert_next(s, 4);
  sassert_done(s);
  sassert_done(s);
  EXPECT_EQ(sc.polls(), 5);  // item(5) never pulled
}

TEST(StreamTake, zero_never_polls_and_early_end_is_passed) {
  Scripted sc;
  auto s = sc.stream({item(1)}).take(0);
  sassert_done(s);
  EXPECT_EQ(sc.polls(), 0);
  Scripted sc2;
  auto t = sc2.stream({item(1), end(), item(9)}).take(5);
  sassert_next(t, 1);
  sassert_done(t);
  sassert_done(t);
  EXPECT_EQ(sc2.polls(), 2);
}

TEST(StreamSkip, skips_items_passes_errors_while_skipping) {
  Scripted sc;
  auto s = sc.stream({item(1), error(2), item(3), pending(), item(4), item(5), end()}).skip(3);
  sassert_err(s, 2);
  sassert_empty(s);  // 1 and 3 skipped, then NotReady
  sassert_next(s, 5);
  sassert_done(s);
}

TEST(StreamSkip, ends_early_if_the_stream_is_short) {
  auto s = stream::iter_ok(std::vector<int>{1, 2}).skip(5);
  sassert_done(s);
}

TEST(StreamTakeWhile, takes_until_the_first_false_then_stops) {
  Scripted sc;
  auto s = sc.stream({item(1), error(7), item(2), item(5), item(1)}).take_while([](const int& x) {
    return R(Ok(x < 3 ? 1 : 0)).map([](int v) { return v == 1; });
  });
  sassert_next(s, 1);
  sassert_err(s, 7);
  sassert_next(s, 2);
  sassert_done(s);  // 5 fails the predicate
  sassert_done(s);
  EXPECT_EQ(sc.polls(), 4);
}

TEST(StreamTakeWhile, predicate_future_and_its_error) {
  Scripted sc;
  auto s = sc.stream({item(1), item(2), item(3), end()}).take_while([](const int& x) {
    return futures_test::delay_future(x == 2 ? Result<bool, int>(Err(20)) : Result<bool, int>(Ok(true)));
  });
  sassert_empty(s);
  sassert_next(s, 1);
  sassert_empty(s);
  sassert_err(s, 20);  // the judged item is dropped; the stream goes on
  sassert_empty(s);
  sassert_next(s, 3);
  sassert_done(s);
}

TEST(StreamSkipWhile, skips_while_true_then_passes_everything) {
  Scripted sc;
  int calls = 0;
  auto s = sc.stream({item(1), item(3), item(4), item(5), error(6), item(2), end()})
               .skip_while([&calls](const int& x) {
                 ++calls;
                 return Result<bool, int>(Ok(x % 2 == 1));
               });
  sassert_next(s, 4);
  sassert_next(s, 5);  // the predicate is not called again
  sassert_err(s, 6);
  sassert_next(s, 2);
  sassert_done(s);
  EXPECT_EQ(calls, 3);
}

TEST(StreamSkipWhile, not_ready_and_errors_while_skipping) {
  Scripted sc;
  auto s = sc.stream({item(1), pending(), error(9), item(2), end()}).skip_while([](const int& x) {
    return futures_test::delay_future(Result<bool, int>(Ok(x == 1)));
  });
  sassert_empty(s);  // pred(1) delayed
  sassert_empty(s);  // 1 skipped, upstream NotReady
  sassert_err(s, 9);
  sassert_empty(s);  // pred(2) delayed
  sassert_next(s, 2);
  sassert_done(s);
}

// ---------------------------------------------------------------------------------
// fuse, by_ref

TEST(StreamFuse, ends_forever_without_polling_again) {
  Scripted sc;
  auto s = sc.stream({error(1), item(2), end(), item(3)}).fuse();
  EXPECT_FALSE(s.is_done());
  sassert_err(s, 1);
  EXPECT_FALSE(s.is_done());  // errors do not end a stream
  sassert_next(s, 2);
  sassert_done(s);
  EXPECT_TRUE(s.is_done());
  sassert_done(s);
  sassert_done(s);
  EXPECT_EQ(sc.polls(), 3);
}

TEST(StreamByRef, borrows_the_stream) {
  auto s = stream::iter_ok(std::vector<int>{1, 2, 3, 4});
  {
    auto two = s.by_ref().take(2);
    EXPECT_EQ(drain(two), (std::vector<Result<int, Unit>>{Ok(1), Ok(2)}));
  }
  sassert_next(s, 3);
  auto r = s.by_ref();
  sassert_next(r, 4);
  sassert_done(s);
}

// ---------------------------------------------------------------------------------
// catch_unwind (more in catch_unwind_test.cpp)

TEST(StreamCatchUnwind, errors_become_items_exception_ends_it) {
  Scripted sc;
  auto s = sc.stream({item(1), error(2), pending(), item(3)})
               .map([](int x) {
                 if (x == 3) throw std::runtime_error("three");
                 return x;
               })
               .catch_unwind();
  static_assert(std::is_same_v<decltype(s)::Item, R>);
  static_assert(std::is_same_v<decltype(s)::Error, std::exception_ptr>);
  sassert_next(s, R(Ok(1)));
  sassert_next(s, R(Err(2)));
  sassert_empty(s);
  EXPECT_EQ(sc.counts.alive(), 1);
  auto p = poll_noop(s);
  ASSERT_TRUE(p.is_err());
  EXPECT_THROW(std::rethrow_exception(p.unwrap_err()), std::runtime_error);
  EXPECT_EQ(sc.counts.alive(), 0);  // the stream was dropped
  sassert_done(s);
  EXPECT_DEATH((void)poll_noop(s), "cannot poll after eof");
}

TEST(StreamCatchUnwind, normal_end_keeps_polling_the_stream) {
  Scripted sc;
  auto s = sc.stream({end(), item(4), end()}).catch_unwind();
  sassert_done(s);
  sassert_next(s, R(Ok(4)));  // as in Rust, the end is passed on and S polled again
  sassert_done(s);
}

// ---------------------------------------------------------------------------------
// boxed, wait

TEST(BoxStream, erases_the_type) {
  futures::BoxStream<int, int> s = stream::iter_ok<std::vector<int>, int>({1, 2}).map([](int x) {
    return x + 1;
  });
  sassert_next(s, 2);
  auto t = std::move(s).boxed();  // re-boxing moves, no new box
  static_assert(std::is_same_v<decltype(t), futures::BoxStream<int, int>>);
  sassert_next(t, 3);
  sassert_done(t);
  std::vector<stream::BoxStream<int, Unit>> many;
  many.push_back(stream::iter_ok(std::vector<int>{1}).boxed());
  many.push_back(stream::once(Result<int, Unit>(Ok(2))).boxed());
  many.push_back(stream::empty<int, Unit>().boxed());
  EXPECT_EQ(drain(many[0]).size(), 1u);
  EXPECT_EQ(drain(many[1]).size(), 1u);
  EXPECT_EQ(drain(many[2]).size(), 0u);
}

TEST(BoxStream, drops_the_stream_inside_and_moved_from_aborts) {
  Scripted sc;
  {
    futures::BoxStream<int, int> s = sc.stream({item(1)});
    sassert_next(s, 1);
    EXPECT_EQ(sc.counts.alive(), 1);
    auto t = std::move(s);
    EXPECT_DEATH((void)poll_noop(s), "BoxStream polled after it was moved from");
  }
  EXPECT_EQ(sc.counts.alive(), 0);
}

TEST(StreamWait, next_and_range_for) {
  auto w = stream::iter_result(std::vector<R>{Ok(1), Err(2), Ok(3)}).wait();
  EXPECT_EQ(w.next(), std::optional<R>(Ok(1)));
  EXPECT_EQ(w.next(), std::optional<R>(Err(2)));
  EXPECT_EQ(w.next(), std::optional<R>(Ok(3)));
  EXPECT_EQ(w.next(), std::nullopt);

  std::vector<R> seen;
  for (auto& r : stream::iter_result(std::vector<R>{Ok(4), Err(5)}).wait()) seen.push_back(std::move(r));
  EXPECT_EQ(seen, (std::vector<R>{Ok(4), Err(5)}));
  static_assert(std::input_iterator<stream::Wait<stream::Empty<int, int>>::iterator>);
}

TEST(StreamWait, blocks_until_another_thread_completes_the_stream) {
  auto [tx, rx] = futures::sync::oneshot::channel<int>();
  auto w = std::move(rx).into_stream().wait();
  std::thread sender([tx = std::move(tx)]() mutable { (void)std::move(tx).send(42); });
  auto first = w.next();
  sender.join();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->unwrap(), 42);
  EXPECT_EQ(w.next(), std::nullopt);
  auto inner = std::move(w).into_inner();
  sassert_done(inner);
}

// ---------------------------------------------------------------------------------
// Drop = cancel: a combinator destroys its upstream and any running future with it.

TEST(StreamDrop, then_or_else_take_while_drop_their_running_future) {
  futures_test::LifetimeCounts counts;
  auto slot = futures_test::make_slot<int, int>();
  auto manual = [&] { return futures_test::Manual<int, int>(slot, counts); };
  {
    Scripted sc;
    auto s = sc.stream({item(1)}).then([&](R) { return manual(); });
    sassert_empty(s);
    EXPECT_EQ(counts.alive(), 1);
  }
  EXPECT_EQ(counts.alive(), 0);
  {
    Scripted sc;
    auto s = sc.stream({error(1)}).or_else([&](int) { return manual(); });
    sassert_empty(s);
    EXPECT_EQ(counts.alive(), 1);
  }
  EXPECT_EQ(counts.alive(), 0);
  {
    Scripted sc;
    auto s = sc.stream({item(1)}).take_while([&](const int&) {
      return manual().map([](int v) { return v > 0; });
    });
    sassert_empty(s);
    EXPECT_EQ(counts.alive(), 1);
  }
  EXPECT_EQ(counts.alive(), 0);
}

TEST(StreamDrop, finished_futures_are_dropped_before_the_next_item) {
  futures_test::LifetimeCounts counts;
  auto slot = futures_test::make_slot<int, int>();
  Scripted sc;
  auto s = sc.stream({item(1), item(2)}).and_then([&](int) { return futures_test::Manual<int, int>(slot, counts); });
  sassert_empty(s);
  slot->complete(Ok(10));
  sassert_next(s, 10);
  EXPECT_EQ(counts.alive(), 0);
}

TEST(StreamDrop, iter_ok_destroys_the_elements_not_taken) {
  futures_test::LifetimeCounts counts;
  {
    std::vector<futures_test::Counted> v;
    v.reserve(3);
    for (int i = 0; i < 3; ++i) v.emplace_back(counts);
    auto s = stream::iter_ok(std::move(v));
    auto first = poll_noop(s);
    ASSERT_TRUE(first.is_ok());
  }
  EXPECT_EQ(counts.alive(), 0);
}

TEST(StreamDrop, a_chain_drops_its_source_once) {
  Scripted sc;
  {
    auto s = sc.stream({item(1), item(2), end()})
                 .map([](int x) { return x + 1; })
                 .filter([](const int&) { return true; })
                 .inspect([](const int&) {})
                 .fuse()
                 .skip(1)
                 .boxed();
    sassert_next(s, 3);
    sassert_done(s);
    EXPECT_EQ(sc.counts.alive(), 1);
  }
  EXPECT_EQ(sc.counts.alive(), 0);
}

TEST(StreamAccessors, get_ref_get_mut_into_inner) {
  auto s = stream::iter_ok(std::vector<int>{1, 2, 3}).take(1);
  sassert_next(s, 1);
  sassert_next(s.get_mut(), 2);  // the inner stream, polled directly
  auto inner = std::move(s).into_inner();
  sassert_next(inner, 3);
  auto f = stream::iter_ok(std::vector<int>{}).fuse();
  sassert_done(f);
  EXPECT_TRUE(f.is_done());
  auto w = stream::iter_ok(std::vector<int>{7}).wait();
  sassert_next(w.get_mut(), 7);
  EXPECT_EQ(w.next(), std::nullopt);
}

}  // namespace basic_test
