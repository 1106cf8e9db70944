// tokio layer: the work-stealing thread pool (Rust's `tokio::executor::thread_pool`,
// i.e. the tokio-threadpool 0.1 crate).
#pragma once

#include <tokio/threadpool/blocking.hpp>
#include <tokio/threadpool/builder.hpp>
#include <tokio/threadpool/park.hpp>
#include <tokio/threadpool/sender.hpp>
#include <tokio/threadpool/shutdown.hpp>
#include <tokio/threadpool/thread_pool.hpp>
#include <tokio/threadpool/worker.hpp>
