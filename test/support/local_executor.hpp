// Test support: LocalCore, a single-thread executor driven by the test (futures 0.1
// tests/support/local_executor.rs `Core`). It satisfies future::Executor, so tests can
// hand it to oneshot::spawn, mpsc::spawn and friends.
#pragma once

#include <futures/executor.hpp>
#include <futures/future/executor.hpp>
#include <futures/result.hpp>
#include <futures/task.hpp>

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace futures_test {

/// A single-thread executor driven by the test (futures 0.1 tests/support/local_executor.rs
/// `Core`): execute() queues a future; run(f) polls f and the queued futures whenever
/// they are notified, until f completes.
class LocalCore {
  struct Spawned {
    virtual ~Spawned() = default;
    virtual bool poll(const futures::executor::NotifyHandle& notify, std::size_t id) = 0;  // true = done
  };
  template <class F>
  struct SpawnedFuture final : Spawned {
    explicit SpawnedFuture(F f) : spawn(std::move(f)) {}
    bool poll(const futures::executor::NotifyHandle& notify, std::size_t id) override {
      auto polled = spawn.poll_future_notify(notify, id);
      return polled.is_err() || polled.unwrap_ref().is_ready();
    }
    futures::executor::Spawn<F> spawn;
  };
  struct ReadyQueue final : futures::executor::Notify {
    void notify(std::size_t id) override {
      std::lock_guard lock(mutex);
      ids.push_back(id);
    }
    std::optional<std::size_t> pop() {
      std::lock_guard lock(mutex);
      if (ids.empty()) return std::nullopt;
      std::size_t id = ids.front();
      ids.pop_front();
      return id;
    }
    std::mutex mutex;
    std::deque<std::size_t> ids;
  };
  struct State {
    std::shared_ptr<ReadyQueue> queue = std::make_shared<ReadyQueue>();
    futures::executor::NotifyHandle handle{queue};
    std::vector<std::unique_ptr<Spawned>> tasks;  // slot i has id i + 1; 0 is run()'s future
    std::optional<futures::future::ExecuteErrorKind> refuse;
    int executed = 0;
  };

 public:
  /// Rust's `Executor<F> for Core`: queues `f` and asks for it to be polled.
  template <class F>
  futures::Result<futures::Unit, futures::future::ExecuteError<F>> execute(F f) const {
    if (state_->refuse) return futures::Err(futures::future::ExecuteError<F>(*state_->refuse, std::move(f)));
    state_->tasks.push_back(std::make_unique<SpawnedFuture<F>>(std::move(f)));
    ++state_->executed;
    state_->queue->notify(state_->tasks.size());
    return futures::Ok();
  }

  /// Polls `f` and every notified spawned future until `f` completes. When nothing is
  /// notified, calls `on_idle` once (the tests' deterministic "timeout"), then gives up
  /// and returns nullopt the next time.
  template <class F>
  std::optional<futures::Result<typename F::Item, typename F::Error>> run(F f, std::function<void()> on_idle = nullptr) const {
    using R = futures::Result<typename F::Item, typename F::Error>;
    futures::executor::Spawn<F> main(std::move(f));
    std::optional<R> out;
    state_->queue->notify(0);
    for (;;) {
      std::optional<std::size_t> id = state_->queue->pop();
      if (!id) {
        if (!on_idle) break;
        std::exchange(on_idle, nullptr)();
        continue;
      }
      if (*id != 0) {
        turn(*id);
        continue;
      }
      auto polled = main.poll_future_notify(state_->handle, 0);
      if (polled.is_err()) {
        out.emplace(futures::Err(std::move(polled).unwrap_err()));
        break;
      }
      if (polled.unwrap_ref().is_ready()) {
        out.emplace(futures::Ok(std::move(polled).unwrap().value()));
        break;
      }
    }
    return out;
  }

  /// Polls notified spawned futures until none is notified.
  void run_until_stalled() const {
    while (std::optional<std::size_t> id = state_->queue->pop()) {
      if (*id != 0) turn(*id);
    }
  }

  void refuse_with(futures::future::ExecuteErrorKind kind) const { state_->refuse = kind; }
  int executed() const { return state_->executed; }
  /// Spawned futures not yet finished.
  int live() const {
    int n = 0;
    for (auto& t : state_->tasks) n += t != nullptr;
    return n;
  }

 private:
  void turn(std::size_t id) const {
    // Take the future out while polling it, so it may call execute() (spawn-in-run).
    std::unique_ptr<Spawned> task = std::move(state_->tasks[id - 1]);
    if (task == nullptr) return;  // spurious: already finished
    bool done = task->poll(state_->handle, id);
    if (!done) state_->tasks[id - 1] = std::move(task);
  }

  std::shared_ptr<State> state_ = std::make_shared<State>();
};

}  // namespace futures_test
