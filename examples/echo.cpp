// echo: the port of Tokio 0.1's examples/echo.rs. A TCP server that sends back whatever
// each client writes; when a client closes, it prints how many bytes it echoed.
//
// Run it:
//     ninja -C build examples/echo && ./build/examples/echo [ADDR]   (default 127.0.0.1:8080)
// and beside it, for example:
//     nc 127.0.0.1 8080                         (type lines; they come back)
//     ./build/tools/loadgen/loadgen 127.0.0.1:8080 -c 16 -d 3
// It serves until killed (Ctrl-C). The runtime has one worker per CPU; the environment
// variable TOKIO_WORKER_THREADS=N sets the number of workers (as in Tokio 1.x).
#include <tokio.hpp>

#include <fmt/core.h>

#include <cstdint>
#include <string>

using namespace tokio::prelude;
using tokio::net::TcpListener;
using tokio::net::TcpStream;

int main(int argc, char** argv) {
  // Allow passing an address to listen on as the first argument of this program, but
  // otherwise we'll just set up our TCP listener on 127.0.0.1:8080 for connections.
  const std::string arg = argc > 1 ? argv[1] : "127.0.0.1:8080";
  auto parsed = tokio::net::SocketAddr::parse(arg);
  if (parsed.is_err()) {
    fmt::print(stderr, "Error: {}\n", parsed.unwrap_err());
    return 1;
  }
  auto addr = parsed.unwrap();

  // Next up we create a TCP listener which will listen for incoming connections.
  auto bound = TcpListener::bind(addr);
  if (bound.is_err()) {
    fmt::print(stderr, "Error: {}\n", bound.unwrap_err());
    return 1;
  }
  auto socket = std::move(bound).unwrap();
  fmt::print("Listening on: {}\n", addr);

  // Here we convert the TcpListener to a stream of incoming connections with `incoming`,
  // and for each connection spawn a task that copies the client's bytes back to it.
  auto done = std::move(socket)
                  .incoming()
                  .map_err([](const tokio::io::Error& e) {
                    fmt::print("failed to accept socket; error = {}\n", e);
                  })
                  .for_each([](TcpStream socket) {
                    // An echo answers at once, so Nagle's algorithm would only hold
                    // back the tail of a reply while the one before is unacknowledged
                    // (16 KiB bulk ran 15-25% slower). The servers we are measured
                    // against set it too (../shared/anchors); Tokio's echo.rs does not.
                    (void)socket.set_nodelay(true);

                    // Split the socket into its reading and writing halves, and copy
                    // everything read from one into the other.
                    auto [reader, writer] = std::move(socket).split();
                    auto amt = tokio::io::copy(std::move(reader), std::move(writer));

                    // After our copy operation is complete we just print out some
                    // helpful information.
                    auto msg = std::move(amt).then([](const auto& result) {
                      if (result.is_ok()) {
                        fmt::print("wrote {} bytes\n", std::get<0>(result.unwrap_ref()));
                      } else {
                        fmt::print("error: {}\n", result.unwrap_err_ref());
                      }
                    });

                    return tokio::spawn(std::move(msg));
                  });

  tokio::run(std::move(done));
  return 0;
}
