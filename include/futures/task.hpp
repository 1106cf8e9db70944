// futures layer: tasks and notification. Mirrors futures 0.1 `task` and the `Notify`
// half of `executor`.
//
// The model: an executor polls a future "inside a task". While it does, the task is
// *current* on that thread, and a leaf future that returns NotReady first takes a
// handle to it (`task::current()`) and stores it where the event it waits for will
// find it. When the event happens, `Task::notify()` asks the executor to poll the task
// again. The executor learns of the request through its `Notify` object, told which
// future (`id`) to poll. Notifies coalesce: many before the next poll give one poll; a
// notify during a poll gives one more poll after it returns.
#pragma once

#include <futures/detail/atomic.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace futures::task {
class Task;
}  // namespace futures::task

namespace futures::executor {

/// What an executor implements to hear that a task wants polling again.
///
/// Thread safety: `notify` may be called from any thread, concurrently, and possibly
/// after the future it names has completed (ignore such calls).
class Notify {
 public:
  virtual ~Notify() = default;
  /// Task `id` should be polled again.
  virtual void notify(std::size_t id) = 0;
  /// A Task handle naming `id` was copied; returns the id the copy uses.
  virtual std::size_t clone_id(std::size_t id) { return id; }
  /// A Task handle naming `id` was destroyed.
  virtual void drop_id(std::size_t) {}

  /// True if this Notify stays alive from every clone_id until its matching drop_id:
  /// Task handles then hold no shared_ptr to it (two atomic RMWs fewer per clone).
  bool ids_keep_alive() const noexcept { return ids_keep_alive_; }

 protected:
  /// For implementations that guarantee ids_keep_alive() (call in the constructor).
  void set_ids_keep_alive() noexcept { ids_keep_alive_ = true; }

 private:
  bool ids_keep_alive_ = false;
};

/// A shared, type-erased reference to a Notify (Rust's `NotifyHandle`).
class NotifyHandle {
 public:
  template <class N>
    requires std::is_base_of_v<Notify, N>
  NotifyHandle(std::shared_ptr<N> notify) : inner_(std::move(notify)) {}

  void notify(std::size_t id) const { inner_->notify(id); }
  std::size_t clone_id(std::size_t id) const { return inner_->clone_id(id); }
  void drop_id(std::size_t id) const { inner_->drop_id(id); }
  Notify* get() const noexcept { return inner_.get(); }

  friend bool operator==(const NotifyHandle& a, const NotifyHandle& b) noexcept {
    return a.inner_ == b.inner_;
  }

 private:
  friend class futures::task::Task;
  std::shared_ptr<Notify> inner_;
};

}  // namespace futures::executor

namespace futures::task {

class Task;

namespace detail {
/// The task being polled on this thread, as the executor lent it: no refcount taken
/// until someone calls task::current().
struct BorrowedTask {
  const executor::NotifyHandle* notify;
  std::size_t id;
};

/// Returns the current task of this thread, or nullptr.
const BorrowedTask* current_borrowed() noexcept;

/// Makes `task` current on this thread for the guard's lifetime (nesting allowed).
class CurrentTaskGuard {
 public:
  explicit CurrentTaskGuard(const BorrowedTask& task) noexcept;
  ~CurrentTaskGuard();
  CurrentTaskGuard(const CurrentTaskGuard&) = delete;
  CurrentTaskGuard& operator=(const CurrentTaskGuard&) = delete;

 private:
  const BorrowedTask* previous_;
};
}  // namespace detail

/// A handle to a task that can be notified from any thread (Rust's `Task`).
/// Copyable (Clone); cheap to move.
class Task {
 public:
  Task(const executor::NotifyHandle& notify, std::size_t id)
      : notify_(notify.inner_), id_(notify.clone_id(id)) {}
  Task(const Task& other) : notify_(other.notify_), id_(notify_.get()->clone_id(other.id_)) {}
  Task(Task&& other) noexcept = default;
  Task& operator=(const Task& other) {
    if (this != &other) *this = Task(other);
    return *this;
  }
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      release();
      notify_ = std::move(other.notify_);
      id_ = other.id_;
    }
    return *this;
  }
  ~Task() { release(); }

  Task clone() const { return *this; }

  /// Asks the task's executor to poll it again. Never blocks; from any thread.
  void notify() const { notify_.get()->notify(id_); }
  /// Rust's `unpark` (deprecated alias of notify).
  void unpark() const { notify(); }

  /// True if notifying this handle would notify the task that is current on this
  /// thread (never a false positive).
  bool will_notify_current() const noexcept;
  /// Deprecated spelling of will_notify_current().
  bool is_current() const noexcept { return will_notify_current(); }

 private:
  void release() noexcept {
    if (notify_.get() != nullptr) notify_.get()->drop_id(id_);  // null once moved from
  }

  // The Notify, and a share of its ownership unless its ids keep it alive.
  class NotifyRef {
   public:
    explicit NotifyRef(const std::shared_ptr<executor::Notify>& notify)
        : notify_(notify.get()), owner_(notify->ids_keep_alive() ? nullptr : notify) {}
    NotifyRef(const NotifyRef&) = default;
    NotifyRef(NotifyRef&& other) noexcept
        : notify_(std::exchange(other.notify_, nullptr)), owner_(std::move(other.owner_)) {}
    NotifyRef& operator=(NotifyRef&& other) noexcept {
      notify_ = std::exchange(other.notify_, nullptr);
      owner_ = std::move(other.owner_);
      return *this;
    }
    ~NotifyRef() = default;
    executor::Notify* get() const noexcept { return notify_; }

   private:
    executor::Notify* notify_;
    std::shared_ptr<executor::Notify> owner_;
  };

  NotifyRef notify_;
  std::size_t id_;
};

/// A handle to the task currently being polled on this thread.
///
/// Aborts: calling it outside a task (nothing is polling a future here) is a contract
/// violation, reported with a message that says how to run a future in a task.
Task current();

/// Rust's deprecated `park()`, the old name of current().
inline Task park() { return current(); }

/// True when called from inside a task.
bool is_in_task() noexcept;

/// A slot holding at most one Task, written by a consumer and read by producers
/// (Rust's `AtomicTask`). Lock-free.
///
/// Protocol: the consumer calls `register_()` *before* checking whether the event it
/// waits for happened; the producer publishes the event *then* calls `notify()`. A
/// notify with no task registered does nothing; a notify that races with a register
/// notifies the task being registered.
///
/// Thread safety: one register at a time (the owning consumer); notify from any
/// number of threads at once.
class AtomicTask {
 public:
  AtomicTask() noexcept = default;
  AtomicTask(const AtomicTask&) = delete;
  AtomicTask& operator=(const AtomicTask&) = delete;
  ~AtomicTask();

  /// Registers the current task (Rust's `register`, a C++ keyword).
  void register_();
  /// Registers `task`.
  void register_task(Task task);
  /// Notifies the registered task, if any, and empties the slot.
  void notify();

 private:
  // state_ bits: kRegistering while a register_task holds the slot, kNotifying while a
  // notify holds it. Both set means a notify arrived during a register.
  static constexpr std::uint8_t kWaiting = 0;
  static constexpr std::uint8_t kRegistering = 1;
  static constexpr std::uint8_t kNotifying = 2;

  // Moves the task out of the slot; the caller holds the slot through state_.
  std::optional<Task> take_task();

  futures::detail::Atomic<std::uint8_t> state_{kWaiting};
  // Guarded by whichever bit of state_ the owner set.
  futures::detail::UnsafeCell<std::optional<Task>> task_;
};

}  // namespace futures::task
