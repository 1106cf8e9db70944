// A reactor turned by a thread of its own (include/tokio/reactor/reactor.hpp's
// Background) and the global fallback reactor used by threads with no default.
#include "inner.hpp"

#include <tokio/reactor/reactor.hpp>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <exception>
#include <system_error>
#include <thread>

namespace tokio::reactor {

namespace detail {

struct BackgroundThread {
  explicit BackgroundThread(Reactor r) : reactor(std::move(r)), handle(reactor.handle()) {}

  void run() {
    for (;;) {
      if (stop.load(std::memory_order_acquire)) return;
      if (on_idle.load(std::memory_order_acquire) && reactor.is_idle()) return;
      auto turned = reactor.turn(std::nullopt);
      if (turned.is_err()) {
        std::fprintf(stderr, "tokio: background reactor failed: %s\n", turned.unwrap_err_ref().message().c_str());
        return;
      }
    }
  }

  // Asks the thread to stop (now, or once idle), waits for it, drops the reactor.
  void stop_and_join(bool when_idle) {
    if (!thread.joinable()) return;
    if (when_idle) {
      // Seq_cst with the release path's load: either the last release sees the flag and
      // wakes the reactor, or the reactor thread sees is_idle() after this wake.
      if (auto inner = handle.resolve_()) inner->wake_when_idle.store(true, std::memory_order_seq_cst);
      on_idle.store(true, std::memory_order_seq_cst);
    } else {
      stop.store(true, std::memory_order_seq_cst);
    }
    handle.unpark();
    thread.join();
  }

  Reactor reactor;
  Handle handle;
  std::atomic<bool> stop{false};
  std::atomic<bool> on_idle{false};
  std::thread thread;
};

/// The global reactor of threads with no default: started on first use, runs until the
/// process exits (deliberately never destroyed: sockets may outlive static destructors).
/// If it cannot start (out of fds, say), the caller gets a handle to no reactor, so the
/// socket that asked fails with an io::Error ("reactor gone") instead of the process
/// ending; the next call tries again.
Handle fallback_handle() {
  // A static pointer (not a local leak) keeps it reachable for leak checkers.
  static std::atomic<Background*> background{nullptr};
  static std::mutex starting;
  if (Background* started = background.load(std::memory_order_acquire)) return started->handle();
  std::lock_guard lock(starting);
  if (Background* started = background.load(std::memory_order_acquire)) return started->handle();
  auto reactor = Reactor::create();
  if (reactor.is_err()) {
    std::fprintf(stderr, "tokio: failed to start the fallback reactor: %s\n",
                 reactor.unwrap_err_ref().message().c_str());
    return Handle(std::weak_ptr<Inner>(), nullptr);
  }
  auto thread = std::move(reactor).unwrap().background();
  if (thread.is_err()) {
    std::fprintf(stderr, "tokio: failed to start the fallback reactor thread: %s\n",
                 thread.unwrap_err_ref().message().c_str());
    return Handle(std::weak_ptr<Inner>(), nullptr);
  }
  Background* created = new Background(std::move(thread).unwrap());
  background.store(created, std::memory_order_release);
  return created->handle();
}

}  // namespace detail

io::Result<Background> Reactor::background() && {
  auto state = std::make_unique<detail::BackgroundThread>(std::move(*this));
  try {
    state->thread = std::thread([raw = state.get()] { raw->run(); });
  } catch (const std::system_error& e) {
    return futures::Err(io::Error(e.code()));
  }
  return futures::Ok(Background(std::move(state)));
}

Background::Background(std::unique_ptr<detail::BackgroundThread> thread) noexcept : thread_(std::move(thread)) {}
Background::Background(Background&&) noexcept = default;
Background::~Background() {
  if (thread_) thread_->stop_and_join(false);
}

Handle Background::handle() const { return thread_->handle; }

void Background::shutdown_on_idle() && {
  if (!thread_) return;
  thread_->stop_and_join(true);
  thread_.reset();
}

void Background::shutdown_now() && {
  if (!thread_) return;
  thread_->stop_and_join(false);
  thread_.reset();
}

}  // namespace tokio::reactor
