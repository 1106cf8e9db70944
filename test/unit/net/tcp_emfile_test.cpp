// Fault test for the accept back-off (RELIABILITY.md row 6, issue 5: "EMFILE on accept
// under a low fd limit"). The process runs out of fds (the soft RLIMIT_NOFILE lowered,
// then filled with dup()), a client connects from a socket made beforehand, and a server
// that keeps polling after every accept error (the loop that spins without a back-off)
// counts its accept errors; then the fds are freed and the pending client must be
// accepted (TCP, and a Unix listener once). Run on a current_thread Runtime, on the thread-pool
// Runtime (per-worker reactors) and on the fallback background reactor, each on both backends
// (meson runs the binary again with TOKIO_IO_BACKEND=poll).
//
// Timing is not asserted (benchmarks check timing goals): the error COUNT over the
// observation window is bounded generously (without the back-off it is in the
// hundreds of thousands) and the accept after freeing fds has a 5 s bound. The measured
// figures are printed as "[ measure ]" lines:
//     build/test/net_fault_test --gtest_filter='TcpEmfile*'
#include <tokio/net.hpp>
#include <tokio/runtime.hpp>

#include <futures/future.hpp>

#include <gtest/gtest.h>

#include "unit/net/tcp_test_peer.hpp"
#include "unit/net/uds_temp_dir.hpp"

#include <dirent.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#ifdef NET_FAULT_UBSAN_SUPPRESSIONS
// UBSan's vptr check needs a free fd (net_fault_ubsan.supp says why): skip it here.
extern "C" const char* __ubsan_default_options() {
  return "suppressions=" NET_FAULT_UBSAN_SUPPRESSIONS;
}
#endif

namespace tcp_emfile_test {

#ifdef NET_FAULT_UBSAN_SUPPRESSIONS
// UBSan reads its suppressions file at its first report, which would otherwise come
// while every fd is taken (and fail). A deliberate, suppressed vptr report (a downcast
// to the wrong type, never used) makes it read the file while fds are free.
struct PrimeBase {
  virtual ~PrimeBase() = default;
};
struct PrimeOne : PrimeBase {};
struct PrimeTwo : PrimeBase {};
void prime_ubsan_suppressions() {
  static const bool primed = [] {
    PrimeOne one;
    PrimeBase* volatile base = &one;
    auto* wrong = static_cast<PrimeTwo*>(base);
    return wrong != nullptr;
  }();
  (void)primed;
}
#else
void prime_ubsan_suppressions() {}
#endif

using Clock = std::chrono::steady_clock;
using tcp_test::loopback;
using tokio::net::TcpListener;
using tokio::net::TcpStream;

// Without a back-off the server loop below reaches this within milliseconds; with it,
// a handful per window. Hitting it ends the server with an error (instead of a hang).
constexpr int kSpinLimit = 100'000;
// Not a multiple of the 50 ms back-off, so the printed accept latency after freeing
// the fds is a typical one (~25 ms), not one that happens to line up with a retry.
constexpr std::chrono::milliseconds kWindow{325};
// 20 tries a second over the window, plus the first error and generous slack for
// connection edges and scheduling.
constexpr int kMaxErrorsInWindow = static_cast<int>(20 * kWindow.count() / 1000) + 1 + 6;

const char* backend() {
  const char* b = std::getenv("TOKIO_IO_BACKEND");
  return b != nullptr ? b : "default";
}

int highest_open_fd() {
  int highest = 2;
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return 1024;
  while (dirent* entry = ::readdir(dir)) {
    const int fd = std::atoi(entry->d_name);
    if (fd > highest) highest = fd;
  }
  ::closedir(dir);
  return highest;
}

// Lowers the soft fd limit to just above the fds in use and fills every free fd below
// it; the destructor frees them and restores the limit (also when an assert fails).
class FdHog {
 public:
  FdHog() {
    // The process-wide fallback reactor starts on first use and needs fds of its own: a
    // socket first polled by a thread with no default reactor (the thread pool's
    // block_on thread) would otherwise try to start it while no fd is left.
    (void)tokio::reactor::Handle::current();
    ::getrlimit(RLIMIT_NOFILE, &saved_);
    rlimit low = saved_;
    low.rlim_cur = static_cast<rlim_t>(highest_open_fd() + 32);
    if (low.rlim_cur < saved_.rlim_cur) lowered_ = ::setrlimit(RLIMIT_NOFILE, &low) == 0;
    top_up();
  }

  /// Takes every fd freed since. Another thread may have held one for a moment while
  /// the constructor ran (a runtime library reading a /proc file, say): the accept would
  /// then succeed. Once, under ASan in CI, it did ("0 accept errors"); cause not found.
  void top_up() {
    for (;;) {
      const int fd = ::dup(0);
      if (fd < 0) {
        exhausted_ = errno == EMFILE;
        break;
      }
      fds_.push_back(fd);
      if (fds_.size() > 100'000) break;  // no limit in force: give up
    }
  }
  FdHog(const FdHog&) = delete;
  FdHog& operator=(const FdHog&) = delete;
  ~FdHog() { release(); }

  bool exhausted() const { return exhausted_; }
  std::size_t held() const { return fds_.size(); }

  void release() {
    for (const int fd : fds_)
      ::close(fd);
    fds_.clear();
    if (lowered_) ::setrlimit(RLIMIT_NOFILE, &saved_);
    lowered_ = false;
  }

 private:
  rlimit saved_{};
  bool lowered_ = false;
  bool exhausted_ = false;
  std::vector<int> fds_;
};

// What the server loop reports to the test thread.
struct Shared {
  std::atomic<int> accept_errors{0};
  std::atomic<int> polls{0};  // task wakeups (first poll included)
  std::atomic<int> other_errors{0};
  std::mutex mu;
  std::condition_variable cv;
  bool first_poll = false;                       // guarded by mu
  std::optional<Clock::time_point> accepted_at;  // guarded by mu
};

// A server that logs and keeps going after an accept error: polls again at once, as a
// `poll_accept` loop or `incoming().then(...)` does. Completes after one accept.
template <class Listener>
struct AcceptUntilOne {
  using Item = futures::Unit;
  using Error = tokio::io::Error;

  Listener listener;
  Shared* shared;

  futures::Poll<Item, Error> poll() {
    shared->polls.fetch_add(1);
    {
      std::lock_guard lock(shared->mu);
      if (!shared->first_poll) {
        shared->first_poll = true;
        shared->cv.notify_all();
      }
    }
    for (;;) {
      auto r = listener.poll_accept();
      if (r.is_err()) {
        const tokio::io::Error e = std::move(r).unwrap_err();
        if (e.raw_os_error() != EMFILE && e.raw_os_error() != ENFILE)
          shared->other_errors.fetch_add(1);
        if (shared->accept_errors.fetch_add(1) + 1 >= kSpinLimit)
          return futures::Err(
              tokio::io::Error(tokio::io::ErrorKind::Other, "accept error loop spins"));
        continue;
      }
      auto ready = std::move(r).unwrap();
      if (ready.is_not_ready()) return futures::NotReady;
      std::lock_guard lock(shared->mu);
      shared->accepted_at = Clock::now();
      shared->cv.notify_all();
      return futures::Ready(futures::Unit{});  // the accepted stream closes here
    }
  }
};

enum class Driver { CurrentThread, ThreadPool, FallbackReactor };

const char* driver_name(Driver d) {
  switch (d) {
    case Driver::CurrentThread:
      return "current_thread";
    case Driver::ThreadPool:
      return "threadpool";
    case Driver::FallbackReactor:
      return "fallback_reactor";
  }
  return "?";
}

// The scenario: `listener` serves on a thread (driven by `driver`); the fds run out; the
// pre-made socket `client_fd` connects to `to`; the server's accept errors are counted
// over kWindow; the fds are freed and the pending client must be accepted.
template <class Listener>
void back_off_scenario(Driver driver, Listener listener, int client_fd, const sockaddr* to,
                       socklen_t to_len, const char* what) {
  prime_ubsan_suppressions();
  Shared shared;
  std::optional<futures::Result<futures::Unit, tokio::io::Error>> outcome;
  // The runtime (epoll fd, eventfd, threads) is built before the fds run out.
  std::thread server([&, listener = std::move(listener)]() mutable {
    AcceptUntilOne<Listener> fut{std::move(listener), &shared};
    switch (driver) {
      case Driver::CurrentThread: {
        auto rt = tokio::runtime::current_thread::Runtime::create().unwrap();
        outcome = rt.block_on(std::move(fut));
        break;
      }
      case Driver::ThreadPool: {
        auto rt = tokio::runtime::Runtime::create().unwrap();
        outcome = rt.block_on(std::move(fut));
        (void)std::move(rt).shutdown_now().wait();
        break;
      }
      case Driver::FallbackReactor:
        // No runtime: the listener registers with the global background reactor.
        outcome = futures::future::poll_fn([&fut] { return fut.poll(); }).wait();
        break;
    }
  });
  struct Joiner {
    std::thread& t;
    ~Joiner() {
      if (t.joinable()) t.join();
    }
  } joiner{server};

  {
    std::unique_lock lock(shared.mu);
    ASSERT_TRUE(
        shared.cv.wait_for(lock, std::chrono::seconds(10), [&] { return shared.first_poll; }));
  }

  FdHog hog;
  const std::size_t held_first = hog.held();
  std::this_thread::yield();
  hog.top_up();
  ASSERT_TRUE(hog.exhausted()) << "could not exhaust fds (held " << hog.held() << ")";
  if (hog.held() != held_first)
    std::printf("[ note    ] %zu fd(s) freed by another thread after the first exhaustion\n",
                hog.held() - held_first);
  ASSERT_EQ(::connect(client_fd, to, to_len), 0) << std::strerror(errno);

  // Observation window: the process stays out of fds, the connection stays queued.
  const int polls_before = shared.polls.load();
  std::this_thread::sleep_for(kWindow);
  const int errors_in_window = shared.accept_errors.load();
  const int polls_in_window = shared.polls.load() - polls_before;

  const Clock::time_point freed_at = Clock::now();
  hog.release();
  bool accepted = false;
  {
    std::unique_lock lock(shared.mu);
    accepted = shared.cv.wait_for(lock, std::chrono::seconds(5),
                                  [&] { return shared.accepted_at.has_value(); });
  }
  std::optional<double> latency_ms;
  if (accepted) {
    std::lock_guard lock(shared.mu);
    latency_ms = std::chrono::duration<double, std::milli>(*shared.accepted_at - freed_at).count();
  }
  // The first error comes with the connection; the retries after it are the back-off's.
  std::printf(
      "[ measure ] accept back-off (%s, %s, backend %s): %d accept errors (1 + %d retries, %.1f "
      "retries/s), "
      "%d task wakeups in %lld ms out of fds; pending client accepted %.1f ms after fds were "
      "freed\n",
      what, driver_name(driver), backend(), errors_in_window, errors_in_window - 1,
      (errors_in_window - 1) * 1000.0 / static_cast<double>(kWindow.count()), polls_in_window,
      static_cast<long long>(kWindow.count()), latency_ms.value_or(-1.0));

  EXPECT_GE(errors_in_window, 1) << "accept never failed: the fds were not exhausted";
  EXPECT_LE(errors_in_window, kMaxErrorsInWindow) << "accept retried without backing off";
  EXPECT_LE(polls_in_window, kMaxErrorsInWindow) << "the server task was woken without backing off";
  EXPECT_EQ(shared.other_errors.load(), 0);
  ASSERT_TRUE(accepted) << "the pending client was not accepted within 5 s of freeing fds";
  server.join();
  ASSERT_TRUE(outcome.has_value());
  EXPECT_TRUE(outcome->is_ok()) << outcome->unwrap_err_ref();
}

class TcpEmfile : public ::testing::TestWithParam<Driver> {};

TEST_P(TcpEmfile, backs_off_while_out_of_fds_and_accepts_once_freed) {
  auto listener = TcpListener::bind(loopback()).unwrap();
  const sockaddr_in to = tcp_test::to_sockaddr_v4(listener.local_addr().unwrap());
  // The client's socket exists before the fds run out; connect() needs no new fd.
  tcp_test::BlockingSocket client(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  ASSERT_GE(client.fd(), 0);
  back_off_scenario(GetParam(), std::move(listener), client.fd(),
                    reinterpret_cast<const sockaddr*>(&to), sizeof to, "tcp");
}

// UnixListener backs off the same way (lib/tokio/net/accept_backoff.hpp).
TEST(UnixEmfile, backs_off_while_out_of_fds_and_accepts_once_freed) {
  uds_test::TempDir dir;
  const std::filesystem::path path = dir.join("emfile.sock");
  auto listener = tokio::net::UnixListener::bind(path).unwrap();
  sockaddr_un to{};
  to.sun_family = AF_UNIX;
  std::strncpy(to.sun_path, path.c_str(), sizeof to.sun_path - 1);
  tcp_test::BlockingSocket client(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  ASSERT_GE(client.fd(), 0);
  back_off_scenario(Driver::CurrentThread, std::move(listener), client.fd(),
                    reinterpret_cast<const sockaddr*>(&to), sizeof to, "unix");
}

INSTANTIATE_TEST_SUITE_P(Drivers, TcpEmfile,
                         ::testing::Values(Driver::CurrentThread, Driver::ThreadPool,
                                           Driver::FallbackReactor),
                         [](const auto& info) { return std::string(driver_name(info.param)); });

// A listener dropped while its back-off is pending: the deferred wakeup finds a freed
// (maybe reused) slot and is dropped by the generation check; the reactor goes on.
TEST(TcpEmfileDeferred, listener_dropped_during_back_off) {
  auto rt = tokio::runtime::current_thread::Runtime::create().unwrap();
  auto listener = TcpListener::bind(loopback()).unwrap();
  const tokio::net::SocketAddr addr = listener.local_addr().unwrap();
  tcp_test::BlockingSocket client(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  ASSERT_GE(client.fd(), 0);

  // One poll registers the listener; then run out of fds, connect, and poll until the
  // first accept error (which schedules the deferred wakeup).
  auto first = futures::future::poll_fn([&]() -> futures::Poll<bool, tokio::io::Error> {
    auto r = listener.poll_accept();
    if (r.is_err()) return futures::Ready(true);
    if (std::move(r).unwrap().is_not_ready()) return futures::Ready(false);
    return futures::Ready(false);
  });
  ASSERT_FALSE(rt.block_on(std::move(first)).unwrap());
  prime_ubsan_suppressions();
  bool got_error = false;
  {
    FdHog hog;
    ASSERT_TRUE(hog.exhausted());
    sockaddr_in sa = tcp_test::to_sockaddr_v4(addr);
    ASSERT_EQ(::connect(client.fd(), reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
    auto until_error = futures::future::poll_fn([&]() -> futures::Poll<bool, tokio::io::Error> {
      auto r = listener.poll_accept();
      if (r.is_err()) return futures::Ready(true);
      if (std::move(r).unwrap().is_not_ready()) return futures::NotReady;
      return futures::Ready(false);
    });
    got_error = rt.block_on(std::move(until_error)).unwrap();
  }
  ASSERT_TRUE(got_error);
  { TcpListener dropped = std::move(listener); }

  // A new listener may take the freed slot; it must see only its own connection, and
  // the reactor must outlive the stale deadline (turns past it without trouble).
  auto fresh = TcpListener::bind(loopback()).unwrap();
  const tokio::net::SocketAddr fresh_addr = fresh.local_addr().unwrap();
  std::thread connector([fresh_addr] { auto s = tcp_test::BlockingSocket::connect(fresh_addr); });
  auto accept_one =
      futures::future::poll_fn([&]() -> futures::Poll<futures::Unit, tokio::io::Error> {
        auto r = fresh.poll_accept();
        if (r.is_err()) return futures::Err(std::move(r).unwrap_err());
        if (std::move(r).unwrap().is_not_ready()) return futures::NotReady;
        return futures::Ready(futures::Unit{});
      });
  auto accepted = rt.block_on(std::move(accept_one));
  connector.join();
  EXPECT_TRUE(accepted.is_ok()) << accepted.unwrap_err_ref();
}

}  // namespace tcp_emfile_test
