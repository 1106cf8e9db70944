// Port of futures 0.1 tests/eventual.rs
//
// sync::oneshot with then / and_then / map / map_err / or_else / join / select, the
// futures completing on other threads.
//
// Deviations from the Rust file: `.forget()` (tests/support: run the future to
// completion on a fresh thread) is `bg.forget(future)`, whose threads are joined when
// `bg` goes out of scope; `std::sync::mpsc` is the small StdChannel below, whose recv()
// returns nullopt where Rust's returns Err (every sender dropped).
#include <futures/future.hpp>
#include <futures/sync/oneshot.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <utility>

#include "support/drop.hpp"
#include "support/std_channel.hpp"

// One namespace per file: a unity build compiles several test files as one unit.
namespace eventual_test {

using namespace futures;
using futures::future::err;
using futures::future::ok;
namespace oneshot = futures::sync::oneshot;

using futures_test::drop;
using futures_test::StdChannel;

namespace {

/// tests/support `ForgetExt::forget`: runs each future to completion with wait() on a
/// thread of its own. Declare it first in a test so its threads are joined last.
class Background {
 public:
  Background() = default;
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;
  ~Background() { join_all(); }

  template <class F>
  void forget(F f) {
    std::thread t([f = std::move(f)]() mutable { (void)std::move(f).wait(); });
    threads_.push_back(std::move(t));
  }
  void join_all() {
    for (auto& t : threads_) t.join();
    threads_.clear();
  }

 private:
  std::deque<std::thread> threads_;  // (vector trips g++ 12's -Warray-bounds at -O2)
};

using Str = std::optional<std::string>;
using R = oneshot::Receiver<int>;
using Next = future::SelectNext<R, R>;

}  // namespace

TEST(Eventual, and_then1) {
  Background bg;
  auto [tx, rx] = StdChannel<std::string>::make();

  auto p1 = ok<std::string, int>("a").then([tx2 = tx](Result<std::string, int> t) {
    tx2.send("first");
    return t;
  });
  auto p2 = ok<std::string, int>("b").then([tx2 = tx](Result<std::string, int> t) {
    tx2.send("second");
    return t;
  });
  auto f = std::move(p1).and_then([p2 = std::move(p2)](std::string) mutable { return std::move(p2); });

  EXPECT_EQ(rx.try_recv(), std::nullopt);
  bg.forget(std::move(f).map([tx = std::move(tx)](std::string s) { tx.send(s); }));
  EXPECT_EQ(rx.recv(), Str("first"));
  EXPECT_EQ(rx.recv(), Str("second"));
  EXPECT_EQ(rx.recv(), Str("b"));
  EXPECT_EQ(rx.recv(), std::nullopt);
}

TEST(Eventual, and_then2) {
  Background bg;
  auto [tx, rx] = StdChannel<std::string>::make();

  auto p1 = err<int, int>(2).then([tx2 = tx](Result<int, int> t) {
    tx2.send("first");
    return t;
  });
  auto p2 = ok<std::string, int>("b").then([tx2 = tx](Result<std::string, int> t) {
    tx2.send("second");
    return t;
  });
  auto f = std::move(p1).and_then([p2 = std::move(p2)](int) mutable { return std::move(p2); });

  EXPECT_EQ(rx.try_recv(), std::nullopt);
  bg.forget(std::move(f).map_err([tx = std::move(tx)](int) {}));  // drops tx with the callback
  EXPECT_EQ(rx.recv(), Str("first"));
  EXPECT_EQ(rx.recv(), std::nullopt);
}

TEST(Eventual, oneshot1) {
  Background bg;
  auto [c, p] = oneshot::channel<int>();
  std::thread t([c = std::move(c)]() mutable { std::move(c).send(1).unwrap(); });

  auto [tx, rx] = StdChannel<int>::make();
  bg.forget(std::move(p).map([tx = std::move(tx)](int e) { tx.send(e); }));
  EXPECT_EQ(rx.recv(), std::optional(1));
  t.join();
}

TEST(Eventual, oneshot2) {
  Background bg;
  auto [c, p] = oneshot::channel<int>();
  std::thread t([c = std::move(c)]() mutable { std::move(c).send(1).unwrap(); });
  t.join();

  auto [tx, rx] = StdChannel<int>::make();
  bg.forget(std::move(p).map([tx = std::move(tx)](int e) { tx.send(e); }));
  EXPECT_EQ(rx.recv(), std::optional(1));
}

TEST(Eventual, oneshot3) {
  Background bg;
  auto [c, p] = oneshot::channel<int>();
  auto [tx, rx] = StdChannel<int>::make();
  bg.forget(std::move(p).map([tx = std::move(tx)](int e) { tx.send(e); }));

  std::thread t([c = std::move(c)]() mutable { std::move(c).send(1).unwrap(); });
  t.join();

  EXPECT_EQ(rx.recv(), std::optional(1));
}

TEST(Eventual, oneshot4) {
  Background bg;
  auto [c, p] = oneshot::channel<int>();
  drop(c);

  auto [tx, rx] = StdChannel<int>::make();
  bg.forget(std::move(p).map([tx = std::move(tx)](int e) { tx.send(e); }));
  EXPECT_EQ(rx.recv(), std::nullopt);
}

TEST(Eventual, oneshot5) {
  Background bg;
  auto [c, p] = oneshot::channel<int>();
  std::thread t([c = std::move(c)]() mutable { drop(c); });
  auto [tx, rx] = StdChannel<int>::make();
  bg.forget(std::move(p).map([tx = std::move(tx)](int v) { tx.send(v); }));
  t.join();
  EXPECT_EQ(rx.recv(), std::nullopt);
}

TEST(Eventual, oneshot6) {
  auto [c, p] = oneshot::channel<int>();
  drop(p);
  (void)std::move(c).send(2).unwrap_err();
}

TEST(Eventual, cancel1) {
  Background bg;
  auto [c, p] = oneshot::channel<int>();
  drop(c);
  bg.forget(std::move(p).map([](int) { ADD_FAILURE() << "map ran on a canceled oneshot"; }));
}

TEST(Eventual, map_err1) {
  Background bg;
  bg.forget(ok<int, int>(1).map_err([](int) { ADD_FAILURE() << "map_err ran on a success"; }));
}

TEST(Eventual, map_err2) {
  Background bg;
  auto [tx, rx] = StdChannel<int>::make();
  bg.forget(err<int, int>(1).map_err([tx = std::move(tx)](int v) { tx.send(v); }));
  EXPECT_EQ(rx.recv(), std::optional(1));
  EXPECT_EQ(rx.recv(), std::nullopt);
}

TEST(Eventual, map_err3) {
  Background bg;
  auto [c, p] = oneshot::channel<int>();
  bg.forget(std::move(p).map_err([](oneshot::Canceled) {}));
  drop(c);
}

TEST(Eventual, or_else1) {
  Background bg;
  auto [c1, p1] = oneshot::channel<int>();
  auto [c2, p2] = oneshot::channel<int>();

  auto [tx, rx] = StdChannel<int>::make();
  auto q1 = std::move(p1).map_err([tx2 = tx](oneshot::Canceled i) {
    tx2.send(2);
    return i;
  });
  auto q2 = std::move(p2).map([tx2 = tx](int i) {
    tx2.send(i);
    return i;
  });

  EXPECT_EQ(rx.try_recv(), std::nullopt);
  drop(c1);
  std::move(c2).send(3).unwrap();
  bg.forget(std::move(q1)
                .or_else([q2 = std::move(q2)](oneshot::Canceled) mutable { return std::move(q2); })
                .map([tx = std::move(tx)](int v) { tx.send(v); }));

  EXPECT_EQ(rx.recv(), std::optional(2));
  EXPECT_EQ(rx.recv(), std::optional(3));
  EXPECT_EQ(rx.recv(), std::optional(3));
  EXPECT_EQ(rx.recv(), std::nullopt);
}

TEST(Eventual, or_else2) {
  Background bg;
  auto [c1, p1] = oneshot::channel<int>();

  auto [tx, rx] = StdChannel<Unit>::make();

  bg.forget(std::move(p1).or_else([tx = std::move(tx)](oneshot::Canceled) {
    tx.send(Unit{});
    return ok<int, int>(1);
  }));

  std::move(c1).send(2).unwrap();
  EXPECT_EQ(rx.recv(), std::nullopt);
}

TEST(Eventual, join1) {
  Background bg;
  auto [tx, rx] = StdChannel<std::tuple<int, int>>::make();
  bg.forget(ok<int, int>(1).join(ok<int, int>(2)).map([tx = std::move(tx)](std::tuple<int, int> v) { tx.send(v); }));
  EXPECT_EQ(rx.recv(), std::optional(std::make_tuple(1, 2)));
  EXPECT_EQ(rx.recv(), std::nullopt);
}

TEST(Eventual, join2) {
  Background bg;
  auto [c1, p1] = oneshot::channel<int>();
  auto [c2, p2] = oneshot::channel<int>();
  auto [tx, rx] = StdChannel<std::tuple<int, int>>::make();
  bg.forget(std::move(p1).join(std::move(p2)).map([tx = std::move(tx)](std::tuple<int, int> v) { tx.send(v); }));
  EXPECT_EQ(rx.try_recv(), std::nullopt);
  std::move(c1).send(1).unwrap();
  EXPECT_EQ(rx.try_recv(), std::nullopt);
  std::move(c2).send(2).unwrap();
  EXPECT_EQ(rx.recv(), std::optional(std::make_tuple(1, 2)));
  EXPECT_EQ(rx.recv(), std::nullopt);
}

TEST(Eventual, join3) {
  Background bg;
  auto [c1, p1] = oneshot::channel<int>();
  auto [c2, p2] = oneshot::channel<int>();
  auto [tx, rx] = StdChannel<int>::make();
  bg.forget(std::move(p1).join(std::move(p2)).map_err([tx = std::move(tx)](oneshot::Canceled) { tx.send(1); }));
  EXPECT_EQ(rx.try_recv(), std::nullopt);
  drop(c1);
  EXPECT_EQ(rx.recv(), std::optional(1));
  EXPECT_EQ(rx.recv(), std::nullopt);
  drop(c2);
}

TEST(Eventual, join4) {
  Background bg;
  auto [c1, p1] = oneshot::channel<int>();
  auto [c2, p2] = oneshot::channel<int>();
  auto [tx, rx] = StdChannel<oneshot::Canceled>::make();
  bg.forget(std::move(p1).join(std::move(p2)).map_err([tx = std::move(tx)](oneshot::Canceled v) { tx.send(v); }));
  EXPECT_EQ(rx.try_recv(), std::nullopt);
  drop(c1);
  EXPECT_TRUE(rx.recv().has_value());
  drop(c2);
  EXPECT_EQ(rx.recv(), std::nullopt);
}

TEST(Eventual, join5) {
  Background bg;
  auto [c1, p1] = oneshot::channel<int>();
  auto [c2, p2] = oneshot::channel<int>();
  auto [c3, p3] = oneshot::channel<int>();
  using V = std::tuple<std::tuple<int, int>, int>;
  auto [tx, rx] = StdChannel<V>::make();
  bg.forget(std::move(p1).join(std::move(p2)).join(std::move(p3)).map([tx = std::move(tx)](V v) { tx.send(v); }));
  EXPECT_EQ(rx.try_recv(), std::nullopt);
  std::move(c1).send(1).unwrap();
  EXPECT_EQ(rx.try_recv(), std::nullopt);
  std::move(c2).send(2).unwrap();
  EXPECT_EQ(rx.try_recv(), std::nullopt);
  std::move(c3).send(3).unwrap();
  EXPECT_EQ(rx.recv(), std::optional(V(std::make_tuple(1, 2), 3)));
  EXPECT_EQ(rx.recv(), std::nullopt);
}

TEST(Eventual, select1) {
  Background bg;
  auto [c1, p1] = oneshot::channel<int>();
  auto [c2, p2] = oneshot::channel<int>();
  auto [tx, rx] = StdChannel<std::tuple<int, Next>>::make();
  bg.forget(std::move(p1).select(std::move(p2)).map([tx = std::move(tx)](std::tuple<int, Next> v) {
    tx.send(std::move(v));
  }));
  EXPECT_FALSE(rx.try_recv().has_value());
  std::move(c1).send(1).unwrap();
  std::optional<std::tuple<int, Next>> got = rx.recv();
  ASSERT_TRUE(got.has_value());
  auto& [v, next] = *got;
  EXPECT_EQ(v, 1);
  EXPECT_FALSE(rx.recv().has_value());

  auto [tx2, rx2] = StdChannel<int>::make();
  bg.forget(std::move(next).map([tx = std::move(tx2)](int v) { tx.send(v); }));
  std::move(c2).send(2).unwrap();
  EXPECT_EQ(rx2.recv(), std::optional(2));
  EXPECT_EQ(rx2.recv(), std::nullopt);
}

TEST(Eventual, select2) {
  Background bg;
  auto [c1, p1] = oneshot::channel<int>();
  auto [c2, p2] = oneshot::channel<int>();
  auto [tx, rx] = StdChannel<std::tuple<int, Next>>::make();
  bg.forget(std::move(p1).select(std::move(p2)).map_err([tx = std::move(tx)](std::tuple<oneshot::Canceled, Next> v) {
    tx.send(std::tuple<int, Next>(1, std::move(std::get<1>(v))));
  }));
  EXPECT_FALSE(rx.try_recv().has_value());
  drop(c1);
  std::optional<std::tuple<int, Next>> got = rx.recv();
  ASSERT_TRUE(got.has_value());
  auto& [v, next] = *got;
  EXPECT_EQ(v, 1);
  EXPECT_FALSE(rx.recv().has_value());

  auto [tx2, rx2] = StdChannel<int>::make();
  bg.forget(std::move(next).map([tx = std::move(tx2)](int v) { tx.send(v); }));
  std::move(c2).send(2).unwrap();
  EXPECT_EQ(rx2.recv(), std::optional(2));
  EXPECT_EQ(rx2.recv(), std::nullopt);
}

TEST(Eventual, select3) {
  Background bg;
  auto [c1, p1] = oneshot::channel<int>();
  auto [c2, p2] = oneshot::channel<int>();
  auto [tx, rx] = StdChannel<std::tuple<int, Next>>::make();
  bg.forget(std::move(p1).select(std::move(p2)).map_err([tx = std::move(tx)](std::tuple<oneshot::Canceled, Next> v) {
    tx.send(std::tuple<int, Next>(1, std::move(std::get<1>(v))));
  }));
  EXPECT_FALSE(rx.try_recv().has_value());
  drop(c1);
  std::optional<std::tuple<int, Next>> got = rx.recv();
  ASSERT_TRUE(got.has_value());
  auto& [v, next] = *got;
  EXPECT_EQ(v, 1);
  EXPECT_FALSE(rx.recv().has_value());

  auto [tx2, rx2] = StdChannel<int>::make();
  bg.forget(std::move(next).map_err([tx = std::move(tx2)](oneshot::Canceled) { tx.send(2); }));
  drop(c2);
  EXPECT_EQ(rx2.recv(), std::optional(2));
  EXPECT_EQ(rx2.recv(), std::nullopt);
}

TEST(Eventual, select4) {
  auto [tx, rx] = StdChannel<oneshot::Sender<int>>::make();

  std::thread t([rx = std::move(rx)]() mutable {
    while (std::optional<oneshot::Sender<int>> c = rx.recv()) std::move(*c).send(1).unwrap();
  });

  // Rust forgets each select onto a fresh thread; the loop waits for each one to finish
  // before the next, so one waiting thread gives the same interleavings at a fraction of
  // the cost of 10,000 thread creations.
  struct Notice {
    StdChannel<Unit>::Tx tx;
    void operator()(std::tuple<int, Next>) const { tx.send(Unit{}); }
  };
  using Fut = future::Map<future::Select<R, R>, Notice>;
  auto [ftx, frx] = StdChannel<Fut>::make();
  std::thread forgetter([frx = std::move(frx)]() mutable {
    while (std::optional<Fut> f = frx.recv()) (void)std::move(*f).wait();
  });

  auto [tx2, rx2] = StdChannel<Unit>::make();
  [&] {  // ASSERT returns from here, so the threads are still joined below
    for (int i = 0; i < 10000; ++i) {
      auto [c1, p1] = oneshot::channel<int>();
      auto [c2, p2] = oneshot::channel<int>();

      ftx.send(std::move(p1).select(std::move(p2)).map(Notice{tx2}));
      tx.send(std::move(c1));
      ASSERT_TRUE(rx2.recv().has_value()) << "iteration " << i;
      drop(c2);
    }
  }();
  drop(tx);
  drop(ftx);

  t.join();
  forgetter.join();
}

}  // namespace eventual_test
