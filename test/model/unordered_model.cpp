// Relacy models of FuturesUnordered's ready-to-run queue
// (include/futures/stream/detail/ready_to_run_queue.hpp, Vyukov's intrusive MPSC queue
// with a stub node) and of FuturesUnordered itself (include/futures/stream/
// futures_unordered.hpp): futures notified from other threads are queued once, polled,
// and wake the task polling the set; nodes are freed by whichever thread drops the last
// reference. Compiled with -DFUTURES_RELACY.
#include <futures/future_ext.hpp>
#include <futures/stream/futures_unordered.hpp>

#include <optional>

#include "model.hpp"

namespace {

using futures::stream::detail::DequeueKind;
using futures::stream::detail::ReadyNode;
using futures::stream::detail::ReadyToRunQueue;
using futures_model::Tracked;

// ===== the ready-to-run queue =====

// A queue element with a payload written before it is enqueued.
struct Item : ReadyNode {
  Tracked payload{-1};
};

// Dequeues until Empty once every enqueue has finished.
void drain(ReadyToRunQueue& queue, futures_model::Received& got) {
  for (;;) {
    const auto d = queue.dequeue();
    RL_ASSERT(d.kind != DequeueKind::Inconsistent);
    if (d.kind == DequeueKind::Empty) return;
    RL_ASSERT(d.node != queue.stub());
    got.push(static_cast<Item*>(d.node)->payload.get());
  }
}

// Two producers enqueue two nodes each while the consumer dequeues a bounded number of
// times, so the consumer meets the stub re-insertion and the half-linked window; the rest
// is drained in after(). Each node must come out once, in each producer's order, with
// its payload visible.
struct ReadyQueueTwoProducers : rl::test_suite<ReadyQueueTwoProducers, 3> {
  ReadyToRunQueue queue;
  Item items[2][2];
  futures_model::Received got;

  void thread(unsigned index) {
    if (index == 0) {
      for (int attempt = 0; attempt < 3; ++attempt) {
        const auto d = queue.dequeue();
        if (d.kind == DequeueKind::Data) {
          RL_ASSERT(d.node != queue.stub());
          got.push(static_cast<Item*>(d.node)->payload.get());
        }
      }
    } else {
      const int producer = static_cast<int>(index) - 1;
      for (int i = 0; i < 2; ++i) {
        Item& item = items[producer][i];
        item.payload.value(RL_INFO) = 10 * producer + i;
        queue.enqueue(&item);
      }
    }
  }

  void after() {
    drain(queue, got);
    got.check_fifo(2, 2);
  }
};

// One producer re-enqueues its node after the consumer took it (as a future notified
// again after its poll): the stub and the node trade places repeatedly.
struct ReadyQueueRequeue : rl::test_suite<ReadyQueueRequeue, 2> {
  ReadyToRunQueue queue;
  Item item;
  futures::detail::Atomic<bool> taken{false};
  int dequeued = 0;

  void thread(unsigned index) {
    if (index == 0) {
      for (int attempt = 0; attempt < 4; ++attempt) {
        const auto d = queue.dequeue();
        if (d.kind == DequeueKind::Data) {
          RL_ASSERT(d.node == &item);
          ++dequeued;
          // Release: the node is out of the queue; the producer may enqueue it again.
          taken.store(true, std::memory_order_release);
        }
      }
    } else {
      item.payload.value(RL_INFO) = 1;
      queue.enqueue(&item);
      // Re-enqueue only once the consumer took it out (a node is in the queue at most
      // once; FuturesUnordered's `queued` flag ensures that).
      if (taken.load(std::memory_order_acquire)) queue.enqueue(&item);
    }
  }

  void after() {
    for (;;) {
      const auto d = queue.dequeue();
      RL_ASSERT(d.kind != DequeueKind::Inconsistent);
      if (d.kind == DequeueKind::Empty) break;
      RL_ASSERT(d.node == &item);
      ++dequeued;
    }
    RL_ASSERT(dequeued == 1 || dequeued == 2);
  }
};

// ===== FuturesUnordered =====

// An event another thread opens, and the AtomicTask of the future waiting for it.
struct GateState {
  futures::detail::Atomic<bool> open{false};
  futures::task::AtomicTask task;

  void open_and_notify() {
    open.store(true, std::memory_order_release);
    task.notify();
  }
};

// A future that is Ready(value) once its gate is open (register, then check).
class Gate : public futures::FutureExt<Gate> {
 public:
  using Item = int;
  using Error = futures::Unit;

  Gate(GateState* state, int value) : state_(state), value_(value) {}

  futures::Poll<int, futures::Unit> poll() {
    state_->task.register_();
    if (!state_->open.load(std::memory_order_acquire)) return futures::NotReady;
    return futures::Ready(value_);
  }

 private:
  GateState* state_;
  int value_;
};

// The set holds two gated futures, opened by two other threads. The polling thread
// parks whenever the set is NotReady, so a lost wakeup (of a future, or of the set's
// task) is a deadlock; it must get both values, then the end of the set. Nodes are freed
// on whichever thread drops their last reference (a notifier's Task handle, or the
// set). The set's shared block is a std::shared_ptr, invisible to Relacy, so the set is
// destroyed in after() (see mpsc_model.cpp).
struct UnorderedTwoNotifiers : rl::test_suite<UnorderedTwoNotifiers, 3> {
  GateState gates[2];
  std::optional<futures::stream::FuturesUnordered<Gate>> set;
  futures_model::ModelTask task;
  futures_model::Received got;

  UnorderedTwoNotifiers() {
    set.emplace();
    set->push(Gate(&gates[0], 0));
    set->push(Gate(&gates[1], 10));
  }

  void thread(unsigned index) {
    if (index != 0) {
      gates[index - 1].open_and_notify();
      return;
    }
    for (;;) {
      auto polled = task.poll([&] { return set->poll(); });
      RL_ASSERT(polled.is_ok());
      auto async = std::move(polled).unwrap();
      if (async.is_not_ready()) {
        task.park();
        continue;
      }
      std::optional<int> item = std::move(async).value();
      if (!item) break;
      got.push(*item);
    }
  }

  void after() {
    RL_ASSERT(got.size == 2);
    RL_ASSERT(got.values[0] + got.values[1] == 10);
    set.reset();
  }
};

}  // namespace

int main(int argc, char** argv) {
  using namespace futures_model;
  return run_models(
      argc, argv,
      {
          {"ReadyQueueTwoProducers",
           [] { return check<ReadyQueueTwoProducers>(context_bound(3)); }},
          {"ReadyQueueRequeue", [] { return check<ReadyQueueRequeue>(full_search()); }},
          {"UnorderedTwoNotifiers", [] { return check<UnorderedTwoNotifiers>(context_bound(2)); }},
      });
}
