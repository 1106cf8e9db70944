// futures layer: unsync::oneshot, the single-thread oneshot channel, and its spawn.
// Mirrors futures 0.1 `src/unsync/oneshot.rs`.
//
// Same API as sync::oneshot, without atomics: both halves and everything they touch
// must stay on one thread (Rust's `!Send`). Rust keeps the state in an `Rc<RefCell<_>>`
// that the Receiver owns and the Sender holds weakly; here the two halves share one
// heap block with two "alive" flags, and whichever half lets go last frees it.
#pragma once

#include <futures/contract.hpp>
#include <futures/future/executor.hpp>
#include <futures/future/lazy.hpp>
#include <futures/future_ext.hpp>
#include <futures/poll.hpp>
#include <futures/result.hpp>
#include <futures/sync/oneshot.hpp>
#include <futures/task.hpp>
#include <futures/unit.hpp>

#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

namespace futures::unsync::oneshot {

/// The receiver's error when the sender was dropped unsent; the same type as
/// sync::oneshot's (Rust re-exports it).
using sync::oneshot::Canceled;

template <class T>
class Sender;
template <class T>
class Receiver;
template <class T>
std::tuple<Sender<T>, Receiver<T>> channel();
template <class F>
class Execute;
template <class T, class E>
class SpawnHandle;

namespace detail {

/// The shared state, freed by whichever half lets go last.
///
/// `rx_open` is Rust's "the Receiver's Rc is alive" (the Sender's Weak can upgrade):
/// cleared by close() and by dropping the Receiver. `rx_alive` / `tx_alive` say which
/// halves still point here. A value that arrived before close() stays in `value` until
/// the Receiver takes it (Rust moves it into `State::Closed`).
template <class T>
struct Inner {
  std::optional<T> value;
  std::optional<task::Task> tx_task;
  std::optional<task::Task> rx_task;
  bool rx_open = true;
  bool rx_alive = true;
  bool tx_alive = true;
  bool keep_running = false;  // SpawnHandle::forget() was called (spawn only)
};

}  // namespace detail

/// The sending half (Rust's `unsync::oneshot::Sender`). Move-only; one thread.
/// Destroying it unsent makes the Receiver fail with `Canceled`.
template <class T>
class Sender {
 public:
  Sender(Sender&& other) noexcept : inner_(std::exchange(other.inner_, nullptr)) {}
  Sender& operator=(Sender&& other) noexcept {
    if (this != &other) {
      release();
      inner_ = std::exchange(other.inner_, nullptr);
    }
    return *this;
  }
  ~Sender() { release(); }

  /// Completes the channel with `t`, consuming the Sender: Ok(()) if the Receiver is
  /// still open, else Err(t) with the value handed back.
  ///
  /// Notifies: the task parked in `Receiver::poll`, if any.
  Result<Unit, T> send(T t) && {
    if (inner_ == nullptr) contract_violation("unsync::oneshot::Sender::send called on a moved-from Sender");
    if (!inner_->rx_open) {
      release();
      return Err(std::move(t));
    }
    inner_->value.emplace(std::move(t));
    release();  // Rust drops `self` here, which wakes the receiver
    return Ok();
  }
  void send(T) const& {
    static_assert(futures::detail::always_false<T>,
                  "send() consumes the Sender (Rust takes `self`): call it on an rvalue, e.g. "
                  "std::move(tx).send(value)");
  }

  /// Ready(()) once the Receiver has been dropped or closed; otherwise NotReady, and
  /// the current task is notified when that happens.
  ///
  /// Aborts: calling it outside a task while the Receiver is open, or on a moved-from
  /// Sender, is a contract violation.
  Poll<Unit, Unit> poll_cancel() {
    if (inner_ == nullptr)
      contract_violation("unsync::oneshot::Sender::poll_cancel called on a moved-from Sender");
    if (!inner_->rx_open) return Ready();
    inner_->tx_task = task::current();
    return NotReady;
  }

  /// True once the Receiver has been dropped or closed (a moved-from Sender: true).
  bool is_canceled() const noexcept { return inner_ == nullptr || !inner_->rx_open; }

 private:
  friend std::tuple<Sender<T>, Receiver<T>> channel<T>();
  template <class F>
  friend class Execute;
  explicit Sender(detail::Inner<T>* inner) noexcept : inner_(inner) {}

  void release() noexcept {
    detail::Inner<T>* inner = std::exchange(inner_, nullptr);
    if (inner == nullptr) return;
    if (!inner->rx_alive) {
      delete inner;  // the Receiver let go first
      return;
    }
    inner->tx_alive = false;
    inner->tx_task.reset();
    std::optional<task::Task> rx_task = std::exchange(inner->rx_task, std::nullopt);
    if (rx_task) rx_task->notify();
  }

  detail::Inner<T>* inner_;  // null once sent or moved from
};

/// The receiving half: a future of the sent value (Rust's `unsync::oneshot::Receiver`).
/// Item = T, Error = Canceled. Move-only; one thread.
template <class T>
class Receiver : public FutureExt<Receiver<T>> {
 public:
  using Item = T;
  using Error = Canceled;

  Receiver(Receiver&& other) noexcept : inner_(std::exchange(other.inner_, nullptr)) {}
  Receiver& operator=(Receiver&& other) noexcept {
    if (this != &other) {
      release();
      inner_ = std::exchange(other.inner_, nullptr);
    }
    return *this;
  }
  ~Receiver() { release(); }

  /// Ready(value) once sent; Err(Canceled) if the Sender was dropped unsent (or, after
  /// close(), if nothing had been sent); else NotReady.
  ///
  /// Notifies: the current task, when the Sender sends or is dropped.
  /// Aborts: polling again after Ready or Err is a contract violation.
  Poll<T, Canceled> poll() {
    if (inner_ == nullptr) contract_violation("unsync::oneshot::Receiver polled after it completed");
    if (inner_->value) {
      T value = std::move(*inner_->value);
      release();
      return Ready(std::move(value));
    }
    // Closed with nothing sent, or Rust's `Rc::get_mut` succeeding: no Sender any more.
    if (!inner_->rx_open || !inner_->tx_alive) {
      release();
      return Err(Canceled{});
    }
    inner_->rx_task = task::current();
    return NotReady;
  }

  /// Closes the channel: later sends fail. A value sent before is kept, and poll()
  /// (no task needed now) returns it, or Canceled if none was sent.
  ///
  /// Notifies: a task parked in the Sender's poll_cancel().
  void close() noexcept {
    if (inner_ == nullptr || !inner_->rx_open) return;
    inner_->rx_open = false;
    inner_->rx_task.reset();
    std::optional<task::Task> tx_task = std::exchange(inner_->tx_task, std::nullopt);
    if (tx_task) tx_task->notify();
  }

 private:
  friend std::tuple<Sender<T>, Receiver<T>> channel<T>();
  template <class U, class E>
  friend class SpawnHandle;

  explicit Receiver(detail::Inner<T>* inner) noexcept : inner_(inner) {}

  /// Closes, then lets go of the shared state (freeing it if the Sender is gone).
  void release() noexcept {
    close();
    detail::Inner<T>* inner = std::exchange(inner_, nullptr);
    if (inner == nullptr) return;
    inner->value.reset();
    inner->rx_alive = false;
    if (!inner->tx_alive) delete inner;
  }

  detail::Inner<T>* inner_;  // null once completed or moved from
};

/// Creates a single-thread oneshot channel: `auto [tx, rx] = unsync::oneshot::channel<int>();`.
/// One allocation.
template <class T>
std::tuple<Sender<T>, Receiver<T>> channel() {
  static_assert(std::is_move_constructible_v<T>, "unsync::oneshot::channel<T>: T must be movable");
  auto* inner = new detail::Inner<T>();
  return {Sender<T>(inner), Receiver<T>(inner)};
}

// ===== spawn =====

/// The future `spawn` hands to the executor (Rust's `unsync::oneshot::Execute<F>`):
/// polls F and sends its result to the SpawnHandle. Item and Error are Unit. Once the
/// handle is dropped without forget(), it completes at its next poll without polling
/// F again, so the executor drops F. Made by `spawn`.
template <class F>
class Execute : public FutureExt<Execute<F>> {
 public:
  using Item = Unit;
  using Error = Unit;
  using Outcome = Result<typename F::Item, typename F::Error>;

  Execute(F future, Sender<Outcome> tx) : future_(std::move(future)), tx_(std::move(tx)) {}

  /// Notifies: whatever F arranges, and this task when the handle is dropped.
  /// Aborts: polling again after Ready is a contract violation.
  Poll<Unit, Unit> poll() {
    if (!tx_) contract_violation("unsync::oneshot::Execute polled after it completed");
    if (tx_->poll_cancel().unwrap_ref().is_ready() && !tx_->inner_->keep_running) {
      tx_.reset();
      return Ready();
    }
    auto polled = future_.poll();
    if (polled.is_ok() && polled.unwrap_ref().is_not_ready()) return NotReady;
    Outcome result = polled.is_ok() ? Outcome(Ok(std::move(polled).unwrap().value()))
                                    : Outcome(Err(std::move(polled).unwrap_err()));
    Sender<Outcome> tx = std::move(*tx_);
    tx_.reset();
    (void)std::move(tx).send(std::move(result));  // a dropped, forgotten handle wants nothing
    return Ready();
  }

 private:
  F future_;
  std::optional<Sender<Outcome>> tx_;  // empty once completed
};

/// A future of the result of a future spawned with `unsync::oneshot::spawn` (Rust's
/// `unsync::oneshot::SpawnHandle<T, E>`). Destroying it cancels the spawned future
/// unless forget() was called.
///
/// Panics: polling it after the executor dropped the spawned future without running it
/// to completion throws futures::Panic ("future was canceled before completion").
template <class T, class E>
class SpawnHandle : public FutureExt<SpawnHandle<T, E>> {
 public:
  using Item = T;
  using Error = E;

  explicit SpawnHandle(Receiver<Result<T, E>> rx) : rx_(std::move(rx)) {}

  /// Lets the spawned future run to completion although this handle goes away.
  void forget() && {
    if (rx_.inner_ != nullptr) rx_.inner_->keep_running = true;
    rx_.release();
  }
  void forget() const& {
    static_assert(futures::detail::always_false<T, E>,
                  "forget() consumes the SpawnHandle (Rust takes `self`): call it on an rvalue, "
                  "e.g. std::move(handle).forget()");
  }

  /// The spawned future's outcome: Ready(item) or Err(error); NotReady until then.
  /// Aborts: polling again after Ready or Err is a contract violation.
  Poll<T, E> poll() {
    if (rx_.inner_ == nullptr) contract_violation("unsync::oneshot::SpawnHandle polled after it completed");
    Poll<Result<T, E>, Canceled> polled = rx_.poll();
    if (polled.is_err()) throw Panic("future was canceled before completion");
    if (polled.unwrap_ref().is_not_ready()) return NotReady;
    Result<T, E> result = std::move(polled).unwrap().value();
    if (result.is_err()) return Err(std::move(result).unwrap_err());
    return Ready(std::move(result).unwrap());
  }

 private:
  Receiver<Result<T, E>> rx_;
};

/// Spawns `future` on `executor` (which must satisfy
/// `future::Executor<Ex, unsync::oneshot::Execute<F>>`) and returns a handle that
/// resolves to its result. Dropping the handle cancels the future unless `forget()`.
///
/// Panics: throws futures::Panic ("failed to spawn future: ...") if the executor
/// refuses the future.
template <class F, class Ex>
SpawnHandle<typename F::Item, typename F::Error> spawn(F future, Ex&& executor) {
  static_assert(Future<F>, "unsync::oneshot::spawn(future, executor): future must be a Future");
  static_assert(future::Executor<std::remove_reference_t<Ex>, Execute<F>>,
                "unsync::oneshot::spawn(future, executor): executor must have "
                "`Result<Unit, future::ExecuteError<Execute<F>>> execute(Execute<F>) const`");
  auto [tx, rx] = channel<Result<typename F::Item, typename F::Error>>();
  executor.execute(Execute<F>(std::move(future), std::move(tx))).expect("failed to spawn future");
  return SpawnHandle<typename F::Item, typename F::Error>(std::move(rx));
}

/// Runs `f()` on `executor` and resolves to the result of the future (or Result) it
/// returns: `spawn(future::lazy(f), executor)`.
template <class F, class Ex>
auto spawn_fn(F f, Ex&& executor) {
  return oneshot::spawn(future::lazy(std::move(f)), std::forward<Ex>(executor));
}

}  // namespace futures::unsync::oneshot
