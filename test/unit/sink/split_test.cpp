// Port of futures 0.1 tests/split.rs, plus unit tests of stream::split /
// SplitStream / SplitSink / reunite and a bounded cross-thread test (run under
// ThreadSanitizer).
#include <futures/future.hpp>
#include <futures/sink.hpp>
#include <futures/stream.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <sstream>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "support/assert_poll.hpp"
#include "support/notify.hpp"
#include "support/sinks_scripted.hpp"

// One namespace per file: a unity build compiles several test files as one unit.
namespace split_test {

using namespace futures;

namespace {

/// Rust's `&mut Vec<T>` as a Sink: pushes into a vector the test owns.
template <class T>
struct VecRef : SinkExt<VecRef<T>> {
  using SinkItem = T;
  using SinkError = Unit;
  explicit VecRef(std::vector<T>& v) : v(&v) {}
  StartSend<T, Unit> start_send(T item) {
    v->push_back(std::move(item));
    return Ok(AsyncSink<T>::Ready());
  }
  Poll<Unit, Unit> poll_complete() { return Ready(); }
  Poll<Unit, Unit> close() { return Ready(); }
  std::vector<T>* v;
};

/// Rust's `Join<T, U>`: a Stream from T and a Sink from U.
template <class T, class U>
struct Join : StreamExt<Join<T, U>>, SinkExt<Join<T, U>> {
  using Item = typename T::Item;
  using Error = typename T::Error;
  using SinkItem = typename U::SinkItem;
  using SinkError = typename U::SinkError;

  Join(T t, U u) : first(std::move(t)), second(std::move(u)) {}

  Poll<std::optional<Item>, Error> poll() { return first.poll(); }
  StartSend<SinkItem, SinkError> start_send(SinkItem item) {
    return second.start_send(std::move(item));
  }
  Poll<Unit, SinkError> poll_complete() { return second.poll_complete(); }
  Poll<Unit, SinkError> close() { return second.close(); }

  T first;
  U second;
};

template <class T, class U>
Join<T, U> join(T t, U u) {
  return Join<T, U>(std::move(t), std::move(u));
}

}  // namespace

// ===== tests/split.rs =====

TEST(Split, test_split) {
  std::vector<int> dest;
  {
    auto j = join(stream::iter_ok<std::vector<int>, Unit>({10, 20, 30}), VecRef<int>(dest));
    auto [sink, stream] = std::move(j).split();
    auto j2 = std::move(sink).reunite(std::move(stream)).expect("test_split: reunite error");
    auto [sink2, stream2] = std::move(j2).split();
    (void)std::move(sink2).send_all(std::move(stream2)).wait().unwrap();
  }
  EXPECT_EQ(dest, (std::vector<int>{10, 20, 30}));
}

// ===== unit tests =====

TEST(Split, halves_pass_calls_through) {
  futures_test::ScriptedSink<int> k;
  auto s = k.shared();
  auto [sink, stream] =
      stream::split(join(futures_test::ScriptedStream<int>{1, Err(2)}, std::move(k)));
  static_assert(
      std::is_same_v<decltype(sink), stream::SplitSink<Join<futures_test::ScriptedStream<int>,
                                                            futures_test::ScriptedSink<int>>>>);
  static_assert(Stream<decltype(stream)> && Sink<decltype(sink)>);
  ASSERT_READY_EQ(stream, std::optional<int>(1));
  ASSERT_ERR_EQ(stream, 2);  // errors pass through and do not end the stream
  ASSERT_READY_EQ(stream, std::optional<int>());
  futures_test::with_noop_task([&] {
    EXPECT_TRUE(sink.start_send(5).unwrap().is_ready());
    s->flush_error = 7;
    EXPECT_EQ(sink.poll_complete(), Err(7));
    EXPECT_TRUE(sink.close().unwrap().is_ready());
  });
  EXPECT_EQ(s->items, (std::vector<int>{5}));
  EXPECT_TRUE(s->closed);
}

TEST(Split, reunite_from_either_half) {
  auto [sink, stream] =
      stream::split(join(futures_test::ScriptedStream<int>{}, sink::VecSink<int>{1}));
  auto whole = std::move(stream).reunite(std::move(sink)).unwrap();
  EXPECT_EQ(whole.second, (std::vector<int>{1}));
}

TEST(Split, reunite_mismatched_halves) {
  using J = Join<futures_test::ScriptedStream<int>, sink::VecSink<int>>;
  auto [sink1, stream1] = stream::split(J({}, sink::VecSink<int>{1}));
  auto [sink2, stream2] = stream::split(J({}, sink::VecSink<int>{2}));
  auto r = std::move(sink1).reunite(std::move(stream2));
  ASSERT_TRUE(r.is_err());
  std::ostringstream os;
  os << r.unwrap_err_ref();
  EXPECT_EQ(os.str(), "tried to reunite a SplitStream and SplitSink that don't form a pair");
  auto [back_sink, back_stream] = std::move(r).unwrap_err();
  EXPECT_EQ(std::move(back_sink).reunite(std::move(stream1)).unwrap().second,
            (std::vector<int>{1}));
  EXPECT_EQ(std::move(sink2).reunite(std::move(back_stream)).unwrap().second,
            (std::vector<int>{2}));
}

TEST(Split, sink_hands_item_back_while_stream_half_holds_the_lock) {
  // A stream whose poll calls back into the sink half: the lock is held by the stream
  // half then, so the sink half hands the item back and the stream half's task is
  // notified when the lock is released.
  struct Reentrant : StreamExt<Reentrant>, SinkExt<Reentrant> {
    using Item = int;
    using Error = Unit;
    using SinkItem = int;
    using SinkError = Unit;
    std::function<void()> on_poll;
    Poll<std::optional<int>, Unit> poll() {
      on_poll();
      return Ready(std::optional<int>(1));
    }
    StartSend<int, Unit> start_send(int) { return Ok(AsyncSink<int>::Ready()); }
    Poll<Unit, Unit> poll_complete() { return Ready(); }
    Poll<Unit, Unit> close() { return Ready(); }
  };
  Reentrant r;
  stream::SplitSink<Reentrant>* target = nullptr;
  std::optional<AsyncSink<int>> seen;
  r.on_poll = [&] {
    seen.emplace(target->start_send(9).unwrap());
    EXPECT_TRUE(target->poll_complete().unwrap().is_not_ready());
  };
  auto [sink, stream] = stream::split(std::move(r));
  target = &sink;
  auto count = std::make_shared<futures_test::CountingNotify>();
  auto p = futures_test::poll_once(stream, count);
  ASSERT_TRUE(p.is_ok());
  ASSERT_TRUE(seen.has_value());
  ASSERT_TRUE(seen->is_not_ready());
  EXPECT_EQ(std::move(*seen).item(), 9);
  EXPECT_EQ(count->count(), 1u);  // notified when the stream half unlocked
}

TEST(Split, cross_thread_forwarding) {
  // One thread reads the stream half while another sends into the sink half; each
  // call takes the shared lock, so both halves contend for it.
  constexpr int kItems = 2000;
  struct Counter : StreamExt<Counter>, SinkExt<Counter> {
    using Item = int;
    using Error = Unit;
    using SinkItem = int;
    using SinkError = Unit;
    int next = 0;
    long long sum = 0;
    int received = 0;
    Poll<std::optional<int>, Unit> poll() {
      if (next == kItems) return Ready(std::optional<int>());
      return Ready(std::optional<int>(next++));
    }
    StartSend<int, Unit> start_send(int x) {
      sum += x;
      ++received;
      return Ok(AsyncSink<int>::Ready());
    }
    Poll<Unit, Unit> poll_complete() { return Ready(); }
    Poll<Unit, Unit> close() { return Ready(); }
  };
  for (int round = 0; round < 10; ++round) {
    auto [sink, stream] = stream::split(Counter());
    std::thread reader([&stream] {
      auto all = std::move(stream).collect().wait().unwrap();
      EXPECT_EQ(all.size(), static_cast<std::size_t>(kItems));
    });
    std::vector<int> ones(kItems, 1);
    auto sent =
        std::move(sink).send_all(stream::iter_ok<std::vector<int>, Unit>(std::move(ones))).wait();
    reader.join();
    ASSERT_TRUE(sent.is_ok());
  }
}

}  // namespace split_test
