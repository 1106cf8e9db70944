// futures layer: stream split (to be written).
#pragma once

#include <futures/stream_ext.hpp>
