// futures layer: stream take_while (to be written).
#pragma once

#include <futures/stream_ext.hpp>
