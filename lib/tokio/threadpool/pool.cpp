// The work-stealing thread pool (include/tokio/threadpool/thread_pool.hpp). Mirrors
// tokio-threadpool 0.1 `src/pool/`, `src/worker/`, `src/task/`.
//
// First version, chosen for being easy to check rather than fast:
//  - each worker's queue is a std::deque behind its own mutex (the owner pushes and pops
//    at the front/back, thieves take from the other end); Rust uses a lock-free
//    Chase-Lev deque (crossbeam-deque);
//  - one pool mutex `mu_` guards the injector queue (work from outside the pool), the
//    idle-worker stack, the lifecycle and the registry of live tasks.
//
// Task state machine, in the node's `state_` word (include/tokio/executor/task.hpp):
//   Idle -> Scheduled   a notify (it then queues the node; only this transition queues)
//   Scheduled -> Running  a worker took it from a queue
//   Running -> Notified  a notify during the poll: nothing is queued now...
//   Running -> Idle      ...after the poll; if that fails (Notified), the worker sets
//                        Scheduled and queues the node itself. Never polled twice at once.
//   * -> Complete        finished, panicked, or destroyed by shutdown_now: never queued
//                        again, later notifies do nothing.
// References: the registry (an intrusive list through prev_all_/next_all_, under mu_)
// holds the spawn's reference for as long as the task lives; queues hold plain
// pointers. Task handles hold one reference each (Notify::clone_id/drop_id).
//
// Sleeping: a worker that finds nothing anywhere takes `mu_`, checks the injector and
// the shutdown conditions, pushes itself on the idle stack and waits on its condition
// variable. A worker's own queue is pushed only by that worker's thread, so a non-empty
// local queue always has an awake owner; work from outside goes to the injector under
// `mu_` and wakes exactly one idle worker. A push to a local queue also wakes one idle
// worker (if any) so that it can steal.
#include <tokio/threadpool/thread_pool.hpp>

#include <tokio/executor/enter.hpp>
#include <tokio/executor/global.hpp>

#include <futures/contract.hpp>
#include <futures/task.hpp>

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <typeinfo>
#include <vector>

namespace tokio::threadpool {
namespace detail {

using executor::RawTask;
using executor::SpawnError;
using executor::TaskNode;

namespace {
enum TaskState : std::uint32_t { kIdle = 0, kScheduled = 1, kRunning = 2, kNotified = 3, kComplete = 4 };
enum Lifecycle : int { kRunningPool = 0, kShutdownOnIdle = 1, kShutdown = 2, kShutdownNow = 3 };
}  // namespace

struct Worker {
  std::mutex mu;
  std::deque<TaskNode*> queue;  // owner: push_back / pop_front; thieves: pop_back
  std::condition_variable cv;
  bool sleeping = false;  // guarded by Inner::mu_
};

class Inner;
namespace {
struct CurrentWorker {
  Inner* pool = nullptr;
  std::size_t index = 0;
};
thread_local CurrentWorker t_worker;
}  // namespace

class Inner final : public futures::executor::Notify {
 public:
  explicit Inner(Config config) : config_(std::move(config)), workers_(config_.pool_size) {}

  ~Inner() override {
    // Workers hold a reference, so this runs after every worker is done with the
    // pool (maybe on the last worker itself, whose thread is then detached).
    for (auto& t : threads_)
      if (t.joinable()) t.detach();
  }

  void start(const std::shared_ptr<Inner>& self) {
    threads_.reserve(workers_.size());
    for (std::size_t i = 0; i < workers_.size(); ++i) {
      threads_.emplace_back([self, i] { self->run_worker(self, i); });
    }
  }

  // ----- Notify: Task handles name a node by its address -----
  void notify(std::size_t id) override {
    auto* node = reinterpret_cast<TaskNode*>(id);
    std::uint32_t s = node->state_.load(std::memory_order_acquire);
    for (;;) {
      if (s == kIdle) {
        if (node->state_.compare_exchange_weak(s, kScheduled, std::memory_order_acq_rel)) {
          schedule(node);
          return;
        }
      } else if (s == kRunning) {
        if (node->state_.compare_exchange_weak(s, kNotified, std::memory_order_acq_rel)) return;
      } else {
        return;  // already queued, already noted, or complete
      }
    }
  }
  std::size_t clone_id(std::size_t id) override {
    reinterpret_cast<TaskNode*>(id)->add_ref();
    return id;
  }
  void drop_id(std::size_t id) override { reinterpret_cast<TaskNode*>(id)->release_ref(); }

  // ----- spawning -----
  futures::Result<futures::Unit, SpawnError> spawn(RawTask task) {
    TaskNode* node = task.get();
    node->state_.store(kScheduled, std::memory_order_relaxed);  // not yet shared
    const bool local = t_worker.pool == this;
    {
      std::lock_guard lk(mu_);
      if (terminated_ || finished_ || (!local && lifecycle_ >= kShutdown)) return futures::Err(SpawnError::shutdown());
      list_push(std::move(task).into_raw());
      ++num_tasks_;
      if (!local) {
        injector_.push_back(node);
        wake_one_locked();
        return futures::Ok();
      }
    }
    push_local(node);
    return futures::Ok();
  }

  futures::Result<futures::Unit, SpawnError> status() const {
    std::lock_guard lk(mu_);
    if (terminated_ || finished_ || lifecycle_ >= kShutdown) return futures::Err(SpawnError::shutdown());
    return futures::Ok();
  }

  // ----- shutdown -----
  void begin_shutdown(Lifecycle mode) {
    std::lock_guard lk(mu_);
    if (mode > lifecycle_) {
      lifecycle_ = mode;
      lifecycle_atomic_.store(mode, std::memory_order_relaxed);
    }
    wake_all_locked();
  }

  bool exited() const noexcept { return all_exited_.load(std::memory_order_acquire); }
  futures::task::AtomicTask& shutdown_task() noexcept { return shutdown_task_; }

  void join_workers() {
    std::lock_guard lk(join_mu_);
    for (auto& t : threads_) {
      if (t.joinable() && t.get_id() != std::this_thread::get_id()) t.join();
    }
  }

 private:
  // ----- queues -----
  void schedule(TaskNode* node) {
    if (t_worker.pool == this) {
      push_local(node);
      return;
    }
    std::lock_guard lk(mu_);
    if (terminated_) return;  // the registry has dropped it; nobody pops any more
    injector_.push_back(node);
    wake_one_locked();
  }

  void push_local(TaskNode* node) {
    Worker& w = workers_[t_worker.index];
    {
      std::lock_guard lk(w.mu);
      w.queue.push_back(node);
    }
    // Let an idle worker come and steal (a hint: a stale 0 only costs parallelism).
    if (num_idle_.load(std::memory_order_relaxed) > 0) {
      std::lock_guard lk(mu_);
      wake_one_locked();
    }
  }

  void wake_one_locked() {
    if (idle_.empty()) return;
    const std::size_t i = idle_.back();
    idle_.pop_back();
    num_idle_.fetch_sub(1, std::memory_order_relaxed);
    workers_[i].sleeping = false;
    workers_[i].cv.notify_one();
  }
  void wake_all_locked() {
    while (!idle_.empty()) wake_one_locked();
  }

  TaskNode* pop_local(std::size_t index) {
    Worker& w = workers_[index];
    std::lock_guard lk(w.mu);
    if (w.queue.empty()) return nullptr;
    TaskNode* node = w.queue.front();
    w.queue.pop_front();
    return node;
  }
  TaskNode* pop_injector_locked() {
    if (injector_.empty()) return nullptr;
    TaskNode* node = injector_.front();
    injector_.pop_front();
    return node;
  }
  TaskNode* pop_injector() {
    std::lock_guard lk(mu_);
    return pop_injector_locked();
  }
  TaskNode* steal(std::size_t index) {
    const std::size_t n = workers_.size();
    for (std::size_t k = 1; k < n; ++k) {
      Worker& w = workers_[(index + k) % n];
      std::lock_guard lk(w.mu);
      if (!w.queue.empty()) {
        TaskNode* node = w.queue.back();
        w.queue.pop_back();
        return node;
      }
    }
    return nullptr;
  }

  TaskNode* next_task(std::size_t index, std::uint64_t tick) {
    // Every 61st task, look at the injector first, so a worker whose own tasks keep
    // notifying each other cannot starve the work arriving from outside.
    if (tick % 61 == 0) {
      if (TaskNode* node = pop_injector()) return node;
    }
    if (TaskNode* node = pop_local(index)) return node;
    if (TaskNode* node = pop_injector()) return node;
    return steal(index);
  }

  // ----- the registry of live tasks (under mu_) -----
  void list_push(TaskNode* node) noexcept {
    node->prev_all_ = nullptr;
    node->next_all_ = head_all_;
    if (head_all_ != nullptr) head_all_->prev_all_ = node;
    head_all_ = node;
  }
  void list_remove(TaskNode* node) noexcept {
    if (node->prev_all_ != nullptr) {
      node->prev_all_->next_all_ = node->next_all_;
    } else {
      head_all_ = node->next_all_;
    }
    if (node->next_all_ != nullptr) node->next_all_->prev_all_ = node->prev_all_;
    node->prev_all_ = node->next_all_ = nullptr;
  }

  // ----- running tasks -----
  void run_task(TaskNode* node, const futures::executor::NotifyHandle& notify) {
    node->state_.store(kRunning, std::memory_order_release);
    bool done = false;
    std::exception_ptr panic;
    try {
      done = node->poll_notify(notify, reinterpret_cast<std::size_t>(node));
    } catch (...) {
      panic = std::current_exception();
      done = true;
    }
    if (done) {
      complete(node);
      if (panic) report_panic(panic);
      return;
    }
    std::uint32_t expected = kRunning;
    if (!node->state_.compare_exchange_strong(expected, kIdle, std::memory_order_acq_rel)) {
      // Notified during the poll: queue it again ourselves.
      node->state_.store(kScheduled, std::memory_order_release);
      push_local(node);
    }
  }

  void complete(TaskNode* node) {
    node->state_.store(kComplete, std::memory_order_release);
    node->drop_future();  // the future's destructor may spawn: the task still counts
    {
      std::lock_guard lk(mu_);
      list_remove(node);
      if (--num_tasks_ == 0 && lifecycle_ != kRunningPool) wake_all_locked();
    }
    node->release_ref();
  }

  void report_panic(std::exception_ptr panic) {
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
    std::fprintf(stderr, "tokio::threadpool: a task threw (task dropped, pool keeps running): %s\n", what.c_str());
  }

  // ----- the worker thread -----
  // `self` (the thread's reference) keeps the pool alive; the NotifyHandle the tasks
  // see is made here rather than stored in the pool, which would be a cycle.
  void run_worker(const std::shared_ptr<Inner>& self, std::size_t index) {
    if (!config_.name_prefix.empty()) {
      const std::string name = (config_.name_prefix + std::to_string(index)).substr(0, 15);
      pthread_setname_np(pthread_self(), name.c_str());
    }
    t_worker = CurrentWorker{this, index};
    {
      auto entered = executor::enter();
      executor::Enter& enter = entered.unwrap_ref();
      Sender sender(self);
      const futures::executor::NotifyHandle notify(self);
      executor::with_default(sender, enter, [&] {
        if (config_.after_start) config_.after_start();
        work_loop(index, notify);
        if (config_.before_stop) config_.before_stop();
      });
    }
    t_worker = CurrentWorker{};
    worker_exited();
  }

  void work_loop(std::size_t index, const futures::executor::NotifyHandle& notify) {
    Worker& w = workers_[index];
    std::uint64_t tick = 0;
    for (;;) {
      if (lifecycle_atomic_.load(std::memory_order_relaxed) == kShutdownNow) return;
      if (TaskNode* node = next_task(index, ++tick)) {
        run_task(node, notify);
        continue;
      }
      std::unique_lock lk(mu_);
      if (lifecycle_ == kShutdownNow) return;
      if (TaskNode* node = pop_injector_locked()) {
        lk.unlock();
        run_task(node, notify);
        continue;
      }
      if (lifecycle_ != kRunningPool && num_tasks_ == 0) {
        finished_ = true;  // no task left and none can arrive: every worker may go
        wake_all_locked();
        return;
      }
      w.sleeping = true;
      idle_.push_back(index);
      num_idle_.fetch_add(1, std::memory_order_relaxed);
      w.cv.wait(lk, [&] { return !w.sleeping; });
    }
  }

  void worker_exited() {
    TaskNode* leftover = nullptr;
    {
      std::lock_guard lk(mu_);
      if (++num_exited_ != workers_.size()) return;
      // The last worker out: nobody polls any more. Tasks still registered exist only
      // after shutdown_now; take them (and stop later notifies from queueing).
      terminated_ = true;
      injector_.clear();
      for (auto& w : workers_) {
        std::lock_guard wl(w.mu);
        w.queue.clear();
      }
      leftover = std::exchange(head_all_, nullptr);
      num_tasks_ = 0;
    }
    while (leftover != nullptr) {
      TaskNode* node = leftover;
      leftover = node->next_all_;
      node->prev_all_ = node->next_all_ = nullptr;
      node->state_.store(kComplete, std::memory_order_release);
      node->drop_future();
      node->release_ref();
    }
    all_exited_.store(true, std::memory_order_release);
    shutdown_task_.notify();
  }

  Config config_;
  std::vector<Worker> workers_;
  std::vector<std::thread> threads_;
  std::mutex join_mu_;

  mutable std::mutex mu_;
  std::deque<TaskNode*> injector_;
  std::vector<std::size_t> idle_;
  int lifecycle_ = kRunningPool;
  bool finished_ = false;    // shut down and idle: the workers are leaving
  bool terminated_ = false;  // every worker has left
  std::size_t num_tasks_ = 0;
  std::size_t num_exited_ = 0;
  TaskNode* head_all_ = nullptr;

  std::atomic<int> lifecycle_atomic_{kRunningPool};
  std::atomic<std::size_t> num_idle_{0};
  std::atomic<bool> all_exited_{false};
  futures::task::AtomicTask shutdown_task_;
};

futures::Result<futures::Unit, SpawnError> spawn(Inner& inner, RawTask task) { return inner.spawn(std::move(task)); }
futures::Result<futures::Unit, SpawnError> status(const Inner& inner) { return inner.status(); }

void throw_spawn_refused() {
  throw futures::Panic("tokio::threadpool::ThreadPool::spawn: the pool has shut down and refused the task");
}

}  // namespace detail

// ----- Builder -----

Builder& Builder::pool_size(std::size_t n) {
  if (n == 0) futures::contract_violation("tokio::threadpool::Builder::pool_size: the pool needs at least one thread");
  config_.pool_size = n;
  return *this;
}

ThreadPool Builder::build() const {
  detail::Config config = config_;
  if (config.pool_size == 0) config.pool_size = std::max(1u, std::thread::hardware_concurrency());
  auto inner = std::make_shared<detail::Inner>(std::move(config));
  inner->start(inner);
  return ThreadPool(std::move(inner));
}

// ----- ThreadPool -----

ThreadPool::ThreadPool() : ThreadPool(Builder().build()) {}

ThreadPool& ThreadPool::operator=(ThreadPool&& other) noexcept {
  if (this != &other) {
    close();
    inner_ = std::move(other.inner_);
  }
  return *this;
}

ThreadPool::~ThreadPool() { close(); }

void ThreadPool::close() noexcept {
  if (!inner_) return;
  auto done = std::move(*this).shutdown_now();
  (void)std::move(done).wait();
}

Shutdown ThreadPool::shutdown_on_idle() && {
  if (!inner_) futures::contract_violation("tokio::threadpool::ThreadPool used after it was consumed");
  inner_->begin_shutdown(detail::kShutdownOnIdle);
  return Shutdown(std::move(inner_));
}
Shutdown ThreadPool::shutdown() && {
  if (!inner_) futures::contract_violation("tokio::threadpool::ThreadPool used after it was consumed");
  inner_->begin_shutdown(detail::kShutdown);
  return Shutdown(std::move(inner_));
}
Shutdown ThreadPool::shutdown_now() && {
  if (!inner_) futures::contract_violation("tokio::threadpool::ThreadPool used after it was consumed");
  inner_->begin_shutdown(detail::kShutdownNow);
  return Shutdown(std::move(inner_));
}

// ----- Shutdown -----

futures::Poll<futures::Unit, futures::Unit> Shutdown::poll() {
  if (!inner_) futures::contract_violation("tokio::threadpool::Shutdown polled after completion");
  inner_->shutdown_task().register_();
  if (!inner_->exited()) return futures::NotReady;
  inner_->join_workers();
  inner_.reset();
  return futures::Ready(futures::Unit{});
}

}  // namespace tokio::threadpool
