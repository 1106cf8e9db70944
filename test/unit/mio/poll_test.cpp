// tokio::mio value types (Token, Ready, PollOpt, Event, Events), Poll creation and the
// backend switch, and user-space readiness (Registration / SetReadiness, Waker) on every
// backend.
#include <tokio/mio.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <sstream>
#include <optional>
#include <thread>
#include <unordered_set>

namespace mio_poll {

using namespace std::chrono_literals;
using tokio::mio::Event;
using tokio::mio::Events;
using tokio::mio::Poll;
using tokio::mio::PollOpt;
using tokio::mio::Ready;
using tokio::mio::Registration;
using tokio::mio::SetReadiness;
using tokio::mio::Token;
using tokio::mio::Waker;

constexpr auto kDeadline = 10s;

TEST(MioToken, value_semantics) {
  EXPECT_EQ(Token{3}, Token{3});
  EXPECT_NE(Token{3}, Token{4});
  EXPECT_LT(Token{3}, Token{4});
  std::unordered_set<Token> set{Token{1}, Token{1}, Token{2}};
  EXPECT_EQ(set.size(), 2u);
}

TEST(MioReady, set_operations) {
  const Ready rw = Ready::readable() | Ready::writable();
  EXPECT_TRUE(rw.is_readable());
  EXPECT_TRUE(rw.is_writable());
  EXPECT_FALSE(rw.is_hup());
  EXPECT_FALSE(rw.is_error());
  EXPECT_TRUE(rw.contains(Ready::readable()));
  EXPECT_FALSE(Ready::readable().contains(rw));
  EXPECT_TRUE(rw.contains(Ready::empty()));
  EXPECT_EQ(rw & Ready::writable(), Ready::writable());
  EXPECT_EQ(rw - Ready::readable(), Ready::writable());
  EXPECT_TRUE(Ready().is_empty());
  EXPECT_EQ(Ready(), Ready::empty());
  Ready r;
  r.insert(Ready::hup());
  r.insert(Ready::error());
  EXPECT_TRUE(r.is_hup() && r.is_error());
  r.remove(Ready::hup());
  EXPECT_EQ(r, Ready::error());
  EXPECT_EQ(Ready::all(), Ready::readable() | Ready::writable() | Ready::error() | Ready::hup());
  for (Ready x : {Ready::readable(), Ready::writable(), Ready::error(), Ready::hup(), Ready::all(), rw}) {
    EXPECT_EQ(Ready::from_usize(x.as_usize()), x);
  }
  EXPECT_EQ(Ready::from_usize(~std::size_t{0}), Ready::all());
  std::ostringstream os;
  os << rw << ' ' << Ready::empty();
  EXPECT_EQ(os.str(), "Readable | Writable (empty)");
}

TEST(MioPollOpt, flags) {
  EXPECT_TRUE(PollOpt::edge().is_edge());
  EXPECT_FALSE(PollOpt::edge().is_level());
  EXPECT_TRUE(PollOpt::level().is_level());
  EXPECT_FALSE(PollOpt::level().is_edge());
  EXPECT_TRUE(PollOpt::empty().is_edge()) << "edge is the default";
  const PollOpt o = PollOpt::edge() | PollOpt::oneshot();
  EXPECT_TRUE(o.is_edge() && o.is_oneshot());
  EXPECT_TRUE(o.contains(PollOpt::oneshot()));
  EXPECT_FALSE(PollOpt::edge().is_oneshot());
  EXPECT_EQ(o, PollOpt::oneshot() | PollOpt::edge());
}

TEST(MioEvent, accessors) {
  const Event e(Ready::readable(), Token{7});
  EXPECT_EQ(e.readiness(), Ready::readable());
  EXPECT_EQ(e.token(), Token{7});
  EXPECT_EQ(e, Event(Ready::readable(), Token{7}));
}

TEST(MioEvents, capacity_and_emptiness) {
  Events events = Events::with_capacity(16);
  EXPECT_EQ(events.capacity(), 16u);
  EXPECT_EQ(events.size(), 0u);
  EXPECT_TRUE(events.empty());
  EXPECT_EQ(events.begin(), events.end());
  EXPECT_EQ(Events::with_capacity(0).capacity(), 1u);
}

TEST(MioPollCreate, named_default_and_env_backends) {
  EXPECT_STREQ(Poll::create("epoll").unwrap().registry().backend_name(), "epoll");
  EXPECT_STREQ(Poll::create("poll").unwrap().registry().backend_name(), "poll");
  EXPECT_EQ(Poll::create("kqueue").unwrap_err().kind(), tokio::io::ErrorKind::InvalidInput);
  const char* saved = std::getenv("TOKIO_IO_BACKEND");
  const std::string saved_value = saved ? saved : "";
  ::setenv("TOKIO_IO_BACKEND", "poll", 1);
  EXPECT_STREQ(Poll::create().unwrap().registry().backend_name(), "poll");
  ::setenv("TOKIO_IO_BACKEND", "epoll", 1);
  EXPECT_STREQ(Poll::create().unwrap().registry().backend_name(), "epoll");
  if (saved) ::setenv("TOKIO_IO_BACKEND", saved_value.c_str(), 1); else ::unsetenv("TOKIO_IO_BACKEND");
  // needs_rearm tells a reactor whether rearm() does anything.
  EXPECT_FALSE(Poll::create("epoll").unwrap().registry().needs_rearm());
  EXPECT_TRUE(Poll::create("poll").unwrap().registry().needs_rearm());
}

TEST(MioPollCreate, registry_address_survives_a_move) {
  Poll a = Poll::create().unwrap();
  const tokio::mio::Registry* r = &a.registry();
  Poll b = std::move(a);
  EXPECT_EQ(&b.registry(), r);
}

class UserReadiness : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override { poll_ = std::make_unique<Poll>(Poll::create(GetParam()).unwrap()); }

  // Everything reported for `token` by one poll with `timeout`.
  Ready poll_once(Token token, std::chrono::nanoseconds timeout = 0ns) {
    poll_->poll(events_, timeout).unwrap();
    Ready seen;
    for (const auto& e : events_) {
      if (e.token() == token) seen |= e.readiness();
    }
    return seen;
  }
  Ready wait_for(Token token) {
    const auto deadline = std::chrono::steady_clock::now() + kDeadline;
    while (std::chrono::steady_clock::now() < deadline) {
      if (const Ready r = poll_once(token, 100ms); !r.is_empty()) return r;
    }
    ADD_FAILURE() << "no event for token " << token.value;
    return Ready::empty();
  }

  std::unique_ptr<Poll> poll_;
  Events events_ = Events::with_capacity(8);
};

TEST_P(UserReadiness, edge_reports_once_per_set) {
  auto [registration, set] = Registration::new2();
  poll_->register_(registration, Token{1}, Ready::readable(), PollOpt::edge()).unwrap();
  EXPECT_TRUE(poll_once(Token{1}).is_empty());
  set.set_readiness(Ready::readable() | Ready::writable()).unwrap();
  EXPECT_EQ(set.readiness(), Ready::readable() | Ready::writable());
  EXPECT_EQ(poll_once(Token{1}), Ready::readable()) << "readiness ∩ interest";
  EXPECT_TRUE(poll_once(Token{1}).is_empty());
  set.set_readiness(Ready::readable()).unwrap();
  set.set_readiness(Ready::readable()).unwrap();
  EXPECT_EQ(poll_once(Token{1}), Ready::readable());
  EXPECT_TRUE(poll_once(Token{1}).is_empty()) << "two sets before a poll merge";
  set.set_readiness(Ready::writable()).unwrap();
  EXPECT_TRUE(poll_once(Token{1}).is_empty()) << "outside the interest";
}

TEST_P(UserReadiness, readiness_cleared_before_the_poll_reports_nothing) {
  auto [registration, set] = Registration::new2();
  poll_->register_(registration, Token{1}, Ready::readable(), PollOpt::edge()).unwrap();
  set.set_readiness(Ready::readable()).unwrap();
  set.set_readiness(Ready::empty()).unwrap();
  EXPECT_TRUE(poll_once(Token{1}).is_empty());
}

TEST_P(UserReadiness, set_before_register_reports_at_register) {
  auto [registration, set] = Registration::new2();
  set.set_readiness(Ready::readable()).unwrap();
  poll_->register_(registration, Token{2}, Ready::readable(), PollOpt::edge()).unwrap();
  EXPECT_EQ(poll_once(Token{2}), Ready::readable());
  EXPECT_TRUE(poll_->register_(registration, Token{2}, Ready::readable(), PollOpt::edge()).is_err());
}

TEST_P(UserReadiness, level_repeats_while_set) {
  auto [registration, set] = Registration::new2();
  poll_->register_(registration, Token{3}, Ready::readable(), PollOpt::level()).unwrap();
  set.set_readiness(Ready::readable()).unwrap();
  EXPECT_EQ(poll_once(Token{3}), Ready::readable());
  EXPECT_EQ(poll_once(Token{3}), Ready::readable());
  set.set_readiness(Ready::empty()).unwrap();
  EXPECT_TRUE(poll_once(Token{3}).is_empty());
  EXPECT_TRUE(poll_once(Token{3}).is_empty());
}

TEST_P(UserReadiness, oneshot_until_reregister) {
  auto [registration, set] = Registration::new2();
  const PollOpt once = PollOpt::edge() | PollOpt::oneshot();
  poll_->register_(registration, Token{4}, Ready::readable(), once).unwrap();
  set.set_readiness(Ready::readable()).unwrap();
  EXPECT_EQ(poll_once(Token{4}), Ready::readable());
  set.set_readiness(Ready::readable()).unwrap();
  EXPECT_TRUE(poll_once(Token{4}).is_empty());
  poll_->reregister(registration, Token{5}, Ready::readable(), once).unwrap();
  EXPECT_EQ(poll_once(Token{5}), Ready::readable());
}

TEST_P(UserReadiness, deregister_and_drop_stop_events) {
  auto [registration, set] = Registration::new2();
  poll_->register_(registration, Token{6}, Ready::readable(), PollOpt::edge()).unwrap();
  set.set_readiness(Ready::readable()).unwrap();  // queued, then deregistered
  poll_->deregister(registration).unwrap();
  EXPECT_TRUE(poll_once(Token{6}).is_empty());
  EXPECT_TRUE(poll_->deregister(registration).is_err());
  poll_->register_(registration, Token{7}, Ready::readable(), PollOpt::edge()).unwrap();
  EXPECT_EQ(poll_once(Token{7}), Ready::readable());
  set.set_readiness(Ready::readable()).unwrap();
  { Registration dropped = std::move(registration); }
  EXPECT_TRUE(poll_once(Token{7}).is_empty());
  set.set_readiness(Ready::readable()).unwrap();  // harmless after the drop
}

TEST_P(UserReadiness, set_from_another_thread_wakes_a_blocking_poll) {
  auto [registration, set] = Registration::new2();
  poll_->register_(registration, Token{8}, Ready::readable(), PollOpt::edge()).unwrap();
  for (int round = 0; round < 50; ++round) {
    std::thread t([&set] { set.set_readiness(Ready::readable()).unwrap(); });
    EXPECT_EQ(wait_for(Token{8}), Ready::readable()) << round;
    t.join();
  }
}

TEST_P(UserReadiness, more_ready_than_capacity_carries_over) {
  std::vector<Registration> regs;
  std::vector<SetReadiness> sets;
  for (std::size_t i = 0; i < 20; ++i) {
    auto [r, s] = Registration::new2();
    poll_->register_(r, Token{100 + i}, Ready::readable(), PollOpt::edge()).unwrap();
    s.set_readiness(Ready::readable()).unwrap();
    regs.push_back(std::move(r));
    sets.push_back(std::move(s));
  }
  std::unordered_set<std::size_t> seen;
  for (int i = 0; i < 10 && seen.size() < 20; ++i) {
    poll_->poll(events_, 0ns).unwrap();
    EXPECT_LE(events_.size(), events_.capacity());
    for (const auto& e : events_) EXPECT_TRUE(seen.insert(e.token().value).second);
  }
  EXPECT_EQ(seen.size(), 20u);
}

TEST_P(UserReadiness, outliving_the_poll_is_harmless) {
  auto [registration, set] = Registration::new2();
  poll_->register_(registration, Token{9}, Ready::readable(), PollOpt::edge()).unwrap();
  set.set_readiness(Ready::readable()).unwrap();
  poll_.reset();
  set.set_readiness(Ready::readable()).unwrap();
}

TEST_P(UserReadiness, waker_merges_wakes_and_wakes_blocking_polls) {
  auto waker = Waker::create(poll_->registry(), Token{10}).unwrap();
  waker.wake().unwrap();
  waker.wake().unwrap();
  EXPECT_EQ(poll_once(Token{10}), Ready::readable());
  EXPECT_TRUE(poll_once(Token{10}).is_empty());
  for (int round = 0; round < 50; ++round) {
    std::thread t([&waker] { waker.wake().unwrap(); });
    EXPECT_EQ(wait_for(Token{10}), Ready::readable()) << round;
    t.join();
  }
}

TEST_P(UserReadiness, waker_outliving_the_poll_is_harmless) {
  auto waker = Waker::create(poll_->registry(), Token{12}).unwrap();
  waker.wake().unwrap();
  poll_.reset();
  EXPECT_TRUE(waker.wake().is_ok());
}

// One live Waker per Poll (mio 0.7): a second one is refused until the first is dropped;
// the next one reports its own token, and a wake of the dropped one is not left pending.
TEST_P(UserReadiness, one_live_waker_per_poll) {
  std::optional<Waker> first(Waker::create(poll_->registry(), Token{13}).unwrap());
  auto second = Waker::create(poll_->registry(), Token{14});
  ASSERT_TRUE(second.is_err());
  EXPECT_EQ(second.unwrap_err_ref().kind(), tokio::io::ErrorKind::AlreadyExists);
  first->wake().unwrap();
  first.reset();
  auto third = Waker::create(poll_->registry(), Token{15}).unwrap();
  EXPECT_TRUE(poll_once(Token{13}).is_empty());
  third.wake().unwrap();
  EXPECT_EQ(poll_once(Token{15}), Ready::readable());
}

TEST_P(UserReadiness, hammer_wakes_from_two_threads) {
  auto waker = Waker::create(poll_->registry(), Token{11}).unwrap();
  std::atomic<bool> stop{false};
  std::atomic<int> wakes{0};
  auto wake_loop = [&] {
    while (!stop.load()) {
      waker.wake().unwrap();
      wakes.fetch_add(1);
    }
  };
  std::thread a(wake_loop), b(wake_loop);
  int events = 0;
  while (events < 200) {
    if (!wait_for(Token{11}).is_empty()) ++events; else break;
  }
  stop.store(true);
  a.join();
  b.join();
  EXPECT_EQ(events, 200);
  // After the last wake, exactly the pending one (if any) remains.
  poll_once(Token{11});
  EXPECT_TRUE(poll_once(Token{11}).is_empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, UserReadiness, ::testing::Values("epoll", "poll"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace mio_poll
