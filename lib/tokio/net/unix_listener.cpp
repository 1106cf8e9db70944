// tokio::net::UnixListener: bind and accept through PollEvented.
#include <tokio/net/unix/listener.hpp>

#include "accept_backoff.hpp"

#include <optional>
#include <utility>

namespace tokio::net::unix {

io::Result<UnixListener> UnixListener::bind(const std::filesystem::path& path) {
  auto raw = tokio::mio::unix::UnixListener::bind(path);
  if (raw.is_err()) return futures::Err(std::move(raw).unwrap_err());
  return futures::Ok(UnixListener(Evented(std::move(raw).unwrap())));
}

io::Result<UnixListener> UnixListener::from_std(tokio::mio::unix::UnixListener listener,
                                                const reactor::Handle& handle) {
  auto io = Evented::new_with_handle(std::move(listener), handle);
  if (io.is_err()) return futures::Err(std::move(io).unwrap_err());
  return futures::Ok(UnixListener(std::move(io).unwrap()));
}

io::Result<SocketAddr> UnixListener::local_addr() const { return io_.get_ref().local_addr(); }

io::Result<std::optional<io::Error>> UnixListener::take_error() const { return io_.get_ref().take_error(); }

futures::Poll<std::tuple<tokio::mio::unix::UnixStream, SocketAddr>, io::Error> UnixListener::poll_accept_std() {
  (void)FUTURES_TRY_READY(io_.poll_read_ready(tokio::mio::Ready::readable()));
  return detail::after_accept(io_, io_.get_ref().accept());
}

futures::Poll<std::tuple<UnixStream, SocketAddr>, io::Error> UnixListener::poll_accept() {
  auto [raw, addr] = FUTURES_TRY_READY(poll_accept_std());
  return futures::Ready(
      std::tuple<UnixStream, SocketAddr>(UnixStream(UnixStream::Evented(std::move(raw))), std::move(addr)));
}

int UnixListener::as_raw_fd() const { return io_.get_ref().as_raw_fd(); }

futures::Poll<tokio::mio::Ready, io::Error> UnixListener::poll_read_ready(tokio::mio::Ready mask) {
  return io_.poll_read_ready(mask);
}

futures::Poll<std::optional<UnixStream>, io::Error> Incoming::poll() {
  auto [stream, addr] = FUTURES_TRY_READY(inner_.poll_accept());
  (void)addr;
  return futures::Ready(std::optional<UnixStream>(std::move(stream)));
}

}  // namespace tokio::net::unix
