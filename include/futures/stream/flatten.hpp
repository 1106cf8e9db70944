// futures layer: stream flatten (to be written).
#pragma once

#include <futures/stream_ext.hpp>
