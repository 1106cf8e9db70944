// tokio::net layer: ReadHalf and WriteHalf of a TcpStream, made by `TcpStream::split()`.
// Tokio 0.1 splits any AsyncRead + AsyncWrite through a BiLock (tokio-io `split.rs`);
// for a TcpStream the two directions share no mutable state, so these halves take no
// lock: each holds a reference-counted pointer to the stream, the read half calls only
// read-side operations and the write half only write-side ones. The reference count is
// touched when a half is made or destroyed, never per read or write.
#pragma once

#include <tokio/net/tcp/stream.hpp>

#include <futures/poll.hpp>
#include <futures/unit.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace tokio::net::tcp {

/// The reading half of a split TcpStream: an AsyncRead. Usable by one task while another
/// task uses the WriteHalf.
class ReadHalf {
 public:
  explicit ReadHalf(std::shared_ptr<TcpStream> stream) noexcept : stream_(std::move(stream)) {}

  futures::Poll<std::size_t, io::Error> poll_read(std::span<std::uint8_t> buf) { return stream_->poll_read(buf); }
  io::Result<std::size_t> read(std::span<std::uint8_t> buf) { return stream_->read(buf); }
  futures::Poll<std::size_t, io::Error> poll_peek(std::span<std::uint8_t> buf) { return stream_->poll_peek(buf); }
  futures::Poll<tokio::mio::Ready, io::Error> poll_read_ready(tokio::mio::Ready mask) {
    return stream_->poll_read_ready(mask);
  }

  /// The whole stream, for addresses and socket options (those calls are thread-safe).
  const TcpStream& as_ref() const noexcept { return *stream_; }

 private:
  std::shared_ptr<TcpStream> stream_;
};

/// The writing half of a split TcpStream: an AsyncWrite. Usable by one task while another
/// task uses the ReadHalf. Destroying it does not shut the write direction down; call
/// `shutdown()` (AsyncWrite's) for that.
class WriteHalf {
 public:
  explicit WriteHalf(std::shared_ptr<TcpStream> stream) noexcept : stream_(std::move(stream)) {}

  futures::Poll<std::size_t, io::Error> poll_write(std::span<const std::uint8_t> buf) {
    return stream_->poll_write(buf);
  }
  futures::Poll<futures::Unit, io::Error> poll_flush() { return stream_->poll_flush(); }
  /// Closes the write direction of the socket (sends FIN).
  futures::Poll<futures::Unit, io::Error> shutdown() { return stream_->shutdown(); }
  io::Result<std::size_t> write(std::span<const std::uint8_t> buf) { return stream_->write(buf); }
  io::Result<futures::Unit> flush() { return futures::Ok(); }
  futures::Poll<tokio::mio::Ready, io::Error> poll_write_ready() { return stream_->poll_write_ready(); }

  /// The whole stream, for addresses and socket options (those calls are thread-safe).
  const TcpStream& as_ref() const noexcept { return *stream_; }

 private:
  std::shared_ptr<TcpStream> stream_;
};

}  // namespace tokio::net::tcp
