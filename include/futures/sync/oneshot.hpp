// futures layer: sync::oneshot, a thread-safe channel for one value, and oneshot::spawn.
// Mirrors futures 0.1 `src/sync/oneshot.rs`.
//
// Design (as futures 0.1): the two halves share one heap block, `detail::Inner<T>`, with
//  - `complete_`, an atomic flag set by whichever half finishes first (Sender dropped
//    or sent, Receiver dropped or closed); each half reads it with its own meaning;
//  - three tiny try-locks (an atomic bool each, never waited on): the value slot, the
//    receiver's parked task and the sender's parked task.
// Nobody ever blocks: a half that fails to take a try-lock knows the other half is in
// the middle of finishing, and the flag tells it the rest. Every atomic operation is
// sequentially consistent, because the protocol is a store-then-load handshake on two
// different atomics (the flag and a lock) from each side; acquire/release alone can
// lose a wake-up there (futures-rs PR 219).
#pragma once

#include <futures/contract.hpp>
#include <futures/future/executor.hpp>
#include <futures/future/lazy.hpp>
#include <futures/future_ext.hpp>
#include <futures/poll.hpp>
#include <futures/result.hpp>
#include <futures/task.hpp>
#include <futures/unit.hpp>

#include <atomic>
#include <memory>
#include <optional>
#include <ostream>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace futures::sync::oneshot {

/// The error of a `Receiver` whose `Sender` was dropped without sending (Rust's
/// `oneshot::Canceled`). A value: all Canceled are equal. Prints as `Canceled`; its
/// message (`what()`, Rust's Display) is "oneshot canceled".
struct Canceled {
  std::string_view what() const noexcept { return "oneshot canceled"; }
  friend constexpr bool operator==(Canceled, Canceled) noexcept { return true; }
  friend std::ostream& operator<<(std::ostream& os, Canceled) { return os << "Canceled"; }
};

template <class T>
class Sender;
template <class T>
class Receiver;
template <class T>
std::tuple<Sender<T>, Receiver<T>> channel();

namespace detail {

/// A value behind a lock that is only ever *tried* (futures 0.1 `lock.rs`): taking it
/// never waits; a failed attempt tells the caller someone else is working on the value.
template <class T>
class TryLock {
 public:
  /// Owns the lock while alive (or nothing, if the attempt failed).
  class Guard {
   public:
    explicit Guard(TryLock* lock) noexcept : lock_(lock) {}
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;
    ~Guard() { unlock(); }

    explicit operator bool() const noexcept { return lock_ != nullptr; }
    T& operator*() const noexcept { return lock_->value_; }
    T* operator->() const noexcept { return &lock_->value_; }

    /// Releases the lock early.
    void unlock() noexcept {
      if (lock_ != nullptr) {
        // SeqCst release: pairs with the exchange in try_lock() of the next holder, and
        // is ordered before this thread's next load of Core::complete_.
        lock_->locked_.store(false, std::memory_order_seq_cst);
        lock_ = nullptr;
      }
    }

   private:
    TryLock* lock_;
  };

  /// Takes the lock if it is free. Check the guard before using it.
  Guard try_lock() noexcept {
    // SeqCst acquire: pairs with Guard::unlock() of the previous holder.
    return Guard(locked_.exchange(true, std::memory_order_seq_cst) ? nullptr : this);
  }

 private:
  std::atomic<bool> locked_{false};
  T value_{};
};

/// The part of the shared state that does not depend on the value type.
class Core {
 public:
  /// Ready(()) once the receiver is gone or closed; otherwise parks the current task
  /// in tx_task_ and returns NotReady. Needs a current task unless already canceled.
  Poll<Unit, Unit> poll_cancel() {
    // Fast path: the receiver finished (our own drop has not run yet).
    if (complete_.load(std::memory_order_seq_cst)) return Ready();
    task::Task handle = task::current();
    {
      auto slot = tx_task_.try_lock();
      // A failed try_lock means the receiver is notifying us right now: it is gone.
      if (!slot) return Ready();
      *slot = std::move(handle);
    }
    // Re-check after parking: a receiver that set the flag while we held the lock
    // could not notify us. SeqCst: this load is ordered after our unlock above, and the
    // receiver's flag store before its try_lock of tx_task_.
    if (complete_.load(std::memory_order_seq_cst)) return Ready();
    return NotReady;
  }

  bool is_canceled() const noexcept { return complete_.load(std::memory_order_seq_cst); }

  /// The sender is done (sent or dropped): set the flag, wake the parked receiver.
  /// `parked`: the sender may have parked its task with poll_cancel().
  void drop_tx(bool parked = true) noexcept {
    // SeqCst: pairs with the receiver's re-check in recv(); if we fail to take
    // rx_task_ below, the receiver is parking and its re-check will see this store.
    complete_.store(true, std::memory_order_seq_cst);
    take_and_notify(rx_task_);
    // Our own task parked by poll_cancel() is of no further use (Rust keeps it until the
    // receiver wakes it spuriously; unsync's Sender drops it too). A failed try_lock
    // means the receiver is taking it: it gets one harmless notify.
    if (parked) forget(tx_task_);
  }

  /// The receiver closed: sends fail from now on; wake a sender parked in poll_cancel.
  void close_rx() noexcept {
    // SeqCst: pairs with the re-check in poll_cancel() and in send().
    complete_.store(true, std::memory_order_seq_cst);
    take_and_notify(tx_task_);
  }

  /// The receiver is dropped: like close_rx, and forget our own parked task.
  void drop_rx() noexcept {
    complete_.store(true, std::memory_order_seq_cst);  // as in close_rx()
    // Failing means the sender is taking the task to notify it: let it.
    forget(rx_task_);
    take_and_notify(tx_task_);
  }

 protected:
  /// Parks the current task for recv(); returns true if the value (or cancellation)
  /// is already decided, so the caller should look at the slot instead of waiting.
  bool park_rx() {
    // Fast path: the sender finished; no task needed (so close() + poll() works
    // outside any task, as futures 0.1 promises).
    if (complete_.load(std::memory_order_seq_cst)) return true;
    task::Task handle = task::current();
    {
      auto slot = rx_task_.try_lock();
      // Only drop_tx holds this lock while we are alive: the sender has finished.
      if (!slot) return true;
      *slot = std::move(handle);
    }
    // Re-check: a send that completed while we held the lock could not notify us.
    // SeqCst pairs with drop_tx()'s store (see there).
    return complete_.load(std::memory_order_seq_cst);
  }

  std::atomic<bool> complete_{false};

 private:
  static void take_and_notify(TryLock<std::optional<task::Task>>& cell) noexcept {
    std::optional<task::Task> parked;
    {
      // Failing means the other half is storing its task; it re-checks the flag after.
      auto slot = cell.try_lock();
      if (slot) parked = std::exchange(*slot, std::nullopt);
    }
    if (parked) parked->notify();  // after unlocking: notify may run executor code
  }

  /// Empties `cell` if its lock is free; the task is destroyed after unlocking.
  static void forget(TryLock<std::optional<task::Task>>& cell) noexcept {
    std::optional<task::Task> stale;
    if (auto slot = cell.try_lock()) stale = std::exchange(*slot, std::nullopt);
  }

  TryLock<std::optional<task::Task>> rx_task_;
  TryLock<std::optional<task::Task>> tx_task_;
};

/// The shared state of one channel.
template <class T>
class Inner : public Core {
 public:
  /// Stores `t` for the receiver, or hands it back if the receiver is gone or closed.
  /// The caller must call drop_tx() afterwards: that is what publishes the value.
  Result<Unit, T> send(T t) {
    if (complete_.load(std::memory_order_seq_cst)) return Err(std::move(t));
    auto slot = data_.try_lock();
    // The receiver only takes this lock once complete_ is set, i.e. after close().
    if (!slot) return Err(std::move(t));
    slot->emplace(std::move(t));
    slot.unlock();
    // The receiver may have closed between our first check and the unlock; then it may
    // never look at the slot, so take the value back. SeqCst pairs with close_rx().
    if (complete_.load(std::memory_order_seq_cst)) {
      auto again = data_.try_lock();
      // A failed try_lock means the receiver is taking the value right now: delivered.
      if (again && again->has_value()) {
        T back = std::move(**again);
        again->reset();
        return Err(std::move(back));
      }
    }
    return Ok();
  }

  /// The receiver's poll: the value, Canceled, or NotReady with the current task parked.
  Poll<T, Canceled> recv() {
    if (!park_rx()) return NotReady;
    if (std::optional<T> value = take_value()) return Ready(std::move(*value));
    // A failed try_lock in take_value() means the sender is pulling its value back
    // after a close(): it will report the send as failed, so Canceled is right.
    return Err(Canceled{});
  }

  /// recv() without a task: nullopt while undecided; never parks anything.
  Result<std::optional<T>, Canceled> try_recv() {
    if (!complete_.load(std::memory_order_seq_cst)) return Ok(std::optional<T>());
    if (std::optional<T> value = take_value()) return Ok(std::move(value));
    return Err(Canceled{});
  }

 private:
  std::optional<T> take_value() {
    std::optional<T> out;
    if (auto slot = data_.try_lock()) out = std::exchange(*slot, std::nullopt);
    return out;
  }

  TryLock<std::optional<T>> data_;
};

/// The shared state of oneshot::spawn: a channel for the result, and the "keep running
/// after the handle is dropped" flag that SpawnHandle::forget() sets.
template <class T>
struct ExecuteInner : Inner<T> {
  std::atomic<bool> keep_running{false};
};

}  // namespace detail

/// The sending half of a oneshot channel (Rust's `oneshot::Sender`). Move-only.
///
/// Destroying a Sender that has not sent makes the Receiver fail with `Canceled`.
///
/// Thread safety: a Sender may live on another thread than its Receiver; one thread
/// at a time may use a given Sender.
template <class T>
class Sender {
 public:
  Sender(Sender&&) noexcept = default;
  Sender& operator=(Sender&& other) noexcept {
    if (this != &other) {
      release();
      inner_ = std::move(other.inner_);
      polled_cancel_ = other.polled_cancel_;
    }
    return *this;
  }
  ~Sender() { release(); }

  /// Completes the channel with `t`, consuming the Sender.
  ///
  /// Returns Ok(()) when the value was stored for the Receiver (a Receiver dropped
  /// afterwards destroys it unread), or Err(t) giving the value back when the Receiver
  /// was already dropped or closed.
  ///
  /// Notifies: the task parked in `Receiver::poll`, if any.
  Result<Unit, T> send(T t) && {
    if (!inner_) contract_violation("oneshot::Sender::send called on a moved-from Sender");
    Result<Unit, T> sent = inner_->send(std::move(t));
    release();  // Rust drops `self` here; this publishes the value
    return sent;
  }
  void send(T) const& {
    static_assert(futures::detail::always_false<T>,
                  "send() consumes the Sender (Rust takes `self`): call it on an rvalue, e.g. "
                  "std::move(tx).send(value)");
  }

  /// Deprecated (futures 0.1.11): renamed to `send`; the result is discarded.
  [[deprecated("renamed to `send`")]] void complete(T t) && {
    (void)std::move(*this).send(std::move(t));
  }

  /// Ready(()) when the Receiver has been dropped or closed: whatever this Sender
  /// would compute is no longer wanted. Otherwise NotReady, and the current task is
  /// notified when that happens. Outside a task use is_canceled().
  ///
  /// Aborts: calling it outside a task while the Receiver is alive, or on a moved-from
  /// Sender, is a contract violation.
  Poll<Unit, Unit> poll_cancel() {
    if (!inner_) contract_violation("oneshot::Sender::poll_cancel called on a moved-from Sender");
    polled_cancel_ = true;
    return inner_->poll_cancel();
  }

  /// True once the Receiver has been dropped or closed. Never blocks, needs no task.
  /// A moved-from Sender reports true.
  bool is_canceled() const noexcept { return !inner_ || inner_->is_canceled(); }

 private:
  friend std::tuple<Sender<T>, Receiver<T>> channel<T>();
  explicit Sender(std::shared_ptr<detail::Inner<T>> inner) : inner_(std::move(inner)) {}

  void release() noexcept {
    if (inner_) {
      // Two atomic RMWs fewer when no task of ours can be parked (a plain send).
      inner_->drop_tx(polled_cancel_);
      inner_.reset();
    }
  }

  std::shared_ptr<detail::Inner<T>> inner_;  // null once sent or moved from
  bool polled_cancel_ = false;               // poll_cancel() was called: a task may be parked
};

/// The receiving half of a oneshot channel: a future of the sent value (Rust's
/// `oneshot::Receiver`). Item = T, Error = Canceled (the Sender was dropped unsent).
/// Move-only.
///
/// Destroying the Receiver makes later sends fail and wakes a Sender parked in
/// poll_cancel().
///
/// Thread safety: as Sender.
template <class T>
class Receiver : public FutureExt<Receiver<T>> {
 public:
  using Item = T;
  using Error = Canceled;

  Receiver(Receiver&&) noexcept = default;
  Receiver& operator=(Receiver&& other) noexcept {
    if (this != &other) {
      release();
      inner_ = std::move(other.inner_);
    }
    return *this;
  }
  ~Receiver() { release(); }

  /// Ready(value) once sent; Err(Canceled) if the Sender was dropped without sending
  /// (or, after close(), if nothing had been sent); else NotReady.
  ///
  /// Notifies: the current task, when the Sender sends or is dropped.
  /// Aborts: polling again after Ready or Err is a contract violation.
  Poll<T, Canceled> poll() {
    if (!inner_) contract_violation("oneshot::Receiver polled after it completed");
    Poll<T, Canceled> polled = inner_->recv();
    // Decided: the Sender has sent or gone, or close() has already woken it, and every
    // later poll_cancel() sees the flag: drop_rx() would have nobody to tell. A stale
    // handle of ours in the slot goes with the shared state. Five atomic RMWs fewer
    // per channel than release().
    if (polled.is_err() || polled.unwrap_ref().is_ready()) inner_.reset();
    return polled;
  }

  /// Gracefully closes the channel: every send that starts after this returns fails.
  /// A value sent before may still arrive: poll() (no task needed now) or try_recv()
  /// then tell whether one was sent (value) or not (Canceled).
  ///
  /// Notifies: a task parked in the Sender's poll_cancel().
  void close() noexcept {
    if (inner_) inner_->close_rx();
  }

  /// Takes the value without a task, and parks nothing: Ok(value) if sent, Ok(nullopt)
  /// if not yet (stale at once unless close() was called first), Err(Canceled) if the
  /// Sender was dropped without sending (or the value was already taken).
  Result<std::optional<T>, Canceled> try_recv() {
    if (!inner_) return Err(Canceled{});
    return inner_->try_recv();
  }

 private:
  friend std::tuple<Sender<T>, Receiver<T>> channel<T>();
  explicit Receiver(std::shared_ptr<detail::Inner<T>> inner) : inner_(std::move(inner)) {}

  void release() noexcept {
    if (inner_) {
      inner_->drop_rx();
      inner_.reset();
    }
  }

  std::shared_ptr<detail::Inner<T>> inner_;  // null once completed or moved from
};

/// Creates a oneshot channel: `auto [tx, rx] = oneshot::channel<int>();`. The halves
/// may be moved to different threads. One allocation.
template <class T>
std::tuple<Sender<T>, Receiver<T>> channel() {
  static_assert(std::is_move_constructible_v<T>, "oneshot::channel<T>: T must be movable");
  auto inner = std::make_shared<detail::Inner<T>>();
  return {Sender<T>(inner), Receiver<T>(std::move(inner))};
}

// ===== spawn =====

/// The future `spawn` hands to the executor (Rust's `oneshot::Execute<F>`): polls F
/// and sends its result to the SpawnHandle. Item and Error are Unit.
///
/// While the SpawnHandle is alive (or after forget()), it polls F; once the handle is
/// dropped without forget(), it completes at its next poll without polling F again,
/// so the executor drops F (cancellation). Made by `spawn`; not meant to be built by
/// hand.
template <class F>
class Execute : public FutureExt<Execute<F>> {
 public:
  using Item = Unit;
  using Error = Unit;
  using State = detail::ExecuteInner<Result<typename F::Item, typename F::Error>>;

  Execute(F future, std::shared_ptr<State> tx) : future_(std::move(future)), tx_(std::move(tx)) {}
  Execute(Execute&&) = default;
  Execute& operator=(Execute&&) = delete;
  ~Execute() { release(); }

  /// Notifies: whatever F arranges, and this task when the handle is dropped.
  /// Aborts: polling again after Ready is a contract violation.
  Poll<Unit, Unit> poll() {
    if (!tx_) contract_violation("oneshot::Execute polled after it completed");
    // SeqCst load pairs with the store in SpawnHandle::forget(), which happens before
    // the handle's drop_rx() that made poll_cancel() Ready.
    if (tx_->poll_cancel().unwrap_ref().is_ready() &&
        !tx_->keep_running.load(std::memory_order_seq_cst)) {
      release();
      return Ready();
    }
    auto polled = future_.poll();
    if (polled.is_ok() && polled.unwrap_ref().is_not_ready()) return NotReady;
    Result<typename F::Item, typename F::Error> result =
        polled.is_ok() ? Result<typename F::Item, typename F::Error>(Ok(std::move(polled).unwrap().value()))
                       : Result<typename F::Item, typename F::Error>(Err(std::move(polled).unwrap_err()));
    (void)tx_->send(std::move(result));  // a dropped, forgotten handle wants nothing
    release();
    return Ready();
  }

 private:
  void release() noexcept {
    if (tx_) {
      tx_->drop_tx();
      tx_.reset();
    }
  }

  F future_;
  std::shared_ptr<State> tx_;  // null once completed or moved from
};

/// A future of the result of a future spawned with `oneshot::spawn` (Rust's
/// `SpawnHandle<T, E>`): Item T, Error E. Move-only.
///
/// Destroying the handle cancels the spawned future (the executor drops it at its next
/// poll) unless forget() was called.
///
/// Panics: polling it after the executor dropped the spawned future without running
/// it to completion throws futures::Panic ("future was canceled before completion").
template <class T, class E>
class SpawnHandle : public FutureExt<SpawnHandle<T, E>> {
 public:
  using Item = T;
  using Error = E;
  using State = detail::ExecuteInner<Result<T, E>>;

  explicit SpawnHandle(std::shared_ptr<State> rx) : rx_(std::move(rx)) {}
  SpawnHandle(SpawnHandle&&) noexcept = default;
  SpawnHandle& operator=(SpawnHandle&& other) noexcept {
    if (this != &other) {
      release();
      rx_ = std::move(other.rx_);
    }
    return *this;
  }
  ~SpawnHandle() { release(); }

  /// Lets the spawned future run to completion although this handle goes away.
  void forget() && {
    if (!rx_) return;
    // SeqCst: pairs with the load in Execute::poll(); ordered before release()'s flag.
    rx_->keep_running.store(true, std::memory_order_seq_cst);
    release();
  }
  void forget() const& {
    static_assert(futures::detail::always_false<T, E>,
                  "forget() consumes the SpawnHandle (Rust takes `self`): call it on an rvalue, "
                  "e.g. std::move(handle).forget()");
  }

  /// The spawned future's outcome: Ready(item) or Err(error); NotReady until then
  /// (the current task is notified when it completes).
  /// Aborts: polling again after Ready or Err is a contract violation.
  Poll<T, E> poll() {
    if (!rx_) contract_violation("oneshot::SpawnHandle polled after it completed");
    Poll<Result<T, E>, Canceled> polled = rx_->recv();
    if (polled.is_ok() && polled.unwrap_ref().is_not_ready()) return NotReady;
    release();
    if (polled.is_err()) throw Panic("future was canceled before completion");
    Result<T, E> result = std::move(polled).unwrap().value();
    if (result.is_err()) return Err(std::move(result).unwrap_err());
    return Ready(std::move(result).unwrap());
  }

 private:
  void release() noexcept {
    if (rx_) {
      rx_->drop_rx();
      rx_.reset();
    }
  }

  std::shared_ptr<State> rx_;  // null once completed, forgotten or moved from
};

/// Spawns `future` on `executor` and returns a handle that resolves to its result
/// (Rust's `oneshot::spawn`). The handle may be polled on any thread.
///
/// `executor` must satisfy `future::Executor<Ex, Execute<F>>`. Dropping the handle
/// cancels the future unless `forget()` is called.
///
/// Panics: throws futures::Panic ("failed to spawn future: ...") if the executor
/// refuses the future.
template <class F, class Ex>
SpawnHandle<typename F::Item, typename F::Error> spawn(F future, Ex&& executor) {
  static_assert(Future<F>, "oneshot::spawn(future, executor): future must be a Future");
  static_assert(future::Executor<std::remove_reference_t<Ex>, Execute<F>>,
                "oneshot::spawn(future, executor): executor must have "
                "`Result<Unit, future::ExecuteError<Execute<F>>> execute(Execute<F>) const`");
  using State = detail::ExecuteInner<Result<typename F::Item, typename F::Error>>;
  auto data = std::make_shared<State>();
  SpawnHandle<typename F::Item, typename F::Error> handle(data);
  executor.execute(Execute<F>(std::move(future), std::move(data))).expect("failed to spawn future");
  return handle;
}

/// Runs `f()` on `executor` and resolves to the result of the future (or Result) it
/// returns: `spawn(future::lazy(f), executor)` (Rust's `oneshot::spawn_fn`).
template <class F, class Ex>
auto spawn_fn(F f, Ex&& executor) {
  return oneshot::spawn(future::lazy(std::move(f)), std::forward<Ex>(executor));
}

}  // namespace futures::sync::oneshot
