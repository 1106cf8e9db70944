// tokio::clock (Rust's `tokio::clock`): the mockable "now" of the execution context,
// re-exported from tokio::timer::clock (include/tokio/timer/clock.hpp).
#pragma once

#include <tokio/timer/clock.hpp>

namespace tokio::clock {
using timer::clock::now;
}  // namespace tokio::clock
