// Parking a plain thread until its task is notified: what Future::wait() and
// Spawn::wait_future() block on (futures 0.1 `ThreadNotify`).
//
// state_: kIdle (nobody parked, no notify pending), kNotified (a notify arrived and no
// park has consumed it yet), kParked (the owner sleeps on the condition variable).
#include <futures/executor.hpp>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>

namespace futures::executor::detail {
namespace {

class ThreadNotify final : public Notify {
 public:
  void notify(std::size_t) override {
    // AcqRel: release publishes what the notifier did before notifying to the parked
    // thread's acquire exchange in park().
    int prev = state_.exchange(kNotified, std::memory_order_acq_rel);
    if (prev == kParked) {
      // Taking the lock orders this wake after the parker's wait began (it holds the
      // lock between its CAS to kParked and cv_.wait).
      std::lock_guard<std::mutex> lock(mutex_);
      cv_.notify_one();
    }
  }

  void park() {
    // Fast path: consume a pending notify. Acquire pairs with notify's exchange.
    int expected = kNotified;
    if (state_.compare_exchange_strong(expected, kIdle, std::memory_order_acquire)) return;
    std::unique_lock<std::mutex> lock(mutex_);
    expected = kIdle;
    if (!state_.compare_exchange_strong(expected, kParked, std::memory_order_acq_rel)) {
      // A notify slipped in between the two CASes.
      state_.store(kIdle, std::memory_order_relaxed);
      return;
    }
    cv_.wait(lock, [this] { return state_.load(std::memory_order_acquire) == kNotified; });
    state_.store(kIdle, std::memory_order_relaxed);
  }

 private:
  static constexpr int kIdle = 0;
  static constexpr int kNotified = 1;
  static constexpr int kParked = 2;

  std::atomic<int> state_{kIdle};
  std::mutex mutex_;
  std::condition_variable cv_;
};

struct ThreadState {
  std::shared_ptr<ThreadNotify> notify = std::make_shared<ThreadNotify>();
  NotifyHandle handle{notify};
};

ThreadState& thread_state() {
  thread_local ThreadState state;
  return state;
}

}  // namespace

const NotifyHandle& current_thread_notify() { return thread_state().handle; }

void park_current_thread() { thread_state().notify->park(); }

}  // namespace futures::executor::detail
