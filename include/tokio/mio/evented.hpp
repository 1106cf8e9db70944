// tokio::mio layer: the Evented concept, anything that can be registered with a Registry
// (mio 0.6's `Evented` trait).
//
// A raw fd type implements the three calls by forwarding to unix::EventedFd; user-space
// sources are built on Registration.
#pragma once

#include <tokio/io/error.hpp>
#include <tokio/mio/poll_opt.hpp>
#include <tokio/mio/ready.hpp>
#include <tokio/mio/token.hpp>

#include <futures/unit.hpp>

#include <concepts>

namespace tokio::mio {

class Registry;

template <class E>
concept Evented = requires(const E& e, const Registry& registry, Token token, Ready interest, PollOpt opts) {
  { e.register_(registry, token, interest, opts) } -> std::same_as<io::Result<futures::Unit>>;
  { e.reregister(registry, token, interest, opts) } -> std::same_as<io::Result<futures::Unit>>;
  { e.deregister(registry) } -> std::same_as<io::Result<futures::Unit>>;
};

}  // namespace tokio::mio
