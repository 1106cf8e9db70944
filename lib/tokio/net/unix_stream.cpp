// tokio::net::UnixStream: connect, pair, reads and writes through PollEvented, and the
// peer credentials.
#include <tokio/net/unix/split.hpp>
#include <tokio/net/unix/stream.hpp>

#include "udp_unix_poll.hpp"

#include <memory>
#include <utility>

namespace tokio::net::unix {

namespace {
UnixStream wrap(tokio::mio::unix::UnixStream raw) { return UnixStream(UnixStream::Evented(std::move(raw))); }
}  // namespace

ConnectFuture UnixStream::connect(const std::filesystem::path& path) {
  auto raw = tokio::mio::unix::UnixStream::connect(path);
  if (raw.is_err()) return ConnectFuture(std::move(raw).unwrap_err());
  return ConnectFuture(wrap(std::move(raw).unwrap()));
}

io::Result<UnixStream> UnixStream::from_std(tokio::mio::unix::UnixStream stream, const reactor::Handle& handle) {
  auto io = Evented::new_with_handle(std::move(stream), handle);
  if (io.is_err()) return futures::Err(std::move(io).unwrap_err());
  return futures::Ok(UnixStream(std::move(io).unwrap()));
}

io::Result<std::tuple<UnixStream, UnixStream>> UnixStream::pair() {
  auto raw = tokio::mio::unix::UnixStream::pair();
  if (raw.is_err()) return futures::Err(std::move(raw).unwrap_err());
  auto [a, b] = std::move(raw).unwrap();
  return futures::Ok(std::tuple<UnixStream, UnixStream>(wrap(std::move(a)), wrap(std::move(b))));
}

futures::Poll<futures::Unit, io::Error> UnixStream::shutdown() {
  auto r = io_.get_ref().shutdown(Shutdown::Write);
  // A peer that already went away leaves nothing to shut down.
  if (r.is_err() && r.unwrap_err_ref().kind() != io::ErrorKind::NotConnected) {
    return futures::Err(std::move(r).unwrap_err());
  }
  return futures::Ready();
}

futures::Poll<std::size_t, io::Error> UnixStream::poll_read(std::span<std::uint8_t> buf) {
  return io_.poll_read(buf);
}

futures::Poll<std::size_t, io::Error> UnixStream::poll_write(std::span<const std::uint8_t> buf) {
  return io_.poll_write(buf);
}

io::Result<std::size_t> UnixStream::read(std::span<std::uint8_t> buf) {
  return detail::not_ready_as_would_block(poll_read(buf));
}

io::Result<std::size_t> UnixStream::write(std::span<const std::uint8_t> buf) {
  return detail::not_ready_as_would_block(poll_write(buf));
}

io::Result<futures::Unit> UnixStream::shutdown(Shutdown how) const { return io_.get_ref().shutdown(how); }

io::Result<SocketAddr> UnixStream::local_addr() const { return io_.get_ref().local_addr(); }
io::Result<SocketAddr> UnixStream::peer_addr() const { return io_.get_ref().peer_addr(); }

io::Result<UCred> UnixStream::peer_cred() const {
  auto cred = io_.get_ref().peer_cred();
  if (cred.is_err()) return futures::Err(std::move(cred).unwrap_err());
  return futures::Ok(UCred{cred.unwrap_ref().uid, cred.unwrap_ref().gid});
}

io::Result<std::optional<io::Error>> UnixStream::take_error() const { return io_.get_ref().take_error(); }

int UnixStream::as_raw_fd() const { return io_.get_ref().as_raw_fd(); }

// Once per connection; out of line so that includers do not instantiate make_shared.
std::tuple<ReadHalf, WriteHalf> UnixStream::split() && {
  auto shared = std::make_shared<UnixStream>(std::move(*this));
  return {ReadHalf(shared), WriteHalf(std::move(shared))};
}

ConnectFuture::ConnectFuture(UnixStream stream) : state_(std::in_place_index<0>, std::move(stream)) {}
ConnectFuture::ConnectFuture(io::Error error) : state_(std::in_place_index<1>, std::move(error)) {}

futures::Poll<UnixStream, io::Error> ConnectFuture::poll() {
  if (auto* stream = std::get_if<UnixStream>(&state_)) {
    (void)FUTURES_TRY_READY(stream->poll_write_ready());
    auto pending = stream->take_error();
    if (pending.is_err()) {
      state_.emplace<std::monostate>();
      return futures::Err(std::move(pending).unwrap_err());
    }
    if (auto error = std::move(pending).unwrap()) {
      state_.emplace<std::monostate>();
      return futures::Err(std::move(*error));
    }
    UnixStream done = std::move(*stream);
    state_.emplace<std::monostate>();
    return futures::Ready(std::move(done));
  }
  if (auto* error = std::get_if<io::Error>(&state_)) {
    io::Error e = std::move(*error);
    state_.emplace<std::monostate>();
    return futures::Err(std::move(e));
  }
  futures::contract_violation("UnixStream ConnectFuture polled after completion");
}

}  // namespace tokio::net::unix
