// echo_udp: the port of Tokio 0.1's examples/echo-udp.rs (a '-' in a Rust example's name
// becomes '_' here, in the file and the executable). A UDP echo server that just sends
// back everything that it receives.
//
// Run it:
//     ./build/examples/echo_udp [ADDR]                      (default 127.0.0.1:8080)
// and in another terminal:
//     ./build/examples/connect --udp 127.0.0.1:8080
// Each line you type in to the `connect` terminal should be echo'd back to you! It serves
// until killed (Ctrl-C).
#include <tokio.hpp>

#include <fmt/core.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

using namespace tokio::prelude;
using tokio::net::SocketAddr;
using tokio::net::UdpSocket;

// A hand-written future: Rust's `struct Server` with `impl Future for Server`.
class Server : public futures::FutureExt<Server> {
 public:
  using Item = futures::Unit;
  using Error = tokio::io::Error;

  explicit Server(UdpSocket socket) : socket_(std::move(socket)), buf_(1024) {}

  futures::Poll<futures::Unit, tokio::io::Error> poll() {
    for (;;) {
      // First we check to see if there's a message we need to echo back. If so then we
      // try to send it back to the original source, waiting until it's writable and
      // we're able to do so.
      if (to_send_) {
        const auto [size, peer] = *to_send_;
        const std::size_t amt =
            FUTURES_TRY_READY(socket_.poll_send_to(std::span(buf_).first(size), peer));
        fmt::print("Echoed {}/{} bytes to {}\n", amt, size, peer);
        to_send_.reset();
      }

      // If we're here then `to_send` is empty, so we take a look for the next message
      // we're going to echo back.
      to_send_ = FUTURES_TRY_READY(socket_.poll_recv_from(buf_));
    }
  }

 private:
  UdpSocket socket_;
  std::vector<std::uint8_t> buf_;
  std::optional<std::tuple<std::size_t, SocketAddr>> to_send_;
};

int main(int argc, char** argv) {
  const std::string arg = argc > 1 ? argv[1] : "127.0.0.1:8080";
  auto parsed = SocketAddr::parse(arg);
  if (parsed.is_err()) {
    fmt::print(stderr, "Error: {}\n", parsed.unwrap_err());
    return 1;
  }

  auto bound = UdpSocket::bind(parsed.unwrap());
  if (bound.is_err()) {
    fmt::print(stderr, "Error: {}\n", bound.unwrap_err());
    return 1;
  }
  auto socket = std::move(bound).unwrap();
  auto local = socket.local_addr();
  if (local.is_err()) {
    fmt::print(stderr, "Error: {}\n", local.unwrap_err());
    return 1;
  }
  fmt::print("Listening on: {}\n", local.unwrap());

  // This starts the server task.
  //
  // `map_err` handles the error by logging it and maps the future to a type that can be
  // spawned.
  //
  // `tokio::run` spawns the task on the Tokio runtime and starts running.
  tokio::run(Server(std::move(socket)).map_err([](const tokio::io::Error& e) {
    fmt::print("server error = {}\n", e);
  }));
  return 0;
}
