// futures layer: stream merge (to be written).
#pragma once

#include <futures/stream_ext.hpp>
