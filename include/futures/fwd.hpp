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

template <class T, class E>
class BoxStream;

namespace stream {
template <class S> class Wait;
template <class S> class StreamFuture;
template <class S, class F> class Map;
template <class S, class F> class MapErr;
template <class S, class E> class FromErr;
template <class S, class F> class Filter;
template <class S, class F> class FilterMap;
template <class S, class F> class Then;
template <class S, class F> class AndThen;
template <class S, class F> class OrElse;
template <class S> class Collect;
template <class S> class Concat2;
template <class S> class Concat;
template <class S, class F, class T> class Fold;
template <class S> class Flatten;
template <class S, class P> class SkipWhile;
template <class S, class P> class TakeWhile;
template <class S, class F> class ForEach;
template <class S> class Take;
template <class S> class Skip;
template <class S> class Fuse;
template <class S> class ByRef;
template <class S> class CatchUnwind;
template <class S> class Buffered;
template <class S> class BufferUnordered;
template <class S1, class S2> class Merge;
template <class T, class U> class MergedItem;
template <class S1, class S2> class Zip;
template <class S1, class S2> class Chain;
template <class S> class Peekable;
template <class S> class Chunks;
template <class S1, class S2> class Select;
template <class S, class K> class Forward;
template <class S> class SplitStream;
template <class S> class SplitSink;
template <class S, class F> class Inspect;
template <class S, class F> class InspectErr;
template <class F> class FuturesUnordered;
template <class F> class FuturesOrdered;
template <class S> class SelectAll;
/// Splits a Stream + Sink into its halves (defined in stream/split.hpp).
template <class S>
auto split(S&& s);
}  // namespace stream

namespace sink {
template <class K> class Wait;
template <class K, class U, class F> class With;
template <class K, class U, class F> class WithFlatMap;
template <class K, class F> class SinkMapErr;
template <class K, class E> class SinkFromErr;
template <class K> class Buffer;
template <class A, class B> class Fanout;
template <class K> class Flush;
template <class K> class Send;
template <class K, class S> class SendAll;
template <class T> class VecSink;
namespace detail {
template <class U, class F> struct InputOfImpl;
/// The input type of a `with` callback: `U` if given, else F's (non-generic) parameter.
template <class U, class F>
using InputOf = typename InputOfImpl<U, F>::type;
}  // namespace detail
}  // namespace sink

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
