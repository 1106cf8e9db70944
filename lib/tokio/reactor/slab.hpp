// The reactor's slab of readiness entries (private). Slots are never moved or freed
// while the reactor state lives: pages double in size (64, 128, 256, ... slots) and are
// allocated on demand, so an entry's address is stable and the reactor thread finds it
// from a token with no lock. Allocating and freeing a slot take a mutex (per reactor;
// with one reactor per worker it is rarely contended); dispatch never does.
#pragma once

#include <tokio/reactor/detail/scheduled_io.hpp>

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace tokio::reactor::detail {

/// Token layout: bits 0..31 the slot index, bits 32..47 the slot's generation.
inline constexpr unsigned kTokenGenerationShift = 32;
inline constexpr std::size_t kTokenIndexMask = 0xFFFF'FFFF;
/// The Waker's token: no slot ever has it (its generation would be out of range).
inline constexpr std::size_t kWakerToken = ~std::size_t{0};

inline std::size_t token_index(std::size_t token) noexcept { return token & kTokenIndexMask; }
inline std::size_t token_generation(std::size_t token) noexcept {
  return (token >> kTokenGenerationShift) & kGenerationMask;
}
inline std::size_t make_token(std::size_t index, std::size_t generation) noexcept {
  return index | (generation << kTokenGenerationShift);
}

class Slab {
 public:
  static constexpr std::size_t kFirstPage = 64;
  static constexpr std::size_t kPages = 25;  // 64 * (2^25 - 1) slots > 2^31

  Slab() = default;
  Slab(const Slab&) = delete;
  Slab& operator=(const Slab&) = delete;
  ~Slab() {
    for (auto& page : pages_)
      delete[] page.load(std::memory_order_relaxed);
  }

  /// A free slot's index and entry, or nullopt when full or `refuse` is set.
  std::optional<std::pair<std::size_t, ScheduledIo*>> allocate() {
    std::lock_guard lock(mu_);
    if (closed_) return std::nullopt;
    std::size_t index;
    if (!free_.empty()) {
      index = free_.back();
      free_.pop_back();
    } else {
      if (next_ > kTokenIndexMask - 1) return std::nullopt;
      index = next_++;
      auto [page, offset] = locate(index);
      if (page >= kPages) return std::nullopt;
      if (offset == 0) {
        // Release: pairs with get()'s acquire on the reactor thread.
        pages_[page].store(new ScheduledIo[kFirstPage << page], std::memory_order_release);
      }
    }
    live_.fetch_add(1, std::memory_order_relaxed);
    auto [page, offset] = locate(index);
    return std::pair{index, &pages_[page].load(std::memory_order_relaxed)[offset]};
  }

  /// Puts a slot back (its generation already moved on). True if none is live now.
  bool free(std::size_t index) {
    std::lock_guard lock(mu_);
    free_.push_back(static_cast<std::uint32_t>(index));
    return live_.fetch_sub(1, std::memory_order_relaxed) == 1;
  }

  /// The entry of slot `index`, or null if that slot was never handed out. Lock-free.
  ScheduledIo* get(std::size_t index) const noexcept {
    auto [page, offset] = locate(index);
    if (page >= kPages) return nullptr;
    ScheduledIo* base = pages_[page].load(std::memory_order_acquire);
    return base == nullptr ? nullptr : base + offset;
  }

  /// Refuses further allocations and calls f on every entry ever handed out.
  template <class F>
  void close(F f) {
    std::lock_guard lock(mu_);
    closed_ = true;
    for (std::size_t i = 0; i < next_; ++i)
      f(*get(i));
  }

  std::size_t live() const noexcept { return live_.load(std::memory_order_relaxed); }

 private:
  static std::pair<std::size_t, std::size_t> locate(std::size_t index) noexcept {
    const std::size_t chunk = index / kFirstPage + 1;
    const std::size_t page = static_cast<std::size_t>(std::bit_width(chunk)) - 1;
    return {page, index - kFirstPage * ((std::size_t{1} << page) - 1)};
  }

  std::atomic<ScheduledIo*> pages_[kPages] = {};
  std::mutex mu_;
  std::vector<std::uint32_t> free_;  // guarded by mu_
  std::size_t next_ = 0;             // guarded by mu_: slots below it were handed out
  bool closed_ = false;              // guarded by mu_
  std::atomic<std::size_t> live_{0};
};

}  // namespace tokio::reactor::detail
