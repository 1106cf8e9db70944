// The thread pool's shared state and scheduler (private to lib/tokio/threadpool/). The
// design is in docs/runtime.md, "Thread pool"; in short:
//
//  - A *slot* (Rust 0.1's worker entry) is a bounded lock-free LocalQueue, a LIFO slot
//    and a Park (in a pool of one slot, also the backlog its full queue overflows into).
//    Exactly one thread owns a slot at a time; blocking() hands the slot, backlog and
//    all, to another thread so the pool keeps pool_size slots running.
//  - Task nodes (include/tokio/executor/task.hpp) go through task_state.hpp's state
//    machine in `state_`; only Idle -> Scheduled queues a node, so a node is in at most
//    one queue. Queues hold plain pointers; the registry holds the spawn's reference.
//  - `aux_` = (registry shard << kAuxShift) | flag bits of blocking().
//  - The registry of live tasks is sharded: one shard per slot (spawns by that slot's
//    owner) plus kOutsideShards for the rest, each a mutex and an intrusive list through
//    prev_all_/next_all_ with a count.
//  - Idle slots park after searching (idle.hpp); work wakes at most one.
//  - Lifetime: Task handles hold no shared_ptr to Inner (Notify::ids_keep_alive).
//    OwnerCount (lib/tokio/executor/owner_count.hpp) counts Inner's owners instead: the
//    shared_ptr group as one (its deleter is drop_keep), plus each node the registry let
//    go of while references to it remained (an orphan). Nodes still registered keep Inner
//    alive through the threads: the last thread terminates the pool, which lets every
//    registered node go, before it drops its shared_ptr.
#pragma once

#include "idle.hpp"
#include "injector.hpp"
#include "local_queue.hpp"
#include "spin_lock.hpp"
#include "task_state.hpp"
#include "tokio/executor/owner_count.hpp"
#include "tokio/executor/task_fifo.hpp"

#include <tokio/executor/error.hpp>
#include <tokio/executor/park.hpp>
#include <tokio/executor/task.hpp>
#include <tokio/threadpool/builder.hpp>
#include <tokio/threadpool/park.hpp>

#include <futures/result.hpp>
#include <futures/task.hpp>
#include <futures/unit.hpp>

#include <pthread.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace tokio::threadpool::detail {

using executor::RawTask;
using executor::SpawnError;
using executor::TaskNode;

enum Lifecycle : int { kRunningPool = 0, kShutdownOnIdle = 1, kShutdown = 2, kShutdownNow = 3 };

inline constexpr std::size_t kNoSlot = ~std::size_t{0};
// Rounds an idle worker of a `slots`-worker pool searches before it parks.
int search_rounds_for(std::size_t slots, bool custom_park);
inline constexpr std::size_t kOutsideShards = 4;
// aux_ bits: blocking capacity reserved for the task / the task waits for capacity.
inline constexpr std::size_t kAuxAllocated = 1;
inline constexpr std::size_t kAuxQueued = 2;
inline constexpr unsigned kAuxShift = 2;

struct alignas(64) Slot {
  LocalQueue<TaskNode> queue;
  // The task most recently scheduled by the owner: polled next. Owner exchanges it;
  // a worker about to park may take it (exchange) so a stuck owner cannot strand it.
  std::atomic<TaskNode*> lifo{nullptr};
  // Polls started by the owner (written by the owner only). A searcher takes the LIFO
  // slot only if this did not move during its whole search: the owner is stuck in one
  // poll. An owner that is busy will run its LIFO task within a poll or two, and taking
  // it would bounce the task (and its cache lines) between CPUs on every spawn.
  std::atomic<std::uint32_t> polls{0};
  // Tasks scheduled while the queue was full, on their way to the injector (owner only;
  // flushed in one lock when full, after a park and before the owner picks a task).
  static constexpr std::size_t kSpillBatch = 32;
  TaskNode* spill[kSpillBatch] = {};
  std::size_t spilled = 0;
  bool overflowing = false;  // the queue overflowed and the injector has not drained since
  // A lone worker's overflow (pools of one slot only; owner only): tasks scheduled while
  // the queue was full. Nobody can steal from a lone worker, so a reactor turn that wakes
  // more tasks than the queue holds keeps them all here, as Tokio's current_thread queue
  // does, instead of round-tripping them through the injector's lock.
  TaskFifo backlog;
  // Destroyed when the pool terminates (Rust drops the parks at shutdown, although Task
  // handles may keep the pool's state alive longer).
  std::optional<executor::park::BoxPark> park;
  std::optional<executor::park::BoxUnpark> unpark;
  Slot() : park(std::in_place, threadpool::park::DefaultPark()), unpark(park->unpark()) {}
};

// A node finishing on a thread other than its shard's slot owner is not unlinked there
// (that would contend on the shard's lock and touch its neighbours' cache lines): it is
// pushed on `dead` (a lock-free stack through next_, free once a node is Complete), and
// whoever next holds the lock (the owner's next spawn or periodic check, a count, the
// shutdown) unlinks it and drops the registry's reference, so the block is usually
// freed on the thread that allocated it.
struct alignas(64) RegistryShard {
  // Taken by the shard's owner twice per task (insert, remove); others rarely.
  SpinLock mu;
  TaskNode* head = nullptr;  // under mu
  std::size_t count = 0;     // under mu: registered, including those on `dead`
  bool closed = false;       // under mu: the pool is finished; spawns are refused
  alignas(64) std::atomic<TaskNode*> dead{nullptr};
};

/// What a pool thread knows about itself (thread-local).
struct ThreadContext {
  class Inner* pool = nullptr;
  std::size_t slot = kNoSlot;   // owned slot, kNoSlot when spare / blocking
  TaskNode* current = nullptr;  // node being polled
  // `current` notified itself during its poll (a yield): kept out of its state word,
  // which poll_task then moves Running -> Scheduled in one exchange.
  bool current_notified = false;
  const futures::executor::NotifyHandle* notify = nullptr;
  bool blocking = false;   // claimed blocking capacity during the current poll
  bool searching = false;  // counted as searching in Idle
  // Inside this worker's own Park (its reactor dispatching events): tasks it notifies
  // wake no other worker, since this one runs them as soon as the park returns (Tokio
  // 1.x's rule). Waking the other CPU costs ~60 µs here; it would be paid per message.
  bool in_park = false;
  std::uint32_t tick = 0;
  std::uint32_t rng = 1;
  std::size_t outside_shard = 0;  // round robin over the outside shards
  // Each slot's `polls` when this search began (slots past the first kPollsSeen: not
  // recorded, their LIFO slot may always be taken). A plain array: t_context stays
  // trivially destructible, so reaching it needs no TLS-init guard.
  static constexpr std::size_t kPollsSeen = 64;
  std::uint32_t polls_seen[kPollsSeen] = {};
};
ThreadContext& this_thread() noexcept;

class Inner final : public futures::executor::Notify, public executor::detail::OwnerCount<Inner> {
 public:
  explicit Inner(Config config);
  ~Inner() override;

  /// A new pool, owned through OwnerCount (see the file comment).
  static std::shared_ptr<Inner> create(Config config);

  void start(const std::shared_ptr<Inner>& self);

  // Notify: Task handles name a node by its address.
  void notify(std::size_t id) override;
  std::size_t clone_id(std::size_t id) override;
  void drop_id(std::size_t id) override;

  futures::Result<futures::Unit, SpawnError> spawn(RawTask task);
  futures::Result<futures::Unit, SpawnError> status() const;
  std::size_t pending_tasks(const std::function<void(const TaskNode&)>& each) const;

  void begin_shutdown(Lifecycle mode);
  bool exited() const noexcept { return all_exited_.load(std::memory_order_acquire); }
  futures::task::AtomicTask& shutdown_task() noexcept { return shutdown_task_; }
  void join_threads();

  /// Worker::run: the thread's loop, starting with slot `slot`.
  void run_thread(std::size_t slot);
  /// blocking(): see include/tokio/threadpool/blocking.hpp.
  int enter_blocking();

 private:
  struct StartArgs;
  static void* thread_main(void* arg);
  void thread_body(const std::shared_ptr<Inner>& self, std::size_t slot);
  void start_thread(std::size_t slot);  // under threads_mu_
  void thread_exited();
  void terminate();

  // scheduling
  void schedule_remote(TaskNode* node);
  void schedule_local(TaskNode* node, bool is_yield);
  void push_local_back(Slot& slot, TaskNode* node);
  void push_local_direct(Slot& slot, TaskNode* node);
  void flush_spill(Slot& slot);
  void notify_parked();
  TaskNode* next_task(Slot& slot);
  TaskNode* take_from_injector(Slot& slot);
  TaskNode* steal_work(std::size_t index);
  void note_polls();
  TaskNode* steal_lifo(std::size_t index);
  bool work_anywhere() const;
  void park_slot(std::size_t index);
  // Parks on (or, with a zero timeout, polls) the slot's Park with in_park set.
  void poll_park(Slot& slot, std::optional<std::chrono::nanoseconds> timeout);
  // After a park: wakes one parked worker if the park queued more than one task here.
  void share_parked_work(Slot& slot);
  bool try_finish();
  void wake_all();
  bool should_exit() const noexcept {
    return finished_.load(std::memory_order_acquire) ||
           lifecycle_.load(std::memory_order_acquire) == kShutdownNow;
  }

  // running
  void run_slot(std::size_t index);
  void run_task(TaskNode* node);
  void poll_task(TaskNode* node);
  void complete(TaskNode* node);
  void report_panic(std::exception_ptr panic);

  // registry
  bool registry_insert(TaskNode* node, std::size_t shard, bool local);
  void registry_remove(TaskNode* node);
  void reap_dead_locked(RegistryShard& shard);
  void reap_own_shard();

  // blocking capacity and spare threads
  void release_blocking_capacity();
  void release_allocation_if_set(TaskNode* node);
  void hand_off_slot(std::size_t slot);
  std::size_t wait_for_slot();
  void wake_spares();

  Config config_;
  const std::size_t num_slots_;
  // Rounds an idle worker searches before it parks (see run_slot).
  int search_rounds_ = 0;
  std::unique_ptr<Slot[]> slots_;
  std::unique_ptr<RegistryShard[]> shards_;  // num_slots_ + kOutsideShards
  Injector injector_;
  Idle idle_;
  std::weak_ptr<Inner> self_;

  alignas(64) std::atomic<int> lifecycle_{kRunningPool};
  std::atomic<bool> finished_{false};  // shut down and idle: registry closed, threads leave
  std::atomic<bool> all_exited_{false};
  futures::task::AtomicTask shutdown_task_;

  // Blocking capacity: free count and FIFO of waiting tasks (each holds a reference).
  std::mutex blocking_mu_;
  std::size_t blocking_capacity_;
  std::deque<TaskNode*> blocking_waiters_;

  // Threads: handles (joined at shutdown), live count, idle spare threads.
  struct SpareWaiter {
    std::condition_variable cv;
    std::size_t slot = kNoSlot;
  };
  std::mutex threads_mu_;
  std::vector<pthread_t> threads_;    // under threads_mu_
  std::size_t num_threads_ = 0;       // under threads_mu_: started, not yet exited
  std::vector<SpareWaiter*> spares_;  // under threads_mu_: idle spare threads, LIFO
  std::vector<pthread_t> exited_;     // under threads_mu_: left while the pool runs
  std::atomic<std::size_t> thread_counter_{0};
  std::mutex join_mu_;
};

}  // namespace tokio::threadpool::detail
