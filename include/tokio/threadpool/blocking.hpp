// tokio layer: blocking(), running blocking code on a pool worker without stalling the
// pool. Mirrors tokio-threadpool 0.1 `src/blocking.rs`.
#pragma once

#include <tokio/executor/enter.hpp>

#include <futures/poll.hpp>
#include <futures/result.hpp>
#include <futures/unit.hpp>

#include <ostream>
#include <string_view>
#include <type_traits>
#include <utility>

namespace tokio::threadpool {

/// blocking() was called outside a task running on a thread pool (Rust's
/// `BlockingError`).
class BlockingError {
 public:
  std::string_view what() const noexcept {
    return "`blocking` annotation used from outside the context of a thread pool";
  }
  friend bool operator==(const BlockingError&, const BlockingError&) = default;
  friend std::ostream& operator<<(std::ostream& os, const BlockingError& e) {
    return os << "BlockingError(" << e.what() << ")";
  }
};

namespace detail {
enum class BlockingEntry {
  kEntered,      // this thread may block now: its worker slot went to another thread
  kNested,       // already inside blocking() on this thread
  kNoCapacity,   // max_blocking threads are blocking: the task will be notified
  kOutsidePool,  // not on a pool worker
};
/// Called by blocking(): claims blocking capacity for the current task and hands the
/// worker's slot (queues, parker) to another thread. Defined in lib/tokio/threadpool/.
BlockingEntry enter_blocking();
}  // namespace detail

/// Runs `f()`, which may block the thread, from a task on a pool worker (Rust's
/// `tokio_threadpool::blocking`):
///  - Ready(f()) (void f: Ready(Unit)) once it ran. Before running it, the worker hands
///    its queue to another thread (an idle spare thread, or a new one), so the pool
///    keeps its width; when the task's poll returns, this thread becomes a spare that
///    waits up to the Builder's keep_alive for a slot to take over, then exits.
///  - NotReady when the Builder's max_blocking threads are already blocking: `f` is not
///    called; the task is notified when capacity frees up (waiting tasks are served
///    FIFO), and the capacity is reserved for it until the end of its next poll.
///  - Err(BlockingError) when not called from a task on a thread pool.
/// Inside `f`, other executors may run (the thread is not "entered"). A blocking()
/// nested in `f` just runs its closure. One claim lasts for the rest of the poll: further
/// blocking() calls in the same poll run at once.
template <class F>
auto blocking(F&& f) -> futures::Poll<std::conditional_t<std::is_void_v<std::invoke_result_t<F&&>>,
                                                         futures::Unit, std::invoke_result_t<F&&>>,
                                      BlockingError> {
  switch (detail::enter_blocking()) {
    case detail::BlockingEntry::kOutsidePool:
      return futures::Err(BlockingError{});
    case detail::BlockingEntry::kNoCapacity:
      return futures::NotReady;
    case detail::BlockingEntry::kNested:
      if constexpr (std::is_void_v<std::invoke_result_t<F&&>>) {
        std::forward<F>(f)();
        return futures::Ready(futures::Unit{});
      } else {
        return futures::Ready(std::forward<F>(f)());
      }
    case detail::BlockingEntry::kEntered:
      break;
  }
  if constexpr (std::is_void_v<std::invoke_result_t<F&&>>) {
    executor::exit(std::forward<F>(f));
    return futures::Ready(futures::Unit{});
  } else {
    return futures::Ready(executor::exit(std::forward<F>(f)));
  }
}

}  // namespace tokio::threadpool
