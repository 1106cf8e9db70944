// tokio::reactor (Rust's `tokio::reactor`, the tokio-reactor 0.1 crate): Reactor, Handle,
// Registration, PollEvented, Background; docs/reactor.md has the design.
#pragma once

#include <tokio/reactor/handle.hpp>
#include <tokio/reactor/poll_evented.hpp>
#include <tokio/reactor/reactor.hpp>
#include <tokio/reactor/registration.hpp>
