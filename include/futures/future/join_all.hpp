// futures layer: future::join_all (to be written).
#pragma once

#include <futures/future_ext.hpp>
