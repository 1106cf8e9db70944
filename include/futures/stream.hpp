// futures layer: the `futures::stream` module. The Stream concept lives here; the
// combinators (StreamExt) land with the streams work (issue 3).
//
// A stream yields `Poll<std::optional<Item>, Error>`: Ready(item), Ready(nullopt) at
// the end, NotReady (the current task will be notified), or Err(e). Errors do not end
// a stream; only Ready(nullopt) does.
#pragma once

#include <futures/poll.hpp>
#include <futures/stream_ext.hpp>

#include <optional>
