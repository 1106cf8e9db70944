// futures layer: sink vec_sink (to be written).
#pragma once

#include <futures/sink_ext.hpp>
