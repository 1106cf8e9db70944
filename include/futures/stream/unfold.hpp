// futures layer: stream::unfold (to be written).
#pragma once

#include <futures/stream_ext.hpp>
