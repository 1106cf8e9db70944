// An intrusive FIFO of task nodes through TaskNode::next_ (private to lib/): no allocation
// per push. Not synchronized: the thread pool's injector keeps one under its lock; a lone
// worker's backlog and current_thread's local run queue are each touched by one thread.
#pragma once

#include <tokio/executor/task.hpp>

#include <atomic>

namespace tokio::executor::detail {

class TaskFifo {
 public:
  using TaskNode = executor::TaskNode;

  bool empty() const noexcept { return head_ == nullptr; }
  /// The newest node, or nullptr when empty.
  TaskNode* back() const noexcept { return tail_; }

  void push_back(TaskNode* node) noexcept {
    node->next_.store(nullptr, std::memory_order_relaxed);
    append(node, node);
  }

  /// Appends the chain first..last, already linked through next_ and ending in nullptr.
  void append(TaskNode* first, TaskNode* last) noexcept {
    if (tail_ == nullptr) {
      head_ = first;
    } else {
      tail_->next_.store(first, std::memory_order_relaxed);
    }
    tail_ = last;
  }

  /// The oldest node, or nullptr when empty.
  TaskNode* pop_front() noexcept {
    TaskNode* node = head_;
    if (node == nullptr) return nullptr;
    head_ = node->next_.load(std::memory_order_relaxed);
    if (head_ == nullptr) tail_ = nullptr;
    return node;
  }

  /// Forgets every node (they are owned elsewhere).
  void clear() noexcept { head_ = tail_ = nullptr; }

 private:
  TaskNode* head_ = nullptr;
  TaskNode* tail_ = nullptr;
};

}  // namespace tokio::executor::detail
