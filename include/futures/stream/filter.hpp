// futures layer: stream filter (to be written).
#pragma once

#include <futures/stream_ext.hpp>
