// Everything in the futures crate (Rust's `extern crate futures;`).
#pragma once

#include <futures/prelude.hpp>
