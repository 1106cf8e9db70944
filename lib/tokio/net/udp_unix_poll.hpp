// Private to lib/tokio/net (UDP and Unix sockets): turn the result of one non-blocking
// syscall on a PollEvented socket into a Poll. WouldBlock means the readiness the
// reactor reported is stale: clear it so the current task is notified on the next edge,
// and report NotReady (tokio-udp / tokio-uds do the same in every poll_* method).
#pragma once

#include <tokio/io/error.hpp>
#include <tokio/mio/ready.hpp>

#include <futures/poll.hpp>

#include <utility>

namespace tokio::net::detail {

template <class T, class PollEvented>
futures::Poll<T, io::Error> after_read(PollEvented& io, io::Result<T> done) {
  if (done.is_ok()) return futures::Ready(std::move(done).unwrap());
  io::Error e = std::move(done).unwrap_err();
  if (!e.is_would_block()) return futures::Err(std::move(e));
  auto cleared = io.clear_read_ready(mio::Ready::readable());
  if (cleared.is_err()) return futures::Err(std::move(cleared).unwrap_err());
  return futures::NotReady;
}

template <class T, class PollEvented>
futures::Poll<T, io::Error> after_write(PollEvented& io, io::Result<T> done) {
  if (done.is_ok()) return futures::Ready(std::move(done).unwrap());
  io::Error e = std::move(done).unwrap_err();
  if (!e.is_would_block()) return futures::Err(std::move(e));
  auto cleared = io.clear_write_ready();
  if (cleared.is_err()) return futures::Err(std::move(cleared).unwrap_err());
  return futures::NotReady;
}

/// Rust's deprecated non-poll forms: NotReady becomes an Err of kind WouldBlock.
template <class T>
io::Result<T> not_ready_as_would_block(futures::Poll<T, io::Error> polled) {
  if (polled.is_err()) return futures::Err(std::move(polled).unwrap_err());
  auto async = std::move(polled).unwrap();
  if (async.is_not_ready()) return futures::Err(io::would_block());
  return futures::Ok(std::move(async).value());
}

}  // namespace tokio::net::detail
