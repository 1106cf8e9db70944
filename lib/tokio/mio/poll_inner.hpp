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

/// A backend's error_code as the io::Result the public calls return.
inline io::Result<futures::Unit> to_result(std::error_code ec) {
  if (ec) return futures::Err(io::Error(ec));
  return futures::Ok();
}

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
  // Shared with the Poll's Waker, if one is created; made with the Poll, so the poller
  // reads it without a lock.
  std::shared_ptr<WakerSlot> waker;
};

}  // namespace tokio::mio::detail
