// futures layer (internal): where a sink is a parameter (`fanout`, `forward`), a plain
// `std::vector<T>` is accepted and used as a `sink::VecSink<T>`, as Rust's `Vec<T>` is a
// Sink. Depends on fwd.hpp only, so the stream headers can name it at any point of the
// include cycle between stream_ext.hpp and sink_ext.hpp.
#pragma once

#include <futures/fwd.hpp>

#include <memory>
#include <vector>

namespace futures::sink::detail {

template <class K>
struct SinkOfImpl {
  using type = K;
};
template <class T>
struct SinkOfImpl<std::vector<T, std::allocator<T>>> {
  using type = VecSink<T>;
};

/// The sink stored for a sink parameter of type `K`: `VecSink<T>` for `std::vector<T>`,
/// else `K`. `K(std::move(stored))` gives the parameter type back.
template <class K>
using SinkOf = typename SinkOfImpl<K>::type;

}  // namespace futures::sink::detail
