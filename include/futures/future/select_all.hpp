// futures layer: future::select_all (to be written).
#pragma once

#include <futures/future_ext.hpp>
