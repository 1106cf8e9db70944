// tokio::mio layer: Token, the caller's name for a registration (mio's `Token(usize)`).
#pragma once

#include <cstddef>
#include <functional>

namespace tokio::mio {

/// Identifies which registration an Event belongs to. The value is the caller's: the
/// reactor packs a slab index and a generation into it. Token{SIZE_MAX} is reserved for
/// the backends' internal wake-up and must not be registered.
struct Token {
  std::size_t value = 0;

  friend constexpr bool operator==(Token, Token) noexcept = default;
  friend constexpr auto operator<=>(Token, Token) noexcept = default;
};

}  // namespace tokio::mio

template <>
struct std::hash<tokio::mio::Token> {
  std::size_t operator()(tokio::mio::Token t) const noexcept { return t.value; }
};
