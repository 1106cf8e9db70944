// futures layer: map_err (to be written).
#pragma once

#include <futures/future_ext.hpp>
