// hello_world: the port of Tokio 0.1's examples/hello_world.rs. A client that connects to
// 127.0.0.1:6142, writes "hello world\n" and exits.
//
// Run it beside a server that listens there, for example:
//     ./build/examples/echo 127.0.0.1:6142        (or: nc -l 127.0.0.1 6142)
//     ./build/examples/hello_world
// Without a server it prints the connection error and exits, as the Rust one does.
#include <tokio.hpp>

#include <fmt/core.h>

#include <string_view>

using namespace tokio::prelude;
using tokio::net::TcpStream;

int main() {
  auto addr = tokio::net::SocketAddr::parse("127.0.0.1:6142").unwrap();

  // Open a TCP stream to the socket address. Note that this is the Tokio TcpStream,
  // which is pre-configured for non-blocking use.
  auto client = TcpStream::connect(addr)
                    .and_then([](TcpStream stream) {
                      fmt::print("created stream\n");
                      return tokio::io::write_all(std::move(stream), std::string_view("hello world\n"))
                          .then([](auto result) {
                            fmt::print("wrote to stream; success={}\n", result.is_ok());
                            return futures::Result<futures::Unit, tokio::io::Error>(futures::Ok());
                          });
                    })
                    .map_err([](const tokio::io::Error& err) {
                      fmt::print("connection error = {}\n", err);
                    });

  fmt::print("About to create the stream and write to it...\n");
  tokio::run(std::move(client));
  fmt::print("Stream has been created and written to.\n");
  return 0;
}
