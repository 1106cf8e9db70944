// The pool's threads (lib/tokio/threadpool/pool.hpp): starting them (pthreads, for the
// Builder's stack_size), what each runs, and the end: the last thread out destroys the
// tasks still registered (shutdown_now) and completes the Shutdown future.
//
// A thread runs with a slot, or, after blocking() gave its slot away, as a spare waiting
// up to keep_alive for a slot to take over. pool_size threads start with the pool; more
// start when blocking() finds no idle spare.
#include "pool.hpp"

#include <tokio/executor/enter.hpp>
#include <tokio/executor/global.hpp>
#include <tokio/threadpool/sender.hpp>
#include <tokio/threadpool/worker.hpp>

#include <futures/contract.hpp>

#include <limits.h>
#include <pthread.h>

#include <algorithm>
#include <string>

namespace tokio::threadpool::detail {

struct Inner::StartArgs {
  std::shared_ptr<Inner> self;
  std::size_t slot;
};

void Inner::start(const std::shared_ptr<Inner>& self) {
  self_ = self;
  std::lock_guard lk(threads_mu_);
  for (std::size_t i = 0; i < num_slots_; ++i)
    start_thread(i);
}

void Inner::start_thread(std::size_t slot) {
  // Threads that left after their keep_alive: join them now (they are past the lock).
  for (pthread_t t : exited_) {
    pthread_join(t, nullptr);
    threads_.erase(std::find_if(threads_.begin(), threads_.end(),
                                [t](pthread_t u) { return pthread_equal(t, u); }));
  }
  exited_.clear();

  auto* args = new StartArgs{self_.lock(), slot};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  if (config_.stack_size != 0) {
    pthread_attr_setstacksize(&attr, std::max<std::size_t>(config_.stack_size, PTHREAD_STACK_MIN));
  }
  pthread_t thread;
  const int rc = pthread_create(&thread, &attr, &Inner::thread_main, args);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    delete args;
    futures::contract_violation(
        "tokio::threadpool: failed to start a pool thread (pthread_create)");
  }
  ++num_threads_;
  threads_.push_back(thread);
}

void* Inner::thread_main(void* arg) {
  std::shared_ptr<Inner> self;
  std::size_t slot = 0;
  {
    auto* args = static_cast<StartArgs*>(arg);
    self = std::move(args->self);
    slot = args->slot;
    delete args;
  }
  self->thread_body(self, slot);
  return nullptr;
}

// `self` (the thread's reference) keeps the pool alive; the NotifyHandle the tasks see
// is made here rather than stored in the pool, which would be a cycle.
void Inner::thread_body(const std::shared_ptr<Inner>& self, std::size_t slot) {
  const std::size_t number = thread_counter_.fetch_add(1, std::memory_order_relaxed);
  if (!config_.name_prefix.empty()) {
    const std::string name = (config_.name_prefix + std::to_string(number)).substr(0, 15);
    pthread_setname_np(pthread_self(), name.c_str());
  }
  // Task handles made from it take no share of `self` (ids_keep_alive, pool.hpp).
  const futures::executor::NotifyHandle notify(self);
  ThreadContext& ctx = this_thread();
  ctx = ThreadContext{};
  ctx.pool = this;
  ctx.notify = &notify;
  ctx.rng = static_cast<std::uint32_t>(number * 2654435761u) | 1u;
  ctx.outside_shard = number;
  {
    auto entered = executor::enter();
    executor::Enter& enter = entered.unwrap_ref();
    Sender sender(self);
    executor::with_default(sender, enter, [&] {
      if (config_.after_start) config_.after_start();
      Worker worker(this, slot);
      if (config_.around_worker) {
        config_.around_worker(worker, enter);
      } else {
        worker.run();
      }
      if (config_.before_stop) config_.before_stop();
    });
  }
  ctx = ThreadContext{};
  thread_exited();
}

void Inner::run_thread(std::size_t slot) {
  ThreadContext& ctx = this_thread();
  for (std::size_t s = slot;;) {
    ctx.slot = s;
    run_slot(s);
    if (ctx.slot != kNoSlot) return;  // the pool is done: the slot is still ours
    // blocking() gave the slot away: wait as a spare for another one.
    s = wait_for_slot();
    if (s == kNoSlot) return;
  }
}

void Inner::thread_exited() {
  bool last = false;
  {
    std::lock_guard lk(threads_mu_);
    last = --num_threads_ == 0;
    if (!last && !should_exit()) exited_.push_back(pthread_self());  // a spare past keep_alive
  }
  if (last) terminate();
}

void Inner::terminate() {
  // Nobody polls any more. Tasks still registered exist only after shutdown_now: take
  // them and destroy their futures; later notifies and spawns are refused.
  injector_.close();
  TaskNode* leftovers = nullptr;
  for (std::size_t i = 0; i < num_slots_ + kOutsideShards; ++i) {
    RegistryShard& s = shards_[i];
    std::lock_guard lk(s.mu);
    s.closed = true;
    reap_dead_locked(s);
    while (TaskNode* node = s.head) {
      s.head = node->next_all_;
      node->next_all_ = leftovers;
      leftovers = node;
    }
    s.count = 0;
  }
  finished_.store(true, std::memory_order_release);
  while (leftovers != nullptr) {
    TaskNode* node = leftovers;
    leftovers = node->next_all_;
    node->prev_all_ = node->next_all_ = nullptr;
    transition_to_complete(node->state_);
    node->drop_future();
    let_go(node);
  }
  std::deque<TaskNode*> waiters;
  {
    std::lock_guard lk(blocking_mu_);
    waiters.swap(blocking_waiters_);
  }
  for (TaskNode* node : waiters)
    node->release_ref();
  idle_.close();  // after this nobody calls the Parks
  for (std::size_t i = 0; i < num_slots_; ++i) {
    slots_[i].unpark.reset();
    slots_[i].park.reset();
  }
  all_exited_.store(true, std::memory_order_release);
  shutdown_task_.notify();
}

void Inner::join_threads() {
  std::lock_guard join_lk(join_mu_);
  std::vector<pthread_t> threads;
  {
    std::lock_guard lk(threads_mu_);
    threads.swap(threads_);
    exited_.clear();
  }
  for (pthread_t t : threads) {
    if (pthread_equal(t, pthread_self())) {
      pthread_detach(t);
    } else {
      pthread_join(t, nullptr);
    }
  }
}

Inner::~Inner() {
  // Threads hold a reference, so this runs after every thread is done with the pool
  // (maybe on the last thread itself); threads nobody joined are detached.
  for (pthread_t t : threads_)
    pthread_detach(t);
}

}  // namespace tokio::threadpool::detail
