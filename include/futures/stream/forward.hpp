// futures layer: stream forward (to be written).
#pragma once

#include <futures/stream_ext.hpp>
