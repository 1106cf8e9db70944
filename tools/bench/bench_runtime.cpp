// Runtime benchmarks (issue 4): the workloads of the anchors' rt_tokio and rt_asio
// (../shared/anchors), with the same semantics and the same output, run on
// tokio::runtime::current_thread (rt=ct) and on a tokio::threadpool::ThreadPool (rt=mtN,
// N workers). One line per case, readable by the anchors' parser:
//
//   BENCH impl=ours rt=<mtN|ct> name=<bench> ns_per_op=<median> min_ns_per_op=<min>
//         iters=<samples> ops_per_iter=<ops>
//
//   build/tools/bench/bench_runtime                      # both runtimes, every case, 1 s each
//   build/tools/bench/bench_runtime -r ct -T 300 -w yield_many_200x1000
//
// Like rt_tokio, each case runs once to warm up, then repeats until `-T` ms have passed
// (at least 5, at most 1000 samples); the median and minimum ns per op are printed.
//
// The workloads (Tokio's benches/rt_multi_threaded.rs, written the Tokio 0.1 way):
//   spawn_many_{10k,100k}  one task spawns N trivial tasks (onto its worker's queue)
//   spawn_many_remote_10k  the waiting thread spawns 10k trivial tasks (from outside
//                          the pool: the injector)
//   yield_many_200x1000    200 tasks each yield 1000 times (task::current().notify())
//   ping_pong_1000         one task spawns 1000 tasks; each makes two oneshots, spawns a
//                          task that waits on the first and answers on the second,
//                          sends on the first and waits for the answer
//   chained_spawn_1000     a task spawns a task that spawns a task ... 1000 deep
//   mpsc_{1,8}p_1M_cap1024 (benches/sync_mpsc.rs) 1 or 8 producer tasks send 1,000,000
//                          u64 in all through sync::mpsc::channel(1024) to a consumer
//                          task; like Tokio's coop budget, a producer yields after 128
//                          sends in a row
// Completion: a counter whose last decrement notifies an AtomicTask; on current_thread
// that is the block_on future, on the pool the main thread's `wait()`. Nothing sleeps.
//
// Timing goals are checked here, never in unit tests (the machines are shared and noisy);
// tools/bench/compare_runtime.sh runs this next to the anchors and prints the ratios.
#include <futures/future.hpp>
#include <futures/sync/mpsc.hpp>
#include <futures/sync/oneshot.hpp>
#include <futures/task.hpp>
#include <tokio/executor.hpp>
#include <tokio/runtime/current_thread.hpp>
#include <tokio/threadpool.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <vector>

using namespace futures;
using Clock = std::chrono::steady_clock;

namespace {

/// Counts completions down; the last one wakes the waiting task (Rust's `Done`, a
/// counter plus Notify). Reused from one sample to the next.
class Done {
 public:
  void reset(std::size_t n) {
    fired_.store(false, std::memory_order_relaxed);
    remaining_.store(n, std::memory_order_release);
  }

  void one() {
    if (remaining_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      fired_.store(true, std::memory_order_release);
      waiter_.notify();
    }
  }

  /// Ready once one() has been called as often as reset() said.
  auto wait_future() {
    return future::poll_fn([this]() -> Poll<Unit, Unit> {
      waiter_.register_();  // before the check: AtomicTask's protocol
      if (fired_.load(std::memory_order_acquire)) return Ready();
      return NotReady;
    });
  }

 private:
  std::atomic<std::size_t> remaining_{0};
  std::atomic<bool> fired_{false};
  task::AtomicTask waiter_;
};

double elapsed_ns(Clock::time_point start) {
  return std::chrono::duration<double, std::nano>(Clock::now() - start).count();
}

/// current_thread: each sample is one block_on, whose future spawns the workload's first
/// tasks (tokio::spawn works inside) and then waits for completion.
class CurrentThreadBench {
 public:
  CurrentThreadBench() : rt_(tokio::runtime::current_thread::Runtime::create().unwrap()) {}

  std::string name() const { return "ct"; }

  /// Runs `start(spawn)`, where `spawn(future)` spawns from the waiting side (not from a
  /// spawned task), and waits until `done` has counted `n` completions. Returns the
  /// wall-clock ns.
  template <class Start>
  double run(Done& done, std::size_t n, Start start) {
    done.reset(n);
    auto t0 = Clock::now();
    auto result = rt_.block_on(future::lazy([&] {
      start([](auto f) { tokio::spawn(std::move(f)); });
      return done.wait_future();
    }));
    double ns = elapsed_ns(t0);
    if (result.is_err()) std::abort();
    return ns;
  }

 private:
  tokio::runtime::current_thread::Runtime rt_;
};

/// The thread pool: the main thread spawns the workload's first tasks through the pool
/// (the injector), then waits on `done` with wait().
class ThreadPoolBench {
 public:
  explicit ThreadPoolBench(std::size_t workers)
      : workers_(workers), pool_(tokio::threadpool::Builder().pool_size(workers).build()) {}
  ~ThreadPoolBench() { (void)std::move(pool_).shutdown_on_idle().wait(); }
  ThreadPoolBench(const ThreadPoolBench&) = delete;
  ThreadPoolBench& operator=(const ThreadPoolBench&) = delete;

  std::string name() const { return "mt" + std::to_string(workers_); }

  template <class Start>
  double run(Done& done, std::size_t n, Start start) {
    done.reset(n);
    auto t0 = Clock::now();
    start([this](auto f) { pool_.spawn(std::move(f)); });
    auto result = done.wait_future().wait();
    double ns = elapsed_ns(t0);
    if (result.is_err()) std::abort();
    return ns;
  }

 private:
  std::size_t workers_;
  tokio::threadpool::ThreadPool pool_;
};

// ===== the workloads =====

/// A task spawns `n` tasks that each count one completion.
template <class Rt>
double spawn_many_local(Rt& rt, Done& done, std::size_t n) {
  return rt.run(done, n, [&done, n](auto spawn) {
    spawn(future::lazy([d = &done, n] {
      for (std::size_t i = 0; i < n; ++i) tokio::spawn(future::lazy([d] { d->one(); }));
    }));
  });
}

/// The waiting side spawns `n` tasks itself.
template <class Rt>
double spawn_many_remote(Rt& rt, Done& done, std::size_t n) {
  return rt.run(done, n, [&done, n](auto spawn) {
    for (std::size_t i = 0; i < n; ++i) spawn(future::lazy([d = &done] { d->one(); }));
  });
}

/// `tasks` tasks each yield `yields` times (notify themselves, return NotReady), then
/// count one completion.
template <class Rt>
double yield_many(Rt& rt, Done& done, std::size_t tasks, int yields) {
  return rt.run(done, tasks, [&done, tasks, yields](auto spawn) {
    for (std::size_t i = 0; i < tasks; ++i) {
      spawn(future::poll_fn([d = &done, left = yields]() mutable -> Poll<Unit, Unit> {
        if (left == 0) {
          d->one();
          return Ready();
        }
        --left;
        task::current().notify();
        return NotReady;
      }));
    }
  });
}

/// A task spawns `pings` tasks, each running one ping and waiting for its pong.
template <class Rt>
double ping_pong(Rt& rt, Done& done, std::size_t pings) {
  return rt.run(done, pings, [&done, pings](auto spawn) {
    spawn(future::lazy([d = &done, pings] {
      for (std::size_t i = 0; i < pings; ++i) {
        tokio::spawn(future::lazy([d] {
          auto [tx1, rx1] = sync::oneshot::channel<Unit>();
          auto [tx2, rx2] = sync::oneshot::channel<Unit>();
          tokio::spawn(std::move(rx1)
                           .map([tx2 = std::move(tx2)](Unit) mutable { (void)std::move(tx2).send(Unit{}); })
                           .map_err([](sync::oneshot::Canceled) { std::abort(); }));
          (void)std::move(tx1).send(Unit{});
          return std::move(rx2).map([d](Unit) { d->one(); }).map_err([](sync::oneshot::Canceled) { std::abort(); });
        }));
      }
    }));
  });
}

/// Spawns a task that spawns the rest of the chain (`left` more), or counts the end.
void chain(Done* d, int left) {
  if (left == 0) {
    d->one();
    return;
  }
  tokio::spawn(future::lazy([d, left] { chain(d, left - 1); }));
}

template <class Rt>
double chained_spawn(Rt& rt, Done& done, int depth) {
  return rt.run(done, 1, [&done, depth](auto spawn) { spawn(future::lazy([d = &done, depth] { chain(d, depth); })); });
}

constexpr int kSendBudget = 128;  // Tokio's cooperative budget

/// `producers` tasks send `total` values in all through a bounded channel to one consumer
/// task, which counts one completion when every sender is gone.
template <class Rt>
double mpsc_bounded(Rt& rt, Done& done, int producers, std::uint64_t total, std::size_t capacity) {
  return rt.run(done, 1, [&done, producers, total, capacity](auto spawn) {
    auto [tx, rx] = sync::mpsc::channel<std::uint64_t>(capacity);
    const std::uint64_t per = total / static_cast<std::uint64_t>(producers);
    for (int p = 0; p < producers; ++p) {
      std::uint64_t first = static_cast<std::uint64_t>(p) * per;
      spawn(future::poll_fn([sender = std::optional(tx.clone()), next = first,
                             end = first + per]() mutable -> Poll<Unit, Unit> {
        for (int budget = kSendBudget; next < end; ++next) {
          if (budget-- == 0) {
            task::current().notify();
            return NotReady;
          }
          auto sent = sender->start_send(next);
          if (sent.is_err()) return Ready();
          if (sent.unwrap_ref().is_not_ready()) return NotReady;
        }
        sender.reset();
        return Ready();
      }));
    }
    { auto drop = std::move(tx); }
    const std::uint64_t expected = per * static_cast<std::uint64_t>(producers);
    spawn(future::poll_fn([receiver = std::move(rx), d = &done, expected, received = std::uint64_t{0},
                           sum = std::uint64_t{0}]() mutable -> Poll<Unit, Unit> {
      for (;;) {
        auto polled = std::move(receiver.poll()).unwrap();
        if (polled.is_not_ready()) return NotReady;
        std::optional<std::uint64_t> value = std::move(polled).value();
        if (!value) break;
        sum += *value;
        ++received;
      }
      if (received != expected || sum != expected * (expected - 1) / 2) {
        std::fprintf(stderr, "mpsc: received %llu values, expected %llu\n",
                     static_cast<unsigned long long>(received), static_cast<unsigned long long>(expected));
        std::abort();
      }
      d->one();
      return Ready();
    }));
  });
}

// ===== driver =====

struct Options {
  double target_ms = 1000;
  std::vector<std::string> workloads;  // empty: all
};

bool selected(const Options& options, const char* name) {
  return options.workloads.empty() ||
         std::find(options.workloads.begin(), options.workloads.end(), name) != options.workloads.end();
}

/// rt_tokio's loop: one warm-up, then samples until target_ms (at least 5, at most 1000).
void bench(const Options& options, const std::string& rt_name, const char* name, std::size_t ops,
           const std::function<double()>& sample) {
  if (!selected(options, name)) return;
  sample();  // warm-up
  std::vector<double> per_op;
  auto begin = Clock::now();
  while (per_op.size() < 5 ||
         (elapsed_ns(begin) < options.target_ms * 1e6 && per_op.size() < 1000))
    per_op.push_back(sample() / static_cast<double>(ops));
  std::sort(per_op.begin(), per_op.end());
  std::printf("BENCH impl=ours rt=%s name=%s ns_per_op=%.2f min_ns_per_op=%.2f iters=%zu ops_per_iter=%zu\n",
              rt_name.c_str(), name, per_op[per_op.size() / 2], per_op[0], per_op.size(), ops);
  std::fflush(stdout);
}

template <class Rt>
void run_all(Rt& rt, const Options& o) {
  Done done;
  const std::string n = rt.name();
  bench(o, n, "spawn_many_10k", 10'000, [&] { return spawn_many_local(rt, done, 10'000); });
  bench(o, n, "spawn_many_100k", 100'000, [&] { return spawn_many_local(rt, done, 100'000); });
  bench(o, n, "spawn_many_remote_10k", 10'000, [&] { return spawn_many_remote(rt, done, 10'000); });
  bench(o, n, "yield_many_200x1000", 200 * 1000, [&] { return yield_many(rt, done, 200, 1000); });
  bench(o, n, "ping_pong_1000", 1000, [&] { return ping_pong(rt, done, 1000); });
  bench(o, n, "chained_spawn_1000", 1000, [&] { return chained_spawn(rt, done, 1000); });
  bench(o, n, "mpsc_1p_1M_cap1024", 1'000'000, [&] { return mpsc_bounded(rt, done, 1, 1'000'000, 1024); });
  bench(o, n, "mpsc_8p_1M_cap1024", 1'000'000, [&] { return mpsc_bounded(rt, done, 8, 1'000'000, 1024); });
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"runtime benchmarks (ns/op), the workloads of the anchors' rt_tokio / rt_asio"};
  std::string which = "both";
  std::size_t workers = 2;
  Options options;
  app.add_option("-r,--runtime", which, "mt (thread pool) | ct (current_thread) | both")
      ->check(CLI::IsMember({"mt", "ct", "both"}));
  app.add_option("-t,--threads", workers, "thread pool workers")->check(CLI::PositiveNumber);
  app.add_option("-T,--target-ms", options.target_ms, "time spent per case (ms)");
  app.add_option("-w,--workload", options.workloads, "cases to run, by name (default: all)")
      ->check(CLI::IsMember({"spawn_many_10k", "spawn_many_100k", "spawn_many_remote_10k", "yield_many_200x1000",
                             "ping_pong_1000", "chained_spawn_1000", "mpsc_1p_1M_cap1024", "mpsc_8p_1M_cap1024"}));
  CLI11_PARSE(app, argc, argv);

  if (which == "mt" || which == "both") {
    ThreadPoolBench pool(workers);
    run_all(pool, options);
  }
  if (which == "ct" || which == "both") {
    CurrentThreadBench ct;
    run_all(ct, options);
  }
  return 0;
}
