// futures layer: stream boxed (to be written).
#pragma once

#include <futures/stream_ext.hpp>
