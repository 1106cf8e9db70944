// tokio layer (private): the lifetime of an executor whose Task handles take no share of
// it (Notify::ids_keep_alive: two atomic RMWs fewer per task::current()). Used by the
// thread pool's Inner and current_thread's Shared.
//
// The executor counts its owners itself: its shared_ptr group as one (the deleter calls
// drop_keep), plus whatever else the executor counts (add_keep), plus each node it let
// go of while Task handles still named it. Such an orphan carries the executor's address
// in its free `next_all_` link, and its last release (the free hook) frees the block and
// then drops the count, so a late notify through a handle never finds the executor gone.
#pragma once

#include <tokio/executor/task.hpp>

#include <futures/detail/atomic.hpp>

#include <cstddef>

namespace tokio::executor::detail {

template <class Owner>
class OwnerCount {
 public:
  /// One more owner (the caller is one already, so the executor is alive).
  void add_keep() noexcept { keep_.fetch_add(1, std::memory_order_relaxed); }
  /// One owner fewer; the last one deletes the executor.
  void drop_keep() noexcept {
    // AcqRel: the last owner's acquire sees every other owner's uses before it frees.
    if (keep_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete static_cast<Owner*>(this);
  }

 protected:
  OwnerCount() = default;
  ~OwnerCount() = default;

  /// Drops the executor's reference to a node it holds no other way (in no queue, in no
  /// list, never polled again; its `next_all_` is free). A unique node is freed at once:
  /// no Task handle names it and none can be made.
  void let_go(TaskNode* node) noexcept {
    if (node->is_unique()) {
      node->destroy_block();  // the executor's reference: no free hook is set
      return;
    }
    // Written before release_ref's release, read by whichever release comes last.
    add_keep();
    node->next_all_ = reinterpret_cast<TaskNode*>(static_cast<Owner*>(this));
    node->set_free_hook(&OwnerCount::free_orphan);
    node->release_ref();
  }

 private:
  static void free_orphan(TaskNode* node) noexcept {
    auto* owner = reinterpret_cast<Owner*>(node->next_all_);
    node->destroy_block();
    owner->drop_keep();
  }

  futures::detail::Atomic<std::size_t> keep_{1};
};

}  // namespace tokio::executor::detail
