// The thread's default executor (include/tokio/executor/global.hpp).
//
// State machine of the thread-local slot (Rust's `State`): Empty (none set), Ready
// (set, not in use) and Active (its spawn/status is running right now: a spawn from
// inside it, e.g. by a future's constructor, finds no executor instead of recursing).
#include <tokio/executor/global.hpp>

#include <futures/contract.hpp>

#include <string>

namespace tokio::executor::detail {
namespace {

struct DefaultSlot {
  Executor* executor = nullptr;
  bool active = false;
};
thread_local DefaultSlot t_default;

/// Marks the slot Active for the scope, then Ready again (also on exceptions).
class ActiveGuard {
 public:
  ActiveGuard() noexcept { t_default.active = true; }
  ~ActiveGuard() { t_default.active = false; }
  ActiveGuard(const ActiveGuard&) = delete;
  ActiveGuard& operator=(const ActiveGuard&) = delete;
};

}  // namespace

futures::Result<futures::Unit, SpawnError> default_spawn(RawTask task, bool& no_default) {
  if (t_default.executor == nullptr || t_default.active) {
    no_default = true;
    return futures::Err(SpawnError::shutdown());
  }
  ActiveGuard active;
  return t_default.executor->spawn_task(std::move(task));
}

futures::Result<futures::Unit, SpawnError> default_status() {
  if (t_default.executor == nullptr || t_default.active) return futures::Err(SpawnError::shutdown());
  ActiveGuard active;
  return t_default.executor->status();
}

void set_default_executor(Executor& executor) {
  if (t_default.executor != nullptr)
    futures::contract_violation("default executor already set for execution context");
  t_default.executor = &executor;
  t_default.active = false;
}

void clear_default_executor() noexcept { t_default = DefaultSlot{}; }

void throw_spawn_failed(bool no_default, const SpawnError& error) {
  if (no_default) {
    throw futures::Panic(
        "tokio::spawn called outside a runtime: wrap the setup in future::lazy and run it "
        "inside tokio::run / current_thread::block_on_all, e.g. "
        "tokio::run(futures::future::lazy([] { tokio::spawn(...); })) (no default executor "
        "is set on this thread)");
  }
  throw futures::Panic("tokio::spawn: the default executor refused the task: " + std::string(error.what()) +
                       (error.is_shutdown() ? " (shut down)" : " (at capacity)"));
}

}  // namespace tokio::executor::detail
