// futures layer: sink::Send, the future returned by `send`. Mirrors futures 0.1
// `src/sink/send.rs`.
#pragma once

#include <futures/future_ext.hpp>
#include <futures/sink_ext.hpp>

#include <optional>
#include <utility>

namespace futures::sink {

/// Sends one item (start_send until the sink accepts it), then flushes (poll_complete
/// until Ready), then resolves to the sink.
///
/// Errors: the sink's error (the item is lost if start_send failed).
///
/// Aborts: polling after it resolved, or get_ref/get_mut after it, is a contract
/// violation.
template <class K>
class Send : public FutureExt<Send<K>> {
 public:
  using Item = K;
  using Error = typename K::SinkError;

  Send(K sink, typename K::SinkItem item)
      : sink_(std::in_place, std::move(sink)), item_(std::in_place, std::move(item)) {}

  Poll<K, Error> poll() {
    K& sink = sink_mut();
    if (item_) {
      auto item = std::move(*item_);
      item_.reset();
      auto started = sink.start_send(std::move(item));
      if (started.is_err()) return Err(std::move(started).unwrap_err());
      AsyncSink<typename K::SinkItem> sent = std::move(started).unwrap();
      if (sent.is_not_ready()) {
        item_.emplace(std::move(sent).item());
        return NotReady;
      }
    }
    FUTURES_TRY_READY(sink.poll_complete());
    K done = std::move(*sink_);
    sink_.reset();
    return Ready(std::move(done));
  }

  const K& get_ref() const {
    if (!sink_) contract_violation("Attempted Send::get_ref after completion");
    return *sink_;
  }
  K& get_mut() {
    if (!sink_) contract_violation("Attempted Send::get_mut after completion");
    return *sink_;
  }

 private:
  K& sink_mut() {
    if (!sink_) contract_violation("Attempted to poll Send after completion");
    return *sink_;
  }

  std::optional<K> sink_;                     // empty once resolved
  std::optional<typename K::SinkItem> item_;  // empty once the sink accepted it
};

}  // namespace futures::sink
