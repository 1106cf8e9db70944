// futures layer: sink from_err (to be written).
#pragma once

#include <futures/sink_ext.hpp>
