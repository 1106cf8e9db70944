// Port of futures 0.1 tests/all.rs: the future combinators end to end, with oneshot
// channels and forgotten futures running on their own threads.
#include <futures/future.hpp>
#include <futures/sync/oneshot.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <tuple>
#include <vector>

#include "support/assert_poll.hpp"
#include "support/forget.hpp"
#include "support/notify.hpp"
#include "support/std_channel.hpp"

// One namespace per file: a unity build compiles several test files as one unit.
namespace all_test {

using namespace futures;
using futures::sync::oneshot::Canceled;
using futures_test::Forgetter;
using futures_test::noop_notify;
using futures_test::panic_notify;
using futures_test::std_channel;
namespace oneshot = futures::sync::oneshot;

namespace {

using u32 = std::uint32_t;

future::FutureResult<int, u32> f_ok(int a) { return future::result(Result<int, u32>(Ok(a))); }
future::FutureResult<int, u32> f_err(u32 a) { return future::result(Result<int, u32>(Err(a))); }
Result<int, u32> r_ok(int a) { return Ok(a); }
Result<int, u32> r_err(u32 a) { return Err(a); }

template <class MakeFuture, class Expected>
void assert_done(MakeFuture make, const Expected& expected) {
  EXPECT_EQ(make().wait(), expected);
}

template <class MakeFuture>
void assert_empty(MakeFuture make) {
  auto spawned = executor::spawn(make());
  auto polled = spawned.poll_future_notify(panic_notify(), 0);
  ASSERT_TRUE(polled.is_ok());
  EXPECT_TRUE(polled.unwrap_ref().is_not_ready());
}

/// Rust's `unselect`: drops the SelectNext of a select result.
template <class T, class E>
auto unselect() {
  return [](auto r) -> Result<T, E> {
    if (r.is_ok()) return Ok(std::get<0>(std::move(r).unwrap()));
    return Err(std::get<0>(std::move(r).unwrap_err()));
  };
}

auto empty_i() { return future::empty<int, u32>(); }

}  // namespace

TEST(All, result_smoke) {
  static_assert(Future<decltype(f_ok(1).map([](int a) { return a + 1; }))>);
  static_assert(std::is_same_v<decltype(f_ok(1).join(r_err(3)))::Item, std::tuple<int, int>>);
  static_assert(std::is_same_v<decltype(f_ok(1).map(f_ok).flatten())::Item, int>);

  assert_done([] { return f_ok(1); }, r_ok(1));
  assert_done([] { return f_err(1); }, r_err(1));
  assert_done([] { return future::result(r_ok(1)); }, r_ok(1));
  assert_done([] { return future::result(r_err(1)); }, r_err(1));
  assert_done([] { return future::ok<int, u32>(1); }, r_ok(1));
  assert_done([] { return future::err<int, u32>(1); }, r_err(1));
  assert_done([] { return f_ok(1).map([](int a) { return a + 2; }); }, r_ok(3));
  assert_done([] { return f_err(1).map([](int a) { return a + 2; }); }, r_err(1));
  assert_done([] { return f_ok(1).map_err([](u32 a) { return a + 2; }); }, r_ok(1));
  assert_done([] { return f_err(1).map_err([](u32 a) { return a + 2; }); }, r_err(3));
  assert_done([] { return f_ok(1).and_then([](int a) { return r_ok(a + 2); }); }, r_ok(3));
  assert_done([] { return f_err(1).and_then([](int a) { return r_ok(a + 2); }); }, r_err(1));
  assert_done([] { return f_ok(1).and_then([](int a) { return r_err(u32(a) + 3); }); }, r_err(4));
  assert_done([] { return f_err(1).and_then([](int a) { return r_err(u32(a) + 4); }); }, r_err(1));
  assert_done([] { return f_ok(1).or_else([](u32 a) { return r_ok(int(a) + 2); }); }, r_ok(1));
  assert_done([] { return f_err(1).or_else([](u32 a) { return r_ok(int(a) + 2); }); }, r_ok(3));
  assert_done([] { return f_ok(1).or_else([](u32 a) { return r_err(a + 3); }); }, r_ok(1));
  assert_done([] { return f_err(1).or_else([](u32 a) { return r_err(a + 4); }); }, r_err(5));
  assert_done([] { return f_ok(1).select(f_err(2)).then(unselect<int, u32>()); }, r_ok(1));
  assert_done([] { return f_ok(1).select(r_ok(2)).then(unselect<int, u32>()); }, r_ok(1));
  assert_done([] { return f_err(1).select(f_ok(1)).then(unselect<int, u32>()); }, r_err(1));
  assert_done([] { return f_ok(1).select(empty_i()).then(unselect<int, u32>()); }, r_ok(1));
  assert_done([] { return empty_i().select(f_ok(1)).then(unselect<int, u32>()); }, r_ok(1));
  assert_done([] { return f_ok(1).join(f_err(1)); }, Err(u32(1)));
  assert_done([] { return f_ok(1).join(r_ok(2)); }, Ok(std::tuple<int, int>(1, 2)));
  assert_done([] { return f_err(1).join(f_ok(1)); }, Err(u32(1)));
  assert_done([] { return f_ok(1).then([](auto) { return r_ok(2); }); }, r_ok(2));
  assert_done([] { return f_ok(1).then([](auto) { return r_err(2); }); }, r_err(2));
  assert_done([] { return f_err(1).then([](auto) { return r_ok(2); }); }, r_ok(2));
  assert_done([] { return f_err(1).then([](auto) { return r_err(2); }); }, r_err(2));
}

TEST(All, test_empty) {
  assert_empty([] { return empty_i(); });
  assert_empty([] { return empty_i().select(empty_i()); });
  assert_empty([] { return empty_i().join(empty_i()); });
  assert_empty([] { return empty_i().join(f_ok(1)); });
  assert_empty([] { return f_ok(1).join(empty_i()); });
  assert_empty([] { return empty_i().or_else([](u32) { return empty_i(); }); });
  assert_empty([] { return empty_i().and_then([](int) { return empty_i(); }); });
  assert_empty([] { return f_err(1).or_else([](u32) { return empty_i(); }); });
  assert_empty([] { return f_ok(1).and_then([](int) { return empty_i(); }); });
  assert_empty([] { return empty_i().map([](int a) { return a + 1; }); });
  assert_empty([] { return empty_i().map_err([](u32 a) { return a + 1; }); });
  assert_empty([] { return empty_i().then([](Result<int, u32> a) { return a; }); });
}

TEST(All, test_ok) {
  assert_done([] { return future::ok<int, u32>(1); }, r_ok(1));
  assert_done([] { return future::err<int, u32>(1); }, r_err(1));
}

TEST(All, flatten) {
  auto ok = [](auto a) { return future::ok<decltype(a), u32>(a); };
  auto err = [](auto b) { return future::err<int, decltype(b)>(b); };
  assert_done([&] { return ok(ok(1)).flatten(); }, r_ok(1));
  assert_done([&] { return ok(err(u32(1))).flatten(); }, r_err(1));
  assert_done([&] { return err(u32(1)).map(ok).flatten(); }, r_err(1));
  assert_done([] { return future::ok<future::FutureResult<int, u32>, std::uint8_t>(future::ok<int, u32>(1)).flatten(); },
              r_ok(1));
  assert_empty([&] { return ok(empty_i()).flatten(); });
  assert_empty([&] { return empty_i().map(ok).flatten(); });
}

TEST(All, smoke_oneshot) {
  assert_done(
      [] {
        auto [c, p] = oneshot::channel<int>();
        EXPECT_TRUE(std::move(c).send(1).is_ok());
        return std::move(p);
      },
      Result<int, Canceled>(Ok(1)));
  assert_done(
      [] {
        auto [c, p] = oneshot::channel<int>();
        { auto dropped = std::move(c); }
        return std::move(p);
      },
      Result<int, Canceled>(Err(Canceled{})));
  std::vector<oneshot::Sender<int>> completes;
  assert_empty([&] {
    auto [a, b] = oneshot::channel<int>();
    completes.push_back(std::move(a));
    return std::move(b);
  });

  {
    auto [c, p] = oneshot::channel<int>();
    { auto dropped = std::move(c); }
    auto res = executor::spawn(std::move(p)).poll_future_notify(panic_notify(), 0);
    EXPECT_TRUE(res.is_err());
  }
  Forgetter forgetter;
  auto [c, p] = oneshot::channel<int>();
  { auto dropped = std::move(c); }
  auto [tx, rx] = std_channel<Unit>();
  forgetter.forget(std::move(p).then([tx = std::move(tx)](auto) { tx.send(Unit{}); }));
  EXPECT_TRUE(rx.recv().has_value());
}

TEST(All, select_cancels) {
  {
    auto [a, b] = oneshot::channel<int>();
    auto [c, d] = oneshot::channel<int>();
    auto [btx, brx] = std_channel<int>();
    auto [dtx, drx] = std_channel<int>();
    auto bm = std::move(b).map([btx = std::move(btx)](int v) { btx.send(v); return v; });
    auto dm = std::move(d).map([dtx = std::move(dtx)](int v) { dtx.send(v); return v; });
    auto f = std::move(bm).select(std::move(dm)).then(unselect<int, Canceled>());
    EXPECT_FALSE(brx.try_recv().has_value());
    EXPECT_FALSE(drx.try_recv().has_value());
    EXPECT_TRUE(std::move(a).send(1).is_ok());
    auto res = executor::spawn(std::move(f)).poll_future_notify(panic_notify(), 0);
    EXPECT_TRUE(res.ok()->is_ready());
    EXPECT_EQ(brx.recv(), std::optional<int>(1));
    { auto dropped = std::move(c); }
    EXPECT_FALSE(drx.recv().has_value());
  }
  {
    auto [a, b] = oneshot::channel<int>();
    auto [c, d] = oneshot::channel<int>();
    auto [btx, brx] = std_channel<int>();
    auto [dtx, drx] = std_channel<int>();
    auto bm = std::move(b).map([btx = std::move(btx)](int v) { btx.send(v); return v; });
    auto dm = std::move(d).map([dtx = std::move(dtx)](int v) { dtx.send(v); return v; });
    std::optional f(executor::spawn(std::move(bm).select(std::move(dm)).then(unselect<int, Canceled>())));
    EXPECT_TRUE(f->poll_future_notify(noop_notify(), 0).ok()->is_not_ready());
    EXPECT_TRUE(f->poll_future_notify(noop_notify(), 0).ok()->is_not_ready());
    EXPECT_TRUE(std::move(a).send(1).is_ok());
    EXPECT_TRUE(f->poll_future_notify(panic_notify(), 0).ok()->is_ready());
    { auto dropped = std::move(c); }
    f.reset();
    EXPECT_FALSE(drx.recv().has_value());
  }
}

TEST(All, join_cancels) {
  {
    auto [a, b] = oneshot::channel<int>();
    auto [c, d] = oneshot::channel<int>();
    auto [btx, brx] = std_channel<int>();
    auto [dtx, drx] = std_channel<int>();
    auto bm = std::move(b).map([btx = std::move(btx)](int v) { btx.send(v); return v; });
    auto dm = std::move(d).map([dtx = std::move(dtx)](int v) { dtx.send(v); return v; });
    auto f = std::move(bm).join(std::move(dm));
    { auto dropped = std::move(a); }
    auto res = executor::spawn(std::move(f)).poll_future_notify(panic_notify(), 0);
    EXPECT_TRUE(res.is_err());
    { auto dropped = std::move(c); }
    EXPECT_FALSE(drx.recv().has_value());
  }
  {
    auto [a, b] = oneshot::channel<int>();
    auto [c, d] = oneshot::channel<int>();
    auto [btx, brx] = std_channel<int>();
    auto [dtx, drx] = std_channel<int>();
    auto bm = std::move(b).map([btx = std::move(btx)](int v) { btx.send(v); return v; });
    auto dm = std::move(d).map([dtx = std::move(dtx)](int v) { dtx.send(v); return v; });
    auto [tx, rx] = std_channel<Unit>();
    Forgetter forgetter;
    forgetter.forget(std::move(bm).join(std::move(dm)).then([tx = std::move(tx)](auto) {
      tx.send(Unit{});
      return Result<Unit, Unit>(Ok());
    }));
    EXPECT_FALSE(rx.try_recv().has_value());
    { auto dropped = std::move(a); }
    EXPECT_TRUE(rx.recv().has_value());
    { auto dropped = std::move(c); }
    EXPECT_FALSE(drx.recv().has_value());
  }
}

TEST(All, join_incomplete) {
  {
    auto [a, b] = oneshot::channel<int>();
    auto [tx, rx] = std_channel<std::tuple<int, int>>();
    auto f = executor::spawn(future::ok<int, Canceled>(1).join(std::move(b)).map(
        [tx = std::move(tx)](std::tuple<int, int> r) { tx.send(r); }));
    EXPECT_TRUE(f.poll_future_notify(noop_notify(), 0).ok()->is_not_ready());
    EXPECT_FALSE(rx.try_recv().has_value());
    EXPECT_TRUE(std::move(a).send(2).is_ok());
    EXPECT_TRUE(f.poll_future_notify(noop_notify(), 0).ok()->is_ready());
    EXPECT_EQ(rx.recv(), std::optional(std::tuple<int, int>(1, 2)));
  }
  {
    auto [a, b] = oneshot::channel<int>();
    auto [tx, rx] = std_channel<std::tuple<int, int>>();
    auto f = executor::spawn(std::move(b).join(Result<int, Canceled>(Ok(2))).map(
        [tx = std::move(tx)](std::tuple<int, int> r) { tx.send(r); }));
    EXPECT_TRUE(f.poll_future_notify(noop_notify(), 0).ok()->is_not_ready());
    EXPECT_FALSE(rx.try_recv().has_value());
    EXPECT_TRUE(std::move(a).send(1).is_ok());
    EXPECT_TRUE(f.poll_future_notify(noop_notify(), 0).ok()->is_ready());
    EXPECT_EQ(rx.recv(), std::optional(std::tuple<int, int>(1, 2)));
  }
  {
    auto [a, b] = oneshot::channel<int>();
    auto [tx, rx] = std_channel<int>();
    auto f = executor::spawn(future::ok<int, Canceled>(1).join(std::move(b)).map_err(
        [tx = std::move(tx)](Canceled) { tx.send(2); }));
    EXPECT_TRUE(f.poll_future_notify(noop_notify(), 0).ok()->is_not_ready());
    EXPECT_FALSE(rx.try_recv().has_value());
    { auto dropped = std::move(a); }
    EXPECT_TRUE(f.poll_future_notify(noop_notify(), 0).is_err());
    EXPECT_EQ(rx.recv(), std::optional(2));
  }
  {
    auto [a, b] = oneshot::channel<int>();
    auto [tx, rx] = std_channel<int>();
    auto f = executor::spawn(std::move(b).join(Result<int, Canceled>(Ok(2))).map_err(
        [tx = std::move(tx)](Canceled) { tx.send(1); }));
    EXPECT_TRUE(f.poll_future_notify(noop_notify(), 0).ok()->is_not_ready());
    EXPECT_FALSE(rx.try_recv().has_value());
    { auto dropped = std::move(a); }
    EXPECT_TRUE(f.poll_future_notify(noop_notify(), 0).is_err());
    EXPECT_EQ(rx.recv(), std::optional(1));
  }
}

TEST(All, collect_collects) {
  assert_done([] { return future::join_all(std::vector{f_ok(1), f_ok(2)}); },
              Result<std::vector<int>, u32>(Ok(std::vector<int>{1, 2})));
  assert_done([] { return future::join_all(std::vector{f_ok(1)}); },
              Result<std::vector<int>, u32>(Ok(std::vector<int>{1})));
  assert_done([] { return future::join_all(std::vector<Result<int, u32>>{}); },
              Result<std::vector<int>, u32>(Ok(std::vector<int>{})));
}

TEST(All, select2) {
  auto d = unselect<int, u32>();
  assert_done([&] { return f_ok(2).select(empty_i()).then(d); }, r_ok(2));
  assert_done([&] { return empty_i().select(f_ok(2)).then(d); }, r_ok(2));
  assert_done([&] { return f_err(2).select(empty_i()).then(d); }, r_err(2));
  assert_done([&] { return empty_i().select(f_err(2)).then(d); }, r_err(2));
  assert_done(
      [] {
        return f_ok(1).select(f_ok(2)).map_err([](auto) { return u32(0); }).and_then([](auto ab) {
          auto [a, b] = std::move(ab);
          return std::move(b).map_err([](u32) { return u32(0); }).map([a = a](int v) { return a + v; });
        });
      },
      r_ok(3));

  // Finish one half of a select and then fail the second, ensuring that we get the
  // notification of the second one.
  {
    auto [a, b] = oneshot::channel<int>();
    auto [c, d2] = oneshot::channel<int>();
    auto f = std::move(b).select(std::move(d2));
    using Next = future::SelectNext<oneshot::Receiver<int>, oneshot::Receiver<int>>;
    auto [tx, rx] = std_channel<std::tuple<int, Next>>();
    Forgetter forgetter;
    forgetter.forget(std::move(f).map([tx = std::move(tx)](std::tuple<int, Next> r) { tx.send(std::move(r)); }));
    EXPECT_TRUE(std::move(a).send(1).is_ok());
    auto got = rx.recv();
    ASSERT_TRUE(got.has_value());
    auto [val, next] = std::move(*got);
    EXPECT_EQ(val, 1);
    auto [tx2, rx2] = std_channel<int>();
    forgetter.forget(std::move(next).map_err([tx2 = std::move(tx2)](Canceled) { tx2.send(2); }));
    EXPECT_FALSE(rx2.try_recv().has_value());
    { auto dropped = std::move(c); }
    EXPECT_EQ(rx2.recv(), std::optional(2));
  }

  // Fail the second half and ensure that we see the first one finish.
  {
    auto [a, b] = oneshot::channel<int>();
    auto [c, d2] = oneshot::channel<int>();
    auto f = std::move(b).select(std::move(d2));
    using Next = future::SelectNext<oneshot::Receiver<int>, oneshot::Receiver<int>>;
    auto [tx, rx] = std_channel<std::tuple<int, Next>>();
    Forgetter forgetter;
    forgetter.forget(std::move(f).map_err([tx = std::move(tx)](std::tuple<Canceled, Next> r) {
      tx.send(std::tuple<int, Next>(1, std::move(std::get<1>(r))));
    }));
    { auto dropped = std::move(c); }
    auto got = rx.recv();
    ASSERT_TRUE(got.has_value());
    auto [val, next] = std::move(*got);
    EXPECT_EQ(val, 1);
    auto [tx2, rx2] = std_channel<int>();
    forgetter.forget(std::move(next).map([tx2 = std::move(tx2)](int r) { tx2.send(r); }));
    EXPECT_FALSE(rx2.try_recv().has_value());
    EXPECT_TRUE(std::move(a).send(2).is_ok());
    EXPECT_EQ(rx2.recv(), std::optional(2));
  }

  // Cancelling the first half should cancel the second.
  {
    auto [a, b] = oneshot::channel<int>();
    auto [c, d2] = oneshot::channel<int>();
    auto [btx, brx] = std_channel<int>();
    auto [dtx, drx] = std_channel<int>();
    auto bm = std::move(b).map([btx = std::move(btx)](int v) { btx.send(v); return v; });
    auto dm = std::move(d2).map([dtx = std::move(dtx)](int v) { dtx.send(v); return v; });
    { auto f = std::move(bm).select(std::move(dm)); }
    EXPECT_FALSE(drx.recv().has_value());
    EXPECT_FALSE(brx.recv().has_value());
  }

  // Cancel after a schedule.
  {
    auto [a, b] = oneshot::channel<int>();
    auto [c, d2] = oneshot::channel<int>();
    auto [btx, brx] = std_channel<int>();
    auto [dtx, drx] = std_channel<int>();
    auto bm = std::move(b).map([btx = std::move(btx)](int v) { btx.send(v); return v; });
    auto dm = std::move(d2).map([dtx = std::move(dtx)](int v) { dtx.send(v); return v; });
    (void)executor::spawn(std::move(bm).select(std::move(dm))).poll_future_notify(noop_notify(), 0);
    EXPECT_FALSE(drx.recv().has_value());
    EXPECT_FALSE(brx.recv().has_value());
  }

  // Cancel propagates.
  {
    auto [a, b] = oneshot::channel<int>();
    auto [c, d2] = oneshot::channel<int>();
    auto [btx, brx] = std_channel<int>();
    auto [dtx, drx] = std_channel<int>();
    auto bm = std::move(b).map([btx = std::move(btx)](int v) { btx.send(v); return v; });
    auto dm = std::move(d2).map([dtx = std::move(dtx)](int v) { dtx.send(v); return v; });
    auto [tx, rx] = std_channel<Unit>();
    Forgetter forgetter;
    forgetter.forget(std::move(bm).select(std::move(dm)).map([tx = std::move(tx)](auto) { tx.send(Unit{}); }));
    { auto dropped = std::move(a); }
    EXPECT_FALSE(drx.recv().has_value());
    EXPECT_FALSE(brx.recv().has_value());
    EXPECT_FALSE(rx.recv().has_value());
  }

  // Cancel on early drop.
  {
    auto [tx, rx] = std_channel<Unit>();
    {
      auto f = f_ok(1).select(future::empty<Unit, u32>().map([tx = std::move(tx)](Unit) {
        tx.send(Unit{});
        return 1;
      }));
    }
    EXPECT_FALSE(rx.recv().has_value());
  }
}

TEST(All, option) {
  EXPECT_EQ(future::option(std::optional(future::ok<Unit, Unit>(Unit{}))).wait(),
            Ok(std::optional<Unit>(Unit{})));
  EXPECT_EQ(future::option(std::optional<future::FutureResult<Unit, Unit>>()).wait(),
            Ok(std::optional<Unit>()));
}

TEST(All, spawn_does_unsize) {
  // Rust checks that a Spawn of a concrete future coerces to Spawn<dyn Future>; the C++
  // counterpart is a Spawn of a BoxFuture made from a concrete future.
  executor::Spawn<BoxFuture<Unit, Unit>> spawned = executor::spawn(BoxFuture<Unit, Unit>(future::ok<Unit, Unit>(Unit{})));
  EXPECT_TRUE(spawned.poll_future_notify(panic_notify(), 0).is_ok());
}

}  // namespace all_test
