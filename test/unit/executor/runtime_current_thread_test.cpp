// Port of the current_thread tests of tokio 0.1 tests/runtime.rs, plus unit tests of
// tokio::runtime::current_thread (Runtime, Builder, Handle, run, block_on_all).
//
// Rust's create_client_server_future() talks over TCP, which does not exist yet; the
// stand-in keeps its shape on an mpsc channel: a "server" stream whose for_each spawns
// (tokio::spawn, returned from the callback) a task that writes "hello", joined with a
// "client" that reads everything. The threadpool tests of runtime.rs (runtime_tokio_run,
// runtime_multi_threaded, block_on_timer, from_block_on, block_waits, many,
// from_block_on_all, nested_enter's threadpool/run cases, runtime_reactor_handle,
// after_start_and_before_stop_is_called) wait for the thread pool, timer and reactor.
#include <tokio.hpp>

#include <tokio/io/read_exact.hpp>
#include <tokio/io/write_all.hpp>
#include <tokio/net.hpp>

#include <futures/sync/mpsc.hpp>
#include <futures/sync/oneshot.hpp>

#include "support/exec_helpers.hpp"
#include "support/std_channel.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace {

using futures::Unit;
using futures::future::lazy;
namespace current_thread = tokio::runtime::current_thread;

using SendBox = futures::BoxFuture<Unit, Unit>;

futures::future::FutureResult<Unit, Unit> ok() { return futures::future::ok<Unit, Unit>(Unit{}); }

SendBox create_client_server_future() {
  auto [tx, rx] = futures::sync::mpsc::unbounded<std::string>();
  auto server = futures::stream::iter_ok<std::vector<int>, Unit>({1})
                    .for_each([tx = std::move(tx)](int) {
                      return tokio::spawn(lazy([tx] { EXPECT_TRUE(tx.unbounded_send("hello").is_ok()); }));
                    });
  auto client = std::move(rx).collect().map([](std::vector<std::string> got) {
    EXPECT_EQ(got, std::vector<std::string>{"hello"});
  });
  return std::move(server).join(std::move(client)).map([](auto&&...) {});
}

TEST(Runtime, runtime_single_threaded) {
  auto runtime = current_thread::Runtime::create().unwrap();
  EXPECT_TRUE(runtime.block_on(create_client_server_future()).is_ok());
  EXPECT_TRUE(runtime.run().is_ok());
}

TEST(Runtime, runtime_single_threaded_block_on) {
  EXPECT_TRUE(current_thread::block_on_all(create_client_server_future()).is_ok());
}

// ===== runtime_single_threaded_block_on_all =====
template <class Spawn>
void runtime_single_threaded_block_on_all(Spawn spawn) {
  auto cnt = std::make_shared<std::mutex>();
  auto value = std::make_shared<int>(0);
  auto msg = current_thread::block_on_all(lazy([cnt, value, spawn] {
               {
                 std::lock_guard<std::mutex> lock(*cnt);
                 *value += 1;
               }
               spawn(SendBox(lazy([cnt, value] {
                 std::lock_guard<std::mutex> lock(*cnt);
                 *value += 1;
               })));
               return futures::Result<std::string, Unit>(futures::Ok(std::string("hello")));
             })).unwrap();
  EXPECT_EQ(2, *value);
  EXPECT_EQ(msg, "hello");
}
TEST(Runtime, runtime_single_threaded_block_on_all_spawn) {
  runtime_single_threaded_block_on_all([](SendBox f) { tokio::spawn(std::move(f)); });
}
TEST(Runtime, runtime_single_threaded_block_on_all_execute) {
  runtime_single_threaded_block_on_all(
      [](SendBox f) { EXPECT_TRUE(tokio::executor::DefaultExecutor::current().execute(std::move(f)).is_ok()); });
}

// ===== runtime_single_threaded_racy =====
template <class Spawn>
void runtime_single_threaded_racy(Spawn spawn) {
  auto [trigger, exit] = futures::sync::oneshot::channel<Unit>();
  auto [handle_tx, handle_rx] = futures_test::std_channel<current_thread::Handle>();
  std::thread jh([exit = std::move(exit), handle_tx = std::move(handle_tx)]() mutable {
    auto rt = current_thread::Runtime::create().unwrap();
    handle_tx.send(rt.handle());
    // don't exit until we are told to
    EXPECT_TRUE(rt.block_on(std::move(exit).map_err([](auto) {})).is_ok());
    // run until all spawned futures (incl. the "exit" signal future) have completed
    EXPECT_TRUE(rt.run().is_ok());
  });
  auto [tx, rx] = futures::sync::oneshot::channel<Unit>();
  auto handle = handle_rx.recv();
  ASSERT_TRUE(handle.has_value());
  spawn(*handle, SendBox(lazy([tx = std::move(tx)]() mutable {
          EXPECT_TRUE(std::move(tx).send(Unit{}).is_ok());
          return ok();
        })));
  // signal runtime thread to exit
  EXPECT_TRUE(std::move(trigger).send(Unit{}).is_ok());
  // wait for runtime thread to exit
  jh.join();
  EXPECT_EQ(std::move(rx).wait().unwrap(), Unit{});
}
TEST(Runtime, runtime_single_threaded_racy_spawn) {
  runtime_single_threaded_racy([](const current_thread::Handle& h, SendBox f) { EXPECT_TRUE(h.spawn(std::move(f)).is_ok()); });
}
TEST(Runtime, runtime_single_threaded_racy_execute) {
  runtime_single_threaded_racy([](const current_thread::Handle& h, SendBox f) { EXPECT_TRUE(h.execute(std::move(f)).is_ok()); });
}

// nested_enter::current_thread_block_on_all_in_run, with current_thread::run standing in
// for tokio::run (the thread pool's): a nested block_on_all throws, the outer run goes on.
TEST(Runtime, nested_enter_current_thread_block_on_all_in_run) {
  auto panicked = std::make_shared<bool>(false);
  current_thread::run(lazy([panicked] {
    try {
      (void)current_thread::block_on_all(lazy([] { return ok(); }));
    } catch (const futures::Panic& p) {
      EXPECT_NE(std::string(p.what()).find("Multiple executors at once"), std::string::npos) << p.what();
      *panicked = true;
    }
  }));
  EXPECT_TRUE(*panicked) << "nested call should have panicked";
}

// ===== Beyond the Rust file =====

TEST(Runtime, spawn_then_run) {
  auto rt = current_thread::Builder().build().unwrap();
  auto cnt = std::make_shared<int>(0);
  rt.spawn(lazy([cnt] { *cnt += 1; })).spawn(lazy([cnt] {
    *cnt += 1;
    tokio::spawn(lazy([cnt] { *cnt += 1; }));  // the runtime is the default executor
  }));
  EXPECT_TRUE(rt.run().is_ok());
  EXPECT_EQ(*cnt, 3);
  // Outside block_on / run there is no default executor again.
  EXPECT_THROW(tokio::spawn(ok()), futures::Panic);
}

TEST(Runtime, block_on_leaves_other_tasks_queued) {
  auto rt = current_thread::Runtime::create().unwrap();
  auto rc = std::make_shared<int>(0);
  rt.spawn(exec_test::Never(rc));
  EXPECT_EQ(rt.block_on(futures::future::ok<int, Unit>(7)).unwrap(), 7);
  EXPECT_EQ(rc.use_count(), 2);  // still queued
  EXPECT_EQ(rt.block_on(futures::future::err<int, std::string>("e")).unwrap_err(), "e");
}

TEST(Runtime, run_spawns_through_the_default_executor) {
  auto cnt = std::make_shared<int>(0);
  current_thread::run(lazy([cnt] {
    for (int i = 0; i < 10; ++i) tokio::spawn(lazy([cnt] { *cnt += 1; }));
    current_thread::spawn(lazy([cnt] { *cnt += 1; }));
  }));
  EXPECT_EQ(*cnt, 11);
}

TEST(Runtime, exception_in_a_task_unwinds_out_of_block_on_all) {
  EXPECT_THROW((void)current_thread::block_on_all(lazy([] {
                 tokio::spawn(lazy([]() -> futures::Result<Unit, Unit> { throw std::runtime_error("boom"); }));
                 return ok();
               })),
               std::runtime_error);
  // The thread is usable again.
  EXPECT_TRUE(current_thread::block_on_all(ok()).is_ok());
}

TEST(Runtime, handle_spawns_from_other_threads_and_refuses_after_drop) {
  std::optional<current_thread::Handle> kept;
  {
    auto rt = current_thread::Runtime::create().unwrap();
    auto [tx, rx] = futures::sync::oneshot::channel<int>();
    std::thread t([h = rt.handle(), tx = std::move(tx)]() mutable {
      EXPECT_TRUE(h.spawn(lazy([tx = std::move(tx)]() mutable { (void)std::move(tx).send(9); })).is_ok());
    });
    EXPECT_EQ(rt.block_on(std::move(rx)).unwrap(), 9);
    t.join();
    kept = rt.handle().clone();
  }
  EXPECT_TRUE(kept->status().unwrap_err().is_shutdown());
  EXPECT_TRUE(kept->execute(ok()).is_err());
}

// A task that yields until told to stop keeps the run queue non-empty, so the runtime
// never sleeps in its reactor: it must still poll it between budgeted ticks, so a
// socket echo on the same thread progresses. If the reactor were starved, the busy task
// would give up after kYieldLimit yields (the echo needs a few thousand) and fail.
TEST(Runtime, sockets_progress_while_a_task_yields_forever) {
  static constexpr long kYieldLimit = 20'000'000;
  auto rt = current_thread::Runtime::create().unwrap();
  auto stop = std::make_shared<bool>(false);
  auto yields = std::make_shared<long>(0);
  rt.spawn(futures::future::poll_fn([stop, yields]() -> futures::Poll<Unit, Unit> {
    if (*stop) return futures::Ready();
    if (++*yields == kYieldLimit) {
      ADD_FAILURE() << "the echo made no progress in " << kYieldLimit << " yields";
      return futures::Ready();
    }
    futures::task::current().notify();
    return futures::NotReady;
  }));
  auto listener = tokio::net::TcpListener::bind(
                      tokio::net::SocketAddr(tokio::net::Ipv4Addr::localhost(), 0))
                      .unwrap();
  const tokio::net::SocketAddr addr = listener.local_addr().unwrap();
  constexpr int kRounds = 20;  // each round waits on the reactor several times
  rt.spawn(std::move(listener)
               .incoming()
               .take(kRounds)
               .map_err([](const tokio::io::Error& e) { ADD_FAILURE() << "accept: " << e; })
               .for_each([](tokio::net::TcpStream s) {
                 return tokio::io::read_exact(std::move(s), std::vector<std::uint8_t>(4))
                     .and_then([](auto read) {
                       auto [s, buf] = std::move(read);
                       return tokio::io::write_all(std::move(s), std::move(buf));
                     })
                     .then([](const auto& r) {
                       EXPECT_TRUE(r.is_ok());
                       return ok();
                     });
               }));
  for (int i = 0; i < kRounds; ++i) {
    const std::vector<std::uint8_t> msg{1, 2, 3, static_cast<std::uint8_t>(i)};
    auto echoed = rt.block_on(tokio::net::TcpStream::connect(addr)
                                  .and_then([msg](tokio::net::TcpStream s) {
                                    return tokio::io::write_all(std::move(s), msg);
                                  })
                                  .and_then([](auto written) {
                                    auto [s, buf] = std::move(written);
                                    return tokio::io::read_exact(std::move(s), std::vector<std::uint8_t>(4));
                                  }));
    ASSERT_TRUE(echoed.is_ok()) << echoed.unwrap_err_ref();
    EXPECT_EQ(std::get<1>(std::move(echoed).unwrap()), msg);
  }
  *stop = true;
  EXPECT_TRUE(rt.run().is_ok());
  EXPECT_GT(*yields, 0);
  std::printf("[ measure ] %ld yields during %d echoes\n", *yields, kRounds);
}

}  // namespace
