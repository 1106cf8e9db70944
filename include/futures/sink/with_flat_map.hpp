// futures layer: sink with_flat_map (to be written).
#pragma once

#include <futures/sink_ext.hpp>
