// futures layer: stream filter_map (to be written).
#pragma once

#include <futures/stream_ext.hpp>
