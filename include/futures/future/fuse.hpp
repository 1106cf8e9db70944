// futures layer: fuse (to be written).
#pragma once

#include <futures/future_ext.hpp>
