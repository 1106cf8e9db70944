// tokio::mio layer: Waker, wakes a Poll from any thread (mio 0.7's `Waker`).
//
// wake() makes the Poll report Event(readable, token) (wakes that come before the Poll
// reports are merged into one event) and interrupts a blocked poll(). A Poll has at most
// one live Waker (as in mio 0.7; share it to wake from many threads). It is an atomic
// flag the Poll reads after each select, plus the backend's own wake: no lock on either
// side, and a wake while one is pending is one atomic exchange.
#pragma once

#include <tokio/io/error.hpp>
#include <tokio/mio/registry.hpp>
#include <tokio/mio/token.hpp>

#include <futures/unit.hpp>

#include <memory>

namespace tokio::mio {

namespace detail {
struct WakerSlot;
}

class Waker {
 public:
  /// Fails with AlreadyExists while another Waker of the same Poll is alive.
  static io::Result<Waker> create(const Registry& registry, Token token);

  Waker(Waker&&) noexcept = default;
  Waker& operator=(Waker&&) noexcept = default;
  Waker(const Waker&) = delete;  // mio's Waker is not Clone: share it instead
  Waker& operator=(const Waker&) = delete;
  ~Waker();

  /// Thread-safe; one atomic exchange when a wake is already pending. Harmless once the
  /// Poll is gone.
  io::Result<futures::Unit> wake() const;

 private:
  explicit Waker(std::shared_ptr<detail::WakerSlot> slot) noexcept : slot_(std::move(slot)) {}
  std::shared_ptr<detail::WakerSlot> slot_;
};

}  // namespace tokio::mio
