// Test support for the runtime tests (test/unit/executor): a contract-violation handler
// that throws, hand-written futures of tokio-current-thread's tests (Never, OnDrop),
// and a Park wrapper that reports each park to the test thread.
#pragma once

#include <tokio/executor/park.hpp>

#include <futures/contract.hpp>
#include <futures/future.hpp>
#include <futures/poll.hpp>
#include <futures/unit.hpp>

#include "support/contract_throw.hpp"
#include "support/std_channel.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace exec_test {

// Contract violations as exceptions: the one pair in support/contract_throw.hpp.
using futures_test::ContractViolation;
using futures_test::ThrowOnViolation;

/// A future that never completes and never arranges a notify (Rust tests' `Never`),
/// holding a shared_ptr so a test can see when it is destroyed (Rc::get_mut).
struct Never : futures::FutureExt<Never> {
  using Item = futures::Unit;
  using Error = futures::Unit;
  explicit Never(std::shared_ptr<int> rc) : rc_(std::move(rc)) {}
  futures::Poll<futures::Unit, futures::Unit> poll() { return futures::NotReady; }
  std::shared_ptr<int> rc_;
};

/// Runs `f()` when destroyed (Rust tests' `OnDrop`). Move-only.
template <class F>
class OnDrop {
 public:
  explicit OnDrop(F f) : f_(std::move(f)) {}
  OnDrop(OnDrop&& other) noexcept : f_(std::exchange(other.f_, std::nullopt)) {}
  OnDrop& operator=(OnDrop&&) = delete;
  ~OnDrop() {
    if (f_) (*f_)();
  }

 private:
  std::optional<F> f_;
};

/// A ParkThread that sends one message on `parked` each time it is about to park, so a
/// test can wait (without sleeping) until the executor really blocks.
class ReportingPark {
 public:
  using Unpark = tokio::executor::park::UnparkThread;
  using Error = tokio::executor::park::ParkError;

  explicit ReportingPark(futures_test::StdChannel<int>::Sender parked) : parked_(std::move(parked)) {}

  Unpark unpark() const { return inner_.unpark(); }
  futures::Result<futures::Unit, Error> park() {
    parked_.send(1);
    return inner_.park();
  }
  futures::Result<futures::Unit, Error> park_timeout(std::chrono::nanoseconds d) {
    parked_.send(1);
    return inner_.park_timeout(d);
  }

 private:
  tokio::executor::park::ParkThread inner_;
  futures_test::StdChannel<int>::Sender parked_;
};

}  // namespace exec_test
