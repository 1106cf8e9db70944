// What one system call costs against another on a loopback TCP pair: a 64-byte message
// sent, then read back, N times, with the calls chosen per variant. Variants alternate,
// so a change of the machine's speed mode hits all of them alike. docs/performance.md
// ("recv instead of read") has the figures that chose recv and send for mio's streams.
//
//   bench_socket_calls [--rounds N] [--runs R]      (pin it: taskset -c 1 ...)
#include <CLI/CLI.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

[[noreturn]] void die(const char* what) {
  std::perror(what);
  std::exit(1);
}

struct Pair {
  int client = -1;
  int server = -1;
};

Pair connected_pair() {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listener < 0) die("socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), len) != 0) die("bind");
  if (::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0) die("getsockname");
  if (::listen(listener, 1) != 0) die("listen");
  Pair pair;
  pair.client = ::socket(AF_INET, SOCK_STREAM, 0);
  if (pair.client < 0 || ::connect(pair.client, reinterpret_cast<sockaddr*>(&addr), len) != 0)
    die("connect");
  pair.server = ::accept(listener, nullptr, nullptr);
  if (pair.server < 0) die("accept");
  ::close(listener);
  return pair;
}

// The calls go through syscall(2), as mio's do (lib/tokio/mio/raw_syscall.hpp).
enum class Variant { SendRecv, SendRead, WriteRecv };
constexpr std::array<const char*, 3> kNames = {"sendto + recvfrom", "sendto + read",
                                               "write + recvfrom"};

double ns_per_round(const Pair& pair, Variant variant, int rounds) {
  std::array<unsigned char, 64> message{};
  std::array<unsigned char, 16384> buffer{};
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < rounds; ++i) {
    const long sent = variant == Variant::WriteRecv
                          ? ::syscall(SYS_write, pair.client, message.data(), message.size())
                          : ::syscall(SYS_sendto, pair.client, message.data(), message.size(),
                                      MSG_NOSIGNAL, nullptr, 0);
    if (sent != static_cast<long>(message.size())) die("send");
    // Loopback delivers the whole message before the send returns.
    const long got = variant == Variant::SendRead
                         ? ::syscall(SYS_read, pair.server, buffer.data(), buffer.size())
                         : ::syscall(SYS_recvfrom, pair.server, buffer.data(), buffer.size(), 0,
                                     nullptr, nullptr);
    if (got != static_cast<long>(message.size())) die("receive");
  }
  const std::chrono::duration<double, std::nano> elapsed = std::chrono::steady_clock::now() - start;
  return elapsed.count() / rounds;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Cost of socket system calls on a loopback TCP pair (ns per send + receive)"};
  int rounds = 200000;
  int runs = 6;
  app.add_option("--rounds", rounds, "send + receive rounds per run")->check(CLI::PositiveNumber);
  app.add_option("--runs", runs, "runs of each variant, alternating")->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);

  const Pair pair = connected_pair();
  std::array<std::vector<double>, kNames.size()> results;
  for (int run = 0; run < runs; ++run) {
    for (std::size_t v = 0; v < kNames.size(); ++v) {
      const std::size_t variant = (v + static_cast<std::size_t>(run)) % kNames.size();
      results[variant].push_back(ns_per_round(pair, static_cast<Variant>(variant), rounds));
    }
  }
  for (std::size_t v = 0; v < kNames.size(); ++v) {
    std::vector<double>& r = results[v];
    std::sort(r.begin(), r.end());
    std::printf("%-18s median %7.0f ns per round (min %.0f, max %.0f)\n", kNames[v],
                r[r.size() / 2], r.front(), r.back());
  }
  ::close(pair.client);
  ::close(pair.server);
  return 0;
}
