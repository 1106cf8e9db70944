// futures layer: sink::Wait<K>, a blocking handle to a sink. Mirrors futures 0.1
// `src/sink/wait.rs` (and `Spawn::wait_send` / `wait_flush` / `wait_close`).
#pragma once

#include <futures/executor.hpp>
#include <futures/sink_ext.hpp>

#include <utility>

namespace futures::sink {

/// Drives a sink to completion by blocking (parking) the calling OS thread. Made by
/// `std::move(sink).wait()`.
///
/// Each call polls the sink in a task of its own whose notification unparks this
/// thread, and parks until the sink makes progress. Never call it from inside a task
/// (it would block an executor thread): use `send` / `flush` futures there.
///
/// Errors: the sink's error, as returned by the failing start_send / poll_complete /
/// close.
template <class K>
class Wait {
 public:
  using SinkItem = typename K::SinkItem;
  using SinkError = typename K::SinkError;

  explicit Wait(K sink) : sink_(executor::spawn(std::move(sink))) {}

  /// Blocks until the sink accepts `value` (start_send Ready). Does not flush.
  Result<Unit, SinkError> send(SinkItem value) {
    for (;;) {
      auto r = poll_sink([&](K& k) { return k.start_send(std::move(value)); });
      if (r.is_err()) return Err(std::move(r).unwrap_err());
      AsyncSink<SinkItem> sent = std::move(r).unwrap();
      if (sent.is_ready()) return Ok();
      value = std::move(sent).item();
      executor::detail::park_current_thread();
    }
  }

  /// Blocks until poll_complete is Ready.
  Result<Unit, SinkError> flush() {
    return block_on([](K& k) { return k.poll_complete(); });
  }

  /// Blocks until close is Ready.
  Result<Unit, SinkError> close() {
    return block_on([](K& k) { return k.close(); });
  }

  const K& get_ref() const { return sink_.get_ref(); }
  K& get_mut() { return sink_.get_mut(); }
  K into_inner() && { return std::move(sink_).into_inner(); }

 private:
  template <class F>
  decltype(auto) poll_sink(F&& f) {
    return sink_.poll_fn_notify(executor::detail::current_thread_notify(), 0, std::forward<F>(f));
  }

  template <class F>
  Result<Unit, SinkError> block_on(F f) {
    for (;;) {
      Poll<Unit, SinkError> p = poll_sink(f);
      if (p.is_err()) return Err(std::move(p).unwrap_err());
      if (p.unwrap_ref().is_ready()) return Ok();
      executor::detail::park_current_thread();
    }
  }

  executor::Spawn<K> sink_;
};

}  // namespace futures::sink
