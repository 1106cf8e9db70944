// futures layer: stream concat (to be written).
#pragma once

#include <futures/stream_ext.hpp>
