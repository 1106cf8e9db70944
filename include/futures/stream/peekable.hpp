// futures layer: stream peekable (to be written).
#pragma once

#include <futures/stream_ext.hpp>
