// futures layer: or_else (to be written).
#pragma once

#include <futures/future_ext.hpp>
