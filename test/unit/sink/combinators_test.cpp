// Unit tests of every sink combinator (sink/*.hpp) and of stream::Forward, driven by
// hand through ScriptedSink / ScriptedStream: backpressure (NotReady hands the item
// back), errors, close, send_all / forward closing the sink and stopping at the first
// error, and drop.
#include <futures/future.hpp>
#include <futures/sink.hpp>
#include <futures/stream.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "support/assert_poll.hpp"
#include "support/contract_throw.hpp"
#include "support/counted.hpp"
#include "support/manual_future.hpp"
#include "support/notify.hpp"
#include "support/sinks_scripted.hpp"

// One namespace per file: a unity build compiles several test files as one unit.
namespace sink_combinators_test {

using namespace futures;
using futures::sink::VecSink;
using futures_test::ContractViolation;
using futures_test::ScriptedSink;
using futures_test::ScriptedStream;
using futures_test::StreamEnd;
using futures_test::StreamNotReady;
using futures_test::ThrowOnViolation;

namespace {

template <class K>
auto start_send_in_task(K& k, typename K::SinkItem item) {
  return futures_test::with_noop_task([&] { return k.start_send(std::move(item)); });
}
template <class K>
auto poll_complete_in_task(K& k) {
  return futures_test::with_noop_task([&] { return k.poll_complete(); });
}
template <class K>
auto close_in_task(K& k) {
  return futures_test::with_noop_task([&] { return k.close(); });
}

using Step = ScriptedStream<int>::Step;
Step err(int e) {
  return Err(e);
}

}  // namespace

// ===== VecSink =====

TEST(VecSink, pushes_and_is_always_ready) {
  VecSink<int> v;
  EXPECT_EQ(v.start_send(1), Ok(AsyncSink<int>::Ready()));
  EXPECT_EQ(v.start_send(2), Ok(AsyncSink<int>::Ready()));
  EXPECT_EQ(v.poll_complete(), Ok(Async<Unit>::Ready(Unit{})));
  EXPECT_EQ(v.close(), Ok(Async<Unit>::Ready(Unit{})));
  EXPECT_EQ(v, (std::vector<int>{1, 2}));
  EXPECT_EQ(v.get_ref(), (std::vector<int>{1, 2}));
  v.get_mut().push_back(3);
  std::vector<int> inner = std::move(v).into_inner();
  EXPECT_EQ(inner, (std::vector<int>{1, 2, 3}));
}

TEST(VecSink, from_vector) {
  VecSink<std::string> v = std::vector<std::string>{"a"};
  EXPECT_EQ(v.start_send("b"), Ok(AsyncSink<std::string>::Ready()));
  EXPECT_EQ(v, (std::vector<std::string>{"a", "b"}));
  VecSink<int> w{1, 2, 3};
  EXPECT_EQ(w.size(), 3u);
  static_assert(Sink<VecSink<int>>);
  static_assert(std::is_same_v<VecSink<int>::SinkError, Unit>);
}

// ===== Send =====

TEST(Send, retries_handed_back_item_then_flushes) {
  ScriptedSink<int> k;
  auto s = k.shared();
  s->not_ready_sends = 2;
  s->not_ready_flushes = 1;
  auto count = std::make_shared<futures_test::CountingNotify>();
  auto f = std::move(k).send(7);
  for (int i = 0; i < 3; ++i) {
    auto p = futures_test::poll_once(f, count);
    ASSERT_TRUE(p.is_ok());
    EXPECT_TRUE(p.unwrap_ref().is_not_ready());
  }
  EXPECT_EQ(count->count(), 3u);  // each NotReady came with a notify
  EXPECT_EQ(s->start_sends, 3);
  EXPECT_EQ(s->flushes, 1);
  auto p = futures_test::poll_once(f, count);
  ASSERT_TRUE(p.is_ok() && p.unwrap_ref().is_ready());
  EXPECT_EQ(s->items, (std::vector<int>{7}));
  EXPECT_EQ(s->flushed_items, 1);
  EXPECT_EQ(s->start_sends, 3);  // not sent again once accepted
}

TEST(Send, start_send_error) {
  ScriptedSink<int> k;
  k.script().send_error = 5;
  auto f = std::move(k).send(1);
  ASSERT_ERR_EQ(f, 5);
}

TEST(Send, flush_error) {
  ScriptedSink<int> k;
  k.script().flush_error = 6;
  auto s = k.shared();
  auto f = std::move(k).send(1);
  ASSERT_ERR_EQ(f, 6);
  EXPECT_EQ(s->items, (std::vector<int>{1}));
}

TEST(Send, poll_after_completion_is_a_contract_violation) {
  ThrowOnViolation guard;
  auto f = VecSink<int>().send(1);
  ASSERT_READY(f);
  EXPECT_THROW((void)futures_test::poll_noop(f), ContractViolation);
  EXPECT_THROW((void)f.get_ref(), ContractViolation);
}

TEST(Send, get_ref_before_completion) {
  auto f = VecSink<int>{4}.send(1);
  EXPECT_EQ(f.get_ref(), (std::vector<int>{4}));
  f.get_mut().push_back(5);
  auto v = std::move(f).wait().unwrap();
  EXPECT_EQ(v, (std::vector<int>{4, 5, 1}));
}

TEST(Send, drop_before_completion_drops_item_and_sink) {
  futures_test::LifetimeCounts counts;
  {
    ScriptedSink<futures_test::Counted> k;
    k.script().not_ready_sends = 1;
    auto f = std::move(k).send(futures_test::Counted(counts));
    ASSERT_NOT_READY(f);
    EXPECT_EQ(counts.alive(), 1);
  }
  EXPECT_EQ(counts.alive(), 0);
}

// ===== Flush =====

TEST(Flush, not_ready_then_ready) {
  ScriptedSink<int> k;
  k.script().not_ready_flushes = 2;
  auto s = k.shared();
  auto f = std::move(k).flush();
  ASSERT_NOT_READY(f);
  ASSERT_NOT_READY(f);
  EXPECT_EQ(f.get_ref().script().flushes, 2);
  ASSERT_READY(f);
  EXPECT_EQ(s->flushes, 3);
  ThrowOnViolation guard;
  EXPECT_THROW((void)futures_test::poll_noop(f), ContractViolation);
  EXPECT_THROW((void)f.get_mut(), ContractViolation);
}

TEST(Flush, error) {
  ScriptedSink<int> k;
  k.script().flush_error = 3;
  auto f = std::move(k).flush();
  ASSERT_ERR_EQ(f, 3);
}

// ===== SendAll =====

TEST(SendAll, sends_everything_flushes_on_not_ready_and_closes) {
  ScriptedSink<int> k;
  auto s = k.shared();
  s->not_ready_sends = 1;
  ScriptedStream<int> st{1, StreamNotReady{}, 2, 3};
  auto f = std::move(k).send_all(std::move(st));
  ASSERT_NOT_READY(f);  // 1 handed back
  EXPECT_EQ(s->items, (std::vector<int>{}));
  ASSERT_NOT_READY(f);  // 1 accepted; stream NotReady -> flush
  EXPECT_EQ(s->items, (std::vector<int>{1}));
  EXPECT_EQ(s->flushes, 1);
  EXPECT_EQ(s->flushed_items, 1);
  EXPECT_FALSE(s->closed);
  auto p = futures_test::poll_noop(f);
  ASSERT_TRUE(p.is_ok() && p.unwrap_ref().is_ready());
  auto [sink, stream] = std::move(p).unwrap().value();
  EXPECT_EQ(s->items, (std::vector<int>{1, 2, 3}));
  EXPECT_TRUE(s->closed);
  EXPECT_EQ(s->closes, 1);
  EXPECT_EQ(stream.polls(), 5);  // 1, NotReady, 2, 3, end: not polled after the end
}

TEST(SendAll, close_not_ready_does_not_poll_stream_again) {
  ScriptedSink<int> k;
  auto s = k.shared();
  s->not_ready_closes = 2;
  auto f = std::move(k).send_all(ScriptedStream<int>{1});
  ASSERT_NOT_READY(f);
  ASSERT_NOT_READY(f);
  ASSERT_READY(f);  // ScriptedStream fails the test if polled after its end
  EXPECT_EQ(s->closes, 3);
  EXPECT_TRUE(s->closed);
}

TEST(SendAll, stops_at_first_stream_error) {
  ScriptedSink<int> k;
  auto s = k.shared();
  ScriptedStream<int> st{1, err(9), 2};
  auto f = std::move(k).send_all(std::move(st));
  ASSERT_ERR_EQ(f, 9);
  EXPECT_EQ(s->items, (std::vector<int>{1}));
  EXPECT_FALSE(s->closed);
}

TEST(SendAll, stops_at_first_sink_error) {
  ScriptedSink<int> k;
  auto s = k.shared();
  s->send_error = 4;
  auto f = std::move(k).send_all(ScriptedStream<int>{1, 2});
  ASSERT_ERR_EQ(f, 4);
  EXPECT_FALSE(s->closed);
}

TEST(SendAll, stream_error_converts_to_sink_error) {
  // Rust: T::SinkError: From<U::Error>. Stream error int -> sink error long.
  ScriptedSink<int, long> k;
  auto f = std::move(k).send_all(ScriptedStream<int, int>{err(2)});
  static_assert(std::is_same_v<decltype(f)::Error, long>);
  ASSERT_ERR_EQ(f, 2L);
}

TEST(SendAll, close_error) {
  ScriptedSink<int> k;
  k.script().close_error = 8;
  auto f = std::move(k).send_all(ScriptedStream<int>{1});
  ASSERT_ERR_EQ(f, 8);
}

TEST(SendAll, poll_after_completion_is_a_contract_violation) {
  ThrowOnViolation guard;
  auto f = VecSink<int>().send_all(ScriptedStream<int, Unit>{1});
  ASSERT_READY(f);
  EXPECT_THROW((void)futures_test::poll_noop(f), ContractViolation);
}

// ===== Forward =====

TEST(Forward, forwards_flushes_and_closes) {
  ScriptedSink<int> k;
  auto s = k.shared();
  s->not_ready_sends = 1;
  s->not_ready_closes = 1;
  auto f = ScriptedStream<int>{1, StreamNotReady{}, 2}.forward(std::move(k));
  static_assert(
      std::is_same_v<decltype(f)::Item, std::tuple<ScriptedStream<int>, ScriptedSink<int>>>);
  ASSERT_NOT_READY(f);  // 1 handed back
  EXPECT_NE(f.sink_ref(), nullptr);
  EXPECT_NE(f.stream_mut(), nullptr);
  ASSERT_NOT_READY(f);  // 1 sent, stream NotReady, flushed
  EXPECT_EQ(s->flushed_items, 1);
  ASSERT_NOT_READY(f);  // 2 sent, end, close NotReady
  EXPECT_FALSE(s->closed);
  ASSERT_READY(f);
  EXPECT_TRUE(s->closed);
  EXPECT_EQ(s->items, (std::vector<int>{1, 2}));
  EXPECT_EQ(f.sink_ref(), nullptr);
}

TEST(Forward, into_plain_vector) {
  auto r = ScriptedStream<int, Unit>{1, 2, 3}.forward(std::vector<int>{0}).wait();
  ASSERT_TRUE(r.is_ok());
  auto [stream, v] = std::move(r).unwrap();
  static_assert(std::is_same_v<decltype(v), std::vector<int>>);
  EXPECT_EQ(v, (std::vector<int>{0, 1, 2, 3}));
}

TEST(Forward, stops_at_first_stream_error) {
  ScriptedSink<int> k;
  auto s = k.shared();
  auto f = ScriptedStream<int>{1, err(3), 2}.forward(std::move(k));
  ASSERT_ERR_EQ(f, 3);
  EXPECT_EQ(s->items, (std::vector<int>{1}));
  EXPECT_FALSE(s->closed);
}

TEST(Forward, sink_error_converts_to_stream_error) {
  // Rust: T::Error: From<U::SinkError>. Sink error int -> stream error long.
  ScriptedSink<int, int> k;
  k.script().flush_error = 5;
  auto f = ScriptedStream<int, long>{1, StreamNotReady{}}.forward(std::move(k));
  static_assert(std::is_same_v<decltype(f)::Error, long>);
  ASSERT_ERR_EQ(f, 5L);
}

TEST(Forward, poll_after_completion_is_a_contract_violation) {
  ThrowOnViolation guard;
  auto f = ScriptedStream<int, Unit>{}.forward(VecSink<int>());
  ASSERT_READY(f);
  EXPECT_THROW((void)futures_test::poll_noop(f), ContractViolation);
}

// ===== With =====

TEST(With, maps_through_a_result) {
  auto k = VecSink<int>().with([](int x) -> Result<int, Unit> { return Ok(x * 10); });
  static_assert(std::is_same_v<decltype(k)::SinkItem, int>);
  EXPECT_TRUE(start_send_in_task(k, 1).unwrap().is_ready());
  EXPECT_TRUE(poll_complete_in_task(k).unwrap().is_ready());
  EXPECT_EQ(k.get_ref(), (std::vector<int>{10}));
}

TEST(With, input_type_deduced_or_given) {
  auto a = VecSink<std::string>().with(
      [](const std::string& s) { return future::ok<std::string, Unit>(s + "!"); });
  static_assert(std::is_same_v<decltype(a)::SinkItem, std::string>);
  auto b = VecSink<std::string>().with<int>(
      [](auto n) { return future::ok<std::string, Unit>(std::to_string(n)); });
  static_assert(std::is_same_v<decltype(b)::SinkItem, int>);
  auto fp = +[](long n) -> Result<int, Unit> { return Ok(static_cast<int>(n)); };
  auto c = VecSink<int>().with(fp);
  static_assert(std::is_same_v<decltype(c)::SinkItem, long>);
  auto b2 = std::move(b).send(42).wait().unwrap();
  EXPECT_EQ(b2.get_ref(), (std::vector<std::string>{"42"}));
}

TEST(With, one_input_at_a_time_and_backpressure) {
  auto slot = std::make_shared<futures_test::Slot<int, int>>();
  futures_test::LifetimeCounts counts;
  ScriptedSink<int> inner;
  auto s = inner.shared();
  s->not_ready_sends = 1;
  bool first = true;
  auto k = std::move(inner).with([&](int x) -> BoxFuture<int, int> {
    if (first) {
      first = false;
      return futures_test::Manual<int, int>(slot, counts).map([x](int y) { return x + y; }).boxed();
    }
    return future::ok<int, int>(x).boxed();
  });
  EXPECT_TRUE(start_send_in_task(k, 1).unwrap().is_ready());  // processing 1
  auto again = start_send_in_task(k, 2).unwrap();             // still processing: handed back
  ASSERT_TRUE(again.is_not_ready());
  EXPECT_EQ(std::move(again).item(), 2);
  EXPECT_TRUE(poll_complete_in_task(k).unwrap().is_not_ready());
  slot->complete(Ok(100));
  // The future is ready now, but the inner sink hands 101 back once.
  EXPECT_TRUE(poll_complete_in_task(k).unwrap().is_not_ready());
  EXPECT_EQ(s->items, (std::vector<int>{}));
  EXPECT_TRUE(poll_complete_in_task(k).unwrap().is_ready());
  EXPECT_EQ(s->items, (std::vector<int>{101}));
  EXPECT_EQ(counts.alive(), 0);  // the finished future was dropped
  EXPECT_TRUE(start_send_in_task(k, 2).unwrap().is_ready());
  EXPECT_TRUE(close_in_task(k).unwrap().is_ready());
  EXPECT_EQ(s->items, (std::vector<int>{101, 2}));
  EXPECT_TRUE(s->closed);
}

TEST(With, callback_future_error) {
  auto k = ScriptedSink<int>().with([](int x) -> Result<int, int> {
    if (x < 0) return Err(x);
    return Ok(x);
  });
  EXPECT_TRUE(start_send_in_task(k, -3).unwrap().is_ready());
  auto p = poll_complete_in_task(k);
  ASSERT_TRUE(p.is_err());
  EXPECT_EQ(p.unwrap_err(), -3);
  // The failed input is gone; the sink works on.
  EXPECT_TRUE(start_send_in_task(k, 4).unwrap().is_ready());
  EXPECT_TRUE(poll_complete_in_task(k).unwrap().is_ready());
  EXPECT_EQ(k.get_ref().script().items, (std::vector<int>{4}));
}

TEST(With, sink_error_converted_to_future_error) {
  ScriptedSink<int, int> inner;
  inner.script().send_error = 7;
  auto k = std::move(inner).with([](int x) -> Result<int, long> { return Ok(x); });
  static_assert(std::is_same_v<decltype(k)::SinkError, long>);
  EXPECT_TRUE(start_send_in_task(k, 1).unwrap().is_ready());
  auto p = poll_complete_in_task(k);
  ASSERT_TRUE(p.is_err());
  EXPECT_EQ(p.unwrap_err(), 7L);
}

TEST(With, close_waits_for_pending_input) {
  ScriptedSink<int> inner;
  auto s = inner.shared();
  s->not_ready_sends = 1;
  auto k = std::move(inner).with([](int x) -> Result<int, int> { return Ok(x); });
  EXPECT_TRUE(start_send_in_task(k, 1).unwrap().is_ready());
  EXPECT_TRUE(close_in_task(k).unwrap().is_not_ready());
  EXPECT_EQ(s->closes, 0);
  EXPECT_TRUE(close_in_task(k).unwrap().is_ready());
  EXPECT_TRUE(s->closed);
  EXPECT_EQ(s->items, (std::vector<int>{1}));
}

TEST(With, move_only_callback) {
  auto owned = std::make_unique<int>(5);
  auto k = VecSink<int>().with(
      [o = std::move(owned)](int x) -> Result<int, Unit> { return Ok(x + *o); });
  auto k2 = std::move(k).send(1).wait().unwrap();
  EXPECT_EQ(k2.get_ref(), (std::vector<int>{6}));
}

// ===== WithFlatMap =====

TEST(WithFlatMap, expands_each_input) {
  auto k = VecSink<int>().with_flat_map([](int n) {
    std::deque<ScriptedStream<int, Unit>::Step> steps;
    for (int i = 0; i < n; ++i)
      steps.push_back(n);
    return ScriptedStream<int, Unit>(std::move(steps));
  });
  for (int n : {0, 1, 2, 3})
    EXPECT_TRUE(start_send_in_task(k, n).unwrap().is_ready());
  EXPECT_TRUE(poll_complete_in_task(k).unwrap().is_ready());
  EXPECT_EQ(k.get_ref(), (std::vector<int>{1, 2, 2, 3, 3, 3}));
}

TEST(WithFlatMap, backpressure_from_stream_and_sink) {
  ScriptedSink<int> inner;
  auto s = inner.shared();
  auto k = std::move(inner).with_flat_map([](int n) {
    return ScriptedStream<int>{n, StreamNotReady{}, StreamNotReady{}, n + 1};
  });
  EXPECT_TRUE(start_send_in_task(k, 10).unwrap().is_ready());  // pushes 10, then stream NotReady
  EXPECT_EQ(s->items, (std::vector<int>{10}));
  auto back = start_send_in_task(k, 20).unwrap();
  ASSERT_TRUE(back.is_not_ready());
  EXPECT_EQ(std::move(back).item(), 20);
  s->not_ready_sends = 1;
  EXPECT_TRUE(poll_complete_in_task(k).unwrap().is_not_ready());  // 11 handed back by the sink
  EXPECT_EQ(s->flushes, 0);
  EXPECT_TRUE(poll_complete_in_task(k).unwrap().is_ready());
  EXPECT_EQ(s->items, (std::vector<int>{10, 11}));
  EXPECT_EQ(s->flushes, 1);
  EXPECT_TRUE(start_send_in_task(k, 20).unwrap().is_ready());
  EXPECT_TRUE(close_in_task(k).unwrap().is_not_ready());  // stream NotReady again
  EXPECT_TRUE(close_in_task(k).unwrap().is_ready());
  EXPECT_EQ(s->items, (std::vector<int>{10, 11, 20, 21}));
  EXPECT_TRUE(s->closed);
}

TEST(WithFlatMap, stream_error_drops_stream) {
  ScriptedSink<int> inner;
  auto s = inner.shared();
  auto k = std::move(inner).with_flat_map([](int n) { return ScriptedStream<int>{n, err(n), n}; });
  auto r = start_send_in_task(k, 1);
  ASSERT_TRUE(r.is_err());
  EXPECT_EQ(r.unwrap_err(), 1);
  EXPECT_EQ(s->items, (std::vector<int>{1}));
  EXPECT_TRUE(poll_complete_in_task(k).unwrap().is_ready());  // the stream is gone
  EXPECT_EQ(s->items, (std::vector<int>{1}));
}

// ===== SinkMapErr =====

TEST(SinkMapErr, maps_errors_once) {
  ThrowOnViolation guard;
  ScriptedSink<int> inner;
  auto s = inner.shared();
  int calls = 0;
  auto k = std::move(inner).sink_map_err([&calls](int e) {
    ++calls;
    return std::to_string(e);
  });
  static_assert(std::is_same_v<decltype(k)::SinkError, std::string>);
  EXPECT_TRUE(start_send_in_task(k, 1).unwrap().is_ready());
  s->flush_error = 3;
  auto p = poll_complete_in_task(k);
  ASSERT_TRUE(p.is_err());
  EXPECT_EQ(p.unwrap_err(), "3");
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(start_send_in_task(k, 2).unwrap().is_ready());  // no error: fine
  s->send_error = 4;
  EXPECT_THROW((void)start_send_in_task(k, 2), ContractViolation);
}

TEST(SinkMapErr, void_callback_gives_unit_and_callback_is_dropped_after_use) {
  auto owned = std::make_shared<int>(0);
  std::weak_ptr<int> watch = owned;
  ScriptedSink<int> inner;
  inner.script().send_error = 1;
  auto k = std::move(inner).sink_map_err([o = std::move(owned)](int) {});
  static_assert(std::is_same_v<decltype(k)::SinkError, Unit>);
  EXPECT_FALSE(watch.expired());
  EXPECT_EQ(start_send_in_task(k, 1), Err(Unit{}));
  EXPECT_TRUE(watch.expired());  // FnOnce: spent
}

// ===== SinkFromErr =====

TEST(SinkFromErr, converts_errors) {
  ScriptedSink<int, int> inner;
  auto s = inner.shared();
  auto k = std::move(inner).sink_from_err<long>();
  static_assert(std::is_same_v<decltype(k)::SinkError, long>);
  s->send_error = 1;
  EXPECT_EQ(start_send_in_task(k, 1), Err(1L));
  s->flush_error = 2;
  EXPECT_EQ(poll_complete_in_task(k), Err(2L));
  s->close_error = 3;
  EXPECT_EQ(close_in_task(k), Err(3L));
  EXPECT_TRUE(close_in_task(k).unwrap().is_ready());
  EXPECT_TRUE(std::move(k).into_inner().script().closed);
}

// ===== Buffer =====

TEST(Buffer, queues_up_to_capacity) {
  ScriptedSink<int> inner;
  auto s = inner.shared();
  s->not_ready_sends = 100;
  s->self_notify = false;
  auto k = std::move(inner).buffer(2);
  EXPECT_TRUE(start_send_in_task(k, 1).unwrap().is_ready());
  EXPECT_TRUE(start_send_in_task(k, 2).unwrap().is_ready());
  auto back = start_send_in_task(k, 3).unwrap();
  ASSERT_TRUE(back.is_not_ready());
  EXPECT_EQ(std::move(back).item(), 3);
  EXPECT_TRUE(poll_complete_in_task(k).unwrap().is_not_ready());
  EXPECT_EQ(s->flushes, 0);  // cannot flush before the queue drained
  s->not_ready_sends = 0;
  EXPECT_TRUE(start_send_in_task(k, 3).unwrap().is_ready());  // drains 1, 2 first
  EXPECT_EQ(s->items, (std::vector<int>{1, 2}));
  EXPECT_TRUE(poll_complete_in_task(k).unwrap().is_ready());
  EXPECT_EQ(s->items, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(s->flushes, 1);
}

TEST(Buffer, order_kept_when_inner_hands_back) {
  ScriptedSink<int> inner;
  auto s = inner.shared();
  auto k = std::move(inner).buffer(3);
  for (int i = 1; i <= 3; ++i)
    EXPECT_TRUE(start_send_in_task(k, i).unwrap().is_ready());
  s->not_ready_sends = 1;
  EXPECT_TRUE(close_in_task(k).unwrap().is_not_ready());
  EXPECT_FALSE(s->closed);
  EXPECT_TRUE(close_in_task(k).unwrap().is_ready());
  EXPECT_TRUE(s->closed);
  EXPECT_EQ(s->items, (std::vector<int>{1, 2, 3}));
}

TEST(Buffer, zero_capacity_passes_through) {
  ScriptedSink<int> inner;
  auto s = inner.shared();
  s->not_ready_sends = 1;
  auto k = std::move(inner).buffer(0);
  auto back = start_send_in_task(k, 1).unwrap();
  ASSERT_TRUE(back.is_not_ready());
  EXPECT_TRUE(start_send_in_task(k, 1).unwrap().is_ready());
  EXPECT_EQ(s->items, (std::vector<int>{1}));
}

TEST(Buffer, error_from_inner) {
  ScriptedSink<int> inner;
  auto s = inner.shared();
  auto k = std::move(inner).buffer(2);
  EXPECT_TRUE(start_send_in_task(k, 1).unwrap().is_ready());
  s->send_error = 9;
  EXPECT_EQ(poll_complete_in_task(k), Err(9));
  EXPECT_TRUE(poll_complete_in_task(k).unwrap().is_ready());  // the failed item is gone
  EXPECT_TRUE(s->items.empty());
}

TEST(Buffer, drop_drops_queued_items) {
  futures_test::LifetimeCounts counts;
  {
    ScriptedSink<futures_test::Counted> inner;
    inner.script().not_ready_sends = 10;
    auto k = std::move(inner).buffer(2);
    EXPECT_TRUE(start_send_in_task(k, futures_test::Counted(counts)).unwrap().is_ready());
    EXPECT_TRUE(start_send_in_task(k, futures_test::Counted(counts)).unwrap().is_ready());
    EXPECT_EQ(counts.alive(), 2);
  }
  EXPECT_EQ(counts.alive(), 0);
}

// ===== Fanout =====

TEST(Fanout, copies_to_both) {
  auto k = VecSink<int>().fanout(std::vector<int>{});
  EXPECT_TRUE(start_send_in_task(k, 1).unwrap().is_ready());
  EXPECT_TRUE(start_send_in_task(k, 2).unwrap().is_ready());
  EXPECT_TRUE(close_in_task(k).unwrap().is_ready());
  auto [a, b] = std::move(k).into_inner();
  static_assert(std::is_same_v<decltype(b), std::vector<int>>);
  EXPECT_EQ(a, (std::vector<int>{1, 2}));
  EXPECT_EQ(b, (std::vector<int>{1, 2}));
}

TEST(Fanout, slower_side_applies_backpressure) {
  ScriptedSink<int> left, right;
  auto l = left.shared(), r = right.shared();
  r->not_ready_sends = 2;
  auto k = std::move(left).fanout(std::move(right));
  EXPECT_TRUE(start_send_in_task(k, 1).unwrap().is_ready());  // right handed 1 back: kept
  EXPECT_EQ(l->items, (std::vector<int>{1}));
  auto back = start_send_in_task(k, 2).unwrap();  // right retries 1: NotReady again
  ASSERT_TRUE(back.is_not_ready());
  EXPECT_EQ(std::move(back).item(), 2);
  EXPECT_EQ(l->items, (std::vector<int>{1}));
  EXPECT_TRUE(poll_complete_in_task(k).unwrap().is_ready());  // right takes 1
  EXPECT_EQ(r->items, (std::vector<int>{1}));
  EXPECT_TRUE(start_send_in_task(k, 2).unwrap().is_ready());
  EXPECT_EQ(l->items, (std::vector<int>{1, 2}));
  EXPECT_EQ(r->items, (std::vector<int>{1, 2}));
}

TEST(Fanout, close_waits_for_both) {
  ScriptedSink<int> left, right;
  auto l = left.shared(), r = right.shared();
  l->not_ready_closes = 1;
  auto k = std::move(left).fanout(std::move(right));
  EXPECT_TRUE(close_in_task(k).unwrap().is_not_ready());
  EXPECT_TRUE(r->closed);
  EXPECT_FALSE(l->closed);
  EXPECT_TRUE(close_in_task(k).unwrap().is_ready());
  EXPECT_TRUE(l->closed);
}

TEST(Fanout, errors) {
  ScriptedSink<int> left, right;
  auto l = left.shared(), r = right.shared();
  auto k = std::move(left).fanout(std::move(right));
  r->send_error = 2;
  EXPECT_EQ(start_send_in_task(k, 1), Err(2));
  EXPECT_EQ(l->items, (std::vector<int>{1}));
  l->flush_error = 3;
  EXPECT_EQ(poll_complete_in_task(k), Err(3));
  l->close_error = 4;
  EXPECT_EQ(close_in_task(k), Err(4));
}

// ===== Wait =====

TEST(SinkWait, send_flush_close) {
  ScriptedSink<int> inner;
  auto s = inner.shared();
  s->not_ready_sends = 2;
  s->not_ready_flushes = 2;
  s->not_ready_closes = 2;
  auto w = std::move(inner).wait();
  EXPECT_EQ(w.send(1), Ok());
  EXPECT_EQ(w.send(2), Ok());
  EXPECT_EQ(s->flushes, 0);  // send does not flush
  EXPECT_EQ(w.flush(), Ok());
  EXPECT_EQ(s->flushes, 3);
  EXPECT_EQ(w.close(), Ok());
  EXPECT_TRUE(s->closed);
  EXPECT_EQ(w.get_ref().script().items, (std::vector<int>{1, 2}));
}

TEST(SinkWait, errors) {
  ScriptedSink<int> inner;
  auto s = inner.shared();
  auto w = std::move(inner).wait();
  s->send_error = 1;
  EXPECT_EQ(w.send(1), Err(1));
  s->flush_error = 2;
  EXPECT_EQ(w.flush(), Err(2));
  s->close_error = 3;
  EXPECT_EQ(w.close(), Err(3));
}

namespace {
/// A sink whose flush completes when another thread opens the gate.
struct Gate {
  std::mutex mutex;
  bool open = false;
  std::optional<task::Task> task;
};
struct GateSink : SinkExt<GateSink> {
  using SinkItem = int;
  using SinkError = int;
  std::shared_ptr<Gate> gate = std::make_shared<Gate>();
  StartSend<int, int> start_send(int) { return Ok(AsyncSink<int>::Ready()); }
  Poll<Unit, int> poll_complete() {
    std::lock_guard lock(gate->mutex);
    if (gate->open) return Ready();
    gate->task.emplace(task::current());
    return NotReady;
  }
  Poll<Unit, int> close() { return Ready(); }
};
}  // namespace

TEST(SinkWait, woken_from_another_thread) {
  GateSink k;
  auto gate = k.gate;
  auto w = std::move(k).wait();
  std::thread opener([gate] {
    for (;;) {  // until the flush registered its task
      {
        std::lock_guard lock(gate->mutex);
        if (gate->task) {
          gate->open = true;
          gate->task->notify();
          return;
        }
      }
      std::this_thread::yield();
    }
  });
  EXPECT_EQ(w.flush(), Ok());
  opener.join();
}

// ===== Adaptors stay Streams =====

namespace {
/// A Stream + Sink: a ScriptedStream for reading and a VecSink for writing.
struct Duplex : StreamExt<Duplex>, SinkExt<Duplex> {
  using Item = int;
  using Error = int;
  using SinkItem = int;
  using SinkError = int;
  ScriptedStream<int> in;
  VecSink<int> out;
  explicit Duplex(ScriptedStream<int> s) : in(std::move(s)) {}
  Poll<std::optional<int>, int> poll() { return in.poll(); }
  StartSend<int, int> start_send(int x) {
    return out.start_send(x).map_err([](Unit) { return 0; });
  }
  Poll<Unit, int> poll_complete() { return Ready(); }
  Poll<Unit, int> close() { return Ready(); }
};
}  // namespace

TEST(SinkAdaptors, pass_stream_through) {
  auto k = Duplex(ScriptedStream<int>{1, 2})
               .with([](int x) -> Result<int, int> { return Ok(x); })
               .sink_map_err([](int e) { return e; })
               .sink_from_err<int>()
               .buffer(1);
  static_assert(Stream<decltype(k)> && Sink<decltype(k)>);
  auto p = futures_test::poll_noop(k);
  ASSERT_TRUE(p.is_ok());
  EXPECT_EQ(p.unwrap().value(), std::optional<int>(1));
  auto fm = VecSink<int>().with_flat_map([](int x) { return ScriptedStream<int, Unit>{x}; });
  static_assert(!Stream<decltype(fm)>);
}

}  // namespace sink_combinators_test
