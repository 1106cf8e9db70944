// futures layer: the one handler for contract violations (Rust's panics on misuse).
//
// A contract violation is a programming error the library detects: polling a future
// after it completed, calling task::current() outside a task, chunks(0). The default
// handler prints the message to stderr and aborts. Tests may install a handler that
// throws instead, to check that a violation is caught.
#pragma once

#include <stdexcept>
#include <string>

namespace futures {

/// Signature of a contract-violation handler. It must not return.
using ContractViolationHandler = void (*)(const char* message);

/// Installs `handler` (nullptr restores the default, which prints and aborts) and
/// returns the previous one. Thread safety: may be called from any thread.
ContractViolationHandler set_contract_violation_handler(ContractViolationHandler handler) noexcept;

/// Reports a contract violation through the installed handler; never returns.
[[noreturn]] void contract_violation(const char* message);

/// What Rust's `panic!` becomes when user code can catch it: `Result::unwrap()` on an
/// `Err`, `expect`. An exception, so the task boundary (and catch_unwind) catches it.
class Panic : public std::runtime_error {
 public:
  explicit Panic(const std::string& what) : std::runtime_error(what) {}
};

namespace detail {
template <class... T>
inline constexpr bool always_false = false;
}  // namespace detail

}  // namespace futures
