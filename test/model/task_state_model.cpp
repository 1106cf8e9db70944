// Relacy models of the thread pool's task state machine
// (lib/tokio/threadpool/task_state.hpp, compiled with -DFUTURES_RELACY).
//
// A task node moves between threads as the pool moves it: whoever gets `true` from
// transition_to_notified queues it; any thread takes it from the queue, runs
// transition_to_running, polls, then transition_to_idle (queueing it again on false).
// The queue is a counter of queued nodes handed over with release/acquire, as a real
// run queue would. A notifier publishes its event through an atomic (release), as a
// channel does, then notifies; a poll reads the events (acquire).
//
// A poll may also notify its own task (a yield): the pool keeps that notify out of the
// word and reschedules with one exchange after the poll.
// Checked: no lost notify (the last poll saw every event), never two polls at once (the
// poll writes the task's body, a Relacy variable: overlapping polls are a data race),
// notifies coalesce (the node is never queued twice), and a completed task ignores
// notifies.
#include <tokio/threadpool/task_state.hpp>

#include "model.hpp"

namespace {

namespace ts = tokio::threadpool::detail;

constexpr int kMaxNotifiers = 2;

struct Task {
  ts::StateWord state{ts::kScheduled};  // spawned: Scheduled and queued once
  // The run queue holding this node: how many times it is queued (at most once).
  futures::detail::Atomic<int> queued{1};
  // The notifiers' events (a channel's published data).
  futures::detail::Atomic<int> events[kMaxNotifiers];
  // The future's body, touched only by a poll: what the latest poll saw, and how many
  // polls there were.
  rl::var<int> seen[kMaxNotifiers];
  rl::var<int> polls;

  Task() {
    for (auto& s : seen)
      s($) = 0;
    polls($) = 0;
  }

  void enqueue() {
    // Release pairs with the Acquire in try_dequeue: the node's state is handed over.
    const int before = queued.fetch_add(1, std::memory_order_release);
    RL_ASSERT(before == 0);  // notifies coalesce: never queued twice
  }

  bool try_dequeue() {
    int n = queued.load(std::memory_order_acquire);
    while (n > 0) {
      if (queued.compare_exchange_weak(n, n - 1, std::memory_order_acquire,
                                       std::memory_order_acquire)) {
        return true;
      }
    }
    return false;
  }

  void poll(int notifiers) {
    for (int i = 0; i < notifiers; ++i)
      seen[i]($) = events[i].load(std::memory_order_acquire);
    polls($) = polls($) + 1;
  }

  // A worker's loop: runs the node for as long as it is queued.
  void run_queued(int notifiers) {
    while (try_dequeue()) {
      for (;;) {
        ts::transition_to_running(state);
        poll(notifiers);
        if (ts::transition_to_idle(state)) break;
        enqueue();                  // notified during the poll: queue it again...
        if (!try_dequeue()) break;  // ...and take it at once unless another worker did
      }
    }
  }

  // run_queued whose first poll also notifies the task itself (a yield), which the pool
  // records outside the state word and turns into transition_to_rescheduled.
  void run_queued_yielding_once(int notifiers) {
    bool yielded = false;
    while (try_dequeue()) {
      for (;;) {
        ts::transition_to_running(state);
        poll(notifiers);
        if (!yielded) {
          yielded = true;
          ts::transition_to_rescheduled(state);
        } else if (ts::transition_to_idle(state)) {
          break;
        }
        enqueue();
        if (!try_dequeue()) break;
      }
    }
  }

  void notify_from(int notifier, int notifiers) {
    events[notifier].store(1, std::memory_order_release);
    if (ts::transition_to_notified(state)) enqueue();
    run_queued(notifiers);  // the notifier's thread is a worker too
  }

  void check_nothing_lost(int notifiers) {
    RL_ASSERT(queued.load(std::memory_order_relaxed) == 0);
    RL_ASSERT(state.load(std::memory_order_relaxed) == ts::kIdle);
    for (int i = 0; i < notifiers; ++i)
      RL_ASSERT(seen[i]($) == 1);
    RL_ASSERT(polls($) >= 1);
  }
};

// One worker runs the spawned task while one notifier notifies.
struct OneNotifier : rl::test_suite<OneNotifier, 2> {
  Task task;

  void thread(unsigned index) {
    if (index == 0) {
      task.run_queued(1);
    } else {
      task.notify_from(0, 1);
    }
  }

  void after() { task.check_nothing_lost(1); }
};

// Two notifiers, each also a worker: the node may be polled by any of the three threads,
// and the second notify may land in any state. Needs a context bound of 3 to catch a
// transition_to_idle that stores Scheduled instead of exchanging (a notify that
// rewrote Notified then has its event missed by the next poll).
struct TwoNotifiers : rl::test_suite<TwoNotifiers, 3> {
  Task task;

  void thread(unsigned index) {
    if (index == 0) {
      task.run_queued(2);
    } else {
      task.notify_from(static_cast<int>(index) - 1, 2);
    }
  }

  void after() { task.check_nothing_lost(2); }
};

// The worker's first poll notifies the task itself (a yield) while two notifiers, also
// workers, notify it: the yield requeues it once, and no notify is lost or doubled.
struct SelfNotifyDuringPoll : rl::test_suite<SelfNotifyDuringPoll, 3> {
  Task task;

  void thread(unsigned index) {
    if (index == 0) {
      task.run_queued_yielding_once(2);
    } else {
      task.notify_from(static_cast<int>(index) - 1, 2);
    }
  }

  void after() { task.check_nothing_lost(2); }
};

// The worker's poll finishes the task while a notifier notifies: nothing is queued, and
// notifies after completion do nothing.
struct CompleteIgnoresNotify : rl::test_suite<CompleteIgnoresNotify, 2> {
  Task task;

  void thread(unsigned index) {
    if (index == 0) {
      RL_ASSERT(task.try_dequeue());
      ts::transition_to_running(task.state);
      task.poll(1);
      ts::transition_to_complete(task.state);
    } else {
      task.events[0].store(1, std::memory_order_release);
      RL_ASSERT(!ts::transition_to_notified(task.state));  // Scheduled, Running or Complete
    }
  }

  void after() {
    RL_ASSERT(!ts::transition_to_notified(task.state));
    RL_ASSERT(task.state.load(std::memory_order_relaxed) == ts::kComplete);
    RL_ASSERT(task.queued.load(std::memory_order_relaxed) == 0);
  }
};

}  // namespace

int main(int argc, char** argv) {
  using namespace futures_model;
  return run_models(
      argc, argv,
      {
          {"OneNotifier", [] { return check<OneNotifier>(full_search()); }},
          {"TwoNotifiers", [] { return check<TwoNotifiers>(context_bound(3)); }},
          {"SelfNotifyDuringPoll", [] { return check<SelfNotifyDuringPoll>(context_bound(2)); }},
          {"CompleteIgnoresNotify", [] { return check<CompleteIgnoresNotify>(full_search()); }},
      });
}
