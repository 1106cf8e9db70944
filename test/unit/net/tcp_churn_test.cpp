// Fault test (issue 5): 10,000 connections opened, echoed and closed with no leaked fd.
// An echo server and its clients run on one Runtime; clients go in batches of 100
// concurrent connections, each writes an 8-byte sequence number, reads it back and
// checks it, then closes. The open fds (/proc/self/fd) are counted before the runtime
// is built and after it is shut down and dropped: they must match. Loopback only.
// Under ThreadSanitizer the count is scaled down to 2,000 (to stay well under 60 s).
#include <tokio/executor.hpp>
#include <tokio/io/read_exact.hpp>
#include <tokio/io/write_all.hpp>
#include <tokio/net.hpp>
#include <tokio/reactor.hpp>
#include <tokio/runtime.hpp>

#include <futures/future.hpp>
#include <futures/stream.hpp>

#include <gtest/gtest.h>

#include "unit/net/tcp_test_peer.hpp"

#include <dirent.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

namespace tcp_churn_test {

using tcp_test::loopback;
using tokio::net::TcpListener;
using tokio::net::TcpStream;

// ASan + UBSan at -O1 does all 10,000 in ~3 s; ThreadSanitizer is far slower.
#if defined(__SANITIZE_THREAD__)
constexpr int kConnections = 2'000;
#else
constexpr int kConnections = 10'000;
#endif
constexpr int kBatch = 100;

int open_fds() {
  int count = 0;
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return -1;
  while (dirent* entry = ::readdir(dir))
    if (entry->d_name[0] != '.') ++count;
  ::closedir(dir);
  return count - 1;  // the directory's own fd
}

std::vector<std::uint8_t> encode(std::uint64_t n) {
  std::vector<std::uint8_t> bytes(8);
  std::memcpy(bytes.data(), &n, sizeof n);
  return bytes;
}

// One client: connect, write the sequence number, read it back, check, close.
auto client(tokio::net::SocketAddr addr, std::uint64_t seq, std::atomic<int>* echoed) {
  return TcpStream::connect(addr)
      .and_then([seq](TcpStream s) { return tokio::io::write_all(std::move(s), encode(seq)); })
      .and_then([](auto written) {
        auto [s, buf] = std::move(written);
        return tokio::io::read_exact(std::move(s), std::vector<std::uint8_t>(8));
      })
      .map([seq, echoed](auto read) {
        if (std::get<1>(read) == encode(seq)) echoed->fetch_add(1);
        return futures::Unit{};
      })
      .map_err([](const tokio::io::Error& e) {
        ADD_FAILURE() << "client: " << e;
        return e;
      });
}

enum class Flavor { ThreadPool, CurrentThread };

template <class Runtime>
void churn(Runtime& rt, std::atomic<int>& echoed, std::atomic<int>& served) {
  auto listener = TcpListener::bind(loopback()).unwrap();
  const tokio::net::SocketAddr addr = listener.local_addr().unwrap();
  // The echo server: read 8 bytes, write them back, close.
  rt.spawn(std::move(listener)
               .incoming()
               .map_err([](const tokio::io::Error& e) { ADD_FAILURE() << "accept: " << e; })
               .for_each([&served](TcpStream s) {
                 auto echo =
                     tokio::io::read_exact(std::move(s), std::vector<std::uint8_t>(8))
                         .and_then([](auto read) {
                           auto [s, buf] = std::move(read);
                           return tokio::io::write_all(std::move(s), std::move(buf));
                         })
                         .then([&served](const auto& r) {
                           if (r.is_ok()) served.fetch_add(1);
                           return futures::Result<futures::Unit, futures::Unit>(futures::Ok());
                         });
                 tokio::spawn(std::move(echo));
                 return futures::future::ok<futures::Unit, futures::Unit>(futures::Unit{});
               }));
  for (int start = 0; start < kConnections; start += kBatch) {
    std::vector<decltype(client(addr, 0, &echoed))> batch;
    for (int i = start; i < start + kBatch && i < kConnections; ++i)
      batch.push_back(client(addr, static_cast<std::uint64_t>(i), &echoed));
    auto done = rt.block_on(futures::future::join_all(std::move(batch)));
    ASSERT_TRUE(done.is_ok()) << "batch at " << start << ": " << done.unwrap_err_ref();
  }
}

class TcpChurn : public ::testing::TestWithParam<Flavor> {};

TEST_P(TcpChurn, ten_thousand_connections_leak_no_fd) {
  // The global fallback reactor (2 fds, never closed) starts now if it has not yet, so
  // it cannot show up as a leak.
  (void)tokio::reactor::Handle::current();
  const int before = open_fds();
  ASSERT_GT(before, 0);
  std::atomic<int> echoed{0};
  std::atomic<int> served{0};
  const auto started = std::chrono::steady_clock::now();
  if (GetParam() == Flavor::ThreadPool) {
    auto rt = tokio::runtime::Runtime::create().unwrap();
    churn(rt, echoed, served);
    (void)std::move(rt).shutdown_now().wait();
  } else {
    auto rt = tokio::runtime::current_thread::Runtime::create().unwrap();
    churn(rt, echoed, served);
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const int after = open_fds();
  std::printf(
      "[ measure ] churn (%s): %d connections echoed in %.2f s (%.0f conn/s); fds before %d, after "
      "%d\n",
      GetParam() == Flavor::ThreadPool ? "threadpool" : "current_thread", echoed.load(), secs,
      echoed.load() / secs, before, after);
  EXPECT_EQ(echoed.load(), kConnections);
  EXPECT_EQ(served.load(), kConnections);
  EXPECT_EQ(after, before) << "fds leaked";
}

INSTANTIATE_TEST_SUITE_P(Runtimes, TcpChurn,
                         ::testing::Values(Flavor::ThreadPool, Flavor::CurrentThread),
                         [](const auto& info) {
                           return std::string(info.param == Flavor::ThreadPool ? "threadpool"
                                                                               : "current_thread");
                         });

}  // namespace tcp_churn_test
