// udp_client: the port of Tokio 0.1's examples/udp-client.rs (a '-' in a Rust example's
// name becomes '_' here, in the file and the executable). A UDP client that just sends
// everything it gets via stdin in a single datagram, and then waits for a reply.
//
// For the reasons of simplicity data from stdin is read until EOF in a blocking manner.
//
// You can test this out by running an echo server:
//     ./build/examples/echo_udp 127.0.0.1:8080
// and running the client in another terminal:
//     ./build/examples/udp_client
// You can optionally provide any custom endpoint address for the client:
//     ./build/examples/udp_client 127.0.0.1:8080
// Don't forget to pass EOF to the standard input of the client!
//
// Please mind that since the UDP protocol doesn't have any capabilities to detect a
// broken connection the server needs to be run first, otherwise the client will block
// forever.
#include <tokio.hpp>

#include <fmt/core.h>

#include <unistd.h>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

using namespace tokio::prelude;
using tokio::net::SocketAddr;
using tokio::net::UdpSocket;

tokio::io::Result<std::vector<std::uint8_t>> get_stdin_data() {
  std::vector<std::uint8_t> buf;
  std::uint8_t chunk[4096];
  for (;;) {
    const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
    if (n == 0) return futures::Ok(std::move(buf));
    if (n < 0) return futures::Err(tokio::io::Error::last_os_error());
    buf.insert(buf.end(), chunk, chunk + n);
  }
}

// Rust prints String::from_utf8_lossy (invalid UTF-8 becomes U+FFFD); this prints the
// bytes as they are.
std::string_view as_text(const std::vector<std::uint8_t>& data, std::size_t len) {
  return std::string_view(reinterpret_cast<const char*>(data.data()), len);
}

int main(int argc, char** argv) {
  auto parsed = SocketAddr::parse(argc > 1 ? argv[1] : "127.0.0.1:8080");
  if (parsed.is_err()) {
    fmt::print(stderr, "Error: {}\n", parsed.unwrap_err());
    return 1;
  }
  const auto remote_addr = parsed.unwrap();
  // We use port 0 to let the operating system allocate an available port for us.
  const auto local_addr =
      SocketAddr::parse(remote_addr.is_ipv4() ? "0.0.0.0:0" : "[::]:0").unwrap();
  auto bound = UdpSocket::bind(local_addr);
  if (bound.is_err()) {
    fmt::print(stderr, "Error: {}\n", bound.unwrap_err());
    return 1;
  }
  auto data = get_stdin_data();
  if (data.is_err()) {
    fmt::print(stderr, "Error: {}\n", data.unwrap_err());
    return 1;
  }
  constexpr std::size_t MAX_DATAGRAM_SIZE = 65'507;
  auto done =
      std::move(bound)
          .unwrap()
          .send_dgram(std::move(data).unwrap(), remote_addr)
          .and_then([](UdpSocket socket, auto&&) {
            return std::move(socket).recv_dgram(std::vector<std::uint8_t>(MAX_DATAGRAM_SIZE));
          })
          .map([](auto&&, const std::vector<std::uint8_t>& data, std::size_t len, auto&&) {
            fmt::print("Received {} bytes:\n{}\n", len, as_text(data, len));
          })
          .wait();
  if (done.is_err()) {
    fmt::print(stderr, "Error: {}\n", done.unwrap_err());
    return 1;
  }
  return 0;
}
