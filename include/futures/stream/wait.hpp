// futures layer: stream::Wait, the blocking iterator returned by `wait()`. Mirrors
// futures 0.1 `src/stream/wait.rs`.
#pragma once

#include <futures/executor.hpp>
#include <futures/stream_ext.hpp>

#include <cstddef>
#include <iterator>
#include <optional>
#include <utility>

namespace futures::stream {

/// Rust's `Iterator for Wait<S>`: each `next()` blocks this OS thread (parking it
/// between polls) until S yields, and returns `std::optional<Result<Item, Error>>`:
/// an item or an error (which does not end the iteration), or nullopt at the end.
///
/// Also a C++ input range: `for (auto& r : std::move(s).wait()) ...` visits every
/// Result until the end. Never call it from inside a task (it would block the
/// executor's thread).
template <class S>
class Wait {
 public:
  using Item = typename S::Item;
  using Error = typename S::Error;
  using value_type = Result<Item, Error>;

  explicit Wait(S stream) : stream_(executor::spawn(std::move(stream))) {}

  /// The next result, or nullopt at the end. After nullopt, S decides what another
  /// call does (a fused stream ends again; most streams abort: polled after the end).
  std::optional<value_type> next() { return stream_.wait_stream(); }

  /// The iterator of the range interface; one pass only.
  class iterator {
   public:
    using iterator_concept = std::input_iterator_tag;
    using value_type = Wait::value_type;
    using difference_type = std::ptrdiff_t;

    iterator() = default;
    value_type& operator*() const { return *wait_->current_; }
    value_type* operator->() const { return &*wait_->current_; }
    iterator& operator++() {
      wait_->current_ = wait_->next();
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& it, std::default_sentinel_t) { return it.at_end(); }

   private:
    friend class Wait;
    explicit iterator(Wait* wait) : wait_(wait) {}
    bool at_end() const { return !wait_->current_.has_value(); }
    Wait* wait_ = nullptr;
  };

  /// Blocks for the first result.
  iterator begin() {
    current_ = next();
    return iterator(this);
  }
  std::default_sentinel_t end() const noexcept { return {}; }

  const S& get_ref() const { return stream_.get_ref(); }
  S& get_mut() { return stream_.get_mut(); }
  S into_inner() && { return std::move(stream_).into_inner(); }

 private:
  executor::Spawn<S> stream_;
  std::optional<value_type> current_;  // the result the range iterator points at
};

}  // namespace futures::stream
