// futures layer: stream fold (to be written).
#pragma once

#include <futures/stream_ext.hpp>
