// futures layer: sink wait (to be written).
#pragma once

#include <futures/sink_ext.hpp>
