// futures layer: future::empty (to be written).
#pragma once

#include <futures/future_ext.hpp>
