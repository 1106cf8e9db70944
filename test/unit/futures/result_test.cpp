// Unit tests: Result, Async, Poll, AsyncSink and FUTURES_TRY_READY (include/futures/result.hpp,
// include/futures/poll.hpp).
#include <futures/poll.hpp>
#include <futures/result.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>

// One namespace per file: a unity build compiles several test files as one unit.
namespace result_test {

using futures::Async;
using futures::AsyncSink;
using futures::Err;
using futures::NotReady;
using futures::Ok;
using futures::Poll;
using futures::Ready;
using futures::Result;
using futures::Unit;

namespace {

template <class T>
std::string show(const T& v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

}  // namespace

TEST(Result, ok_and_err) {
  Result<int, std::string> ok = Ok(1);
  Result<int, std::string> err = Err(std::string("bad"));
  EXPECT_TRUE(ok.is_ok());
  EXPECT_FALSE(ok.is_err());
  EXPECT_TRUE(err.is_err());
  EXPECT_EQ(ok.unwrap(), 1);
  EXPECT_EQ(err.unwrap_err(), "bad");
  EXPECT_EQ(ok, Ok(1));
  EXPECT_EQ(err, Err(std::string("bad")));
  EXPECT_FALSE(ok == Err(std::string("bad")));
  EXPECT_EQ(ok.ok(), std::optional<int>(1));
  EXPECT_EQ(ok.err(), std::nullopt);
  EXPECT_EQ(err.err(), std::optional<std::string>("bad"));
}

TEST(Result, same_type_on_both_sides_keeps_the_tag) {
  Result<int, int> ok = Ok(3);
  Result<int, int> err = Err(3);
  EXPECT_TRUE(ok.is_ok());
  EXPECT_TRUE(err.is_err());
  EXPECT_NE(ok, err);
}

TEST(Result, unwrap_on_err_throws_panic_with_the_error) {
  Result<int, std::string> err = Err(std::string("boom"));
  try {
    (void)err.unwrap();
    FAIL() << "unwrap on Err must throw";
  } catch (const futures::Panic& p) {
    EXPECT_NE(std::string(p.what()).find("boom"), std::string::npos);
  }
  try {
    (void)err.expect("it failed");
    FAIL();
  } catch (const futures::Panic& p) {
    EXPECT_NE(std::string(p.what()).find("it failed"), std::string::npos);
  }
  Result<int, std::string> ok = Ok(1);
  EXPECT_THROW((void)ok.unwrap_err(), futures::Panic);
  EXPECT_THROW((void)ok.expect_err("x"), futures::Panic);
}

TEST(Result, combinators) {
  Result<int, int> ok = Ok(2);
  Result<int, int> err = Err(5);
  EXPECT_EQ(ok.map([](int x) { return x * 10; }), Ok(20));
  EXPECT_EQ(err.map([](int x) { return x * 10; }), Err(5));
  EXPECT_EQ(ok.map_err([](int e) { return std::to_string(e); }), Ok(2));
  EXPECT_EQ(err.map_err([](int e) { return std::to_string(e); }), Err(std::string("5")));
  auto half = [](int x) -> Result<int, int> {
    if (x % 2) return Err(x);
    return Ok(x / 2);
  };
  EXPECT_EQ(ok.and_then(half), Ok(1));
  Result<int, int> odd = Ok(3);
  EXPECT_EQ(odd.and_then(half), Err(3));
  EXPECT_EQ(err.and_then(half), Err(5));
  EXPECT_EQ(err.unwrap_or(7), 7);
  EXPECT_EQ(ok.unwrap_or(7), 2);
  // A void callback yields Unit.
  int seen = 0;
  Result<Unit, int> mapped = ok.map([&](int x) { seen = x; });
  EXPECT_EQ(mapped, Ok(Unit{}));
  EXPECT_EQ(seen, 2);
}

TEST(Result, move_only_values) {
  Result<std::unique_ptr<int>, int> r = Ok(std::make_unique<int>(4));
  std::unique_ptr<int> p = std::move(r).unwrap();
  EXPECT_EQ(*p, 4);
}

TEST(Result, converts_between_compatible_results) {
  Result<int, int> narrow = Err(2);
  Result<long, long> wide = std::move(narrow);
  EXPECT_EQ(wide, Err(2L));
}

TEST(Result, prints_like_rust_debug) {
  EXPECT_EQ(show(Result<int, std::string>(Ok(1))), "Ok(1)");
  EXPECT_EQ(show(Result<int, std::string>(Err(std::string("e")))), "Err(\"e\")");
  EXPECT_EQ(show(Result<Unit, int>(Ok())), "Ok(())");
}

TEST(Async, ready_and_not_ready) {
  Async<int> ready = Ready(3);
  Async<int> not_ready = NotReady;
  EXPECT_TRUE(ready.is_ready());
  EXPECT_TRUE(not_ready.is_not_ready());
  EXPECT_EQ(*ready, 3);
  EXPECT_EQ(ready, Ready(3));
  EXPECT_EQ(not_ready, NotReady);
  EXPECT_EQ(Async<int>::Ready(3), ready);
  EXPECT_EQ(Async<int>::NotReady(), not_ready);
  EXPECT_EQ(ready.map([](int x) { return x + 1; }), Ready(4));
  EXPECT_EQ(not_ready.map([](int x) { return x + 1; }), NotReady);
  EXPECT_EQ(show(ready), "Ready(3)");
  EXPECT_EQ(show(not_ready), "NotReady");
}

TEST(Poll, ready_not_ready_and_err_convert) {
  Poll<int, std::string> a = Ready(1);
  Poll<int, std::string> b = NotReady;
  Poll<int, std::string> c = Err(std::string("x"));
  Poll<Unit, int> d = Ready();
  EXPECT_EQ(a, Ready(1));
  EXPECT_EQ(b, NotReady);
  EXPECT_EQ(c, Err(std::string("x")));
  EXPECT_EQ(d, Ready(Unit{}));
  EXPECT_TRUE(a.unwrap_ref().is_ready());
  EXPECT_TRUE(b.unwrap_ref().is_not_ready());
  EXPECT_EQ(show(a), "Ok(Ready(1))");
  EXPECT_EQ(show(b), "Ok(NotReady)");
}

namespace {
Poll<int, std::string> twice(Poll<int, std::string> in) {
  int v = FUTURES_TRY_READY(std::move(in));
  return Ready(v * 2);
}
Poll<int, long> widen(Poll<int, int> in) {
  int v = FUTURES_TRY_READY(std::move(in));
  return Ready(v);
}
}  // namespace

TEST(Poll, try_ready_returns_early) {
  EXPECT_EQ(twice(Ready(4)), Ready(8));
  EXPECT_EQ(twice(NotReady), NotReady);
  EXPECT_EQ(twice(Err(std::string("e"))), Err(std::string("e")));
  EXPECT_EQ(widen(Err(3)), Err(3L));  // the error converts like Rust's `From`
}

TEST(AsyncSink, ready_and_not_ready_hand_back_the_item) {
  auto ready = AsyncSink<std::string>::Ready();
  auto full = AsyncSink<std::string>::NotReady("item");
  EXPECT_TRUE(ready.is_ready());
  EXPECT_TRUE(full.is_not_ready());
  EXPECT_EQ(std::move(full).item(), "item");
  EXPECT_EQ(show(AsyncSink<int>::NotReady(2)), "NotReady(2)");
  EXPECT_EQ(AsyncSink<int>::NotReady(2).map([](int x) { return x * 3; }), AsyncSink<int>::NotReady(6));
}

TEST(Unit, compares_and_prints) {
  EXPECT_EQ(Unit{}, Unit{});
  EXPECT_EQ(show(Unit{}), "()");
}

// Result and Async keep their values in a tagged union (futures/detail/result_storage.hpp).
// Copies and moves are trivial when the values' are, as with std::variant / std::optional.
static_assert(std::is_trivially_copyable_v<Result<int, Unit>>);
static_assert(std::is_trivially_copyable_v<Poll<Unit, Unit>>);
static_assert(!std::is_trivially_copyable_v<Result<std::string, int>>);
static_assert(!std::is_copy_constructible_v<Result<std::unique_ptr<int>, int>>);
static_assert(std::is_nothrow_move_constructible_v<Result<std::string, std::string>>);
static_assert(sizeof(Async<Unit>) == 2 && sizeof(Poll<Unit, Unit>) == 3);

TEST(Result, assignment_switches_between_ok_and_err) {
  auto counted = std::make_shared<int>(7);
  Result<std::shared_ptr<int>, std::string> r = Ok(counted);
  EXPECT_EQ(counted.use_count(), 2);
  r = Result<std::shared_ptr<int>, std::string>(Err(std::string("boom")));
  EXPECT_EQ(counted.use_count(), 1);  // the Ok value was destroyed
  EXPECT_EQ(r.unwrap_err(), "boom");
  const Result<std::shared_ptr<int>, std::string> ok = Ok(counted);
  r = ok;  // copy assignment across alternatives
  EXPECT_EQ(counted.use_count(), 3);
  r = ok;  // the same alternative: assigned in place
  EXPECT_EQ(counted.use_count(), 3);
  Result<std::shared_ptr<int>, std::string> moved(std::move(r));
  EXPECT_EQ(counted.use_count(), 3);
  EXPECT_EQ(*moved.unwrap(), 7);
}

namespace {
// Copying throws once `armed`; moving never does.
struct ThrowingCopy {
  static inline bool armed = false;
  int v = 0;
  explicit ThrowingCopy(int x) : v(x) {}
  ThrowingCopy(const ThrowingCopy& o) : v(o.v) {
    if (armed) throw std::runtime_error("copy");
  }
  ThrowingCopy(ThrowingCopy&& o) noexcept : v(o.v) {}
  ThrowingCopy& operator=(const ThrowingCopy&) = default;
  ThrowingCopy& operator=(ThrowingCopy&&) noexcept = default;
};
}  // namespace

TEST(Result, throwing_copy_into_the_other_alternative_keeps_the_old_value) {
  Result<int, ThrowingCopy> r = Ok(1);
  const Result<int, ThrowingCopy> err = Err(ThrowingCopy(2));
  ThrowingCopy::armed = true;
  EXPECT_THROW(r = err, std::runtime_error);
  ThrowingCopy::armed = false;
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r.unwrap(), 1);
  r = err;
  EXPECT_EQ(r.unwrap_err_ref().v, 2);
}

TEST(Async, assignment_and_comparison) {
  Async<std::string> a = Async<std::string>::Ready("x");
  a = Async<std::string>::NotReady();
  EXPECT_TRUE(a.is_not_ready());
  EXPECT_EQ(a, Async<std::string>::NotReady());
  a = Async<std::string>::Ready("y");
  EXPECT_EQ(a, Async<std::string>::Ready("y"));
  EXPECT_FALSE(a == Async<std::string>::Ready("z"));
  EXPECT_FALSE(a == Async<std::string>::NotReady());
}

}  // namespace result_test
