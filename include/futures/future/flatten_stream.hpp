// futures layer: Future::flatten_stream (to be written).
#pragma once

#include <futures/future_ext.hpp>
#include <futures/stream_ext.hpp>
