// Test support: a blocking channel like Rust's std::sync::mpsc, used by ports of futures
// 0.1 tests to observe, from the test thread, what a future did and when the closures
// holding a Sender were dropped (recv() returns nullopt once every Sender is gone).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <tuple>

namespace futures_test {

template <class T>
class StdChannel {
 public:
  struct State {
    std::mutex mutex;
    std::condition_variable cv;
    std::deque<T> items;
    int senders = 1;
    bool receiver_alive = true;
  };

  class Sender {
   public:
    explicit Sender(std::shared_ptr<State> s) : s_(std::move(s)) {}
    Sender(const Sender& o) : s_(o.s_) {
      std::lock_guard<std::mutex> lock(s_->mutex);
      s_->senders++;
    }
    Sender(Sender&& o) noexcept = default;
    Sender& operator=(const Sender&) = delete;
    Sender& operator=(Sender&&) = delete;
    ~Sender() {
      if (!s_) return;
      std::lock_guard<std::mutex> lock(s_->mutex);
      if (--s_->senders == 0) s_->cv.notify_all();
    }
    /// False if the receiver is gone (Rust's `send(..).is_err()`).
    bool send(T v) const {
      std::lock_guard<std::mutex> lock(s_->mutex);
      if (!s_->receiver_alive) return false;
      s_->items.push_back(std::move(v));
      s_->cv.notify_all();
      return true;
    }

   private:
    std::shared_ptr<State> s_;
  };

  class Receiver {
   public:
    explicit Receiver(std::shared_ptr<State> s) : s_(std::move(s)) {}
    Receiver(Receiver&&) noexcept = default;
    ~Receiver() {
      if (!s_) return;
      std::lock_guard<std::mutex> lock(s_->mutex);
      s_->receiver_alive = false;
    }
    /// Blocks for the next item; nullopt once every Sender is dropped and nothing is left.
    /// The wait is bounded: after 30 s the test fails (a lost wake-up must not hang CI).
    std::optional<T> recv() {
      std::unique_lock<std::mutex> lock(s_->mutex);
      bool woken = s_->cv.wait_for(lock, std::chrono::seconds(30),
                                   [&] { return !s_->items.empty() || s_->senders == 0; });
      if (!woken) {
        ADD_FAILURE() << "StdChannel::recv timed out";
        return std::nullopt;
      }
      return pop();
    }
    /// The next item if there is one now.
    std::optional<T> try_recv() {
      std::lock_guard<std::mutex> lock(s_->mutex);
      return pop();
    }
    /// True when every Sender has been dropped.
    bool disconnected() {
      std::lock_guard<std::mutex> lock(s_->mutex);
      return s_->senders == 0;
    }

   private:
    std::optional<T> pop() {
      if (s_->items.empty()) return std::nullopt;
      T v = std::move(s_->items.front());
      s_->items.pop_front();
      return v;
    }
    std::shared_ptr<State> s_;
  };

  // Shorter names used by the oneshot and eventual ports.
  using Tx = Sender;
  using Rx = Receiver;
  static std::tuple<Sender, Receiver> make() {
    auto state = std::make_shared<State>();
    return {Sender(state), Receiver(state)};
  }
};

template <class T>
std::tuple<typename StdChannel<T>::Sender, typename StdChannel<T>::Receiver> std_channel() {
  auto state = std::make_shared<typename StdChannel<T>::State>();
  return {typename StdChannel<T>::Sender(state), typename StdChannel<T>::Receiver(state)};
}

}  // namespace futures_test
