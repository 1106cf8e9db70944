// tokio layer: the runtimes (Rust's `tokio::runtime`): the thread-pool Runtime, its
// Builder, TaskExecutor and Shutdown, `run`, and the single-threaded
// `tokio::runtime::current_thread`. Also defines the crate-root `tokio::run`.
#pragma once

#include <tokio/runtime/builder.hpp>
#include <tokio/runtime/current_thread.hpp>
#include <tokio/runtime/shutdown.hpp>
#include <tokio/runtime/task_executor.hpp>
#include <tokio/runtime/threadpool.hpp>

namespace tokio {
/// `tokio::run(f)`: see tokio::runtime::run.
using runtime::run;
}  // namespace tokio
