// tokio::net: TcpListener (include/tokio/net/tcp/listener.hpp).
//
// Accept errors other than WouldBlock are returned as they are. Running out of fds or
// memory (EMFILE, ENFILE, ENOBUFS, ENOMEM) also backs off: the next accept(2) waits
// 50 ms (accept_backoff.hpp); other errors leave the readiness set, so the next
// poll_accept tries again at once, as in Tokio 0.1 (docs/net.md, "Accept errors").
#include <tokio/net/tcp/incoming.hpp>
#include <tokio/net/tcp/listener.hpp>

#include "accept_backoff.hpp"

#include <optional>
#include <utility>

// The one instantiation the header declares extern.
template class tokio::reactor::PollEvented<tokio::mio::net::TcpListener>;

namespace tokio::net::tcp {

io::Result<TcpListener> TcpListener::bind(const SocketAddr& addr) {
  auto raw = tokio::mio::net::TcpListener::bind(addr);
  if (raw.is_err()) return futures::Err(std::move(raw).unwrap_err());
  return futures::Ok(TcpListener(Evented(std::move(raw).unwrap())));
}

io::Result<TcpListener> TcpListener::from_std(tokio::mio::net::TcpListener listener, const reactor::Handle& handle) {
  auto io = Evented::new_with_handle(std::move(listener), handle);
  if (io.is_err()) return futures::Err(std::move(io).unwrap_err());
  return futures::Ok(TcpListener(std::move(io).unwrap()));
}

futures::Poll<std::tuple<tokio::mio::net::TcpStream, SocketAddr>, io::Error> TcpListener::poll_accept_std() {
  auto ready = io_.poll_read_ready(tokio::mio::Ready::readable());
  if (ready.is_err()) return futures::Err(std::move(ready).unwrap_err());
  if (ready.unwrap_ref().is_not_ready()) return futures::NotReady;
  return detail::after_accept(io_, io_.get_ref().accept());
}

futures::Poll<std::tuple<TcpStream, SocketAddr>, io::Error> TcpListener::poll_accept() {
  auto accepted = poll_accept_std();
  if (accepted.is_err()) return futures::Err(std::move(accepted).unwrap_err());
  auto ready = std::move(accepted).unwrap();
  if (ready.is_not_ready()) return futures::NotReady;
  auto [raw, addr] = std::move(ready).value();
  // Like Rust's `TcpStream::new`, the accepted stream binds to the default reactor
  // (the one of the task that first polls it).
  return futures::Ready(std::tuple<TcpStream, SocketAddr>(TcpStream(TcpStream::Evented(std::move(raw))), addr));
}

io::Result<std::tuple<TcpStream, SocketAddr>> TcpListener::accept() {
  auto polled = poll_accept();
  if (polled.is_err()) return futures::Err(std::move(polled).unwrap_err());
  auto ready = std::move(polled).unwrap();
  if (ready.is_not_ready()) return futures::Err(io::Error(io::ErrorKind::WouldBlock));
  return futures::Ok(std::move(ready).value());
}

io::Result<std::tuple<tokio::mio::net::TcpStream, SocketAddr>> TcpListener::accept_std() {
  auto polled = poll_accept_std();
  if (polled.is_err()) return futures::Err(std::move(polled).unwrap_err());
  auto ready = std::move(polled).unwrap();
  if (ready.is_not_ready()) return futures::Err(io::Error(io::ErrorKind::WouldBlock));
  return futures::Ok(std::move(ready).value());
}

io::Result<SocketAddr> TcpListener::local_addr() const { return io_.get_ref().local_addr(); }
io::Result<std::uint32_t> TcpListener::ttl() const { return io_.get_ref().ttl(); }
io::Result<futures::Unit> TcpListener::set_ttl(std::uint32_t ttl) const { return io_.get_ref().set_ttl(ttl); }
int TcpListener::as_raw_fd() const { return io_.get_ref().as_raw_fd(); }

// ===== Incoming =====

futures::Poll<std::optional<TcpStream>, io::Error> Incoming::poll() {
  auto accepted = listener_.poll_accept();
  if (accepted.is_err()) return futures::Err(std::move(accepted).unwrap_err());
  auto ready = std::move(accepted).unwrap();
  if (ready.is_not_ready()) return futures::NotReady;
  return futures::Ready(std::optional<TcpStream>(std::get<0>(std::move(ready).value())));
}

}  // namespace tokio::net::tcp
