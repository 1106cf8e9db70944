// futures layer: stream wait (to be written).
#pragma once

#include <futures/stream_ext.hpp>
