// Benchmarks of the futures layer (issue 2): polling a 10-deep and_then chain to
// completion, and oneshot send/receive across two threads. Prints ns/op.
//
//   build/tools/bench/bench_futures                 # every workload
//   build/tools/bench/bench_futures -w chain -n 5000000
//
// Timing goals are checked here, never in unit tests (the machines are shared and noisy).
#include <futures/future.hpp>
#include <futures/sync/oneshot.hpp>

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

using namespace futures;
using Clock = std::chrono::steady_clock;

namespace {

class NoopNotify final : public executor::Notify {
 public:
  void notify(std::size_t) override {}
};

/// Keeps the optimiser from deleting a computed value.
template <class T>
void keep(T&& value) {
  asm volatile("" : : "g"(&value) : "memory");
}

double ns_per_op(Clock::duration elapsed, long ops) {
  return std::chrono::duration<double, std::nano>(elapsed).count() / static_cast<double>(ops);
}

void report(const char* name, double ns) {
  std::printf("%-28s %10.1f ns/op\n", name, ns);
  std::fflush(stdout);
}

auto and_then_chain(int start) {
  auto step = [](int x) { return future::ok<int, int>(x + 1); };
  return future::ok<int, int>(start)
      .and_then(step).and_then(step).and_then(step).and_then(step).and_then(step)
      .and_then(step).and_then(step).and_then(step).and_then(step).and_then(step);
}

void bench_chain(long n) {
  auto notify = executor::NotifyHandle(std::make_shared<NoopNotify>());
  auto start = Clock::now();
  long sum = 0;
  for (long i = 0; i < n; ++i) {
    auto spawned = executor::spawn(and_then_chain(static_cast<int>(i)));
    auto polled = spawned.poll_future_notify(notify, 0);
    sum += polled.unwrap_ref().value();
  }
  keep(sum);
  report("and_then x10 (build+poll)", ns_per_op(Clock::now() - start, n));
}

void bench_oneshot_throughput(long n) {
  std::vector<sync::oneshot::Sender<long>> senders;
  std::vector<sync::oneshot::Receiver<long>> receivers;
  senders.reserve(n);
  receivers.reserve(n);
  for (long i = 0; i < n; ++i) {
    auto [tx, rx] = sync::oneshot::channel<long>();
    senders.push_back(std::move(tx));
    receivers.push_back(std::move(rx));
  }
  auto start = Clock::now();
  std::thread producer([&] {
    for (long i = 0; i < n; ++i) (void)std::move(senders[i]).send(i);
  });
  long sum = 0;
  for (long i = 0; i < n; ++i) sum += std::move(receivers[i]).wait().unwrap();
  producer.join();
  keep(sum);
  report("oneshot send->wait (2 thr)", ns_per_op(Clock::now() - start, n));
}

void bench_oneshot_ping_pong(long n) {
  // Each round: main sends a oneshot Sender to the peer through another oneshot, the
  // peer answers on it. Two cross-thread wake-ups per round.
  std::vector<sync::oneshot::Sender<sync::oneshot::Sender<long>>> to_peer;
  std::vector<sync::oneshot::Receiver<sync::oneshot::Sender<long>>> peer_inbox;
  for (long i = 0; i < n; ++i) {
    auto [tx, rx] = sync::oneshot::channel<sync::oneshot::Sender<long>>();
    to_peer.push_back(std::move(tx));
    peer_inbox.push_back(std::move(rx));
  }
  auto start = Clock::now();
  std::thread peer([&] {
    for (long i = 0; i < n; ++i) {
      auto reply = std::move(peer_inbox[i]).wait().unwrap();
      (void)std::move(reply).send(i);
    }
  });
  long sum = 0;
  for (long i = 0; i < n; ++i) {
    auto [tx, rx] = sync::oneshot::channel<long>();
    (void)std::move(to_peer[i]).send(std::move(tx));
    sum += std::move(rx).wait().unwrap();
  }
  peer.join();
  keep(sum);
  report("oneshot ping-pong round", ns_per_op(Clock::now() - start, n));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"futures layer benchmarks (ns/op)"};
  std::string workload = "all";
  long n = 0;
  app.add_option("-w,--workload", workload, "chain | oneshot | ping_pong | all")
      ->check(CLI::IsMember({"chain", "oneshot", "ping_pong", "all"}));
  app.add_option("-n,--iterations", n, "iterations (default per workload)");
  CLI11_PARSE(app, argc, argv);

  if (workload == "chain" || workload == "all") bench_chain(n ? n : 5'000'000);
  if (workload == "oneshot" || workload == "all") bench_oneshot_throughput(n ? n : 200'000);
  if (workload == "ping_pong" || workload == "all") bench_oneshot_ping_pong(n ? n : 50'000);
  return 0;
}
