// The thread pool's task state machine (private to lib/tokio/threadpool/). Mirrors
// tokio-threadpool 0.1 `src/task/state.rs`. Header-only over futures::detail::Atomic so
// the Relacy model (test/model/task_state_model.cpp) checks this very code.
//
//   Idle -> Scheduled      a notify; only this transition queues the node
//   Scheduled -> Running   a worker took the node from a queue, about to poll
//   Running -> Notified    a notify during the poll: nothing is queued now...
//   Running -> Idle        ...after a poll that did not finish; if the task was
//                          Notified meanwhile, it goes back to Scheduled and the worker
//                          queues it again itself. So a task is never polled twice at
//                          once, a notify during a poll is never lost, notifies coalesce.
//   Running -> Scheduled   after a poll during which the polling thread notified the
//                          task itself (a yield): it kept that notify out of the word,
//                          so this one exchange replaces Running -> Notified -> Scheduled.
//   * -> Complete          finished, threw, or destroyed by shutdown: never queued again.
#pragma once

#include <futures/detail/atomic.hpp>

#include <cstdint>

namespace tokio::threadpool::detail {

enum TaskState : std::uint32_t { kIdle = 0, kScheduled = 1, kRunning = 2, kNotified = 3, kComplete = 4 };

using StateWord = futures::detail::Atomic<std::uint32_t>;

/// A notify. True when the caller must queue the node (it was Idle); false when the
/// notify coalesced into a pending poll or the task is complete.
///
/// Every outcome but Complete writes the word (Scheduled and Notified rewrite their own
/// value): a notify that only loaded Scheduled could read it stale, after the poll had
/// begun and read the caller's event, and be lost (test/model/task_state_model.cpp).
/// As an RMW, the notify is ordered in the word against transition_to_running: either
/// before it (the poll acquires the caller's writes) or after (it sees Running).
inline bool transition_to_notified(StateWord& state) noexcept {
  std::uint32_t s = state.load(std::memory_order_relaxed);
  for (;;) {
    std::uint32_t next;
    if (s == kIdle) {
      next = kScheduled;
    } else if (s == kRunning) {
      next = kNotified;
    } else if (s == kComplete) {
      return false;
    } else {
      next = s;  // Scheduled or Notified: a poll is pending, coalesce into it
    }
    // Release pairs with the Acquire of transition_to_running / transition_to_idle: the
    // caller's writes (the event) reach the poll that follows.
    if (state.compare_exchange_weak(s, next, std::memory_order_acq_rel,
                                    std::memory_order_relaxed)) {
      return s == kIdle;
    }
  }
}

/// A worker took a Scheduled node off a queue and is about to poll it. An exchange, not
/// a store: it orders this worker's later reads (the poll) after the notifier's writes
/// even on x86, where a plain store may pass later loads.
inline void transition_to_running(StateWord& state) noexcept {
  state.exchange(kRunning, std::memory_order_acq_rel);
}

/// After a poll that did not finish. True: the task is Idle (some later notify queues
/// it). False: it was notified during the poll and is Scheduled again; the caller must
/// queue it.
inline bool transition_to_idle(StateWord& state) noexcept {
  std::uint32_t expected = kRunning;
  if (state.compare_exchange_strong(expected, kIdle, std::memory_order_acq_rel, std::memory_order_acquire)) return true;
  // Only a notify changes Running, and only to Notified. An exchange, not a store: it
  // reads the latest notify (acquiring its writes for the next poll) and keeps the
  // notifies' release sequence unbroken.
  state.exchange(kScheduled, std::memory_order_acq_rel);
  return false;
}

/// After a poll that did not finish, during which the polling thread notified the task
/// itself (recorded outside the word): Running or Notified -> Scheduled, and the caller
/// queues it. An exchange for the same reasons as transition_to_idle's.
inline void transition_to_rescheduled(StateWord& state) noexcept {
  state.exchange(kScheduled, std::memory_order_acq_rel);
}

// A node no Task handle names (TaskNode::is_unique(), whose acquire has seen what every
// dropped handle did) has no notifier: only the polling thread touches its word, so the
// two transitions below are plain stores, one atomic read-modify-write less each.

/// transition_to_running for a node no Task handle names.
inline void transition_to_running_unshared(StateWord& state) noexcept {
  state.store(kRunning, std::memory_order_relaxed);
}

/// After a poll that did not finish and left no Task handle. True: the task was notified
/// during the poll (by a handle since dropped, which left Notified, or by the polling
/// thread itself, `self_notified`) and is Scheduled again; the caller must queue it.
/// False: it is Idle.
inline bool transition_after_poll_unshared(StateWord& state, bool self_notified) noexcept {
  const bool notified = self_notified || state.load(std::memory_order_relaxed) != kRunning;
  state.store(notified ? kScheduled : kIdle, std::memory_order_relaxed);
  return notified;
}

/// The task finished (or is being destroyed): later notifies do nothing.
inline void transition_to_complete(StateWord& state) noexcept { state.store(kComplete, std::memory_order_release); }

}  // namespace tokio::threadpool::detail
