// futures layer: stream inspect (to be written).
#pragma once

#include <futures/stream_ext.hpp>
