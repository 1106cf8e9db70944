// futures layer: FlattenStream, the stream returned by `Future::flatten_stream`. Mirrors
// futures 0.1 `src/future/flatten_stream.rs`.
#pragma once

#include <futures/contract.hpp>
#include <futures/future_ext.hpp>
#include <futures/stream_ext.hpp>

#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

namespace futures::future {

/// A future whose Item is a stream, seen as that stream: polls F until it resolves,
/// then (in the same poll) polls the stream it resolved to, and from then on forwards
/// every poll to that stream, without tracking its end. F is destroyed as soon as it
/// resolves.
///
/// Errors: if F fails, its error is the first event, then the end (Ready(nullopt)).
/// The stream's Error must be constructible from F's Error (Rust requires them equal).
/// Notifies: nothing itself; F or the stream arranges the notification.
/// Aborts: polling again after the end that followed F's error is a contract violation.
template <class F>
class FlattenStream : public StreamExt<FlattenStream<F>> {
  using Inner = typename F::Item;
  static_assert(Stream<Inner>, "flatten_stream(): the future's Item must be a stream");
  static_assert(std::is_constructible_v<typename Inner::Error, typename F::Error&&>,
                "flatten_stream(): the stream's Error must be the future's Error (or "
                "constructible from it); convert one with .map_err(...) or .from_err<E>()");

 public:
  using Item = typename Inner::Item;
  using Error = typename Inner::Error;

  explicit FlattenStream(F future) : state_(std::in_place_index<0>, std::move(future)) {}

  Poll<std::optional<Item>, Error> poll() {
    if (state_.index() == 0) {  // waiting for the future
      auto polled = std::get<0>(state_).poll();
      if (polled.is_ok() && polled.unwrap_ref().is_not_ready()) return NotReady;
      if (polled.is_err()) {
        state_.template emplace<2>();
        return Err(Error(std::move(polled).unwrap_err()));
      }
      state_.template emplace<1>(std::move(polled).unwrap().value());
    }
    if (state_.index() == 1) return std::get<1>(state_).poll();
    Eof& eof = std::get<2>(state_);
    if (eof.returned) contract_violation("FlattenStream polled after eof");
    eof.returned = true;
    return Ready(std::optional<Item>());
  }

 private:
  // F failed: the error was returned, then the end (returned = true).
  struct Eof {
    bool returned = false;
  };
  std::variant<F, Inner, Eof> state_;
};

}  // namespace futures::future
