// futures layer: stream or_else (to be written).
#pragma once

#include <futures/stream_ext.hpp>
