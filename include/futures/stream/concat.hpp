// futures layer: Concat2 and the deprecated Concat, the futures returned by
// `Stream::concat2` / `Stream::concat`. Mirrors futures 0.1 `src/stream/concat.rs`.
#pragma once

#include <futures/contract.hpp>
#include <futures/future_ext.hpp>
#include <futures/stream_ext.hpp>

#include <iterator>
#include <optional>
#include <type_traits>
#include <utility>

namespace futures::stream {

namespace detail {

/// Rust's `Extend`: `into.extend(std::move(from))` if the type has that member (as a
/// byte buffer may), else inserting `from`'s elements at the end of `into` (any
/// sequence container, std::string).
template <class C>
void extend(C& into, C&& from) {
  if constexpr (requires { into.extend(std::move(from)); }) {
    into.extend(std::move(from));
  } else {
    into.insert(into.end(), std::make_move_iterator(from.begin()),
                std::make_move_iterator(from.end()));
  }
}

/// Rust's ConcatSafe: the first item, extended by every later one. Resolves to
/// nullopt when S yields nothing. Stops at S's first error.
template <class S>
class ConcatSafe {
 public:
  using Item = typename S::Item;
  using Error = typename S::Error;

  explicit ConcatSafe(S stream) : stream_(std::move(stream)) {}

  Poll<std::optional<Item>, Error> poll(const char* name) {
    if (done_) contract_violation(name);
    for (;;) {
      auto polled = stream_.poll();
      if (polled.is_err()) {
        done_ = true;
        extend_.reset();
        return Err(std::move(polled).unwrap_err());
      }
      if (polled.unwrap_ref().is_not_ready()) return NotReady;
      auto item = std::move(polled).unwrap().value();
      if (!item) {
        done_ = true;
        std::optional<Item> all(std::move(extend_));
        extend_.reset();
        return Ready(std::move(all));
      }
      if (extend_) {
        detail::extend(*extend_, std::move(*item));
      } else {
        extend_.emplace(std::move(*item));
      }
    }
  }

 private:
  S stream_;
  std::optional<Item> extend_;  // the first item, extended by the later ones
  bool done_ = false;
};

}  // namespace detail

/// Concatenates the items of S (each a container: a vector, a string, a byte buffer)
/// into one: the first item extended by every later one, resolved once S ends. An
/// empty stream gives `Item{}`.
///
/// Errors: the first error of S fails the future; what was gathered is dropped.
/// Notifies: nothing itself; S arranges the notification when it returns NotReady.
/// Aborts: polling again after it resolved or failed is a contract violation.
template <class S>
class Concat2 : public FutureExt<Concat2<S>> {
  static_assert(std::is_default_constructible_v<typename S::Item>,
                "concat2(): the stream's Item must be default-constructible (Rust's Default)");

 public:
  using Item = typename S::Item;
  using Error = typename S::Error;

  explicit Concat2(S stream) : inner_(std::move(stream)) {}

  Poll<Item, Error> poll() {
    auto all = FUTURES_TRY_READY(inner_.poll("Concat2 polled after it completed"));
    if (!all) return Ready(Item{});
    return Ready(std::move(*all));
  }

 private:
  detail::ConcatSafe<S> inner_;
};

/// Deprecated in futures 0.1 in favour of Concat2: the same, except that an empty
/// stream is a contract violation (Rust panics "attempted concatenation of empty
/// stream").
template <class S>
class Concat : public FutureExt<Concat<S>> {
 public:
  using Item = typename S::Item;
  using Error = typename S::Error;

  explicit Concat(S stream) : inner_(std::move(stream)) {}

  Poll<Item, Error> poll() {
    auto all = FUTURES_TRY_READY(inner_.poll("Concat polled after it completed"));
    if (!all) contract_violation("attempted concatenation of empty stream");
    return Ready(std::move(*all));
  }

 private:
  detail::ConcatSafe<S> inner_;
};

}  // namespace futures::stream
