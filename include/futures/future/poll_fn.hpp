// futures layer: future::poll_fn (to be written).
#pragma once

#include <futures/future_ext.hpp>
