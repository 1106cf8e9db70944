// tokio layer: the `tokio::io` module (Rust's tokio::io, from tokio-io 0.1): the
// AsyncRead / AsyncWrite concepts, the helper futures (copy, read_exact, write_all,
// lines, split...), Cursor and BufReader. See docs/io.md.
#pragma once

#include <tokio/io/async_read.hpp>
#include <tokio/io/async_write.hpp>
#include <tokio/io/buf.hpp>
#include <tokio/io/buf_reader.hpp>
#include <tokio/io/copy.hpp>
#include <tokio/io/cursor.hpp>
#include <tokio/io/error.hpp>
#include <tokio/io/flush.hpp>
#include <tokio/io/lines.hpp>
#include <tokio/io/read.hpp>
#include <tokio/io/read_exact.hpp>
#include <tokio/io/read_to_end.hpp>
#include <tokio/io/read_until.hpp>
#include <tokio/io/shutdown.hpp>
#include <tokio/io/split.hpp>
#include <tokio/io/write_all.hpp>

#include <futures/prelude.hpp>

// Tokio 0.1's prelude re-exports futures' prelude plus AsyncRead and AsyncWrite.
namespace tokio::prelude {
using namespace futures::prelude;
using tokio::io::AsyncRead;
using tokio::io::AsyncWrite;
}  // namespace tokio::prelude
