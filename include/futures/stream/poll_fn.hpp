// futures layer: stream::poll_fn (to be written).
#pragma once

#include <futures/stream_ext.hpp>
