// futures layer: the `futures::sink` module: the Sink concept, SinkExt with every
// combinator, and VecSink (Rust's `Vec<T>` as a Sink).
#pragma once

#include <futures/sink_ext.hpp>
