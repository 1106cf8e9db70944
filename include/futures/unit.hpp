// futures layer: Unit, the C++ spelling of Rust's `()`.
#pragma once

#include <ostream>

namespace futures {

/// The empty value: what Rust writes `()`. Every Unit equals every other Unit.
struct Unit {
  friend constexpr bool operator==(Unit, Unit) noexcept { return true; }
  friend std::ostream& operator<<(std::ostream& os, Unit) { return os << "()"; }
};

}  // namespace futures
