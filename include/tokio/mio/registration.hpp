// tokio::mio layer: Registration / SetReadiness, readiness set from user space (mio 0.6).
//
// Registration::new2() makes a pair. The Registration is an Evented: register it with a
// Poll like an fd. SetReadiness::set_readiness(r), from any thread, records `r`; if
// r ∩ interest is not empty the Poll reports an Event(r ∩ interest, token) — once per
// call for edge (default), on every poll while still set for level, once until
// reregister for oneshot. A blocked poll() is woken. Both halves are move-only handles
// to one shared node; dropping the Registration deregisters it.
#pragma once

#include <tokio/io/error.hpp>
#include <tokio/mio/poll_opt.hpp>
#include <tokio/mio/ready.hpp>
#include <tokio/mio/token.hpp>

#include <futures/unit.hpp>

#include <memory>
#include <tuple>

namespace tokio::mio {

class Registry;
class SetReadiness;

namespace detail {
struct ReadinessNode;
}

class Registration {
 public:
  static std::tuple<Registration, SetReadiness> new2();

  Registration(Registration&&) noexcept = default;
  Registration& operator=(Registration&&) noexcept;
  ~Registration();

  /// Registers with `registry`'s Poll; a Registration belongs to at most one Poll
  /// (AlreadyExists otherwise). Reports at once if the readiness already matches.
  io::Result<futures::Unit> register_(const Registry& registry, Token token, Ready interest, PollOpt opts) const;
  io::Result<futures::Unit> reregister(const Registry& registry, Token token, Ready interest, PollOpt opts) const;
  io::Result<futures::Unit> deregister(const Registry& registry) const;

 private:
  explicit Registration(std::shared_ptr<detail::ReadinessNode> node) noexcept : node_(std::move(node)) {}
  std::shared_ptr<detail::ReadinessNode> node_;
};

class SetReadiness {
 public:
  SetReadiness(const SetReadiness&) = default;  // mio's is Clone
  SetReadiness(SetReadiness&&) noexcept = default;
  SetReadiness& operator=(const SetReadiness&) = default;
  SetReadiness& operator=(SetReadiness&&) noexcept = default;

  /// The readiness last set.
  Ready readiness() const noexcept;
  /// Sets the readiness (replacing it) and queues an event if it meets the interest.
  /// Thread-safe; fails only if waking the Poll fails.
  io::Result<futures::Unit> set_readiness(Ready ready) const;

 private:
  friend class Registration;
  explicit SetReadiness(std::shared_ptr<detail::ReadinessNode> node) noexcept : node_(std::move(node)) {}
  std::shared_ptr<detail::ReadinessNode> node_;
};

}  // namespace tokio::mio
