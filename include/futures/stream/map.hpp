// futures layer: stream map (to be written).
#pragma once

#include <futures/stream_ext.hpp>
