// connect: the port of Tokio 0.1's examples/connect.rs. An example of hooking up
// stdin/stdout to either a TCP or UDP stream.
//
// This example will connect to a socket address specified in the argument list and then
// forward all data read on stdin to the server, printing out all data received on
// stdout. An optional `--udp` argument can be passed to specify that the connection
// should be made over UDP instead of TCP, translating each chunk read from stdin to a UDP
// packet to be sent to the remote address.
//
// Run it beside one of the other examples, for example:
//     ./build/examples/echo                               (listens on 127.0.0.1:8080)
//     ./build/examples/connect 127.0.0.1:8080             (type lines; they come back)
//     ./build/examples/echo_udp  +  ./build/examples/connect --udp 127.0.0.1:8080
//
// One difference from the Rust original: when stdin ends, the TCP connection's write
// direction is shut down (our TcpStream's AsyncWrite::shutdown sends FIN; tokio-tcp 0.1's
// did nothing), so `echo hi | connect ADDR` against the echo server prints "hi" and exits.
// tokio::codec is not ported, so the "Bytes" codec of the original becomes two small
// framing types below (a Stream + Sink each) that ship chunks of bytes around.
#include <tokio.hpp>

#include <futures/sync/mpsc.hpp>

#include <fmt/core.h>

#include <unistd.h>
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

using namespace tokio::prelude;

using Chunk = std::vector<std::uint8_t>;

namespace codec {

/// The TCP stand-in for `Bytes.framed(stream)`: a Stream of the chunks read from the
/// socket and a Sink of chunks written to it. Any data read is a "frame"; frames sent
/// are written out without looking at them.
class BytesFramed : public futures::StreamExt<BytesFramed>, public futures::SinkExt<BytesFramed> {
 public:
  using Item = Chunk;
  using Error = tokio::io::Error;
  using SinkItem = Chunk;
  using SinkError = tokio::io::Error;

  explicit BytesFramed(tokio::net::TcpStream io) : io_(std::move(io)) {}

  futures::Poll<std::optional<Chunk>, tokio::io::Error> poll() {
    Chunk buf(4096);
    const std::size_t n = FUTURES_TRY_READY(io_.poll_read(buf));
    if (n == 0) return futures::Ready(std::optional<Chunk>());
    buf.resize(n);
    return futures::Ready(std::optional<Chunk>(std::move(buf)));
  }

  futures::StartSend<Chunk, tokio::io::Error> start_send(Chunk chunk) {
    // Like FramedWrite: only buffer a new frame once the previous one is written out.
    if (written_ < pending_.size()) {
      auto flushed = poll_complete();
      if (flushed.is_err()) return futures::Err(flushed.unwrap_err());
      if (flushed.unwrap().is_not_ready())
        return futures::Ok(futures::AsyncSink<Chunk>::NotReady(std::move(chunk)));
    }
    pending_ = std::move(chunk);
    written_ = 0;
    return futures::Ok(futures::AsyncSink<Chunk>::Ready());
  }

  futures::Poll<futures::Unit, tokio::io::Error> poll_complete() {
    while (written_ < pending_.size()) {
      const std::size_t n =
          FUTURES_TRY_READY(io_.poll_write(std::span(pending_).subspan(written_)));
      if (n == 0)
        return futures::Err(tokio::io::Error(tokio::io::ErrorKind::WriteZero,
                                             "failed to write frame to transport"));
      written_ += n;
    }
    return io_.poll_flush();
  }

  futures::Poll<futures::Unit, tokio::io::Error> close() {
    FUTURES_TRY_READY(poll_complete());
    return io_.shutdown();
  }

 private:
  tokio::net::TcpStream io_;
  Chunk pending_;
  std::size_t written_ = 0;
};

/// The stand-in for `UdpFramed::new(udp, Bytes)`: a Stream of (datagram, sender) and a
/// Sink of (datagram, destination).
class UdpBytesFramed : public futures::StreamExt<UdpBytesFramed>,
                       public futures::SinkExt<UdpBytesFramed> {
 public:
  using Item = std::tuple<Chunk, tokio::net::SocketAddr>;
  using Error = tokio::io::Error;
  using SinkItem = std::tuple<Chunk, tokio::net::SocketAddr>;
  using SinkError = tokio::io::Error;

  explicit UdpBytesFramed(tokio::net::UdpSocket socket) : socket_(std::move(socket)) {}

  futures::Poll<std::optional<Item>, tokio::io::Error> poll() {
    Chunk buf(64 * 1024);
    auto [n, from] = FUTURES_TRY_READY(socket_.poll_recv_from(buf));
    buf.resize(n);
    return futures::Ready(std::optional<Item>(Item(std::move(buf), from)));
  }

  futures::StartSend<SinkItem, tokio::io::Error> start_send(SinkItem item) {
    if (pending_) {
      auto flushed = poll_complete();
      if (flushed.is_err()) return futures::Err(flushed.unwrap_err());
      if (flushed.unwrap().is_not_ready())
        return futures::Ok(futures::AsyncSink<SinkItem>::NotReady(std::move(item)));
    }
    pending_ = std::move(item);
    return futures::Ok(futures::AsyncSink<SinkItem>::Ready());
  }

  futures::Poll<futures::Unit, tokio::io::Error> poll_complete() {
    if (!pending_) return futures::Ready(futures::Unit{});
    const auto& [chunk, target] = *pending_;
    const std::size_t n = FUTURES_TRY_READY(socket_.poll_send_to(chunk, target));
    const bool whole = n == chunk.size();
    pending_.reset();
    if (!whole)
      return futures::Err(tokio::io::Error(tokio::io::ErrorKind::Other,
                                           "failed to write entire datagram to socket"));
    return futures::Ready(futures::Unit{});
  }

  futures::Poll<futures::Unit, tokio::io::Error> close() { return poll_complete(); }

 private:
  tokio::net::UdpSocket socket_;
  std::optional<SinkItem> pending_;
};

}  // namespace codec

using StdinStream = futures::BoxStream<Chunk, tokio::io::Error>;
using ChunkStream = futures::BoxStream<Chunk, tokio::io::Error>;

namespace tcp {

// Rust returns Result<Box<Stream>, Box<Error>>; the error is a message for main to print.
using Connected = futures::Result<ChunkStream, std::string>;

Connected connect(const tokio::net::SocketAddr& addr, StdinStream stdin_rx) {
  auto tcp = tokio::net::TcpStream::connect(addr);

  // After the TCP connection has been established, we set up our client to start
  // forwarding data.
  //
  // Half of the work we're going to do is to take all data we receive on `stdin` and
  // send that along the TCP stream (`sink`). The second half is to take all the data we
  // receive (`stream`) and then write that to stdout. We'll be passing this handle back
  // out from this method.
  //
  // You'll also note that we *spawn* the work to read stdin and write it to the TCP
  // stream. This is done to ensure that happens concurrently with us reading data from
  // the stream.
  return futures::Ok(
      std::move(tcp)
          .map([stdin_rx = std::move(stdin_rx)](tokio::net::TcpStream stream) mutable {
            auto [sink, chunks] = codec::BytesFramed(std::move(stream)).split();

            tokio::spawn(std::move(stdin_rx).forward(std::move(sink)).then([](const auto& result) {
              if (result.is_err())
                fmt::print("failed to write to socket: {}\n", result.unwrap_err_ref());
            }));

            return std::move(chunks);
          })
          .flatten_stream()
          .boxed());
}

}  // namespace tcp

namespace udp {

using Connected = futures::Result<ChunkStream, std::string>;

Connected connect(const tokio::net::SocketAddr& addr, StdinStream stdin_rx) {
  // We'll bind our UDP socket to a local IP/port, but for now we basically let the OS
  // pick both of those.
  const auto addr_to_bind =
      tokio::net::SocketAddr::parse(addr.ip().is_ipv4() ? "0.0.0.0:0" : "[::]:0").unwrap();
  auto udp = tokio::net::UdpSocket::bind(addr_to_bind);
  if (udp.is_err()) return futures::Err(std::string("failed to bind socket"));

  // Like above with TCP we use a "Bytes" framing to transform this UDP socket into a
  // framed sink/stream which operates over discrete values. In this case we're working
  // with *pairs* of byte buffers and socket addresses.
  auto [sink, stream] = codec::UdpBytesFramed(std::move(udp).unwrap()).split();

  // All bytes from `stdin` will go to the `addr` specified in our argument list. Like
  // with TCP this is spawned concurrently.
  auto forward_stdin =
      std::move(stdin_rx)
          .map([addr](Chunk chunk) {
            return std::tuple<Chunk, tokio::net::SocketAddr>(std::move(chunk), addr);
          })
          .forward(std::move(sink))
          .then([](const auto& result) {
            if (result.is_err())
              fmt::print("failed to write to socket: {}\n", result.unwrap_err_ref());
          });

  // With UDP we could receive data from any source, so filter out anything coming from
  // a different address.
  auto receive =
      std::move(stream).filter_map([addr](std::tuple<Chunk, tokio::net::SocketAddr> datagram) {
        auto& [chunk, src] = datagram;
        return src == addr ? std::optional<Chunk>(std::move(chunk)) : std::nullopt;
      });

  return futures::Ok(
      futures::future::lazy(
          [forward_stdin = std::move(forward_stdin), receive = std::move(receive)]() mutable {
            tokio::spawn(std::move(forward_stdin));
            return futures::future::ok<decltype(receive), tokio::io::Error>(std::move(receive));
          })
          .flatten_stream()
          .boxed());
}

}  // namespace udp

// Our helper function which will read data from stdin and send it along the sender
// provided.
void read_stdin(futures::sync::mpsc::Sender<Chunk> tx) {
  for (;;) {
    Chunk buf(1024);
    const ssize_t n = ::read(STDIN_FILENO, buf.data(), buf.size());
    if (n <= 0) break;
    buf.resize(static_cast<std::size_t>(n));
    auto sent = std::move(tx).send(std::move(buf)).wait();
    if (sent.is_err()) break;
    tx = std::move(sent).unwrap();
  }
}

int main(int argc, char** argv) {
  // Determine if we're going to run in TCP or UDP mode
  std::vector<std::string> args(argv + std::min(argc, 1), argv + argc);
  bool tcp = true;
  if (auto i = std::find(args.begin(), args.end(), "--udp"); i != args.end()) {
    args.erase(i);
    tcp = false;
  }

  // Parse what address we're going to connect to
  if (args.empty()) {
    fmt::print(stderr, "Error: this program requires at least one argument\n");
    return 1;
  }
  auto parsed = tokio::net::SocketAddr::parse(args.front());
  if (parsed.is_err()) {
    fmt::print(stderr, "Error: {}\n", parsed.unwrap_err());
    return 1;
  }
  const auto addr = parsed.unwrap();

  // Right now Tokio doesn't support a handle to stdin running on the event loop, so we
  // farm out that work to a separate thread. This thread will read data (with blocking
  // I/O) from stdin and then send it to the event loop over a standard futures channel.
  auto [stdin_tx, stdin_rx] = futures::sync::mpsc::channel<Chunk>(0);
  std::thread(read_stdin, std::move(stdin_tx)).detach();
  auto stdin_stream = std::move(stdin_rx)
                          .map_err([](futures::Unit) -> tokio::io::Error {
                            throw std::logic_error("errors not possible on rx");
                          })
                          .boxed();

  // Now that we've got our stdin read we either set up our TCP connection or our UDP
  // connection to get a stream of bytes we're going to emit to stdout.
  auto connected = tcp ? tcp::connect(addr, std::move(stdin_stream))
                       : udp::connect(addr, std::move(stdin_stream));
  if (connected.is_err()) {
    fmt::print(stderr, "Error: {}\n", connected.unwrap_err());
    return 1;
  }
  ChunkStream stdout_chunks = std::move(connected).unwrap();

  // And now with our stream of bytes to write to stdout, we execute that in the event
  // loop! Note that this is doing blocking I/O to emit data to stdout, and in general
  // it's a no-no to do that sort of work on the event loop. In this case, though, we
  // know it's ok as the event loop isn't otherwise running anything useful.
  tokio::run(
      std::move(stdout_chunks)
          .for_each([](const Chunk& chunk) -> futures::Result<futures::Unit, tokio::io::Error> {
            if (std::fwrite(chunk.data(), 1, chunk.size(), stdout) != chunk.size() ||
                std::fflush(stdout) != 0) {
              return futures::Err(
                  tokio::io::Error(tokio::io::ErrorKind::Other, "failed to write to stdout"));
            }
            return futures::Ok();
          })
          .map_err([](const tokio::io::Error& e) {
            fmt::print("error reading stdout; error = {}\n", e);
          }));
  return 0;
}
