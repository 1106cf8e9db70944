// tokio layer: executors (Rust's `tokio::executor`, i.e. tokio-executor 0.1 plus
// tokio's `Spawn`, and the deprecated `tokio::executor::current_thread` module).
// Also defines the crate-root `tokio::spawn`.
#pragma once

#include <tokio/executor/current_thread.hpp>
#include <tokio/executor/enter.hpp>
#include <tokio/executor/error.hpp>
#include <tokio/executor/executor.hpp>
#include <tokio/executor/global.hpp>
#include <tokio/executor/park.hpp>
#include <tokio/executor/task.hpp>

namespace tokio {
/// `tokio::spawn(f)`: see tokio::executor::spawn.
using executor::spawn;
}  // namespace tokio
