// futures layer: stream chain (to be written).
#pragma once

#include <futures/stream_ext.hpp>
