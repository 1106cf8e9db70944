// tokio layer (private): an intrusive multi-producer, single-consumer queue of task
// nodes, linked through TaskNode::next_. Dmitry Vyukov's intrusive MPSC node-based queue
// (http://www.1024cores.net/home/lock-free-algorithms/queues/intrusive-mpsc-node-based-queue),
// as tokio-current-thread's readiness queue and futures' FuturesUnordered use it.
//
// `head_` is the producers' end, `tail_` the consumer's. A push swaps the node into
// head_ and then links the previous head to it; in between the list is cut, and the
// consumer sees Inconsistent (a push is half done: retry soon, do not park). The queue
// owns no references: callers decide what a queued pointer stands for.
//
// Producers: any thread. Consumer (pop, has_pending): one thread at a time.
#pragma once

#include <tokio/executor/task.hpp>

#include <futures/detail/atomic.hpp>

#include <atomic>

namespace tokio::executor::detail {

class TaskQueue {
 public:
  enum class Pop {
    Data,          // `out` holds the popped node
    Empty,         // nothing queued
    Skip,          // the front node failed the caller's predicate; left in place
    Inconsistent,  // a push is half done
  };

  TaskQueue() noexcept : head_(&stub_), tail_(&stub_) {}
  TaskQueue(const TaskQueue&) = delete;
  TaskQueue& operator=(const TaskQueue&) = delete;

  /// Appends `node` (not currently in any queue). Any thread; wait-free.
  void push(TaskNode* node) noexcept {
    node->next_.store(nullptr, std::memory_order_relaxed);
    // AcqRel: acquire orders us after the previous pusher's store of its node's fields;
    // release publishes `node` to the next pusher, which links to it.
    TaskNode* prev = head_.exchange(node, std::memory_order_acq_rel);
    // Release pairs with the consumer's acquire loads of next_: it publishes the node
    // (and everything the pusher wrote before the push) to the popping thread.
    prev->next_.store(node, std::memory_order_release);
  }

  /// Pops the front node if `take(node)` agrees (else Skip). Consumer only.
  template <class Pred>
  Pop pop_if(TaskNode*& out, Pred&& take) noexcept {
    TaskNode* tail = tail_;
    TaskNode* next = tail->next_.load(std::memory_order_acquire);  // pairs with push's release
    if (tail == &stub_) {
      if (next == nullptr) return Pop::Empty;
      tail_ = next;
      tail = next;
      next = next->next_.load(std::memory_order_acquire);
    }
    if (!take(tail)) return Pop::Skip;
    if (next != nullptr) {
      tail_ = next;
      out = tail;
      return Pop::Data;
    }
    // `tail` is the last linked node: unless a push is half done, re-queue the stub
    // behind it so it can be unlinked.
    if (head_.load(std::memory_order_acquire) != tail) return Pop::Inconsistent;
    push(&stub_);
    next = tail->next_.load(std::memory_order_acquire);
    if (next != nullptr) {
      tail_ = next;
      out = tail;
      return Pop::Data;
    }
    return Pop::Inconsistent;
  }

  Pop pop(TaskNode*& out) noexcept {
    return pop_if(out, [](TaskNode*) { return true; });
  }

  /// True if a node is queued (or a push is under way past the stub). Consumer only.
  bool has_pending() const noexcept {
    const TaskNode* tail = tail_;
    return tail != &stub_ || tail->next_.load(std::memory_order_acquire) != nullptr;
  }

 private:
  futures::detail::Atomic<TaskNode*> head_;
  TaskNode* tail_;  // consumer only
  TaskStub stub_;
};

}  // namespace tokio::executor::detail
