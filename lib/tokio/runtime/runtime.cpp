// The thread-pool Runtime and its Builder (include/tokio/runtime/threadpool.hpp,
// builder.hpp, task_executor.hpp).
#include <tokio/runtime/builder.hpp>
#include <tokio/runtime/task_executor.hpp>
#include <tokio/runtime/threadpool.hpp>

#include <futures/contract.hpp>

#include <tokio/reactor/handle.hpp>
#include <tokio/reactor/reactor.hpp>
#include <tokio/timer/clock.hpp>

#include "tokio/reactor/spread.hpp"
#include "shared_reactor_park.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <vector>
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

// Rust's stdout is a LineWriter: each println! reaches a pipe at once, which scripts
// talking to an example rely on. C's stdout is fully buffered when piped, so a program
// that links the runtime makes it line-buffered before main runs (no output yet).
[[maybe_unused]] const bool stdout_line_buffered = [] {
  std::setvbuf(stdout, nullptr, _IOLBF, BUFSIZ);
  return true;
}();

// The default worker count: TOKIO_WORKER_THREADS if set to a positive number (as in
// Tokio 1.x), else one per CPU.
std::size_t default_core_threads() {
  if (const char* env = std::getenv("TOKIO_WORKER_THREADS")) {
    char* end = nullptr;
    const unsigned long n = std::strtoul(env, &end, 10);
    if (end != env && *end == '\0' && n > 0 && n <= 32768) return n;
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

// Every worker runs with `handle` as its default reactor and `clock` as its clock;
// `keep_alive` lives as long as the pool's workers may run.
void run_workers_with(threadpool::Builder& pool, reactor::Handle handle, timer::clock::Clock clock,
                      std::shared_ptr<const void> keep_alive = nullptr) {
  pool.around_worker([handle = std::move(handle), clock = std::move(clock), keep_alive = std::move(keep_alive)](
                         threadpool::Worker& worker, executor::Enter& enter) {
    reactor::with_default(handle, enter, [&](executor::Enter& e) {
      timer::clock::with_default(clock, e, [&] { worker.run(); });
    });
  });
}

}  // namespace detail

// ----- Builder -----

Builder::Builder() {
  pool_.name_prefix("tokio-runtime-worker-");
  core_threads_ = detail::default_core_threads();
  pool_.pool_size(core_threads_);
}

Builder& Builder::core_threads(std::size_t n) {
  pool_.pool_size(n);
  core_threads_ = n;
  return *this;
}

futures::Result<Runtime, std::error_code> Builder::build() {
  // The timer (a later issue) will wrap each reactor here: Timer<Reactor>.
  if (reactor_thread_) {
    // One reactor on its own thread; workers keep the default park. The Background is
    // shared with the workers' wrapper so it outlives them (shutdown_on_idle hands the
    // pool to a Shutdown future that may outlive the Runtime).
    auto created = reactor::Reactor::create();
    if (created.is_err()) return futures::Err(created.unwrap_err_ref().code());
    auto started = std::move(created).unwrap().background();
    if (started.is_err()) return futures::Err(started.unwrap_err_ref().code());
    auto background = std::make_shared<reactor::Background>(std::move(started).unwrap());
    reactor::Handle handle = background->handle();
    detail::run_workers_with(pool_, handle, clock_, background);
    return futures::Ok(Runtime(pool_.build(), std::move(handle), clock_));
  }

  if (!reactor_per_worker_ && core_threads_ > 1) {
    // One reactor for all the workers, driven by whichever idle worker takes it first
    // (shared_reactor_park.hpp). A lone worker parks on its reactor directly (below):
    // the same, minus the handoff.
    auto created = reactor::Reactor::create();
    if (created.is_err()) return futures::Err(created.unwrap_err_ref().code());
    auto shared =
        std::make_shared<detail::SharedReactor>(std::move(created).unwrap(), reactor_spin_);
    reactor::Handle handle = shared->handle();
    detail::run_workers_with(pool_, handle, clock_);
    // Only the parks own the reactor, not this Builder (which may outlive the pool): the
    // last slot's park takes the factory's reference, so the reactor goes with the pool.
    struct Pending {
      std::shared_ptr<detail::SharedReactor> reactor;
      std::size_t slots_left;
    };
    auto pending = std::make_shared<Pending>(Pending{std::move(shared), core_threads_});
    pool_.custom_park([pending](const threadpool::WorkerId&) {
      std::shared_ptr<detail::SharedReactor> reactor = pending->reactor;
      if (--pending->slots_left == 0) pending->reactor.reset();
      return detail::SharedReactorPark(std::move(reactor));
    });
    return futures::Ok(Runtime(pool_.build(), std::move(handle), clock_));
  }

  // reactor_per_worker(true): one reactor per worker slot (Tokio 0.1.22): the slot parks
  // on it and its thread makes it the default reactor.
  const std::size_t workers = core_threads_;
  auto reactors = std::make_shared<std::vector<std::optional<reactor::Reactor>>>();
  auto handles = std::make_shared<std::vector<reactor::Handle>>();
  reactors->reserve(workers);
  handles->reserve(workers);
  for (std::size_t i = 0; i < workers; ++i) {
    auto created = reactor::Reactor::create();
    if (created.is_err()) return futures::Err(created.unwrap_err_ref().code());
    reactors->emplace_back(std::move(created).unwrap());
    handles->push_back(reactors->back()->handle());
  }
  pool_.around_worker([handles, clock = clock_](threadpool::Worker& worker, executor::Enter& enter) {
    // New lazily bound sources go to the workers' reactors in turn (reactor/spread.hpp).
    struct SpreadGuard {
      explicit SpreadGuard(const std::vector<reactor::Handle>* h) noexcept { reactor::detail::set_registration_spread(h); }
      ~SpreadGuard() { reactor::detail::set_registration_spread(nullptr); }
    } spread(handles.get());
    reactor::with_default((*handles)[worker.id().to_usize()], enter, [&](executor::Enter& e) {
      timer::clock::with_default(clock, e, [&] { worker.run(); });
    });
  });
  // build() calls this once per slot, on this thread.
  pool_.custom_park([reactors](const threadpool::WorkerId& id) {
    std::optional<reactor::Reactor>& slot = (*reactors)[id.to_usize()];
    reactor::Reactor taken = std::move(*slot);
    slot.reset();
    return taken;
  });
  reactor::Handle first = handles->front();
  return futures::Ok(Runtime(pool_.build(), std::move(first), clock_));
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
