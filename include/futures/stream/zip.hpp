// futures layer: stream zip (to be written).
#pragma once

#include <futures/stream_ext.hpp>
