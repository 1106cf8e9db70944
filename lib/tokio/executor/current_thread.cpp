// The current_thread scheduler (include/tokio/executor/current_thread.hpp). Mirrors
// tokio-current-thread 0.1 `src/scheduler.rs`; the design is in docs/runtime.md.
//
// Every spawned future lives in one task node (tokio/executor/task.hpp). The executor
// thread keeps its live nodes in an intrusive doubly linked list (`all_`), and nodes
// that want polling in an intrusive MPSC readiness queue (`ready_`) that any thread
// may push to. Node words used here:
//   state_  1 while the node is in the readiness queue or must never enter it again
//           (released); 0 while it may be queued by a notify. Exchanging 0->1 wins the
//           right to push, so a node is queued at most once at a time.
//   aux_    the tick during which the node was last queued (fairness, see tick()).
// References: the scheduler holds ONE reference per live node, standing for "in the
// list and/or in the queue"; each futures::task::Task handle naming the node holds one
// more (Notify::clone_id/drop_id). A released node (future destroyed) that is still in
// the queue keeps the scheduler's reference until the queue hands it out.
//
// Task handles are (NotifyHandle to Shared, id = node address); id 0 names no node and
// only unparks the executor (the block_on future's task, Handle spawns).
#include <tokio/executor/current_thread.hpp>

#include "task_queue.hpp"

#include <futures/contract.hpp>

#include <cstdint>
#include <thread>

namespace tokio::executor::current_thread::detail {

using executor::detail::TaskQueue;

class Shared final : public futures::executor::Notify {
 public:
  explicit Shared(park::BoxUnpark unpark) : unpark_(std::move(unpark)) {}

  // Runs when the last Task handle / Handle / Scheduler lets go, so no notifier is
  // mid-push any more: frees what the queues still hold.
  ~Shared() override {
    TaskNode* node = nullptr;
    // Nodes in the readiness queue were released by ~Scheduler; the queue holds the
    // scheduler's last reference to each.
    while (ready_.pop(node) == TaskQueue::Pop::Data) node->release_ref();
    // Futures spawned through a Handle after ~Scheduler drained its queue.
    while (remote_.pop(node) == TaskQueue::Pop::Data) RawTask::from_raw(node).reset();
  }

  void notify(std::size_t id) override {
    if (id == 0) {
      unpark_.unpark();
      return;
    }
    auto* node = reinterpret_cast<TaskNode*>(id);
    // AcqRel: the winner of 0->1 owns the push; acquire orders it after the executor's
    // reset to 0 (made before the poll that registered this task).
    if (node->state_.exchange(1, std::memory_order_acq_rel) == 0) {
      node->aux_.store(tick_num_.load(std::memory_order_relaxed), std::memory_order_relaxed);
      ready_.push(node);  // publishes aux_ with the push's release
      unpark_.unpark();
    }
  }
  std::size_t clone_id(std::size_t id) override {
    if (id != 0) reinterpret_cast<TaskNode*>(id)->add_ref();
    return id;
  }
  void drop_id(std::size_t id) override {
    if (id != 0) reinterpret_cast<TaskNode*>(id)->release_ref();
  }

  // ----- thread-safe part -----
  park::BoxUnpark unpark_;
  futures::detail::Atomic<std::size_t> tick_num_{0};
  TaskQueue ready_;
  TaskQueue remote_;  // futures spawned through Handles, each holding its counts
  // Live futures times two (spawned, incl. Handle spawns not yet taken in); the low bit
  // is set once the scheduler is destroyed (Handles then refuse to spawn).
  futures::detail::Atomic<std::size_t> num_futures_{0};

  // ----- executor thread only -----
  TaskNode* head_all_ = nullptr;
  TaskNode* tail_all_ = nullptr;

  void list_push_back(TaskNode* node) noexcept {
    node->prev_all_ = tail_all_;
    node->next_all_ = nullptr;
    if (tail_all_ != nullptr) {
      tail_all_->next_all_ = node;
    } else {
      head_all_ = node;
    }
    tail_all_ = node;
  }
  void list_remove(TaskNode* node) noexcept {
    if (node->next_all_ != nullptr) {
      node->next_all_->prev_all_ = node->prev_all_;
    } else {
      tail_all_ = node->prev_all_;
    }
    if (node->prev_all_ != nullptr) {
      node->prev_all_->next_all_ = node->next_all_;
    } else {
      head_all_ = node->next_all_;
    }
    node->prev_all_ = node->next_all_ = nullptr;
  }

  void enqueue_new(TaskNode* node) noexcept {
    node->state_.store(1, std::memory_order_relaxed);  // queued; nobody else sees it yet
    node->aux_.store(tick_num_.load(std::memory_order_relaxed), std::memory_order_relaxed);
    list_push_back(node);
    ready_.push(node);
  }

  // Destroys a node's future and gives up the scheduler's reference, unless the node is
  // in the readiness queue, which then keeps it until tick() or ~Shared pops it.
  static void release_node(TaskNode* node) noexcept {
    // AcqRel: setting 1 for good stops every later notify from queueing the node.
    const bool queued = node->state_.exchange(1, std::memory_order_acq_rel) != 0;
    node->drop_future();
    if (!queued) node->release_ref();
  }
};

namespace {
thread_local Shared* t_runner = nullptr;
}  // namespace

Scheduler::Scheduler(park::BoxUnpark unpark)
    : shared_(std::make_shared<Shared>(std::move(unpark))), notify_(shared_) {}

Scheduler::Scheduler(Scheduler&& other) noexcept
    : shared_(std::move(other.shared_)), notify_(other.notify_) {}

Scheduler::~Scheduler() {
  if (!shared_) return;  // moved from
  Shared& s = *shared_;
  // AcqRel: Handles that add 2 after this see the bit and back out; those before it
  // have pushed (or will push) into remote_, drained here or by ~Shared.
  s.num_futures_.fetch_add(1, std::memory_order_acq_rel);
  while (TaskNode* node = s.head_all_) {
    s.list_remove(node);
    Shared::release_node(node);
  }
  TaskNode* node = nullptr;
  for (;;) {
    const TaskQueue::Pop popped = s.remote_.pop(node);
    if (popped == TaskQueue::Pop::Data) {
      RawTask::from_raw(node).reset();
    } else if (popped == TaskQueue::Pop::Empty) {
      break;
    } else {
      std::this_thread::yield();  // a Handle is mid-push; it finishes promptly
    }
  }
}

void Scheduler::spawn_local(RawTask task) {
  shared_->num_futures_.fetch_add(2, std::memory_order_relaxed);  // only the executor thread
  shared_->enqueue_new(std::move(task).into_raw());
}

bool Scheduler::has_pending_futures() const noexcept { return shared_->ready_.has_pending(); }

bool Scheduler::is_idle() const noexcept { return shared_->num_futures_.load(std::memory_order_acquire) <= 1; }

bool Scheduler::tick() {
  Shared& s = *shared_;

  // Take in futures spawned from other threads (already counted by the Handle). A
  // half-done push is left for the next tick: its Handle unparks us after finishing.
  TaskNode* node = nullptr;
  while (s.remote_.pop(node) == TaskQueue::Pop::Data) s.enqueue_new(node);

  // Fairness: a node queued during this tick (aux_ == tick: spawned or notified by a
  // task polled now, or by another thread meanwhile) waits for the next tick, so each
  // tick polls each task at most once.
  const std::size_t tick = s.tick_num_.fetch_add(1, std::memory_order_relaxed) + 1;
  RunnerGuard runner(*this);  // spawns from polls and destructors go to this scheduler
  bool polled = false;
  for (;;) {
    const TaskQueue::Pop popped = s.ready_.pop_if(
        node, [tick](TaskNode* n) { return n->aux_.load(std::memory_order_relaxed) != tick; });
    if (popped == TaskQueue::Pop::Empty) return polled;
    if (popped == TaskQueue::Pop::Skip) {
      s.unpark_.unpark();  // work is left: the next park must not sleep
      return polled;
    }
    if (popped == TaskQueue::Pop::Inconsistent) {
      std::this_thread::yield();  // a notifier is mid-push
      continue;
    }
    polled = true;

    if (!node->has_future()) {
      // Released while queued: the queue held the scheduler's last reference.
      node->release_ref();
      continue;
    }

    s.list_remove(node);
    // Reset before polling (AcqRel, pairs with notify's exchange): a notify during the
    // poll queues the node again, so it is not lost.
    node->state_.exchange(0, std::memory_order_acq_rel);
    bool done;
    try {
      done = node->poll_notify(notify_, reinterpret_cast<std::size_t>(node));
    } catch (...) {
      // Tokio's behaviour: the task is dropped and the exception leaves the executor.
      s.num_futures_.fetch_sub(2, std::memory_order_relaxed);
      Shared::release_node(node);
      throw;
    }
    if (done) {
      s.num_futures_.fetch_sub(2, std::memory_order_relaxed);
      Shared::release_node(node);
    } else {
      s.list_push_back(node);
    }
  }
}

RunnerGuard::RunnerGuard(const Scheduler& scheduler) noexcept : previous_(t_runner) {
  t_runner = scheduler.shared().get();
}
RunnerGuard::~RunnerGuard() { t_runner = previous_; }

bool has_current_runner() noexcept { return t_runner != nullptr; }

futures::Result<futures::Unit, SpawnError> spawn_local_current(RawTask task) {
  Shared* runner = t_runner;
  if (runner == nullptr) return futures::Err(SpawnError::shutdown());
  runner->num_futures_.fetch_add(2, std::memory_order_relaxed);
  runner->enqueue_new(std::move(task).into_raw());
  return futures::Ok();
}

futures::Result<futures::Unit, SpawnError> handle_spawn(const std::shared_ptr<Shared>& shared,
                                                         std::thread::id thread,
                                                         futures::detail::Atomic<bool>& shut_down,
                                                         RawTask task) {
  if (std::this_thread::get_id() == thread && t_runner == shared.get()) {
    return spawn_local_current(std::move(task));
  }
  if (shut_down.load(std::memory_order_relaxed)) return futures::Err(SpawnError::shutdown());
  // AcqRel pairs with ~Scheduler's fetch_add(1): either we see the shutdown bit, or our
  // push is ordered before its drain (or ~Shared's) of remote_.
  const std::size_t pending = shared->num_futures_.fetch_add(2, std::memory_order_acq_rel);
  if (pending % 2 == 1) {
    shared->num_futures_.fetch_sub(2, std::memory_order_relaxed);
    shut_down.store(true, std::memory_order_relaxed);
    return futures::Err(SpawnError::shutdown());
  }
  shared->remote_.push(std::move(task).into_raw());
  shared->notify(0);  // unpark the executor
  return futures::Ok();
}

bool handle_is_shut_down(const Shared& shared) noexcept {
  return shared.num_futures_.load(std::memory_order_acquire) % 2 == 1;
}

void throw_nested_enter() {
  throw futures::Panic(
      "failed to start `current_thread::Runtime`: attempted to run an executor while another "
      "executor is already running (block_on / run / turn called from inside a task or "
      "another runtime; spawn the future instead)");
}

void throw_outside_executor() {
  throw futures::Panic(
      "current_thread::spawn called outside a current_thread executor: call it from a future "
      "run by CurrentThread::block_on / run / turn or current_thread::block_on_all");
}

}  // namespace tokio::executor::current_thread::detail
