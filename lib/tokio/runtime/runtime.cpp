// The thread-pool Runtime and its Builder (include/tokio/runtime/threadpool.hpp,
// builder.hpp, task_executor.hpp).
#include <tokio/runtime/builder.hpp>
#include <tokio/runtime/task_executor.hpp>
#include <tokio/runtime/threadpool.hpp>

#include <futures/contract.hpp>

#include <algorithm>
#include <string>
#include <thread>

namespace tokio::runtime {

namespace detail {

void throw_runtime_spawn_refused(const executor::SpawnError& error) {
  throw futures::Panic("tokio::runtime::TaskExecutor::spawn: the runtime refused the task: " +
                       std::string(error.what()) + (error.is_shutdown() ? " (shut down)" : " (at capacity)"));
}

void throw_nested(std::string_view what) {
  throw futures::Panic("nested " + std::string(what) +
                       ": attempted to run an executor while another executor is already running (called "
                       "from inside a task or another runtime's block_on / run, where blocking could "
                       "deadlock); spawn the future instead, or move the call out of the runtime");
}

void consumed_runtime(std::string_view what) {
  const std::string message = "tokio::runtime::Runtime " + std::string(what) +
                              " after shutdown_on_idle / shutdown_now / block_on_all consumed it";
  futures::contract_violation(message.c_str());
}

}  // namespace detail

// ----- Builder -----

Builder::Builder() {
  pool_.name_prefix("tokio-runtime-worker-");
  pool_.pool_size(std::max(1u, std::thread::hardware_concurrency()));
}

Builder& Builder::core_threads(std::size_t n) {
  pool_.pool_size(n);
  return *this;
}

futures::Result<Runtime, std::error_code> Builder::build() {
  // The reactor / timer seam (builder.hpp): a later issue gives each worker its
  // Timer<Reactor> through pool_.custom_park(...) and installs their handles with
  // pool_.around_worker(...) here, before build().
  return futures::Ok(Runtime(pool_.build()));
}

// ----- Runtime -----

futures::Result<Runtime, std::error_code> Runtime::create() { return Builder().build(); }

Runtime::~Runtime() {
  // Rust's Drop: shutdown_now, then wait for the workers (the pool's destructor does both).
  pool_.reset();
}

Shutdown Runtime::shutdown_on_idle() && {
  if (!pool_) detail::consumed_runtime("shutdown_on_idle");
  threadpool::Sender sender = pool_->sender();
  threadpool::ThreadPool pool = std::move(*pool_);
  pool_.reset();
  return Shutdown(std::move(pool).shutdown_on_idle(), std::move(sender));
}

Shutdown Runtime::shutdown_now() && {
  if (!pool_) detail::consumed_runtime("shutdown_now");
  threadpool::Sender sender = pool_->sender();
  threadpool::ThreadPool pool = std::move(*pool_);
  pool_.reset();
  return Shutdown(std::move(pool).shutdown_now(), std::move(sender));
}

}  // namespace tokio::runtime
