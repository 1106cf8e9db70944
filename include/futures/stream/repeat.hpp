// futures layer: stream::repeat (to be written).
#pragma once

#include <futures/stream_ext.hpp>
