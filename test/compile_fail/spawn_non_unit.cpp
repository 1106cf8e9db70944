// expect: spawn needs a future whose Item and Error are both futures::Unit
#include <tokio/executor.hpp>
#include <futures/future.hpp>
int main() { tokio::spawn(futures::future::ok<int, futures::Unit>(1)); }
