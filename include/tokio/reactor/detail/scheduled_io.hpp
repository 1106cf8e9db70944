// tokio layer (internal): the per-source readiness entry of the reactor and the lock-free
// protocol around it. Mirrors tokio-reactor 0.1's `ScheduledIo` with Tokio 1.x's
// generation-in-the-word guard.
//
// One entry per registered source, in the reactor's slab (lib/tokio/reactor/slab.hpp);
// its address never changes while the reactor lives. The readiness word packs
//
//     bits 31..16  generation of the slot (bumped each time the slot is freed)
//     bits 15..0   readiness bits (mio::Ready::as_usize()), bit 15 = reactor shut down
//
// so an event carrying a stale generation (the slot was freed, maybe reused) is dropped
// by the compare-exchange that would publish it, with no lock.
//
// Protocol (modelled in test/model/reactor_readiness_model.cpp):
//  - reactor (producer): `dispatch` ORs the event's bits into the word if the generation
//    matches, THEN notifies the reader / writer IoWaiter (io_waiter.hpp);
//  - a task (consumer, one reader and one writer at most): `poll_ready` looks at the
//    word, and when its bits are empty arms its IoWaiter THEN takes the bits again,
//    so a readiness published after the first look is either taken or notifies the
//    task just registered. Taking clears the bits it returns except the sticky ones
//    (hup, shutdown): they stay until the slot is freed.
// Uses futures::detail::Atomic so the Relacy model runs this exact code.
#pragma once

#include <tokio/reactor/detail/io_waiter.hpp>

#include <futures/detail/atomic.hpp>

#include <cstddef>
#include <cstdint>

namespace tokio::reactor::detail {

inline constexpr unsigned kGenerationShift = 16;
inline constexpr std::size_t kReadyBits = (std::size_t{1} << kGenerationShift) - 1;
/// Set in every entry when the reactor is dropped: pending I/O then fails with
/// "reactor gone" instead of waiting forever.
inline constexpr std::size_t kShutdownBit = std::size_t{1} << 15;
/// Generations live in 16 bits of the token (see token.hpp): a stale event would have
/// to outlive 65,536 reuses of its slot to be mistaken for a live one.
inline constexpr std::size_t kGenerationMask = 0xFFFF;

// Aligned to a cache line: a ping-pong message touches the readiness word, the reader
// and the writer's state word (each readable edge also reports writable), which fill
// the first 57 bytes, so one line per message instead of two for most slots of a
// 104-byte stride.
struct alignas(64) ScheduledIo {
  futures::detail::Atomic<std::size_t> readiness{0};
  IoWaiter reader;
  IoWaiter writer;

  std::size_t generation() const noexcept {
    return (readiness.load(std::memory_order_relaxed) >> kGenerationShift) & kGenerationMask;
  }
};
#if !defined(FUTURES_RELACY)  // Relacy's atomics are larger; the layout only matters for speed
static_assert(sizeof(ScheduledIo::readiness) + sizeof(IoWaiter) < 64,
              "the readiness word, the reader and the writer's state word no longer fit in one cache line");
#endif

/// Reactor side: ORs `ready` into `io` if its generation is still `generation`; false
/// (nothing changed) for a stale event.
inline bool set_readiness(ScheduledIo& io, std::size_t generation, std::size_t ready) noexcept {
  std::size_t current = io.readiness.load(std::memory_order_acquire);
  for (;;) {
    if (((current >> kGenerationShift) & kGenerationMask) != generation) return false;
    const std::size_t next = current | (ready & kReadyBits);
    if (next == current) return true;
    // AcqRel: release publishes the bits to poll_ready's take; acquire orders this after
    // the consumer's task registration (its take is a release RMW on the same word), so
    // the notify below sees the task it registered.
    if (io.readiness.compare_exchange_weak(current, next, std::memory_order_acq_rel, std::memory_order_acquire))
      return true;
  }
}

/// Reactor side: publishes an event and wakes who waits for it. `read_bits` /
/// `write_bits` say which readiness bits concern the reader and the writer.
inline void dispatch(ScheduledIo& io, std::size_t generation, std::size_t ready, std::size_t read_bits,
                     std::size_t write_bits) {
  if (!set_readiness(io, generation, ready)) return;
  if ((ready & write_bits) != 0) io.writer.notify();
  if ((ready & read_bits) != 0) io.reader.notify();
}

/// Consumer side: takes the bits of `mask` from the entry, leaving `sticky` bits set.
inline std::size_t take_ready(ScheduledIo& io, std::size_t mask, std::size_t sticky) noexcept {
  const std::size_t clear = (mask & ~sticky) & kReadyBits;
  // AcqRel: acquire pairs with set_readiness' release; release makes a task registered
  // just before visible to the reactor's compare-exchange that reads this value.
  return io.readiness.fetch_and(~clear, std::memory_order_acq_rel) & mask & kReadyBits;
}

/// Consumer side: the bits of `mask` ready now (taken from the entry), or 0 after
/// registering the current task in `waiter` to be notified when some arrive. Bits in
/// `mask` always include kShutdownBit's caller check (see PollEvented).
inline std::size_t poll_ready(ScheduledIo& io, IoWaiter& waiter, std::size_t mask,
                              std::size_t sticky) {
  // A plain load first: when nothing is ready (the common case after EAGAIN) it saves
  // one read-modify-write.
  if ((io.readiness.load(std::memory_order_acquire) & mask) != 0) {
    if (const std::size_t ready = take_ready(io, mask, sticky)) return ready;
  }
  waiter.register_();
  return take_ready(io, mask, sticky);
}

}  // namespace tokio::reactor::detail
