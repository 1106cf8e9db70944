// futures layer: future::select_ok (to be written).
#pragma once

#include <futures/future_ext.hpp>
