// futures layer (internal): the lvalue twin of a consuming method (Rust's `self`). It
// exists only to fail to compile with a message that says what to write instead.
#pragma once

#include <futures/contract.hpp>

#define FUTURES_DETAIL_CONSUMES(what, name)                                                  \
  template <class... FuturesA>                                                              \
  void name(FuturesA&&...) const& {                                                         \
    static_assert(::futures::detail::always_false<FuturesA...>,                             \
                  #name "() consumes the " what " (Rust takes `self`): call it on an rvalue, " \
                  "e.g. std::move(x)." #name "(...)");                                      \
  }
