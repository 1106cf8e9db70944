// futures layer: stream::once (to be written).
#pragma once

#include <futures/stream_ext.hpp>
