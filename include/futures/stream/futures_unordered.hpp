// futures layer: stream::futures_unordered (to be written).
#pragma once

#include <futures/stream_ext.hpp>
