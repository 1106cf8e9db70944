// tokio layer: the Executor interface and the TypedExecutor concept. Mirrors
// tokio-executor 0.1 `src/executor.rs` and `src/typed.rs`.
//
// Rust's `Executor::spawn(&mut self, Box<dyn Future<Item = (), Error = ()> + Send>)`
// boxes every spawned future. Here `spawn` is a template that moves the concrete future
// into one task node (tokio/executor/task.hpp) and hands the node to the executor's one
// virtual entry point, `spawn_task`: one allocation per spawn, and a `BoxFuture` spawns
// the same way (its node then holds the box).
#pragma once

#include <tokio/executor/error.hpp>
#include <tokio/executor/task.hpp>

#include <futures/future/concept.hpp>
#include <futures/result.hpp>
#include <futures/unit.hpp>

#include <concepts>
#include <type_traits>
#include <utility>

namespace tokio::executor {

namespace detail {
/// Instantiated with the Item and Error of a future given to a spawn function, so a
/// compiler error names both types ("required from SpawnRequiresUnit<int, Unit>").
template <class Item, class Error>
struct SpawnRequiresUnit {
  static_assert(std::is_same_v<Item, futures::Unit> && std::is_same_v<Error, futures::Unit>,
                "spawn needs a future whose Item and Error are both futures::Unit (Rust's "
                "Future<Item = (), Error = ()>); the template arguments of SpawnRequiresUnit "
                "above are this future's <Item, Error>. Adapt it first: "
                ".map([](auto&&...) {}) makes the Item Unit, .map_err([](auto&&) {}) makes "
                "the Error Unit.");
  static constexpr bool value = true;
};

/// Checks the future type given to a spawn function.
template <class F>
constexpr bool check_spawnable() {
  static_assert(futures::Future<F>,
                "spawn needs a future (a type with Item, Error and poll()); wrap a callable in "
                "futures::future::lazy(...)");
  if constexpr (futures::Future<F>) {
    return SpawnRequiresUnit<typename F::Item, typename F::Error>::value;
  } else {
    return false;
  }
}
}  // namespace detail

/// Something that runs futures in the background (Rust's `trait Executor`).
///
/// Implementations override `spawn_task` (and `status` if they can refuse work). Users
/// call `spawn(future)`: it never polls the future inline and returns at once, with
/// `Ok()` when the executor took the task (it will poll it to completion, or drop it on
/// shutdown) or a `SpawnError` saying why not (the future is then destroyed).
class Executor {
 public:
  virtual ~Executor() = default;

  /// Spawns `future` (Item and Error `Unit`): one task node holding it inline.
  template <class F>
  futures::Result<futures::Unit, SpawnError> spawn(F future) {
    static_assert(detail::check_spawnable<F>());
    return spawn_task(make_task(std::move(future)));
  }

  /// Whether the executor can take a new future now (default: always).
  virtual futures::Result<futures::Unit, SpawnError> status() const { return futures::Ok(); }

  /// Takes ownership of a task node and runs its future in the background.
  virtual futures::Result<futures::Unit, SpawnError> spawn_task(RawTask task) = 0;

 protected:
  Executor() = default;
  Executor(const Executor&) = default;
  Executor(Executor&&) = default;
  Executor& operator=(const Executor&) = default;
  Executor& operator=(Executor&&) = default;
};

/// `E` can spawn futures of type `T` (Rust's `trait TypedExecutor<T>`): used for
/// executors of non-boxed (and, in Rust, non-Send) futures.
template <class E, class T>
concept TypedExecutor = requires(E& e, const E& ce, T&& t) {
  { e.spawn(std::move(t)) } -> std::same_as<futures::Result<futures::Unit, SpawnError>>;
  { ce.status() } -> std::same_as<futures::Result<futures::Unit, SpawnError>>;
};

}  // namespace tokio::executor
