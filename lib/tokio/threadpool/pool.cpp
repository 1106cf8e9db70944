// The work-stealing scheduler (lib/tokio/threadpool/pool.hpp; design in docs/runtime.md,
// "Thread pool"). Mirrors tokio-threadpool 0.1 `src/pool/`, `src/worker/`, `src/task/`
// for the semantics and Tokio 1.x `runtime/scheduler/multi_thread/worker.rs` for the
// fast path (LIFO slot, searching workers, one wake-up at a time).
#include "pool.hpp"

#include <futures/contract.hpp>

#include <algorithm>
#include <cstdio>
#include <string>

namespace tokio::threadpool::detail {

namespace {
// Consecutive polls served from the LIFO slot before it yields to the queue: two tasks
// notifying each other forever cannot starve the rest (Tokio 1.x uses 3).
constexpr unsigned kMaxLifoPolls = 3;
// Every kInjectorInterval ticks a worker looks at the injector first (Tokio: 61).
constexpr std::uint32_t kInjectorInterval = 61;
// Rounds a worker searches (with a pause between) before it parks: waking a parked
// thread costs tens of microseconds on these machines. A worker whose Park is a reactor
// (custom_park) makes one try and parks (search_rounds_for says why).
constexpr int kSearchRounds = 64;
constexpr int kSearchRoundsReactorPark = 0;

thread_local ThreadContext t_context;

std::uint32_t next_random(ThreadContext& ctx) noexcept {
  std::uint32_t x = ctx.rng;  // xorshift32
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  ctx.rng = x;
  return x;
}
}  // namespace

ThreadContext& this_thread() noexcept {
  return t_context;
}

// ----- Notify: Task handles name a node by its address -----

void Inner::notify(std::size_t id) {
  auto* node = reinterpret_cast<TaskNode*>(id);
  ThreadContext& ctx = t_context;
  if (node == ctx.current) {
    // The task notifies itself from its own poll: Running for sure, and only this
    // thread ends that poll. Saves two of the four RMWs on the word per yield.
    ctx.current_notified = true;
    return;
  }
  if (!transition_to_notified(node->state_)) return;
  if (ctx.pool == this && ctx.slot != kNoSlot) {
    schedule_local(node, false);
  } else {
    schedule_remote(node);
  }
}
std::size_t Inner::clone_id(std::size_t id) {
  reinterpret_cast<TaskNode*>(id)->add_ref();
  return id;
}
void Inner::drop_id(std::size_t id) {
  reinterpret_cast<TaskNode*>(id)->release_ref();
}

// ----- spawning -----

futures::Result<futures::Unit, SpawnError> Inner::spawn(RawTask task) {
  TaskNode* node = task.get();
  node->state_.store(kScheduled, std::memory_order_relaxed);  // not yet shared
  ThreadContext& ctx = t_context;
  const bool on_worker = ctx.pool == this;
  const bool local = on_worker && ctx.slot != kNoSlot;
  std::size_t shard = 0;
  if (local) {
    shard = ctx.slot;
  } else {
    shard = num_slots_ + (ctx.outside_shard++ % kOutsideShards);
  }
  if (local) {
    // On a pool thread: the pool cannot terminate (and free registered nodes) meanwhile.
    if (!registry_insert(node, shard, on_worker)) return futures::Err(SpawnError::shutdown());
    (void)std::move(task).into_raw();  // the registry holds the spawn's reference now
    schedule_local(node, false);
    return futures::Ok();
  }
  // From elsewhere, a shutdown_now may terminate the pool right after the insert and
  // free the node through the registry: keep our reference until it is queued.
  RawTask keep = task.clone();
  if (!registry_insert(node, shard, on_worker)) return futures::Err(SpawnError::shutdown());
  (void)std::move(task).into_raw();  // the registry holds the spawn's reference now
  schedule_remote(node);
  return futures::Ok();  // `keep` lets go here
}

futures::Result<futures::Unit, SpawnError> Inner::status() const {
  if (finished_.load(std::memory_order_acquire) ||
      lifecycle_.load(std::memory_order_acquire) >= kShutdown)
    return futures::Err(SpawnError::shutdown());
  return futures::Ok();
}

// ----- the registry of live tasks -----

bool Inner::registry_insert(TaskNode* node, std::size_t shard, bool on_worker) {
  node->aux_.store(shard << kAuxShift, std::memory_order_relaxed);
  RegistryShard& s = shards_[shard];
  std::lock_guard lk(s.mu);
  // Under the shard lock: try_finish closes every shard before the pool may finish, so
  // a spawn either lands before (and is counted) or is refused.
  if (s.closed || (!on_worker && lifecycle_.load(std::memory_order_acquire) >= kShutdown))
    return false;
  if (s.dead.load(std::memory_order_relaxed) != nullptr) reap_dead_locked(s);
  node->prev_all_ = nullptr;
  node->next_all_ = s.head;
  if (s.head != nullptr) s.head->prev_all_ = node;
  s.head = node;
  ++s.count;
  return true;
}

namespace {
void unlink(RegistryShard& s, TaskNode* node) noexcept {
  if (node->prev_all_ != nullptr) {
    node->prev_all_->next_all_ = node->next_all_;
  } else {
    s.head = node->next_all_;
  }
  if (node->next_all_ != nullptr) node->next_all_->prev_all_ = node->prev_all_;
  node->prev_all_ = node->next_all_ = nullptr;
  --s.count;
}
}  // namespace

void Inner::reap_dead_locked(RegistryShard& s) {
  // seq_cst: pairs with registry_remove's push and lifecycle load (see there).
  TaskNode* node = s.dead.exchange(nullptr, std::memory_order_seq_cst);
  while (node != nullptr) {
    TaskNode* next = node->next_.load(std::memory_order_relaxed);
    unlink(s, node);
    let_go(node);  // the future is gone already: this frees at most the block
    node = next;
  }
}

void Inner::reap_own_shard() {
  const std::size_t index = t_context.slot;
  if (index == kNoSlot) return;
  RegistryShard& s = shards_[index];
  if (s.dead.load(std::memory_order_relaxed) == nullptr) return;
  std::lock_guard lk(s.mu);
  reap_dead_locked(s);
}

void Inner::registry_remove(TaskNode* node) {
  const std::size_t shard = node->aux_.load(std::memory_order_relaxed) >> kAuxShift;
  RegistryShard& s = shards_[shard];
  if (t_context.slot == shard) {
    // Our own shard: its lock is uncontended.
    {
      std::lock_guard lk(s.mu);
      unlink(s, node);
    }
    let_go(node);
  } else {
    // seq_cst push, then seq_cst lifecycle load below: either a try_finish that reaps
    // after this push sees the node, or this thread sees the shutdown and wakes the
    // sleepers to count again.
    TaskNode* head = s.dead.load(std::memory_order_relaxed);
    do {
      node->next_.store(head, std::memory_order_relaxed);
    } while (!s.dead.compare_exchange_weak(head, node, std::memory_order_seq_cst,
                                           std::memory_order_relaxed));
  }
  // seq_cst: pairs with begin_shutdown's store; either it sees this removal when it
  // counts, or this sees the shutdown and wakes the sleepers to count again.
  if (lifecycle_.load(std::memory_order_seq_cst) != kRunningPool) wake_all();
}

std::size_t Inner::pending_tasks(const std::function<void(const TaskNode&)>& each) const {
  std::size_t n = 0;
  for (std::size_t i = 0; i < num_slots_ + kOutsideShards; ++i) {
    RegistryShard& s = shards_[i];
    std::lock_guard lk(s.mu);
    const_cast<Inner*>(this)->reap_dead_locked(s);
    for (const TaskNode* node = s.head; node != nullptr; node = node->next_all_) {
      if (each) each(*node);
      ++n;
    }
  }
  return n;
}

// ----- queues -----

void Inner::schedule_remote(TaskNode* node) {
  // Refused once terminated: the registry has released the node, nobody polls.
  if (!injector_.push(node)) return;
  notify_parked();
}

void Inner::schedule_local(TaskNode* node, bool is_yield) {
  Slot& slot = slots_[t_context.slot];
  if (is_yield || t_context.in_park) {
    // A task woken by this worker's own reactor goes behind the others too: the LIFO
    // slot is for a message just sent from task to task, and events keep their order.
    // A task that notified itself goes behind the others (no LIFO: that would starve them).
    push_local_back(slot, node);
    // A yield adds no work: this worker runs the task again itself. Waking another
    // for it only paid off when others wait behind it; otherwise the woken worker takes
    // the task, and a producer and its consumer then run on two CPUs, every message a
    // cache-line transfer (mt2 mpsc_1p 220-300 -> 30-45 ns/op).
    if (is_yield && slot.queue.len() <= 1) return;
  } else {
    // The newest task goes to the LIFO slot; the one it displaces to the queue, and only
    // then is there work another worker could take (Tokio 1.x's rule). Only this worker
    // fills its slot (thieves only empty it), so an empty slot takes a plain store: one
    // atomic RMW less per message or chained spawn.
    if (slot.lifo.load(std::memory_order_relaxed) == nullptr) {
      slot.lifo.store(node, std::memory_order_release);  // pairs with the takers' acquire
      return;
    }
    TaskNode* prev = slot.lifo.exchange(node, std::memory_order_acq_rel);
    if (prev == nullptr) return;
    push_local_back(slot, prev);
  }
  // Only for parallelism (this worker runs its own queue anyway), so a cheap, possibly
  // stale look at the idle state is enough: no fence on this hot path.
  if (!t_context.in_park && idle_.should_wake_hint()) notify_parked();
}

void Inner::poll_park(Slot& slot, std::optional<std::chrono::nanoseconds> timeout) {
  ThreadContext& ctx = t_context;
  ctx.in_park = true;
  if (timeout) {
    (void)slot.park->park_timeout(*timeout);
  } else {
    (void)slot.park->park();
  }
  ctx.in_park = false;
  if (slot.spilled != 0) flush_spill(slot);
}

void Inner::share_parked_work(Slot& slot) {
  // The park's events queued more than this worker runs next: let another one help.
  const std::size_t queued =
      slot.queue.len() + (slot.lifo.load(std::memory_order_relaxed) != nullptr ? 1 : 0);
  if (queued > 1 && idle_.should_wake_hint()) notify_parked();
}

void Inner::push_local_back(Slot& slot, TaskNode* node) {
  if (num_slots_ == 1) {
    // Behind the backlog while it holds any, so the tasks keep their order.
    if (!slot.backlog.empty() || slot.queue.len() >= slot.queue.capacity()) {
      slot.backlog.push_back(node);
      return;
    }
    push_local_direct(slot, node);
    return;
  }
  // Once the queue is full, tasks queue up behind it in the injector, and keep doing so
  // while the injector holds any: the queue then holds the oldest tasks and the injector
  // the newer ones, one FIFO in two parts, so with more ready tasks than the queue holds
  // (a reactor waking a thousand sockets) each still waits its turn. Moving the queue's
  // older half out instead, as a work-stealing deque usually does, lets the tasks
  // scheduled last run first, turn after turn, and starves those in the injector. Work
  // spawned from outside waiting in the injector does not start this (each yield of a
  // worker would then go through the injector's lock).
  if (slot.spilled == 0 && slot.overflowing && injector_.is_empty()) slot.overflowing = false;
  if (slot.spilled != 0 || slot.overflowing || slot.queue.len() >= slot.queue.capacity()) {
    slot.overflowing = true;
    slot.spill[slot.spilled++] = node;
    if (slot.spilled == Slot::kSpillBatch) flush_spill(slot);
    return;
  }
  push_local_direct(slot, node);
}

void Inner::push_local_direct(Slot& slot, TaskNode* node) {
  slot.queue.push_back_or_overflow(
      node, [this](TaskNode** nodes, std::size_t n) { injector_.push_batch(nodes, n); });
}

void Inner::flush_spill(Slot& slot) {
  injector_.push_batch(slot.spill, slot.spilled);
  slot.spilled = 0;
}

void Inner::notify_parked() {
  if (!idle_.should_wake()) return;
  idle_.wake_one([this](std::size_t index) { slots_[index].unpark->unpark(); });
}

void Inner::wake_all() {
  idle_.wake_all([this](std::size_t index) { slots_[index].unpark->unpark(); });
}

TaskNode* Inner::take_from_injector(Slot& slot) {
  if (injector_.is_empty()) return nullptr;
  // Take a fair share in one lock: this worker's part of the backlog, at most half a
  // local queue, and at most what the local queue has room for.
  const std::size_t room = slot.queue.capacity() - slot.queue.len();
  std::size_t want =
      std::min<std::size_t>(injector_.len() / num_slots_ + 1, slot.queue.capacity() / 2);
  want = std::min(want, room + 1);
  TaskNode* batch[LocalQueue<TaskNode>::capacity() / 2];
  const std::size_t n = injector_.pop_batch(batch, want);
  if (n == 0) return nullptr;
  for (std::size_t i = 1; i < n; ++i)
    push_local_direct(slot, batch[i]);
  return batch[0];
}

TaskNode* Inner::next_task(Slot& slot) {
  ThreadContext& ctx = t_context;
  if (slot.spilled != 0) flush_spill(slot);  // the injector is where others look for them
  if (++ctx.tick % kInjectorInterval == 0) {
    reap_own_shard();  // free the blocks of tasks that finished on other threads
    // A worker that never runs dry still polls its Park (a reactor: the I/O of the
    // sockets registered with it), as tokio-threadpool and Tokio 1.x do.
    poll_park(slot, std::chrono::nanoseconds(0));
    share_parked_work(slot);
    // Fairness: a worker whose own tasks keep each other busy still serves the injector.
    if (TaskNode* node = take_from_injector(slot)) return node;
  }
  if (slot.lifo.load(std::memory_order_relaxed) != nullptr) {
    if (TaskNode* node = slot.lifo.exchange(nullptr, std::memory_order_acq_rel)) return node;
  }
  if (TaskNode* node = slot.queue.pop()) return node;
  if (TaskNode* node = slot.backlog.pop_front()) return node;
  return take_from_injector(slot);
}

TaskNode* Inner::steal_work(std::size_t index) {
  ThreadContext& ctx = t_context;
  if (!ctx.searching) {
    ctx.searching = idle_.transition_to_searching();
    if (!ctx.searching) return nullptr;
  }
  Slot& mine = slots_[index];
  const std::size_t start = next_random(ctx) % num_slots_;
  for (std::size_t i = 0; i < num_slots_; ++i) {
    const std::size_t other = (start + i) % num_slots_;
    if (other == index) continue;
    if (TaskNode* node = slots_[other].queue.steal_into(mine.queue)) return node;
  }
  return take_from_injector(mine);
}

void Inner::note_polls() {
  ThreadContext& ctx = t_context;
  const std::size_t n = std::min(num_slots_, ThreadContext::kPollsSeen);
  for (std::size_t i = 0; i < n; ++i)
    ctx.polls_seen[i] = slots_[i].polls.load(std::memory_order_relaxed);
}

TaskNode* Inner::steal_lifo(std::size_t index) {
  const ThreadContext& ctx = t_context;
  for (std::size_t i = 0; i < num_slots_; ++i) {
    if (i == index) continue;
    // Only from an owner stuck in one poll since this search began (see Slot::polls).
    if (i < ThreadContext::kPollsSeen &&
        slots_[i].polls.load(std::memory_order_relaxed) != ctx.polls_seen[i])
      continue;
    std::atomic<TaskNode*>& lifo = slots_[i].lifo;
    if (lifo.load(std::memory_order_relaxed) == nullptr) continue;
    if (TaskNode* node = lifo.exchange(nullptr, std::memory_order_acq_rel)) return node;
  }
  return nullptr;
}

bool Inner::work_anywhere() const {
  if (!injector_.is_empty()) return true;
  for (std::size_t i = 0; i < num_slots_; ++i) {
    if (!slots_[i].queue.is_empty() || slots_[i].lifo.load(std::memory_order_acquire) != nullptr)
      return true;
  }
  return false;
}

// ----- running -----

int search_rounds_for(std::size_t slots, bool custom_park) {
  // A lone worker has nobody to steal from: spinning would only take the CPU from
  // whatever shares it (a client on the same core), so it parks at once.
  if (slots <= 1) return 0;
  // A worker parked in its own reactor serves its sockets there: while it spins, their
  // events wait, and the CPU it burns is the clients' (2-worker echo, C=16/128/bulk
  // against the raw epoll loop: 0.90/0.83/0.84 with 64 rounds, 1.12/1.04/0.89 with 8).
  // One try, then park: measured with a reactor per worker (reactor/spread.hpp), C=16
  // ahead of 8 rounds in 5 of 6 alternating runs (+5-16%), C=1000 in 4 of 5, C=1 and
  // C=128 unchanged. With the runtime's shared reactor (its default) a worker that does
  // not drive it sleeps on a condition variable and is woken when work is shared, as
  // Tokio 1.x's workers make one search pass before they park.
  return custom_park ? kSearchRoundsReactorPark : kSearchRounds;
}

void Inner::run_slot(std::size_t index) {
  ThreadContext& ctx = t_context;
  Slot& slot = slots_[index];
  int rounds = 0;
  const int search_rounds = search_rounds_;
  while (ctx.slot == index && !should_exit()) {
    TaskNode* node = next_task(slot);
    if (node == nullptr) node = steal_work(index);
    if (node == nullptr && rounds >= search_rounds) node = steal_lifo(index);
    if (node != nullptr) {
      rounds = 0;
      if (ctx.searching) {
        ctx.searching = false;
        // The last searcher found work: there may be more, let one more slot look.
        if (idle_.transition_from_searching()) notify_parked();
      }
      run_task(node);
      continue;
    }
    if (++rounds <= search_rounds) {
      if (rounds == 1) note_polls();
      futures::detail::spin_loop_hint();
      continue;
    }
    rounds = 0;
    park_slot(index);
  }
}

void Inner::park_slot(std::size_t index) {
  ThreadContext& ctx = t_context;
  Slot& slot = slots_[index];
  reap_own_shard();
  const bool last_searcher = idle_.transition_to_parked(index, ctx.searching);
  ctx.searching = false;
  // The last searcher looks once more: work pushed while nobody was searching and
  // before it counted itself parked would otherwise wait (see idle.hpp).
  if (last_searcher && work_anywhere()) notify_parked();
  if (lifecycle_.load(std::memory_order_seq_cst) != kRunningPool && try_finish()) return;
  for (;;) {
    if (should_exit()) return;
    poll_park(slot, std::nullopt);
    const bool own_work = !slot.queue.is_empty() || !slot.backlog.empty() ||
                          slot.lifo.load(std::memory_order_relaxed) != nullptr;
    const Idle::Woken woken = idle_.transition_from_parked(index, own_work || should_exit());
    if (woken == Idle::Woken::kStillParked) continue;
    ctx.searching = woken == Idle::Woken::kSearching;
    // Counted as running again, so a wake-up it sends cannot pick this worker itself.
    share_parked_work(slot);
    return;
  }
}

bool Inner::try_finish() {
  // Lock every shard (in order) so that no spawn slips in between the count and the close.
  const std::size_t n = num_slots_ + kOutsideShards;
  for (std::size_t i = 0; i < n; ++i)
    shards_[i].mu.lock();
  std::size_t live = 0;
  for (std::size_t i = 0; i < n; ++i) {
    reap_dead_locked(shards_[i]);
    live += shards_[i].count;
  }
  const bool finish = live == 0;
  if (finish) {
    for (std::size_t i = 0; i < n; ++i)
      shards_[i].closed = true;
    finished_.store(true, std::memory_order_release);
  }
  for (std::size_t i = n; i-- > 0;)
    shards_[i].mu.unlock();
  if (finish) {
    wake_all();
    wake_spares();
  }
  return finish;
}

void Inner::run_task(TaskNode* node) {
  ThreadContext& ctx = t_context;
  const std::size_t index = ctx.slot;
  poll_task(node);
  // Serve the LIFO slot directly, a few times in a row at most.
  for (unsigned polls = 0; ctx.slot == index && !should_exit(); ++polls) {
    Slot& slot = slots_[index];
    if (slot.lifo.load(std::memory_order_relaxed) == nullptr) return;
    TaskNode* next = slot.lifo.exchange(nullptr, std::memory_order_acq_rel);
    if (next == nullptr) return;
    if (polls >= kMaxLifoPolls) {
      // Behind the others, and no wake-up: this worker runs its queue next anyway, and
      // waking a parked one only moved a task chain to the other CPU every few polls
      // (mt2 chained_spawn 225 -> 128 ns/op). Spawns that displace a LIFO task still
      // wake one (schedule_local), so parallel work still spreads.
      push_local_back(slot, next);
      return;
    }
    poll_task(next);
  }
}

void Inner::poll_task(TaskNode* node) {
  ThreadContext& ctx = t_context;
  if (ctx.slot != kNoSlot) {
    std::atomic<std::uint32_t>& polls = slots_[ctx.slot].polls;  // written by the owner only
    polls.store(polls.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
  // A node only the registry references has no Task handle: nobody can notify it (or
  // take a reference) while this thread polls it (task_state.hpp).
  if (node->is_unique()) {
    transition_to_running_unshared(node->state_);
  } else {
    transition_to_running(node->state_);
  }
  ctx.current = node;
  ctx.current_notified = false;
  bool done = false;
  std::exception_ptr panic;
  try {
    done = node->poll_notify(*ctx.notify, reinterpret_cast<std::size_t>(node));
  } catch (...) {
    panic = std::current_exception();
    done = true;
  }
  ctx.current = nullptr;
  // Blocking capacity handed to this task and not used in this poll goes to the next
  // waiter ("use it or lose it", tokio-threadpool's capacity_is_use_it_or_lose_it).
  release_allocation_if_set(node);
  bool notified = false;  // during its poll: queue it again, behind the others
  if (done) {
    complete(node);
    if (panic) report_panic(panic);
  } else if (node->is_unique()) {
    notified = transition_after_poll_unshared(node->state_, ctx.current_notified);
  } else if (ctx.current_notified) {
    transition_to_rescheduled(node->state_);
    notified = true;
  } else {
    notified = !transition_to_idle(node->state_);
  }
  if (notified) {
    if (ctx.slot != kNoSlot) {
      schedule_local(node, true);
    } else {
      schedule_remote(node);
    }
  }
  if (ctx.blocking) {
    // The poll that called blocking() is over: give the capacity back. This thread no
    // longer owns a slot; its caller (run_thread) makes it a spare.
    ctx.blocking = false;
    release_blocking_capacity();
  }
}

void Inner::complete(TaskNode* node) {
  transition_to_complete(node->state_);
  // seq_cst fence pairs with release_blocking_capacity's (allocate; re-check state):
  // capacity allocated to a task that has just completed is not lost. A releaser holds
  // a reference while it does so; a unique node has none to race with (is_unique's
  // acquire has seen a finished releaser's allocation), so it skips the fence.
  if (!node->is_unique()) std::atomic_thread_fence(std::memory_order_seq_cst);
  release_allocation_if_set(node);
  node->drop_future();    // its destructor may spawn: the task still counts until removed
  registry_remove(node);  // drops the registry's reference, now or when reaped
}

void Inner::report_panic(std::exception_ptr panic) {
  if (config_.panic_handler) {
    config_.panic_handler(panic);
    return;
  }
  std::string what = "unknown exception";
  try {
    std::rethrow_exception(panic);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
  }
  std::fprintf(stderr, "tokio::threadpool: a task threw (task dropped, pool keeps running): %s\n",
               what.c_str());
}

// ----- shutdown -----

void Inner::begin_shutdown(Lifecycle mode) {
  int current = lifecycle_.load(std::memory_order_acquire);
  while (mode > current &&
         !lifecycle_.compare_exchange_weak(current, mode, std::memory_order_seq_cst,
                                           std::memory_order_acquire)) {
  }
  wake_all();
  wake_spares();  // idle spare threads leave once the pool finishes or shuts down now
}

}  // namespace tokio::threadpool::detail
