// expect: block_on_all() consumes the runtime (Rust takes `self`): write std::move(rt).block_on_all(f)
#include <tokio/runtime.hpp>
#include <futures/future.hpp>
int main() {
  auto rt = tokio::runtime::Runtime::create().unwrap();
  (void)rt.block_on_all(futures::future::ok<int, futures::Unit>(1));
}
