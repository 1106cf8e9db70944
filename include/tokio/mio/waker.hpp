// tokio::mio layer: Waker, wakes a Poll from any thread (mio 0.7's `Waker`).
//
// wake() makes the Poll report Event(readable, token) (wakes that come before the Poll
// reports are merged into one event) and interrupts a blocked poll(). Built on the
// Poll's user-space readiness queue, so it works the same on every backend.
#pragma once

#include <tokio/io/error.hpp>
#include <tokio/mio/registration.hpp>
#include <tokio/mio/registry.hpp>
#include <tokio/mio/token.hpp>

#include <futures/unit.hpp>

namespace tokio::mio {

class Waker {
 public:
  static io::Result<Waker> create(const Registry& registry, Token token);

  /// Thread-safe; cheap when a wake is already pending.
  io::Result<futures::Unit> wake() const;

 private:
  Waker(Registration registration, SetReadiness set_readiness) noexcept
      : registration_(std::move(registration)), set_readiness_(std::move(set_readiness)) {}
  Registration registration_;
  SetReadiness set_readiness_;
};

}  // namespace tokio::mio
