// Helpers shared by the raw-socket tests (net_*_test.cpp): wait for readiness with
// poll(2) under a bounded timeout (no mio Poll needed), and byte-span shorthands.
#pragma once

#include <poll.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace mio_net_test {

constexpr int kWaitMs = 5000;  // a bound, not a sleep: poll returns as soon as ready

/// Waits until `fd` has any of `events` (POLLIN / POLLOUT); false on timeout.
inline bool wait_for(int fd, short events) {
  pollfd p{fd, events, 0};
  for (;;) {
    const int rc = ::poll(&p, 1, kWaitMs);
    if (rc >= 0) return rc == 1;
    if (errno != EINTR) return false;
  }
}
inline bool wait_readable(int fd) { return wait_for(fd, POLLIN); }
inline bool wait_writable(int fd) { return wait_for(fd, POLLOUT); }

inline std::span<const std::uint8_t> bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string text(std::span<const std::uint8_t> b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

}  // namespace mio_net_test
