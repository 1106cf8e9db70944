// futures layer: the prelude (Rust's `futures::prelude::*`): everything a program that
// composes futures needs, in one include. Never included by library headers.
#pragma once

#include <futures/executor.hpp>
#include <futures/future.hpp>
#include <futures/poll.hpp>
#include <futures/result.hpp>
#include <futures/stream.hpp>
#include <futures/sync/oneshot.hpp>
#include <futures/task.hpp>
#include <futures/unsync/oneshot.hpp>

namespace futures::prelude {
using futures::Async;
using futures::AsyncSink;
using futures::Err;
using futures::FutureExt;
using futures::NotReady;
using futures::Ok;
using futures::Poll;
using futures::Ready;
using futures::Result;
using futures::StartSend;
using futures::Unit;
namespace future = futures::future;
namespace task = futures::task;
}  // namespace futures::prelude
