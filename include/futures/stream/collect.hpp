// futures layer: stream collect (to be written).
#pragma once

#include <futures/stream_ext.hpp>
