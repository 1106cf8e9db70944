// tokio::mio layer, private: what a Poll owns (behind the public Poll's pointer).
#pragma once

#include "tokio/mio/readiness_queue.hpp"
#include "tokio/mio/selector.hpp"

#include <tokio/mio/registry.hpp>

#include <memory>
#include <vector>

namespace tokio::mio::detail {

struct PollInner {
  explicit PollInner(std::unique_ptr<sys::Selector> s);
  ~PollInner();

  std::unique_ptr<sys::Selector> selector;
  std::shared_ptr<ReadinessQueue> queue;
  std::vector<std::shared_ptr<ReadinessNode>> scratch;  // poller only; keeps its capacity
  Registry registry;
};

}  // namespace tokio::mio::detail
