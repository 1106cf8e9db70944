// tokio layer: SendDgram, the future of UdpSocket::send_dgram. Mirrors tokio-udp 0.1
// `src/send_dgram.rs`.
#pragma once

#include <tokio/net/udp/socket.hpp>

#include <futures/contract.hpp>
#include <futures/future_ext.hpp>

#include <optional>
#include <tuple>
#include <utility>

namespace tokio::net::udp {

/// Sends one datagram and yields the socket and the buffer back:
/// std::tuple<UdpSocket, T>. A datagram the kernel truncated is an Err of kind Other.
/// Notifies: the polling task, through the socket's write readiness.
/// Aborts: polling again after it completed is a contract violation.
template <io::ByteBuf T>
class SendDgram : public futures::FutureExt<SendDgram<T>> {
 public:
  using Item = std::tuple<UdpSocket, T>;
  using Error = io::Error;

  SendDgram(UdpSocket socket, T buf, SocketAddr addr)
      : state_(std::in_place, std::move(socket), std::move(buf), addr) {}

  futures::Poll<Item, Error> poll() {
    if (!state_) futures::contract_violation("SendDgram polled after completion");
    auto& [socket, buf, addr] = *state_;
    const auto bytes = io::detail::bytes_of(buf);
    const std::size_t n = FUTURES_TRY_READY(socket.poll_send_to(bytes, addr));
    if (n != bytes.size()) return futures::Err(io::Error(io::ErrorKind::Other, "failed to send entire message in datagram"));
    Item done(std::move(socket), std::move(buf));
    state_.reset();
    return futures::Ready(std::move(done));
  }

 private:
  std::optional<std::tuple<UdpSocket, T, SocketAddr>> state_;  // empty once completed
};

template <io::ByteBuf T>
SendDgram<T> UdpSocket::send_dgram(T buf, const SocketAddr& addr) && {
  return SendDgram<T>(std::move(*this), std::move(buf), addr);
}

}  // namespace tokio::net::udp
