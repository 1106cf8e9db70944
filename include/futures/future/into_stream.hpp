// futures layer: into_stream (to be written).
#pragma once

#include <futures/future_ext.hpp>
