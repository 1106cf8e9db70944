// The model programs' stand-in for lib/futures/task.cpp (the current-task thread-local).
//
// Relacy runs every simulated thread as a fiber on ONE OS thread, so a C++ thread_local
// would be shared by all of them: a task made current on simulated thread 0 would still
// be current when Relacy switches to thread 1 in the middle of a poll. Here the slot is
// kept per simulated thread (rl::thread_index()) instead; everything else is the same
// code as task.cpp.
#include <futures/contract.hpp>
#include <futures/task.hpp>

#include <cstddef>

namespace futures::task {
namespace {
constexpr std::size_t kMaxThreads = 16;
const detail::BorrowedTask* g_current[kMaxThreads] = {};

const detail::BorrowedTask*& slot() {
  const unsigned index = rl::thread_index();
  if (index >= kMaxThreads) contract_violation("model: too many Relacy threads");
  return g_current[index];
}
}  // namespace

namespace detail {
const BorrowedTask* current_borrowed() noexcept {
  return slot();
}

CurrentTaskGuard::CurrentTaskGuard(const BorrowedTask& task) noexcept : previous_(slot()) {
  slot() = &task;
}
CurrentTaskGuard::~CurrentTaskGuard() {
  slot() = previous_;
}
}  // namespace detail

Task current() {
  const detail::BorrowedTask* borrowed = slot();
  if (borrowed == nullptr) contract_violation("model: task::current() outside a task");
  return Task(*borrowed->notify, borrowed->id);
}

bool is_in_task() noexcept {
  return slot() != nullptr;
}

bool Task::will_notify_current() const noexcept {
  const detail::BorrowedTask* borrowed = slot();
  return borrowed != nullptr && borrowed->notify->get() == notify_.get() && borrowed->id == id_;
}

}  // namespace futures::task
