// DefaultPark (include/tokio/threadpool/park.hpp): a worker slot's own parker, the
// same Parker as ParkThread's (lib/tokio/executor/parker.hpp) but not tied to a thread.
#include <tokio/threadpool/park.hpp>

#include "../executor/parker.hpp"

namespace tokio::threadpool::park {

void DefaultUnpark::unpark() const {
  inner_->unpark();
}

DefaultPark::DefaultPark() : inner_(std::make_shared<executor::park::detail::Parker>()) {}

futures::Result<futures::Unit, ParkError> DefaultPark::park() {
  inner_->park(std::nullopt);
  return futures::Ok();
}

futures::Result<futures::Unit, ParkError> DefaultPark::park_timeout(
    std::chrono::nanoseconds duration) {
  inner_->park(duration);
  return futures::Ok();
}

}  // namespace tokio::threadpool::park
