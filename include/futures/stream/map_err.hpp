// futures layer: stream map_err (to be written).
#pragma once

#include <futures/stream_ext.hpp>
