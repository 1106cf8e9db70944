// tokio::timer (Rust's `tokio::timer`, the tokio-timer 0.2 crate). So far only the
// clock (tokio_timer::clock); Delay, Interval, Timeout and the Timer come later.
#pragma once

#include <tokio/timer/clock.hpp>
