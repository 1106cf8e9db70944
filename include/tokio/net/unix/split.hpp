// tokio::net layer: ReadHalf and WriteHalf of a UnixStream, made by `UnixStream::split()`.
// As for TcpStream (tcp/split.hpp), the two directions share no mutable state, so the
// halves take no lock: each holds a reference-counted pointer to the stream and uses
// only its own side of the PollEvented.
#pragma once

#include <tokio/net/unix/stream.hpp>

#include <futures/poll.hpp>
#include <futures/unit.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace tokio::net::unix {

/// The reading half: AsyncRead.
class ReadHalf {
 public:
  explicit ReadHalf(std::shared_ptr<UnixStream> stream) noexcept : stream_(std::move(stream)) {}

  futures::Poll<std::size_t, io::Error> poll_read(std::span<std::uint8_t> buf) { return stream_->poll_read(buf); }
  io::Result<std::size_t> read(std::span<std::uint8_t> buf) { return stream_->read(buf); }
  futures::Poll<tokio::mio::Ready, io::Error> poll_read_ready(tokio::mio::Ready mask) {
    return stream_->poll_read_ready(mask);
  }
  const UnixStream& as_ref() const noexcept { return *stream_; }

 private:
  std::shared_ptr<UnixStream> stream_;
};

/// The writing half: AsyncWrite (its shutdown() closes the stream's write side).
class WriteHalf {
 public:
  explicit WriteHalf(std::shared_ptr<UnixStream> stream) noexcept : stream_(std::move(stream)) {}

  futures::Poll<std::size_t, io::Error> poll_write(std::span<const std::uint8_t> buf) {
    return stream_->poll_write(buf);
  }
  futures::Poll<futures::Unit, io::Error> poll_flush() { return stream_->poll_flush(); }
  futures::Poll<futures::Unit, io::Error> shutdown() { return stream_->shutdown(); }
  io::Result<std::size_t> write(std::span<const std::uint8_t> buf) { return stream_->write(buf); }
  io::Result<futures::Unit> flush() { return futures::Ok(); }
  futures::Poll<tokio::mio::Ready, io::Error> poll_write_ready() { return stream_->poll_write_ready(); }
  const UnixStream& as_ref() const noexcept { return *stream_; }

 private:
  std::shared_ptr<UnixStream> stream_;
};

}  // namespace tokio::net::unix
