// The contract-violation handler (include/futures/contract.hpp).
#include <futures/contract.hpp>

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace futures {
namespace {

[[noreturn]] void print_and_abort(const char* message) {
  std::fprintf(stderr, "futures: contract violation: %s\n", message);
  std::fflush(stderr);
  std::abort();
}

std::atomic<ContractViolationHandler> g_handler{nullptr};

}  // namespace

ContractViolationHandler set_contract_violation_handler(ContractViolationHandler handler) noexcept {
  return g_handler.exchange(handler, std::memory_order_acq_rel);  // pairs with the load below
}

void contract_violation(const char* message) {
  // Acquire pairs with the exchange in set_contract_violation_handler.
  if (auto handler = g_handler.load(std::memory_order_acquire)) handler(message);
  print_and_abort(message);  // the default, and the fallback if a handler returned
}

}  // namespace futures
