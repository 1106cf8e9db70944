// Everything in the tokio crate (Rust's `extern crate tokio;`): the futures layer and
// the runtime (with the crate-root `tokio::spawn` and `tokio::run`). Grows with each
// layer (reactor, timer, net, io, codec).
#pragma once

#include <futures.hpp>
#include <tokio/clock.hpp>
#include <tokio/executor.hpp>
#include <tokio/fmt.hpp>
#include <tokio/io.hpp>
#include <tokio/net.hpp>
#include <tokio/reactor.hpp>
#include <tokio/runtime.hpp>
#include <tokio/timer.hpp>
