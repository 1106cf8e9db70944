// The current_thread scheduler (include/tokio/executor/current_thread.hpp). Mirrors
// tokio-current-thread 0.1 `src/scheduler.rs`; the design is in docs/runtime.md.
//
// Every spawned future lives in one task node (tokio/executor/task.hpp). The executor
// thread keeps its live nodes that have been polled in an intrusive doubly linked list
// (`all_`; a task is listed after its first poll returns NotReady, so one that finishes
// in its first poll never touches the list), and nodes that want polling in one of two
// FIFO run queues:
//   local   a plain intrusive list, executor thread only: spawns, and notifies made on
//           the executor thread while it runs (the common case) cost no atomic RMW
//           beyond the state_ exchange, and no unpark. A task that notifies itself
//           during its own poll (a yield) skips even that: tick queues it after the poll.
//   ready_  an intrusive MPSC queue for notifies from other threads (and from this
//           thread while the executor is not running); each tick moves it into local.
// A node is in at most one of them (see state_), so both link through next_.
// Node words used here:
//   state_  0 while the node may be queued by a notify; 1 while it is in a run queue
//           or must never enter one again (released); 2 while it is queued and has
//           never been polled. Exchanging 0->1 wins the right to push, so a node is
//           queued at most once at a time.
// References: the scheduler holds ONE reference per live node, standing for "in the
// list and/or in a run queue"; each futures::task::Task handle naming the node holds one
// more (Notify::clone_id/drop_id). A released node (future destroyed) that is still
// queued keeps the scheduler's reference until the queue hands it out.
// Lifetime of Shared: Task handles hold no shared_ptr to it (ids_keep_alive: saves two
// atomic RMWs per task::current()). Instead OwnerCount (owner_count.hpp) counts the
// owners: the shared_ptr group (Scheduler, Handles) as one, each Task handle naming the
// root (id 0), and each node the scheduler let go of while Task handles still named it
// (an orphan). ~Scheduler waits until no node is queued or being queued, so after it
// nothing pushes into Shared's queues any more.
//
// Task handles are (NotifyHandle to Shared, id = node address); id 0 names the block_on
// future: it sets `root_notified_` (block_on polls its future only when that is set).
#include <tokio/executor/current_thread.hpp>

#include "owner_count.hpp"
#include "task_fifo.hpp"
#include "task_queue.hpp"

#include <futures/contract.hpp>

#include <cstdint>
#include <thread>
#include <utility>

namespace tokio::executor::current_thread::detail {

using executor::detail::TaskFifo;
using executor::detail::TaskQueue;

namespace {
// The Shared whose scheduler runs on this thread right now (RunnerGuard).
thread_local Shared* t_runner = nullptr;
// Polls per budgeted tick before block_on / run look at their own future and the Park
// again: Tokio 1.x's event_interval for its current_thread scheduler.
constexpr int kTickBudget = 61;
// state_ of a queued node that has never been polled (see the file comment).
constexpr std::uint32_t kQueuedNew = 2;

}  // namespace

class Shared final : public futures::executor::Notify, public executor::detail::OwnerCount<Shared> {
 public:
  explicit Shared(park::BoxUnpark unpark) : unpark_(std::move(unpark)) { set_ids_keep_alive(); }

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
    // On the thread running this scheduler the run loop looks at its queues and the
    // root flag before it parks: no unpark needed.
    const bool on_runner = t_runner == this;
    if (id == 0) {
      root_notified_.store(true, std::memory_order_release);
      if (!on_runner) unpark_.unpark();
      return;
    }
    auto* node = reinterpret_cast<TaskNode*>(id);
    // A task notifying itself during its own poll (a yield): tick queues it after the
    // poll, with no atomic RMW here.
    if (on_runner && node == polling_) {
      polling_notified_ = true;
      return;
    }
    // AcqRel: the winner of 0->1 owns the push; acquire orders it after the executor's
    // reset to 0 (made before the poll that registered this task).
    if (node->state_.exchange(1, std::memory_order_acq_rel) != 0) return;
    if (on_runner) {
      local_.push_back(node);
      return;
    }
    ready_.push(node);
    unpark_.unpark();
  }
  std::size_t clone_id(std::size_t id) override {
    if (id != 0) {
      reinterpret_cast<TaskNode*>(id)->add_ref();
    } else {
      add_keep();  // made from a live owner
    }
    return id;
  }
  void drop_id(std::size_t id) override {
    if (id != 0) {
      reinterpret_cast<TaskNode*>(id)->release_ref();
    } else {
      drop_keep();
    }
  }

  // OwnerCount::let_go drops the scheduler's reference to a node in no run queue and
  // not listed (executor thread).
  using OwnerCount::let_go;

  // ----- thread-safe part -----
  park::BoxUnpark unpark_;
  futures::detail::Atomic<bool> root_notified_{false};
  TaskQueue ready_;
  TaskQueue remote_;  // futures spawned through Handles, each holding its counts
  // Futures spawned through Handles and not yet taken in, times two; the low bit is set
  // once the scheduler is destroyed (Handles then refuse to spawn).
  futures::detail::Atomic<std::size_t> num_futures_{0};

  // ----- executor thread only -----
  std::size_t local_futures_ = 0;  // live futures taken in by the scheduler
  // Released nodes still in (or being pushed into) a run queue: ~Scheduler waits for them.
  std::size_t released_queued_ = 0;
  TaskNode* head_all_ = nullptr;
  TaskNode* tail_all_ = nullptr;
  // The local run queue. Relaxed throughout: only the executor thread touches it (a
  // node popped from ready_ is no longer written by pushers: its next_ was set before
  // the pop).
  TaskFifo local_;
  TaskNode* polling_ = nullptr;     // the node tick is polling
  bool polling_notified_ = false;   // ... and it notified itself meanwhile

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

  // A pending node that notified itself during the poll that just ended goes to the back
  // of the local queue, unless another thread's notify queued it meanwhile (state_ 1).
  // When no other Task handle is left, none can notify any more: a plain store does. The
  // state_ load must follow is_unique's acquire: a thread that notified (0 -> 1, then a
  // push into ready_) and then dropped its handle has made that exchange visible.
  void requeue_polled(TaskNode* node) noexcept {
    if (node->is_unique()) {
      if (node->state_.load(std::memory_order_relaxed) != 0) return;
      node->state_.store(1, std::memory_order_relaxed);
    } else if (node->state_.exchange(1, std::memory_order_acq_rel) != 0) {
      return;  // already queued by another thread's notify
    }
    local_.push_back(node);
  }

  // Not listed yet: tick lists it once its first poll leaves it pending.
  void enqueue_new(TaskNode* node) noexcept {
    ++local_futures_;
    node->state_.store(kQueuedNew, std::memory_order_relaxed);  // nobody else sees it yet
    local_.push_back(node);
  }

  // Destroys a node's future and gives up the scheduler's reference, unless the node is
  // in a run queue, which then keeps it until tick() or ~Scheduler / ~Shared pops it.
  void release_node(TaskNode* node) noexcept {
    // AcqRel: setting 1 for good stops every later notify from queueing the node.
    const bool queued = node->state_.exchange(1, std::memory_order_acq_rel) != 0;
    node->drop_future();
    if (queued) {
      ++released_queued_;
    } else {
      let_go(node);
    }
  }

  // A finished (or throwing) task leaves the scheduler (`listed`: in the all list, i.e.
  // not in its first poll). Called on a node that is not in a run queue unless a notify
  // queued it during its last poll.
  void finish(TaskNode* node, bool listed) noexcept {
    --local_futures_;
    if (listed) list_remove(node);
    // No Task handle, so no notifier: unless a notify during the last poll queued it
    // (state_ says), nothing else can reach the node.
    if (node->is_unique() && node->state_.load(std::memory_order_relaxed) == 0) {
      node->destroy_block();  // the scheduler holds a reference: no free hook is set
      return;
    }
    release_node(node);
  }
};

Scheduler::Scheduler(park::BoxUnpark unpark)
    : shared_(new Shared(std::move(unpark)), [](Shared* shared) { shared->drop_keep(); }), notify_(shared_) {}

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
    s.release_node(node);
  }
  s.local_futures_ = 0;
  // Every listed node is released now; a queued one is held by its queue with the
  // scheduler's last reference. Nodes never polled are in the local queue only, with
  // their future: destroyed here. A notifier from another thread may still be pushing a
  // node into ready_ (it won the node's state before the release): wait for it, so
  // nothing touches the queues after.
  TaskNode* node = nullptr;
  while ((node = s.local_.pop_front()) != nullptr) {
    if (node->has_future()) {
      // Never polled, hence not listed.
      node->state_.store(1, std::memory_order_relaxed);
      node->drop_future();
      s.let_go(node);
      continue;
    }
    --s.released_queued_;
    s.let_go(node);
  }
  while (s.released_queued_ > 0) {
    if (s.ready_.pop(node) == TaskQueue::Pop::Data) {
      --s.released_queued_;
      s.let_go(node);
    } else {
      std::this_thread::yield();  // a notifier is mid-push; it finishes promptly
    }
  }
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

void Scheduler::spawn_local(RawTask task) { shared_->enqueue_new(std::move(task).into_raw()); }

bool Scheduler::has_pending_futures() const noexcept {
  const Shared& s = *shared_;
  return !s.local_.empty() || s.ready_.has_pending();
}

bool Scheduler::has_pending_work() const noexcept {
  return has_pending_futures() || shared_->root_notified_.load(std::memory_order_relaxed);
}

bool Scheduler::take_root_notified() noexcept {
  auto& flag = shared_->root_notified_;
  // Acquire pairs with notify's release: the event that notified is visible to the poll.
  return flag.load(std::memory_order_relaxed) && flag.exchange(false, std::memory_order_acquire);
}

bool Scheduler::is_idle() const noexcept {
  return shared_->local_futures_ == 0 && shared_->num_futures_.load(std::memory_order_acquire) <= 1;
}

bool Scheduler::tick(TickMode mode) {
  Shared& s = *shared_;

  // Take in futures spawned from other threads (already counted by the Handle). A
  // half-done push is left for the next tick: its Handle unparks us after finishing.
  TaskNode* node = nullptr;
  while (s.remote_.pop(node) == TaskQueue::Pop::Data) {
    s.num_futures_.fetch_sub(2, std::memory_order_relaxed);
    s.enqueue_new(node);
  }
  // Notifies from other threads join the local queue behind what is already there. A
  // half-done push is left likewise (the notifier unparks us).
  while (s.ready_.pop(node) == TaskQueue::Pop::Data)
    s.local_.push_back(node);

  // Snapshot: poll up to the node that is last now; nodes queued from here on (spawned
  // or notified by the polls) wait for the next tick, so each task is polled at most
  // once. Budget: poll whatever is queued, newly queued nodes included, up to
  // kTickBudget polls; a task that keeps notifying itself goes to the back each time.
  TaskNode* const last = mode == TickMode::Snapshot ? s.local_.back() : nullptr;
  if (s.local_.empty()) return false;
  RunnerGuard runner(*this);  // spawns and notifies from polls and destructors come here
  int budget = kTickBudget;
  while ((node = s.local_.pop_front()) != nullptr) {
    const bool end = mode == TickMode::Snapshot ? node == last : --budget == 0;
    if (!node->has_future()) {
      // Released while queued: the queue held the scheduler's last reference.
      --s.released_queued_;
      s.let_go(node);
    } else {
      // Reset before polling (AcqRel, pairs with notify's exchange): a notify during
      // the poll queues the node again, so it is not lost. When no Task handle exists
      // (before the first poll, or the node is unique: a task that dropped its handles,
      // like one that yields through task::current().notify()), nobody can race: a plain
      // store does (any handle made by the poll reaches another thread only through a
      // synchronizing hand-off; is_unique acquires the last dropped handle's uses).
      const bool first_poll = node->state_.load(std::memory_order_relaxed) == kQueuedNew;
      if (first_poll || node->is_unique()) {
        node->state_.store(0, std::memory_order_relaxed);
      } else {
        node->state_.exchange(0, std::memory_order_acq_rel);
      }
      bool done;
      s.polling_ = node;
      try {
        done = node->poll_notify(notify_, reinterpret_cast<std::size_t>(node));
      } catch (...) {
        // Tokio's behaviour: the task is dropped and the exception leaves the executor.
        s.polling_ = nullptr;
        s.polling_notified_ = false;
        s.finish(node, !first_poll);
        throw;
      }
      s.polling_ = nullptr;
      const bool self_notified = std::exchange(s.polling_notified_, false);
      if (done) {
        s.finish(node, !first_poll);
      } else {
        if (first_poll) s.list_push_back(node);
        if (self_notified) s.requeue_polled(node);
      }
    }
    if (end) break;
  }
  return true;
}

RunnerGuard::RunnerGuard(const Scheduler& scheduler) noexcept : previous_(t_runner) {
  t_runner = scheduler.shared().get();
}
RunnerGuard::~RunnerGuard() { t_runner = previous_; }

bool has_current_runner() noexcept { return t_runner != nullptr; }

futures::Result<futures::Unit, SpawnError> spawn_local_current(RawTask task) {
  Shared* runner = t_runner;
  if (runner == nullptr) return futures::Err(SpawnError::shutdown());
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
  shared->unpark_.unpark();
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
