// futures layer: Shared<F>, SharedItem<T>, SharedError<E>: a future whose copies all
// resolve to one result. Mirrors futures 0.1 `src/future/shared.rs`.
//
// Model. Every copy of a Shared points to one heap-allocated Inner: the future (inside a
// Spawn, so it is always polled under Inner's own Notify), the result once known, and
// the SharedNotifier, which holds the state word and the tasks of the copies waiting.
// A copy's poll first registers its task in the waiter map under its own id, then tries
// to move the state Idle -> Polling. The winner polls the inner future; the others
// return NotReady and are woken when SharedNotifier::notify runs, which happens when the
// inner future signals progress and when it completes. Because the poller registered
// itself too, a notification that arrives while it is polling (the inner future woke
// itself) wakes it through its executor.
//
// The states (SharedNotifier::state, one atomic word; transitions under seq_cst, as in
// Rust):
//   kIdle      nobody polls the inner future.           -> kPolling (a copy's poll)
//   kPolling   one copy polls it (it alone may touch Inner::future). -> kIdle (NotReady),
//              kComplete (finished), kPoisoned (its poll threw)
//   kComplete  Inner::result is set, the future destroyed. Final.
//   kPoisoned  the inner poll threw. Final.
//
// futures 0.1 once had a REPOLL state (the poller looped when notified mid-poll); 0.1.31
// removed it ("Shared must relinquish control to the executor if repolled") because the
// loop starved the poller's executor when the inner future woke itself on every poll.
// This port follows 0.1.31: the self-wakeup reaches the poller's own task instead.
#pragma once

#include <futures/contract.hpp>
#include <futures/detail/print.hpp>
#include <futures/executor.hpp>
#include <futures/future_ext.hpp>
#include <futures/poll.hpp>
#include <futures/result.hpp>
#include <futures/task.hpp>

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <unordered_map>
#include <utility>

namespace futures::future {

/// The Item of a Shared: a copyable, shared, read-only handle to the inner future's
/// Item (Rust's `SharedItem`, an `Arc<T>` with `Deref`). `*x`, `x->m` and `x.get()` all
/// reach the one value every copy of the Shared sees.
template <class T>
class SharedItem {
 public:
  const T& operator*() const noexcept { return *item_; }
  const T* operator->() const noexcept { return item_.get(); }
  /// The value (Rust's `&*item`).
  const T& get() const noexcept { return *item_; }

  friend std::ostream& operator<<(std::ostream& os, const SharedItem& x) {
    futures::detail::print_value(os, *x.item_);
    return os;
  }

 private:
  template <class F>
  friend class Shared;
  explicit SharedItem(std::shared_ptr<const T> item) : item_(std::move(item)) {}

  std::shared_ptr<const T> item_;
};

/// The Error of a Shared: a copyable, shared, read-only handle to the inner future's
/// Error (Rust's `SharedError`). `*e`, `e->m` and `e.get()` reach the one error value.
template <class E>
class SharedError {
 public:
  const E& operator*() const noexcept { return *error_; }
  const E* operator->() const noexcept { return error_.get(); }
  /// The error (Rust's `&*error`).
  const E& get() const noexcept { return *error_; }

  /// Prints the error (Rust's `Display`/`Debug` forward to the inner error).
  friend std::ostream& operator<<(std::ostream& os, const SharedError& e) {
    futures::detail::print_value(os, *e.error_);
    return os;
  }

 private:
  template <class F>
  friend class Shared;
  explicit SharedError(std::shared_ptr<const E> error) : error_(std::move(error)) {}

  std::shared_ptr<const E> error_;
};

namespace detail {

/// The Notify the inner future of a Shared is polled under, and the state shared by
/// all copies (Rust's `Notifier`). Not a template: the same for every Shared.
class SharedNotifier final : public executor::Notify {
 public:
  static constexpr std::size_t kIdle = 0;
  static constexpr std::size_t kPolling = 1;
  static constexpr std::size_t kComplete = 2;
  static constexpr std::size_t kPoisoned = 3;

  /// The state word (see the top of this file). All accesses are seq_cst, as Rust's:
  /// the Idle -> Polling CAS pairs with the store that released the poller role (kIdle)
  /// so the next poller sees Inner::future as the last one left it, and the load/CAS
  /// that reads kComplete pairs with the kComplete store, so Inner::result is visible.
  std::atomic<std::size_t> state{kIdle};

  /// Wakes every waiting copy's task (and empties the waiter map). From any thread.
  void notify(std::size_t) override {
    std::unordered_map<std::size_t, task::Task> waiters;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      waiters.swap(waiters_);
    }
    // Outside the lock: a woken task may be polled at once on this thread (an inline
    // executor), and its poll registers again.
    for (auto& entry : waiters)
      entry.second.notify();
  }

  /// Records (or replaces) the task copy `waiter` wants woken.
  void set_waiter(std::size_t waiter, task::Task task) {
    std::lock_guard<std::mutex> lock(mutex_);
    waiters_.insert_or_assign(waiter, std::move(task));
  }

  /// Forgets copy `waiter` (it is being destroyed).
  void remove_waiter(std::size_t waiter) {
    std::unordered_map<std::size_t, task::Task>::node_type node;  // destroyed unlocked
    std::lock_guard<std::mutex> lock(mutex_);
    node = waiters_.extract(waiter);
  }

 private:
  std::mutex mutex_;
  std::unordered_map<std::size_t, task::Task> waiters_;  // guarded by mutex_
};

}  // namespace detail

/// A copyable future: every copy resolves to the same `SharedItem<F::Item>` or
/// `SharedError<F::Error>` (Rust's `Shared`, made by `std::move(f).shared()`).
///
/// Whichever copy is polled drives the inner future; copies polled meanwhile register
/// their task and return NotReady. Polling a copy after the result is known returns it
/// again (each copy may be polled to completion once more; this is not a contract
/// violation, unlike most futures). `peek()` reads the result without polling.
///
/// Allocates: one Inner per Shared (shared by the copies) and a waiter entry per
/// registration, as Rust's `Arc` and `HashMap`.
/// Notifies: the tasks of all waiting copies, whenever the inner future signals
/// progress and when it completes (then each copy polls and takes the result).
/// Panics: if the inner future's poll throws, the exception propagates out of the
/// polling copy's poll, the Shared is poisoned and every waiting copy is woken; from
/// then on poll() and peek() on any copy throw futures::Panic("inner future panicked
/// during poll"), as Rust panics (they do not rethrow the original exception).
/// Thread safety: different copies may be used on different threads at once (F's Item
/// and Error are then read concurrently, through const references); one copy is used
/// by one thread at a time, like any future.
/// Aborts: polling a moved-from Shared is a contract violation.
template <class F>
class Shared : public FutureExt<Shared<F>> {
 public:
  using Item = SharedItem<typename F::Item>;
  using Error = SharedError<typename F::Error>;

  explicit Shared(F future) : inner_(std::make_shared<Inner>(std::move(future))), waiter_(0) {}

  /// A new copy with its own waiter id (Rust's `Clone`).
  Shared(const Shared& other) : inner_(other.inner_), waiter_(other.next_waiter_id()) {}
  Shared(Shared&& other) noexcept : inner_(std::move(other.inner_)), waiter_(other.waiter_) {}
  Shared& operator=(const Shared& other) {
    if (this != &other) *this = Shared(other);
    return *this;
  }
  Shared& operator=(Shared&& other) noexcept {
    if (this != &other) {
      release();
      inner_ = std::move(other.inner_);
      waiter_ = other.waiter_;
    }
    return *this;
  }
  ~Shared() { release(); }

  Shared clone() const { return *this; }

  /// The result, if any copy has completed the inner future; nullopt otherwise. Never
  /// polls the inner future. Panics (throws futures::Panic) if the Shared is poisoned.
  std::optional<Result<Item, Error>> peek() const {
    if (!inner_) contract_violation("Shared::peek called on a moved-from Shared");
    switch (inner_->notifier->state.load()) {  // seq_cst: pairs with the kComplete store
      case detail::SharedNotifier::kComplete:
        return clone_result();
      case detail::SharedNotifier::kPoisoned:
        throw Panic("inner future panicked during poll");
      default:
        return std::nullopt;
    }
  }

  Poll<Item, Error> poll() {
    if (!inner_) contract_violation("Shared polled after it was moved from");
    Inner& inner = *inner_;
    detail::SharedNotifier& notifier = *inner.notifier;
    // Fast path once complete: nothing will be notified any more, so no need to register.
    // seq_cst: pairs with the kComplete store, so inner.result is visible.
    if (notifier.state.load() == detail::SharedNotifier::kComplete) return to_poll(clone_result());
    // Register before trying to become the poller: if another copy is polling, its
    // completion (or the inner future's wakeup) must find this task in the map.
    notifier.set_waiter(waiter_, task::current());

    std::size_t state = detail::SharedNotifier::kIdle;
    // seq_cst: pairs with the poller's release of the role (kIdle store) and with the
    // kComplete store; a copy that sees kPolling registered first, so the poller's
    // notify after its state change finds it.
    if (!notifier.state.compare_exchange_strong(state, detail::SharedNotifier::kPolling)) {
      switch (state) {
        case detail::SharedNotifier::kPolling:
          return NotReady;  // another copy is polling; it (or the future) wakes us
        case detail::SharedNotifier::kComplete:
          return to_poll(clone_result());
        default:
          throw Panic("inner future panicked during poll");
      }
    }

    // This copy is the poller: it alone touches inner.future until it changes state.
    std::optional<Result<Item, Error>> finished;
    try {
      auto polled = inner.future->poll_future_notify(inner.handle, 0);
      if (polled.is_ok() && polled.unwrap_ref().is_not_ready()) {
        notifier.state.store(detail::SharedNotifier::kIdle);  // seq_cst: pairs with the CAS
        return NotReady;
      }
      if (polled.is_ok()) {
        finished.emplace(
            Ok(Item(std::make_shared<const typename F::Item>(std::move(polled).unwrap().value()))));
      } else {
        finished.emplace(
            Err(Error(std::make_shared<const typename F::Error>(std::move(polled).unwrap_err()))));
      }
      inner.result = std::move(finished);
      // Destroy the inner future first: it may own resources (and other copies) that
      // should go as soon as the result is known.
      inner.future.reset();
    } catch (...) {
      notifier.state.store(detail::SharedNotifier::kPoisoned);
      notifier.notify(0);  // waiting copies poll, see kPoisoned and throw too
      throw;
    }
    // seq_cst: pairs with the load/CAS of every copy that then reads inner.result.
    notifier.state.store(detail::SharedNotifier::kComplete);
    notifier.notify(0);
    return to_poll(clone_result());
  }

 private:
  struct Inner {
    explicit Inner(F f)
        : future(std::in_place, std::move(f)),
          notifier(std::make_shared<detail::SharedNotifier>()),
          handle(notifier) {}

    // Gives each copy its waiter id; relaxed: ids only need to be unique.
    std::atomic<std::size_t> next_clone_id{1};
    // The inner future: touched only by the copy that holds kPolling; reset on completion.
    std::optional<executor::Spawn<F>> future;
    // Set once by the poller before it stores kComplete; read only after seeing kComplete.
    std::optional<Result<Item, Error>> result;
    std::shared_ptr<detail::SharedNotifier> notifier;
    executor::NotifyHandle handle;  // the same notifier, type-erased for Spawn
  };

  std::size_t next_waiter_id() const {
    if (!inner_) return 0;
    return inner_->next_clone_id.fetch_add(1, std::memory_order_relaxed);
  }

  Result<Item, Error> clone_result() const { return *inner_->result; }

  static Poll<Item, Error> to_poll(Result<Item, Error> r) {
    if (r.is_ok()) return Ready(std::move(r).unwrap());
    return Err(std::move(r).unwrap_err());
  }

  void release() noexcept {
    if (inner_) inner_->notifier->remove_waiter(waiter_);
  }

  std::shared_ptr<Inner> inner_;  // null once moved from
  std::size_t waiter_;            // this copy's key in the waiter map
};

}  // namespace futures::future
