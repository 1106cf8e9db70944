// tokio::mio::unix::{UnixStream, UnixListener, UnixDatagram}: socket files live in a
// fresh temporary directory removed after each test; readiness awaited with a bounded
// poll(2). SIGPIPE stays at its default disposition.
#include <tokio/mio/evented.hpp>
#include <tokio/mio/unix/datagram.hpp>
#include <tokio/mio/unix/listener.hpp>
#include <tokio/mio/unix/stream.hpp>

#include "net_test_util.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>

namespace {

using namespace mio_net_test;
using tokio::io::ErrorKind;
using tokio::mio::net::Shutdown;
using tokio::mio::unix::SocketAddr;
using tokio::mio::unix::UnixDatagram;
using tokio::mio::unix::UnixListener;
using tokio::mio::unix::UnixStream;
namespace fs = std::filesystem;

static_assert(tokio::mio::Evented<UnixStream>);
static_assert(tokio::mio::Evented<UnixListener>);
static_assert(tokio::mio::Evented<UnixDatagram>);

class MioUdsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "tokio-uds-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path path(const char* name) const { return dir_ / name; }

  fs::path dir_;
};

std::string read_n(const UnixStream& s, std::size_t n) {
  std::string out;
  std::array<std::uint8_t, 256> buf{};
  while (out.size() < n) {
    auto r = s.read(std::span(buf).first(std::min(buf.size(), n - out.size())));
    if (r.is_err()) {
      EXPECT_TRUE(r.unwrap_err().is_would_block()) << r.unwrap_err();
      if (!wait_readable(s.as_raw_fd())) break;
      continue;
    }
    if (r.unwrap() == 0) break;
    out += text(std::span(buf).first(r.unwrap()));
  }
  return out;
}

TEST_F(MioUdsTest, PairEcho) {
  auto [a, b] = UnixStream::pair().unwrap();
  EXPECT_EQ(a.write(bytes("ping")).unwrap(), 4u);
  EXPECT_EQ(read_n(b, 4), "ping");
  EXPECT_EQ(b.write(bytes("pong")).unwrap(), 4u);
  EXPECT_EQ(read_n(a, 4), "pong");
  EXPECT_TRUE(a.local_addr().unwrap().is_unnamed());
  EXPECT_TRUE(a.peer_addr().unwrap().is_unnamed());

  auto cred = a.peer_cred().unwrap();
  EXPECT_EQ(cred.uid, ::getuid());
  EXPECT_EQ(cred.gid, ::getgid());
  EXPECT_EQ(cred.pid, ::getpid());
}

TEST_F(MioUdsTest, EmptyReadIsWouldBlockThenEofAfterClose) {
  auto [a, b] = UnixStream::pair().unwrap();
  std::array<std::uint8_t, 8> buf{};
  auto r = a.read(buf);
  ASSERT_TRUE(r.is_err());
  EXPECT_EQ(r.unwrap_err().kind(), ErrorKind::WouldBlock);
  { UnixStream gone = std::move(b); }
  ASSERT_TRUE(wait_readable(a.as_raw_fd()));
  EXPECT_EQ(a.read(buf).unwrap(), 0u);
}

TEST_F(MioUdsTest, ShutdownWriteGivesEofAndWriteToClosedPeerIsBrokenPipe) {
  auto [a, b] = UnixStream::pair().unwrap();
  ASSERT_TRUE(a.shutdown(Shutdown::Write).is_ok());
  ASSERT_TRUE(wait_readable(b.as_raw_fd()));
  std::array<std::uint8_t, 8> buf{};
  EXPECT_EQ(b.read(buf).unwrap(), 0u);
  EXPECT_EQ(b.write(bytes("back")).unwrap(), 4u);
  EXPECT_EQ(read_n(a, 4), "back");

  { UnixStream gone = std::move(b); }
  for (auto r : {a.write(bytes("x")), a.writev(std::array<std::span<const std::uint8_t>, 1>{bytes("y")})}) {
    ASSERT_TRUE(r.is_err());
    EXPECT_EQ(r.unwrap_err().kind(), ErrorKind::BrokenPipe) << r.unwrap_err();
  }
}

TEST_F(MioUdsTest, ListenerAcceptConnectEcho) {
  const fs::path p = path("listener.sock");
  auto listener = UnixListener::bind(p).unwrap();
  EXPECT_TRUE(fs::exists(p));
  EXPECT_EQ(listener.local_addr().unwrap().as_pathname(), p);
  auto none = listener.accept();
  ASSERT_TRUE(none.is_err());
  EXPECT_TRUE(none.unwrap_err().is_would_block());

  auto client = UnixStream::connect(p).unwrap();
  ASSERT_TRUE(wait_readable(listener.as_raw_fd()));
  auto [server, peer] = listener.accept().unwrap();
  EXPECT_TRUE(peer.is_unnamed());
  ASSERT_TRUE(wait_writable(client.as_raw_fd()));
  EXPECT_EQ(client.take_error().unwrap(), std::nullopt);
  EXPECT_EQ(client.peer_addr().unwrap().as_pathname(), p);
  EXPECT_EQ(server.local_addr().unwrap().as_pathname(), p);

  EXPECT_EQ(client.write(bytes("over uds")).unwrap(), 8u);
  EXPECT_EQ(read_n(server, 8), "over uds");
  EXPECT_EQ(server.write(bytes("back")).unwrap(), 4u);
  EXPECT_EQ(read_n(client, 4), "back");
}

// As in Rust, the socket file outlives the listener: binding again fails until the
// caller removes it.
TEST_F(MioUdsTest, ListenerPathCleanup) {
  const fs::path p = path("reuse.sock");
  { auto listener = UnixListener::bind(p).unwrap(); }
  EXPECT_TRUE(fs::exists(p));
  auto again = UnixListener::bind(p);
  ASSERT_TRUE(again.is_err());
  EXPECT_EQ(again.unwrap_err().kind(), ErrorKind::AddrInUse);
  ASSERT_TRUE(fs::remove(p));
  auto fresh = UnixListener::bind(p);
  EXPECT_TRUE(fresh.is_ok());
}

TEST_F(MioUdsTest, ConnectToMissingPathFails) {
  auto r = UnixStream::connect(path("nobody-here.sock"));
  ASSERT_TRUE(r.is_err());
  EXPECT_EQ(r.unwrap_err().kind(), ErrorKind::NotFound);
  // A path too long for sun_path is rejected before any syscall.
  auto long_path = UnixStream::connect(dir_ / std::string(200, 'x'));
  ASSERT_TRUE(long_path.is_err());
  EXPECT_EQ(long_path.unwrap_err().kind(), ErrorKind::InvalidInput);
}

TEST_F(MioUdsTest, ConnectToClosedListenerIsRefused) {
  const fs::path p = path("closed.sock");
  { auto listener = UnixListener::bind(p).unwrap(); }
  auto r = UnixStream::connect(p);
  ASSERT_TRUE(r.is_err());
  EXPECT_EQ(r.unwrap_err().kind(), ErrorKind::ConnectionRefused);
}

TEST_F(MioUdsTest, AbstractNamespace) {
  const std::string name = "tokio-cpp-test-" + std::to_string(::getpid());
  auto listener = UnixListener::bind_addr(SocketAddr::from_abstract_name(name)).unwrap();
  EXPECT_EQ(listener.local_addr().unwrap().as_abstract_name(), name);
  auto client = UnixStream::connect_addr(SocketAddr::from_abstract_name(name)).unwrap();
  ASSERT_TRUE(wait_readable(listener.as_raw_fd()));
  EXPECT_TRUE(listener.accept().is_ok());
}

TEST_F(MioUdsTest, DatagramPair) {
  auto [a, b] = UnixDatagram::pair().unwrap();
  EXPECT_EQ(a.send(bytes("one")).unwrap(), 3u);
  EXPECT_EQ(a.send(bytes("two!")).unwrap(), 4u);
  ASSERT_TRUE(wait_readable(b.as_raw_fd()));
  std::array<std::uint8_t, 16> buf{};
  EXPECT_EQ(b.recv(buf).unwrap(), 3u);  // datagram boundaries are kept
  EXPECT_EQ(text(std::span(buf).first(3)), "one");
  auto [n, from] = b.recv_from(buf).unwrap();
  EXPECT_EQ(n, 4u);
  EXPECT_TRUE(from.is_unnamed());
  auto empty = b.recv(buf);
  ASSERT_TRUE(empty.is_err());
  EXPECT_TRUE(empty.unwrap_err().is_would_block());
}

TEST_F(MioUdsTest, DatagramBindSendToRecvFrom) {
  const fs::path pa = path("a.sock");
  const fs::path pb = path("b.sock");
  auto a = UnixDatagram::bind(pa).unwrap();
  auto b = UnixDatagram::bind(pb).unwrap();
  EXPECT_EQ(a.local_addr().unwrap().as_pathname(), pa);
  EXPECT_EQ(a.send_to(bytes("hello"), pb).unwrap(), 5u);
  ASSERT_TRUE(wait_readable(b.as_raw_fd()));
  std::array<std::uint8_t, 16> buf{};
  auto [n, from] = b.recv_from(buf).unwrap();
  EXPECT_EQ(text(std::span(buf).first(n)), "hello");
  EXPECT_EQ(from.as_pathname(), pa);

  // An unbound socket sends from an unnamed address; connect fixes its destination.
  auto u = UnixDatagram::unbound().unwrap();
  ASSERT_TRUE(u.connect(pb).is_ok());
  EXPECT_EQ(u.peer_addr().unwrap().as_pathname(), pb);
  EXPECT_EQ(u.send(bytes("anon")).unwrap(), 4u);
  ASSERT_TRUE(wait_readable(b.as_raw_fd()));
  auto [m, anon] = b.recv_from(buf).unwrap();
  EXPECT_EQ(m, 4u);
  EXPECT_TRUE(anon.is_unnamed());
  EXPECT_EQ(u.take_error().unwrap(), std::nullopt);
  EXPECT_TRUE(u.shutdown(Shutdown::Both).is_ok());
}

TEST_F(MioUdsTest, SocketAddrPrintsAsRustDebug) {
  std::ostringstream os;
  os << SocketAddr() << ' ' << SocketAddr::from_pathname("/tmp/s") << ' ' << SocketAddr::from_abstract_name("n");
  EXPECT_EQ(os.str(), "(unnamed) \"/tmp/s\" (pathname) \"n\" (abstract)");
  EXPECT_EQ(SocketAddr::from_pathname("/x"), SocketAddr::from_pathname("/x"));
  EXPECT_NE(SocketAddr::from_pathname("x"), SocketAddr::from_abstract_name("x"));
}

}  // namespace
