// futures layer: catch_unwind (to be written).
#pragma once

#include <futures/future_ext.hpp>
