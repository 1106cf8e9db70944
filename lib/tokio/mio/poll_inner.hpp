// tokio::mio layer, private: what a Poll owns (behind the public Poll's pointer).
#pragma once

#include "tokio/mio/readiness_queue.hpp"
#include "tokio/mio/selector.hpp"

#include <tokio/mio/registry.hpp>

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

namespace tokio::mio::detail {

// What a Waker and its Poll share (the Waker may outlive the Poll).
struct WakerSlot {
  std::atomic<bool> pending{false};  // woken, not yet reported by the Poll
  std::atomic<std::size_t> token{0};
  std::mutex mu;                      // guards live and selector
  bool live = false;                  // a Waker holds the slot
  sys::Selector* selector = nullptr;  // null once the Poll is gone
};

struct PollInner {
  explicit PollInner(std::unique_ptr<sys::Selector> s);
  ~PollInner();

  std::unique_ptr<sys::Selector> selector;
  std::shared_ptr<ReadinessQueue> queue;
  std::vector<std::shared_ptr<ReadinessNode>> scratch;  // poller only; keeps its capacity
  Registry registry;
  // The Waker's slot, made by the first Waker::create and kept for the Poll's life (the
  // poller reads `waker_slot` without a lock, so it never changes once set).
  std::mutex waker_mu;
  std::shared_ptr<WakerSlot> waker;  // guarded by waker_mu
  std::atomic<WakerSlot*> waker_slot{nullptr};
};

}  // namespace tokio::mio::detail
