// Test support: a stream of Manual futures (support/manual_future.hpp), one per Slot,
// for the tests of stream combinators that run futures (buffered, buffer_unordered).
#pragma once

#include <futures/stream_ext.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include "support/counted.hpp"
#include "support/manual_future.hpp"

namespace futures_test {

using Slots = std::vector<std::shared_ptr<Slot<int, int>>>;

/// n fresh slots.
inline Slots make_slots(int n) {
  Slots slots;
  for (int i = 0; i < n; ++i) slots.push_back(make_slot<int, int>());
  return slots;
}

/// Hands out a counted Manual<int, int> per slot, in order, as it is polled, then ends.
/// Optionally yields Err(99) once instead of a given index (error_at), or stays NotReady
/// before a given index until that is cleared (pause_at; no wake-up: tests poll by hand).
struct ManualStream : futures::StreamExt<ManualStream> {
  using Item = Manual<int, int>;
  using Error = int;

  ManualStream(Slots* s, LifetimeCounts* c) : slots(s), counts(c) {}

  futures::Poll<std::optional<Item>, int> poll() {
    if (error_at && *error_at == next) {
      error_at.reset();
      return futures::Err(99);
    }
    if (pause_at && *pause_at == next) return futures::NotReady;
    if (next == slots->size()) return futures::Ready(std::optional<Item>());
    ++pulled;
    return futures::Ready(std::optional<Item>(Item((*slots)[next++], *counts)));
  }

  Slots* slots;
  LifetimeCounts* counts;
  std::size_t next = 0;
  std::size_t pulled = 0;
  std::optional<std::size_t> error_at;
  std::optional<std::size_t> pause_at;
};

}  // namespace futures_test
