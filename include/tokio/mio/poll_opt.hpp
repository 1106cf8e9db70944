// tokio::mio layer: PollOpt, how a registration reports readiness (mio 0.6's `PollOpt`).
//
// edge (the default; also what empty() means): an event when the fd becomes ready, then
//   none until it becomes ready again. A consumer reads/writes until WouldBlock, then
//   calls Registry::rearm() (docs/mio.md says why; free on epoll).
// level: an event on every poll while the fd is ready.
// oneshot: at most one event, then nothing until reregister(); combines with either.
#pragma once

#include <cstdint>

namespace tokio::mio {

class PollOpt {
 public:
  constexpr PollOpt() noexcept = default;

  static constexpr PollOpt empty() noexcept { return PollOpt(0); }
  static constexpr PollOpt edge() noexcept { return PollOpt(kEdge); }
  static constexpr PollOpt level() noexcept { return PollOpt(kLevel); }
  static constexpr PollOpt oneshot() noexcept { return PollOpt(kOneshot); }

  constexpr bool is_empty() const noexcept { return bits_ == 0; }
  /// Edge unless level was asked for.
  constexpr bool is_edge() const noexcept { return (bits_ & kLevel) == 0; }
  constexpr bool is_level() const noexcept { return (bits_ & kLevel) != 0; }
  constexpr bool is_oneshot() const noexcept { return (bits_ & kOneshot) != 0; }
  constexpr bool contains(PollOpt o) const noexcept { return (bits_ & o.bits_) == o.bits_; }

  constexpr std::uint8_t bits() const noexcept { return bits_; }

  friend constexpr PollOpt operator|(PollOpt a, PollOpt b) noexcept { return PollOpt(a.bits_ | b.bits_); }
  constexpr PollOpt& operator|=(PollOpt b) noexcept { bits_ |= b.bits_; return *this; }
  friend constexpr bool operator==(PollOpt, PollOpt) noexcept = default;

 private:
  static constexpr std::uint8_t kEdge = 1, kLevel = 2, kOneshot = 4;
  constexpr explicit PollOpt(unsigned bits) noexcept : bits_(static_cast<std::uint8_t>(bits)) {}
  std::uint8_t bits_ = 0;
};

}  // namespace tokio::mio
