// tokio::mio layer: Event, one readiness report (mio 0.6's `Event`).
#pragma once

#include <tokio/mio/ready.hpp>
#include <tokio/mio/token.hpp>

#include <ostream>

namespace tokio::mio {

class Event {
 public:
  constexpr Event() noexcept = default;
  constexpr Event(Ready readiness, Token token) noexcept : readiness_(readiness), token_(token) {}

  constexpr Ready readiness() const noexcept { return readiness_; }
  constexpr Token token() const noexcept { return token_; }

  friend constexpr bool operator==(const Event&, const Event&) noexcept = default;
  friend std::ostream& operator<<(std::ostream& os, const Event& e) {
    return os << "Event { token: Token(" << e.token_.value << "), readiness: " << e.readiness_ << " }";
  }

 private:
  Ready readiness_;
  Token token_;
};

}  // namespace tokio::mio
