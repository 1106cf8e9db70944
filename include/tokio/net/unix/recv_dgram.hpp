// tokio::net layer: RecvDgram, the future of UnixDatagram::recv_dgram. Mirrors tokio-uds
// 0.2 `src/recv_dgram.rs`.
#pragma once

#include <tokio/net/unix/datagram.hpp>

#include <futures/contract.hpp>
#include <futures/future_ext.hpp>

#include <optional>
#include <string>
#include <tuple>
#include <utility>

namespace tokio::net::unix {

/// Receives one datagram and yields std::tuple<UnixDatagram, T, std::size_t,
/// std::string>: the socket, the buffer, the datagram's length and the sender's path
/// ("" when the sender is unnamed).
/// Notifies: the polling task, through the socket's read readiness.
/// Aborts: polling again after it completed is a contract violation.
template <io::ByteBufMut T>
class RecvDgram : public futures::FutureExt<RecvDgram<T>> {
 public:
  using Item = std::tuple<UnixDatagram, T, std::size_t, std::string>;
  using Error = io::Error;

  RecvDgram(UnixDatagram socket, T buf) : state_(std::in_place, std::move(socket), std::move(buf)) {}

  futures::Poll<Item, Error> poll() {
    if (!state_) futures::contract_violation("RecvDgram polled after completion");
    auto& [socket, buf] = *state_;
    auto [n, from] = FUTURES_TRY_READY(socket.poll_recv_from(io::detail::bytes_of_mut(buf)));
    auto path = from.as_pathname();
    Item done(std::move(socket), std::move(buf), n, path ? std::move(path)->string() : std::string());
    state_.reset();
    return futures::Ready(std::move(done));
  }

 private:
  std::optional<std::tuple<UnixDatagram, T>> state_;  // empty once completed
};

template <io::ByteBufMut T>
RecvDgram<T> UnixDatagram::recv_dgram(T buf) && {
  return RecvDgram<T>(std::move(*this), std::move(buf));
}

}  // namespace tokio::net::unix
