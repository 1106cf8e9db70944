// DefaultPark (include/tokio/threadpool/park.hpp): a worker slot's own parker.
//
// state_: kEmpty (no token, nobody parked), kParked (the owner sleeps or is about to, on
// cv_), kNotified (an unpark not yet consumed). The unparker takes the lock before
// signalling, so its signal cannot fall between the parker's kEmpty->kParked CAS and its
// wait (the parker holds the lock across both).
#include <tokio/threadpool/park.hpp>

#include <futures/detail/atomic.hpp>

#include <condition_variable>
#include <mutex>
#include <optional>

namespace tokio::threadpool::park {
namespace detail {

class Parker {
 public:
  void unpark() {
    // Release pairs with park's Acquire: the unparker's writes are visible after park.
    if (state_.exchange(kNotified, std::memory_order_release) == kParked) {
      { std::lock_guard<std::mutex> lock(mutex_); }
      cv_.notify_one();
    }
  }

  void park(std::optional<std::chrono::nanoseconds> timeout) {
    int expected = kNotified;
    if (state_.compare_exchange_strong(expected, kEmpty, std::memory_order_acquire)) return;
    if (timeout && timeout->count() <= 0) return;
    std::unique_lock<std::mutex> lock(mutex_);
    expected = kEmpty;
    if (!state_.compare_exchange_strong(expected, kParked, std::memory_order_relaxed)) {
      state_.exchange(kEmpty, std::memory_order_acquire);  // an unpark slipped in
      return;
    }
    const auto deadline =
        timeout ? std::optional(std::chrono::steady_clock::now() + *timeout) : std::nullopt;
    for (;;) {
      if (deadline) {
        cv_.wait_until(lock, *deadline);
      } else {
        cv_.wait(lock);
      }
      expected = kNotified;
      if (state_.compare_exchange_strong(expected, kEmpty, std::memory_order_acquire)) return;
      if (deadline && std::chrono::steady_clock::now() >= *deadline) {
        state_.exchange(kEmpty, std::memory_order_acquire);
        return;
      }
    }
  }

 private:
  static constexpr int kEmpty = 0;
  static constexpr int kParked = 1;
  static constexpr int kNotified = 2;

  futures::detail::Atomic<int> state_{kEmpty};
  std::mutex mutex_;
  std::condition_variable cv_;
};

}  // namespace detail

void DefaultUnpark::unpark() const {
  inner_->unpark();
}

DefaultPark::DefaultPark() : inner_(std::make_shared<detail::Parker>()) {}

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
