// tokio layer: SpawnError, why an executor refused a future. Mirrors tokio-executor 0.1
// `src/error.rs`.
#pragma once

#include <ostream>
#include <string_view>

namespace tokio::executor {

/// Returned by `Executor::spawn` (and every spawn that can fail) when the executor
/// did not take the future: it has shut down, or it is at capacity. A value type:
/// copyable, comparable, printable.
class SpawnError {
 public:
  /// The executor has shut down and accepts no new futures.
  static SpawnError shutdown() noexcept { return SpawnError(true); }
  /// The executor is at capacity; other futures must finish first.
  static SpawnError at_capacity() noexcept { return SpawnError(false); }

  bool is_shutdown() const noexcept { return is_shutdown_; }
  bool is_at_capacity() const noexcept { return !is_shutdown_; }

  /// Rust's `description()` (the same text for both kinds, as in tokio-executor).
  std::string_view what() const noexcept {
    return "attempted to spawn task while the executor is at capacity or shut down";
  }

  friend bool operator==(const SpawnError&, const SpawnError&) = default;
  /// Prints like Rust's `{:?}`: `SpawnError { is_shutdown: true }`.
  friend std::ostream& operator<<(std::ostream& os, const SpawnError& e) {
    return os << "SpawnError { is_shutdown: " << (e.is_shutdown_ ? "true" : "false") << " }";
  }

 private:
  explicit SpawnError(bool is_shutdown) noexcept : is_shutdown_(is_shutdown) {}
  bool is_shutdown_;
};

}  // namespace tokio::executor
