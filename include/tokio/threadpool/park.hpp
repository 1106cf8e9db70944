// tokio layer: the Park a pool worker sleeps on unless the Builder's custom_park gives
// another. Mirrors tokio-threadpool 0.1 `src/park/default_park.rs`.
#pragma once

#include <tokio/executor/park.hpp>

#include <futures/result.hpp>
#include <futures/unit.hpp>

#include <chrono>
#include <memory>
#include <ostream>
#include <string_view>

namespace tokio::threadpool::park {

/// DefaultPark's error (Rust's `ParkError` of this crate); never actually returned.
class ParkError {
 public:
  std::string_view what() const noexcept { return "unknown park error"; }
  friend bool operator==(const ParkError&, const ParkError&) = default;
  friend std::ostream& operator<<(std::ostream& os, const ParkError&) { return os << "ParkError"; }
};

/// Wakes a DefaultPark from any thread (Rust's `DefaultUnpark`). Copyable.
class DefaultUnpark {
 public:
  void unpark() const;

 private:
  friend class DefaultPark;
  explicit DefaultUnpark(std::shared_ptr<executor::park::detail::Parker> inner) noexcept
      : inner_(std::move(inner)) {}
  std::shared_ptr<executor::park::detail::Parker> inner_;
};

/// A parker of its own (not tied to a thread, unlike executor::park::ParkThread): a
/// worker slot keeps it when blocking() hands the slot to another thread. An unpark
/// before park makes it return at once; parks may return spuriously.
class DefaultPark {
 public:
  using Unpark = DefaultUnpark;
  using Error = ParkError;

  /// Rust's `DefaultPark::new()`.
  DefaultPark();
  DefaultUnpark unpark() const { return DefaultUnpark(inner_); }
  futures::Result<futures::Unit, ParkError> park();
  futures::Result<futures::Unit, ParkError> park_timeout(std::chrono::nanoseconds duration);

 private:
  std::shared_ptr<executor::park::detail::Parker> inner_;
};

static_assert(tokio::executor::park::Park<DefaultPark>);

}  // namespace tokio::threadpool::park
