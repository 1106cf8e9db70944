// ParkThread / UnparkThread (include/tokio/executor/park.hpp): a per-thread parker
// (the Parker of parker.hpp, one per thread).
#include <tokio/executor/park.hpp>

#include "parker.hpp"

#include <memory>

namespace tokio::executor::park {
namespace detail {
namespace {
const std::shared_ptr<Parker>& current_parker() {
  thread_local const std::shared_ptr<Parker> parker = std::make_shared<Parker>();
  return parker;
}
}  // namespace

}  // namespace detail

void UnparkThread::unpark() const { inner_->unpark(); }

ParkThread::ParkThread() : inner_(detail::current_parker()) {}

futures::Result<futures::Unit, ParkError> ParkThread::park() {
  inner_->park(std::nullopt);
  return futures::Ok();
}

futures::Result<futures::Unit, ParkError> ParkThread::park_timeout(std::chrono::nanoseconds duration) {
  inner_->park(duration);
  return futures::Ok();
}

}  // namespace tokio::executor::park
