// The "an executor runs on this thread" flag (include/tokio/executor/enter.hpp).
#include <tokio/executor/enter.hpp>

namespace tokio::executor {
namespace {
thread_local bool t_entered = false;
}  // namespace

namespace detail {
bool is_entered() noexcept { return t_entered; }
void set_entered(bool entered) noexcept { t_entered = entered; }
}  // namespace detail

futures::Result<Enter, EnterError> enter() {
  if (t_entered) return futures::Err(EnterError{});
  t_entered = true;
  return futures::Ok(Enter());
}

Enter::~Enter() {
  if (!active_) return;
  if (!t_entered) futures::contract_violation("tokio::executor::Enter destroyed on a thread that is not entered");
  // Callbacks run while the thread is still marked, as in Rust.
  for (auto& callback : on_exit_) callback->call();
  on_exit_.clear();
  t_entered = false;
}

void Enter::make_permanent() && {
  active_ = false;  // the destructor leaves the flag set
  on_exit_.clear();
}

}  // namespace tokio::executor
