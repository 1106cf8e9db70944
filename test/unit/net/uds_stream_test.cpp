// Port of tokio-uds 0.2 `tests/stream.rs` (echo) and `src/ucred.rs`'s test, plus:
// half-close in each direction, listener path reuse, split halves, connect errors,
// writes to a closed peer (EPIPE, never SIGPIPE), addresses.
#include <tokio/io.hpp>
#include <tokio/net/unix.hpp>
#include <tokio/runtime/current_thread.hpp>

#include <futures/future_ext.hpp>
#include <futures/stream_ext.hpp>
#include <futures/sync/oneshot.hpp>

#include <gtest/gtest.h>

#include "support/bounded_wait.hpp"
#include "uds_temp_dir.hpp"

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace uds_stream_test {

using tokio::net::UnixListener;
using tokio::net::UnixStream;
using tokio::net::unix::Shutdown;
using uds_test::TempDir;
namespace io = tokio::io;

std::vector<std::uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }

template <class F>
auto wait(F future) {
  auto done = futures_test::wait_for(future, std::chrono::seconds(20));
  if (!done) ADD_FAILURE() << "future did not complete within 20 s";
  return std::move(*done);
}

TEST(Stream, echo) {
  TempDir dir;
  const auto sock_path = dir.join("connect.sock");
  auto rt = tokio::runtime::current_thread::Runtime::create().unwrap();

  auto server = UnixListener::bind(sock_path).unwrap();
  auto [tx, rx] = futures::sync::oneshot::channel<UnixStream>();
  rt.spawn(std::move(server)
               .incoming()
               .into_future()
               .map([tx = std::move(tx)](std::optional<UnixStream> sock, auto&&) mutable {
                 (void)std::move(tx).send(std::move(*sock));
               })
               .map_err([](auto&&) { ADD_FAILURE() << "accept failed"; }));

  auto client = rt.block_on(UnixStream::connect(sock_path)).unwrap();
  auto accepted = rt.block_on(std::move(rx)).unwrap();

  rt.block_on(io::write_all(std::move(client), bytes("hello"))).unwrap();
  auto [_, buf] = rt.block_on(io::read_to_end(std::move(accepted), {})).unwrap();
  EXPECT_EQ(buf, bytes("hello"));
}

TEST(Ucred, test_socket_pair) {
  auto [a, b] = UnixStream::pair().unwrap();
  const auto cred_a = a.peer_cred().unwrap();
  const auto cred_b = b.peer_cred().unwrap();
  EXPECT_EQ(cred_a, cred_b);
  EXPECT_EQ(cred_a.uid, ::geteuid());
  EXPECT_EQ(cred_a.gid, ::getegid());
}

// a shuts down writing: b reads what was sent, then end of stream, and can still write
// to a, which still reads.
TEST(UnixStream, half_close) {
  auto [a, b] = UnixStream::pair().unwrap();
  auto [a1, _sent] = wait(io::write_all(std::move(a), bytes("ping"))).unwrap();
  ASSERT_TRUE(a1.shutdown(Shutdown::Write).is_ok());
  EXPECT_TRUE(a1.shutdown(Shutdown::Write).is_ok()) << "a second shutdown is harmless";

  auto [b1, got] = wait(io::read_to_end(std::move(b), {})).unwrap();
  EXPECT_EQ(got, bytes("ping"));

  auto [b2, _] = wait(io::write_all(std::move(b1), bytes("pong"))).unwrap();
  auto [a2, reply] = wait(io::read_exact(std::move(a1), std::vector<std::uint8_t>(4))).unwrap();
  EXPECT_EQ(reply, bytes("pong"));

  // The AsyncWrite shutdown half-closes too: a then reads end of stream.
  auto b3 = wait(io::shutdown(std::move(b2))).unwrap();
  auto [a3, rest] = wait(io::read_to_end(std::move(a2), {})).unwrap();
  EXPECT_TRUE(rest.empty());
  (void)b3;
  (void)a3;
}

TEST(UnixStream, shutdown_read_gives_eof) {
  auto [a, b] = UnixStream::pair().unwrap();
  ASSERT_TRUE(a.shutdown(Shutdown::Read).is_ok());
  auto [a1, got] = wait(io::read_to_end(std::move(a), {})).unwrap();
  EXPECT_TRUE(got.empty());
  (void)b;
}

TEST(UnixListener, path_reuse) {
  TempDir dir;
  const auto path = dir.join("reuse.sock");
  {
    auto first = UnixListener::bind(path).unwrap();
    auto again = UnixListener::bind(path);
    ASSERT_TRUE(again.is_err());
    EXPECT_EQ(again.unwrap_err().kind(), io::ErrorKind::AddrInUse);
  }
  // As in Rust, dropping the listener leaves its file; the path is free once removed.
  EXPECT_TRUE(std::filesystem::exists(path));
  auto stale = UnixListener::bind(path);
  ASSERT_TRUE(stale.is_err());
  EXPECT_EQ(stale.unwrap_err().kind(), io::ErrorKind::AddrInUse);
  // Connecting to the stale file is refused.
  auto refused = wait(UnixStream::connect(path));
  ASSERT_TRUE(refused.is_err());
  EXPECT_EQ(refused.unwrap_err().kind(), io::ErrorKind::ConnectionRefused);

  std::filesystem::remove(path);
  auto listener = UnixListener::bind(path).unwrap();
  auto client = wait(UnixStream::connect(path)).unwrap();
  auto [server, _] = wait(std::move(listener).incoming().into_future()).unwrap();
  ASSERT_TRUE(server.has_value());
  auto [c1, _w] = wait(io::write_all(std::move(client), bytes("x"))).unwrap();
  auto [s1, got] = wait(io::read_exact(std::move(*server), std::vector<std::uint8_t>(1))).unwrap();
  EXPECT_EQ(got, bytes("x"));
}

TEST(UnixListener, incoming_accepts_many) {
  TempDir dir;
  const auto path = dir.join("many.sock");
  auto listener = UnixListener::bind(path).unwrap();
  std::vector<UnixStream> clients;
  for (int i = 0; i < 3; ++i) clients.push_back(wait(UnixStream::connect(path)).unwrap());
  auto accepted = wait(std::move(listener).incoming().take(3).collect()).unwrap();
  ASSERT_EQ(accepted.size(), 3u);
  for (auto& s : accepted) EXPECT_TRUE(s.peer_addr().unwrap().is_unnamed());
}

TEST(UnixStream, connect_to_missing_path) {
  TempDir dir;
  auto missing = wait(UnixStream::connect(dir.join("nobody.sock")));
  ASSERT_TRUE(missing.is_err());
  EXPECT_EQ(missing.unwrap_err().kind(), io::ErrorKind::NotFound);
}

TEST(UnixStream, addresses) {
  TempDir dir;
  const auto path = dir.join("addr.sock");
  auto listener = UnixListener::bind(path).unwrap();
  const auto listen_addr = listener.local_addr().unwrap();
  ASSERT_TRUE(listen_addr.as_pathname().has_value());
  EXPECT_EQ(listen_addr.as_pathname().value_or("").string(), path.string());

  auto client = wait(UnixStream::connect(path)).unwrap();
  const auto peer = client.peer_addr().unwrap();
  ASSERT_TRUE(peer.as_pathname().has_value());
  EXPECT_EQ(peer.as_pathname().value_or("").string(), path.string());
  EXPECT_TRUE(client.local_addr().unwrap().is_unnamed());
  EXPECT_TRUE(client.take_error().unwrap() == std::nullopt);
}

TEST(UnixStream, split_halves_echo) {
  auto [a, b] = UnixStream::pair().unwrap();
  auto [reader, writer] = std::move(b).split();
  // b echoes everything a sends until a shuts down writing.
  auto echo = io::copy(std::move(reader), std::move(writer));
  auto [a1, _] = wait(io::write_all(std::move(a), bytes("through the halves"))).unwrap();
  ASSERT_TRUE(a1.shutdown(Shutdown::Write).is_ok());
  auto copied = wait(std::move(echo)).unwrap();
  EXPECT_EQ(std::get<0>(copied), 18u);
  // The write half's AsyncWrite shutdown half-closes b, so a reads end of stream.
  auto closed = wait(io::shutdown(std::move(std::get<2>(copied)))).unwrap();
  (void)closed;
  auto [a2, back] = wait(io::read_to_end(std::move(a1), {})).unwrap();
  EXPECT_EQ(back, bytes("through the halves"));
}

// The process keeps the default SIGPIPE disposition: a write to a closed peer must be
// an error, not a signal.
TEST(UnixStream, write_to_closed_peer_no_sigpipe) {
  auto [a, b] = UnixStream::pair().unwrap();
  { auto dropped = std::move(b); }
  auto written = wait(io::write_all(std::move(a), std::vector<std::uint8_t>(4096, 7)));
  ASSERT_TRUE(written.is_err());
  EXPECT_EQ(written.unwrap_err().kind(), io::ErrorKind::BrokenPipe);
}

}  // namespace uds_stream_test
