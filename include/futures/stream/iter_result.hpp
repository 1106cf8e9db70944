// futures layer: stream::iter_result (to be written).
#pragma once

#include <futures/stream_ext.hpp>
