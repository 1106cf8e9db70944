// Port of futures 0.1 tests/stream.rs
//
// Rust's support helpers: `assert_done(f, r)` is `EXPECT_EQ(f().wait(), r)`;
// `sassert_empty` comes from support/sbasic_sassert.hpp; `.forget()` runs the future
// on a thread owned by a Forgetter (joined at the end of the test). The file's local
// `iter()` stream is the library's stream::iter_result (the same code). `list()` and
// `err_list()` feed a bounded mpsc channel from a forgotten thread, as in Rust.
#include <futures/future.hpp>
#include <futures/sink.hpp>
#include <futures/stream.hpp>
#include <futures/sync/mpsc.hpp>
#include <futures/sync/oneshot.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <system_error>
#include <tuple>
#include <vector>

#include "support/forget.hpp"
#include "support/notify.hpp"
#include "support/sbasic_sassert.hpp"

// One namespace per file: a unity build compiles several test files as one unit.
namespace stream_rs_test {

using futures::BoxFuture;
using futures::BoxStream;
using futures::Err;
using futures::NotReady;
using futures::Ok;
using futures::Poll;
using futures::Ready;
using futures::Result;
using futures::Unit;
using futures_test::Forgetter;
using futures_test::sassert_empty;
namespace executor = futures::executor;
namespace future = futures::future;
namespace mpsc = futures::sync::mpsc;
namespace oneshot = futures::sync::oneshot;
namespace stream = futures::stream;

namespace {

using Msg = Result<int, std::uint32_t>;
using Vec = std::vector<int>;
using VecResult = Result<Vec, std::uint32_t>;

BoxStream<int, std::uint32_t> list(Forgetter& forgetter) {
  auto [tx, rx] = mpsc::channel<Msg>(1);
  forgetter.forget(std::move(tx)
                       .send(Msg(Ok(1)))
                       .and_then([](mpsc::Sender<Msg> tx) { return std::move(tx).send(Msg(Ok(2))); })
                       .and_then([](mpsc::Sender<Msg> tx) { return std::move(tx).send(Msg(Ok(3))); }));
  return std::move(rx).then([](Result<Msg, Unit> r) { return r.unwrap(); });
}

BoxStream<int, std::uint32_t> err_list(Forgetter& forgetter) {
  auto [tx, rx] = mpsc::channel<Msg>(1);
  forgetter.forget(std::move(tx)
                       .send(Msg(Ok(1)))
                       .and_then([](mpsc::Sender<Msg> tx) { return std::move(tx).send(Msg(Ok(2))); })
                       .and_then([](mpsc::Sender<Msg> tx) { return std::move(tx).send(Msg(Err(3))); }));
  return std::move(rx).then([](Result<Msg, Unit> r) { return r.unwrap(); });
}

template <class F, class R>
void assert_done(F f, const R& result) {
  EXPECT_EQ(f().wait(), result);
}

struct FromErrTest {
  FromErrTest(std::uint32_t i) : v(i) {}  // Rust's `impl From<u32> for FromErrTest`
  std::uint32_t v;
  bool operator==(const FromErrTest&) const = default;
};

}  // namespace

TEST(Stream, map) {
  Forgetter fg;
  assert_done([&] { return list(fg).map([](int a) { return a + 1; }).collect(); },
              VecResult(Ok(Vec{2, 3, 4})));
}

TEST(Stream, map_err) {
  Forgetter fg;
  assert_done([&] { return err_list(fg).map_err([](std::uint32_t a) { return a + 1; }).collect(); },
              VecResult(Err(4u)));
}

TEST(Stream, from_err) {
  Forgetter fg;
  auto r = err_list(fg).from_err<FromErrTest>().collect().wait();
  ASSERT_TRUE(r.is_err());
  EXPECT_EQ(r.unwrap_err(), FromErrTest(3));
}

TEST(Stream, fold) {
  Forgetter fg;
  assert_done(
      [&] {
        return list(fg).fold(0, [](int a, int b) { return future::ok<int, std::uint32_t>(a + b); });
      },
      Result<int, std::uint32_t>(Ok(6)));
  assert_done(
      [&] {
        return err_list(fg).fold(0, [](int a, int b) { return future::ok<int, std::uint32_t>(a + b); });
      },
      Result<int, std::uint32_t>(Err(3u)));
}

TEST(Stream, filter) {
  Forgetter fg;
  assert_done([&] { return list(fg).filter([](const int& a) { return a % 2 == 0; }).collect(); },
              VecResult(Ok(Vec{2})));
}

TEST(Stream, filter_map) {
  Forgetter fg;
  assert_done(
      [&] {
        return list(fg)
            .filter_map([](int x) { return x % 2 == 0 ? std::optional<int>(x + 10) : std::nullopt; })
            .collect();
      },
      VecResult(Ok(Vec{12})));
}

TEST(Stream, and_then) {
  Forgetter fg;
  assert_done([&] { return list(fg).and_then([](int a) { return Msg(Ok(a + 1)); }).collect(); },
              VecResult(Ok(Vec{2, 3, 4})));
  assert_done(
      [&] {
        return list(fg)
            .and_then([](int a) { return future::err<int, std::uint32_t>(static_cast<std::uint32_t>(a)); })
            .collect();
      },
      VecResult(Err(1u)));
}

TEST(Stream, then) {
  Forgetter fg;
  assert_done([&] { return list(fg).then([](Msg a) { return a.map([](int e) { return e + 1; }); }).collect(); },
              VecResult(Ok(Vec{2, 3, 4})));
}

TEST(Stream, or_else) {
  Forgetter fg;
  assert_done(
      [&] {
        return err_list(fg)
            .or_else([](std::uint32_t a) { return future::ok<int, std::uint32_t>(static_cast<int>(a)); })
            .collect();
      },
      VecResult(Ok(Vec{1, 2, 3})));
}

TEST(Stream, flatten) {
  Forgetter fg;
  assert_done([&] { return list(fg).map([&fg](int) { return list(fg); }).flatten().collect(); },
              VecResult(Ok(Vec{1, 2, 3, 1, 2, 3, 1, 2, 3})));
}

TEST(Stream, skip) {
  Forgetter fg;
  assert_done([&] { return list(fg).skip(2).collect(); }, VecResult(Ok(Vec{3})));
}

TEST(Stream, skip_passes_errors_through) {
  auto s = stream::iter_result(std::vector<Result<int, int>>{Err(1), Err(2), Ok(3), Ok(4), Ok(5)}).skip(1).wait();
  using Opt = std::optional<Result<int, int>>;
  EXPECT_EQ(s.next(), Opt(Err(1)));
  EXPECT_EQ(s.next(), Opt(Err(2)));
  EXPECT_EQ(s.next(), Opt(Ok(4)));
  EXPECT_EQ(s.next(), Opt(Ok(5)));
  EXPECT_EQ(s.next(), std::nullopt);
}

TEST(Stream, skip_while) {
  Forgetter fg;
  assert_done(
      [&] {
        return list(fg)
            .skip_while([](const int& e) { return Result<bool, std::uint32_t>(Ok(e % 2 == 1)); })
            .collect();
      },
      VecResult(Ok(Vec{2, 3})));
}

TEST(Stream, take) {
  Forgetter fg;
  assert_done([&] { return list(fg).take(2).collect(); }, VecResult(Ok(Vec{1, 2})));
}

TEST(Stream, take_while) {
  Forgetter fg;
  assert_done(
      [&] {
        return list(fg).take_while([](const int& e) { return Result<bool, std::uint32_t>(Ok(e < 3)); }).collect();
      },
      VecResult(Ok(Vec{1, 2})));
}

TEST(Stream, take_passes_errors_through) {
  using Opt = std::optional<Result<int, int>>;
  auto s = stream::iter_result(std::vector<Result<int, int>>{Err(1), Err(2), Ok(3), Ok(4), Err(4)}).take(1).wait();
  EXPECT_EQ(s.next(), Opt(Err(1)));
  EXPECT_EQ(s.next(), Opt(Err(2)));
  EXPECT_EQ(s.next(), Opt(Ok(3)));
  EXPECT_EQ(s.next(), std::nullopt);

  auto t = stream::iter_result(std::vector<Result<int, int>>{Ok(1), Err(2)}).take(1).wait();
  EXPECT_EQ(t.next(), Opt(Ok(1)));
  EXPECT_EQ(t.next(), std::nullopt);
}

TEST(Stream, peekable) {
  Forgetter fg;
  assert_done([&] { return list(fg).peekable().collect(); }, VecResult(Ok(Vec{1, 2, 3})));
}

TEST(Stream, fuse) {
  Forgetter fg;
  using Opt = std::optional<Msg>;
  auto s = list(fg).fuse().wait();
  EXPECT_EQ(s.next(), Opt(Ok(1)));
  EXPECT_EQ(s.next(), Opt(Ok(2)));
  EXPECT_EQ(s.next(), Opt(Ok(3)));
  EXPECT_EQ(s.next(), std::nullopt);
  EXPECT_EQ(s.next(), std::nullopt);
  EXPECT_EQ(s.next(), std::nullopt);
}

namespace {
using BoxedU32 = BoxFuture<std::uint32_t, Unit>;
using Opt32 = std::optional<Result<std::uint32_t, Unit>>;

/// The channel of boxed futures that the buffered and unordered tests share: sends
/// (b, d) from a forgotten thread; `a` completes b, `c` completes d.
struct TwoFutures {
  mpsc::Receiver<BoxedU32> rx;
  oneshot::Sender<std::uint32_t> a;
  oneshot::Sender<std::uint32_t> c;
};

TwoFutures two_futures(Forgetter& fg) {
  auto [tx, rx] = mpsc::channel<BoxedU32>(1);
  auto [a, b] = oneshot::channel<std::uint32_t>();
  auto [c, d] = oneshot::channel<std::uint32_t>();
  BoxedU32 first = std::move(b).map_err([](oneshot::Canceled) {});
  BoxedU32 second = std::move(d).map_err([](oneshot::Canceled) {});
  fg.forget(std::move(tx).send(std::move(first)).and_then([second = std::move(second)](mpsc::Sender<BoxedU32> tx) mutable {
    return std::move(tx).send(std::move(second));
  }));
  return TwoFutures{std::move(rx), std::move(a), std::move(c)};
}
}  // namespace

TEST(Stream, buffered) {
  {
    Forgetter fg;
    auto [rx0, a, c] = two_futures(fg);
    auto rx = std::move(rx0).buffered(2);
    sassert_empty(rx);
    (void)std::move(c).send(3).unwrap();
    sassert_empty(rx);
    (void)std::move(a).send(5).unwrap();
    auto w = std::move(rx).wait();
    EXPECT_EQ(w.next(), Opt32(Ok(5u)));
    EXPECT_EQ(w.next(), Opt32(Ok(3u)));
    EXPECT_EQ(w.next(), std::nullopt);
  }
  {
    Forgetter fg;
    auto [rx0, a, c] = two_futures(fg);
    auto rx = std::move(rx0).buffered(1);
    sassert_empty(rx);
    (void)std::move(c).send(3).unwrap();
    sassert_empty(rx);
    (void)std::move(a).send(5).unwrap();
    auto w = std::move(rx).wait();
    EXPECT_EQ(w.next(), Opt32(Ok(5u)));
    EXPECT_EQ(w.next(), Opt32(Ok(3u)));
    EXPECT_EQ(w.next(), std::nullopt);
  }
}

TEST(Stream, unordered) {
  {
    Forgetter fg;
    auto [rx0, a, c] = two_futures(fg);
    auto rx = std::move(rx0).buffer_unordered(2);
    sassert_empty(rx);
    auto w = std::move(rx).wait();
    (void)std::move(c).send(3).unwrap();
    EXPECT_EQ(w.next(), Opt32(Ok(3u)));
    (void)std::move(a).send(5).unwrap();
    EXPECT_EQ(w.next(), Opt32(Ok(5u)));
    EXPECT_EQ(w.next(), std::nullopt);
  }
  {
    Forgetter fg;
    auto [rx0, a, c] = two_futures(fg);
    // We don't even get to see `c` until `a` completes.
    auto rx = std::move(rx0).buffer_unordered(1);
    sassert_empty(rx);
    (void)std::move(c).send(3).unwrap();
    sassert_empty(rx);
    (void)std::move(a).send(5).unwrap();
    auto w = std::move(rx).wait();
    EXPECT_EQ(w.next(), Opt32(Ok(5u)));
    EXPECT_EQ(w.next(), Opt32(Ok(3u)));
    EXPECT_EQ(w.next(), std::nullopt);
  }
}

TEST(Stream, zip) {
  Forgetter fg;
  using Pairs = Result<std::vector<std::tuple<int, int>>, std::uint32_t>;
  using P = std::tuple<int, int>;
  assert_done([&] { return list(fg).zip(list(fg)).collect(); },
              Pairs(Ok(std::vector<P>{{1, 1}, {2, 2}, {3, 3}})));
  assert_done([&] { return list(fg).zip(list(fg).take(2)).collect(); },
              Pairs(Ok(std::vector<P>{{1, 1}, {2, 2}})));
  assert_done([&] { return list(fg).take(2).zip(list(fg)).collect(); },
              Pairs(Ok(std::vector<P>{{1, 1}, {2, 2}})));
  assert_done([&] { return err_list(fg).zip(list(fg)).collect(); }, Pairs(Err(3u)));
  assert_done([&] { return list(fg).zip(list(fg).map([](int x) { return x + 1; })).collect(); },
              Pairs(Ok(std::vector<P>{{1, 2}, {2, 3}, {3, 4}})));
}

namespace {
class PeekFuture : public futures::FutureExt<PeekFuture> {
 public:
  using Item = Unit;
  using Error = std::uint32_t;

  explicit PeekFuture(stream::Peekable<BoxStream<int, std::uint32_t>> inner) : inner_(std::move(inner)) {}

  Poll<Unit, std::uint32_t> poll() {
    {
      const int* res = FUTURES_TRY_READY(inner_.peek());
      EXPECT_TRUE(res != nullptr && *res == 1);
    }
    auto again = inner_.peek();
    EXPECT_TRUE(again.is_ok() && again.unwrap_ref().is_ready() && *again.unwrap_ref().value() == 1);
    EXPECT_EQ(inner_.poll().unwrap(), Ready(std::optional<int>(1)));
    return Ready();
  }

 private:
  stream::Peekable<BoxStream<int, std::uint32_t>> inner_;
};
}  // namespace

TEST(Stream, peek) {
  Forgetter fg;
  (void)PeekFuture(list(fg).peekable()).wait().unwrap();
}

TEST(Stream, wait) {
  Forgetter fg;
  // Rust's `.wait().collect::<Result<Vec<_>, _>>()`: the items until the first error.
  VecResult collected = Ok(Vec{});
  for (auto& r : list(fg).wait()) {
    if (r.is_err()) {
      collected = Err(r.unwrap_err());
      break;
    }
    collected.unwrap_ref().push_back(r.unwrap());
  }
  EXPECT_EQ(collected, VecResult(Ok(Vec{1, 2, 3})));
}

TEST(Stream, chunks) {
  Forgetter fg;
  using Chunks = Result<std::vector<Vec>, std::uint32_t>;
  assert_done([&] { return list(fg).chunks(3).collect(); }, Chunks(Ok(std::vector<Vec>{{1, 2, 3}})));
  assert_done([&] { return list(fg).chunks(1).collect(); }, Chunks(Ok(std::vector<Vec>{{1}, {2}, {3}})));
  assert_done([&] { return list(fg).chunks(2).collect(); }, Chunks(Ok(std::vector<Vec>{{1, 2}, {3}})));
  auto spawned = executor::spawn(err_list(fg).chunks(3));
  auto i = spawned.wait_stream().value().unwrap();
  EXPECT_EQ(i, (Vec{1, 2}));
  auto e = spawned.wait_stream().value().unwrap_err();
  EXPECT_EQ(e, 3u);
}

TEST(Stream, chunks_panic_on_cap_zero) {
  // Rust's #[should_panic]: a contract violation, which aborts.
  EXPECT_DEATH(
      {
        Forgetter fg;
        (void)list(fg).chunks(0);
      },
      "capacity must be greater than zero");
}

TEST(Stream, select) {
  using Out = Result<Vec, std::uint32_t>;
  {
    auto a = stream::iter_ok<Vec, std::uint32_t>({1, 2, 3});
    auto b = stream::iter_ok<Vec, std::uint32_t>({4, 5, 6});
    assert_done([&] { return std::move(a).select(std::move(b)).collect(); }, Out(Ok(Vec{1, 4, 2, 5, 3, 6})));
  }
  {
    auto a = stream::iter_ok<Vec, std::uint32_t>({1, 2, 3});
    auto b = stream::iter_ok<Vec, std::uint32_t>({1, 2});
    assert_done([&] { return std::move(a).select(std::move(b)).collect(); }, Out(Ok(Vec{1, 1, 2, 2, 3})));
  }
  {
    auto a = stream::iter_ok<Vec, std::uint32_t>({1, 2});
    auto b = stream::iter_ok<Vec, std::uint32_t>({1, 2, 3});
    assert_done([&] { return std::move(a).select(std::move(b)).collect(); }, Out(Ok(Vec{1, 1, 2, 2, 3})));
  }
}

TEST(Stream, forward) {
  Vec v;
  v = std::get<1>(stream::iter_ok<Vec, Unit>({0, 1}).forward(std::move(v)).wait().unwrap());
  EXPECT_EQ(v, (Vec{0, 1}));

  v = std::get<1>(stream::iter_ok<Vec, Unit>({2, 3}).forward(std::move(v)).wait().unwrap());
  EXPECT_EQ(v, (Vec{0, 1, 2, 3}));

  assert_done(
      [&] {
        return stream::iter_ok<Vec, Unit>({4, 5}).forward(std::move(v)).map([](auto&&, Vec s) { return s; });
      },
      Result<Vec, Unit>(Ok(Vec{0, 1, 2, 3, 4, 5})));
}

TEST(Stream, concat) {
  using Vecs = std::vector<Vec>;
  auto a = stream::iter_ok<Vecs, Unit>({{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});
  assert_done([&] { return std::move(a).concat(); }, Result<Vec, Unit>(Ok(Vec{1, 2, 3, 4, 5, 6, 7, 8, 9})));

  auto b = stream::iter_result(std::vector<Result<Vec, Unit>>{Ok(Vec{1, 2, 3}), Err(Unit{}), Ok(Vec{7, 8, 9})});
  assert_done([&] { return std::move(b).concat(); }, Result<Vec, Unit>(Err(Unit{})));
}

TEST(Stream, concat2) {
  using Vecs = std::vector<Vec>;
  auto a = stream::iter_ok<Vecs, Unit>({{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});
  assert_done([&] { return std::move(a).concat2(); }, Result<Vec, Unit>(Ok(Vec{1, 2, 3, 4, 5, 6, 7, 8, 9})));

  auto b = stream::iter_result(std::vector<Result<Vec, Unit>>{Ok(Vec{1, 2, 3}), Err(Unit{}), Ok(Vec{7, 8, 9})});
  assert_done([&] { return std::move(b).concat2(); }, Result<Vec, Unit>(Err(Unit{})));

  auto c = stream::empty<std::vector<Unit>, Unit>();
  assert_done([&] { return std::move(c).concat2(); }, Result<std::vector<Unit>, Unit>(Ok(std::vector<Unit>{})));
}

TEST(Stream, stream_poll_fn) {
  std::size_t counter = 5;

  auto read_stream = stream::poll_fn([counter]() mutable -> Poll<std::optional<std::size_t>, std::error_code> {
    if (counter == 0) return Ready(std::optional<std::size_t>());
    counter -= 1;
    return Ready(std::optional<std::size_t>(counter));
  });

  std::size_t count = 0;
  for (auto& r : std::move(read_stream).wait()) {
    (void)r;
    ++count;
  }
  EXPECT_EQ(count, 5u);
}

TEST(Stream, inspect) {
  Forgetter fg;
  Vec seen;
  assert_done([&] { return list(fg).inspect([&seen](const int& a) { seen.push_back(a); }).collect(); },
              VecResult(Ok(Vec{1, 2, 3})));
  EXPECT_EQ(seen, (Vec{1, 2, 3}));
}

TEST(Stream, inspect_err) {
  Forgetter fg;
  std::vector<std::uint32_t> seen;
  assert_done(
      [&] { return err_list(fg).inspect_err([&seen](const std::uint32_t& a) { seen.push_back(a); }).collect(); },
      VecResult(Err(3u)));
  EXPECT_EQ(seen, (std::vector<std::uint32_t>{3}));
}

}  // namespace stream_rs_test
