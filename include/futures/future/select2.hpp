// futures layer: select2 (to be written).
#pragma once

#include <futures/future_ext.hpp>
