// futures layer: stream by_ref (to be written).
#pragma once

#include <futures/stream_ext.hpp>
