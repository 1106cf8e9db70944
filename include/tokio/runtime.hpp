// tokio layer: the runtimes (Rust's `tokio::runtime`). For now the single-threaded one,
// `tokio::runtime::current_thread`; the thread-pool Runtime, Builder and `tokio::run`
// come with the thread pool.
#pragma once

#include <tokio/runtime/current_thread.hpp>
