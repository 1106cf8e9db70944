// futures layer: sink flush (to be written).
#pragma once

#include <futures/sink_ext.hpp>
