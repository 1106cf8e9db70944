// The seed example of ../shared/design/PORTING.md, unchanged: a TCP echo server on
// 127.0.0.1:12345, the C++ port of Tokio 0.1's echo example. Every connection is split
// into its read and write halves and `copy` sends back whatever arrives; when the client
// closes, the server prints how many bytes it echoed.
//
// Run it:
//     ninja -C build examples/seed_echo && ./build/examples/seed_echo
// and beside it, for example:
//     nc 127.0.0.1 12345                     (type lines; they come back)
//     tools/loadgen (see its --help) against 127.0.0.1:12345
// It serves until killed (Ctrl-C).
#include <tokio.hpp>
#include <fmt/core.h>

using namespace tokio::prelude;
using tokio::io::copy;
using tokio::net::TcpListener;
using tokio::net::TcpStream;

int main() {
    // Bind the server's socket.
    auto addr = tokio::net::SocketAddr::parse("127.0.0.1:12345").unwrap();
    auto listener = TcpListener::bind(addr).expect("unable to bind TCP listener");

    // Pull out a stream of sockets for incoming connections
    auto server = std::move(listener).incoming()
        .map_err([](const tokio::io::Error& e) { fmt::print(stderr, "accept failed = {}\n", e); })
        .for_each([](TcpStream sock) {
            // Split up the reading and writing parts of the socket.
            auto [reader, writer] = std::move(sock).split();

            // A future that echos the data and returns how many bytes were copied...
            auto bytes_copied = copy(std::move(reader), std::move(writer));

            // ... after which we'll print what happened.
            auto handle_conn = std::move(bytes_copied)
                .map([](uint64_t amt, auto&&, auto&&) { fmt::print("wrote {} bytes\n", amt); })
                .map_err([](const tokio::io::Error& err) { fmt::print(stderr, "IO error {}\n", err); });

            // Spawn the future as a concurrent task.
            return tokio::spawn(std::move(handle_conn));
        });

    // Start the Tokio runtime
    tokio::run(std::move(server));
}
