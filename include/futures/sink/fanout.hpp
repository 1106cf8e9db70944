// futures layer: sink fanout (to be written).
#pragma once

#include <futures/sink_ext.hpp>
