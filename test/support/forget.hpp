// Test support: futures 0.1 tests' `forget()`: run a future to completion on its own
// thread with wait(). The threads are joined when the Forgetter is destroyed, so a test
// owns what it forgot (every forgotten future must eventually finish or be canceled).
#pragma once

#include <thread>
#include <utility>
#include <vector>

namespace futures_test {

class Forgetter {
 public:
  Forgetter() = default;
  Forgetter(const Forgetter&) = delete;
  Forgetter& operator=(const Forgetter&) = delete;
  ~Forgetter() {
    for (auto& t : threads_) t.join();
  }

  template <class F>
  void forget(F future) {
    threads_.emplace_back([f = std::move(future)]() mutable { (void)std::move(f).wait(); });
  }

 private:
  std::vector<std::thread> threads_;
};

}  // namespace futures_test
