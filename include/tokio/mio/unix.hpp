// tokio::mio layer: Unix-specific types (mio 0.6's `mio::unix`): EventedFd here, the
// Unix-domain sockets under tokio/mio/unix/.
#pragma once

#include <tokio/mio/unix/evented_fd.hpp>
