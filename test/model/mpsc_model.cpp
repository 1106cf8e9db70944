// Relacy models of sync::mpsc: the lock-free MPSC queue (include/futures/sync/mpsc/queue.hpp,
// Vyukov's node queue plus the node recycler) and the channel's send / receive / park /
// close protocol (include/futures/sync/mpsc.hpp), compiled with -DFUTURES_RELACY.
//
// Checked in every model: no message lost or duplicated, FIFO per sender, message
// payloads handed over without data races (Tracked), no node used after it was freed
// or leaked (Relacy's heap), and no lost wakeup: a receiver or parked sender blocks on a
// ParkNotify until notified, so a missing notify shows up as a deadlock.
#include <futures/sync/mpsc.hpp>

#include <optional>

#include "model.hpp"

namespace {

using futures::sync::mpsc::detail::Cache;
using futures::sync::mpsc::detail::PopResult;
using futures::sync::mpsc::detail::Queue;
using futures_model::Tracked;

// ===== the queue =====

// Pops until Empty once every push has finished (no push can be half done then).
void drain(Queue<Tracked>& queue, futures_model::Received& got) {
  for (;;) {
    std::optional<Tracked> out;
    const PopResult r = queue.pop(out);
    RL_ASSERT(r != PopResult::Inconsistent);
    if (r == PopResult::Empty) return;
    got.push(out->get());
  }
}

// Two producers push two values each while the consumer pops a bounded number of times
// (the rest is drained in after()). Checks the link-after-swap window (Inconsistent)
// and that a pushed value is fully built before the consumer reads it.
struct QueueTwoProducers : rl::test_suite<QueueTwoProducers, 3> {
  static constexpr int kPerProducer = 2;
  Queue<Tracked> queue;
  futures_model::Received got;

  void thread(unsigned index) {
    if (index == 0) {
      for (int attempt = 0; attempt < 4; ++attempt) {
        std::optional<Tracked> out;
        const PopResult r = queue.pop(out);
        if (r == PopResult::Data) got.push(out->get());
        if (r == PopResult::Inconsistent) futures::detail::spin_loop_hint();
      }
    } else {
      const int producer = static_cast<int>(index) - 1;
      for (int i = 0; i < kPerProducer; ++i)
        queue.push(Tracked(producer * 10 + i));
    }
  }

  void after() {
    drain(queue, got);
    got.check_fifo(2, kPerProducer);
  }
};

// The node recycler: the consumer's 64th freed node completes a batch, which it
// publishes in `free_` while a producer with a Cache may be taking it to reuse its
// nodes. before() runs 63 messages through, so the batch completes inside the model.
struct QueueRecycle : rl::test_suite<QueueRecycle, 2> {
  static constexpr int kWarmup = static_cast<int>(Queue<Tracked>::kBatch) - 1;
  Queue<Tracked> queue;
  Cache<Tracked> cache;
  futures_model::Received got;

  void before() {
    for (int i = 0; i < kWarmup; ++i) {
      queue.push(Tracked(i % 10));
      std::optional<Tracked> out;
      RL_ASSERT(queue.pop(out) == PopResult::Data);
    }
  }

  void thread(unsigned index) {
    if (index == 0) {
      for (int attempt = 0; attempt < 3; ++attempt) {
        std::optional<Tracked> out;
        const PopResult r = queue.pop(out);
        if (r == PopResult::Data) got.push(out->get());
        if (r == PopResult::Inconsistent) futures::detail::spin_loop_hint();
      }
    } else {
      for (int i = 0; i < 3; ++i)
        queue.push(Tracked(i), &cache);
    }
  }

  void after() {
    drain(queue, got);
    got.check_fifo(1, 3);
  }
};

// ===== the channel =====
//
// Lifetimes: the channel's shared block is a std::shared_ptr, whose reference count
// Relacy cannot see (it is not a detail::Atomic). Were the block destroyed on a model
// thread, its destructor's relaxed loads would not be ordered after the other thread's
// writes as far as Relacy knows, and it would report bogus errors. So in each model one
// side drops its handles on its thread (the protocol under test) and the other side's
// handle is dropped in after(), once every thread has finished; the block dies there.

using futures::sync::mpsc::Receiver;
using futures::sync::mpsc::Sender;
using futures_model::ModelTask;

// Receives until the end of the stream (or `limit` messages), parking whenever the
// Receiver is NotReady.
void receive_all(Receiver<Tracked>& rx, ModelTask& task, futures_model::Received& got,
                 int limit = futures_model::Received::kMax) {
  while (got.size < limit) {
    auto polled = task.poll([&] { return rx.poll(); });
    RL_ASSERT(polled.is_ok());
    auto async = std::move(polled).unwrap();
    if (async.is_not_ready()) {
      task.park();
      continue;
    }
    std::optional<Tracked> item = std::move(async).value();
    if (!item) return;
    got.push(item->get());
  }
}

// Sends `count` values (10 * id + i) through `tx` as a task would: a NotReady start_send
// (this sender is parked) parks the thread until the receiver unparks it. Then drops
// the Sender unless `keep`. Returns how many were accepted (fewer only if the receiver
// closed).
int send_all(std::optional<Sender<Tracked>>& tx, ModelTask& task, int id, int count,
             bool keep = false) {
  int sent = 0;
  for (int i = 0; i < count; ++i) {
    std::optional<Tracked> msg(std::in_place, 10 * id + i);
    for (;;) {
      auto r = task.poll([&] { return tx->start_send(std::move(*msg)); });
      if (r.is_err()) break;  // the receiver closed
      auto async = std::move(r).unwrap();
      if (async.is_ready()) {
        ++sent;
        break;
      }
      msg.emplace(std::move(async).item());
      task.park();
    }
  }
  if (!keep) tx.reset();
  return sent;
}

// Two senders, one message each, buffer 0 (so each send parks its sender): the
// receiver must get both and then the end of the stream (sent by the last Sender to
// go), parking in between without losing a wakeup.
struct ChannelTwoSenders : rl::test_suite<ChannelTwoSenders, 3> {
  std::optional<Sender<Tracked>> tx[2];
  std::optional<Receiver<Tracked>> rx;
  ModelTask tasks[3];
  futures_model::Received got;

  ChannelTwoSenders() {
    auto [s, r] = futures::sync::mpsc::channel<Tracked>(0);
    tx[1].emplace(s.clone());
    tx[0].emplace(std::move(s));
    rx.emplace(std::move(r));
  }

  void thread(unsigned index) {
    if (index == 0) {
      receive_all(*rx, tasks[0], got);
    } else {
      RL_ASSERT(send_all(tx[index - 1], tasks[index], static_cast<int>(index) - 1, 1) == 1);
    }
  }

  void after() {
    got.check_fifo(2, 1);
    rx.reset();
  }
};

// One sender, two messages, buffer 0: the first send parks the sender, so the second
// start_send is NotReady until the receiver takes the first message and unparks it.
struct ChannelParkedSender : rl::test_suite<ChannelParkedSender, 2> {
  std::optional<Sender<Tracked>> tx;
  std::optional<Receiver<Tracked>> rx;
  ModelTask tasks[2];
  futures_model::Received got;

  ChannelParkedSender() {
    auto [s, r] = futures::sync::mpsc::channel<Tracked>(0);
    tx.emplace(std::move(s));
    rx.emplace(std::move(r));
  }

  void thread(unsigned index) {
    if (index == 0) {
      receive_all(*rx, tasks[0], got);
    } else {
      RL_ASSERT(send_all(tx, tasks[1], 0, 2) == 2);
    }
  }

  void after() {
    got.check_fifo(1, 2);
    rx.reset();
  }
};

// The receiver closes the channel while a parked sender waits to send its second
// message: close() must wake it (it then finds the channel closed), and every message
// accepted before the close is still received.
struct ChannelCloseWakesSender : rl::test_suite<ChannelCloseWakesSender, 2> {
  std::optional<Sender<Tracked>> tx;
  std::optional<Receiver<Tracked>> rx;
  ModelTask tasks[2];
  futures_model::Received got;
  int sent = 0;

  ChannelCloseWakesSender() {
    auto [s, r] = futures::sync::mpsc::channel<Tracked>(0);
    tx.emplace(std::move(s));
    rx.emplace(std::move(r));
  }

  void thread(unsigned index) {
    if (index == 0) {
      rx->close();
      receive_all(*rx, tasks[0], got);
    } else {
      sent = send_all(tx, tasks[1], 0, 2);
    }
  }

  void after() {
    got.check_fifo(1, sent);
    rx.reset();
  }
};

// The receiver is dropped while the sender sends two messages (buffer 0: the first
// send parks the sender, the second waits): dropping closes the channel, which must wake
// the parked sender, and destroys the message still buffered. The Sender is dropped in
// after().
struct ChannelReceiverDrop : rl::test_suite<ChannelReceiverDrop, 2> {
  std::optional<Sender<Tracked>> tx;
  std::optional<Receiver<Tracked>> rx;
  ModelTask tasks[2];
  int sent = 0;

  ChannelReceiverDrop() {
    auto [s, r] = futures::sync::mpsc::channel<Tracked>(0);
    tx.emplace(std::move(s));
    rx.emplace(std::move(r));
  }

  void thread(unsigned index) {
    if (index == 0) {
      rx.reset();
    } else {
      sent = send_all(tx, tasks[1], 0, 2, /*keep=*/true);
    }
  }

  void after() {
    RL_ASSERT(sent <= 1);  // the second send waits for a receive that never comes
    RL_ASSERT(tx->is_closed());
    tx.reset();
  }
};

// Broken usage, to show a lost wakeup is caught (as a deadlock): the receiver polls with
// one task but blocks waiting for another, so the send's notify never reaches it.
struct ChannelWrongTask : rl::test_suite<ChannelWrongTask, 2, rl::test_result_deadlock> {
  std::optional<Sender<Tracked>> tx;
  std::optional<Receiver<Tracked>> rx;
  ModelTask tasks[3];
  futures_model::Received got;

  ChannelWrongTask() {
    auto [s, r] = futures::sync::mpsc::channel<Tracked>(1);
    tx.emplace(std::move(s));
    rx.emplace(std::move(r));
  }

  void thread(unsigned index) {
    if (index == 0) {
      for (;;) {
        auto async = tasks[2].poll([&] { return rx->poll(); }).unwrap();
        if (async.is_ready()) break;
        tasks[0].park();  // not the task that was registered
      }
    } else {
      send_all(tx, tasks[1], 0, 1, /*keep=*/true);
    }
  }

  void after() {
    rx.reset();
    tx.reset();
  }
};

}  // namespace

int main(int argc, char** argv) {
  using namespace futures_model;
  return run_models(
      argc, argv,
      {
          {"QueueTwoProducers", [] { return check<QueueTwoProducers>(context_bound(2)); }},
          {"QueueRecycle", [] { return check<QueueRecycle>(random_search(50000)); }},
          {"ChannelTwoSenders", [] { return check<ChannelTwoSenders>(random_search(100000)); }},
          {"ChannelParkedSender", [] { return check<ChannelParkedSender>(random_search(100000)); }},
          {"ChannelCloseWakesSender",
           [] { return check<ChannelCloseWakesSender>(context_bound(1)); }},
          {"ChannelReceiverDrop", [] { return check<ChannelReceiverDrop>(context_bound(1)); }},
          {"ChannelWrongTask", [] { return check_catches<ChannelWrongTask>(random_search(1000)); }},
      });
}
