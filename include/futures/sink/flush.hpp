// futures layer: sink::Flush, the future returned by `flush`. Mirrors futures 0.1
// `src/sink/flush.rs`.
#pragma once

#include <futures/future_ext.hpp>
#include <futures/sink_ext.hpp>

#include <optional>
#include <utility>

namespace futures::sink {

/// Resolves to the sink once its poll_complete is Ready.
///
/// Errors: the sink's error; the sink is dropped with it (as in Rust).
///
/// Aborts: polling after completion, or get_ref/get_mut/into_inner after it, is a
/// contract violation.
template <class K>
class Flush : public FutureExt<Flush<K>> {
 public:
  using Item = K;
  using Error = typename K::SinkError;

  explicit Flush(K sink) : sink_(std::in_place, std::move(sink)) {}

  Poll<K, Error> poll() {
    if (!sink_) contract_violation("Attempted to poll Flush after it completed");
    auto p = sink_->poll_complete();
    if (p.is_ok() && p.unwrap_ref().is_not_ready()) return NotReady;
    K sink = std::move(*sink_);
    sink_.reset();
    if (p.is_err()) return Err(std::move(p).unwrap_err());
    return Ready(std::move(sink));
  }

  const K& get_ref() const { return *check(); }
  K& get_mut() { return *check(); }
  K into_inner() && { return std::move(*check()); }

 private:
  std::optional<K>& check() {
    if (!sink_) contract_violation("Attempted to use Flush's sink after the flush completed");
    return sink_;
  }
  const std::optional<K>& check() const {
    if (!sink_) contract_violation("Attempted to use Flush's sink after the flush completed");
    return sink_;
  }

  std::optional<K> sink_;  // empty once complete
};

}  // namespace futures::sink
