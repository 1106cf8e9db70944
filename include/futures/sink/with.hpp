// futures layer: With, the sink returned by `with`. Mirrors futures 0.1
// `src/sink/with.rs`.
#pragma once

#include <futures/future/detail/callback.hpp>
#include <futures/sink/detail/stream_part.hpp>
#include <futures/sink_ext.hpp>

#include <type_traits>
#include <utility>
#include <variant>

namespace futures::sink::detail {

/// The parameter type of a member call operator (lambdas, function objects).
template <class M>
struct CallOperatorArg {};
template <class R, class C, class A>
struct CallOperatorArg<R (C::*)(A)> {
  using type = A;
};
template <class R, class C, class A>
struct CallOperatorArg<R (C::*)(A) const> {
  using type = A;
};
template <class R, class C, class A>
struct CallOperatorArg<R (C::*)(A) noexcept> {
  using type = A;
};
template <class R, class C, class A>
struct CallOperatorArg<R (C::*)(A) const noexcept> {
  using type = A;
};

template <class F>
struct CallableArg {
  static_assert(
      requires { &F::operator(); },
      "with(f) / with_flat_map(f): cannot deduce the input type of a generic or "
      "overloaded callback; name it: with<U>(f)");
  using type = std::remove_cvref_t<typename CallOperatorArg<decltype(&F::operator())>::type>;
};
template <class R, class A>
struct CallableArg<R (*)(A)> {
  using type = std::remove_cvref_t<A>;
};
template <class R, class A>
struct CallableArg<R (*)(A) noexcept> {
  using type = std::remove_cvref_t<A>;
};

/// `U` if given (not void), else the one parameter of the non-generic callable `F`.
template <class U, class F>
struct InputOfImpl {
  using type = U;
};
template <class F>
struct InputOfImpl<void, F> {
  using type = typename CallableArg<F>::type;
};

}  // namespace futures::sink::detail

namespace futures::sink {

/// A sink of `U`: each input goes through `f(U)`, whose future (or Result) yields the
/// item sent to the wrapped sink K. Made by `std::move(k).with(f)` / `with<U>(f)`.
///
/// One input is processed at a time: start_send hands the input back (NotReady) until
/// the previous one's future has resolved and K accepted its item. poll_complete
/// drives that, then flushes K; close drives it, then closes K.
///
/// Errors: SinkError is the future's Error, which must be constructible from K's
/// SinkError (K's errors are converted). An error drops the input being processed.
///
/// Notifies: nothing itself; f's future or K registered the task when NotReady.
///
/// If K is also a Stream, so is With (poll() is K's).
template <class K, class U, class F>
class With : public SinkExt<With<K, U, F>>, public detail::StreamPart<With<K, U, F>, K> {
  using Fut = futures::detail::CallbackFuture<F&, U, typename K::SinkError>;

 public:
  using SinkItem = U;
  using SinkError = typename Fut::Error;

  static_assert(std::is_constructible_v<typename K::SinkItem, typename Fut::Item>,
                "with(f): the future f returns must yield the wrapped sink's SinkItem");
  static_assert(std::is_constructible_v<SinkError, typename K::SinkError>,
                "with(f): the Error of f's future must be constructible from the wrapped "
                "sink's SinkError");

  With(K sink, F f) : sink_(std::move(sink)), f_(std::move(f)) {}

  /// Hands `item` back (NotReady) while the previous input is still being processed;
  /// else calls f(item) and accepts it.
  StartSend<U, SinkError> start_send(U item) {
    auto p = poll_pending();
    if (p.is_err()) return Err(std::move(p).unwrap_err());
    if (p.unwrap_ref().is_not_ready()) return Ok(AsyncSink<U>::NotReady(std::move(item)));
    state_.template emplace<kProcess>(
        futures::detail::call_future<typename K::SinkError>(f_, std::move(item)));
    return Ok(AsyncSink<U>::Ready());
  }

  /// Processes the pending input, then flushes K; Ready when both are done.
  Poll<Unit, SinkError> poll_complete() {
    auto me = poll_pending();
    if (me.is_err()) return Err(std::move(me).unwrap_err());
    FUTURES_TRY_READY(sink_.poll_complete());
    return me;
  }

  /// Processes the pending input, then closes K.
  Poll<Unit, SinkError> close() {
    FUTURES_TRY_READY(poll_pending());
    return Poll<Unit, SinkError>(sink_.close());
  }

  const K& get_ref() const { return sink_; }
  K& get_mut() { return sink_; }
  K into_inner() && { return std::move(sink_); }

 private:
  static constexpr std::size_t kEmpty = 0;
  static constexpr std::size_t kProcess = 1;
  static constexpr std::size_t kBuffered = 2;
  struct Buffered {
    typename K::SinkItem item;
  };

  // Rust's With::poll: runs the pending future, then hands its item to K.
  Poll<Unit, SinkError> poll_pending() {
    for (;;) {
      if (state_.index() == kProcess) {
        auto p = std::get<kProcess>(state_).poll();
        if (p.is_err()) {
          state_.template emplace<kEmpty>();
          return Err(std::move(p).unwrap_err());
        }
        if (p.unwrap_ref().is_not_ready()) break;
        state_.template emplace<kBuffered>(
            Buffered{typename K::SinkItem(std::move(p).unwrap().value())});
      } else if (state_.index() == kBuffered) {
        auto item = std::move(std::get<kBuffered>(state_).item);
        state_.template emplace<kEmpty>();
        auto sent = sink_.start_send(std::move(item));
        if (sent.is_err()) return Err(SinkError(std::move(sent).unwrap_err()));
        AsyncSink<typename K::SinkItem> a = std::move(sent).unwrap();
        if (a.is_not_ready()) {
          state_.template emplace<kBuffered>(Buffered{std::move(a).item()});
          break;
        }
      } else {
        break;
      }
    }
    if (state_.index() == kEmpty) return Ready();
    return NotReady;
  }

  K sink_;
  [[no_unique_address]] F f_;
  std::variant<std::monostate, Fut, Buffered> state_;
};

}  // namespace futures::sink
