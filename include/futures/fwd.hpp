// futures layer: forward declarations of every public futures template, so headers that
// only name types need not include their definitions.
#pragma once

#include <cstddef>

namespace futures {

struct Unit;
template <class T, class E>
class Result;
template <class T>
class Async;
template <class T>
class AsyncSink;
template <class Self>
class FutureExt;
template <class Self>
class StreamExt;
template <class Self>
class SinkExt;

template <class T, class E>
class BoxFuture;

namespace future {
template <class T, class E>
class FutureResult;
template <class A, class F>
class Map;
template <class A, class F>
class MapErr;
template <class A, class E>
class FromErr;
template <class A, class B, class F>
class AndThen;
template <class A, class B, class F>
class OrElse;
template <class A, class B, class F>
class Then;
template <class A, class F>
class Inspect;
template <class... Fs>
class Join;
template <class A, class B>
class Select;
template <class A, class B>
class SelectNext;
template <class A, class B>
class Select2;
template <class A>
class Flatten;
template <class A>
class FlattenStream;
template <class A>
class Fuse;
template <class A>
class Shared;
template <class T>
class SharedItem;
template <class E>
class SharedError;
template <class A>
class IntoStream;
template <class A>
class CatchUnwind;
template <class L, class R>
class Either;
template <class T, class E>
class Empty;
template <class F>
class Lazy;
template <class F>
class PollFn;
template <class T, class S>
class Loop;
template <class S, class F>
class LoopFn;
template <class F>
class JoinAll;
template <class F>
class SelectAll;
template <class F>
class SelectOk;
template <class F>
class OptionFuture;
}  // namespace future

namespace executor {
class Notify;
class NotifyHandle;
template <class T>
class Spawn;
}  // namespace executor

namespace task {
class Task;
class AtomicTask;
}  // namespace task

}  // namespace futures
