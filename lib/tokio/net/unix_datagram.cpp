// tokio::net::UnixDatagram: each poll_* waits for the reactor's readiness, tries the
// syscall once, and on WouldBlock clears that readiness (udp_unix_poll.hpp).
#include <tokio/net/unix/datagram.hpp>

#include "udp_unix_poll.hpp"

#include <utility>

namespace tokio::net::unix {

namespace {
UnixDatagram wrap(tokio::mio::unix::UnixDatagram raw) { return UnixDatagram(UnixDatagram::Evented(std::move(raw))); }

io::Result<UnixDatagram> wrap(io::Result<tokio::mio::unix::UnixDatagram> raw) {
  if (raw.is_err()) return futures::Err(std::move(raw).unwrap_err());
  return futures::Ok(wrap(std::move(raw).unwrap()));
}
}  // namespace

io::Result<UnixDatagram> UnixDatagram::bind(const std::filesystem::path& path) {
  return wrap(tokio::mio::unix::UnixDatagram::bind(path));
}

io::Result<UnixDatagram> UnixDatagram::unbound() { return wrap(tokio::mio::unix::UnixDatagram::unbound()); }

io::Result<std::tuple<UnixDatagram, UnixDatagram>> UnixDatagram::pair() {
  auto raw = tokio::mio::unix::UnixDatagram::pair();
  if (raw.is_err()) return futures::Err(std::move(raw).unwrap_err());
  auto [a, b] = std::move(raw).unwrap();
  return futures::Ok(std::tuple<UnixDatagram, UnixDatagram>(wrap(std::move(a)), wrap(std::move(b))));
}

io::Result<UnixDatagram> UnixDatagram::from_std(tokio::mio::unix::UnixDatagram socket,
                                                const reactor::Handle& handle) {
  auto io = Evented::new_with_handle(std::move(socket), handle);
  if (io.is_err()) return futures::Err(std::move(io).unwrap_err());
  return futures::Ok(UnixDatagram(std::move(io).unwrap()));
}

io::Result<futures::Unit> UnixDatagram::connect(const std::filesystem::path& path) const {
  return io_.get_ref().connect(path);
}

io::Result<SocketAddr> UnixDatagram::local_addr() const { return io_.get_ref().local_addr(); }
io::Result<SocketAddr> UnixDatagram::peer_addr() const { return io_.get_ref().peer_addr(); }

futures::Poll<std::tuple<std::size_t, SocketAddr>, io::Error> UnixDatagram::poll_recv_from(
    std::span<std::uint8_t> buf) {
  (void)FUTURES_TRY_READY(io_.poll_read_ready(tokio::mio::Ready::readable()));
  return detail::after_read(io_, io_.get_ref().recv_from(buf));
}

futures::Poll<std::size_t, io::Error> UnixDatagram::poll_recv(std::span<std::uint8_t> buf) {
  (void)FUTURES_TRY_READY(io_.poll_read_ready(tokio::mio::Ready::readable()));
  return detail::after_read(io_, io_.get_ref().recv(buf));
}

futures::Poll<std::size_t, io::Error> UnixDatagram::poll_send_to(std::span<const std::uint8_t> buf,
                                                                 const std::filesystem::path& path) {
  (void)FUTURES_TRY_READY(io_.poll_write_ready());
  return detail::after_write(io_, io_.get_ref().send_to(buf, path));
}

futures::Poll<std::size_t, io::Error> UnixDatagram::poll_send(std::span<const std::uint8_t> buf) {
  (void)FUTURES_TRY_READY(io_.poll_write_ready());
  return detail::after_write(io_, io_.get_ref().send(buf));
}

io::Result<std::optional<io::Error>> UnixDatagram::take_error() const { return io_.get_ref().take_error(); }
io::Result<futures::Unit> UnixDatagram::shutdown(Shutdown how) const { return io_.get_ref().shutdown(how); }
int UnixDatagram::as_raw_fd() const { return io_.get_ref().as_raw_fd(); }

}  // namespace tokio::net::unix
