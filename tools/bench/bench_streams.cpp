// Benchmarks of streams and channels (issue 3): sync::mpsc throughput and a stream
// combinator pipeline. Prints one line per case:
//
//   BENCH impl=ours name=mpsc_1p_1M_cap1024 cfg=ct ns_per_op=... min_ns_per_op=...
//         cpu_ns_per_op=... runs=N
//
// ns_per_op is the median wall-clock time per message; cpu_ns_per_op the median CPU
// time (all threads) per message, the better figure on a loaded machine.
//
//   build/tools/bench/bench_streams                 # every case
//   build/tools/bench/bench_streams -w mpsc -r 7    # mpsc cases only, median of 7 runs
//
// mpsc cases mirror the anchors' rt_tokio `mpsc_{N}p_1M_cap1024` (../shared/anchors):
// `producers` tasks send 1,000,000 u64 in all through `mpsc::channel(1024)` (or
// `unbounded()`) to one consumer task, which sums them. Two configurations:
//   cfg=ct  every task on one thread, driven by MiniExec below (Tokio current_thread);
//   cfg=2t  the producers on one thread, the consumer on another, each thread with its
//           own MiniExec (roughly Tokio's 2-worker figure, without work stealing).
// Like Tokio's cooperative budget, a producer yields to the executor after 128
// consecutive sends even when the channel has room (an unbounded channel otherwise
// never yields).
//
// The pipeline case, `stream_iter_map_filter_fold_10M`, runs
// iter_ok(0..10,000,000).map(x * 3).filter(even).fold(0, +) in one poll and reports ns
// per source item.
//
// Timing goals are checked here, never in unit tests (the machines are shared and noisy).
#include <futures/future.hpp>
#include <futures/stream.hpp>
#include <futures/sync/mpsc.hpp>
#include <futures/unsync/mpsc.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <ranges>
#include <string>
#include <thread>
#include <vector>

#include <time.h>

using namespace futures;
using Clock = std::chrono::steady_clock;

namespace {

/// Keeps the optimiser from deleting a computed value.
template <class T>
void keep(T&& value) {
  asm volatile("" : : "g"(&value) : "memory");
}

// ===== MiniExec: a tiny single-thread executor =====

/// Runs boxed futures on the thread that calls run(). Notifies from that thread go to a
/// plain vector; notifies from other threads to a mutex-protected one, with a condition
/// variable to wake the runner when it sleeps. Each task is queued at most once.
class MiniExec {
  struct TaskBase {
    virtual ~TaskBase() = default;
    virtual bool poll(const executor::NotifyHandle& h, std::size_t id) = 0;  // true: done
  };
  template <class F>
  struct TaskImpl final : TaskBase {
    explicit TaskImpl(F f) : spawned(std::move(f)) {}
    bool poll(const executor::NotifyHandle& h, std::size_t id) override {
      auto r = spawned.poll_future_notify(h, id);
      return r.is_err() || r.unwrap_ref().is_ready();
    }
    executor::Spawn<F> spawned;
  };

  struct Shared final : executor::Notify {
    void notify(std::size_t id) override {
      if (queued[id].exchange(true, std::memory_order_acq_rel)) return;
      if (tl_current == this) {
        local.push_back(id);
        return;
      }
      std::lock_guard lock(mutex);
      remote.push_back(id);
      if (sleeping) cv.notify_one();
    }
    static thread_local Shared* tl_current;
    std::unique_ptr<std::atomic<bool>[]> queued;
    std::vector<std::size_t> local;
    std::mutex mutex;
    std::condition_variable cv;
    std::vector<std::size_t> remote;  // guarded by mutex
    bool sleeping = false;            // guarded by mutex
  };

 public:
  explicit MiniExec(std::size_t max_tasks) : shared_(std::make_shared<Shared>()), handle_(shared_) {
    shared_->queued = std::make_unique<std::atomic<bool>[]>(max_tasks);
    tasks_.reserve(max_tasks);
  }

  template <class F>
  void spawn(F f) {
    tasks_.push_back(std::make_unique<TaskImpl<F>>(std::move(f)));
    std::size_t id = tasks_.size() - 1;
    shared_->queued[id].store(true);
    shared_->local.push_back(id);
    ++live_;
  }

  /// Polls the tasks whenever notified until every one has completed.
  void run() {
    Shared& s = *shared_;
    Shared::tl_current = &s;
    std::vector<std::size_t> batch;
    while (live_ > 0) {
      if (s.local.empty()) {
        std::unique_lock lock(s.mutex);
        while (s.remote.empty()) {
          s.sleeping = true;
          s.cv.wait(lock);
        }
        s.sleeping = false;
        std::swap(s.local, s.remote);
      }
      batch.swap(s.local);
      for (std::size_t id : batch) {
        s.queued[id].store(false, std::memory_order_release);
        if (!tasks_[id]) continue;
        if (tasks_[id]->poll(handle_, id)) {
          tasks_[id].reset();
          --live_;
        }
      }
      batch.clear();
    }
    Shared::tl_current = nullptr;
  }

 private:
  std::shared_ptr<Shared> shared_;
  executor::NotifyHandle handle_;
  std::vector<std::unique_ptr<TaskBase>> tasks_;
  std::size_t live_ = 0;
};
thread_local MiniExec::Shared* MiniExec::Shared::tl_current = nullptr;

// ===== mpsc tasks =====

constexpr int kBudget = 128;

/// Sends `count` values starting at `base` with start_send, yielding after kBudget
/// sends in a row; drops the sender when done.
template <class Tx>
struct Producer : FutureExt<Producer<Tx>> {
  using Item = Unit;
  using Error = Unit;
  Producer(Tx t, std::uint64_t b, std::uint64_t c) : tx(std::move(t)), next(b), end(b + c) {}

  Poll<Unit, Unit> poll() {
    for (int budget = kBudget; next < end; ++next) {
      if (budget-- == 0) {
        task::current().notify();
        return NotReady;
      }
      auto sent = tx->start_send(next);
      if (sent.is_err()) return Ready();
      if (sent.unwrap_ref().is_not_ready()) return NotReady;
    }
    tx.reset();
    return Ready();
  }

  std::optional<Tx> tx;
  std::uint64_t next;
  std::uint64_t end;
};

/// Receives until the end of the stream, summing.
template <class Rx>
struct Consumer : FutureExt<Consumer<Rx>> {
  using Item = Unit;
  using Error = Unit;
  Consumer(Rx r, std::uint64_t* s, std::uint64_t* n) : rx(std::move(r)), sum(s), count(n) {}

  Poll<Unit, Unit> poll() {
    for (;;) {
      auto polled = rx.poll();
      auto async = std::move(polled).unwrap();
      if (async.is_not_ready()) return NotReady;
      std::optional<std::uint64_t> v = std::move(async).value();
      if (!v) return Ready();
      *sum += *v;
      ++*count;
    }
  }

  Rx rx;
  std::uint64_t* sum;
  std::uint64_t* count;
};

/// CPU time of the whole process (all threads): on a shared, overloaded machine the
/// wall clock mostly measures waiting for a CPU.
double cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

struct Sample {
  double wall;  // ns per message
  double cpu;   // CPU ns per message
};

template <class Tx, class Rx>
Sample run_mpsc_once(Tx tx, Rx rx, int producers, std::uint64_t total, bool two_threads) {
  std::uint64_t sum = 0;
  std::uint64_t count = 0;
  const std::uint64_t per = total / static_cast<std::uint64_t>(producers);
  auto start = Clock::now();
  const double cpu_start = cpu_ns();
  if (!two_threads) {
    MiniExec exec(producers + 1);
    for (int p = 0; p < producers; ++p) exec.spawn(Producer<Tx>(tx.clone(), p * per, per));
    { auto drop = std::move(tx); }
    exec.spawn(Consumer<Rx>(std::move(rx), &sum, &count));
    exec.run();
  } else {
    MiniExec consumer_exec(1);
    consumer_exec.spawn(Consumer<Rx>(std::move(rx), &sum, &count));
    std::thread producer_thread([&, tx = std::move(tx)]() mutable {
      MiniExec exec(producers);
      for (int p = 0; p < producers; ++p) exec.spawn(Producer<Tx>(tx.clone(), p * per, per));
      { auto drop = std::move(tx); }
      exec.run();
    });
    consumer_exec.run();
    producer_thread.join();
  }
  auto elapsed = Clock::now() - start;
  const double cpu = cpu_ns() - cpu_start;
  const std::uint64_t n = per * static_cast<std::uint64_t>(producers);
  if (count != n || sum != n * (n - 1) / 2) {
    std::fprintf(stderr, "mpsc bench: wrong result (count %llu, sum %llu)\n",
                 static_cast<unsigned long long>(count), static_cast<unsigned long long>(sum));
    std::exit(1);
  }
  return Sample{std::chrono::duration<double, std::nano>(elapsed).count() / static_cast<double>(n),
                cpu / static_cast<double>(n)};
}

/// Prints the median and minimum wall-clock ns per message, and the median CPU ns per
/// message (all threads).
void report(const std::string& impl, const std::string& name, const char* cfg, std::vector<Sample> runs) {
  std::vector<double> wall;
  std::vector<double> cpu;
  for (const Sample& s : runs) {
    wall.push_back(s.wall);
    cpu.push_back(s.cpu);
  }
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  std::printf("BENCH impl=%s name=%s cfg=%s ns_per_op=%.1f min_ns_per_op=%.1f cpu_ns_per_op=%.1f runs=%zu\n",
              impl.c_str(), name.c_str(), cfg, wall[wall.size() / 2], wall.front(), cpu[cpu.size() / 2],
              wall.size());
  std::fflush(stdout);
}

enum class Kind { Bounded, Unbounded, UnsyncBounded, UnsyncUnbounded };

void bench_mpsc(Kind kind, int producers, bool two_threads, int runs, std::uint64_t total) {
  std::vector<Sample> ns;
  for (int r = 0; r < runs + 1; ++r) {  // the first run warms up
    Sample x{};
    switch (kind) {
      case Kind::Bounded: {
        auto [tx, rx] = sync::mpsc::channel<std::uint64_t>(1024);
        x = run_mpsc_once(std::move(tx), std::move(rx), producers, total, two_threads);
        break;
      }
      case Kind::Unbounded: {
        auto [tx, rx] = sync::mpsc::unbounded<std::uint64_t>();
        x = run_mpsc_once(std::move(tx), std::move(rx), producers, total, two_threads);
        break;
      }
      case Kind::UnsyncBounded: {
        auto [tx, rx] = unsync::mpsc::channel<std::uint64_t>(1024);
        x = run_mpsc_once(std::move(tx), std::move(rx), producers, total, false);
        break;
      }
      case Kind::UnsyncUnbounded: {
        auto [tx, rx] = unsync::mpsc::unbounded<std::uint64_t>();
        x = run_mpsc_once(std::move(tx), std::move(rx), producers, total, false);
        break;
      }
    }
    if (r > 0) ns.push_back(x);
  }
  const bool unsync_kind = kind == Kind::UnsyncBounded || kind == Kind::UnsyncUnbounded;
  const bool bounded = kind == Kind::Bounded || kind == Kind::UnsyncBounded;
  std::string name = "mpsc_" + std::to_string(producers) + "p_1M_" + (bounded ? "cap1024" : "unbounded");
  report(unsync_kind ? "ours_unsync" : "ours", name, two_threads ? "2t" : "ct", std::move(ns));
}

// ===== stream pipeline =====

/// iter_ok(0..n).map(x * 3).filter(even).fold(0, acc + x): the per-item cost of a
/// combinator chain, driven by one poll in a no-op task (every stage is always ready).
void bench_pipeline(int runs, std::uint64_t n) {
  class NoopNotify final : public executor::Notify {
   public:
    void notify(std::size_t) override {}
  };
  auto notify = executor::NotifyHandle(std::make_shared<NoopNotify>());
  std::vector<Sample> samples;
  for (int r = 0; r < runs + 1; ++r) {
    auto start = Clock::now();
    const double cpu_start = cpu_ns();
    auto pipeline = stream::iter_ok<std::ranges::iota_view<std::uint64_t, std::uint64_t>, Unit>(
                        std::views::iota(std::uint64_t{0}, n))
                        .map([](std::uint64_t x) { return x * 3; })
                        .filter([](const std::uint64_t& x) { return x % 2 == 0; })
                        .fold(std::uint64_t{0}, [](std::uint64_t acc, std::uint64_t x) {
                          return future::ok<std::uint64_t, Unit>(acc + x);
                        });
    auto spawned = executor::spawn(std::move(pipeline));
    auto polled = spawned.poll_future_notify(notify, 0);
    std::uint64_t sum = polled.unwrap_ref().value();
    keep(sum);
    const double cpu = cpu_ns() - cpu_start;
    auto elapsed = Clock::now() - start;
    // Sum of 3x over even x... checked against the closed form: 6 * sum(k for k < n/2).
    const std::uint64_t half = (n + 1) / 2;
    if (sum != 3 * half * (half - 1)) {
      std::fprintf(stderr, "pipeline bench: wrong sum %llu\n", static_cast<unsigned long long>(sum));
      std::exit(1);
    }
    if (r > 0) {
      samples.push_back(Sample{std::chrono::duration<double, std::nano>(elapsed).count() / static_cast<double>(n),
                               cpu / static_cast<double>(n)});
    }
  }
  report("ours", "stream_iter_map_filter_fold_10M", "ct", std::move(samples));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"stream and channel benchmarks (ns/op)"};
  std::string workload = "all";
  int runs = 5;
  std::uint64_t total = 1'000'000;
  app.add_option("-w,--workload", workload, "mpsc | unsync | pipeline | all")
      ->check(CLI::IsMember({"mpsc", "unsync", "pipeline", "all"}));
  app.add_option("-r,--runs", runs, "timed runs per case (median reported)");
  app.add_option("-n,--messages", total, "messages per mpsc case");
  std::string cfg = "both";
  app.add_option("-c,--cfg", cfg, "mpsc configuration: ct | 2t | both")
      ->check(CLI::IsMember({"ct", "2t", "both"}));
  std::vector<int> producer_counts{1, 4, 8};
  app.add_option("-p,--producers", producer_counts, "mpsc producer counts");
  CLI11_PARSE(app, argc, argv);

  if (workload == "mpsc" || workload == "all") {
    for (bool two : {false, true}) {
      if (cfg != "both" && (cfg == "2t") != two) continue;
      for (int p : producer_counts) {
        bench_mpsc(Kind::Bounded, p, two, runs, total);
        bench_mpsc(Kind::Unbounded, p, two, runs, total);
      }
    }
  }
  if (workload == "pipeline" || workload == "all") bench_pipeline(runs, 10'000'000);
  if (workload == "unsync" || workload == "all") {
    for (int p : {1, 4}) {
      bench_mpsc(Kind::UnsyncBounded, p, false, runs, total);
      bench_mpsc(Kind::UnsyncUnbounded, p, false, runs, total);
    }
  }
  return 0;
}
