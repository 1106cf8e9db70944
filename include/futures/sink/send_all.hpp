// futures layer: sink send_all (to be written).
#pragma once

#include <futures/sink_ext.hpp>
