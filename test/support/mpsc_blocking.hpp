// Test support (helper "mpsc"): blocking send and receive on plain threads, written
// against the Sink/Stream members only (start_send, poll), so channel tests need no
// combinator. Each call runs inside a task that parks this OS thread.
#pragma once

#include <futures/executor.hpp>
#include <futures/future/poll_fn.hpp>
#include <futures/poll.hpp>
#include <futures/result.hpp>
#include <futures/unit.hpp>

#include <optional>
#include <utility>

namespace futures_test {

namespace mpsc_detail {
/// Borrows a stream for executor::spawn.
template <class S>
struct StreamRef {
  using Item = typename S::Item;
  using Error = typename S::Error;
  S* s;
  auto poll() { return s->poll(); }
};
}  // namespace mpsc_detail

/// Sends `item` into `sink`, parking this thread while the sink is not ready, then
/// flushes. Returns false if the sink failed (e.g. the receiver is gone).
template <class K>
bool send_blocking(K& sink, typename K::SinkItem item) {
  std::optional<typename K::SinkItem> pending(std::move(item));
  bool ok = true;
  auto f = futures::future::poll_fn([&]() -> futures::Poll<futures::Unit, futures::Unit> {
    if (pending) {
      auto sent = sink.start_send(std::move(*pending));
      pending.reset();
      if (sent.is_err()) {
        ok = false;
        return futures::Ready();
      }
      auto async = std::move(sent).unwrap();
      if (async.is_not_ready()) {
        pending.emplace(std::move(async).item());
        return futures::NotReady;
      }
    }
    auto flushed = sink.poll_complete();
    if (flushed.is_err()) {
      ok = false;
      return futures::Ready();
    }
    if (flushed.unwrap_ref().is_not_ready()) return futures::NotReady;
    return futures::Ready();
  });
  (void)std::move(f).wait();
  return ok;
}

/// Polls `stream` once inside a thread-parking task, blocking until it yields: an item,
/// an error, or nullopt at the end (like Rust's `stream.wait().next()`). The stream is
/// borrowed: it stays usable afterwards.
template <class S>
std::optional<futures::Result<typename S::Item, typename S::Error>> next_blocking(S& stream) {
  auto spawned = futures::executor::spawn(mpsc_detail::StreamRef<S>{&stream});
  return spawned.wait_stream();
}

}  // namespace futures_test
