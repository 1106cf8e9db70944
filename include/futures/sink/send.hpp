// futures layer: sink send (to be written).
#pragma once

#include <futures/sink_ext.hpp>
