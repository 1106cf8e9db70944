// Test support for the stream ports: build expected vectors (Rust's vec![]), run a
// stream to its end on this thread, and spell `Some(Ok(v))` of a canceled-aware item.
#pragma once

#include <futures/executor.hpp>
#include <futures/result.hpp>
#include <futures/sync/oneshot.hpp>

#include <optional>
#include <utility>
#include <vector>

namespace futures_test {

/// Rust's `vec![first, rest...]` (the element type comes from the first element).
template <class T, class... Ts>
std::vector<T> vec(T first, Ts... rest) {
  std::vector<T> v;
  v.push_back(std::move(first));
  (v.push_back(std::move(rest)), ...);
  return v;
}

/// Runs s to its end on this thread (wait_stream) and returns every item, or the first
/// error (Rust's `s.collect().wait()`).
template <class S>
futures::Result<std::vector<typename S::Item>, typename S::Error> collect_all(S s) {
  auto spawn = futures::executor::spawn(std::move(s));
  std::vector<typename S::Item> items;
  while (auto next = spawn.wait_stream()) {
    if (next->is_err()) return futures::Err(std::move(*next).unwrap_err());
    items.push_back(std::move(*next).unwrap());
  }
  return futures::Ok(std::move(items));
}

/// `Some(Ok(v))` for a stream of oneshot results (Item Result<T, Canceled>).
template <class T>
std::optional<futures::Result<T, futures::sync::oneshot::Canceled>> some_ok(T v) {
  return futures::Result<T, futures::sync::oneshot::Canceled>(futures::Ok(std::move(v)));
}

}  // namespace futures_test
