// futures layer: BoxStream<T, E>, the C++ spelling of `Box<dyn Stream<Item = T,
// Error = E> + Send>`. Mirrors futures 0.1 `src/stream/mod.rs` (`BoxStream`, `boxed`,
// `impl Stream for Box<S>`).
//
// It allocates, on purpose (one block per boxed stream): a BoxStream names only Item
// and Error, so functions can return streams of different concrete types.
#pragma once

#include <futures/stream_ext.hpp>

#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace futures {

namespace detail {
/// The interface a boxed stream is reached through.
template <class T, class E>
class BoxedStreamBase {
 public:
  virtual ~BoxedStreamBase() = default;
  virtual Poll<std::optional<T>, E> poll() = 0;
};

/// A stream `S` in the heap block BoxStream owns.
template <class S, class T, class E>
class BoxedStream final : public BoxedStreamBase<T, E> {
 public:
  template <class G>
  explicit BoxedStream(G&& stream) : stream_(std::forward<G>(stream)) {}
  Poll<std::optional<T>, E> poll() override { return stream_.poll(); }

 private:
  S stream_;
};
}  // namespace detail

/// A type-erased stream with Item `T` and Error `E`: any stream of those types, moved
/// into one heap allocation. Movable, not copyable; destroying it destroys the stream
/// inside.
///
/// Made by `std::move(s).boxed()`, or converted implicitly from any stream with the
/// same Item and Error. Boxing a BoxStream moves it, without a second allocation.
///
/// Notifies: nothing itself; the stream inside arranges the notification.
/// Aborts: polling a moved-from BoxStream is a contract violation.
template <class T, class E>
class BoxStream : public StreamExt<BoxStream<T, E>> {
 public:
  using Item = T;
  using Error = E;

  template <class S>
    requires(!std::is_same_v<std::remove_cvref_t<S>, BoxStream> && Stream<std::remove_cvref_t<S>>)
  BoxStream(S&& stream) {  // implicit, as Rust coerces Box<S> to Box<dyn Stream>
    using St = std::remove_cvref_t<S>;
    static_assert(std::is_same_v<typename St::Item, T> && std::is_same_v<typename St::Error, E>,
                  "BoxStream<T, E>: the stream must have Item T and Error E; adjust it first "
                  "with .map(...), .map_err(...) or .from_err<E>()");
    inner_ = std::make_unique<detail::BoxedStream<St, T, E>>(std::forward<S>(stream));
  }

  BoxStream(BoxStream&&) noexcept = default;
  BoxStream& operator=(BoxStream&&) noexcept = default;

  Poll<std::optional<T>, E> poll() {
    if (!inner_) contract_violation("BoxStream polled after it was moved from");
    return inner_->poll();
  }

 private:
  std::unique_ptr<detail::BoxedStreamBase<T, E>> inner_;
};

namespace stream {
/// futures 0.1 also names it `futures::stream::BoxStream`.
template <class T, class E>
using BoxStream = futures::BoxStream<T, E>;
}  // namespace stream

}  // namespace futures
