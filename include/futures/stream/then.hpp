// futures layer: stream then (to be written).
#pragma once

#include <futures/stream_ext.hpp>
