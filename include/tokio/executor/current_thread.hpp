// tokio layer: the single-threaded executor. Mirrors tokio-current-thread 0.1
// `src/lib.rs` (CurrentThread, Entered, Handle, TaskExecutor, block_on_all, spawn); the
// scheduler (`src/scheduler.rs`) is non-template code in
// lib/tokio/executor/current_thread.cpp, described in docs/runtime.md.
//
// Scheduling: spawned futures are polled on the thread that runs the executor, in FIFO
// order of notification; one `turn` polls each task that was notified before it began
// at most once (a task notified during the turn waits for the next one). block_on and
// run poll up to a budget of tasks (newly spawned or notified ones included) between
// looks at the block_on future and the Park; a task that keeps notifying itself goes
// to the back of the queue each time, so it cannot starve the others. Spawned futures
// need not be thread-safe (Rust: no `Send`): they are polled and destroyed on the
// executor thread.
// Only `Handle::spawn` may be called from other threads.
//
// Exceptions: an exception escaping a task's poll destroys that task and propagates out
// of the turn / run / block_on that polled it (Tokio's behaviour: the panic unwinds out
// of the executor). The executor stays consistent: the other tasks stay queued, and
// run() may be called again.
#pragma once

#include <tokio/executor/enter.hpp>
#include <tokio/executor/error.hpp>
#include <tokio/executor/executor.hpp>
#include <tokio/executor/park.hpp>
#include <tokio/executor/task.hpp>

#include <futures/contract.hpp>
#include <futures/future/concept.hpp>
#include <futures/future/executor.hpp>
#include <futures/result.hpp>
#include <futures/task.hpp>
#include <futures/unit.hpp>

#include <atomic>
#include <chrono>
#include <concepts>
#include <memory>
#include <optional>
#include <ostream>
#include <string_view>
#include <thread>
#include <utility>

namespace tokio::executor::current_thread {

namespace detail {
class Shared;  // lib/tokio/executor/current_thread.cpp

/// The executor-thread side of a CurrentThread: its tasks, its readiness queue, the
/// queue of futures spawned from other threads and the live-future count. Not thread
/// safe (Handles reach the thread-safe part through `shared()`).
class Scheduler {
 public:
  explicit Scheduler(park::BoxUnpark unpark);
  Scheduler(Scheduler&& other) noexcept;
  Scheduler& operator=(Scheduler&&) = delete;
  /// Destroys every task (on this thread) and refuses later Handle spawns.
  ~Scheduler();

  /// Notifying it (id 0) unparks the executor: the block_on future's task.
  const futures::executor::NotifyHandle& notify() const noexcept { return notify_; }
  /// Queues a new task, polled in the next tick.
  void spawn_local(RawTask task);
  /// What one tick polls (see the file comment).
  enum class TickMode {
    Snapshot,  // each task queued before the tick, once (turn)
    Budget,    // queued tasks, new ones included, up to a fixed budget (block_on, run)
  };
  /// Takes in the futures spawned from other threads, then polls tasks as `mode` says.
  /// True if anything was polled. Exceptions from a task propagate after that task is
  /// destroyed.
  bool tick(TickMode mode);
  /// True if a task is queued for polling.
  bool has_pending_futures() const noexcept;
  /// has_pending_futures(), or the block_on future was notified: do not sleep in park.
  bool has_pending_work() const noexcept;
  /// True (once) if the block_on future (the task with id 0) was notified since the last
  /// call.
  bool take_root_notified() noexcept;
  /// True if no spawned future is alive (counting those spawned through Handles).
  bool is_idle() const noexcept;
  const std::shared_ptr<Shared>& shared() const noexcept { return shared_; }

 private:
  std::shared_ptr<Shared> shared_;
  futures::executor::NotifyHandle notify_;
};

/// Makes a scheduler this thread's current one (what TaskExecutor and
/// current_thread::spawn use) for the guard's lifetime.
class RunnerGuard {
 public:
  explicit RunnerGuard(const Scheduler& scheduler) noexcept;
  ~RunnerGuard();
  RunnerGuard(const RunnerGuard&) = delete;
  RunnerGuard& operator=(const RunnerGuard&) = delete;

 private:
  Shared* previous_;
};

/// True while some CurrentThread runs on this thread.
bool has_current_runner() noexcept;
/// Spawns on the CurrentThread running on this thread; SpawnError::shutdown if none.
futures::Result<futures::Unit, SpawnError> spawn_local_current(RawTask task);
/// Handle::spawn: on the executor thread while it runs, a local spawn; otherwise the
/// task goes through the thread-safe queue and the executor is unparked.
futures::Result<futures::Unit, SpawnError> handle_spawn(const std::shared_ptr<Shared>& shared,
                                                         std::thread::id thread,
                                                         futures::detail::Atomic<bool>& shut_down,
                                                         RawTask task);
/// Handle::status.
bool handle_is_shut_down(const Shared& shared) noexcept;

[[noreturn]] void throw_nested_enter();
[[noreturn]] void throw_outside_executor();
}  // namespace detail

/// What `turn` did (Rust's `Turn`).
class Turn {
 public:
  explicit Turn(bool polled) noexcept : polled_(polled) {}
  /// True if the turn polled at least one task.
  bool has_polled() const noexcept { return polled_; }

 private:
  bool polled_;
};

/// `run` failed: the Park failed (Rust's `RunError`).
struct RunError {
  std::string_view what() const noexcept { return "Run error"; }
  friend bool operator==(const RunError&, const RunError&) = default;
  friend std::ostream& operator<<(std::ostream& os, const RunError&) { return os << "RunError"; }
};

/// `run_timeout` stopped before the executor was idle (Rust's `RunTimeoutError`).
class RunTimeoutError {
 public:
  explicit RunTimeoutError(bool timeout) noexcept : timeout_(timeout) {}
  /// True if the time ran out (false: the Park failed).
  bool is_timeout() const noexcept { return timeout_; }
  std::string_view what() const noexcept {
    return timeout_ ? "Run timeout error (timeout)" : "Run timeout error (not timeout)";
  }
  friend bool operator==(const RunTimeoutError&, const RunTimeoutError&) = default;
  friend std::ostream& operator<<(std::ostream& os, const RunTimeoutError& e) {
    return os << "RunTimeoutError { timeout: " << (e.timeout_ ? "true" : "false") << " }";
  }

 private:
  bool timeout_;
};

/// `turn` failed: the Park failed (Rust's `TurnError`).
struct TurnError {
  std::string_view what() const noexcept { return "Turn error"; }
  friend bool operator==(const TurnError&, const TurnError&) = default;
  friend std::ostream& operator<<(std::ostream& os, const TurnError&) { return os << "TurnError"; }
};

/// `block_on` failed (Rust's `BlockError<T>`): the future's error, or none when the
/// Park failed.
template <class T>
class BlockError {
 public:
  BlockError() = default;
  explicit BlockError(T error) : inner_(std::move(error)) {}
  /// The future's error (nullopt: the executor failed, not the future).
  std::optional<T> into_inner() && { return std::move(inner_); }
  const std::optional<T>& get_ref() const noexcept { return inner_; }
  std::string_view what() const noexcept { return "Block error"; }
  friend std::ostream& operator<<(std::ostream& os, const BlockError& e) {
    os << "BlockError { inner: ";
    if (e.inner_) {
      if constexpr (requires { os << *e.inner_; }) {
        os << "Some(" << *e.inner_ << ")";
      } else {
        os << "Some(..)";
      }
    } else {
      os << "None";
    }
    return os << " }";
  }

 private:
  std::optional<T> inner_;
};

/// A thread-safe handle for spawning onto a CurrentThread from any thread (Rust's
/// `Handle`). Copyable (Clone). Spawned futures are polled, and destroyed, on the
/// executor's thread, so they must be safe to move there.
///
/// Thread safety: use one Handle object per thread (copy it); a copy may be used
/// concurrently with others.
class Handle {
 public:
  Handle(const Handle& other)
      : shared_(other.shared_), thread_(other.thread_), shut_down_(other.shut_down_.load(std::memory_order_relaxed)) {}
  Handle& operator=(const Handle& other) {
    shared_ = other.shared_;
    thread_ = other.thread_;
    shut_down_.store(other.shut_down_.load(std::memory_order_relaxed), std::memory_order_relaxed);
    return *this;
  }
  Handle clone() const { return *this; }

  /// Spawns `future` (Item and Error `Unit`) on the executor and wakes it. Never polls
  /// it here. Errors: SpawnError::shutdown() once the CurrentThread is destroyed.
  template <class F>
  futures::Result<futures::Unit, SpawnError> spawn(F future) const {
    static_assert(executor::detail::check_spawnable<F>());
    return detail::handle_spawn(shared_, thread_, shut_down_, make_task(std::move(future)));
  }

  /// Err(SpawnError::shutdown()) once the executor is known to be gone.
  futures::Result<futures::Unit, SpawnError> status() const {
    if (shut_down_.load(std::memory_order_relaxed) || detail::handle_is_shut_down(*shared_))
      return futures::Err(SpawnError::shutdown());
    return futures::Ok();
  }

  /// futures::future::Executor: spawns, or hands `future` back if status() fails.
  template <futures::Future F>
    requires std::same_as<typename F::Item, futures::Unit> && std::same_as<typename F::Error, futures::Unit>
  futures::Result<futures::Unit, futures::future::ExecuteError<F>> execute(F future) const {
    if (status().is_err())
      return futures::Err(futures::future::ExecuteError<F>(futures::future::ExecuteErrorKind::Shutdown,
                                                           std::move(future)));
    (void)spawn(std::move(future));
    return futures::Ok();
  }

 private:
  template <park::Park P>
  friend class CurrentThread;
  Handle(std::shared_ptr<detail::Shared> shared, std::thread::id thread)
      : shared_(std::move(shared)), thread_(thread) {}

  std::shared_ptr<detail::Shared> shared_;
  std::thread::id thread_;                                 // the executor's thread
  mutable futures::detail::Atomic<bool> shut_down_{false};  // Rust's Cell<bool> cache
};

/// Spawns onto the CurrentThread that is running on this thread, whichever it is
/// (Rust's `TaskExecutor`). Futures need not be thread-safe. Copyable; holds nothing.
class TaskExecutor final : public Executor {
 public:
  /// Rust's `TaskExecutor::current()`.
  static TaskExecutor current() noexcept { return TaskExecutor(); }
  TaskExecutor clone() const noexcept { return *this; }

  /// Spawns `future` (Item and Error `Unit`) on the running CurrentThread.
  /// Errors: SpawnError::shutdown() when no CurrentThread runs on this thread.
  template <class F>
  futures::Result<futures::Unit, SpawnError> spawn_local(F future) {
    static_assert(executor::detail::check_spawnable<F>());
    return detail::spawn_local_current(make_task(std::move(future)));
  }

  using Executor::spawn;
  futures::Result<futures::Unit, SpawnError> spawn_task(RawTask task) override {
    return detail::spawn_local_current(std::move(task));
  }

  /// futures::future::Executor: hands `future` back (Shutdown) outside a CurrentThread.
  template <futures::Future F>
    requires std::same_as<typename F::Item, futures::Unit> && std::same_as<typename F::Error, futures::Unit>
  futures::Result<futures::Unit, futures::future::ExecuteError<F>> execute(F future) const {
    if (!detail::has_current_runner())
      return futures::Err(futures::future::ExecuteError<F>(futures::future::ExecuteErrorKind::Shutdown,
                                                           std::move(future)));
    (void)detail::spawn_local_current(make_task(std::move(future)));
    return futures::Ok();
  }

 private:
  TaskExecutor() noexcept = default;
};

template <park::Park P>
class Entered;

/// The single-threaded executor (Rust's `CurrentThread<P: Park = ParkThread>`): runs
/// spawned futures on the thread that calls block_on / run / turn, and sleeps on `P`
/// when there is nothing to do. While tasks are queued it polls `P` (zero timeout)
/// between budgeted ticks, unless `P` has a `bool is_idle() const` that says it has
/// nothing to collect. Movable; not thread safe (use `handle()` to spawn from
/// other threads). Destroying it destroys every task that has not finished.
///
/// block_on, run, run_timeout and turn mark the thread as running an executor
/// (`enter()`); calling one of them while an executor already runs on this thread
/// (e.g. from inside a task) throws `futures::Panic` ("failed to start
/// `current_thread::Runtime`: attempted to run an executor while another executor is
/// already running"). CurrentThread does not install itself as the default executor:
/// `tokio::spawn` inside it fails, `current_thread::spawn` works.
template <park::Park P = park::ParkThread>
class CurrentThread : public Executor {
 public:
  CurrentThread()
    requires std::default_initializable<P>
      : CurrentThread(P()) {}
  /// Rust's `new_with_park(park)`.
  explicit CurrentThread(P park)
      : park_(std::move(park)), scheduler_(park::BoxUnpark(park_.unpark())), thread_(std::this_thread::get_id()) {}
  static CurrentThread new_with_park(P park) { return CurrentThread(std::move(park)); }

  CurrentThread(CurrentThread&&) = default;
  CurrentThread& operator=(CurrentThread&&) = delete;

  /// True if no spawned future is left (Handle spawns in flight count).
  bool is_idle() const noexcept { return scheduler_.is_idle(); }

  /// Spawns `future` (Item and Error `Unit`; need not be thread-safe); it is first
  /// polled by the next turn. Rust's inherent `spawn(&mut self, f) -> &mut Self`.
  template <class F>
  CurrentThread& spawn(F future) {
    static_assert(executor::detail::check_spawnable<F>());
    scheduler_.spawn_local(make_task(std::move(future)));
    return *this;
  }

  /// Runs the executor until `future` completes; other tasks run meanwhile and those
  /// left over stay queued. Errors: the future's error in BlockError, or an empty
  /// BlockError if the Park failed. Throws: see the class comment (nested run).
  template <futures::Future F>
  futures::Result<typename F::Item, BlockError<typename F::Error>> block_on(F future) {
    Enter e = enter_or_throw();
    return enter(e).block_on(std::move(future));
  }
  /// Runs until every spawned future has completed.
  futures::Result<futures::Unit, RunError> run() {
    Enter e = enter_or_throw();
    return enter(e).run();
  }
  /// Runs until every spawned future has completed or `duration` has passed.
  futures::Result<futures::Unit, RunTimeoutError> run_timeout(std::chrono::nanoseconds duration) {
    Enter e = enter_or_throw();
    return enter(e).run_timeout(duration);
  }
  /// Parks (for at most `duration`; not at all if a task is queued), then polls each
  /// task notified before the turn began once.
  futures::Result<Turn, TurnError> turn(std::optional<std::chrono::nanoseconds> duration) {
    Enter e = enter_or_throw();
    return enter(e).turn(duration);
  }

  /// Binds the executor to an Enter guard the caller already holds (Rust's `enter`).
  Entered<P> enter(Enter& enter) { return Entered<P>(*this, enter); }

  const P& get_park() const noexcept { return park_; }
  P& get_park_mut() noexcept { return park_; }

  /// A thread-safe spawn handle.
  Handle handle() const { return Handle(scheduler_.shared(), thread_); }

  /// Executor: spawns `task` like spawn(); never fails.
  futures::Result<futures::Unit, SpawnError> spawn_task(RawTask task) override {
    scheduler_.spawn_local(std::move(task));
    return futures::Ok();
  }

 private:
  friend class Entered<P>;

  static Enter enter_or_throw() {
    auto entered = executor::enter();
    if (entered.is_err()) detail::throw_nested_enter();
    return std::move(entered).unwrap();
  }

  P park_;
  detail::Scheduler scheduler_;
  std::thread::id thread_;
};

/// A CurrentThread bound to an Enter guard (Rust's `Entered<'a, P>`): the same
/// operations, without entering again. Borrows both; use it while they live.
template <park::Park P>
class Entered {
 public:
  Entered(CurrentThread<P>& executor, Enter& enter) noexcept : executor_(executor), enter_(enter) {}

  template <class F>
  Entered& spawn(F future) {
    executor_.spawn(std::move(future));
    return *this;
  }

  /// See CurrentThread::block_on.
  template <futures::Future F>
  futures::Result<typename F::Item, BlockError<typename F::Error>> block_on(F future) {
    using Item = typename F::Item;
    using Error = typename F::Error;
    using Out = futures::Result<Item, BlockError<Error>>;
    detail::Scheduler& scheduler = executor_.scheduler_;
    const futures::executor::NotifyHandle& notify = scheduler.notify();
    // The future is polled first, then only when its task was notified (Rust's
    // `MyNotify::take_notify`): ticks that did not touch it do not re-poll it.
    for (bool poll_future = true;; poll_future = scheduler.take_root_notified()) {
      if (poll_future) {
        auto polled = [&] {
          detail::RunnerGuard runner(scheduler);
          futures::task::detail::BorrowedTask borrowed{&notify, 0};
          futures::task::detail::CurrentTaskGuard current(borrowed);
          return future.poll();
        }();
        if (polled.is_err()) {
          return Out(futures::Err(BlockError<Error>(std::move(polled).unwrap_err())));
        }
        if (polled.unwrap_ref().is_ready()) {
          return Out(futures::Ok(std::move(polled).unwrap().value()));
        }
      }
      scheduler.tick(detail::Scheduler::TickMode::Budget);
      if (park_or_poll(scheduler.has_pending_work(), std::nullopt).is_err()) {
        return Out(futures::Err(BlockError<Error>()));
      }
    }
  }

  /// See CurrentThread::run.
  futures::Result<futures::Unit, RunError> run() {
    if (run_until(std::nullopt).is_err()) return futures::Err(RunError{});
    return futures::Ok();
  }
  /// See CurrentThread::run_timeout.
  futures::Result<futures::Unit, RunTimeoutError> run_timeout(std::chrono::nanoseconds duration) {
    return run_until(duration);
  }

  /// See CurrentThread::turn.
  futures::Result<Turn, TurnError> turn(std::optional<std::chrono::nanoseconds> duration) {
    bool parked_ok;
    if (executor_.scheduler_.has_pending_futures()) {
      parked_ok = poll_park().is_ok();
    } else if (duration) {
      parked_ok = executor_.park_.park_timeout(*duration).is_ok();
    } else {
      parked_ok = executor_.park_.park().is_ok();
    }
    if (!parked_ok) return futures::Err(TurnError{});
    return futures::Ok(Turn(executor_.scheduler_.tick(detail::Scheduler::TickMode::Snapshot)));
  }

  const P& get_park() const noexcept { return executor_.park_; }
  P& get_park_mut() noexcept { return executor_.park_; }

 private:
  // Collects what the Park has ready without sleeping. A Park that can tell it has
  // nothing to collect (`is_idle()`: a reactor with no source registered) is skipped:
  // its zero-timeout poll would be a wasted syscall per budgeted tick. Sources
  // registered later make it busy again, and a pending unpark only cuts the next sleep
  // short.
  futures::Result<futures::Unit, typename P::Error> poll_park() {
    if constexpr (requires(const P& park) {
                    { park.is_idle() } -> std::convertible_to<bool>;
                  }) {
      if (executor_.park_.is_idle()) return futures::Ok();
    }
    return executor_.park_.park_timeout(std::chrono::nanoseconds(0));
  }

  // Parks for at most `timeout` (none: until unparked), or only polls the Park without
  // sleeping when work is already waiting.
  futures::Result<futures::Unit, typename P::Error> park_or_poll(bool work_waiting,
                                                                 std::optional<std::chrono::nanoseconds> timeout) {
    if (work_waiting) return poll_park();
    if (timeout) return executor_.park_.park_timeout(*timeout);
    return executor_.park_.park();
  }

  futures::Result<futures::Unit, RunTimeoutError> run_until(std::optional<std::chrono::nanoseconds> duration) {
    using Clock = std::chrono::steady_clock;
    if (executor_.is_idle()) return futures::Ok();
    const std::optional<Clock::time_point> until =
        duration ? std::optional<Clock::time_point>(Clock::now() + *duration) : std::nullopt;
    detail::Scheduler& scheduler = executor_.scheduler_;
    for (;;) {
      scheduler.tick(detail::Scheduler::TickMode::Budget);
      if (executor_.is_idle()) return futures::Ok();
      const bool work_waiting = scheduler.has_pending_futures();
      if (until) {
        const auto now = Clock::now();
        if (now >= *until) return futures::Err(RunTimeoutError(true));
        if (park_or_poll(work_waiting, *until - now).is_err()) return futures::Err(RunTimeoutError(false));
        if (Clock::now() >= *until) return futures::Err(RunTimeoutError(true));
      } else if (park_or_poll(work_waiting, std::nullopt).is_err()) {
        return futures::Err(RunTimeoutError(false));
      }
    }
  }

  CurrentThread<P>& executor_;
  Enter& enter_;
};

/// Runs `future` on a new CurrentThread until it completes, then runs the executor
/// until every future spawned meanwhile has completed (Rust's `block_on_all`). Does not
/// set a default executor (use runtime::current_thread::block_on_all for tokio::spawn).
/// Throws: futures::Panic when nested inside another executor.
template <futures::Future F>
futures::Result<typename F::Item, typename F::Error> block_on_all(F future) {
  CurrentThread<> executor;
  auto ret = executor.block_on(std::move(future));
  (void)executor.run();  // ParkThread never fails
  if (ret.is_ok()) return futures::Ok(std::move(ret).unwrap());
  auto inner = std::move(ret).unwrap_err().into_inner();
  if (!inner) throw futures::Panic("unexpected execution error");
  return futures::Err(std::move(*inner));
}

/// Spawns `future` (Item and Error `Unit`; need not be thread-safe) on the CurrentThread
/// running on this thread (Rust's `tokio_current_thread::spawn`).
/// Throws futures::Panic when no CurrentThread runs here.
template <class F>
void spawn(F future) {
  static_assert(executor::detail::check_spawnable<F>());
  if (detail::spawn_local_current(make_task(std::move(future))).is_err()) detail::throw_outside_executor();
}

}  // namespace tokio::executor::current_thread
