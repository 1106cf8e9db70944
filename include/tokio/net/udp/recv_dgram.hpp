// tokio layer: RecvDgram, the future of UdpSocket::recv_dgram. Mirrors tokio-udp 0.1
// `src/recv_dgram.rs`.
#pragma once

#include <tokio/net/udp/socket.hpp>

#include <futures/contract.hpp>
#include <futures/future_ext.hpp>

#include <optional>
#include <tuple>
#include <utility>

namespace tokio::net::udp {

/// Receives one datagram into the buffer and yields
/// std::tuple<UdpSocket, T, std::size_t, SocketAddr>: the socket, the buffer, the
/// datagram's length (bytes past the buffer's size are discarded) and its sender.
/// Notifies: the polling task, through the socket's read readiness.
/// Aborts: polling again after it completed is a contract violation.
template <io::ByteBufMut T>
class RecvDgram : public futures::FutureExt<RecvDgram<T>> {
 public:
  using Item = std::tuple<UdpSocket, T, std::size_t, SocketAddr>;
  using Error = io::Error;

  /// Rust's `recv_dgram::Parts`: what into_parts gives back.
  struct Parts {
    UdpSocket socket;
    T buffer;
  };

  RecvDgram(UdpSocket socket, T buf) : state_(std::in_place, std::move(socket), std::move(buf)) {}

  futures::Poll<Item, Error> poll() {
    if (!state_) futures::contract_violation("RecvDgram polled after completion");
    auto& [socket, buf] = *state_;
    auto [n, from] = FUTURES_TRY_READY(socket.poll_recv_from(io::detail::bytes_of_mut(buf)));
    Item done(std::move(socket), std::move(buf), n, from);
    state_.reset();
    return futures::Ready(std::move(done));
  }

  /// Gives back the socket and the buffer without waiting (Rust's `into_parts`).
  Parts into_parts() && {
    if (!state_) futures::contract_violation("into_parts called after completion");
    auto& [socket, buf] = *state_;
    return Parts{std::move(socket), std::move(buf)};
  }

 private:
  std::optional<std::tuple<UdpSocket, T>> state_;  // empty once completed
};

template <io::ByteBufMut T>
RecvDgram<T> UdpSocket::recv_dgram(T buf) && {
  return RecvDgram<T>(std::move(*this), std::move(buf));
}

}  // namespace tokio::net::udp
