// tokio::mio: the readiness layer under the reactor (Rust's mio 0.6 API with mio 0.7's
// Poll/Registry/Waker split). docs/mio.md.
#pragma once

#include <tokio/mio/event.hpp>
#include <tokio/mio/evented.hpp>
#include <tokio/mio/events.hpp>
#include <tokio/mio/poll.hpp>
#include <tokio/mio/poll_opt.hpp>
#include <tokio/mio/ready.hpp>
#include <tokio/mio/registration.hpp>
#include <tokio/mio/registry.hpp>
#include <tokio/mio/token.hpp>
#include <tokio/mio/unix.hpp>
#include <tokio/mio/waker.hpp>
