// futures layer: stream into_future (to be written).
#pragma once

#include <futures/stream_ext.hpp>
