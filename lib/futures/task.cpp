// The current-task thread-local (include/futures/task.hpp).
#include <futures/contract.hpp>
#include <futures/task.hpp>

namespace futures::task {
namespace {
thread_local const detail::BorrowedTask* t_current = nullptr;
}  // namespace

namespace detail {
const BorrowedTask* current_borrowed() noexcept { return t_current; }

CurrentTaskGuard::CurrentTaskGuard(const BorrowedTask& task) noexcept : previous_(t_current) {
  t_current = &task;
}
CurrentTaskGuard::~CurrentTaskGuard() { t_current = previous_; }
}  // namespace detail

Task current() {
  const detail::BorrowedTask* borrowed = t_current;
  if (borrowed == nullptr) {
    contract_violation(
        "futures::task::current() called outside of a task: no Task is currently running. "
        "Only a future being polled by an executor may call it. Run the future with "
        "std::move(f).wait(), futures::executor::spawn(f).wait_future(), or inside "
        "tokio::run(...) (wrap setup code in futures::future::lazy).");
  }
  return Task(*borrowed->notify, borrowed->id);
}

bool is_in_task() noexcept { return t_current != nullptr; }

bool Task::will_notify_current() const noexcept {
  const detail::BorrowedTask* borrowed = t_current;
  return borrowed != nullptr && borrowed->notify->get() == notify_.get() && borrowed->id == id_;
}

}  // namespace futures::task
