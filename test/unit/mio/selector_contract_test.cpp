// The backend contract (lib/tokio/mio/selector.hpp, docs/mio.md): every test runs on
// every backend, through the public Poll. A new backend is correct when this passes.
// Only pipes, socketpairs and eventfds: no dependency on the socket types.
#include <tokio/mio.hpp>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <set>
#include <thread>
#include <vector>

namespace mio_contract {

using namespace std::chrono_literals;
using tokio::mio::Events;
using tokio::mio::Poll;
using tokio::mio::PollOpt;
using tokio::mio::Ready;
using tokio::mio::Token;
using tokio::mio::unix::EventedFd;

// Generous: only a broken backend waits this long.
constexpr auto kDeadline = 10s;
// How long "no event" is watched for.
constexpr auto kQuiet = 30ms;

struct Fd {
  int fd = -1;
  explicit Fd(int f = -1) : fd(f) {}
  Fd(Fd&& o) noexcept : fd(o.fd) { o.fd = -1; }
  Fd& operator=(Fd&& o) noexcept {
    reset();
    fd = o.fd;
    o.fd = -1;
    return *this;
  }
  ~Fd() { reset(); }
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

struct Pipe {
  Fd r, w;
};
Pipe make_pipe() {
  int fds[2];
  EXPECT_EQ(::pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
  return {Fd(fds[0]), Fd(fds[1])};
}
Pipe make_socketpair() {
  int fds[2];
  EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds), 0);
  return {Fd(fds[0]), Fd(fds[1])};
}

void put(int fd, const char* s = "x") { ASSERT_GT(::write(fd, s, std::char_traits<char>::length(s)), 0); }
// Reads until WouldBlock; returns bytes read.
std::size_t drain(int fd) {
  char buf[4096];
  std::size_t total = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) {
      EXPECT_TRUE(n == 0 || errno == EAGAIN) << errno;
      return total;
    }
    total += static_cast<std::size_t>(n);
  }
}

class SelectorContract : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override { poll_ = std::make_unique<Poll>(Poll::create(GetParam()).unwrap()); }
  const tokio::mio::Registry& registry() { return poll_->registry(); }

  // Polls until an event for `token` arrives; returns its readiness (empty on deadline).
  Ready wait_for(Token token) {
    const auto deadline = std::chrono::steady_clock::now() + kDeadline;
    while (std::chrono::steady_clock::now() < deadline) {
      poll_->poll(events_, 100ms).unwrap();
      Ready seen;
      for (const auto& e : events_) {
        if (e.token() == token) seen |= e.readiness();
      }
      if (!seen.is_empty()) return seen;
    }
    ADD_FAILURE() << "no event for token " << token.value << " on " << GetParam();
    return Ready::empty();
  }
  // Polls for kQuiet; the readiness seen for `token` (empty if none).
  Ready quiet(Token token) {
    Ready seen;
    const auto until = std::chrono::steady_clock::now() + kQuiet;
    do {
      poll_->poll(events_, 10ms).unwrap();
      for (const auto& e : events_) {
        if (e.token() == token) seen |= e.readiness();
      }
    } while (std::chrono::steady_clock::now() < until);
    return seen;
  }

  std::unique_ptr<Poll> poll_;
  Events events_ = Events::with_capacity(64);
};

TEST_P(SelectorContract, reports_readable) {
  Pipe p = make_pipe();
  registry().register_(EventedFd(p.r.fd), Token{1}, Ready::readable(), PollOpt::edge()).unwrap();
  EXPECT_TRUE(quiet(Token{1}).is_empty());
  put(p.w.fd);
  EXPECT_TRUE(wait_for(Token{1}).is_readable());
}

TEST_P(SelectorContract, reports_writable_at_registration) {
  Pipe p = make_pipe();
  registry().register_(EventedFd(p.w.fd), Token{2}, Ready::writable(), PollOpt::edge()).unwrap();
  const Ready r = wait_for(Token{2});
  EXPECT_TRUE(r.is_writable());
  EXPECT_FALSE(r.is_readable());
}

TEST_P(SelectorContract, reports_hup_when_the_writer_closes) {
  Pipe p = make_pipe();
  registry().register_(EventedFd(p.r.fd), Token{3}, Ready::readable(), PollOpt::edge()).unwrap();
  p.w.reset();
  EXPECT_TRUE(wait_for(Token{3}).is_hup());
}

TEST_P(SelectorContract, reports_hup_and_readable_on_half_close) {
  Pipe s = make_socketpair();
  registry().register_(EventedFd(s.r.fd), Token{4}, Ready::readable() | Ready::writable(), PollOpt::edge()).unwrap();
  wait_for(Token{4});  // the initial writable
  ASSERT_EQ(::shutdown(s.w.fd, SHUT_WR), 0);
  const Ready r = wait_for(Token{4});
  EXPECT_TRUE(r.is_hup());
  EXPECT_TRUE(r.is_readable());
}

TEST_P(SelectorContract, reports_error_when_the_reader_closes) {
  Pipe p = make_pipe();
  registry().register_(EventedFd(p.w.fd), Token{5}, Ready::writable(), PollOpt::edge()).unwrap();
  wait_for(Token{5});
  p.r.reset();
  EXPECT_TRUE(wait_for(Token{5}).is_error());
  EXPECT_TRUE(quiet(Token{5}).is_empty()) << "a permanent error is reported once";
}

TEST_P(SelectorContract, edge_reports_once_until_drained_and_rearmed) {
  Pipe p = make_pipe();
  registry().register_(EventedFd(p.r.fd), Token{6}, Ready::readable(), PollOpt::edge()).unwrap();
  put(p.w.fd);
  EXPECT_TRUE(wait_for(Token{6}).is_readable());
  EXPECT_TRUE(quiet(Token{6}).is_empty()) << "no second event without new data";
  EXPECT_EQ(drain(p.r.fd), 1u);
  registry().rearm(Token{6}, Ready::readable());  // the consumer saw WouldBlock
  EXPECT_TRUE(quiet(Token{6}).is_empty()) << "no event after a drain";
  put(p.w.fd, "yz");
  EXPECT_TRUE(wait_for(Token{6}).is_readable()) << "new data after a drain is a new event";
  // Data that arrives between the WouldBlock and the rearm is not lost.
  EXPECT_EQ(drain(p.r.fd), 2u);
  put(p.w.fd);
  registry().rearm(Token{6}, Ready::readable());
  EXPECT_TRUE(wait_for(Token{6}).is_readable());
}

TEST_P(SelectorContract, edge_writable_does_not_repeat_on_an_idle_socket) {
  Pipe s = make_socketpair();
  registry().register_(EventedFd(s.r.fd), Token{7}, Ready::readable() | Ready::writable(), PollOpt::edge()).unwrap();
  EXPECT_TRUE(wait_for(Token{7}).is_writable());
  EXPECT_TRUE(quiet(Token{7}).is_empty()) << "an always-writable fd must not spin";
  put(s.w.fd);
  EXPECT_TRUE(wait_for(Token{7}).is_readable());
}

TEST_P(SelectorContract, level_repeats_while_ready) {
  Pipe p = make_pipe();
  registry().register_(EventedFd(p.r.fd), Token{8}, Ready::readable(), PollOpt::level()).unwrap();
  put(p.w.fd);
  EXPECT_TRUE(wait_for(Token{8}).is_readable());
  EXPECT_TRUE(wait_for(Token{8}).is_readable());
  drain(p.r.fd);
  EXPECT_TRUE(quiet(Token{8}).is_empty());
}

TEST_P(SelectorContract, oneshot_reports_once_until_reregistered) {
  Pipe p = make_pipe();
  registry().register_(EventedFd(p.r.fd), Token{9}, Ready::readable(), PollOpt::edge() | PollOpt::oneshot()).unwrap();
  put(p.w.fd);
  EXPECT_TRUE(wait_for(Token{9}).is_readable());
  drain(p.r.fd);
  registry().rearm(Token{9}, Ready::readable());  // no effect on oneshot
  put(p.w.fd);
  EXPECT_TRUE(quiet(Token{9}).is_empty());
  registry().reregister(EventedFd(p.r.fd), Token{9}, Ready::readable(), PollOpt::edge() | PollOpt::oneshot()).unwrap();
  EXPECT_TRUE(wait_for(Token{9}).is_readable());
}

TEST_P(SelectorContract, reregister_changes_interest_and_token) {
  Pipe s = make_socketpair();
  registry().register_(EventedFd(s.r.fd), Token{10}, Ready::readable(), PollOpt::edge()).unwrap();
  EXPECT_TRUE(quiet(Token{10}).is_empty());
  registry().reregister(EventedFd(s.r.fd), Token{11}, Ready::writable(), PollOpt::edge()).unwrap();
  EXPECT_TRUE(wait_for(Token{11}).is_writable());
  put(s.w.fd);
  EXPECT_TRUE(quiet(Token{10}).is_empty());
  EXPECT_FALSE(quiet(Token{11}).is_readable()) << "readable is no longer of interest";
}

TEST_P(SelectorContract, deregister_stops_events) {
  Pipe p = make_pipe();
  registry().register_(EventedFd(p.r.fd), Token{12}, Ready::readable(), PollOpt::edge()).unwrap();
  registry().deregister(EventedFd(p.r.fd)).unwrap();
  put(p.w.fd);
  EXPECT_TRUE(quiet(Token{12}).is_empty());
  EXPECT_TRUE(registry().deregister(EventedFd(p.r.fd)).is_err());
  // Registrable again after deregistering.
  registry().register_(EventedFd(p.r.fd), Token{13}, Ready::readable(), PollOpt::edge()).unwrap();
  EXPECT_TRUE(wait_for(Token{13}).is_readable());
}

TEST_P(SelectorContract, register_errors) {
  EXPECT_TRUE(registry().register_(EventedFd(-1), Token{14}, Ready::readable(), PollOpt::edge()).is_err());
  Pipe p = make_pipe();
  EXPECT_TRUE(registry().reregister(EventedFd(p.r.fd), Token{14}, Ready::readable(), PollOpt::edge()).is_err());
}

TEST_P(SelectorContract, timeout_returns) {
  Pipe p = make_pipe();
  registry().register_(EventedFd(p.r.fd), Token{15}, Ready::readable(), PollOpt::edge()).unwrap();
  EXPECT_EQ(poll_->poll(events_, 5ms).unwrap(), 0u);
  EXPECT_EQ(poll_->poll(events_, 0ns).unwrap(), 0u);
  EXPECT_EQ(poll_->poll(events_, 1ns).unwrap(), 0u);
  EXPECT_TRUE(events_.empty());
}

TEST_P(SelectorContract, waker_interrupts_a_blocking_poll) {
  auto waker = tokio::mio::Waker::create(registry(), Token{16}).unwrap();
  std::thread t([&] { waker.wake().unwrap(); });
  EXPECT_TRUE(wait_for(Token{16}).is_readable());
  t.join();
}

TEST_P(SelectorContract, register_from_another_thread_during_a_blocking_poll) {
  Pipe p = make_pipe();
  put(p.w.fd);
  std::atomic<bool> polling{false};
  std::thread t([&] {
    while (!polling.load()) std::this_thread::yield();
    registry().register_(EventedFd(p.r.fd), Token{17}, Ready::readable(), PollOpt::edge()).unwrap();
  });
  polling.store(true);
  // Blocks until the other thread's registration reports (no timeout would hang forever
  // on a backend that ignores it: bounded by kDeadline instead).
  EXPECT_TRUE(wait_for(Token{17}).is_readable());
  t.join();
}

TEST_P(SelectorContract, rearm_from_another_thread_during_a_blocking_poll) {
  Pipe p = make_pipe();
  registry().register_(EventedFd(p.r.fd), Token{18}, Ready::readable(), PollOpt::edge()).unwrap();
  put(p.w.fd);
  EXPECT_TRUE(wait_for(Token{18}).is_readable());
  drain(p.r.fd);
  std::thread t([&] {
    put(p.w.fd);
    registry().rearm(Token{18}, Ready::readable());
  });
  EXPECT_TRUE(wait_for(Token{18}).is_readable());
  t.join();
}

TEST_P(SelectorContract, many_fds_each_reported_once) {
  constexpr std::size_t kCount = 500;
  std::vector<Fd> fds;
  for (std::size_t i = 0; i < kCount; ++i) {
    fds.emplace_back(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
    ASSERT_GE(fds.back().fd, 0);
    registry().register_(EventedFd(fds.back().fd), Token{1000 + i}, Ready::readable(), PollOpt::edge()).unwrap();
  }
  for (auto& f : fds) {
    const std::uint64_t one = 1;
    ASSERT_EQ(::write(f.fd, &one, sizeof one), 8);
  }
  std::multiset<std::size_t> seen;  // capacity 64 < 500: the rest comes in later polls
  const auto deadline = std::chrono::steady_clock::now() + kDeadline;
  while (seen.size() < kCount && std::chrono::steady_clock::now() < deadline) {
    poll_->poll(events_, 100ms).unwrap();
    EXPECT_LE(events_.size(), events_.capacity());
    for (const auto& e : events_) {
      EXPECT_TRUE(e.readiness().is_readable());
      seen.insert(e.token().value);
    }
  }
  ASSERT_EQ(seen.size(), kCount);
  for (std::size_t i = 0; i < kCount; ++i) EXPECT_EQ(seen.count(1000 + i), 1u) << i;
  EXPECT_EQ(poll_->poll(events_, 10ms).unwrap(), 0u);
}

TEST_P(SelectorContract, closing_a_registered_fd_is_safe) {
  Fd a(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  registry().register_(EventedFd(a.fd), Token{19}, Ready::readable() | Ready::writable(), PollOpt::edge()).unwrap();
  EXPECT_TRUE(wait_for(Token{19}).is_writable());
  a.reset();  // closed while registered
  EXPECT_TRUE(quiet(Token{19}).is_empty());
  // The number is usually reused at once; registering it again must work.
  Fd b(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  registry().register_(EventedFd(b.fd), Token{20}, Ready::readable(), PollOpt::edge()).unwrap();
  const std::uint64_t one = 1;
  ASSERT_EQ(::write(b.fd, &one, sizeof one), 8);
  EXPECT_TRUE(wait_for(Token{20}).is_readable());
  EXPECT_TRUE(quiet(Token{19}).is_empty());
}

TEST_P(SelectorContract, registration_churn_while_polling) {
  std::atomic<bool> done{false};
  std::thread churn([&] {
    for (std::size_t i = 0; i < 200; ++i) {
      Pipe p = make_pipe();
      put(p.w.fd);
      registry().register_(EventedFd(p.r.fd), Token{5000 + i}, Ready::readable(), PollOpt::edge()).unwrap();
      registry().rearm(Token{5000 + i}, Ready::readable());
      registry().reregister(EventedFd(p.r.fd), Token{5000 + i}, Ready::readable() | Ready::writable(),
                            PollOpt::edge()).unwrap();
      registry().deregister(EventedFd(p.r.fd)).unwrap();
    }
    done.store(true);
  });
  while (!done.load()) poll_->poll(events_, 1ms).unwrap();
  churn.join();
  Pipe p = make_pipe();
  registry().register_(EventedFd(p.r.fd), Token{21}, Ready::readable(), PollOpt::edge()).unwrap();
  put(p.w.fd);
  EXPECT_TRUE(wait_for(Token{21}).is_readable());
}

INSTANTIATE_TEST_SUITE_P(Backends, SelectorContract, ::testing::Values("epoll", "poll"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace mio_contract
