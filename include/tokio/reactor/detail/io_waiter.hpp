// tokio layer (internal): the task waiting for one direction (read or write) of a
// registered source. AtomicTask's protocol (include/futures/task.hpp), tuned for the one
// task that polls the same socket message after message:
//  - the task handle stays in the slot after a notify, and a registration by the task
//    already there only re-arms it: no current() handle to make and store each time;
//  - "armed" lives in the state word, so an event for a direction nobody waits on costs
//    one load (each readable edge of a TCP socket also reports writable).
// A notify wakes the armed task once; a later notify with no new registration wakes
// nobody. `clear` drops the handle when the slot is freed.
//
// state_ bits: kRegistering while register_ holds the slot, kNotifying while a notify or
// clear holds it, kArmed when the task in the slot asked for the next event, kClearing
// when clear() found a notify holding the slot. Both lock bits set means a notify
// arrived during a registration: the registrant notifies.
// Uses futures::detail::Atomic so the Relacy model (test/model/reactor_readiness_model.cpp)
// runs this exact code.
#pragma once

#include <futures/detail/atomic.hpp>
#include <futures/task.hpp>

#include <cstdint>
#include <optional>
#include <thread>

namespace tokio::reactor::detail {

class IoWaiter {
 public:
  IoWaiter() noexcept = default;
  IoWaiter(const IoWaiter&) = delete;
  IoWaiter& operator=(const IoWaiter&) = delete;

  /// Arms the current task for the next notify.
  void register_() {
    std::uint8_t expected = state_.load(std::memory_order_relaxed) & kArmed;
    // Acquire pairs with the release of the last notify / clear, whose slot we reuse.
    while (!state_.compare_exchange_weak(expected, expected | kRegistering, std::memory_order_acquire,
                                         std::memory_order_relaxed)) {
      if ((expected & kNotifying) != 0) {
        // A notify holds the slot and may not see this registration: wake ourselves.
        futures::task::current().notify();
        return;
      }
      // A concurrent register_ breaks the one-task contract; dropping this registration
      // is what AtomicTask (and futures 0.1) do.
      if ((expected & kRegistering) != 0) return;
      // Otherwise a notify finished in between, or the weak exchange failed spuriously.
    }
    task_.with_mut([](std::optional<futures::task::Task>* slot) {
      if (!*slot || !(*slot)->will_notify_current()) *slot = futures::task::current();
    });
    std::uint8_t locked = expected | kRegistering;
    // AcqRel: release publishes the slot and kArmed to the next notify; acquire pairs with
    // a notify's fetch_or that raced in, whose event we must not miss.
    if (!state_.compare_exchange_strong(locked, kArmed, std::memory_order_acq_rel, std::memory_order_acquire)) {
      // A notify came while we held the slot (it saw kRegistering and left): notify for it.
      task_.with([](const std::optional<futures::task::Task>* slot) { (*slot)->notify(); });
      // An RMW, not a store, for the reason AtomicTask gives (every racing notify's
      // event is acquired by the caller's check after registering).
      state_.exchange(0, std::memory_order_acq_rel);
    }
  }

  /// Wakes the armed task, if any; it stays in the slot, disarmed.
  void notify() {
    // Nobody armed and nobody registering: nothing to wake. Acquire pairs with
    // register_'s release; the readiness word's read-modify-writes order this load after
    // a registration whose take could have missed the event (see scheduled_io.hpp).
    if ((state_.load(std::memory_order_acquire) & (kArmed | kRegistering)) == 0) return;
    const std::uint8_t previous = state_.fetch_or(kNotifying, std::memory_order_acq_rel);
    if ((previous & (kRegistering | kNotifying)) != 0) return;  // the holder handles it
    // The task is notified after the slot is let go, through a handle of its own: a task
    // woken while the slot is still held would find it locked when it registers again,
    // and spin until this thread ran again.
    std::optional<futures::task::Task> task;
    if ((previous & kArmed) != 0)
      task = task_.with([](const std::optional<futures::task::Task>* slot) { return (*slot)->clone(); });
    unlock_after_notify();
    if (task) task->notify();
  }

  /// Wakes the armed task, if any, and drops the handle (the slot is being freed).
  void clear() {
    std::uint8_t current = state_.load(std::memory_order_relaxed);
    for (;;) {
      if ((current & kNotifying) != 0) {
        // A late dispatch holds the slot: it wakes the armed task, and drops the handle
        // when it lets go (no waiting here for another thread).
        if (state_.compare_exchange_weak(current, current | kClearing, std::memory_order_acq_rel,
                                         std::memory_order_relaxed))
          return;
        continue;
      }
      if ((current & kRegistering) != 0) {
        // Only a register_ racing the owner's own teardown, which the contract forbids.
        std::this_thread::yield();
        current = state_.load(std::memory_order_relaxed);
        continue;
      }
      if (state_.compare_exchange_weak(current, kNotifying, std::memory_order_acquire, std::memory_order_relaxed))
        break;
    }
    std::optional<futures::task::Task> task =
        task_.with_mut([](std::optional<futures::task::Task>* slot) { return std::exchange(*slot, std::nullopt); });
    state_.store(0, std::memory_order_release);
    if (task && (current & kArmed) != 0) task->notify();
  }

 private:
  static constexpr std::uint8_t kRegistering = 1;
  static constexpr std::uint8_t kNotifying = 2;
  static constexpr std::uint8_t kArmed = 4;
  static constexpr std::uint8_t kClearing = 8;  // clear() came while a notify held the slot

  // Lets go of the slot after a notify (disarmed), dropping the handle if a clear()
  // asked for it meanwhile. While kNotifying is held only clear() changes the word
  // (register_ backs off), so the loop ends.
  void unlock_after_notify() {
    std::optional<futures::task::Task> dropped;
    std::uint8_t current = state_.load(std::memory_order_acquire);
    for (;;) {
      if ((current & kClearing) != 0 && !dropped)
        dropped = task_.with_mut(
            [](std::optional<futures::task::Task>* slot) { return std::exchange(*slot, std::nullopt); });
      // Release pairs with register_'s and clear()'s acquire: the slot is theirs next.
      if (state_.compare_exchange_weak(current, 0, std::memory_order_acq_rel, std::memory_order_acquire)) return;
    }
  }

  futures::detail::Atomic<std::uint8_t> state_{0};
  // Guarded by whichever lock bit of state_ the owner set.
  futures::detail::UnsafeCell<std::optional<futures::task::Task>> task_;
};

}  // namespace tokio::reactor::detail
