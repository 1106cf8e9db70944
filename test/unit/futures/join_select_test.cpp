// Unit tests: join (join3/4/5, tuples as IntoFuture), select, select2, Either and
// join_all (include/futures/future/{join,select,select2,either,join_all}.hpp). Each
// combinator: success, error, NotReady with the notification passing through, what is
// dropped (cancelled) and what is handed back, and the contract violation on a poll
// after completion.
#include <futures/future.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <sstream>
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
namespace join_select_test {

using namespace futures;
using futures::future::Either;
using futures_test::Counted;
using futures_test::CountingNotify;
using futures_test::LifetimeCounts;
using futures_test::make_slot;
using futures_test::Manual;
using futures_test::Slot;

namespace {

// ===== Test futures =====

/// A value that counts its lifetime, to see stored Items dropped.
struct CountedValue {
  int value;
  Counted counted;
};

// Consume their argument, so the moved-from shells a Poll or Either keeps are destroyed
// at once and the lifetime counters see only the live objects.
template <class P>
auto take_ready(P p) {
  if (!p.is_ok() || !p.unwrap_ref().is_ready()) ADD_FAILURE() << "expected Ready";
  return std::move(p).unwrap().value();
}
template <class P>
auto take_err(P p) {
  if (!p.is_err()) ADD_FAILURE() << "expected Err";
  return std::move(p).unwrap_err();
}
template <class E>
auto take_a(E e) {
  if (!e.is_a()) ADD_FAILURE() << "expected Either::A";
  return std::move(e).a();
}
template <class E>
auto take_b(E e) {
  if (!e.is_b()) ADD_FAILURE() << "expected Either::B";
  return std::move(e).b();
}

}  // namespace

// ===== join =====

TEST(Join, two_ready_futures) {
  auto f = future::ok<int, int>(1).join(future::ok<std::string, int>("two"));
  static_assert(std::is_same_v<decltype(f), future::Join<future::FutureResult<int, int>,
                                                         future::FutureResult<std::string, int>>>);
  static_assert(std::is_same_v<decltype(f)::Item, std::tuple<int, std::string>>);
  static_assert(std::is_same_v<decltype(f)::Error, int>);
  ASSERT_READY_EQ(f, std::make_tuple(1, std::string("two")));
}

TEST(Join, waits_for_both_and_the_notification_passes_through) {
  LifetimeCounts counts;
  auto sa = make_slot<int, int>();
  auto sb = make_slot<int, int>();
  auto f = Manual(sa, counts).join(Manual(sb, counts));
  auto notify = std::make_shared<CountingNotify>();
  executor::NotifyHandle handle(notify);

  ASSERT_EQ(futures_test::poll_once(f, handle), Ok(Async<std::tuple<int, int>>(NotReady)));
  EXPECT_EQ(sa->polls, 1);
  EXPECT_EQ(sb->polls, 1);

  sb->complete(Ok(2));
  EXPECT_EQ(notify->count(), 1u);
  ASSERT_EQ(futures_test::poll_once(f, handle), Ok(Async<std::tuple<int, int>>(NotReady)));
  EXPECT_EQ(sa->polls, 2);  // every unfinished future is polled each time
  EXPECT_EQ(sb->polls, 2);
  EXPECT_EQ(counts.alive(), 1);  // b was destroyed once it finished; its value is kept

  sa->complete(Ok(1));
  EXPECT_EQ(notify->count(), 2u);
  ASSERT_READY_EQ(f, std::make_tuple(1, 2));
  EXPECT_EQ(sb->polls, 2);  // a finished future is not polled again
  EXPECT_EQ(counts.alive(), 0);
}

TEST(Join, join3_join4_join5_give_tuples_in_argument_order) {
  auto f3 =
      future::ok<int, Unit>(1).join3(future::ok<char, Unit>('b'), future::ok<bool, Unit>(true));
  static_assert(std::is_same_v<decltype(f3)::Item, std::tuple<int, char, bool>>);
  ASSERT_READY_EQ(f3, std::make_tuple(1, 'b', true));

  auto f4 = future::ok<int, Unit>(1).join4(future::ok<int, Unit>(2), future::ok<int, Unit>(3),
                                           future::ok<int, Unit>(4));
  ASSERT_READY_EQ(f4, std::make_tuple(1, 2, 3, 4));

  LifetimeCounts counts;
  auto slot = make_slot<int, Unit>();
  auto f5 = future::ok<int, Unit>(1).join5(future::ok<int, Unit>(2), Manual(slot, counts),
                                           future::ok<int, Unit>(4), future::ok<int, Unit>(5));
  static_assert(std::is_same_v<decltype(f5)::Item, std::tuple<int, int, int, int, int>>);
  ASSERT_NOT_READY(f5);
  slot->complete(Ok(3));
  ASSERT_READY_EQ(f5, std::make_tuple(1, 2, 3, 4, 5));
}

TEST(Join, accepts_results_and_spreads_the_tuple_into_callbacks) {
  auto f = future::ok<int, int>(20).join(Result<int, int>(Ok(22))).map([](int a, int b) {
    return a + b;
  });
  ASSERT_READY_EQ(f, 42);
}

TEST(Join, first_error_drops_the_other_futures_and_stored_values) {
  LifetimeCounts futures_alive;
  LifetimeCounts values_alive;
  auto sa = make_slot<CountedValue, std::string>();
  auto sb = make_slot<int, std::string>();
  auto sc = make_slot<int, std::string>();
  auto f = Manual(sa, futures_alive).join3(Manual(sb, futures_alive), Manual(sc, futures_alive));
  ASSERT_NOT_READY(f);
  EXPECT_EQ(futures_alive.alive(), 3);

  sa->complete(Ok(CountedValue{1, Counted(values_alive)}));
  ASSERT_NOT_READY(f);
  EXPECT_EQ(futures_alive.alive(), 2);
  EXPECT_EQ(values_alive.alive(), 1);  // a's value, stored

  sb->complete(Err(std::string("boom")));
  sc->complete(Ok(3));
  ASSERT_ERR_EQ(f, std::string("boom"));
  EXPECT_EQ(futures_alive.alive(), 0);  // c dropped without being polled again
  EXPECT_EQ(values_alive.alive(), 0);   // a's stored value dropped
  EXPECT_EQ(sc->polls, 2);
}

TEST(Join, error_of_the_first_future_stops_the_round) {
  LifetimeCounts counts;
  auto sb = make_slot<int, int>();
  auto f = future::err<int, int>(7).join(Manual(sb, counts));
  ASSERT_ERR_EQ(f, 7);
  EXPECT_EQ(sb->polls, 0);
  EXPECT_EQ(counts.alive(), 0);
}

TEST(Join, drop_cancels_every_future) {
  LifetimeCounts counts;
  auto sa = make_slot<int, int>();
  auto sb = make_slot<int, int>();
  {
    auto f = Manual(sa, counts).join(Manual(sb, counts));
    ASSERT_NOT_READY(f);
    EXPECT_EQ(counts.alive(), 2);
  }
  EXPECT_EQ(counts.alive(), 0);
}

TEST(Join, a_tuple_of_futures_is_into_future) {
  auto t = std::make_tuple(future::ok<int, int>(1), Result<std::string, int>(Ok(std::string("x"))));
  static_assert(IntoFuture<decltype(t)>);
  static_assert(!IntoFuture<std::tuple<int, int>>);
  auto f = futures::into_future(std::move(t));
  static_assert(std::is_same_v<decltype(f)::Item, std::tuple<int, std::string>>);
  ASSERT_READY_EQ(f, std::make_tuple(1, std::string("x")));

  // and_then may return a tuple of futures, as Rust's `(a, b)` IntoFuture.
  auto g = future::ok<int, int>(2).and_then(
      [](int x) { return std::make_tuple(future::ok<int, int>(x), future::ok<int, int>(x * 2)); });
  ASSERT_READY_EQ(g, std::make_tuple(2, 4));
}

TEST(Join, can_be_waited_on) {
  auto r = future::ok<int, int>(1).join(future::ok<int, int>(2)).wait();
  EXPECT_EQ(r, Ok(std::make_tuple(1, 2)));
}

TEST(JoinDeathTest, poll_after_completion_is_a_contract_violation) {
  auto f = future::ok<int, int>(1).join(future::ok<int, int>(2));
  ASSERT_READY(f);
  EXPECT_DEATH((void)futures_test::poll_noop(f), "Join polled after it completed");
  auto g = future::err<int, int>(1).join(future::ok<int, int>(2));
  ASSERT_ERR_EQ(g, 1);
  EXPECT_DEATH((void)futures_test::poll_noop(g), "Join polled after it completed");
}

// ===== select =====

TEST(Select, first_ready_wins_and_the_loser_is_handed_back) {
  LifetimeCounts counts;
  auto sa = make_slot<int, int>();
  auto sb = make_slot<int, int>();
  auto f = Manual(sa, counts).select(Manual(sb, counts));
  using Next = future::SelectNext<Manual<int, int>, Manual<int, int>>;
  static_assert(std::is_same_v<decltype(f)::Item, std::tuple<int, Next>>);
  static_assert(std::is_same_v<decltype(f)::Error, std::tuple<int, Next>>);

  auto notify = std::make_shared<CountingNotify>();
  executor::NotifyHandle handle(notify);
  auto p = futures_test::poll_once(f, handle);
  ASSERT_TRUE(p.is_ok());
  ASSERT_TRUE(p.unwrap_ref().is_not_ready());

  sb->complete(Ok(2));
  EXPECT_EQ(notify->count(), 1u);
  auto [value, next] = take_ready(futures_test::poll_once(f, handle));
  EXPECT_EQ(value, 2);
  EXPECT_EQ(counts.alive(), 1);  // b destroyed; a handed back, not cancelled

  // The loser keeps working: poll it to completion in a new task.
  auto notify2 = std::make_shared<CountingNotify>();
  executor::NotifyHandle handle2(notify2);
  auto p2 = futures_test::poll_once(next, handle2);
  ASSERT_TRUE(p2.is_ok() && p2.unwrap_ref().is_not_ready());
  sa->complete(Ok(1));
  EXPECT_EQ(notify2->count(), 1u);  // the most recent task is the one notified
  EXPECT_EQ(notify->count(), 1u);
  ASSERT_READY_EQ(next, 1);
}

TEST(Select, polls_a_first_every_time) {
  auto f = future::ok<int, int>(1).select(future::ok<int, int>(2));
  auto p = futures_test::poll_noop(f);
  ASSERT_TRUE(p.is_ok() && p.unwrap_ref().is_ready());
  auto [value, next] = std::move(p).unwrap().value();
  EXPECT_EQ(value, 1);
  ASSERT_READY_EQ(next, 2);  // b was never polled, and is handed back intact
}

TEST(Select, error_carries_the_loser) {
  LifetimeCounts counts;
  auto sb = make_slot<int, std::string>();
  auto f = future::err<int, std::string>("bad").select(Manual(sb, counts));
  auto [error, next] = take_err(futures_test::poll_noop(f));
  EXPECT_EQ(error, "bad");
  EXPECT_EQ(counts.alive(), 1);
  ASSERT_NOT_READY(next);
  sb->complete(Err(std::string("later")));
  ASSERT_ERR_EQ(next, std::string("later"));
}

TEST(Select, callbacks_take_the_value_and_the_loser) {
  auto f = future::ok<int, int>(1).select(future::ok<int, int>(2)).map([](int v, auto next) {
    return v + futures::executor::spawn(std::move(next)).wait_future().unwrap();
  });
  ASSERT_READY_EQ(f, 3);
}

TEST(Select, drop_cancels_both) {
  LifetimeCounts counts;
  auto sa = make_slot<int, int>();
  auto sb = make_slot<int, int>();
  {
    auto f = Manual(sa, counts).select(Manual(sb, counts));
    ASSERT_NOT_READY(f);
  }
  EXPECT_EQ(counts.alive(), 0);
}

TEST(SelectDeathTest, poll_after_completion_is_a_contract_violation) {
  auto f = future::ok<int, int>(1).select(future::ok<int, int>(2));
  ASSERT_READY(f);
  EXPECT_DEATH((void)futures_test::poll_noop(f), "Select polled after it completed");
}

// ===== select2 =====

TEST(Select2, a_wins_with_b_handed_back) {
  LifetimeCounts counts;
  auto sb = make_slot<std::string, Unit>();
  auto f = future::ok<int, int>(1).select2(Manual(sb, counts));
  using F = decltype(f);
  static_assert(
      std::is_same_v<F::Item, Either<std::tuple<int, Manual<std::string, Unit>>,
                                     std::tuple<std::string, future::FutureResult<int, int>>>>);
  static_assert(std::is_same_v<F::Error, Either<std::tuple<int, Manual<std::string, Unit>>,
                                                std::tuple<Unit, future::FutureResult<int, int>>>>);
  auto [value, b] = take_a(take_ready(futures_test::poll_noop(f)));
  EXPECT_EQ(value, 1);
  EXPECT_EQ(counts.alive(), 1);
  EXPECT_EQ(sb->polls, 0);
  sb->complete(Ok(std::string("b")));
  ASSERT_READY_EQ(b, std::string("b"));
}

TEST(Select2, b_wins_with_a_handed_back_and_the_notification_passes_through) {
  LifetimeCounts counts;
  auto sa = make_slot<int, int>();
  auto sb = make_slot<std::string, Unit>();
  auto f = Manual(sa, counts).select2(Manual(sb, counts));
  auto notify = std::make_shared<CountingNotify>();
  executor::NotifyHandle handle(notify);
  auto p = futures_test::poll_once(f, handle);
  ASSERT_TRUE(p.is_ok() && p.unwrap_ref().is_not_ready());
  sb->complete(Ok(std::string("b")));
  EXPECT_EQ(notify->count(), 1u);
  auto [value, a] = take_b(take_ready(futures_test::poll_once(f, handle)));
  EXPECT_EQ(value, "b");
  EXPECT_EQ(counts.alive(), 1);
  sa->complete(Ok(5));
  ASSERT_READY_EQ(a, 5);
}

TEST(Select2, errors_are_either_too) {
  LifetimeCounts counts;
  auto sa = make_slot<int, int>();
  auto f = Manual(sa, counts).select2(future::err<Unit, std::string>("b failed"));
  auto [error, a] = take_b(take_err(futures_test::poll_noop(f)));
  EXPECT_EQ(error, "b failed");
  EXPECT_EQ(counts.alive(), 1);

  auto g = future::err<int, int>(3).select2(future::ok<int, int>(4));
  auto q = futures_test::poll_noop(g);
  ASSERT_TRUE(q.is_err());
  ASSERT_TRUE(q.unwrap_err_ref().is_a());
  EXPECT_EQ(std::get<0>(q.unwrap_err_ref().a()), 3);
}

TEST(Select2, split_gives_the_value_and_the_other_future) {
  auto f = future::ok<int, int>(1).select2(future::ok<int, Unit>(2));
  auto r = std::move(f).wait();
  ASSERT_TRUE(r.is_ok());
  auto [value, rest] = std::move(r).unwrap().split();
  EXPECT_EQ(value, 1);
  ASSERT_TRUE(rest.is_a());
  ASSERT_READY_EQ(rest.a(), 2);
}

TEST(Select2DeathTest, poll_after_completion_is_a_contract_violation) {
  auto f = future::ok<int, int>(1).select2(future::ok<int, int>(2));
  ASSERT_READY(f);
  EXPECT_DEATH((void)futures_test::poll_noop(f), "Select2 polled after it completed");
}

// ===== Either =====

TEST(Either, is_a_plain_value) {
  using E = Either<int, std::string>;
  static_assert(!Future<E>);
  static_assert(std::is_copy_constructible_v<E>);
  E a = E::A(1);
  E b = E::B("two");
  EXPECT_TRUE(a.is_a());
  EXPECT_FALSE(a.is_b());
  EXPECT_TRUE(b.is_b());
  EXPECT_EQ(a.a(), 1);
  EXPECT_EQ(b.b(), "two");
  auto copy = b;  // a value: copies
  EXPECT_EQ(copy, b);
  EXPECT_FALSE(copy == a);
  std::string moved = std::move(copy).b();
  EXPECT_EQ(moved, "two");
  b.b() += "!";
  EXPECT_EQ(b.b(), "two!");

  std::ostringstream os;
  os << a << ' ' << b;
  EXPECT_EQ(os.str(), "A(1) B(\"two!\")");
}

TEST(Either, visit_calls_the_side_held) {
  using E = Either<int, std::string>;
  auto describe = [](const auto& v) {
    if constexpr (std::is_same_v<std::decay_t<decltype(v)>, int>)
      return std::string("int");
    else
      return std::string("string");
  };
  EXPECT_EQ(E::A(1).visit(describe), "int");
  E b = E::B("x");
  EXPECT_EQ(b.visit(describe), "string");
  const E& cb = b;
  EXPECT_EQ(cb.visit(describe), "string");
  // Same type on both sides.
  using S = Either<int, int>;
  EXPECT_EQ(S::B(4).visit([](int v) { return v * 2; }), 8);
  int seen = 0;
  S::A(3).visit([&](int v) { seen = v; });
  EXPECT_EQ(seen, 3);
}

TEST(Either, split_of_pairs) {
  using E = Either<std::tuple<int, std::string>, std::tuple<int, double>>;
  auto [t, rest] = E::B(std::make_tuple(7, 1.5)).split();
  EXPECT_EQ(t, 7);
  ASSERT_TRUE(rest.is_b());
  EXPECT_EQ(rest.b(), 1.5);
  const E a = E::A(std::make_tuple(8, std::string("s")));
  auto [t2, rest2] = a.split();  // lvalue: copies
  EXPECT_EQ(t2, 8);
  EXPECT_EQ(rest2, (Either<std::string, double>::A("s")));
  EXPECT_TRUE(a.is_a());
}

TEST(Either, of_two_futures_is_a_future) {
  LifetimeCounts counts;
  auto slot = make_slot<int, int>();
  using E = Either<future::FutureResult<int, int>, Manual<int, int>>;
  static_assert(Future<E>);
  static_assert(std::is_same_v<E::Item, int> && std::is_same_v<E::Error, int>);
  static_assert(!Future<Either<future::FutureResult<int, int>, future::FutureResult<int, Unit>>>);

  auto a = E::A(future::ok<int, int>(1));
  ASSERT_READY_EQ(a, 1);

  auto b = E::B(Manual(slot, counts));
  auto notify = std::make_shared<CountingNotify>();
  executor::NotifyHandle handle(notify);
  auto p = futures_test::poll_once(b, handle);
  ASSERT_TRUE(p.is_ok() && p.unwrap_ref().is_not_ready());
  slot->complete(Err(9));
  EXPECT_EQ(notify->count(), 1u);
  ASSERT_ERR_EQ(b, 9);
}

TEST(Either, has_the_future_combinators) {
  using E = Either<future::FutureResult<int, int>, future::FutureResult<int, int>>;
  auto pick = [](bool first) {
    return first ? E::A(future::ok<int, int>(1)) : E::B(future::ok<int, int>(2));
  };
  auto f = pick(false).map([](int v) { return v * 10; });
  ASSERT_READY_EQ(f, 20);
  EXPECT_EQ(pick(true).join(pick(false)).wait(), Ok(std::make_tuple(1, 2)));
}

namespace {
/// Yields n, n-1, ..., 1, then ends.
class Countdown : public StreamExt<Countdown> {
 public:
  using Item = int;
  using Error = Unit;
  explicit Countdown(int n) : n_(n) {}
  Poll<std::optional<int>, Unit> poll() {
    if (n_ == 0) return Ready(std::optional<int>());
    return Ready(std::optional<int>(n_--));
  }

 private:
  int n_;
};
}  // namespace

TEST(Either, of_two_streams_is_a_stream) {
  using S = Either<Countdown, Countdown>;
  static_assert(Stream<S>);
  static_assert(!Future<S>);
  static_assert(std::is_same_v<S::Item, int> && std::is_same_v<S::Error, Unit>);
  auto s = S::B(Countdown(2));
  EXPECT_EQ(futures_test::poll_noop(s),
            Ok(Async<std::optional<int>>(Ready(std::optional<int>(2)))));
  EXPECT_EQ(futures_test::poll_noop(s),
            Ok(Async<std::optional<int>>(Ready(std::optional<int>(1)))));
  EXPECT_EQ(futures_test::poll_noop(s), Ok(Async<std::optional<int>>(Ready(std::optional<int>()))));
}

TEST(EitherDeathTest, the_wrong_accessor_is_a_contract_violation) {
  auto e = Either<int, int>::A(1);
  EXPECT_DEATH((void)e.b(), "Either::b\\(\\) called on an A value");
  auto f = Either<int, int>::B(1);
  EXPECT_DEATH((void)f.a(), "Either::a\\(\\) called on a B value");
}

// ===== join_all =====

TEST(JoinAll, values_in_input_order) {
  std::vector<future::FutureResult<int, int>> v;
  v.push_back(future::ok<int, int>(1));
  v.push_back(future::ok<int, int>(2));
  v.push_back(future::ok<int, int>(3));
  auto f = future::join_all(std::move(v));
  static_assert(std::is_same_v<decltype(f)::Item, std::vector<int>>);
  ASSERT_READY_EQ(f, (std::vector<int>{1, 2, 3}));
}

TEST(JoinAll, waits_for_every_future_and_polls_each_unfinished_one) {
  LifetimeCounts counts;
  auto s0 = make_slot<int, int>();
  auto s1 = make_slot<int, int>();
  std::vector<Manual<int, int>> v;
  v.emplace_back(s0, counts);
  v.emplace_back(s1, counts);
  auto f = future::join_all(std::move(v));
  auto notify = std::make_shared<CountingNotify>();
  executor::NotifyHandle handle(notify);
  auto p = futures_test::poll_once(f, handle);
  ASSERT_TRUE(p.is_ok() && p.unwrap_ref().is_not_ready());
  s1->complete(Ok(11));
  EXPECT_EQ(notify->count(), 1u);
  p = futures_test::poll_once(f, handle);
  ASSERT_TRUE(p.is_ok() && p.unwrap_ref().is_not_ready());
  EXPECT_EQ(counts.alive(), 1);
  s0->complete(Ok(10));
  ASSERT_READY_EQ(f, (std::vector<int>{10, 11}));
  EXPECT_EQ(s1->polls, 2);
  EXPECT_EQ(counts.alive(), 0);
}

TEST(JoinAll, first_error_drops_the_rest) {
  LifetimeCounts counts;
  auto s0 = make_slot<int, int>();
  auto s1 = make_slot<int, int>();
  auto s2 = make_slot<int, int>();
  std::vector<Manual<int, int>> v;
  v.emplace_back(s0, counts);
  v.emplace_back(s1, counts);
  v.emplace_back(s2, counts);
  auto f = future::join_all(std::move(v));
  ASSERT_NOT_READY(f);
  s1->complete(Err(5));
  ASSERT_ERR_EQ(f, 5);
  EXPECT_EQ(counts.alive(), 0);
  EXPECT_EQ(s2->polls, 1);  // not polled after the error
}

TEST(JoinAll, empty_list_and_results_and_collect) {
  auto empty = future::join_all(std::vector<future::FutureResult<int, int>>{});
  ASSERT_READY_EQ(empty, std::vector<int>{});

  const std::vector<Result<int, int>> results{Ok(1), Ok(2)};
  auto f = future::join_all(results);  // lvalue: copied from
  ASSERT_READY_EQ(f, (std::vector<int>{1, 2}));
  EXPECT_EQ(results.size(), 2u);

  auto g = future::collect(std::vector<Result<int, int>>{Ok(1), Err(2), Ok(3)});
  ASSERT_ERR_EQ(g, 2);
}

TEST(JoinAll, accepts_futures_that_are_not_assignable) {
  auto add_one = [y = 1](int x) { return x + y; };  // a capturing lambda: not assignable
  std::vector<decltype(future::ok<int, int>(0).map(add_one))> v;
  for (int i = 0; i < 3; ++i)
    v.push_back(future::ok<int, int>(i).map(add_one));
  auto f = future::join_all(std::move(v));
  ASSERT_READY_EQ(f, (std::vector<int>{1, 2, 3}));
}

TEST(JoinAllDeathTest, poll_after_completion_is_a_contract_violation) {
  auto f = future::join_all(std::vector<Result<int, int>>{Ok(1)});
  ASSERT_READY(f);
  EXPECT_DEATH((void)futures_test::poll_noop(f), "JoinAll polled after it completed");
}

}  // namespace join_select_test
