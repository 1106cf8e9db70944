// futures layer: stream fuse (to be written).
#pragma once

#include <futures/stream_ext.hpp>
