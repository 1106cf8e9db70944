// futures layer: the atomics seam. Lock-free code in this library (AtomicTask, the mpsc
// queue, BiLock, ...) uses futures::detail::Atomic<T> instead of std::atomic<T>, and
// detail::UnsafeCell<T> for plain data that an atomic protocol hands from thread to
// thread, so the Relacy model-checking tests (test/model/, built with -Drelacy=enabled)
// can compile the very same code against Relacy's instrumented atomics by defining
// FUTURES_RELACY. Plays the part of Tokio's `loom` shim.
//
// Outside those tests Atomic<T> *is* std::atomic<T> and UnsafeCell<T> is a T with two
// inline accessors: no wrapper, no cost.
//
// Under FUTURES_RELACY every operation reports its caller's source location to Relacy,
// and UnsafeCell accesses are checked for data races. Such objects may only be created
// inside a Relacy simulation (rl::simulate).
#pragma once

#include <atomic>
#include <utility>

#if defined(FUTURES_RELACY)
#include <source_location>
// Relacy's components, without <relacy/relacy.hpp>: that header also #defines `new`,
// `delete`, `malloc`, `assert`, `memory_order_*` and the pthread API, which would rewrite
// the standard library and the code under test.
// In relacy.hpp's order:
// clang-format off
#include <relacy/base.hpp>
#include <relacy/context.hpp>
#include <relacy/context_base_impl.hpp>
#include <relacy/backoff.hpp>
#include <relacy/atomic_fence.hpp>
#include <relacy/atomic.hpp>
#include <relacy/var.hpp>
#include <relacy/thread_local.hpp>
#include <relacy/test_suite.hpp>
#include <relacy/dyn_thread.hpp>
#include <relacy/stdlib/mutex.hpp>
#include <relacy/stdlib/condition_variable.hpp>
#include <relacy/stdlib/semaphore.hpp>
#include <relacy/stdlib/event.hpp>
// clang-format on
#endif

namespace futures::detail {

#if !defined(FUTURES_RELACY)

template <class T>
using Atomic = std::atomic<T>;

inline void atomic_fence(std::memory_order order) {
  std::atomic_thread_fence(order);
}

/// Called in a retry loop that waits for another thread's progress (a spin).
inline void spin_loop_hint() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

/// Plain data whose accesses an atomic protocol orders (Rust's `UnsafeCell`, with
/// loom's accessors). `with(f)` calls f(const T*) for a read, `with_mut(f)` calls f(T*)
/// for a write; the model tests check that no two of them race.
template <class T>
class UnsafeCell {
 public:
  template <class... Args>
  explicit UnsafeCell(Args&&... args) : value_(std::forward<Args>(args)...) {}
  UnsafeCell(const UnsafeCell&) = delete;
  UnsafeCell& operator=(const UnsafeCell&) = delete;

  template <class F>
  decltype(auto) with(F&& f) const {
    return std::forward<F>(f)(static_cast<const T*>(&value_));
  }
  template <class F>
  decltype(auto) with_mut(F&& f) {
    return std::forward<F>(f)(&value_);
  }

 private:
  T value_;
};

#else  // FUTURES_RELACY: forward every operation to Relacy with the caller's location.

using Location = std::source_location;

inline rl::debug_info rl_info(const Location& loc) {
  return rl::debug_info(loc.function_name(), loc.file_name(), loc.line());
}

inline rl::memory_order to_rl(std::memory_order order) {
  switch (order) {
    case std::memory_order_relaxed:
      return rl::mo_relaxed;
    case std::memory_order_consume:
      return rl::mo_consume;
    case std::memory_order_acquire:
      return rl::mo_acquire;
    case std::memory_order_release:
      return rl::mo_release;
    case std::memory_order_acq_rel:
      return rl::mo_acq_rel;
    default:
      return rl::mo_seq_cst;
  }
}

/// The std::atomic<T> interface, checked by Relacy. Like C++20's std::atomic, a
/// default-constructed Atomic holds T{}.
template <class T>
class Atomic {
 public:
  using value_type = T;
  using difference_type = typename rl::atomic_add_type<T>::type;
  static constexpr bool is_always_lock_free = true;

  Atomic(Location loc = Location::current()) : Atomic(T{}, loc) {}
  Atomic(T value, Location loc = Location::current()) {
    inner_.store(value, rl::mo_relaxed, rl_info(loc));
  }
  Atomic(const Atomic&) = delete;
  Atomic& operator=(const Atomic&) = delete;

  bool is_lock_free() const noexcept { return true; }

  T load(std::memory_order o = std::memory_order_seq_cst,
         Location loc = Location::current()) const {
    return inner_.load(to_rl(o), rl_info(loc));
  }
  void store(T v, std::memory_order o = std::memory_order_seq_cst,
             Location loc = Location::current()) {
    inner_.store(v, to_rl(o), rl_info(loc));
  }
  operator T() const { return load(); }
  T operator=(T v) {
    store(v);
    return v;
  }
  T exchange(T v, std::memory_order o = std::memory_order_seq_cst,
             Location loc = Location::current()) {
    return inner_.exchange(v, to_rl(o), rl_info(loc));
  }
  bool compare_exchange_strong(T& expected, T desired,
                               std::memory_order o = std::memory_order_seq_cst,
                               Location loc = Location::current()) {
    return inner_.compare_exchange_strong(expected, desired, to_rl(o), rl_info(loc));
  }
  bool compare_exchange_strong(T& expected, T desired, std::memory_order success,
                               std::memory_order failure, Location loc = Location::current()) {
    const rl::debug_info info = rl_info(loc);
    return inner_.compare_exchange_strong(expected, desired, to_rl(success), info, to_rl(failure),
                                          info);
  }
  bool compare_exchange_weak(T& expected, T desired,
                             std::memory_order o = std::memory_order_seq_cst,
                             Location loc = Location::current()) {
    return inner_.compare_exchange_weak(expected, desired, to_rl(o), rl_info(loc));
  }
  bool compare_exchange_weak(T& expected, T desired, std::memory_order success,
                             std::memory_order failure, Location loc = Location::current()) {
    const rl::debug_info info = rl_info(loc);
    return inner_.compare_exchange_weak(expected, desired, to_rl(success), info, to_rl(failure),
                                        info);
  }
  T fetch_add(difference_type v, std::memory_order o = std::memory_order_seq_cst,
              Location loc = Location::current()) {
    return inner_.fetch_add(v, to_rl(o), rl_info(loc));
  }
  T fetch_sub(difference_type v, std::memory_order o = std::memory_order_seq_cst,
              Location loc = Location::current()) {
    return inner_.fetch_sub(v, to_rl(o), rl_info(loc));
  }
  T fetch_or(T v, std::memory_order o = std::memory_order_seq_cst,
             Location loc = Location::current()) {
    return inner_.fetch_or(v, to_rl(o), rl_info(loc));
  }
  T fetch_and(T v, std::memory_order o = std::memory_order_seq_cst,
              Location loc = Location::current()) {
    return inner_.fetch_and(v, to_rl(o), rl_info(loc));
  }
  T fetch_xor(T v, std::memory_order o = std::memory_order_seq_cst,
              Location loc = Location::current()) {
    return inner_.fetch_xor(v, to_rl(o), rl_info(loc));
  }

 private:
  mutable rl::atomic<T> inner_;
};

inline void atomic_fence(std::memory_order order, Location loc = Location::current()) {
  rl::atomic_thread_fence(to_rl(order), rl_info(loc));
}

/// A spin: lets Relacy schedule the thread being waited for (and report livelocks).
inline void spin_loop_hint(Location loc = Location::current()) {
  rl::yield(1, rl_info(loc));
}

/// See the plain definition above. Each with() is a read and each with_mut() a write of
/// a Relacy-tracked variable, so accesses not ordered by the atomics are reported as a
/// data race.
template <class T>
class UnsafeCell {
 public:
  template <class... Args>
  explicit UnsafeCell(Args&&... args) : value_(std::forward<Args>(args)...), tracker_(0) {}
  UnsafeCell(const UnsafeCell&) = delete;
  UnsafeCell& operator=(const UnsafeCell&) = delete;

  template <class F>
  decltype(auto) with(F&& f, Location loc = Location::current()) const {
    (void)tracker_(rl_info(loc)).load();
    return std::forward<F>(f)(static_cast<const T*>(&value_));
  }
  template <class F>
  decltype(auto) with_mut(F&& f, Location loc = Location::current()) {
    tracker_(rl_info(loc)).store(0);
    return std::forward<F>(f)(&value_);
  }

 private:
  T value_;
  mutable rl::var<int> tracker_;
};

#endif

}  // namespace futures::detail
