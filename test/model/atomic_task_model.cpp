// Relacy models of AtomicTask (lib/futures/atomic_task.cpp, compiled into this program
// with -DFUTURES_RELACY): futures 0.1's REGISTERING/NOTIFYING protocol.
//
// The consumer registers its task, then checks the event flag (the order every leaf
// future uses); producers set the flag, then notify. Whatever the interleaving, the
// consumer must either see the flag or have its latest registered task notified (no
// lost wakeup), and the task slot must never be accessed by two threads at once (Relacy
// checks UnsafeCell for data races).
#include "model.hpp"

namespace {

using futures::task::AtomicTask;
using futures_model::RecordingNotify;

// Checks done by every AtomicTask model once its threads have finished: the slot holds
// at most the one Task handle, and a final notify empties it and reaches that task.
void check_slot_then_drain(AtomicTask& task, RecordingNotify& notify, std::size_t id) {
  RL_ASSERT(notify.live_tasks() <= 1);
  const int before = notify.notified(id);
  const bool held = notify.live_tasks() == 1;
  task.notify();
  RL_ASSERT(notify.live_tasks() == 0);
  RL_ASSERT(notify.notified(id) == before + (held ? 1 : 0));
}

// One consumer, one producer.
struct RegisterVsNotify : rl::test_suite<RegisterVsNotify, 2> {
  std::shared_ptr<RecordingNotify> notify = std::make_shared<RecordingNotify>();
  AtomicTask task;
  futures::detail::Atomic<bool> flag{false};
  bool saw_flag = false;

  void thread(unsigned index) {
    if (index == 0) {
      task.register_task(futures_model::make_task(notify, 0));
      saw_flag = flag.load(std::memory_order_acquire);
    } else {
      flag.store(true, std::memory_order_release);
      task.notify();
    }
  }

  void after() {
    RL_ASSERT(saw_flag || notify->notified(0) >= 1);
    check_slot_then_drain(task, *notify, 0);
  }
};

// One consumer, two producers with separate events: a notify that finds the slot busy
// (another notify or the register holding it) must not be lost either.
struct TwoNotifiers : rl::test_suite<TwoNotifiers, 3> {
  std::shared_ptr<RecordingNotify> notify = std::make_shared<RecordingNotify>();
  AtomicTask task;
  futures::detail::Atomic<bool> flags[2];
  bool saw_flag[2] = {false, false};

  void thread(unsigned index) {
    if (index == 0) {
      task.register_task(futures_model::make_task(notify, 0));
      saw_flag[0] = flags[0].load(std::memory_order_acquire);
      saw_flag[1] = flags[1].load(std::memory_order_acquire);
    } else {
      flags[index - 1].store(true, std::memory_order_release);
      task.notify();
    }
  }

  void after() {
    RL_ASSERT((saw_flag[0] && saw_flag[1]) || notify->notified(0) >= 1);
    check_slot_then_drain(task, *notify, 0);
  }
};

// The consumer re-registers with a different task (a future moved to another task
// between polls): the wakeup must reach the task registered last, unless the consumer
// saw the event after that registration.
struct ReRegister : rl::test_suite<ReRegister, 2> {
  std::shared_ptr<RecordingNotify> notify = std::make_shared<RecordingNotify>();
  AtomicTask task;
  futures::detail::Atomic<bool> flag{false};
  bool saw_flag = false;

  void thread(unsigned index) {
    if (index == 0) {
      task.register_task(futures_model::make_task(notify, 0));
      task.register_task(futures_model::make_task(notify, 1));
      saw_flag = flag.load(std::memory_order_acquire);
    } else {
      flag.store(true, std::memory_order_release);
      task.notify();
    }
  }

  void after() {
    RL_ASSERT(saw_flag || notify->notified(1) >= 1);
    check_slot_then_drain(task, *notify, 1);
  }
};

// A consumer polled twice (register, check, consume, register again, check) against a
// producer that fires twice: every event is either seen or followed by a notification.
struct TwoRounds : rl::test_suite<TwoRounds, 2> {
  std::shared_ptr<RecordingNotify> notify = std::make_shared<RecordingNotify>();
  AtomicTask task;
  futures::detail::Atomic<int> events{0};
  int seen = 0;
  int notified_before_last_register = 0;

  void thread(unsigned index) {
    if (index == 0) {
      for (int round = 0; round < 2; ++round) {
        notified_before_last_register = notify->notified(0);
        task.register_task(futures_model::make_task(notify, 0));
        seen = events.load(std::memory_order_acquire);
      }
    } else {
      for (int i = 0; i < 2; ++i) {
        events.fetch_add(1, std::memory_order_release);
        task.notify();
      }
    }
  }

  void after() {
    // An event the consumer's last check missed is notified after its last register.
    RL_ASSERT(seen == 2 || notify->notified(0) > notified_before_last_register);
    check_slot_then_drain(task, *notify, 0);
  }
};

// Broken usage, to show the model catches lost wakeups: checking the flag BEFORE
// registering loses the event set in between.
struct CheckBeforeRegister
    : rl::test_suite<CheckBeforeRegister, 2, rl::test_result_user_assert_failed> {
  std::shared_ptr<RecordingNotify> notify = std::make_shared<RecordingNotify>();
  AtomicTask task;
  futures::detail::Atomic<bool> flag{false};
  bool saw_flag = false;

  void thread(unsigned index) {
    if (index == 0) {
      saw_flag = flag.load(std::memory_order_acquire);
      task.register_task(futures_model::make_task(notify, 0));
    } else {
      flag.store(true, std::memory_order_release);
      task.notify();
    }
  }

  void after() {
    RL_ASSERT(saw_flag || notify->notified(0) >= 1);
    check_slot_then_drain(task, *notify, 0);
  }
};

}  // namespace

int main(int argc, char** argv) {
  using namespace futures_model;
  return run_models(
      argc, argv,
      {
          {"RegisterVsNotify", [] { return check<RegisterVsNotify>(full_search()); }},
          {"TwoNotifiers", [] { return check<TwoNotifiers>(context_bound(2)); }},
          {"ReRegister", [] { return check<ReRegister>(full_search()); }},
          {"TwoRounds", [] { return check<TwoRounds>(full_search()); }},
          {"CheckBeforeRegister", [] { return check_catches<CheckBeforeRegister>(full_search()); }},
      });
}
