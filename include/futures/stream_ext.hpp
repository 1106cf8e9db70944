// futures layer: the Stream concept and StreamExt<Self>, the CRTP base that gives every
// stream its combinators (futures 0.1's `Stream` trait provided methods).
#pragma once

#include <futures/contract.hpp>
#include <futures/fwd.hpp>
#include <futures/poll.hpp>

#include <optional>
#include <type_traits>
#include <utility>

namespace futures {

/// A source of many values: has `Item`, `Error` and
/// `Poll<std::optional<Item>, Error> poll()`.
template <class S>
concept Stream = requires(S& s) {
  typename S::Item;
  typename S::Error;
  { s.poll() } -> std::same_as<Poll<std::optional<typename S::Item>, typename S::Error>>;
};

template <class Self>
class StreamExt {
 protected:
  StreamExt() = default;
};

}  // namespace futures
