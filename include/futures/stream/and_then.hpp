// futures layer: stream and_then (to be written).
#pragma once

#include <futures/stream_ext.hpp>
