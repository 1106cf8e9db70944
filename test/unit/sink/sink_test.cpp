// Port of futures 0.1 tests/sink.rs
#include <futures/future.hpp>
#include <futures/sink.hpp>
#include <futures/stream.hpp>
#include <futures/sync/mpsc.hpp>
#include <futures/sync/oneshot.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "support/notify.hpp"
#include "support/sbasic_sassert.hpp"

// One namespace per file: a unity build compiles several test files as one unit.
namespace sink_test {

using namespace futures;
using futures::sink::SinkFromErr;
using futures::sink::VecSink;
namespace mpsc = futures::sync::mpsc;
namespace oneshot = futures::sync::oneshot;

namespace {

/// Rust's `assert_done(f, result)`: f().wait() == result.
template <class F, class R>
void assert_done(F f, const R& result) {
  EXPECT_EQ(f().wait(), result);
}

// A Notify that records notify events for inspection (Rust's `Flag`).
class Flag : public executor::Notify {
 public:
  static std::shared_ptr<Flag> create() { return std::make_shared<Flag>(); }
  bool get() const { return flag_.load(); }
  void set(bool v) { flag_.store(v); }
  void notify(std::size_t) override { set(true); }

 private:
  std::atomic<bool> flag_{false};
};

// Sends a value on a sink, resolving to the sink once start_send accepted it (Rust's
// `StartSendFut`).
template <class S>
class StartSendFut : public FutureExt<StartSendFut<S>> {
 public:
  using Item = S;
  using Error = typename S::SinkError;

  StartSendFut(S sink, typename S::SinkItem item)
      : sink_(std::move(sink)), item_(std::move(item)) {}

  Poll<S, Error> poll() {
    auto item = std::move(*item_);
    item_.reset();
    auto r = sink_->start_send(std::move(item));
    if (r.is_err()) return Err(std::move(r).unwrap_err());
    AsyncSink<typename S::SinkItem> a = std::move(r).unwrap();
    if (a.is_ready()) {
      S sink = std::move(*sink_);
      sink_.reset();
      return Ready(std::move(sink));
    }
    item_.emplace(std::move(a).item());
    return NotReady;
  }

 private:
  std::optional<S> sink_;
  std::optional<typename S::SinkItem> item_;
};

template <class S, class T>
StartSendFut<S> start_send_fut(S sink, T item) {
  return StartSendFut<S>(std::move(sink), typename S::SinkItem(std::move(item)));
}

}  // namespace

TEST(Sink, vec_sink) {
  VecSink<int> v;
  EXPECT_EQ(v.start_send(0), Ok(AsyncSink<int>::Ready()));
  EXPECT_EQ(v.start_send(1), Ok(AsyncSink<int>::Ready()));
  EXPECT_EQ(v, (std::vector<int>{0, 1}));
  assert_done([&] { return std::move(v).flush(); }, Ok(std::vector<int>{0, 1}));
}

TEST(Sink, send) {
  VecSink<int> v;

  auto v1 = std::move(v).send(0).wait().unwrap();
  EXPECT_EQ(v1, (std::vector<int>{0}));

  auto v2 = std::move(v1).send(1).wait().unwrap();
  EXPECT_EQ(v2, (std::vector<int>{0, 1}));

  assert_done([&] { return std::move(v2).send(2); }, Ok(std::vector<int>{0, 1, 2}));
}

TEST(Sink, send_all) {
  VecSink<int> v;

  auto [v1, s1] =
      std::move(v).send_all(stream::iter_ok<std::vector<int>, Unit>({0, 1})).wait().unwrap();
  EXPECT_EQ(v1, (std::vector<int>{0, 1}));

  auto [v2, s2] =
      std::move(v1).send_all(stream::iter_ok<std::vector<int>, Unit>({2, 3})).wait().unwrap();
  EXPECT_EQ(v2, (std::vector<int>{0, 1, 2, 3}));

  assert_done(
      [&] {
        return std::move(v2)
            .send_all(stream::iter_ok<std::vector<int>, Unit>({4, 5}))
            .map([](VecSink<int> v, auto&&) { return v; });
      },
      Ok(std::vector<int>{0, 1, 2, 3, 4, 5}));
}

// Test that `start_send` on an `mpsc` channel does indeed block when the channel is full.
TEST(Sink, mpsc_blocking_start_send) {
  auto [tx, rx] = mpsc::channel<int>(0);

  future::lazy([&]() -> Result<Unit, Unit> {
    EXPECT_EQ(tx.start_send(0).unwrap(), AsyncSink<int>::Ready());

    auto flag = Flag::create();
    executor::NotifyHandle handle(flag);
    auto task = executor::spawn(start_send_fut(std::move(tx), 1));

    EXPECT_TRUE(task.poll_future_notify(handle, 0).unwrap().is_not_ready());
    EXPECT_FALSE(flag->get());
    futures_test::sassert_next(rx, 0);
    EXPECT_TRUE(flag->get());
    flag->set(false);
    EXPECT_TRUE(task.poll_future_notify(handle, 0).unwrap().is_ready());
    EXPECT_FALSE(flag->get());
    futures_test::sassert_next(rx, 1);

    return Ok();
  })
      .wait()
      .unwrap();
}

// Test `flush` by using `with` to make the first insertion into a sink block until a
// oneshot is completed.
TEST(Sink, with_flush) {
  auto [tx, rx] = oneshot::channel<Unit>();
  BoxFuture<Unit, oneshot::Canceled> block = std::move(rx).boxed();
  auto sink = VecSink<int>().with([&block](int elem) {
    return std::exchange(block, future::ok<Unit, oneshot::Canceled>(Unit{}).boxed())
        .map([elem](Unit) { return elem + 1; })
        .map_err([](oneshot::Canceled) -> Unit { throw std::logic_error("canceled"); });
  });

  futures_test::with_noop_task([&] { EXPECT_EQ(sink.start_send(0), Ok(AsyncSink<int>::Ready())); });

  auto flag = Flag::create();
  executor::NotifyHandle handle(flag);
  auto task = executor::spawn(std::move(sink).flush());
  EXPECT_TRUE(task.poll_future_notify(handle, 0).unwrap().is_not_ready());
  std::move(tx).send(Unit{}).unwrap();
  EXPECT_TRUE(flag->get());

  auto polled = task.poll_future_notify(handle, 0).unwrap();
  ASSERT_TRUE(polled.is_ready());
  auto sink2 = std::move(polled).value();

  EXPECT_EQ(std::move(sink2).send(1).wait().unwrap().get_ref(), (std::vector<int>{1, 2}));
}

// Test simple use of with to change data.
TEST(Sink, with_as_map) {
  auto sink = VecSink<int>().with([](int item) -> Result<int, Unit> { return Ok(item * 2); });
  auto sink1 = std::move(sink).send(0).wait().unwrap();
  auto sink2 = std::move(sink1).send(1).wait().unwrap();
  auto sink3 = std::move(sink2).send(2).wait().unwrap();
  EXPECT_EQ(sink3.get_ref(), (std::vector<int>{0, 2, 4}));
}

// Test simple use of with_flat_map.
TEST(Sink, with_flat_map) {
  auto sink = VecSink<std::size_t>().with_flat_map([](std::size_t item) {
    return stream::iter_ok<std::vector<std::size_t>, Unit>(std::vector<std::size_t>(item, item));
  });
  auto sink1 = std::move(sink).send(0).wait().unwrap();
  auto sink2 = std::move(sink1).send(1).wait().unwrap();
  auto sink3 = std::move(sink2).send(2).wait().unwrap();
  auto sink4 = std::move(sink3).send(3).wait().unwrap();
  EXPECT_EQ(sink4.get_ref(), (std::vector<std::size_t>{1, 2, 2, 3, 3, 3}));
}

namespace {

// Immediately accepts all requests to start pushing, but completion is managed by
// manually flushing.
template <class T>
class ManualFlush : public SinkExt<ManualFlush<T>> {
 public:
  using SinkItem = std::optional<T>;  // Pass nullopt to flush
  using SinkError = Unit;

  StartSend<std::optional<T>, Unit> start_send(std::optional<T> op) {
    if (op) {
      data_.push_back(std::move(*op));
    } else {
      force_flush();
    }
    return Ok(AsyncSink<std::optional<T>>::Ready());
  }

  Poll<Unit, Unit> poll_complete() {
    if (data_.empty()) return Ready();
    waiting_tasks_.push_back(task::current());
    return NotReady;
  }

  Poll<Unit, Unit> close() { return Ready(); }

  std::vector<T> force_flush() {
    for (auto& task : waiting_tasks_)
      task.notify();
    waiting_tasks_.clear();
    return std::exchange(data_, std::vector<T>());
  }

 private:
  std::vector<T> data_;
  std::vector<task::Task> waiting_tasks_;
};

}  // namespace

// Test that the `with` sink doesn't require the underlying sink to flush, but doesn't
// claim to be flushed until the underlying sink is.
TEST(Sink, with_flush_propagate) {
  auto sink = ManualFlush<int>().with(
      [](std::optional<int> x) -> Result<std::optional<int>, Unit> { return Ok(x); });
  futures_test::with_noop_task([&] {
    EXPECT_EQ(sink.start_send(0).unwrap(), AsyncSink<std::optional<int>>::Ready());
    EXPECT_EQ(sink.start_send(1).unwrap(), AsyncSink<std::optional<int>>::Ready());
  });

  auto flag = Flag::create();
  executor::NotifyHandle handle(flag);
  auto task = executor::spawn(std::move(sink).flush());
  EXPECT_TRUE(task.poll_future_notify(handle, 0).unwrap().is_not_ready());
  EXPECT_FALSE(flag->get());
  EXPECT_EQ(task.get_mut().get_mut().get_mut().force_flush(), (std::vector<int>{0, 1}));
  EXPECT_TRUE(flag->get());
  EXPECT_TRUE(task.poll_future_notify(handle, 0).unwrap().is_ready());
}

// Test that a buffer is a no-nop around a sink that always accepts sends.
TEST(Sink, buffer_noop) {
  {
    auto sink = VecSink<int>().buffer(0);
    auto sink1 = std::move(sink).send(0).wait().unwrap();
    auto sink2 = std::move(sink1).send(1).wait().unwrap();
    EXPECT_EQ(sink2.get_ref(), (std::vector<int>{0, 1}));
  }
  {
    auto sink = VecSink<int>().buffer(1);
    auto sink1 = std::move(sink).send(0).wait().unwrap();
    auto sink2 = std::move(sink1).send(1).wait().unwrap();
    EXPECT_EQ(sink2.get_ref(), (std::vector<int>{0, 1}));
  }
}

namespace {

struct Allow {
  bool flag = false;
  std::vector<task::Task> tasks;

  bool check() {
    if (flag) return true;
    tasks.push_back(task::current());
    return false;
  }

  void start() {
    flag = true;
    for (auto& task : tasks)
      task.notify();
    tasks.clear();
  }
};

template <class T>
struct ManualAllow : SinkExt<ManualAllow<T>> {
  using SinkItem = T;
  using SinkError = Unit;

  std::vector<T> data;
  std::shared_ptr<Allow> allow;

  explicit ManualAllow(std::shared_ptr<Allow> a) : allow(std::move(a)) {}

  StartSend<T, Unit> start_send(T item) {
    if (allow->check()) {
      data.push_back(std::move(item));
      return Ok(AsyncSink<T>::Ready());
    }
    return Ok(AsyncSink<T>::NotReady(std::move(item)));
  }
  Poll<Unit, Unit> poll_complete() { return Ready(); }
  Poll<Unit, Unit> close() { return Ready(); }
};

template <class T>
std::tuple<ManualAllow<T>, std::shared_ptr<Allow>> manual_allow() {
  auto allow = std::make_shared<Allow>();
  return {ManualAllow<T>(allow), allow};
}

}  // namespace

// Test basic buffer functionality, including both filling up to capacity, and writing
// out when the underlying sink is ready.
TEST(Sink, buffer) {
  auto [sink0, allow] = manual_allow<int>();
  auto sink = std::move(sink0).buffer(2);

  auto sink1 = start_send_fut(std::move(sink), 0).wait().unwrap();
  auto sink2 = start_send_fut(std::move(sink1), 1).wait().unwrap();

  auto flag = Flag::create();
  executor::NotifyHandle handle(flag);
  auto task = executor::spawn(std::move(sink2).send(2));
  EXPECT_TRUE(task.poll_future_notify(handle, 0).unwrap().is_not_ready());
  EXPECT_FALSE(flag->get());
  allow->start();
  EXPECT_TRUE(flag->get());
  auto polled = task.poll_future_notify(handle, 0).unwrap();
  ASSERT_TRUE(polled.is_ready());
  EXPECT_EQ(polled.value().get_ref().data, (std::vector<int>{0, 1, 2}));
}

TEST(Sink, fanout_smoke) {
  VecSink<int> sink1;
  VecSink<int> sink2;
  auto sink = std::move(sink1).fanout(std::move(sink2));
  auto stream = stream::iter_ok<std::vector<int>, Unit>({1, 2, 3});
  auto [sink3, rest] = std::move(sink).send_all(std::move(stream)).wait().unwrap();
  auto [s1, s2] = std::move(sink3).into_inner();
  EXPECT_EQ(s1, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(s2, (std::vector<int>{1, 2, 3}));
}

TEST(Sink, fanout_backpressure) {
  auto [left_send, left_recv0] = mpsc::channel<int>(0);
  auto [right_send, right_recv0] = mpsc::channel<int>(0);
  auto sink0 = std::move(left_send).fanout(std::move(right_send));

  auto sink1 = start_send_fut(std::move(sink0), 0).wait().unwrap();
  auto sink = start_send_fut(std::move(sink1), 1).wait().unwrap();

  auto flag = Flag::create();
  executor::NotifyHandle handle(flag);
  auto task = executor::spawn(std::move(sink).send(2));
  EXPECT_FALSE(flag->get());
  EXPECT_TRUE(task.poll_future_notify(handle, 0).unwrap().is_not_ready());
  auto [item1, left_recv1] = std::move(left_recv0).into_future().wait().unwrap();
  EXPECT_EQ(item1, std::optional<int>(0));
  EXPECT_TRUE(flag->get());
  EXPECT_TRUE(task.poll_future_notify(handle, 0).unwrap().is_not_ready());
  auto [item2, right_recv1] = std::move(right_recv0).into_future().wait().unwrap();
  EXPECT_EQ(item2, std::optional<int>(0));
  EXPECT_TRUE(flag->get());
  EXPECT_TRUE(task.poll_future_notify(handle, 0).unwrap().is_not_ready());
  auto [item3, left_recv2] = std::move(left_recv1).into_future().wait().unwrap();
  EXPECT_EQ(item3, std::optional<int>(1));
  EXPECT_TRUE(flag->get());
  EXPECT_TRUE(task.poll_future_notify(handle, 0).unwrap().is_not_ready());
  auto [item4, right_recv2] = std::move(right_recv1).into_future().wait().unwrap();
  EXPECT_EQ(item4, std::optional<int>(1));
  EXPECT_TRUE(flag->get());
  auto [item5, left_recv3] = std::move(left_recv2).into_future().wait().unwrap();
  EXPECT_EQ(item5, std::optional<int>(2));
  EXPECT_TRUE(flag->get());
  EXPECT_TRUE(task.poll_future_notify(handle, 0).unwrap().is_not_ready());
  auto [item6, right_recv3] = std::move(right_recv2).into_future().wait().unwrap();
  EXPECT_EQ(item6, std::optional<int>(2));
  EXPECT_TRUE(task.poll_future_notify(handle, 0).unwrap().is_ready());
  // make sure receivers live until end of test to prevent send errors
  { auto drop = std::move(left_recv3); }
  { auto drop = std::move(right_recv3); }
}

TEST(Sink, map_err) {
  {
    auto [tx0, rx] = mpsc::channel<Unit>(1);
    auto tx = std::move(tx0).sink_map_err([](auto&&) {});
    EXPECT_EQ(tx.start_send(Unit{}), Ok(AsyncSink<Unit>::Ready()));
    EXPECT_EQ(tx.poll_complete(), Ok(Async<Unit>::Ready(Unit{})));
  }

  auto tx = std::get<0>(mpsc::channel<Unit>(0));
  EXPECT_EQ(std::move(tx).sink_map_err([](auto&&) {}).start_send(Unit{}), Err(Unit{}));
}

namespace {

struct FromErrTest {
  FromErrTest() = default;
  template <class T>
  FromErrTest(mpsc::SendError<T>) {}
  friend bool operator==(FromErrTest, FromErrTest) { return true; }
  friend std::ostream& operator<<(std::ostream& os, FromErrTest) { return os << "FromErrTest"; }
};

}  // namespace

TEST(Sink, from_err) {
  {
    auto [tx0, rx] = mpsc::channel<Unit>(1);
    SinkFromErr<mpsc::Sender<Unit>, FromErrTest> tx = std::move(tx0).sink_from_err<FromErrTest>();
    EXPECT_EQ(tx.start_send(Unit{}), Ok(AsyncSink<Unit>::Ready()));
    EXPECT_EQ(tx.poll_complete(), Ok(Async<Unit>::Ready(Unit{})));
  }

  auto tx = std::get<0>(mpsc::channel<Unit>(0));
  EXPECT_EQ(std::move(tx).sink_from_err<FromErrTest>().start_send(Unit{}), Err(FromErrTest{}));
}

}  // namespace sink_test
