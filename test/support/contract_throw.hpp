// Test support: turn contract violations into exceptions, so a test can check that the
// library reports misuse (the default handler prints and aborts, which only a death test
// can observe).
#pragma once

#include <futures/contract.hpp>

#include <stdexcept>

namespace futures_test {

/// What throw_violation throws: the message the library reported.
struct ContractViolation : std::logic_error {
  using std::logic_error::logic_error;
};

/// A contract-violation handler that throws ContractViolation.
[[noreturn]] inline void throw_violation(const char* msg) { throw ContractViolation(msg); }

/// Installs throw_violation for its lifetime and then restores the previous handler.
/// The handler is process-wide: use it in tests that run on one thread at a time (gtest
/// runs tests one after the other), not from threads that outlive the test.
class ThrowOnViolation {
 public:
  ThrowOnViolation() : prev_(futures::set_contract_violation_handler(&throw_violation)) {}
  ~ThrowOnViolation() { futures::set_contract_violation_handler(prev_); }
  ThrowOnViolation(const ThrowOnViolation&) = delete;
  ThrowOnViolation& operator=(const ThrowOnViolation&) = delete;

 private:
  futures::ContractViolationHandler prev_;
};

}  // namespace futures_test
