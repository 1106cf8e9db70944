// AtomicTask (include/futures/task.hpp): the futures 0.1 three-state protocol.
//
// state_ is a tiny lock over task_. register_task takes it by moving WAITING ->
// REGISTERING; notify takes it by setting the NOTIFYING bit when it was WAITING. A
// notify that finds REGISTERING set leaves the NOTIFYING bit behind; the registering
// thread sees it when it tries to release (REGISTERING -> WAITING fails) and notifies
// the task itself. So a notify is never lost, and neither side ever waits.
#include <futures/task.hpp>

#include <optional>
#include <utility>

namespace futures::task {

AtomicTask::~AtomicTask() = default;

std::optional<Task> AtomicTask::take_task() {
  return task_.with_mut(
      [](std::optional<Task>* slot) { return std::exchange(*slot, std::nullopt); });
}

void AtomicTask::register_() {
  register_task(current());
}

void AtomicTask::register_task(Task task) {
  std::uint8_t expected = kWaiting;
  // Acquire pairs with the release in notify()'s unlock, so the slot we overwrite was
  // completely written (and taken) by the last notifier.
  if (state_.compare_exchange_strong(expected, kRegistering, std::memory_order_acquire,
                                     std::memory_order_acquire)) {
    task_.with_mut([&](std::optional<Task>* slot) { *slot = std::move(task); });
    expected = kRegistering;
    // AcqRel: release publishes task_ to the next notifier; acquire pairs with a
    // notifier's fetch_or that raced in, whose event we must not miss.
    if (!state_.compare_exchange_strong(expected, kWaiting, std::memory_order_acq_rel,
                                        std::memory_order_acquire)) {
      // A notify arrived while we held the slot (state is REGISTERING|NOTIFYING): it
      // could not take the task, so we notify on its behalf.
      std::optional<Task> pending = take_task();
      // An RMW, not a store: AcqRel reads the NOTIFYING bit of every notify that raced
      // in (the last one may have come after our failed CAS) and acquires its event, so
      // the caller's check after register sees it. A plain store would break that
      // release sequence and lose the wakeup (found by test/model/atomic_task_model).
      state_.exchange(kWaiting, std::memory_order_acq_rel);
      if (pending) pending->notify();
    }
    return;
  }
  if (expected == kNotifying) {
    // A notify is in progress and will not see this task: notify it directly.
    task.notify();
  }
  // expected has kRegistering: a concurrent register, which the contract forbids
  // (one consumer). Dropping this registration is what futures 0.1 does too.
}

void AtomicTask::notify() {
  // AcqRel: acquire pairs with register_task's release so we read the task it stored.
  if (state_.fetch_or(kNotifying, std::memory_order_acq_rel) == kWaiting) {
    std::optional<Task> task = take_task();
    // Release pairs with register_task's acquire CAS: the slot is empty before the
    // next registration writes it.
    state_.fetch_and(static_cast<std::uint8_t>(~kNotifying), std::memory_order_release);
    if (task) task->notify();
  }
}

}  // namespace futures::task
