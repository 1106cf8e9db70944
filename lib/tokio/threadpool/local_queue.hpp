// A worker's run queue (private to lib/tokio/threadpool/): a bounded, lock-free,
// single-producer multi-stealer FIFO of pointers, after Tokio 1.x's
// `runtime/scheduler/multi_thread/queue.rs`. Header-only over futures::detail::Atomic and
// UnsafeCell so the Relacy model (test/model/local_queue_model.cpp) checks this very code.
//
// Positions are free-running u32 counters; a slot is `position % Capacity`.
//   tail_   written by the owner only (push), read by thieves: items are [real, tail).
//   head_   one u64 packing two u32 positions, (steal << 32) | real:
//     real   the next item to pop or steal; the owner's pop and thieves' claims CAS it.
//     steal  == real when no thief is copying. A thief claims [real, real + n) by moving
//            only `real`; slots [steal, real) are then being read by that thief and must
//            not be overwritten. When done, it sets steal = real. One thief at a time.
// The owner's room check uses `steal` (slots still being read count as full), its
// emptiness check uses `real`.
#pragma once

#include <futures/detail/atomic.hpp>

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>

namespace tokio::threadpool::detail {

/// A bounded single-producer, multi-stealer FIFO of T* (the items are not owned).
template <class T, std::uint32_t Capacity = 256>
class LocalQueue {
  static_assert(Capacity >= 2 && (Capacity & (Capacity - 1)) == 0,
                "Capacity must be a power of two");

 public:
  LocalQueue() = default;
  LocalQueue(const LocalQueue&) = delete;
  LocalQueue& operator=(const LocalQueue&) = delete;

  /// Owner only. Pushes `item` at the back. When the queue is full, moves the older half
  /// of its items plus `item`, in FIFO order, out through one call of
  /// overflow(T** items, std::size_t n) (the caller puts them in the global injector).
  /// While a thief is copying items out, the queue is not compacted: only `item` goes to
  /// overflow (n == 1); the thief is about to free room anyway.
  template <class Overflow>
  void push_back_or_overflow(T* item, Overflow&& overflow) {
    // Our own tail: no other thread writes it.
    const std::uint32_t tail = tail_.load(std::memory_order_relaxed);
    for (;;) {
      // Acquire pairs with a thief's Release in finish_steal: its reads of the slots it
      // stole happen before we overwrite them.
      const std::uint64_t head = head_.load(std::memory_order_acquire);
      const std::uint32_t steal = steal_of(head);
      const std::uint32_t real = real_of(head);
      if (tail - steal < Capacity) break;
      if (steal != real) {
        T* single[1] = {item};
        overflow(single, std::size_t{1});
        return;
      }
      if (move_half_to_overflow(item, real, tail, overflow)) return;
      // A thief claimed items between the load and the CAS: there is room now.
    }
    slot(tail).with_mut([item](T** p) { *p = item; });
    // Release pairs with a thief's Acquire load of tail: the slot write is visible to it.
    tail_.store(tail + 1, std::memory_order_release);
  }

  /// Owner only. Pops from the front; nullptr when empty.
  T* pop() noexcept {
    const std::uint32_t tail = tail_.load(std::memory_order_relaxed);  // our own
    // Relaxed throughout: the slots we read were written by this thread (a push or a
    // steal_into), and no other thread writes them, so nothing needs to be acquired;
    // thieves never read the slot we take (the CAS makes us its only claimant).
    std::uint64_t head = head_.load(std::memory_order_relaxed);
    for (;;) {
      const std::uint32_t steal = steal_of(head);
      const std::uint32_t real = real_of(head);
      if (real == tail) return nullptr;
      // With no thief, both halves move; during a steal only `real` does.
      const std::uint64_t next = steal == real ? pack(real + 1, real + 1) : pack(steal, real + 1);
      if (head_.compare_exchange_weak(head, next, std::memory_order_relaxed,
                                      std::memory_order_relaxed)) {
        return slot(real).with([](T* const* p) { return *p; });
      }
    }
  }

  /// Called by the owner of `dst`, stealing from *this (another worker's queue). Moves
  /// half (rounded up) of this queue's items into `dst` and returns one of them to run
  /// at once (it is not left in `dst`); nullptr when there was nothing to steal or
  /// another thief is busy here. Takes fewer when `dst` lacks room (it may still hold
  /// slots a thief of `dst` is copying), and nothing when `dst` is full.
  T* steal_into(LocalQueue& dst) noexcept {
    assert(&dst != this);
    const std::uint32_t dst_tail = dst.tail_.load(std::memory_order_relaxed);  // we own dst
    // Acquire: as in push, the slots a thief of `dst` was copying are released to us.
    const std::uint32_t dst_steal = steal_of(dst.head_.load(std::memory_order_acquire));
    // The item returned is read straight from our slot, so `dst` needs room for n - 1.
    const std::uint32_t dst_room = Capacity - (dst_tail - dst_steal);

    std::uint64_t head = head_.load(std::memory_order_relaxed);
    std::uint32_t first = 0;
    std::uint32_t n = 0;
    for (;;) {
      const std::uint32_t steal = steal_of(head);
      const std::uint32_t real = real_of(head);
      if (steal != real) return nullptr;  // another thief is copying
      // Acquire pairs with the owner's Release store of tail: the slots before it are
      // written.
      const std::uint32_t tail = tail_.load(std::memory_order_acquire);
      const std::uint32_t available = tail - real;
      // The owner's pops are relaxed, so the tail we read may be older than `real`
      // ("negative" available): we raced with the owner emptying its queue.
      if (available == 0 || available > Capacity) return nullptr;
      n = std::min(available - available / 2, dst_room + 1);
      first = real;
      // Claim [real, real + n): only `real` moves, so the owner does not overwrite the
      // slots while we copy, and no other thief starts. Relaxed: the slots' contents
      // were acquired through tail, and reading needs nothing from the other claimants.
      if (head_.compare_exchange_weak(head, pack(steal, real + n), std::memory_order_relaxed,
                                      std::memory_order_relaxed)) {
        break;
      }
    }

    for (std::uint32_t i = 0; i + 1 < n; ++i) {
      T* item = slot(first + i).with([](T* const* p) { return *p; });
      dst.slot(dst_tail + i).with_mut([item](T** p) { *p = item; });
    }
    T* const ret = slot(first + n - 1).with([](T* const* p) { return *p; });
    finish_steal();
    // Release pairs with the Acquire tail load of dst's thieves (its owner is us).
    if (n > 1) dst.tail_.store(dst_tail + (n - 1), std::memory_order_release);
    return ret;
  }

  /// Any thread; approximate while others push, pop or steal.
  bool is_empty() const noexcept { return len() == 0; }

  /// Any thread; approximate while others push, pop or steal (exact for the owner with
  /// no thief at work).
  std::size_t len() const noexcept {
    // Relaxed: a snapshot. The tail may be older than `real` (the owner's pops are
    // relaxed), so a "negative" length reads as empty.
    const std::uint32_t real = real_of(head_.load(std::memory_order_relaxed));
    const std::uint32_t tail = tail_.load(std::memory_order_relaxed);
    const auto length = static_cast<std::int32_t>(tail - real);
    return length <= 0 ? 0 : std::min<std::size_t>(static_cast<std::size_t>(length), Capacity);
  }

  static constexpr std::size_t capacity() noexcept { return Capacity; }

 private:
  static constexpr std::uint32_t kHalf = Capacity / 2;

  static std::uint32_t steal_of(std::uint64_t head) noexcept {
    return static_cast<std::uint32_t>(head >> 32);
  }
  static std::uint32_t real_of(std::uint64_t head) noexcept {
    return static_cast<std::uint32_t>(head);
  }
  static std::uint64_t pack(std::uint32_t steal, std::uint32_t real) noexcept {
    return (std::uint64_t{steal} << 32) | real;
  }

  futures::detail::UnsafeCell<T*>& slot(std::uint32_t position) noexcept {
    return buffer_[position & (Capacity - 1)];
  }

  /// The queue is full ([real, tail) holds Capacity items, no thief): takes the older
  /// half with one CAS and hands it and `item` to overflow. False if a thief claimed
  /// items first (then there is room: the caller retries the push).
  template <class Overflow>
  bool move_half_to_overflow(T* item, std::uint32_t real, std::uint32_t tail, Overflow& overflow) {
    assert(tail - real == Capacity);
    (void)tail;
    std::uint64_t expected = pack(real, real);
    // Relaxed: the slots were written by this thread, and thieves claiming after us
    // start at real + kHalf, away from the slots we read.
    if (!head_.compare_exchange_strong(expected, pack(real + kHalf, real + kHalf),
                                       std::memory_order_relaxed, std::memory_order_relaxed)) {
      return false;
    }
    T* batch[kHalf + 1];
    for (std::uint32_t i = 0; i < kHalf; ++i) {
      batch[i] = slot(real + i).with([](T* const* p) { return *p; });
    }
    batch[kHalf] = item;
    overflow(batch, std::size_t{kHalf + 1});
    return true;
  }

  /// A thief is done copying: steal = real, so the owner may reuse the slots and other
  /// thieves may start. A CAS loop because the owner's pops move `real` meanwhile.
  void finish_steal() noexcept {
    std::uint64_t head = head_.load(std::memory_order_relaxed);
    for (;;) {
      const std::uint32_t real = real_of(head);
      // Release pairs with the owner's Acquire head load in push (and a thief's of its
      // dst in steal_into): our slot reads happen before the slots are overwritten.
      if (head_.compare_exchange_weak(head, pack(real, real), std::memory_order_release,
                                      std::memory_order_relaxed)) {
        return;
      }
    }
  }

  futures::detail::Atomic<std::uint64_t> head_{0};
  futures::detail::Atomic<std::uint32_t> tail_{0};
  futures::detail::UnsafeCell<T*> buffer_[Capacity];
};

}  // namespace tokio::threadpool::detail
