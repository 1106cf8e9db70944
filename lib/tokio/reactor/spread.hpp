// tokio layer (private): spreading new registrations over a thread pool's reactors.
//
// Each pool worker drives its own reactor, and a source binds lazily to the default
// reactor of the thread that first polls it (Tokio 0.1's rule). The task that accepts
// connections runs on one worker, and each connection's task starts there (the LIFO
// slot), so nearly every connection bound to that worker's reactor: it did most of the
// work and the load generator preempted it thousands of times a second, while the other
// worker woke only to steal. With a spread installed (the Runtime does, on each worker
// thread), a source with the default handle registers with the workers' reactors in
// turn, and its task follows its events to that worker. Explicit handles are obeyed.
#pragma once

#include <tokio/reactor/handle.hpp>

#include <vector>

namespace tokio::reactor::detail {

/// Installs `reactors` (null: none) as this thread's spread for lazily bound sources;
/// the vector must outlive the installation.
void set_registration_spread(const std::vector<Handle>* reactors) noexcept;

}  // namespace tokio::reactor::detail
