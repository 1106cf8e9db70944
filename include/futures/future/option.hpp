// futures layer: future::option (to be written).
#pragma once

#include <futures/future_ext.hpp>
