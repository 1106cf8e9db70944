// futures layer: stream skip (to be written).
#pragma once

#include <futures/stream_ext.hpp>
