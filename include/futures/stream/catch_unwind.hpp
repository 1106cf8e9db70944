// futures layer: stream catch_unwind (to be written).
#pragma once

#include <futures/stream_ext.hpp>
