// futures layer: future::lazy (to be written).
#pragma once

#include <futures/future_ext.hpp>
