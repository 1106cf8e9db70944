// futures layer: the atomics seam. Lock-free code in this library (AtomicTask, the mpsc
// queue, BiLock, ...) uses futures::detail::Atomic<T> instead of std::atomic<T>, so the
// Relacy model-checking tests (test/model/, built with -Drelacy=enabled) can compile the
// very same code against Relacy's instrumented atomics by defining FUTURES_RELACY.
//
// Outside those tests Atomic<T> *is* std::atomic<T>: no wrapper, no cost.
#pragma once

#if defined(FUTURES_RELACY)
#include <relacy/relacy.hpp>
#endif

#include <atomic>

namespace futures::detail {

#if !defined(FUTURES_RELACY)

template <class T>
using Atomic = std::atomic<T>;

inline void atomic_fence(std::memory_order order) { std::atomic_thread_fence(order); }

/// Called in a retry loop that waits for another thread's progress (a spin).
inline void spin_loop_hint() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

#else  // FUTURES_RELACY: forward every operation to rl::atomic with call-site info.

inline rl::memory_order to_rl(std::memory_order order) {
  switch (order) {
    case std::memory_order_relaxed: return rl::mo_relaxed;
    case std::memory_order_consume: return rl::mo_consume;
    case std::memory_order_acquire: return rl::mo_acquire;
    case std::memory_order_release: return rl::mo_release;
    case std::memory_order_acq_rel: return rl::mo_acq_rel;
    default: return rl::mo_seq_cst;
  }
}

/// The subset of std::atomic<T> the library uses, checked by Relacy.
template <class T>
class Atomic {
 public:
  Atomic() = default;
  explicit Atomic(T value) { inner_.store(value, rl::mo_relaxed, RL_INFO); }
  Atomic(const Atomic&) = delete;
  Atomic& operator=(const Atomic&) = delete;

  T load(std::memory_order o = std::memory_order_seq_cst) const {
    return inner_.load(to_rl(o), RL_INFO);
  }
  void store(T v, std::memory_order o = std::memory_order_seq_cst) {
    inner_.store(v, to_rl(o), RL_INFO);
  }
  T exchange(T v, std::memory_order o = std::memory_order_seq_cst) {
    return inner_.exchange(v, to_rl(o), RL_INFO);
  }
  bool compare_exchange_strong(T& expected, T desired,
                               std::memory_order o = std::memory_order_seq_cst) {
    return inner_.compare_exchange_strong(expected, desired, to_rl(o), RL_INFO);
  }
  bool compare_exchange_strong(T& expected, T desired, std::memory_order success,
                               std::memory_order failure) {
    return inner_.compare_exchange_strong(expected, desired, to_rl(success), RL_INFO,
                                          to_rl(failure), RL_INFO);
  }
  bool compare_exchange_weak(T& expected, T desired,
                             std::memory_order o = std::memory_order_seq_cst) {
    return inner_.compare_exchange_weak(expected, desired, to_rl(o), RL_INFO);
  }
  bool compare_exchange_weak(T& expected, T desired, std::memory_order success,
                             std::memory_order failure) {
    return inner_.compare_exchange_weak(expected, desired, to_rl(success), RL_INFO,
                                        to_rl(failure), RL_INFO);
  }
  T fetch_add(T v, std::memory_order o = std::memory_order_seq_cst) {
    return inner_.fetch_add(v, to_rl(o), RL_INFO);
  }
  T fetch_sub(T v, std::memory_order o = std::memory_order_seq_cst) {
    return inner_.fetch_sub(v, to_rl(o), RL_INFO);
  }
  T fetch_or(T v, std::memory_order o = std::memory_order_seq_cst) {
    return inner_.fetch_or(v, to_rl(o), RL_INFO);
  }
  T fetch_and(T v, std::memory_order o = std::memory_order_seq_cst) {
    return inner_.fetch_and(v, to_rl(o), RL_INFO);
  }

 private:
  mutable rl::atomic<T> inner_;
};

inline void atomic_fence(std::memory_order order) {
  rl::atomic_thread_fence(to_rl(order), RL_INFO);
}

inline void spin_loop_hint() { rl::yield(1, RL_INFO); }

#endif

}  // namespace futures::detail
