// futures layer: the `futures::future` module: the Future concept, FutureExt with every
// combinator, and the free functions (ok, err, result, lazy, poll_fn, loop_fn, join_all,
// select_all, select_ok, empty, option, Either).
#pragma once

#include <futures/future/concept.hpp>
#include <futures/future_ext.hpp>

#include <futures/future/empty.hpp>
#include <futures/future/join_all.hpp>
#include <futures/future/lazy.hpp>
#include <futures/future/loop_fn.hpp>
#include <futures/future/option.hpp>
#include <futures/future/poll_fn.hpp>
#include <futures/future/select_all.hpp>
#include <futures/future/select_ok.hpp>
