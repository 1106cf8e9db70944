// futures layer: sink map_err (to be written).
#pragma once

#include <futures/sink_ext.hpp>
