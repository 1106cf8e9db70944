// futures layer: stream::select_all (to be written).
#pragma once

#include <futures/stream_ext.hpp>
