// futures layer: stream::futures_ordered (to be written).
#pragma once

#include <futures/stream_ext.hpp>
