// expect: tokio::run needs a future whose Item and Error are both futures::Unit
#include <tokio/runtime.hpp>
#include <futures/future.hpp>
int main() { tokio::run(futures::future::ok<int, futures::Unit>(1)); }
