// futures layer: stream::empty (to be written).
#pragma once

#include <futures/stream_ext.hpp>
