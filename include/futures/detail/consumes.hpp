// futures layer (internal): the lvalue twin of a consuming method (Rust's `self`). It
// exists only to fail to compile with a message that says what to write instead.
//
// The twin takes C varargs: `...` is always the worst match, so an rvalue call such as
// `std::move(s).take(2)` (int -> uint64_t) still picks the real `&&` member instead of
// being ambiguous with a perfect-forwarding twin; an lvalue call can only reach the twin.
#pragma once

#include <futures/contract.hpp>

#define FUTURES_DETAIL_CONSUMES(what, name)                                                  \
  template <class FuturesD = void>                                                          \
  void name(...) const& {                                                                   \
    static_assert(::futures::detail::always_false<FuturesD>,                                \
                  #name "() consumes the " what " (Rust takes `self`): call it on an rvalue, " \
                  "e.g. std::move(x)." #name "(...)");                                      \
  }
