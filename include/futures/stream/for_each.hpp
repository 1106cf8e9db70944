// futures layer: stream for_each (to be written).
#pragma once

#include <futures/stream_ext.hpp>
