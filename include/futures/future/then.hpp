// futures layer: then (to be written).
#pragma once

#include <futures/future_ext.hpp>
