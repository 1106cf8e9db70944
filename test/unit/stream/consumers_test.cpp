// Unit tests of the stream consumers (for_each, fold, collect, concat2/concat,
// into_future) and of the multi-stream adapters (flatten, peekable, chunks, zip,
// select, merge, chain): normal flow, end, errors (passed on by adapters, terminal for
// consumers), NotReady propagation with counted notifications, drop = cancel, and
// move-only items and callbacks.
//
// The source is a scripted stream (ScriptStream) that replays a list of steps: items,
// errors, NotReady (after notifying the current task, as a leaf that is immediately
// ready again would) and the end. Polling it past its script fails the test.
#include <futures/future.hpp>
#include <futures/stream.hpp>

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "support/assert_poll.hpp"
#include "support/contract_throw.hpp"
#include "support/counted.hpp"
#include "support/manual_future.hpp"
#include "support/notify.hpp"

// One namespace per file: a unity build compiles several test files as one unit.
namespace consumers_test {

using namespace futures;
using futures_test::ContractViolation;
using futures_test::CountingNotify;
using futures_test::LifetimeCounts;
using futures_test::poll_noop;
using futures_test::poll_once;
using futures_test::ThrowOnViolation;

namespace {

// ===== Scripted source stream =====

struct PendingTag {};
struct EndTag {};
constexpr PendingTag pending{};
constexpr EndTag end{};
template <class E>
struct Fail {
  E e;
};
template <class E>
Fail<E> fail(E e) {
  return {std::move(e)};
}

template <class T, class E>
struct ScriptState {
  std::deque<Poll<std::optional<T>, E>> steps;
  int polls = 0;
  int live = 0;  // ScriptStream objects holding the script (moved-from ones do not)
};

/// Replays its steps; NotReady steps notify the current task first.
template <class T, class E = int>
class ScriptStream : public StreamExt<ScriptStream<T, E>> {
 public:
  using Item = T;
  using Error = E;
  using State = ScriptState<T, E>;

  explicit ScriptStream(std::shared_ptr<State> state) : state_(std::move(state)) { ++state_->live; }
  ScriptStream(ScriptStream&& other) noexcept : state_(other.state_), live_(std::exchange(other.live_, false)) {}
  ScriptStream& operator=(ScriptStream&& other) noexcept {
    if (this != &other) {
      release();
      state_ = other.state_;
      live_ = std::exchange(other.live_, false);
    }
    return *this;
  }
  ~ScriptStream() { release(); }

  Poll<std::optional<T>, E> poll() {
    ++state_->polls;
    if (state_->steps.empty()) {
      ADD_FAILURE() << "ScriptStream polled past its script";
      return Ready(std::optional<T>());
    }
    auto step = std::move(state_->steps.front());
    state_->steps.pop_front();
    if (step.is_ok() && step.unwrap_ref().is_not_ready()) task::current().notify();
    return step;
  }

  const std::shared_ptr<State>& state() const { return state_; }

 private:
  void release() {
    if (live_) --state_->live;
    live_ = false;
  }

  std::shared_ptr<State> state_;
  bool live_ = true;
};

template <class T, class E>
void push_step(ScriptState<T, E>& st, PendingTag) {
  st.steps.emplace_back(NotReady);
}
template <class T, class E>
void push_step(ScriptState<T, E>& st, EndTag) {
  st.steps.emplace_back(Ready(std::optional<T>()));
}
template <class T, class E, class V>
void push_step(ScriptState<T, E>& st, Fail<V> f) {
  st.steps.emplace_back(Err(E(std::move(f.e))));
}
template <class T, class E, class V>
void push_step(ScriptState<T, E>& st, V&& v) {
  st.steps.emplace_back(Ready(std::optional<T>(T(std::forward<V>(v)))));
}

/// `script<int>(1, pending, fail(3), 2, end)`.
template <class T, class E = int, class... Steps>
ScriptStream<T, E> script(Steps&&... steps) {
  auto st = std::make_shared<ScriptState<T, E>>();
  (push_step(*st, std::forward<Steps>(steps)), ...);
  return ScriptStream<T, E>(std::move(st));
}

// ===== Helpers =====

/// Polls `f` with a counting notifier; returns the poll and how many notifications
/// arrived during it.
template <class F>
auto poll_counting(F& f) {
  auto counter = std::make_shared<CountingNotify>();
  executor::NotifyHandle handle(counter);
  auto polled = poll_once(f, handle);
  return std::make_tuple(std::move(polled), counter->count());
}

template <class T>
std::optional<T> some(T v) {
  return std::optional<T>(std::move(v));
}

using Vec = std::vector<int>;

}  // namespace

// ===== for_each =====

TEST(ForEach, runs_every_item_then_resolves_unit) {
  Vec seen;
  auto f = script<int>(1, 2, 3, end).for_each([&](int x) { seen.push_back(x); });
  static_assert(Future<decltype(f)>);
  static_assert(std::is_same_v<decltype(f)::Item, Unit>);
  ASSERT_READY_EQ(f, Unit{});
  EXPECT_EQ(seen, (Vec{1, 2, 3}));
}

TEST(ForEach, returned_result_and_future) {
  Vec seen;
  auto f = script<int>(1, 2, end).for_each([&](int x) -> Result<Unit, int> {
    seen.push_back(x);
    return Ok();
  });
  ASSERT_READY(f);
  auto g = script<int>(1, 2, end).for_each([&](int x) {
    seen.push_back(x);
    return future::ok<Unit, int>(Unit{});
  });
  ASSERT_READY(g);
  EXPECT_EQ(seen, (Vec{1, 2, 1, 2}));
}

TEST(ForEach, runs_each_future_to_completion_before_next_item) {
  LifetimeCounts fut_counts;
  std::vector<std::shared_ptr<futures_test::Slot<Unit, int>>> slots;
  auto s = script<int>(1, 2, end);
  auto st = s.state();
  auto f = std::move(s).for_each([&](int) {
    slots.push_back(futures_test::make_slot<Unit, int>());
    return futures_test::Manual<Unit, int>(slots.back(), fut_counts);
  });
  auto [p1, n1] = poll_counting(f);
  ASSERT_TRUE(p1.unwrap_ref().is_not_ready());
  EXPECT_EQ(n1, 0u);
  EXPECT_EQ(st->polls, 1);  // item 2 not pulled while item 1's future runs
  ASSERT_EQ(slots.size(), 1u);
  ASSERT_NOT_READY(f);  // a spurious poll changes nothing
  EXPECT_EQ(st->polls, 1);
  slots[0]->complete(Ok());
  EXPECT_EQ(fut_counts.alive(), 1);
  ASSERT_NOT_READY(f);  // item 2 pulled, its future pending
  EXPECT_EQ(fut_counts.alive(), 1);  // the first future was destroyed
  EXPECT_EQ(st->polls, 2);
  ASSERT_EQ(slots.size(), 2u);
  slots[1]->complete(Ok());
  ASSERT_READY(f);
  EXPECT_EQ(fut_counts.alive(), 0);
}

TEST(ForEach, not_ready_of_stream_propagates) {
  Vec seen;
  auto f = script<int>(pending, 1, pending, pending, 2, end).for_each([&](int x) { seen.push_back(x); });
  auto [p1, n1] = poll_counting(f);
  EXPECT_TRUE(p1.unwrap_ref().is_not_ready());
  EXPECT_EQ(n1, 1u);
  auto [p2, n2] = poll_counting(f);
  EXPECT_TRUE(p2.unwrap_ref().is_not_ready());
  EXPECT_EQ(n2, 1u);
  EXPECT_EQ(seen, (Vec{1}));
  ASSERT_NOT_READY(f);
  ASSERT_READY(f);
  EXPECT_EQ(seen, (Vec{1, 2}));
}

TEST(ForEach, stream_error_is_terminal) {
  ThrowOnViolation guard;
  Vec seen;
  auto f = script<int>(1, fail(7), 2, end).for_each([&](int x) { seen.push_back(x); });
  ASSERT_ERR_EQ(f, 7);
  EXPECT_EQ(seen, (Vec{1}));
  EXPECT_THROW((void)poll_noop(f), ContractViolation);
}

TEST(ForEach, future_error_is_terminal) {
  Vec seen;
  auto s = script<int>(1, 2, 3, end);
  auto st = s.state();
  auto f = std::move(s).for_each([&](int x) -> Result<Unit, int> {
    seen.push_back(x);
    if (x == 2) return Err(9);
    return Ok();
  });
  ASSERT_ERR_EQ(f, 9);
  EXPECT_EQ(seen, (Vec{1, 2}));
  EXPECT_EQ(st->polls, 2);
}

TEST(ForEach, move_only_items_and_callback) {
  auto owned = std::make_unique<int>(10);
  int sum = 0;
  auto f = script<std::unique_ptr<int>>(std::make_unique<int>(1), std::make_unique<int>(2), end)
               .for_each([owned = std::move(owned), &sum](std::unique_ptr<int> x) { sum += *x + *owned; });
  auto moved = std::move(f);
  ASSERT_READY(moved);
  EXPECT_EQ(sum, 23);
}

TEST(ForEach, drop_cancels_stream_and_running_future) {
  LifetimeCounts fut_counts;
  auto slot = futures_test::make_slot<Unit, int>();
  auto s = script<int>(1, 2, end);
  auto st = s.state();
  {
    auto f = std::move(s).for_each([&](int) { return futures_test::Manual<Unit, int>(slot, fut_counts); });
    ASSERT_NOT_READY(f);
    EXPECT_EQ(fut_counts.alive(), 1);
  }
  EXPECT_EQ(fut_counts.alive(), 0);
  EXPECT_EQ(st->live, 0);
}

// ===== fold =====

TEST(Fold, sums) {
  auto f = script<int>(1, 2, 3, end).fold(0, [](int acc, int x) { return future::ok<int, int>(acc + x); });
  static_assert(std::is_same_v<decltype(f)::Item, int>);
  static_assert(std::is_same_v<decltype(f)::Error, int>);
  ASSERT_READY_EQ(f, 6);
}

TEST(Fold, empty_stream_gives_init) {
  auto f = script<int>(end).fold(std::string("init"), [](std::string acc, int) -> Result<std::string, int> {
    return Ok(acc);
  });
  ASSERT_READY_EQ(f, std::string("init"));
}

TEST(Fold, not_ready_of_stream_and_future_propagate) {
  LifetimeCounts fut_counts;
  auto slot = futures_test::make_slot<int, int>();
  auto s = script<int>(pending, 5, end);
  auto st = s.state();
  int seen_acc = -1;
  auto f = std::move(s).fold(1, [&](int acc, int x) {
    seen_acc = acc;
    EXPECT_EQ(x, 5);
    return futures_test::Manual<int, int>(slot, fut_counts);
  });
  auto [p1, n1] = poll_counting(f);
  EXPECT_TRUE(p1.unwrap_ref().is_not_ready());
  EXPECT_EQ(n1, 1u);
  ASSERT_NOT_READY(f);  // the future is pending
  EXPECT_EQ(seen_acc, 1);
  EXPECT_EQ(st->polls, 2);
  ASSERT_NOT_READY(f);
  EXPECT_EQ(st->polls, 2);  // the stream is not pulled while the future runs
  slot->complete(Ok(42));
  ASSERT_READY_EQ(f, 42);
  EXPECT_EQ(fut_counts.alive(), 0);
}

TEST(Fold, stream_error_is_terminal) {
  ThrowOnViolation guard;
  int calls = 0;
  auto f = script<int>(1, fail(4), 2, end).fold(0, [&](int acc, int x) -> Result<int, int> {
    ++calls;
    return Ok(acc + x);
  });
  ASSERT_ERR_EQ(f, 4);
  EXPECT_EQ(calls, 1);
  EXPECT_THROW((void)poll_noop(f), ContractViolation);
}

TEST(Fold, future_error_converts_to_stream_error) {
  // Rust: S::Error: From<Fut::Error>; here the future fails with int, the stream with long.
  auto f = script<int, long>(1, 2, end).fold(0, [](int acc, int x) -> Result<int, int> {
    if (x == 2) return Err(-2);
    return Ok(acc + x);
  });
  static_assert(std::is_same_v<decltype(f)::Error, long>);
  ASSERT_ERR_EQ(f, -2L);
}

TEST(Fold, stream_error_converts_to_future_error_when_only_that_works) {
  struct Wide {
    Wide(int v) : v(v) {}  // NOLINT: converting on purpose
    int v;
    bool operator==(const Wide&) const = default;
  };
  auto f = script<int>(1, fail(3), end).fold(0, [](int acc, int x) -> Result<int, Wide> { return Ok(acc + x); });
  static_assert(std::is_same_v<decltype(f)::Error, Wide>);
  auto polled = poll_noop(f);
  ASSERT_TRUE(polled.is_err());
  EXPECT_EQ(polled.unwrap_err().v, 3);
}

TEST(Fold, tuple_items_may_be_spread_and_callback_move_only) {
  auto bonus = std::make_unique<int>(100);
  auto f = script<std::tuple<int, int>>(std::make_tuple(1, 2), std::make_tuple(3, 4), end)
               .fold(0, [bonus = std::move(bonus)](int acc, int a, int b) -> Result<int, int> {
                 return Ok(acc + a * b + *bonus);
               });
  ASSERT_READY_EQ(f, 2 + 12 + 200);
  auto g = script<std::tuple<int, int>>(std::make_tuple(1, 2), end)
               .fold(0, [](int acc, std::tuple<int, int> t) -> Result<int, int> { return Ok(acc + std::get<1>(t)); });
  ASSERT_READY_EQ(g, 2);
}

TEST(Fold, move_only_accumulator) {
  auto f = script<int>(1, 2, end).fold(std::make_unique<Vec>(), [](std::unique_ptr<Vec> acc, int x) {
    acc->push_back(x);
    return future::ok<std::unique_ptr<Vec>, int>(std::move(acc));
  });
  auto polled = poll_noop(f);
  ASSERT_TRUE(polled.is_ok());
  EXPECT_EQ(*std::move(polled).unwrap().value(), (Vec{1, 2}));
}

TEST(Fold, drop_cancels) {
  LifetimeCounts fut_counts;
  auto slot = futures_test::make_slot<int, int>();
  auto s = script<int>(1, end);
  auto st = s.state();
  {
    auto f = std::move(s).fold(0, [&](int, int) { return futures_test::Manual<int, int>(slot, fut_counts); });
    ASSERT_NOT_READY(f);
  }
  EXPECT_EQ(fut_counts.alive(), 0);
  EXPECT_EQ(st->live, 0);
}

// ===== collect =====

TEST(Collect, gathers_all_items) {
  auto f = script<int>(1, pending, 2, 3, end).collect();
  static_assert(std::is_same_v<decltype(f)::Item, Vec>);
  auto [p1, n1] = poll_counting(f);
  EXPECT_TRUE(p1.unwrap_ref().is_not_ready());
  EXPECT_EQ(n1, 1u);
  ASSERT_READY_EQ(f, (Vec{1, 2, 3}));
}

TEST(Collect, empty_stream) {
  auto f = script<int>(end).collect();
  ASSERT_READY_EQ(f, Vec{});
}

TEST(Collect, error_is_terminal_and_drops_items) {
  ThrowOnViolation guard;
  LifetimeCounts item_counts;
  auto s = script<futures_test::Counted>(futures_test::Counted(item_counts), futures_test::Counted(item_counts),
                                         fail(5), end);
  auto st = s.state();
  auto f = std::move(s).collect();
  ASSERT_ERR_EQ(f, 5);
  EXPECT_EQ(item_counts.alive(), 0);
  EXPECT_EQ(st->steps.size(), 1u);  // the end was not pulled
  EXPECT_THROW((void)poll_noop(f), ContractViolation);
}

TEST(Collect, move_only_items) {
  auto f = script<std::unique_ptr<int>>(std::make_unique<int>(1), std::make_unique<int>(2), end).collect();
  auto polled = poll_noop(f);
  ASSERT_TRUE(polled.is_ok());
  auto v = std::move(polled).unwrap().value();
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(*v[1], 2);
}

TEST(Collect, polled_after_completion_is_violation) {
  ThrowOnViolation guard;
  auto f = script<int>(end).collect();
  ASSERT_READY(f);
  EXPECT_THROW((void)poll_noop(f), ContractViolation);
}

// ===== concat2 / concat =====

TEST(Concat, concat2_vectors_and_strings) {
  auto f = script<Vec>(Vec{1, 2}, pending, Vec{}, Vec{3}, end).concat2();
  ASSERT_NOT_READY(f);
  ASSERT_READY_EQ(f, (Vec{1, 2, 3}));
  auto g = script<std::string>("ab", "c", end).concat2();
  ASSERT_READY_EQ(g, std::string("abc"));
}

TEST(Concat, concat2_empty_stream_gives_default) {
  auto f = script<std::string>(end).concat2();
  ASSERT_READY_EQ(f, std::string());
}

TEST(Concat, concat2_error_is_terminal) {
  ThrowOnViolation guard;
  auto f = script<std::string>("a", fail(2), "b", end).concat2();
  ASSERT_ERR_EQ(f, 2);
  EXPECT_THROW((void)poll_noop(f), ContractViolation);
}

namespace {
/// A container with Rust's `Extend` as a member: extend() is preferred over insert.
struct Extendable {
  std::vector<int> v;
  int extends = 0;
  void extend(Extendable&& other) {
    ++extends;
    v.insert(v.end(), other.v.begin(), other.v.end());
  }
};
}  // namespace

TEST(Concat, uses_extend_member) {
  auto f = script<Extendable>(Extendable{{1}, 0}, Extendable{{2, 3}, 0}, end).concat2();
  auto polled = poll_noop(f);
  ASSERT_TRUE(polled.is_ok());
  auto all = std::move(polled).unwrap().value();
  EXPECT_EQ(all.v, (Vec{1, 2, 3}));
  EXPECT_EQ(all.extends, 1);
}

TEST(Concat, concat_deprecated) {
  ThrowOnViolation guard;
  auto f = script<Vec>(Vec{1}, Vec{2}, end).concat();
  ASSERT_READY_EQ(f, (Vec{1, 2}));
  auto empty = script<Vec>(end).concat();
  EXPECT_THROW((void)poll_noop(empty), ContractViolation);
}

// ===== into_future (StreamFuture) =====

TEST(StreamFuture, yields_next_item_and_the_stream) {
  auto f = script<int>(pending, 1, 2, end).into_future();
  static_assert(std::is_same_v<decltype(f)::Item, std::tuple<std::optional<int>, ScriptStream<int>>>);
  auto [p1, n1] = poll_counting(f);
  EXPECT_TRUE(p1.unwrap_ref().is_not_ready());
  EXPECT_EQ(n1, 1u);
  ASSERT_NE(f.get_ref(), nullptr);
  ASSERT_NE(f.get_mut(), nullptr);
  auto polled = poll_noop(f);
  ASSERT_TRUE(polled.is_ok());
  auto [item, rest] = std::move(polled).unwrap().value();
  EXPECT_EQ(item, some(1));
  EXPECT_EQ(f.get_ref(), nullptr);
  EXPECT_FALSE(std::move(f).into_inner().has_value());

  auto g = std::move(rest).into_future();
  auto polled2 = poll_noop(g);
  ASSERT_TRUE(polled2.is_ok());
  auto [item2, rest2] = std::move(polled2).unwrap().value();
  EXPECT_EQ(item2, some(2));
  auto h = std::move(rest2).into_future();
  auto polled3 = poll_noop(h);
  ASSERT_TRUE(polled3.is_ok());
  EXPECT_EQ(std::get<0>(std::move(polled3).unwrap().value()), std::nullopt);
}

TEST(StreamFuture, error_hands_the_stream_back) {
  ThrowOnViolation guard;
  auto f = script<int>(fail(3), 4, end).into_future();
  auto polled = poll_noop(f);
  ASSERT_TRUE(polled.is_err());
  auto [e, rest] = std::move(polled).unwrap_err();
  EXPECT_EQ(e, 3);
  EXPECT_EQ(poll_noop(rest), Ready(some(4)));  // errors are not terminal
  EXPECT_THROW((void)poll_noop(f), ContractViolation);
}

TEST(StreamFuture, into_inner_before_completion) {
  auto f = script<int>(1, end).into_future();
  auto s = std::move(f).into_inner();
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(poll_noop(*s), Ready(some(1)));
}

// ===== flatten (stream of streams) =====

TEST(Flatten, yields_inner_items_in_order) {
  using Inner = ScriptStream<int>;
  auto a = script<int>(1, 2, end);
  auto b = script<int>(end);
  auto c = script<int>(3, end);
  auto sa = a.state();
  auto s = script<Inner>(std::move(a), std::move(b), std::move(c), end).flatten();
  static_assert(Stream<decltype(s)>);
  EXPECT_EQ(poll_noop(s), Ready(some(1)));
  EXPECT_EQ(poll_noop(s), Ready(some(2)));
  EXPECT_EQ(poll_noop(s), Ready(some(3)));
  EXPECT_EQ(sa->live, 0);  // an ended inner stream is destroyed
  EXPECT_EQ(poll_noop(s), Ready(std::nullopt));
}

TEST(Flatten, errors_pass_through_and_outer_errors_convert) {
  using Inner = ScriptStream<int, long>;
  auto s = script<Inner, int>(script<int, long>(1, fail(10L), 2, end), fail(20), script<int, long>(3, end), end)
               .flatten();
  static_assert(std::is_same_v<decltype(s)::Error, long>);
  EXPECT_EQ(poll_noop(s), Ready(some(1)));
  EXPECT_EQ(poll_noop(s), Err(10L));
  EXPECT_EQ(poll_noop(s), Ready(some(2)));
  EXPECT_EQ(poll_noop(s), Err(20L));
  EXPECT_EQ(poll_noop(s), Ready(some(3)));
  EXPECT_EQ(poll_noop(s), Ready(std::nullopt));
}

TEST(Flatten, not_ready_of_outer_and_inner_propagate) {
  using Inner = ScriptStream<int>;
  auto s = script<Inner>(pending, script<int>(pending, 1, end), end).flatten();
  auto [p1, n1] = poll_counting(s);
  EXPECT_TRUE(p1.unwrap_ref().is_not_ready());
  EXPECT_EQ(n1, 1u);
  auto [p2, n2] = poll_counting(s);
  EXPECT_TRUE(p2.unwrap_ref().is_not_ready());
  EXPECT_EQ(n2, 1u);
  EXPECT_EQ(poll_noop(s), Ready(some(1)));
  EXPECT_EQ(poll_noop(s), Ready(std::nullopt));
}

TEST(Flatten, drop_destroys_outer_and_current_inner) {
  using Inner = ScriptStream<int>;
  auto a = script<int>(1, 2, end);
  auto sa = a.state();
  auto outer = script<Inner>(std::move(a), end);
  auto so = outer.state();
  {
    auto s = std::move(outer).flatten();
    EXPECT_EQ(poll_noop(s), Ready(some(1)));
    EXPECT_EQ(sa->live, 1);
    EXPECT_NE(&s.get_ref(), nullptr);
  }
  EXPECT_EQ(sa->live, 0);
  EXPECT_EQ(so->live, 0);
}

// ===== peekable =====

TEST(Peekable, peek_returns_the_same_item_until_polled) {
  auto s = script<int>(1, 2, end);
  auto st = s.state();
  auto p = std::move(s).peekable();
  auto first = futures_test::with_noop_task([&] { return p.peek(); });
  ASSERT_TRUE(first.is_ok() && first.unwrap_ref().is_ready());
  const int* item = first.unwrap_ref().value();
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(*item, 1);
  auto again = futures_test::with_noop_task([&] { return p.peek(); });
  EXPECT_EQ(again.unwrap_ref().value(), item);
  EXPECT_EQ(st->polls, 1);
  EXPECT_EQ(poll_noop(p), Ready(some(1)));
  EXPECT_EQ(poll_noop(p), Ready(some(2)));
  auto at_end = futures_test::with_noop_task([&] { return p.peek(); });
  EXPECT_EQ(at_end.unwrap_ref().value(), nullptr);
  // Fused: neither peek nor poll touches the ended stream again.
  EXPECT_EQ(futures_test::with_noop_task([&] { return p.peek(); }).unwrap_ref().value(), nullptr);
  EXPECT_EQ(poll_noop(p), Ready(std::nullopt));
  EXPECT_EQ(st->polls, 3);
}

TEST(Peekable, peek_passes_not_ready_and_errors) {
  auto p = script<int>(pending, fail(6), 7, end).peekable();
  auto counter = std::make_shared<CountingNotify>();
  auto r1 = futures_test::with_task(executor::NotifyHandle(counter), [&] { return p.peek(); });
  ASSERT_TRUE(r1.is_ok());
  EXPECT_TRUE(r1.unwrap_ref().is_not_ready());
  EXPECT_EQ(counter->count(), 1u);
  auto r2 = futures_test::with_noop_task([&] { return p.peek(); });
  ASSERT_TRUE(r2.is_err());
  EXPECT_EQ(r2.unwrap_err(), 6);
  auto r3 = futures_test::with_noop_task([&] { return p.peek(); });
  EXPECT_EQ(*r3.unwrap_ref().value(), 7);
  EXPECT_EQ(poll_noop(p), Ready(some(7)));
  EXPECT_EQ(poll_noop(p), Ready(std::nullopt));
}

TEST(Peekable, move_only_items) {
  auto p = script<std::unique_ptr<int>>(std::make_unique<int>(5), end).peekable();
  auto r = futures_test::with_noop_task([&] { return p.peek(); });
  EXPECT_EQ(**r.unwrap_ref().value(), 5);
  auto polled = poll_noop(p);
  ASSERT_TRUE(polled.is_ok());
  EXPECT_EQ(**std::move(polled).unwrap().value(), 5);
}

// ===== chunks =====

TEST(Chunks, batches_items) {
  auto s = script<int>(1, 2, 3, 4, 5, end).chunks(std::size_t{2});
  static_assert(std::is_same_v<decltype(s)::Item, Vec>);
  EXPECT_EQ(poll_noop(s), Ready(some(Vec{1, 2})));
  EXPECT_EQ(poll_noop(s), Ready(some(Vec{3, 4})));
  EXPECT_EQ(poll_noop(s), Ready(some(Vec{5})));
  EXPECT_EQ(poll_noop(s), Ready(std::nullopt));
  EXPECT_EQ(poll_noop(s), Ready(std::nullopt));  // fused
}

TEST(Chunks, not_ready_keeps_the_partial_batch) {
  auto s = script<int>(1, pending, 2, 3, end).chunks(std::size_t{3});
  auto [p1, n1] = poll_counting(s);
  EXPECT_TRUE(p1.unwrap_ref().is_not_ready());
  EXPECT_EQ(n1, 1u);
  EXPECT_EQ(poll_noop(s), Ready(some(Vec{1, 2, 3})));
  EXPECT_EQ(poll_noop(s), Ready(std::nullopt));
}

TEST(Chunks, error_mid_batch_is_held_back) {
  auto s = script<int>(1, fail(9), 2, fail(8), end).chunks(std::size_t{5});
  EXPECT_EQ(poll_noop(s), Ready(some(Vec{1})));
  EXPECT_EQ(poll_noop(s), Err(9));
  EXPECT_EQ(poll_noop(s), Ready(some(Vec{2})));
  EXPECT_EQ(poll_noop(s), Err(8));
  EXPECT_EQ(poll_noop(s), Ready(std::nullopt));
}

TEST(Chunks, error_with_empty_batch_passes_at_once) {
  auto s = script<int>(fail(1), 2, end).chunks(std::size_t{1});
  EXPECT_EQ(poll_noop(s), Err(1));
  EXPECT_EQ(poll_noop(s), Ready(some(Vec{2})));
  EXPECT_EQ(poll_noop(s), Ready(std::nullopt));
}

TEST(Chunks, zero_capacity_is_violation) {
  ThrowOnViolation guard;
  EXPECT_THROW((void)script<int>(end).chunks(std::size_t{0}), ContractViolation);
}

TEST(Chunks, accessors_and_move_only) {
  auto s = script<std::unique_ptr<int>>(std::make_unique<int>(1), std::make_unique<int>(2), end).chunks(std::size_t{2});
  EXPECT_EQ(s.get_ref().state()->polls, 0);
  auto polled = poll_noop(s);
  ASSERT_TRUE(polled.is_ok());
  auto batch = *std::move(polled).unwrap().value();
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(*batch[0] + *batch[1], 3);
  auto inner = std::move(s).into_inner();
  EXPECT_EQ(poll_noop(inner), Ready(std::nullopt));
}

// ===== zip =====

TEST(Zip, pairs_items_and_ends_with_the_shorter) {
  auto s = script<int>(1, 2, end).zip(script<std::string>("a", "b", "c", end));
  static_assert(std::is_same_v<decltype(s)::Item, std::tuple<int, std::string>>);
  EXPECT_EQ(poll_noop(s), Ready(some(std::make_tuple(1, std::string("a")))));
  EXPECT_EQ(poll_noop(s), Ready(some(std::make_tuple(2, std::string("b")))));
  EXPECT_EQ(poll_noop(s), Ready(std::nullopt));
}

TEST(Zip, early_item_waits_for_its_partner) {
  auto a = script<int>(1, 2, end);
  auto sa = a.state();
  auto s = std::move(a).zip(script<int>(pending, 10, pending, 20, end));
  auto [p1, n1] = poll_counting(s);
  EXPECT_TRUE(p1.unwrap_ref().is_not_ready());
  EXPECT_EQ(n1, 1u);
  EXPECT_EQ(poll_noop(s), Ready(some(std::make_tuple(1, 10))));
  ASSERT_NOT_READY(s);
  EXPECT_EQ(sa->polls, 2);  // item 2 is queued; S1 is not polled again meanwhile
  EXPECT_EQ(poll_noop(s), Ready(some(std::make_tuple(2, 20))));
  EXPECT_EQ(sa->polls, 2);
  EXPECT_EQ(poll_noop(s), Ready(std::nullopt));
}

TEST(Zip, errors_pass_through_keeping_queued_items) {
  auto s = script<int>(1, 2, end).zip(script<int>(fail(5), 10, 20, end));
  EXPECT_EQ(poll_noop(s), Err(5));
  EXPECT_EQ(poll_noop(s), Ready(some(std::make_tuple(1, 10))));
  EXPECT_EQ(poll_noop(s), Ready(some(std::make_tuple(2, 20))));
  EXPECT_EQ(poll_noop(s), Ready(std::nullopt));
}

TEST(Zip, move_only_and_drop) {
  auto a = script<std::unique_ptr<int>>(std::make_unique<int>(1), end);
  auto b = script<std::unique_ptr<int>>(std::make_unique<int>(2), std::make_unique<int>(3), end);
  auto sa = a.state();
  auto sb = b.state();
  {
    auto s = std::move(a).zip(std::move(b));
    auto polled = poll_noop(s);
    ASSERT_TRUE(polled.is_ok());
    auto [x, y] = *std::move(polled).unwrap().value();
    EXPECT_EQ(*x + *y, 3);
  }
  EXPECT_EQ(sa->live, 0);
  EXPECT_EQ(sb->live, 0);
}

// ===== select =====

TEST(Select, round_robin_until_both_end) {
  auto s = script<int>(1, 2, 3, end).select(script<int>(10, 20, end));
  Vec got;
  for (;;) {
    auto polled = poll_noop(s);
    ASSERT_TRUE(polled.is_ok() && polled.unwrap_ref().is_ready());
    auto item = std::move(polled).unwrap().value();
    if (!item) break;
    got.push_back(*item);
  }
  EXPECT_EQ(got, (Vec{1, 10, 2, 20, 3}));
}

TEST(Select, stream_with_nothing_goes_first_again) {
  auto a = script<int>(pending, 1, end);
  auto s = std::move(a).select(script<int>(10, 20, end));
  auto [p1, n1] = poll_counting(s);  // A NotReady, B gives 10
  EXPECT_EQ(p1, Ready(some(10)));
  EXPECT_EQ(n1, 1u);
  EXPECT_EQ(poll_noop(s), Ready(some(1)));  // A first again
  EXPECT_EQ(poll_noop(s), Ready(some(20)));
  EXPECT_EQ(poll_noop(s), Ready(std::nullopt));
}

TEST(Select, not_ready_when_both_not_ready_and_errors_pass) {
  auto s = script<int>(pending, fail(3), end).select(script<int>(pending, end));
  auto [p1, n1] = poll_counting(s);
  EXPECT_TRUE(p1.unwrap_ref().is_not_ready());
  EXPECT_EQ(n1, 2u);
  EXPECT_EQ(poll_noop(s), Err(3));  // S2 ended first this time; S1's error passes
  EXPECT_EQ(poll_noop(s), Ready(std::nullopt));
}

// ===== merge =====

TEST(MergedItem, accessors_match_and_print) {
  using M = stream::MergedItem<int, std::string>;
  auto f = M::First(1);
  auto s = M::Second("x");
  auto b = M::Both(2, "y");
  EXPECT_TRUE(f.is_first() && !f.is_second() && !f.is_both());
  EXPECT_TRUE(s.is_second());
  EXPECT_TRUE(b.is_both());
  EXPECT_EQ(f.first(), 1);
  EXPECT_EQ(b.first(), 2);
  EXPECT_EQ(b.second(), "y");
  auto name = [](auto&& m) {
    return std::forward<decltype(m)>(m).match([](int a) { return "first " + std::to_string(a); },
                                              [](std::string x) { return "second " + x; },
                                              [](int a, std::string x) { return "both " + std::to_string(a) + x; });
  };
  EXPECT_EQ(name(f), "first 1");
  EXPECT_EQ(name(std::move(s)), "second x");
  EXPECT_EQ(name(b), "both 2y");
  std::ostringstream os;
  os << b << ' ' << f;
  EXPECT_EQ(os.str(), "Both(2, \"y\") First(1)");
  EXPECT_EQ(f, M::First(1));
  EXPECT_FALSE(f == M::Both(1, ""));
  ThrowOnViolation guard;
  EXPECT_THROW((void)f.second(), ContractViolation);
}

TEST(Merge, first_second_both_and_end) {
  using M = stream::MergedItem<int, int>;
  auto s = script<int>(1, pending, end).merge(script<int>(10, 20, 30, end));
  EXPECT_EQ(poll_noop(s), Ready(some(M::Both(1, 10))));
  EXPECT_EQ(poll_noop(s), Ready(some(M::Second(20))));  // S1 NotReady
  EXPECT_EQ(poll_noop(s), Ready(some(M::Second(30))));  // S1 ended
  EXPECT_EQ(poll_noop(s), Ready(std::nullopt));
  auto t = script<int>(1, 2, end).merge(script<int>(end));
  EXPECT_EQ(poll_noop(t), Ready(some(M::First(1))));
  EXPECT_EQ(poll_noop(t), Ready(some(M::First(2))));
  EXPECT_EQ(poll_noop(t), Ready(std::nullopt));
}

TEST(Merge, second_error_behind_first_item_is_queued) {
  using M = stream::MergedItem<int, int>;
  auto s = script<int>(1, fail(4), end).merge(script<int>(fail(5), 6, end));
  EXPECT_EQ(poll_noop(s), Ready(some(M::First(1))));
  EXPECT_EQ(poll_noop(s), Err(5));
  EXPECT_EQ(poll_noop(s), Err(4));
  EXPECT_EQ(poll_noop(s), Ready(some(M::Second(6))));
  EXPECT_EQ(poll_noop(s), Ready(std::nullopt));
}

TEST(Merge, not_ready_when_neither_has_an_item) {
  auto s = script<int>(pending, end).merge(script<int>(pending, end));
  auto [p1, n1] = poll_counting(s);
  EXPECT_TRUE(p1.unwrap_ref().is_not_ready());
  EXPECT_EQ(n1, 2u);
  EXPECT_EQ(poll_noop(s), Ready(std::nullopt));
}

// ===== chain =====

TEST(Chain, first_then_second) {
  auto a = script<int>(1, fail(2), pending, 3, end);
  auto sa = a.state();
  auto s = std::move(a).chain(script<int>(4, end));
  EXPECT_EQ(poll_noop(s), Ready(some(1)));
  EXPECT_EQ(poll_noop(s), Err(2));  // not terminal, still the first stream
  auto [p, n] = poll_counting(s);
  EXPECT_TRUE(p.unwrap_ref().is_not_ready());
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(poll_noop(s), Ready(some(3)));
  EXPECT_EQ(sa->live, 1);
  EXPECT_EQ(poll_noop(s), Ready(some(4)));
  EXPECT_EQ(sa->live, 0);  // the first stream is destroyed at its end
  EXPECT_EQ(poll_noop(s), Ready(std::nullopt));
}

TEST(Chain, drop_destroys_both) {
  auto a = script<int>(1, end);
  auto b = script<int>(2, end);
  auto sa = a.state();
  auto sb = b.state();
  { auto s = std::move(a).chain(std::move(b)); }
  EXPECT_EQ(sa->live, 0);
  EXPECT_EQ(sb->live, 0);
}

// ===== drop = cancel, for the adapters not covered above =====

TEST(Adapters, drop_destroys_the_sources) {
  auto check = [](auto make) {
    auto a = script<int>(pending, 1, end);
    auto b = script<int>(pending, 2, end);
    auto sa = a.state();
    auto sb = b.state();
    {
      auto s = make(std::move(a), std::move(b));
      auto polled = poll_noop(s);
      EXPECT_TRUE(polled.is_ok());
      EXPECT_EQ(sa->live + sb->live, 2);
    }
    EXPECT_EQ(sa->live, 0);
    EXPECT_EQ(sb->live, 0);
  };
  using S = ScriptStream<int>;
  check([](S a, S b) { return std::move(a).select(std::move(b)); });
  check([](S a, S b) { return std::move(a).merge(std::move(b)); });
  check([](S a, S b) { return std::move(a).zip(std::move(b)); });
  check([](S a, S b) { return std::move(a).chain(std::move(b)); });
  check([](S a, S b) { return std::move(a).chain(std::move(b)).peekable(); });
  check([](S a, S b) { return std::move(a).chain(std::move(b)).chunks(std::size_t{4}); });
  check([](S a, S b) { return std::move(a).chain(std::move(b)).into_future(); });
  check([](S a, S b) { return std::move(a).chain(std::move(b)).collect(); });
}

}  // namespace consumers_test
