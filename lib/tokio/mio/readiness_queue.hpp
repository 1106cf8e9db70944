// tokio::mio layer, private: the user-space readiness queue behind Registration,
// SetReadiness and Waker (mio 0.6's readiness queue, reduced to a locked vector).
//
// Locks: a node's mutex, then the queue's mutex, never the other way round.
#pragma once

#include "tokio/mio/selector.hpp"

#include <tokio/mio/poll_opt.hpp>
#include <tokio/mio/ready.hpp>
#include <tokio/mio/token.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace tokio::mio::detail {

struct ReadinessNode;

struct ReadinessQueue {
  std::mutex mu;
  std::vector<std::shared_ptr<ReadinessNode>> items;  // guarded by mu
  sys::Selector* selector = nullptr;                  // guarded by mu; null once the Poll is gone
  // Written under mu, read by the poller without it. Invariant: wake_pending ⇒ has_items,
  // so a poller that sees !has_items and blocks will be woken by the next push.
  std::atomic<bool> has_items{false};
  bool wake_pending = false;  // guarded by mu: the selector was woken and not yet drained
};

struct ReadinessNode {
  std::atomic<std::uint8_t> readiness{0};  // Ready bits; the drain reads the latest value
  std::mutex mu;
  // Guarded by mu:
  std::shared_ptr<ReadinessQueue> queue;  // null while not registered
  const ReadinessQueue* queued_in = nullptr;  // the queue holding this node, if any
  Token token;
  Ready interest;
  PollOpt opts;
};

/// Queues `node` on its queue if its readiness meets its interest and it is not queued
/// yet, waking the selector once per drain. Requires node->mu held.
std::error_code enqueue_locked(const std::shared_ptr<ReadinessNode>& node);

}  // namespace tokio::mio::detail
