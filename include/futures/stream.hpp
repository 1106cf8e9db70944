// futures layer: the `futures::stream` module: the Stream concept, StreamExt with every
// combinator, and the free functions (iter_ok, iter_result, unfold, repeat, once, empty,
// poll_fn, futures_unordered, futures_ordered, select_all).
#pragma once

#include <futures/stream_ext.hpp>

#include <futures/stream/empty.hpp>
#include <futures/stream/futures_ordered.hpp>
#include <futures/stream/futures_unordered.hpp>
#include <futures/stream/iter_ok.hpp>
#include <futures/stream/iter_result.hpp>
#include <futures/stream/once.hpp>
#include <futures/stream/poll_fn.hpp>
#include <futures/stream/repeat.hpp>
#include <futures/stream/select_all.hpp>
#include <futures/stream/unfold.hpp>
