// tokio::net layer: SendDgram, the future of UnixDatagram::send_dgram. Mirrors tokio-uds
// 0.2 `src/send_dgram.rs`.
#pragma once

#include <tokio/net/unix/datagram.hpp>

#include <futures/contract.hpp>
#include <futures/future_ext.hpp>

#include <filesystem>
#include <optional>
#include <tuple>
#include <utility>

namespace tokio::net::unix {

/// Sends one datagram to a path and yields std::tuple<UnixDatagram, T>. A datagram the
/// kernel took only in part is an Err of kind Other.
/// Notifies: the polling task, through the socket's write readiness.
/// Aborts: polling again after it completed is a contract violation.
template <io::ByteBuf T, class P>
class SendDgram : public futures::FutureExt<SendDgram<T, P>> {
 public:
  using Item = std::tuple<UnixDatagram, T>;
  using Error = io::Error;

  SendDgram(UnixDatagram socket, T buf, P path)
      : state_(std::in_place, std::move(socket), std::move(buf), std::move(path)) {}

  futures::Poll<Item, Error> poll() {
    if (!state_) futures::contract_violation("SendDgram polled after completion");
    auto& [socket, buf, path] = *state_;
    const auto bytes = io::detail::bytes_of(buf);
    const std::size_t n = FUTURES_TRY_READY(socket.poll_send_to(bytes, std::filesystem::path(path)));
    if (n < bytes.size()) return futures::Err(io::Error(io::ErrorKind::Other, "Couldn't send whole buffer"));
    Item done(std::move(socket), std::move(buf));
    state_.reset();
    return futures::Ready(std::move(done));
  }

 private:
  std::optional<std::tuple<UnixDatagram, T, P>> state_;  // empty once completed
};

template <io::ByteBuf T, class P>
  requires std::constructible_from<std::filesystem::path, const P&>
SendDgram<T, P> UnixDatagram::send_dgram(T buf, P path) && {
  return SendDgram<T, P>(std::move(*this), std::move(buf), std::move(path));
}

}  // namespace tokio::net::unix
