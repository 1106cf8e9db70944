// tokio::mio layer: Ready, a set of readiness kinds (mio 0.6's `Ready` with the
// `UnixReady` bits `hup` and `error` folded in).
//
// Used both as interest (what a registration asks for) and as readiness (what an Event
// reports). Only readable and writable are meaningful as interest: hup and error are
// reported whether asked for or not, as epoll does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>

namespace tokio::mio {

class Ready {
 public:
  constexpr Ready() noexcept = default;

  static constexpr Ready empty() noexcept { return Ready(0); }
  static constexpr Ready readable() noexcept { return Ready(kReadable); }
  static constexpr Ready writable() noexcept { return Ready(kWritable); }
  /// The fd has a pending error (EPOLLERR / POLLERR); read it with take_error().
  static constexpr Ready error() noexcept { return Ready(kError); }
  /// The peer hung up, fully or its write half (EPOLLHUP, EPOLLRDHUP / POLLHUP, POLLRDHUP).
  static constexpr Ready hup() noexcept { return Ready(kHup); }
  static constexpr Ready all() noexcept { return Ready(kAll); }

  constexpr bool is_empty() const noexcept { return bits_ == 0; }
  constexpr bool is_readable() const noexcept { return (bits_ & kReadable) != 0; }
  constexpr bool is_writable() const noexcept { return (bits_ & kWritable) != 0; }
  constexpr bool is_error() const noexcept { return (bits_ & kError) != 0; }
  constexpr bool is_hup() const noexcept { return (bits_ & kHup) != 0; }
  /// True when every bit of `other` is set here (empty() is contained in everything).
  constexpr bool contains(Ready other) const noexcept { return (bits_ & other.bits_) == other.bits_; }
  /// True when some bit is set in both.
  constexpr bool intersects(Ready other) const noexcept { return (bits_ & other.bits_) != 0; }

  constexpr void insert(Ready other) noexcept { bits_ |= other.bits_; }
  constexpr void remove(Ready other) noexcept { bits_ &= ~other.bits_; }

  constexpr std::size_t as_usize() const noexcept { return bits_; }
  /// Keeps only the bits that name a readiness kind.
  static constexpr Ready from_usize(std::size_t bits) noexcept { return Ready(static_cast<std::uint8_t>(bits & kAll)); }

  friend constexpr Ready operator|(Ready a, Ready b) noexcept { return Ready(a.bits_ | b.bits_); }
  friend constexpr Ready operator&(Ready a, Ready b) noexcept { return Ready(a.bits_ & b.bits_); }
  friend constexpr Ready operator-(Ready a, Ready b) noexcept { return Ready(a.bits_ & ~b.bits_); }
  constexpr Ready& operator|=(Ready b) noexcept { bits_ |= b.bits_; return *this; }
  constexpr Ready& operator&=(Ready b) noexcept { bits_ &= b.bits_; return *this; }
  constexpr Ready& operator-=(Ready b) noexcept { bits_ &= ~b.bits_; return *this; }
  friend constexpr bool operator==(Ready, Ready) noexcept = default;

  /// Prints as Rust's Debug does: "Readable | Writable", or "(empty)".
  friend std::ostream& operator<<(std::ostream& os, Ready r) {
    if (r.is_empty()) return os << "(empty)";
    const char* sep = "";
    auto put = [&](bool on, const char* name) {
      if (on) { os << sep << name; sep = " | "; }
    };
    put(r.is_readable(), "Readable");
    put(r.is_writable(), "Writable");
    put(r.is_error(), "Error");
    put(r.is_hup(), "Hup");
    return os;
  }

 private:
  static constexpr std::uint8_t kReadable = 1, kWritable = 2, kError = 4, kHup = 8;
  static constexpr std::uint8_t kAll = kReadable | kWritable | kError | kHup;
  constexpr explicit Ready(unsigned bits) noexcept : bits_(static_cast<std::uint8_t>(bits)) {}
  std::uint8_t bits_ = 0;
};

}  // namespace tokio::mio
