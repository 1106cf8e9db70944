// futures layer: stream skip_while (to be written).
#pragma once

#include <futures/stream_ext.hpp>
