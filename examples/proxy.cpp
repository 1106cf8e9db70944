// proxy: the port of Tokio 0.1's examples/proxy.rs. A proxy that forwards data to
// another server and forwards that server's responses back to clients.
//
// Because the Tokio runtime uses a thread pool, each TCP connection is processed
// concurrently with all other TCP connections across multiple threads.
//
// You can showcase this by running this in one terminal:
//     ./build/examples/proxy [LISTEN_ADDR [SERVER_ADDR]]  (default 127.0.0.1:8081 → 127.0.0.1:8080)
// this in another terminal:
//     ./build/examples/echo
// and finally this in another terminal:
//     ./build/examples/connect 127.0.0.1:8081
// This final terminal will connect to our proxy, which will in turn connect to the echo
// server, and you'll be able to see data flowing between them. It serves until killed.
//
// The Rust original wraps each socket in a `MyTcpStream` (an Arc<Mutex<TcpStream>>) only
// so that the writer's AsyncWrite::shutdown really shuts the write direction down, which
// tokio-tcp 0.1's did not. Here the halves of `TcpStream::split()` already do that, so
// they are used directly.
#include <tokio.hpp>

#include <fmt/core.h>

#include <cstdint>
#include <string>
#include <tuple>
#include <utility>

using namespace tokio::prelude;
using tokio::io::copy;
using tokio::io::shutdown;
using tokio::net::SocketAddr;
using tokio::net::TcpListener;
using tokio::net::TcpStream;

int main(int argc, char** argv) {
  auto listen_addr = SocketAddr::parse(argc > 1 ? argv[1] : "127.0.0.1:8081");
  if (listen_addr.is_err()) {
    fmt::print(stderr, "Error: {}\n", listen_addr.unwrap_err());
    return 1;
  }
  auto server_addr_parsed = SocketAddr::parse(argc > 2 ? argv[2] : "127.0.0.1:8080");
  if (server_addr_parsed.is_err()) {
    fmt::print(stderr, "Error: {}\n", server_addr_parsed.unwrap_err());
    return 1;
  }
  const auto server_addr = server_addr_parsed.unwrap();

  // Create a TCP listener which will listen for incoming connections.
  auto bound = TcpListener::bind(listen_addr.unwrap());
  if (bound.is_err()) {
    fmt::print(stderr, "Error: {}\n", bound.unwrap_err());
    return 1;
  }
  auto socket = std::move(bound).unwrap();
  fmt::print("Listening on: {}\n", listen_addr.unwrap());
  fmt::print("Proxying to: {}\n", server_addr);

  auto done =
      std::move(socket)
          .incoming()
          .map_err([](const tokio::io::Error& e) {
            fmt::print("error accepting socket; error = {}\n", e);
          })
          .for_each([server_addr](TcpStream client) {
            auto server = TcpStream::connect(server_addr);
            auto amounts = std::move(server).and_then([client = std::move(client)](
                                                          TcpStream server) mutable {
              // Create separate read/write handles for the TCP clients that we're
              // proxying data between. The write halves' `shutdown` calls
              // `TcpStream::shutdown(Write)` to ensure that EOF is transmitted properly
              // across the proxied connection.
              auto [client_reader, client_writer] = std::move(client).split();
              auto [server_reader, server_writer] = std::move(server).split();

              // Copy the data (in parallel) between the client and the server. After the
              // copy is done we indicate to the remote side that we've finished by
              // shutting down the connection.
              auto client_to_server =
                  copy(std::move(client_reader), std::move(server_writer))
                      .and_then([](std::uint64_t n, auto&&, auto&& server_writer) {
                        return shutdown(std::move(server_writer)).map([n](auto&&) { return n; });
                      });

              auto server_to_client =
                  copy(std::move(server_reader), std::move(client_writer))
                      .and_then([](std::uint64_t n, auto&&, auto&& client_writer) {
                        return shutdown(std::move(client_writer)).map([n](auto&&) { return n; });
                      });

              return std::move(client_to_server).join(std::move(server_to_client));
            });

            auto msg = std::move(amounts)
                           .map([](std::uint64_t from_client, std::uint64_t from_server) {
                             fmt::print("client wrote {} bytes and received {} bytes\n",
                                        from_client, from_server);
                           })
                           .map_err([](const tokio::io::Error& e) {
                             // Don't panic. Maybe the client just disconnected too soon.
                             fmt::print("error: {}\n", e);
                           });

            tokio::spawn(std::move(msg));
          });

  tokio::run(std::move(done));
  return 0;
}
