// The public face of the thread pool (include/tokio/threadpool/): Builder::build,
// ThreadPool, Shutdown, Worker, and the detail:: entry points the headers call.
#include "pool.hpp"

#include <tokio/threadpool/thread_pool.hpp>
#include <tokio/threadpool/worker.hpp>

#include <futures/contract.hpp>

#include <algorithm>
#include <thread>

namespace tokio::threadpool {
namespace detail {

std::shared_ptr<Inner> Inner::create(Config config) {
  return std::shared_ptr<Inner>(new Inner(std::move(config)), [](Inner* inner) { inner->drop_keep(); });
}

Inner::Inner(Config config)
    : config_(std::move(config)),
      num_slots_(config_.pool_size),
      slots_(new Slot[num_slots_]),
      shards_(new RegistryShard[num_slots_ + kOutsideShards]),
      idle_(num_slots_),
      blocking_capacity_(config_.max_blocking) {
  set_ids_keep_alive();
  search_rounds_ = search_rounds_for(num_slots_, static_cast<bool>(config_.new_park));
  if (config_.new_park) {
    for (std::size_t i = 0; i < num_slots_; ++i) {
      slots_[i].park.emplace(config_.new_park(WorkerId(i)));
      slots_[i].unpark.emplace(slots_[i].park->unpark());
    }
    config_.new_park = nullptr;  // needed only here (Rust keeps it in the Builder)
  }
}

futures::Result<futures::Unit, SpawnError> spawn(Inner& inner, RawTask task) {
  return inner.spawn(std::move(task));
}
futures::Result<futures::Unit, SpawnError> status(const Inner& inner) {
  return inner.status();
}
std::size_t pending_tasks(const Inner& inner,
                          const std::function<void(const executor::TaskNode&)>& each) {
  return inner.pending_tasks(each);
}

void throw_spawn_refused() {
  throw futures::Panic(
      "tokio::threadpool::ThreadPool::spawn: the pool has shut down and refused the task");
}

}  // namespace detail

// ----- Worker -----

void Worker::run() {
  if (ran_) futures::contract_violation("tokio::threadpool::Worker::run called twice");
  ran_ = true;
  inner_->run_thread(slot_);
}

// ----- Builder -----

Builder& Builder::pool_size(std::size_t n) {
  if (n == 0)
    futures::contract_violation(
        "tokio::threadpool::Builder::pool_size: the pool needs at least one thread");
  config_.pool_size = n;
  return *this;
}

ThreadPool Builder::build() const {
  detail::Config config = config_;
  if (config.pool_size == 0) config.pool_size = std::max(1u, std::thread::hardware_concurrency());
  auto inner = detail::Inner::create(std::move(config));
  inner->start(inner);
  return ThreadPool(std::move(inner));
}

// ----- ThreadPool -----

ThreadPool::ThreadPool() : ThreadPool(Builder().build()) {}

ThreadPool& ThreadPool::operator=(ThreadPool&& other) noexcept {
  if (this != &other) {
    close();
    inner_ = std::move(other.inner_);
  }
  return *this;
}

ThreadPool::~ThreadPool() {
  close();
}

void ThreadPool::close() noexcept {
  if (!inner_) return;
  auto done = std::move(*this).shutdown_now();
  (void)std::move(done).wait();
}

Shutdown ThreadPool::shutdown_on_idle() && {
  if (!inner_)
    futures::contract_violation("tokio::threadpool::ThreadPool used after it was consumed");
  inner_->begin_shutdown(detail::kShutdownOnIdle);
  return Shutdown(std::move(inner_));
}
Shutdown ThreadPool::shutdown() && {
  if (!inner_)
    futures::contract_violation("tokio::threadpool::ThreadPool used after it was consumed");
  inner_->begin_shutdown(detail::kShutdown);
  return Shutdown(std::move(inner_));
}
Shutdown ThreadPool::shutdown_now() && {
  if (!inner_)
    futures::contract_violation("tokio::threadpool::ThreadPool used after it was consumed");
  inner_->begin_shutdown(detail::kShutdownNow);
  return Shutdown(std::move(inner_));
}

// ----- Shutdown -----

futures::Poll<futures::Unit, futures::Unit> Shutdown::poll() {
  if (!inner_) futures::contract_violation("tokio::threadpool::Shutdown polled after completion");
  inner_->shutdown_task().register_();
  if (!inner_->exited()) return futures::NotReady;
  inner_->join_threads();
  inner_.reset();
  return futures::Ready(futures::Unit{});
}

}  // namespace tokio::threadpool
