// Relacy model-checking support: a Notify that records what it is told, and runners.
//
// Every model TU is compiled with -DFUTURES_RELACY, so futures::detail::Atomic and
// UnsafeCell in the library code under test are Relacy-instrumented (see
// include/futures/detail/atomic.hpp). A model is a `rl::test_suite<Suite, Threads>`
// whose members are constructed afresh for every explored interleaving; `thread(i)` runs
// on Relacy's simulated thread i and `after()` checks the outcome once all have finished.
// RL_ASSERT fails the model; Relacy itself reports data races on UnsafeCell, invalid
// memory orders, leaks, deadlocks and livelocks.
#pragma once

#include <futures/detail/atomic.hpp>
#include <futures/task.hpp>

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <memory>
#include <optional>
#include <ostream>
#include <string_view>
#include <utility>

#include "support/notify.hpp"

namespace futures_model {

/// Counts notifications per task id, and the Task handles alive (clone_id/drop_id).
/// Thread-safe: the counters are instrumented atomics (relaxed: they are read in after(),
/// once every thread has been joined).
class RecordingNotify final : public futures::executor::Notify {
 public:
  static constexpr std::size_t kIds = 4;

  void notify(std::size_t id) override { notified_[id].fetch_add(1, std::memory_order_relaxed); }
  std::size_t clone_id(std::size_t id) override {
    live_.fetch_add(1, std::memory_order_relaxed);
    return id;
  }
  void drop_id(std::size_t) override { live_.fetch_sub(1, std::memory_order_relaxed); }

  int notified(std::size_t id) const { return notified_[id].load(std::memory_order_relaxed); }
  /// Task handles created and not yet destroyed.
  int live_tasks() const { return live_.load(std::memory_order_relaxed); }

 private:
  futures::detail::Atomic<int> notified_[kIds];
  futures::detail::Atomic<int> live_;
};

/// The executor of a simulated thread that blocks while its task is NotReady: notify()
/// sets an auto-reset event (so notifications coalesce, as executors do) and park()
/// waits for it. A lost wakeup leaves the thread blocked for ever, which Relacy reports
/// as a deadlock.
class ParkNotify final : public futures::executor::Notify {
 public:
  ParkNotify() { event_.init(/*manual_reset=*/false, /*initial_state=*/false, RL_INFO); }
  ~ParkNotify() override { event_.deinit(RL_INFO); }
  ParkNotify(const ParkNotify&) = delete;
  ParkNotify& operator=(const ParkNotify&) = delete;

  void notify(std::size_t) override { event_.set(RL_INFO); }
  /// Blocks until notified (at once if notified since the last park). Counts as a spin
  /// for Relacy (rl::yield): a task that notifies itself to come back soon (e.g. while
  /// another thread is halfway through a push) polls in a loop, which Relacy's
  /// context-bound search would otherwise report as a livelock.
  void park() {
    rl::yield(1, RL_INFO);
    event_.wait(/*try_wait=*/false, /*is_timed=*/false, RL_INFO);
  }

 private:
  rl::generic_event event_;
};

/// A simulated thread's task: poll(fn) runs fn with the task current (as an executor
/// polls a future), park() blocks the thread until the task is notified.
struct ModelTask {
  std::shared_ptr<ParkNotify> notify = std::make_shared<ParkNotify>();
  futures::executor::NotifyHandle handle{notify};

  template <class Fn>
  decltype(auto) poll(Fn&& fn) {
    return futures_test::with_task(handle, std::forward<Fn>(fn));
  }
  void park() { notify->park(); }
};

/// A message whose payload Relacy tracks as plain memory: a copy reads it, so handing
/// a Tracked from thread to thread without a happens-before edge is reported as a data
/// race. Copyable (no move constructor: moves copy too).
struct Tracked {
  explicit Tracked(int v) : value(v) {}
  int get() const { return value(RL_INFO); }
  rl::var<int> value;
};

/// Values a model's consumer received, in order. A fixed array, not a vector: every
/// heap free is a choice point for Relacy's systematic searches, so models keep their
/// own allocations out of the way.
struct Received {
  static constexpr int kMax = 8;
  int values[kMax] = {};
  int size = 0;

  void push(int v) {
    RL_ASSERT(size < kMax);
    values[size++] = v;
  }

  /// Checks that senders 0..senders-1 each delivered values v = 10 * sender + i for
  /// i = 0..per_sender-1, each exactly once and in order.
  void check_fifo(int senders, int per_sender) const {
    RL_ASSERT(size == senders * per_sender);
    int next[kMax] = {};
    for (int k = 0; k < size; ++k) {
      const int sender = values[k] / 10;
      RL_ASSERT(sender >= 0 && sender < senders);
      RL_ASSERT(values[k] % 10 == next[sender]);
      ++next[sender];
    }
  }
};

/// A Task naming `id` of `notify`.
inline futures::task::Task make_task(const std::shared_ptr<RecordingNotify>& notify,
                                     std::size_t id) {
  return futures::task::Task(futures::executor::NotifyHandle(notify), id);
}

/// A stream that drops everything. (Not an ostringstream: Relacy writes to it inside the
/// simulation, where allocating would go to its checked heap and confuse it.)
inline std::ostream& discard_stream() {
  static std::ostream discard(nullptr);  // no buffer: every write is dropped
  return discard;
}

/// Test parameters without Relacy's progress lines (the CI log keeps only the results).
inline rl::test_params quiet_params() {
  rl::test_params p;
  p.progress_stream = &discard_stream();
  return p;
}

/// Exhaustive search of all interleavings (for 2-3 short threads).
inline rl::test_params full_search() {
  rl::test_params p = quiet_params();
  p.search_type = rl::sched_full;
  return p;
}

/// Every interleaving with at most `bound` preemptions per thread (larger models).
inline rl::test_params context_bound(unsigned bound) {
  rl::test_params p = quiet_params();
  p.search_type = rl::sched_bound;
  p.context_bound = bound;
  return p;
}

/// `iterations` random interleavings (models too large for a systematic search).
inline rl::test_params random_search(rl::iteration_t iterations) {
  rl::test_params p = quiet_params();
  p.search_type = rl::sched_random;
  p.iteration_count = iterations;
  return p;
}

/// The search given on the command line ("full", "bound:N" or "random:N"), which
/// replaces every model's own; nullopt when none was.
inline std::optional<rl::test_params>& search_override() {
  static std::optional<rl::test_params> params;
  return params;
}

inline std::optional<rl::test_params> parse_search(std::string_view text) {
  const std::size_t colon = text.find(':');
  const std::string_view kind = text.substr(0, colon);
  const unsigned long n =
      colon == std::string_view::npos ? 0 : std::strtoul(text.data() + colon + 1, nullptr, 10);
  if (kind == "full") return full_search();
  if (kind == "bound" && n > 0) return context_bound(static_cast<unsigned>(n));
  if (kind == "random" && n > 0) return random_search(static_cast<rl::iteration_t>(n));
  return std::nullopt;
}

/// Runs a model that must pass; Relacy prints its statistics or the failing history.
template <class Suite>
bool check(rl::test_params params) {
  if (search_override()) params = *search_override();
  const bool ok = rl::simulate<Suite>(params);
  if (!ok) std::printf("MODEL FAILED: %s\n", params.test_name.c_str());
  return ok;
}

/// Runs a model that must FAIL with the result the suite declares (a broken protocol), to
/// show the harness catches the bug; the failing history is not printed.
template <class Suite>
bool check_catches(rl::test_params params) {
  if (search_override()) params = *search_override();
  params.output_stream = &discard_stream();
  const bool ok = rl::simulate<Suite>(params);
  std::printf("%s: broken variant %s\n", params.test_name.c_str(),
              ok ? "caught as expected" : "NOT CAUGHT");
  return ok;
}

/// One model of a program: its name and how to run it (check<...>(params)).
struct Model {
  const char* name;
  bool (*run)();
};

/// A model program's main: runs every model, or those whose name contains argv[1], with
/// their own search or the one in argv[2] (e.g. `mpsc_model Queue bound:3` for a deeper
/// run than CI's), printing each result and how long it took; 0 if all passed.
inline int run_models(int argc, char** argv, std::initializer_list<Model> models) {
  const std::string_view filter = argc > 1 ? argv[1] : "";
  if (argc > 2) {
    search_override() = parse_search(argv[2]);
    if (!search_override()) {
      std::printf("usage: %s [NAME-FILTER [full|bound:N|random:N]]\n", argv[0]);
      return 2;
    }
  }
  bool all_ok = true;
  for (const Model& model : models) {
    if (std::string_view(model.name).find(filter) == std::string_view::npos) continue;
    std::printf("=== %s\n", model.name);
    std::fflush(stdout);
    const auto start = std::chrono::steady_clock::now();
    const bool ok = model.run();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    std::printf("=== %s: %s (%lld ms)\n", model.name, ok ? "ok" : "FAILED",
                static_cast<long long>(ms));
    std::fflush(stdout);
    all_ok &= ok;
  }
  return all_ok ? 0 : 1;
}

}  // namespace futures_model
