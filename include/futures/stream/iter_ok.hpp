// futures layer: stream::iter_ok (to be written).
#pragma once

#include <futures/stream_ext.hpp>
