// Test support: lifetime counters (cppcoro style). A Counted object bumps shared
// counters on construction, copy, move and destruction, so tests can check that a
// combinator drops what it should, exactly once.
#pragma once

#include <atomic>

namespace futures_test {

struct LifetimeCounts {
  std::atomic<int> constructed{0};
  std::atomic<int> destroyed{0};
  int alive() const { return constructed.load() - destroyed.load(); }
};

class Counted {
 public:
  explicit Counted(LifetimeCounts& counts) : counts_(&counts) { counts_->constructed++; }
  Counted(const Counted& other) : counts_(other.counts_) { counts_->constructed++; }
  Counted(Counted&& other) noexcept : counts_(other.counts_) { counts_->constructed++; }
  Counted& operator=(const Counted&) = default;
  Counted& operator=(Counted&&) noexcept = default;
  ~Counted() { counts_->destroyed++; }

 private:
  LifetimeCounts* counts_;
};

}  // namespace futures_test
