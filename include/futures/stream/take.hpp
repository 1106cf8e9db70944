// futures layer: stream take (to be written).
#pragma once

#include <futures/stream_ext.hpp>
