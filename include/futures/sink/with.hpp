// futures layer: sink with (to be written).
#pragma once

#include <futures/sink_ext.hpp>
