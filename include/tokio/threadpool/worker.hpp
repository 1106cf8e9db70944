// tokio layer: what Builder::around_worker sees of a worker thread. Mirrors
// tokio-threadpool 0.1 `src/worker/mod.rs` (`Worker`, `WorkerId`).
#pragma once

#include <compare>
#include <cstddef>
#include <ostream>

namespace tokio::threadpool {

namespace detail {
class Inner;
}  // namespace detail

/// Names one worker slot of a pool (Rust's `WorkerId`): the index of the slot, 0 to
/// pool_size - 1. A slot keeps its id when blocking() hands it to another thread.
class WorkerId {
 public:
  explicit WorkerId(std::size_t index) noexcept : index_(index) {}
  /// Rust's `WorkerId::to_usize`.
  std::size_t to_usize() const noexcept { return index_; }
  friend auto operator<=>(const WorkerId&, const WorkerId&) = default;
  friend std::ostream& operator<<(std::ostream& os, const WorkerId& id) {
    return os << "WorkerId(" << id.index_ << ")";
  }

 private:
  std::size_t index_;
};

/// A pool thread, as handed to Builder::around_worker's callback (Rust's `Worker`).
/// `run()` runs the thread's scheduling loop and returns when the thread is done (pool
/// shut down, or a spare thread's keep_alive ran out). Not copyable; valid only inside
/// the callback.
class Worker {
 public:
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  /// The slot this thread started with. A thread started to take over a slot from a
  /// worker entering blocking() reports that slot.
  const WorkerId& id() const noexcept { return id_; }
  /// Runs the worker loop; call it exactly once.
  void run();

 private:
  friend class detail::Inner;
  Worker(detail::Inner* inner, std::size_t slot) noexcept : inner_(inner), id_(slot), slot_(slot) {}
  detail::Inner* inner_;
  WorkerId id_;
  std::size_t slot_;
  bool ran_ = false;
};

}  // namespace tokio::threadpool
