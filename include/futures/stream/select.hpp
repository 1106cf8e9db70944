// futures layer: stream select (to be written).
#pragma once

#include <futures/stream_ext.hpp>
