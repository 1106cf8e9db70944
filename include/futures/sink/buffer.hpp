// futures layer: sink buffer (to be written).
#pragma once

#include <futures/sink_ext.hpp>
