// futures layer: SinkMapErr, the sink returned by `sink_map_err`. Mirrors futures 0.1
// `src/sink/map_err.rs`.
#pragma once

#include <futures/future/detail/callback.hpp>
#include <futures/sink/detail/stream_part.hpp>
#include <futures/sink_ext.hpp>

#include <optional>
#include <utility>

namespace futures::sink {

/// The wrapped sink K with its errors mapped by `f` (Rust's FnOnce: called at most
/// once, and destroyed after the call). A void `f` makes SinkError Unit.
///
/// Aborts: an error after the first one (f already spent) is a contract violation
/// ("cannot use MapErr after an error"), as Rust panics.
///
/// If K is also a Stream, so is SinkMapErr (poll() and its errors are K's, unmapped).
template <class K, class F>
class SinkMapErr : public SinkExt<SinkMapErr<K, F>>,
                   public detail::StreamPart<SinkMapErr<K, F>, K> {
 public:
  using SinkItem = typename K::SinkItem;
  using SinkError = futures::detail::CallResult<F, typename K::SinkError>;

  SinkMapErr(K sink, F f) : sink_(std::move(sink)), f_(std::in_place, std::move(f)) {}

  StartSend<SinkItem, SinkError> start_send(SinkItem item) {
    return map(sink_.start_send(std::move(item)));
  }
  Poll<Unit, SinkError> poll_complete() { return map(sink_.poll_complete()); }
  Poll<Unit, SinkError> close() { return map(sink_.close()); }

  const K& get_ref() const { return sink_; }
  K& get_mut() { return sink_; }
  K into_inner() && { return std::move(sink_); }

 private:
  template <class T>
  Result<T, SinkError> map(Result<T, typename K::SinkError>&& r) {
    if (r.is_ok()) return Ok(std::move(r).unwrap());
    if (!f_) contract_violation("cannot use MapErr after an error");
    F f = std::move(*f_);
    f_.reset();
    return Err(futures::detail::call(std::move(f), std::move(r).unwrap_err()));
  }

  K sink_;
  std::optional<F> f_;  // empty once spent on an error
};

}  // namespace futures::sink
