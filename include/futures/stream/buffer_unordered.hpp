// futures layer: stream buffer_unordered (to be written).
#pragma once

#include <futures/stream_ext.hpp>
