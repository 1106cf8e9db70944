// loadgen: a TCP echo load generator (issue 5, "Examples and demo").
//
// Deliberately independent of tokio-cpp (plain non-blocking sockets, one edge-triggered
// epoll per client thread) so that it measures any echo server the same way: ours, the
// anchors' raw epoll loop, Tokio, Asio. docs/loadgen.md has the full description.
//
//   loadgen 127.0.0.1:6142 -c 16 -s 64 -d 3          # ping-pong, 16 connections, 3 s
//   loadgen 127.0.0.1:6142 -c 1 -s 16384 --bulk      # streaming, MB/s
//
// Ping-pong mode: every connection keeps `--pipeline` messages of `--size` bytes in flight;
// a message completes when all of its bytes have come back, and its latency (the time it
// was queued → the time its last byte was read) goes into a log-linear histogram. Bulk
// mode: every connection writes `--size`-byte chunks as fast as the socket takes them and
// reads the echo; only bytes are counted. In both modes only completions inside
// [warm-up end, warm-up end + duration) are counted.
//
// Every byte sent follows one pattern indexed by the stream offset, with a prime period so
// that consecutive messages differ; every byte read is compared with it. A mismatch counts
// one error per read; a connection the server closes or resets counts one error and is
// dropped; the run goes on with the others.
//
// Exit status: 0 ok; 1 bad arguments; 2 connection failures (or no connection at all);
// 3 no message completed; 4 errors (mismatches, connections closed by the server).

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <barrier>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

std::uint64_t now_ns() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
          .count());
}

// ===== Histogram =====

// Log-linear latency histogram in nanoseconds: values below 128 have their own bucket,
// above that every power of two is split into 64 buckets (relative error < 1.6 %). 64 × 64
// buckets cover the whole uint64 range, so recording never allocates nor clamps.
class Histogram {
 public:
  void record(std::uint64_t v) {
    ++buckets_[index(v)];
    ++count_;
    max_ = std::max(max_, v);
  }
  void merge(const Histogram& other) {
    for (std::size_t i = 0; i < kBuckets; ++i)
      buckets_[i] += other.buckets_[i];
    count_ += other.count_;
    max_ = std::max(max_, other.max_);
  }
  std::uint64_t count() const { return count_; }
  std::uint64_t max() const { return max_; }
  // The value below which `pct` percent of the samples lie (bucket midpoint).
  std::uint64_t percentile(double pct) const {
    if (count_ == 0) return 0;
    auto rank = static_cast<std::uint64_t>(pct / 100.0 * static_cast<double>(count_));
    rank = std::min(rank, count_ - 1);
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < kBuckets; ++i) {
      seen += buckets_[i];
      if (seen > rank) return std::min(midpoint(i), max_);
    }
    return max_;
  }

 private:
  static constexpr std::size_t kSub = 64;
  static constexpr std::size_t kBuckets = 64 * kSub;

  static std::size_t index(std::uint64_t v) {
    if (v < 2 * kSub) return static_cast<std::size_t>(v);
    int msb = 63 - __builtin_clzll(v);
    int shift = msb - 6;  // v >> shift lies in [64, 128)
    return static_cast<std::size_t>(shift + 1) * kSub + static_cast<std::size_t>(v >> shift) - kSub;
  }
  static std::uint64_t midpoint(std::size_t i) {
    if (i < 2 * kSub) return i;
    std::size_t shift = i / kSub - 1;
    std::uint64_t sub = i % kSub + kSub;
    return (sub << shift) + ((std::uint64_t{1} << shift) >> 1);
  }

  std::array<std::uint64_t, kBuckets> buckets_{};
  std::uint64_t count_ = 0;
  std::uint64_t max_ = 0;
};

// ===== Configuration =====

struct Config {
  std::string addr = "127.0.0.1:6142";
  int connections = 16;
  std::size_t size = 64;
  int pipeline = 1;
  double duration = 3.0;
  double warmup = 0.5;
  int threads = 1;
  bool bulk = false;
  bool json = false;
  bool interval = false;
  double connect_timeout = 2.0;
};

constexpr std::size_t kPatternPeriod = 251;  // prime: messages of any size differ
constexpr std::size_t kMaxChunk = 256 * 1024;
constexpr std::size_t kReadBuffer = 256 * 1024;
constexpr std::size_t kMaxSize = 16 * 1024 * 1024;

// The pattern, long enough that any write (≤ kMaxChunk) starts at offset % period.
std::vector<std::uint8_t> make_pattern() {
  std::vector<std::uint8_t> p(kPatternPeriod + kMaxChunk);
  for (std::size_t i = 0; i < p.size(); ++i)
    p[i] = static_cast<std::uint8_t>((i % kPatternPeriod) * 73 + 11);
  return p;
}

// "host:port" or "[v6]:port"; the host may be numeric or a name.
bool resolve(const std::string& addr, sockaddr_storage& out, socklen_t& len) {
  auto colon = addr.rfind(':');
  if (colon == std::string::npos) return false;
  std::string host = addr.substr(0, colon), port = addr.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &res) != 0 || res == nullptr) return false;
  std::memcpy(&out, res->ai_addr, res->ai_addrlen);
  len = res->ai_addrlen;
  freeaddrinfo(res);
  return true;
}

// ===== Client thread =====

struct Connection {
  int fd = -1;
  bool open = false;
  std::uint64_t tx_off = 0;            // bytes written
  std::uint64_t tx_target = 0;         // ping-pong: bytes queued (completed + in flight) × size
  std::uint64_t rx_off = 0;            // bytes read
  std::uint64_t completed = 0;         // ping-pong: messages fully echoed
  std::size_t ts_head = 0;             // oldest in-flight message in `sent_at`
  std::vector<std::uint64_t> sent_at;  // ping-pong: queue time per in-flight message
};

// Counters the main thread reads while the client runs (single writer: relaxed load+store,
// no locked instruction on the hot path).
struct LiveCounters {
  std::atomic<std::uint64_t> msgs{0};
  std::atomic<std::uint64_t> bytes{0};
  void add(std::atomic<std::uint64_t>& c, std::uint64_t n) {
    c.store(c.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
};

class Client {
 public:
  Client(const Config& cfg, const std::vector<std::uint8_t>& pattern, int connections)
      : cfg_(cfg),
        pattern_(pattern),
        conns_(static_cast<std::size_t>(connections)),
        rbuf_(kReadBuffer) {}
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  ~Client() {
    for (auto& c : conns_)
      if (c.fd >= 0) ::close(c.fd);
    if (ep_ >= 0) ::close(ep_);
  }

  // Connects every connection, retrying refused connects until `deadline_ns`.
  void connect_all(const sockaddr_storage& addr, socklen_t len, std::uint64_t deadline_ns) {
    ep_ = epoll_create1(EPOLL_CLOEXEC);
    if (ep_ < 0) {
      std::perror("loadgen: epoll_create1");
      connect_failures_ = conns_.size();
      return;
    }
    for (auto& c : conns_) {
      c.fd = connect_one(addr, len, deadline_ns);
      if (c.fd < 0) {
        ++connect_failures_;
        continue;
      }
      epoll_event ev{};
      ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
      ev.data.ptr = &c;
      if (epoll_ctl(ep_, EPOLL_CTL_ADD, c.fd, &ev) < 0) {
        ::close(c.fd);
        c.fd = -1;
        ++connect_failures_;
        continue;
      }
      c.open = true;
      ++open_;
      if (!cfg_.bulk) c.sent_at.assign(static_cast<std::size_t>(cfg_.pipeline), 0);
    }
  }

  void run(std::uint64_t warm_end, std::uint64_t end) {
    warm_end_ = warm_end;
    end_ = end;
    std::uint64_t t = now_ns();
    for (auto& c : conns_) {
      if (!c.open) continue;
      if (!cfg_.bulk) {
        std::fill(c.sent_at.begin(), c.sent_at.end(), t);
        c.tx_target = static_cast<std::uint64_t>(cfg_.pipeline) * cfg_.size;
      }
      write_some(c);
    }
    std::array<epoll_event, 256> events;
    while ((t = now_ns()) < end_ && open_ > 0) {
      int timeout_ms = static_cast<int>(std::min<std::uint64_t>((end_ - t) / 1'000'000 + 1, 10));
      int n = epoll_wait(ep_, events.data(), static_cast<int>(events.size()), timeout_ms);
      if (n < 0) {
        if (errno == EINTR) continue;
        std::perror("loadgen: epoll_wait");
        break;
      }
      for (int i = 0; i < n; ++i) {
        auto& c = *static_cast<Connection*>(events[static_cast<std::size_t>(i)].data.ptr);
        std::uint32_t e = events[static_cast<std::size_t>(i)].events;
        if (!c.open) continue;
        bool hangup = (e & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0;
        if (e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) read_some(c, hangup);
        if (c.open && (e & EPOLLOUT)) write_some(c);
      }
    }
  }

  const Histogram& histogram() const { return hist_; }
  LiveCounters& live() { return live_; }
  std::uint64_t window_msgs() const { return window_msgs_; }
  std::uint64_t window_bytes() const { return window_bytes_; }
  std::uint64_t mismatches() const { return mismatches_; }
  std::uint64_t closed_by_server() const { return closed_by_server_; }
  std::uint64_t connect_failures() const { return connect_failures_; }

 private:
  static int connect_one(const sockaddr_storage& addr, socklen_t len, std::uint64_t deadline_ns) {
    for (;;) {
      int fd = ::socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (fd < 0) {
        std::perror("loadgen: socket");
        return -1;
      }
      if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), len) == 0) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        return fd;
      }
      int err = errno;
      ::close(fd);
      bool retry = err == ECONNREFUSED || err == EAGAIN || err == ETIMEDOUT || err == EINTR ||
                   err == ECONNRESET;
      if (!retry || now_ns() >= deadline_ns) {
        static std::atomic<bool> reported{false};  // one line, not one per connection
        if (!reported.exchange(true))
          std::fprintf(stderr, "loadgen: connect: %s\n", std::strerror(err));
        return -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // server still starting
    }
  }

  void drop(Connection& c) {
    if (!c.open) return;
    c.open = false;
    epoll_ctl(ep_, EPOLL_CTL_DEL, c.fd, nullptr);
    ::close(c.fd);
    c.fd = -1;
    --open_;
    ++closed_by_server_;
  }

  void write_some(Connection& c) {
    for (;;) {
      std::size_t want = cfg_.bulk ? cfg_.size
                                   : static_cast<std::size_t>(std::min<std::uint64_t>(
                                         c.tx_target - c.tx_off, kMaxChunk));
      want = std::min(want, kMaxChunk);
      if (want == 0) return;
      const std::uint8_t* p = pattern_.data() + c.tx_off % kPatternPeriod;
      ssize_t n = ::send(c.fd, p, want, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) drop(c);
        return;
      }
      c.tx_off += static_cast<std::uint64_t>(n);
      if (static_cast<std::size_t>(n) < want) return;  // buffer full: wait for EPOLLOUT
    }
  }

  void read_some(Connection& c, bool hangup) {
    for (;;) {
      ssize_t r = ::recv(c.fd, rbuf_.data(), rbuf_.size(), 0);
      if (r < 0) {
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) drop(c);  // reset
        return;
      }
      if (r == 0) {  // the server closed the connection
        drop(c);
        return;
      }
      auto n = static_cast<std::size_t>(r);
      if (c.rx_off + n > c.tx_off) {  // more than we sent: the stream is not an echo
        ++mismatches_;
        drop(c);
        return;
      }
      if (std::memcmp(rbuf_.data(), pattern_.data() + c.rx_off % kPatternPeriod, n) != 0)
        ++mismatches_;
      c.rx_off += n;
      std::uint64_t t = now_ns();
      bool in_window = t >= warm_end_ && t < end_;
      if (cfg_.bulk) {
        live_.add(live_.bytes, n);
        if (in_window) window_bytes_ += n;
      } else {
        complete_messages(c, t, in_window);
        write_some(c);
        if (!c.open) return;
      }
      // A short read drained the socket (edge-triggered: new data raises a new edge); after
      // a hang-up keep reading so that the end of stream is seen.
      if (!hangup && n < rbuf_.size()) return;
    }
  }

  void complete_messages(Connection& c, std::uint64_t t, bool in_window) {
    std::uint64_t done = c.rx_off / cfg_.size;
    std::uint64_t fresh = done - c.completed;
    if (fresh == 0) return;
    for (; c.completed < done; ++c.completed) {
      if (in_window) hist_.record(t - c.sent_at[c.ts_head]);
      c.sent_at[c.ts_head] = t;  // the next message takes the freed slot, queued now
      if (++c.ts_head == c.sent_at.size()) c.ts_head = 0;
    }
    c.tx_target += fresh * cfg_.size;
    live_.add(live_.msgs, fresh);
    live_.add(live_.bytes, fresh * cfg_.size);
    if (in_window) {
      window_msgs_ += fresh;
      window_bytes_ += fresh * cfg_.size;
    }
  }

  const Config& cfg_;
  const std::vector<std::uint8_t>& pattern_;
  std::vector<Connection> conns_;
  std::vector<std::uint8_t> rbuf_;
  int ep_ = -1;
  std::size_t open_ = 0;
  std::uint64_t warm_end_ = 0, end_ = 0;
  Histogram hist_;
  LiveCounters live_;
  std::uint64_t window_msgs_ = 0, window_bytes_ = 0;
  std::uint64_t mismatches_ = 0, closed_by_server_ = 0, connect_failures_ = 0;
};

void sleep_until_ns(std::uint64_t t) {
  for (std::uint64_t n = now_ns(); n < t; n = now_ns())
    std::this_thread::sleep_for(std::chrono::nanoseconds(t - n));
}

void raise_fd_limit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

}  // namespace

int main(int argc, char** argv) {
  Config cfg;
  CLI::App app{"TCP echo load generator: msgs/s, MB/s and p50/p99 round-trip latency"};
  app.add_option("addr,--addr", cfg.addr, "server address host:port")->capture_default_str();
  app.add_option("-c,--connections", cfg.connections, "concurrent connections")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  app.add_option("-s,--size", cfg.size, "message (ping-pong) or chunk (bulk) size in bytes")
      ->check(CLI::Range(std::size_t{1}, kMaxSize))
      ->capture_default_str();
  app.add_option("-p,--pipeline", cfg.pipeline, "messages in flight per connection")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  app.add_option("-d,--duration", cfg.duration, "measured seconds")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("-w,--warmup", cfg.warmup, "seconds run before measuring")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("-t,--threads", cfg.threads, "client threads, one epoll each")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  app.add_flag("--bulk", cfg.bulk, "stream continuously and report MB/s (no latency)");
  app.add_flag("--json", cfg.json, "also print the summary as one JSON line");
  app.add_flag("-i,--interval", cfg.interval, "print a line every second");
  app.add_option("--connect-timeout", cfg.connect_timeout,
                 "seconds to keep retrying refused connects")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;  // --help is not an error
  }
  if (static_cast<std::uint64_t>(cfg.pipeline) * cfg.size > (std::uint64_t{1} << 32)) {
    std::fprintf(stderr, "loadgen: --pipeline × --size is too large\n");
    return 1;
  }

  std::signal(SIGPIPE, SIG_IGN);  // sends use MSG_NOSIGNAL; this is a second guard
  raise_fd_limit();
  sockaddr_storage addr{};
  socklen_t addr_len = 0;
  if (!resolve(cfg.addr, addr, addr_len)) {
    std::fprintf(stderr, "loadgen: cannot resolve '%s' (expected host:port)\n", cfg.addr.c_str());
    return 1;
  }

  cfg.threads = std::min(cfg.threads, cfg.connections);
  const auto pattern = make_pattern();
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < cfg.threads; ++i) {
    int share = cfg.connections / cfg.threads + (i < cfg.connections % cfg.threads ? 1 : 0);
    clients.push_back(std::make_unique<Client>(cfg, pattern, share));
  }

  // Phase 1: every thread connects its share; phase 2 (after the barrier) all measure.
  const std::uint64_t connect_deadline =
      now_ns() + static_cast<std::uint64_t>(cfg.connect_timeout * 1e9);
  std::uint64_t t0 = 0;
  std::atomic<bool> abort{false};
  std::barrier connected(cfg.threads + 1);
  std::barrier started(cfg.threads + 1);
  auto warm_end = [&] { return t0 + static_cast<std::uint64_t>(cfg.warmup * 1e9); };
  auto end = [&] { return warm_end() + static_cast<std::uint64_t>(cfg.duration * 1e9); };
  std::vector<std::thread> workers;
  for (auto& client : clients) {
    workers.emplace_back([&, c = client.get()] {
      c->connect_all(addr, addr_len, connect_deadline);
      connected.arrive_and_wait();
      started.arrive_and_wait();
      if (!abort.load()) c->run(warm_end(), end());
    });
  }
  connected.arrive_and_wait();
  std::uint64_t connect_failures = 0;
  for (auto& c : clients)
    connect_failures += c->connect_failures();
  if (connect_failures == static_cast<std::uint64_t>(cfg.connections)) abort = true;
  t0 = now_ns();
  started.arrive_and_wait();

  if (!abort) {
    if (cfg.interval) {
      std::uint64_t last_msgs = 0, last_bytes = 0, last_tick = t0;
      for (int sec = 1; last_tick < end(); ++sec) {
        std::uint64_t tick = std::min(t0 + static_cast<std::uint64_t>(sec) * 1'000'000'000, end());
        sleep_until_ns(tick);
        std::uint64_t msgs = 0, bytes = 0;
        for (auto& c : clients) {
          msgs += c->live().msgs.load(std::memory_order_relaxed);
          bytes += c->live().bytes.load(std::memory_order_relaxed);
        }
        double secs = static_cast<double>(tick - last_tick) / 1e9;
        last_tick = tick;
        std::printf("  [%5.1fs%s] %10.0f msgs/s %9.2f MB/s\n", static_cast<double>(tick - t0) / 1e9,
                    tick <= warm_end() ? " warm-up" : "",
                    static_cast<double>(msgs - last_msgs) / secs,
                    static_cast<double>(bytes - last_bytes) / secs / 1e6);
        std::fflush(stdout);
        last_msgs = msgs;
        last_bytes = bytes;
      }
    }
  }
  for (auto& w : workers)
    w.join();

  Histogram hist;
  std::uint64_t msgs = 0, bytes = 0, mismatches = 0, closed = 0;
  for (auto& c : clients) {
    hist.merge(c->histogram());
    msgs += c->window_msgs();
    bytes += c->window_bytes();
    mismatches += c->mismatches();
    closed += c->closed_by_server();
  }
  const double msgs_per_s =
      cfg.bulk ? static_cast<double>(bytes) / static_cast<double>(cfg.size) / cfg.duration
               : static_cast<double>(msgs) / cfg.duration;
  const double mb_per_s = static_cast<double>(bytes) / cfg.duration / 1e6;
  const double p50 = static_cast<double>(hist.percentile(50)) / 1e3;
  const double p99 = static_cast<double>(hist.percentile(99)) / 1e3;
  const double max_us = static_cast<double>(hist.max()) / 1e3;
  const std::uint64_t errors = mismatches + closed;
  const char* mode = cfg.bulk ? "bulk" : "pingpong";

  if (cfg.bulk)
    std::printf(
        "loadgen %s %s c=%d s=%zu t=%d d=%gs: %.0f chunks/s %.2f MB/s errors=%llu "
        "(mismatches=%llu closed=%llu) connect_failures=%llu\n",
        mode, cfg.addr.c_str(), cfg.connections, cfg.size, cfg.threads, cfg.duration, msgs_per_s,
        mb_per_s, static_cast<unsigned long long>(errors),
        static_cast<unsigned long long>(mismatches), static_cast<unsigned long long>(closed),
        static_cast<unsigned long long>(connect_failures));
  else
    std::printf(
        "loadgen %s %s c=%d s=%zu p=%d t=%d d=%gs: %.0f msgs/s %.2f MB/s p50=%.1fus "
        "p99=%.1fus max=%.1fus errors=%llu (mismatches=%llu closed=%llu) "
        "connect_failures=%llu\n",
        mode, cfg.addr.c_str(), cfg.connections, cfg.size, cfg.pipeline, cfg.threads, cfg.duration,
        msgs_per_s, mb_per_s, p50, p99, max_us, static_cast<unsigned long long>(errors),
        static_cast<unsigned long long>(mismatches), static_cast<unsigned long long>(closed),
        static_cast<unsigned long long>(connect_failures));
  if (cfg.json)
    std::printf(
        "{\"mode\":\"%s\",\"addr\":\"%s\",\"connections\":%d,\"size\":%zu,\"pipeline\":%d,"
        "\"threads\":%d,\"duration_s\":%g,\"warmup_s\":%g,\"msgs_per_s\":%.1f,"
        "\"mb_per_s\":%.3f,\"p50_us\":%.2f,\"p99_us\":%.2f,\"max_us\":%.2f,"
        "\"errors\":%llu,\"mismatches\":%llu,\"closed\":%llu,\"connect_failures\":%llu}\n",
        mode, cfg.addr.c_str(), cfg.connections, cfg.size, cfg.pipeline, cfg.threads, cfg.duration,
        cfg.warmup, msgs_per_s, mb_per_s, cfg.bulk ? -1.0 : p50, cfg.bulk ? -1.0 : p99,
        cfg.bulk ? -1.0 : max_us, static_cast<unsigned long long>(errors),
        static_cast<unsigned long long>(mismatches), static_cast<unsigned long long>(closed),
        static_cast<unsigned long long>(connect_failures));
  std::fflush(stdout);

  if (connect_failures > 0) return 2;
  if (bytes == 0) return 3;
  if (errors > 0) return 4;
  return 0;
}
