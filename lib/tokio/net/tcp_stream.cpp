// tokio::net: TcpStream and ConnectFuture (include/tokio/net/tcp/stream.hpp).
//
// Every read-side operation touches only the PollEvented's read readiness and every
// write-side one only its write readiness, so the split halves can run on two threads at
// once. Keep it that way: an operation that needs both sides would need a lock.
#include <tokio/net/tcp/split.hpp>
#include <tokio/net/tcp/stream.hpp>

#include <futures/contract.hpp>

#include <memory>
#include <utility>

// The one instantiation the header declares extern.
template class tokio::reactor::PollEvented<tokio::mio::net::TcpStream>;

namespace tokio::net::tcp {

namespace {

// Rust's `is_wouldblock`: WouldBlock means "clear readiness and wait for the next edge".
bool would_block(const io::Error& e) noexcept { return e.kind() == io::ErrorKind::WouldBlock; }

io::Error would_block_error() { return io::Error(io::ErrorKind::WouldBlock); }

}  // namespace

// ===== TcpStream =====

ConnectFuture TcpStream::connect(const SocketAddr& addr) {
  auto raw = tokio::mio::net::TcpStream::connect(addr);
  if (raw.is_err()) return ConnectFuture(std::move(raw).unwrap_err());
  return ConnectFuture(TcpStream(Evented(std::move(raw).unwrap())));
}

io::Result<TcpStream> TcpStream::from_std(tokio::mio::net::TcpStream stream, const reactor::Handle& handle) {
  auto io = Evented::new_with_handle(std::move(stream), handle);
  if (io.is_err()) return futures::Err(std::move(io).unwrap_err());
  return futures::Ok(TcpStream(std::move(io).unwrap()));
}

futures::Poll<std::size_t, io::Error> TcpStream::poll_read(std::span<std::uint8_t> buf) {
  return io_.poll_read(buf);
}

futures::Poll<std::size_t, io::Error> TcpStream::poll_write(std::span<const std::uint8_t> buf) {
  return io_.poll_write(buf);
}

futures::Poll<futures::Unit, io::Error> TcpStream::shutdown() {
  auto r = io_.get_ref().shutdown(Shutdown::Write);
  // A peer that already went away leaves nothing to shut down.
  if (r.is_err() && r.unwrap_err_ref().kind() != io::ErrorKind::NotConnected) {
    return futures::Err(std::move(r).unwrap_err());
  }
  return futures::Ready();
}

io::Result<std::size_t> TcpStream::read(std::span<std::uint8_t> buf) {
  auto polled = poll_read(buf);
  if (polled.is_err()) return futures::Err(std::move(polled).unwrap_err());
  if (polled.unwrap_ref().is_not_ready()) return futures::Err(would_block_error());
  return futures::Ok(polled.unwrap_ref().value());
}

io::Result<std::size_t> TcpStream::write(std::span<const std::uint8_t> buf) {
  auto polled = poll_write(buf);
  if (polled.is_err()) return futures::Err(std::move(polled).unwrap_err());
  if (polled.unwrap_ref().is_not_ready()) return futures::Err(would_block_error());
  return futures::Ok(polled.unwrap_ref().value());
}

futures::Poll<std::size_t, io::Error> TcpStream::poll_peek(std::span<std::uint8_t> buf) {
  auto ready = io_.poll_read_ready(tokio::mio::Ready::readable());
  if (ready.is_err()) return futures::Err(std::move(ready).unwrap_err());
  if (ready.unwrap_ref().is_not_ready()) return futures::NotReady;
  auto n = io_.get_ref().peek(buf);
  if (n.is_ok()) return futures::Ready(n.unwrap_ref());
  auto e = std::move(n).unwrap_err();
  if (!would_block(e)) return futures::Err(std::move(e));
  auto cleared = io_.clear_read_ready(tokio::mio::Ready::readable());
  if (cleared.is_err()) return futures::Err(std::move(cleared).unwrap_err());
  return futures::NotReady;
}

io::Result<futures::Unit> TcpStream::shutdown(Shutdown how) const { return io_.get_ref().shutdown(how); }

io::Result<SocketAddr> TcpStream::local_addr() const { return io_.get_ref().local_addr(); }
io::Result<SocketAddr> TcpStream::peer_addr() const { return io_.get_ref().peer_addr(); }
io::Result<bool> TcpStream::nodelay() const { return io_.get_ref().nodelay(); }
io::Result<futures::Unit> TcpStream::set_nodelay(bool nodelay) const { return io_.get_ref().set_nodelay(nodelay); }
io::Result<std::optional<std::chrono::nanoseconds>> TcpStream::keepalive() const {
  return io_.get_ref().keepalive();
}
io::Result<futures::Unit> TcpStream::set_keepalive(std::optional<std::chrono::nanoseconds> keepalive) const {
  return io_.get_ref().set_keepalive(keepalive);
}
io::Result<std::optional<std::chrono::nanoseconds>> TcpStream::linger() const { return io_.get_ref().linger(); }
io::Result<futures::Unit> TcpStream::set_linger(std::optional<std::chrono::nanoseconds> linger) const {
  return io_.get_ref().set_linger(linger);
}
io::Result<std::uint32_t> TcpStream::ttl() const { return io_.get_ref().ttl(); }
io::Result<futures::Unit> TcpStream::set_ttl(std::uint32_t ttl) const { return io_.get_ref().set_ttl(ttl); }
io::Result<std::size_t> TcpStream::recv_buffer_size() const { return io_.get_ref().recv_buffer_size(); }
io::Result<futures::Unit> TcpStream::set_recv_buffer_size(std::size_t size) const {
  return io_.get_ref().set_recv_buffer_size(size);
}
io::Result<std::size_t> TcpStream::send_buffer_size() const { return io_.get_ref().send_buffer_size(); }
io::Result<futures::Unit> TcpStream::set_send_buffer_size(std::size_t size) const {
  return io_.get_ref().set_send_buffer_size(size);
}
io::Result<std::optional<io::Error>> TcpStream::take_error() const { return io_.get_ref().take_error(); }
int TcpStream::as_raw_fd() const { return io_.get_ref().as_raw_fd(); }

// Once per connection; out of line so that includers do not instantiate make_shared.
std::tuple<ReadHalf, WriteHalf> TcpStream::split() && {
  auto shared = std::make_shared<TcpStream>(std::move(*this));
  return {ReadHalf(shared), WriteHalf(std::move(shared))};
}

// ===== ConnectFuture =====

ConnectFuture::ConnectFuture(TcpStream stream) : state_(std::in_place_index<0>, std::move(stream)) {}
ConnectFuture::ConnectFuture(io::Error error) : state_(std::in_place_index<1>, std::move(error)) {}

futures::Poll<TcpStream, io::Error> ConnectFuture::poll() {
  if (state_.index() == 1) {
    auto e = std::get<1>(std::move(state_));
    state_.emplace<2>();
    return futures::Err(std::move(e));
  }
  if (state_.index() == 2) futures::contract_violation("ConnectFuture polled after it completed");

  // The connection is established (or has failed) once the socket is writable; the
  // socket error then says which (ECONNREFUSED -> ConnectionRefused).
  auto& stream = std::get<0>(state_);
  auto ready = stream.poll_write_ready();
  if (ready.is_err()) {
    state_.emplace<2>();
    return futures::Err(std::move(ready).unwrap_err());
  }
  if (ready.unwrap_ref().is_not_ready()) return futures::NotReady;
  auto pending = stream.take_error();
  if (pending.is_err() || pending.unwrap_ref().has_value()) {
    auto e = pending.is_err() ? std::move(pending).unwrap_err() : *std::move(pending).unwrap();
    state_.emplace<2>();
    return futures::Err(std::move(e));
  }
  auto done = std::get<0>(std::move(state_));
  state_.emplace<2>();
  return futures::Ready(std::move(done));
}

}  // namespace tokio::net::tcp
