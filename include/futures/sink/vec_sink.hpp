// futures layer: VecSink<T>, Rust's `Vec<T>` as a Sink. Mirrors futures 0.1
// `src/sink/mod.rs` (`impl<T> Sink for Vec<T>`).
#pragma once

#include <futures/sink/detail/sink_of.hpp>
#include <futures/sink_ext.hpp>

#include <utility>
#include <vector>

namespace futures::sink {

/// A `std::vector<T>` that is also a Sink: `start_send` pushes the item and is always
/// Ready; `poll_complete` and `close` are always Ready; the error type is Unit (Rust's
/// `()`, never produced).
///
/// It *is* a std::vector<T> (public base), so it compares with and converts to one:
/// `EXPECT_EQ(sink.get_ref(), (std::vector<int>{0, 1}))`. Where a sink is a parameter
/// (`fanout`, `forward`), a plain std::vector<T> is accepted and used as a VecSink.
///
/// Notifies: never (it never returns NotReady).
template <class T>
class VecSink : public std::vector<T>, public SinkExt<VecSink<T>> {
 public:
  using SinkItem = T;
  using SinkError = Unit;

  using std::vector<T>::vector;
  VecSink() = default;
  /// Rust's `Vec` is the sink itself; here a vector converts implicitly.
  VecSink(std::vector<T> v) : std::vector<T>(std::move(v)) {}

  /// Pushes `item`; always Ready.
  StartSend<T, Unit> start_send(T item) {
    this->push_back(std::move(item));
    return Ok(AsyncSink<T>::Ready());
  }
  /// Always Ready.
  Poll<Unit, Unit> poll_complete() { return Ready(); }
  /// Always Ready; the vector stays usable.
  Poll<Unit, Unit> close() { return Ready(); }

  const std::vector<T>& get_ref() const { return *this; }
  std::vector<T>& get_mut() { return *this; }
  std::vector<T> into_inner() && { return std::move(static_cast<std::vector<T>&>(*this)); }
};

/// Deduction guide: `VecSink(std::vector<int>{...})` is a VecSink<int>.
template <class T>
VecSink(std::vector<T>) -> VecSink<T>;

}  // namespace futures::sink
