// futures layer: sync::BiLock<T>, a lock shared by exactly two handles, acquired by
// polling. Mirrors futures 0.1 `src/sync/bilock.rs`.
//
// The two halves share one heap block (Rust's Arc<Inner>) holding the value and one
// state word (detail::Atomic, so the Relacy model tests check this very code):
//
//   0      unlocked
//   1      locked, nobody waiting
//   other  locked, and the other half is waiting: the word is a `task::Task*`
//          (heap-allocated, owned by the word) that unlock must notify and delete
//
// Transitions:
//   poll_lock: 0 -> 1 (acquired, Ready)
//              1 -> 1, then 1 -> task (parks, NotReady); if the holder unlocked in
//              between (the CAS finds 0), retry
//              task -> 1 -> task (a half polling again replaces its old Task)
//   unlock:    1 -> 0;  task -> 0, then notify the task
//
// A half only waits while the *other* half holds the lock, so there is at most one
// waiter. Lock-free: no thread ever waits for another inside these calls.
#pragma once

#include <futures/contract.hpp>
#include <futures/detail/atomic.hpp>
#include <futures/future_ext.hpp>
#include <futures/poll.hpp>
#include <futures/result.hpp>
#include <futures/task.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <tuple>
#include <utility>

namespace futures::sync {

template <class T>
class BiLock;
template <class T>
class BiLockGuard;
template <class T>
class BiLockAcquire;
template <class T>
class BiLockAcquired;

namespace detail {

inline constexpr std::uintptr_t kBiLockUnlocked = 0;
inline constexpr std::uintptr_t kBiLockLocked = 1;

/// The shared block. `value` is only touched by the half holding the lock.
template <class T>
struct BiLockInner {
  explicit BiLockInner(T v) : value(std::move(v)) {}
  BiLockInner(const BiLockInner&) = delete;
  BiLockInner& operator=(const BiLockInner&) = delete;
  ~BiLockInner() {
    // Both halves are gone, so no other thread touches the word any more.
    if (state.load(std::memory_order_relaxed) != kBiLockUnlocked)
      contract_violation("BiLock destroyed while locked");
  }

  futures::detail::Atomic<std::uintptr_t> state{kBiLockUnlocked};
  T value;
};

/// Releases the lock and notifies the waiting half, if any.
inline void bilock_unlock(futures::detail::Atomic<std::uintptr_t>& state) {
  // acq_rel. Release: our writes to the value happen-before the next poll_lock that
  // reads this 0 (its acquire exchange). Acquire: the waiting half's Task, written
  // before its release CAS installed the pointer, is visible before we use it.
  std::uintptr_t prev = state.exchange(kBiLockUnlocked, std::memory_order_acq_rel);
  if (prev == kBiLockUnlocked) contract_violation("BiLock: invalid unlocked state");
  if (prev == kBiLockLocked) return;
  std::unique_ptr<task::Task> waiter(reinterpret_cast<task::Task*>(prev));
  waiter->notify();
}

}  // namespace detail

/// What `reunite` returns when the two BiLocks are not halves of one pair: both,
/// handed back (Rust's `ReuniteError(pub BiLock<T>, pub BiLock<T>)`; decompose with
/// `auto [a, b] = std::move(err);`).
template <class T>
struct ReuniteError {
  BiLock<T> first;
  BiLock<T> second;

  friend std::ostream& operator<<(std::ostream& os, const ReuniteError&) {
    return os << "tried to reunite two BiLocks that don't form a pair";
  }
};

/// One of the two handles to a value shared by a pair (Rust's `BiLock`). Made by
/// `auto [a, b] = BiLock<T>::new_(value);`. Move-only; a moved-from handle may only be
/// destroyed or assigned to.
///
/// Notifies: when one half unlocks, the other half's task if its poll_lock returned
/// NotReady since (only the latest such task).
///
/// Thread safety: the two halves may be used from two threads at once. One half must
/// not be used from two threads at once.
template <class T>
class BiLock {
 public:
  /// Rust's `BiLock::new` (a C++ keyword): both halves of a new lock around `value`.
  static std::tuple<BiLock, BiLock> new_(T value) {
    auto inner = std::make_shared<detail::BiLockInner<T>>(std::move(value));
    return std::tuple<BiLock, BiLock>(BiLock(inner), BiLock(inner));
  }

  BiLock(BiLock&& other) noexcept = default;
  BiLock& operator=(BiLock&& other) noexcept = default;

  /// Ready(guard) if the lock was free (the guard unlocks when destroyed); else
  /// NotReady, and the current task will be notified when the other half unlocks.
  ///
  /// Must be called inside a task. The guard refers to the shared block and must not
  /// outlive both halves. Calling it while this half holds the guard returns NotReady
  /// (and this task is then only notified if the other half ever unlocks).
  Async<BiLockGuard<T>> poll_lock() const {
    auto& state = inner()->state;
    for (;;) {
      // Acquire: pairs with bilock_unlock's release when this reads its 0, so the
      // previous holder's writes to the value are visible to us.
      std::uintptr_t prev = state.exchange(detail::kBiLockLocked, std::memory_order_acquire);
      if (prev == detail::kBiLockUnlocked)
        return Async<BiLockGuard<T>>::Ready(BiLockGuard<T>(inner_.get()));
      if (prev != detail::kBiLockLocked) delete reinterpret_cast<task::Task*>(prev);

      auto me = std::make_unique<task::Task>(task::current());
      std::uintptr_t expected = detail::kBiLockLocked;
      // Release: publishes *me to the unlocking half, whose acq_rel exchange takes it.
      if (state.compare_exchange_strong(expected, reinterpret_cast<std::uintptr_t>(me.get()),
                                        std::memory_order_release, std::memory_order_relaxed)) {
        me.release();  // owned by the state word now
        return NotReady;
      }
      if (expected != detail::kBiLockUnlocked) contract_violation("BiLock: invalid state");
      // The holder unlocked between our exchange and CAS: try again.
    }
  }

  /// A future resolving to the lock held (Rust's `lock`, which takes `self`); unlock
  /// with `std::move(acquired).unlock()`, which gives this BiLock back.
  BiLockAcquire<T> lock() && { return BiLockAcquire<T>(std::move(*this)); }

  /// Puts the pair back together: Ok(value) if `other` is this lock's other half, else
  /// Err(ReuniteError{this, other}).
  ///
  /// Aborts: reuniting while a guard is alive is a contract violation.
  Result<T, ReuniteError<T>> reunite(BiLock other) && {
    if (inner_ != other.inner_) return Err(ReuniteError<T>{std::move(*this), std::move(other)});
    if (inner_->state.load(std::memory_order_acquire) != detail::kBiLockUnlocked)
      contract_violation("BiLock::reunite while locked");
    other.inner_.reset();
    T value = std::move(inner_->value);
    inner_.reset();
    return Ok(std::move(value));
  }

  FUTURES_DETAIL_CONSUMES("BiLock", lock)
  FUTURES_DETAIL_CONSUMES("BiLock", reunite)

 private:
  friend class BiLockAcquire<T>;
  friend class BiLockAcquired<T>;

  explicit BiLock(std::shared_ptr<detail::BiLockInner<T>> inner) : inner_(std::move(inner)) {}

  detail::BiLockInner<T>* inner() const {
    if (!inner_) contract_violation("BiLock used after it was moved from");
    return inner_.get();
  }

  std::shared_ptr<detail::BiLockInner<T>> inner_;
};

/// The lock, held (Rust's `BiLockGuard`): `*guard` / `guard->` reach the value; the
/// destructor unlocks and notifies the other half if it waits. Move-only.
template <class T>
class BiLockGuard {
 public:
  BiLockGuard(BiLockGuard&& other) noexcept : inner_(std::exchange(other.inner_, nullptr)) {}
  BiLockGuard& operator=(BiLockGuard&& other) noexcept {
    if (this != &other) {
      unlock();
      inner_ = std::exchange(other.inner_, nullptr);
    }
    return *this;
  }
  ~BiLockGuard() { unlock(); }

  T& operator*() { return inner_->value; }
  const T& operator*() const { return inner_->value; }
  T* operator->() { return &inner_->value; }
  const T* operator->() const { return &inner_->value; }

 private:
  friend class BiLock<T>;
  friend class BiLockAcquire<T>;

  explicit BiLockGuard(detail::BiLockInner<T>* inner) : inner_(inner) {}
  void unlock() {
    if (inner_ != nullptr) detail::bilock_unlock(std::exchange(inner_, nullptr)->state);
  }

  detail::BiLockInner<T>* inner_;  // null once moved from
};

/// The future returned by `std::move(lock).lock()`: resolves to BiLockAcquired<T>
/// once the lock is free. Error is Unit (never produced).
///
/// Aborts: polling after it resolved is a contract violation.
template <class T>
class BiLockAcquire : public FutureExt<BiLockAcquire<T>> {
 public:
  using Item = BiLockAcquired<T>;
  using Error = Unit;

  explicit BiLockAcquire(BiLock<T> lock) : lock_(std::in_place, std::move(lock)) {}

  Poll<Item, Unit> poll() {
    if (!lock_) contract_violation("BiLockAcquire polled after it completed");
    Async<BiLockGuard<T>> guard = lock_->poll_lock();
    if (guard.is_not_ready()) return NotReady;
    guard.value().inner_ = nullptr;  // stays locked: BiLockAcquired unlocks it
    BiLock<T> lock = std::move(*lock_);
    lock_.reset();
    return Ready(BiLockAcquired<T>(std::move(lock)));
  }

 private:
  std::optional<BiLock<T>> lock_;  // empty once resolved
};

/// The lock held, owning its BiLock (Rust's `BiLockAcquired`): `*acq` / `acq->` reach
/// the value; `std::move(acq).unlock()` unlocks and returns the BiLock; the destructor
/// unlocks if unlock() was not called. Move-only.
template <class T>
class BiLockAcquired {
 public:
  BiLockAcquired(BiLockAcquired&& other) noexcept : lock_(std::move(other.lock_)) {
    other.lock_.reset();
  }
  BiLockAcquired& operator=(BiLockAcquired&& other) noexcept {
    if (this != &other) {
      release();
      lock_ = std::move(other.lock_);
      other.lock_.reset();
    }
    return *this;
  }
  ~BiLockAcquired() { release(); }

  /// Unlocks (notifying the other half if it waits) and gives the BiLock back.
  BiLock<T> unlock() && {
    if (!lock_) contract_violation("BiLockAcquired::unlock on a moved-from value");
    BiLock<T> lock = std::move(*lock_);
    lock_.reset();
    detail::bilock_unlock(lock.inner()->state);
    return lock;
  }

  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  FUTURES_DETAIL_CONSUMES("BiLockAcquired", unlock)

 private:
  friend class BiLockAcquire<T>;

  explicit BiLockAcquired(BiLock<T> lock) : lock_(std::in_place, std::move(lock)) {}

  T& value() const { return lock_->inner()->value; }
  void release() {
    if (lock_) {
      detail::bilock_unlock(lock_->inner()->state);
      lock_.reset();
    }
  }

  std::optional<BiLock<T>> lock_;  // empty once unlocked or moved from
};

}  // namespace futures::sync
