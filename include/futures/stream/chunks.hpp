// futures layer: stream chunks (to be written).
#pragma once

#include <futures/stream_ext.hpp>
