// futures layer: stream buffered (to be written).
#pragma once

#include <futures/stream_ext.hpp>
