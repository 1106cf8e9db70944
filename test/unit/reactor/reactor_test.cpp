// tokio::reactor: Reactor, Handle, Registration, PollEvented and the runtime wiring.
// Ports the intent of tokio 0.1.22 tests/reactor.rs (test_drop_on_notify),
// tests/drop-core.rs (tcp_doesnt_block, drop_wakes) and tests/global.rs (hammer_old,
// hammer_split) over Unix socket pairs + PollEvented (no tokio::net needed), plus the
// fault tests of RELIABILITY.md rows 1, 2 and 4: ABA on a reused slot, a source dropped
// while its event is dispatched, register/deregister churn, and the Park contract.
#include <tokio/io/async_read.hpp>
#include <tokio/io/async_write.hpp>
#include <tokio/mio/unix/evented_fd.hpp>
#include <tokio/reactor.hpp>
#include <tokio/runtime.hpp>

#include <futures/future.hpp>

#include "../../../lib/tokio/reactor/slab.hpp"
#include "../../../lib/tokio/reactor/spread.hpp"
#include "../../../lib/tokio/runtime/shared_reactor_park.hpp"
#include "support/bounded_wait.hpp"
#include "support/notify.hpp"

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace reactor_test {

using namespace std::chrono_literals;
using futures_test::Latch;
using tokio::reactor::Handle;
using tokio::reactor::PollEvented;
using tokio::reactor::Reactor;
namespace io = tokio::io;
namespace mio = tokio::mio;

// One end of a Unix stream socket pair: a raw non-blocking source, as mio's sockets.
class Sock {
 public:
  explicit Sock(int fd) noexcept : fd_(fd) {}
  Sock(Sock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Sock& operator=(Sock&& other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
  }
  ~Sock() {
    if (fd_ >= 0) ::close(fd_);
  }

  io::Result<std::size_t> read(std::span<std::uint8_t> buf) {
    const ssize_t n = ::read(fd_, buf.data(), buf.size());
    if (n < 0) return futures::Err(io::Error::last_os_error());
    return futures::Ok(static_cast<std::size_t>(n));
  }
  io::Result<std::size_t> write(std::span<const std::uint8_t> buf) {
    const ssize_t n = ::send(fd_, buf.data(), buf.size(), MSG_NOSIGNAL);
    if (n < 0) return futures::Err(io::Error::last_os_error());
    return futures::Ok(static_cast<std::size_t>(n));
  }
  io::Result<futures::Unit> register_(const mio::Registry& r, mio::Token t, mio::Ready i, mio::PollOpt o) const {
    return mio::unix::EventedFd(fd_).register_(r, t, i, o);
  }
  io::Result<futures::Unit> reregister(const mio::Registry& r, mio::Token t, mio::Ready i, mio::PollOpt o) const {
    return mio::unix::EventedFd(fd_).reregister(r, t, i, o);
  }
  io::Result<futures::Unit> deregister(const mio::Registry& r) const { return mio::unix::EventedFd(fd_).deregister(r); }

 private:
  int fd_;
};
static_assert(mio::Evented<Sock>);
static_assert(tokio::io::AsyncRead<PollEvented<Sock>>);
static_assert(tokio::io::AsyncWrite<PollEvented<Sock>>);

std::pair<Sock, Sock> socket_pair() {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0) std::abort();
  return {Sock(fds[0]), Sock(fds[1])};
}

void write_byte(Sock& s, std::uint8_t b = 7) {
  const std::array<std::uint8_t, 1> buf{b};
  ASSERT_TRUE(s.write(buf).is_ok());
}

// Reads one chunk through any pointer-like to a PollEvented.
template <class P>
struct ReadSome : futures::FutureExt<ReadSome<P>> {
  using Item = std::size_t;
  using Error = io::Error;
  explicit ReadSome(P p) : io(std::move(p)) {}
  futures::Poll<std::size_t, io::Error> poll() { return io->poll_read(buf); }
  P io;
  std::array<std::uint8_t, 64> buf{};
};

// Writes one byte.
template <class P>
struct WriteByte : futures::FutureExt<WriteByte<P>> {
  using Item = std::size_t;
  using Error = io::Error;
  explicit WriteByte(P p) : io(std::move(p)) {}
  futures::Poll<std::size_t, io::Error> poll() {
    static constexpr std::array<std::uint8_t, 1> kByte{1};
    return io->poll_write(kByte);
  }
  P io;
};

template <class P>
ReadSome<P> read_some(P p) {
  return ReadSome<P>(std::move(p));
}

// ----- readiness through the runtimes -----

TEST(ReactorTest, CurrentThreadRuntimeDrivesItsReactor) {
  auto rt = tokio::runtime::current_thread::Runtime::create().unwrap();
  auto [a, b] = socket_pair();
  PollEvented<Sock> evented(std::move(a));
  std::thread writer([&b] { write_byte(b); });
  auto n = rt.block_on(read_some(&evented));
  writer.join();
  ASSERT_TRUE(n.is_ok());
  EXPECT_EQ(n.unwrap(), 1u);
}

// A socket first polled by a pool task registers with the worker's default reactor;
// every runtime design must deliver readiness.
enum class Design { kShared, kSharedNoSpin, kPerWorker, kThread };
void pool_reads_and_writes(Design design) {
  auto rt = tokio::runtime::Builder()
                .core_threads(2)
                .reactor_thread(design == Design::kThread)
                .reactor_per_worker(design == Design::kPerWorker)
                .reactor_spin(design == Design::kSharedNoSpin ? 0ns : 20us)
                .build()
                .unwrap();
  EXPECT_FALSE(rt.reactor().is_default());
  constexpr int kPairs = 20;
  std::atomic<int> done{0};
  std::vector<Sock> peers;
  for (int i = 0; i < kPairs; ++i) {
    auto [a, b] = socket_pair();
    peers.push_back(std::move(b));
    auto evented = std::make_shared<PollEvented<Sock>>(std::move(a));
    rt.spawn(read_some(evented).map([&done](std::size_t) { done.fetch_add(1); }).map_err([](io::Error e) {
      ADD_FAILURE() << e;
    }));
  }
  for (auto& peer : peers)
    write_byte(peer);
  (void)std::move(rt).shutdown_on_idle().wait();
  EXPECT_EQ(done.load(), kPairs);
}

TEST(ReactorTest, PoolWorkersShareOneReactor) { pool_reads_and_writes(Design::kShared); }
TEST(ReactorTest, PoolWorkersShareOneReactorWithoutSpin) {
  pool_reads_and_writes(Design::kSharedNoSpin);
}

// The runtime's reactor goes with the runtime even while its Builder lives on: I/O on it
// then fails ("reactor gone") instead of waiting forever.
TEST(ReactorTest, RuntimeReactorGoesWithTheRuntimeNotTheBuilder) {
  for (const bool per_worker : {false, true}) {
    tokio::runtime::Builder builder;
    builder.core_threads(2).reactor_per_worker(per_worker);
    Handle handle;
    {
      auto rt = builder.build().unwrap();
      handle = rt.reactor();
      auto [a, b] = socket_pair();
      EXPECT_TRUE(PollEvented<Sock>::new_with_handle(std::move(a), handle).is_ok());
    }
    auto [c, d] = socket_pair();
    EXPECT_TRUE(PollEvented<Sock>::new_with_handle(std::move(c), handle).is_err()) << "per_worker=" << per_worker;
  }
}
TEST(ReactorTest, PoolWorkersDriveTheirOwnReactors) { pool_reads_and_writes(Design::kPerWorker); }
TEST(ReactorTest, PoolWithReactorThread) { pool_reads_and_writes(Design::kThread); }

// global.rs hammer_split: the read side and the write side of one PollEvented used by
// two tasks at once, on a two-worker pool, with no lock.
TEST(ReactorTest, HammerSplit) {
  constexpr int kPairs = 100;
  for (int iter = 0; iter < 5; ++iter) {
    auto rt = tokio::runtime::Builder().core_threads(2).build().unwrap();
    std::atomic<int> count{0};
    auto split = [&](Sock s) {
      auto shared = std::make_shared<PollEvented<Sock>>(std::move(s));
      rt.spawn(read_some(shared).map([&count](std::size_t) { count.fetch_add(1); }).map_err([](io::Error e) {
        ADD_FAILURE() << "read error " << e;
      }));
      rt.spawn(WriteByte(shared).map([&count](std::size_t) { count.fetch_add(1); }).map_err([](io::Error e) {
        ADD_FAILURE() << "write error " << e;
      }));
    };
    for (int i = 0; i < kPairs; ++i) {
      auto [a, b] = socket_pair();
      split(std::move(a));
      split(std::move(b));
    }
    (void)std::move(rt).shutdown_on_idle().wait();
    ASSERT_EQ(count.load(), 4 * kPairs);
  }
}

// global.rs hammer_old: sockets used outside any runtime (wait() on plain threads) fall
// back to the global background reactor.
TEST(ReactorTest, FallbackReactorOutsideAnyRuntime) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 10; ++t) {
    threads.emplace_back([&ok] {
      auto [a, b] = socket_pair();
      PollEvented<Sock> evented(std::move(a));
      std::thread writer([&b] { write_byte(b, 42); });
      auto fut = read_some(&evented);
      auto n = futures_test::wait_for(fut);
      writer.join();
      if (n && n->is_ok() && n->unwrap() == 1 && fut.buf[0] == 42) ok.fetch_add(1);
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(ok.load(), 10);
  EXPECT_FALSE(Handle::current().is_default());
}

// ----- dropping the reactor (drop-core.rs) -----

TEST(ReactorTest, DropCoreFailsPendingIo) {
  auto reactor = std::optional<Reactor>(Reactor::create().unwrap());
  const Handle handle = reactor->handle();
  auto [a, b] = socket_pair();
  auto evented = PollEvented<Sock>::new_with_handle(std::move(a), handle).unwrap();
  reactor.reset();
  auto n = read_some(&evented).wait();
  ASSERT_TRUE(n.is_err());
  EXPECT_EQ(n.unwrap_err().kind(), io::ErrorKind::Other);
  // A new registration with the dead reactor fails too.
  auto [c, d] = socket_pair();
  EXPECT_TRUE(PollEvented<Sock>::new_with_handle(std::move(c), handle).is_err());
}

TEST(ReactorTest, DropWakes) {
  auto reactor = std::optional<Reactor>(Reactor::create().unwrap());
  auto [a, b] = socket_pair();
  auto evented = PollEvented<Sock>::new_with_handle(std::move(a), reactor->handle()).unwrap();
  Latch polled(1);
  std::thread t([&evented, &polled] {
    auto fut = read_some(&evented);
    // Polled once (task registered), then tell the main thread to drop the reactor.
    auto first = futures_test::poll_noop(fut);
    EXPECT_TRUE(first.is_ok() && first.unwrap_ref().is_not_ready());
    polled.count_down();
    auto n = futures_test::wait_for(fut);
    ASSERT_TRUE(n.has_value()) << "not woken by the reactor's drop";
    EXPECT_TRUE(n->is_err());
  });
  ASSERT_TRUE(polled.wait());
  reactor.reset();
  t.join();
}

// reactor.rs test_drop_on_notify: the notification of a source's task drops the task,
// and with it the source, while the reactor is dispatching that source's event (the
// deregistration and the slot's release run inside the dispatch): no deadlock, no use
// after free, the reactor ends idle.
class DroppingNotify final : public futures::executor::Notify {
 public:
  explicit DroppingNotify(std::unique_ptr<PollEvented<Sock>>* owner) : owner_(owner) {}
  void notify(std::size_t) override { owner_->reset(); }

 private:
  std::unique_ptr<PollEvented<Sock>>* owner_;
};

TEST(ReactorTest, DropOnNotify) {
  auto reactor = Reactor::create().unwrap();
  auto [a, b] = socket_pair();
  auto evented = std::make_unique<PollEvented<Sock>>(std::move(a));
  {
    auto enter = tokio::executor::enter().unwrap();
    tokio::reactor::with_default(reactor.handle(), enter, [&](tokio::executor::Enter&) {
      auto fut = read_some(evented.get());
      auto polled = futures_test::poll_once(fut, futures::executor::NotifyHandle(std::make_shared<DroppingNotify>(&evented)));
      ASSERT_TRUE(polled.is_ok() && polled.unwrap_ref().is_not_ready());
    });
  }
  ASSERT_FALSE(reactor.is_idle());
  write_byte(b);
  while (evented) ASSERT_TRUE(reactor.turn(1s).is_ok());
  EXPECT_TRUE(reactor.is_idle());
}

// ----- ABA: a stale token never reaches the slot's next owner -----

TEST(ReactorTest, StaleTokenForReusedSlotIsIgnored) {
  namespace d = tokio::reactor::detail;
  d::Slab slab;
  auto first = slab.allocate();
  ASSERT_TRUE(first);
  auto [index, io] = *first;
  const std::size_t stale = d::make_token(index, io->generation());
  // Free it the way release() does: the generation moves on.
  io->readiness.store(((io->generation() + 1) & d::kGenerationMask) << d::kGenerationShift);
  slab.free(index);
  auto second = slab.allocate();
  ASSERT_TRUE(second);
  ASSERT_EQ(second->first, index);
  ASSERT_EQ(second->second, io);
  const std::size_t fresh = d::make_token(index, io->generation());
  ASSERT_NE(stale, fresh);

  auto counting = std::make_shared<futures_test::CountingNotify>();
  futures::executor::NotifyHandle notify(counting);
  futures_test::with_task(notify, [&] {
    EXPECT_EQ(d::poll_ready(*io, io->reader, d::read_bits(), d::sticky_bits()), 0u);
  });
  const std::size_t readable = mio::Ready::readable().as_usize();
  d::dispatch(*io, d::token_generation(stale), readable, d::read_bits(), d::write_bits());
  EXPECT_EQ(counting->count(), 0u);
  EXPECT_EQ(io->readiness.load() & d::kReadyBits, 0u);
  d::dispatch(*io, d::token_generation(fresh), readable, d::read_bits(), d::write_bits());
  EXPECT_EQ(counting->count(), 1u);
  EXPECT_EQ(d::take_ready(*io, d::read_bits(), d::sticky_bits()), readable);
}

TEST(ReactorTest, GenerationWrapsAndSlabReusesSlots) {
  namespace d = tokio::reactor::detail;
  d::Slab slab;
  std::size_t index = 0;
  for (std::size_t i = 0; i < d::kGenerationMask + 10; ++i) {
    auto slot = slab.allocate();
    ASSERT_TRUE(slot);
    index = slot->first;
    auto* io = slot->second;
    io->readiness.store(((io->generation() + 1) & d::kGenerationMask) << d::kGenerationShift);
    ASSERT_TRUE(slab.free(slot->first));
  }
  EXPECT_EQ(index, 0u);
  EXPECT_EQ(slab.get(0)->generation(), (d::kGenerationMask + 10) & d::kGenerationMask);
  // Pages grow: slots across several pages keep their addresses.
  std::vector<d::ScheduledIo*> held;
  for (int i = 0; i < 1000; ++i)
    held.push_back(slab.allocate()->second);
  for (int i = 0; i < 1000; ++i)
    EXPECT_EQ(slab.get(static_cast<std::size_t>(i)), held[static_cast<std::size_t>(i)]);
}

// ----- dispatch vs drop, churn (run these under TSan / ASan too) -----

// Sources are dropped while the reactor thread dispatches their events: bounded stress.
TEST(ReactorTest, DropWhileDispatching) {
  auto reactor = Reactor::create().unwrap();
  Handle handle = reactor.handle();
  auto background = std::move(reactor).background().unwrap();
  constexpr int kThreads = 3;
  constexpr int kIterations = 400;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&handle] {
      for (int i = 0; i < kIterations; ++i) {
        auto [a, b] = socket_pair();
        auto evented = PollEvented<Sock>::new_with_handle(std::move(a), handle).unwrap();
        auto fut = read_some(&evented);
        auto polled = futures_test::poll_noop(fut);  // task registered: the event notifies it
        ASSERT_TRUE(polled.is_ok());
        write_byte(b);
        if (i % 2 == 0) std::this_thread::yield();  // let some events reach the dispatch
      }
    });
  }
  for (auto& t : threads)
    t.join();
  std::move(background).shutdown_on_idle();
}

// Registrations and deregistrations from several threads while the reactor turns.
TEST(ReactorTest, RegisterDeregisterChurn) {
  auto reactor = Reactor::create().unwrap();
  Handle handle = reactor.handle();
  std::atomic<bool> stop{false};
  std::thread turner([&] {
    while (!stop.load()) ASSERT_TRUE(reactor.turn(std::nullopt).is_ok());
  });
  constexpr int kThreads = 4;
  constexpr int kIterations = 1000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&handle] {
      std::vector<PollEvented<Sock>> live;
      for (int i = 0; i < kIterations; ++i) {
        auto [a, b] = socket_pair();
        live.push_back(PollEvented<Sock>::new_with_handle(std::move(a), handle).unwrap());
        if (i % 3 == 0) write_byte(b);
        if (live.size() > 8) live.erase(live.begin(), live.begin() + 4);
      }
    });
  }
  for (auto& t : threads)
    t.join();
  stop.store(true);
  handle.unpark();
  turner.join();
  EXPECT_TRUE(reactor.is_idle());
}

// ----- Park contract -----

TEST(ReactorTest, UnparkBeforeParkReturnsAtOnce) {
  auto reactor = Reactor::create().unwrap();
  reactor.unpark().unpark();
  reactor.unpark().unpark();  // coalesce
  Latch parked(1);
  std::thread t([&] {
    EXPECT_TRUE(reactor.park().is_ok());
    parked.count_down();
  });
  EXPECT_TRUE(parked.wait()) << "park() did not return after an earlier unpark()";
  t.join();
  EXPECT_TRUE(reactor.park_timeout(0ns).is_ok());
  EXPECT_TRUE(reactor.park_timeout(1ms).is_ok());
}

TEST(ReactorTest, UnparkFromAnotherThreadWakesPark) {
  auto reactor = Reactor::create().unwrap();
  Handle unpark = reactor.unpark();
  Latch woke(1);
  std::thread t([&] {
    EXPECT_TRUE(reactor.park().is_ok());
    woke.count_down();
  });
  while (woke.remaining() > 0) {
    unpark.unpark();
    if (woke.wait(10ms)) break;
  }
  t.join();
}

TEST(ReactorTest, DefaultHandleIsScoped) {
  auto reactor = Reactor::create().unwrap();
  const Handle outer = Handle::current();
  {
    auto guard = tokio::reactor::set_default(reactor.handle());
    auto [a, b] = socket_pair();
    PollEvented<Sock> evented(std::move(a));
    write_byte(b);
    auto fut = read_some(&evented);
    auto polled = futures_test::poll_noop(fut);  // registers with `reactor`
    EXPECT_TRUE(polled.is_ok());
    EXPECT_FALSE(reactor.is_idle());
  }
  EXPECT_TRUE(reactor.is_idle());
  EXPECT_FALSE(Handle::current().is_default());
}

// The Runtime's registration spread (reactor/spread.hpp): sources with the default handle
// go to the listed reactors in turn; an explicit handle is obeyed; uninstalled, the
// thread's default reactor takes them again.
TEST(ReactorTest, RegistrationSpreadTakesTheReactorsInTurn) {
  auto a = Reactor::create().unwrap();
  auto b = Reactor::create().unwrap();
  auto own = Reactor::create().unwrap();
  const std::vector<Handle> spread{a.handle(), b.handle()};
  auto guard = tokio::reactor::set_default(own.handle());
  struct Installed {  // uninstalled even when an assertion returns early
    explicit Installed(const std::vector<Handle>* h) { tokio::reactor::detail::set_registration_spread(h); }
    ~Installed() { tokio::reactor::detail::set_registration_spread(nullptr); }
  } installed(&spread);
  auto register_one = [](PollEvented<Sock>& evented) {
    auto fut = read_some(&evented);
    auto polled = futures_test::poll_noop(fut);  // registers, then finds nothing to read
    EXPECT_TRUE(polled.is_ok());
    EXPECT_TRUE(polled.is_ok() && polled.unwrap_ref().is_not_ready());
  };
  auto [s1, p1] = socket_pair();
  auto [s2, p2] = socket_pair();
  auto [s3, p3] = socket_pair();
  auto [s4, p4] = socket_pair();
  {
    PollEvented<Sock> first(std::move(s1));
    register_one(first);
    EXPECT_FALSE(a.is_idle());
    EXPECT_TRUE(b.is_idle());
    PollEvented<Sock> second(std::move(s2));
    register_one(second);
    EXPECT_FALSE(b.is_idle());
    EXPECT_TRUE(own.is_idle());  // the spread, not the thread's default, took both
    {
      auto pinned = PollEvented<Sock>::new_with_handle(std::move(s3), own.handle());
      ASSERT_TRUE(pinned.is_ok());
      EXPECT_FALSE(own.is_idle());  // an explicit handle is obeyed
    }
    EXPECT_TRUE(own.is_idle());
    tokio::reactor::detail::set_registration_spread(nullptr);
    PollEvented<Sock> after(std::move(s4));
    register_one(after);
    EXPECT_FALSE(own.is_idle());
  }
  EXPECT_TRUE(a.is_idle());
  EXPECT_TRUE(b.is_idle());
  EXPECT_TRUE(own.is_idle());
}

// ----- the shared reactor: the workers' Parks over one reactor -----

using tokio::runtime::detail::SharedReactor;
using tokio::runtime::detail::SharedReactorPark;

std::shared_ptr<SharedReactor> shared_reactor(std::chrono::nanoseconds spin = 0ns) {
  return std::make_shared<SharedReactor>(Reactor::create().unwrap(), spin);
}

// Long enough that a test passes only if something other than the end of the spin ends
// the park, short enough that a failing test still ends.
constexpr std::chrono::nanoseconds kLongSpin = 3 * futures_test::kStressDeadline;

TEST(SharedReactorPark, UnparkBeforeParkReturnsAtOnce) {
  auto shared = shared_reactor();
  SharedReactorPark park(shared);
  park.unpark().unpark();
  park.unpark().unpark();  // coalesce
  Latch parked(1);
  std::thread t([&] {
    EXPECT_TRUE(park.park().is_ok());
    parked.count_down();
  });
  EXPECT_TRUE(parked.wait()) << "park() did not return after an earlier unpark()";
  t.join();
  EXPECT_TRUE(park.park_timeout(0ns).is_ok());
  EXPECT_TRUE(park.park_timeout(1ms).is_ok());
  EXPECT_FALSE(shared->driven());
}

// A read of a socket registered with a shared reactor, polled once so that its task
// waits for readiness; `peer` is the socket's other end, `counting` the task's wake-ups.
struct WaitingRead {
  static std::unique_ptr<WaitingRead> start(const SharedReactor& shared) {
    auto [a, b] = socket_pair();
    auto evented = PollEvented<Sock>::new_with_handle(std::move(a), shared.handle()).unwrap();
    auto w = std::unique_ptr<WaitingRead>(new WaitingRead(std::move(b), std::move(evented)));
    auto first = futures_test::poll_once(w->fut, w->notify);
    EXPECT_TRUE(first.is_ok() && first.unwrap_ref().is_not_ready());
    return w;
  }
  futures::Poll<std::size_t, io::Error> poll_again() {
    return futures_test::poll_once(fut, notify);
  }

  Sock peer;
  PollEvented<Sock> evented;
  std::shared_ptr<futures_test::CountingNotify> counting =
      std::make_shared<futures_test::CountingNotify>();
  futures::executor::NotifyHandle notify{counting};
  ReadSome<PollEvented<Sock>*> fut{&evented};

 private:
  WaitingRead(Sock p, PollEvented<Sock> e) : peer(std::move(p)), evented(std::move(e)) {}
};

// Waits (within the test's deadline) until some parker drives `shared`; false if none did.
bool wait_until_driven(const SharedReactor& shared) {
  const auto deadline = std::chrono::steady_clock::now() + futures_test::kStressDeadline;
  while (!shared.driven() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::yield();
  return shared.driven();
}

// The first idle parker drives the reactor: the events of every source reach their
// tasks through it, and a zero-timeout park of another parker returns at once.
TEST(SharedReactorPark, OneParkerDrivesForAll) {
  auto shared = shared_reactor();
  SharedReactorPark driver(shared);
  SharedReactorPark other(shared);
  auto read = WaitingRead::start(*shared);

  std::atomic<bool> stop{false};
  std::thread t([&] {
    while (!stop.load()) EXPECT_TRUE(driver.park().is_ok());
  });
  ASSERT_TRUE(wait_until_driven(*shared));
  EXPECT_TRUE(other.park_timeout(0ns).is_ok());  // the reactor is taken: nothing to do
  write_byte(read->peer);
  const auto deadline = std::chrono::steady_clock::now() + futures_test::kStressDeadline;
  while (read->counting->count() == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::yield();
  EXPECT_EQ(read->counting->count(), 1u) << "the driving parker did not dispatch the event";
  stop.store(true);
  driver.unpark().unpark();
  t.join();
  EXPECT_FALSE(shared->driven());
  auto second = read->poll_again();
  ASSERT_TRUE(second.is_ok() && second.unwrap_ref().is_ready());
}

// ----- the driver's spin (runtime::Builder::reactor_spin) -----

// Runs `parks(stop)` (parks of `driver`) on a thread of its own and `meanwhile` on this
// one; says whether `parks` returned within the test's deadline. If not, sets `stop` and
// unparks the driver to end its spin, so that the thread can be joined.
template <class Parks, class F>
bool returns_in_time(SharedReactorPark& driver, Parks parks, F meanwhile) {
  Latch returned(1);
  std::atomic<bool> stop{false};
  std::thread t([&] {
    parks(stop);
    returned.count_down();
  });
  meanwhile();
  const bool ok = returned.wait();
  if (!ok) {
    stop.store(true);
    driver.unpark().unpark();
  }
  t.join();
  return ok;
}

// Parks `driver` until `read`'s task is woken (see returns_in_time).
template <class F>
bool park_until_woken(SharedReactorPark& driver, WaitingRead& read, F meanwhile) {
  return returns_in_time(
      driver,
      [&](const std::atomic<bool>& stop) {
        while (read.counting->count() == 0 && !stop.load())
          EXPECT_TRUE(driver.park().is_ok());
      },
      meanwhile);
}

// An event that arrives while the driver spins ends its park: the task is notified and
// the driver returns to run it, long before the spin would end. (The first park may
// already return on the new socket's first writable edge, hence the loop.)
TEST(SharedReactorPark, SpinningDriverReturnsOnEvent) {
  auto shared = shared_reactor(kLongSpin);
  SharedReactorPark driver(shared);
  auto read = WaitingRead::start(*shared);
  const bool ok = park_until_woken(driver, *read, [&] {
    (void)wait_until_driven(*shared);
    write_byte(read->peer);
  });
  EXPECT_TRUE(ok) << "the spinning driver did not return on the event";
  EXPECT_EQ(read->counting->count(), 1u);
  EXPECT_FALSE(shared->driven());
}

// So does a deferred read wakeup (the accept back-off's) that falls due during the spin,
// though epoll reports nothing.
TEST(SharedReactorPark, SpinningDriverReturnsOnDeferredRead) {
  auto shared = shared_reactor(kLongSpin);
  SharedReactorPark driver(shared);
  auto read = WaitingRead::start(*shared);
  auto deferred = futures_test::with_task(
      read->notify, [&] { return read->evented.defer_read_ready_(mio::Ready::readable(), 5ms); });
  ASSERT_TRUE(deferred.is_ok());
  const bool ok = park_until_woken(driver, *read, [] {});
  EXPECT_TRUE(ok) << "the spinning driver did not return on the deferred wakeup";
  EXPECT_EQ(read->counting->count(), 1u);
}

// An unpark ends the spin at once, whether it comes before the park or during it.
TEST(SharedReactorPark, SpinningDriverReturnsOnUnpark) {
  auto shared = shared_reactor(kLongSpin);
  SharedReactorPark driver(shared);
  for (const bool before : {true, false}) {
    if (before) driver.unpark().unpark();
    const bool ok = returns_in_time(
        driver, [&](const std::atomic<bool>&) { EXPECT_TRUE(driver.park().is_ok()); },
        [&] {
          if (before) return;
          (void)wait_until_driven(*shared);
          driver.unpark().unpark();
        });
    EXPECT_TRUE(ok) << "before=" << before;
  }
}

// A park with a timeout shorter than the spin spins no longer than the timeout.
TEST(SharedReactorPark, SpinEndsAtTheTimeout) {
  auto shared = shared_reactor(kLongSpin);
  SharedReactorPark driver(shared);
  const bool ok = returns_in_time(
      driver, [&](const std::atomic<bool>&) { EXPECT_TRUE(driver.park_timeout(1ms).is_ok()); },
      [] {});
  EXPECT_TRUE(ok) << "park_timeout(1ms) spun for the whole spin";
  EXPECT_FALSE(shared->driven());
}

// 'S' (sleeping) or 'R' (running, which includes a thread that only yields) from
// /proc/self/task/<tid>/stat.
char thread_state(pid_t tid) {
  std::ifstream stat("/proc/self/task/" + std::to_string(tid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto paren = text.rfind(')');  // the thread's name may hold spaces and parentheses
  return paren == std::string::npos || paren + 2 >= text.size() ? '?' : text[paren + 2];
}

// With nothing to collect the driver stops spinning and sleeps in epoll_wait: an idle
// runtime costs no CPU.
TEST(SharedReactorPark, DriverSleepsAfterItsSpin) {
  auto shared = shared_reactor(1ms);
  SharedReactorPark driver(shared);
  std::atomic<pid_t> tid{0};
  std::thread t([&] {
    tid.store(gettid());
    EXPECT_TRUE(driver.park().is_ok());
  });
  const auto deadline = std::chrono::steady_clock::now() + futures_test::kStressDeadline;
  while ((tid.load() == 0 || !shared->driven() || thread_state(tid.load()) != 'S') &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(1ms);
  EXPECT_EQ(thread_state(tid.load()), 'S') << "the driver still runs after its 1 ms spin";
  driver.unpark().unpark();
  t.join();
}

// Stress: two parkers, each on its own thread, wait for a counter that another thread
// bumps and then unparks them; whichever of the two drives the reactor at that moment,
// and whether the driver spins or sleeps, no wake-up is lost (a lost one shows as a park
// that outlives the deadline).
class SharedReactorParkStress : public testing::TestWithParam<std::chrono::nanoseconds> {};
INSTANTIATE_TEST_SUITE_P(Spin, SharedReactorParkStress, testing::Values(0ns, 20us),
                         [](const auto& info) {
                           return "spin" + std::to_string(info.param.count()) + "ns";
                         });

TEST_P(SharedReactorParkStress, NoUnparkIsLost) {
  constexpr int kRounds = 20000;
  auto shared = shared_reactor(GetParam());
  std::array<SharedReactorPark, 2> parks{SharedReactorPark(shared), SharedReactorPark(shared)};
  std::array<std::atomic<int>, 2> posted{};
  std::array<std::atomic<int>, 2> seen{};
  std::atomic<bool> lost{false};
  std::vector<std::thread> parkers;
  for (int i = 0; i < 2; ++i) {
    parkers.emplace_back([&, i] {
      int last = 0;
      while (last < kRounds && !lost.load()) {
        const int now = posted[i].load(std::memory_order_acquire);
        if (now != last) {
          last = now;
          seen[i].store(now, std::memory_order_release);
          continue;
        }
        const auto start = std::chrono::steady_clock::now();
        // Alternate sleeping for good and with a timeout; both must see the unpark.
        EXPECT_TRUE((last % 2 == 0 ? parks[i].park() : parks[i].park_timeout(futures_test::kStressDeadline)).is_ok());
        if (posted[i].load(std::memory_order_acquire) == last &&
            std::chrono::steady_clock::now() - start >= futures_test::kStressDeadline)
          lost.store(true);
      }
    });
  }
  std::array<tokio::runtime::detail::SharedReactorUnpark, 2> unparks{parks[0].unpark(), parks[1].unpark()};
  for (int n = 1; n <= kRounds && !lost.load(); ++n) {
    for (int i = 0; i < 2; ++i) {
      posted[i].store(n, std::memory_order_release);
      unparks[i].unpark();
    }
    // Let the parkers catch up now and then, so that they also go to sleep for real.
    if (n % 4 == 0) {
      for (int i = 0; i < 2; ++i)
        while (seen[i].load(std::memory_order_acquire) != n && !lost.load()) std::this_thread::yield();
    }
  }
  for (auto& t : parkers) t.join();
  EXPECT_FALSE(lost.load()) << "a parker slept through its unpark";
  EXPECT_EQ(seen[0].load(), kRounds);
  EXPECT_EQ(seen[1].load(), kRounds);
}

}  // namespace reactor_test
