// Test support: a leaf future completed by hand (Manual) through its far end (Slot).
// It registers the current task on NotReady and can hold a Counted, so tests see when
// the combinator around it notifies, polls, and destroys it.
#pragma once

#include <futures/future_ext.hpp>
#include <futures/task.hpp>

#include <memory>
#include <optional>
#include <utility>

#include "support/counted.hpp"

namespace futures_test {

/// The far end of a Manual future: completes it and notifies the task that polled it.
template <class T, class E>
struct Slot {
  std::optional<futures::Result<T, E>> value;
  std::optional<futures::task::Task> task;
  int polls = 0;

  void complete(futures::Result<T, E> r) {
    value.emplace(std::move(r));
    if (task) task->notify();
  }
};

/// A leaf future completed by hand through its Slot; registers the current task on
/// NotReady. Built with a LifetimeCounts it holds a Counted, so tests see when it is
/// destroyed. Polling it again after it completed is a contract violation.
template <class T, class E>
class Manual : public futures::FutureExt<Manual<T, E>> {
 public:
  using Item = T;
  using Error = E;

  Manual(std::shared_ptr<Slot<T, E>> slot, LifetimeCounts& counts)
      : slot_(std::move(slot)), counted_(std::in_place, counts) {}
  explicit Manual(std::shared_ptr<Slot<T, E>> slot) : slot_(std::move(slot)) {}

  futures::Poll<T, E> poll() {
    if (done_) futures::contract_violation("Manual polled after it completed");
    ++slot_->polls;
    if (!slot_->value) {
      slot_->task.emplace(futures::task::current());
      return futures::NotReady;
    }
    done_ = true;
    futures::Result<T, E> r = std::move(*slot_->value);
    slot_->value.reset();
    if (r.is_ok()) return futures::Ready(std::move(r).unwrap());
    return futures::Err(std::move(r).unwrap_err());
  }

 private:
  std::shared_ptr<Slot<T, E>> slot_;
  std::optional<Counted> counted_;
  bool done_ = false;
};

template <class T, class E>
std::shared_ptr<Slot<T, E>> make_slot() {
  return std::make_shared<Slot<T, E>>();
}

}  // namespace futures_test
