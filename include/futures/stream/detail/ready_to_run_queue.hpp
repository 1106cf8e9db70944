// futures layer: the "ready to run" queue of FuturesUnordered, an intrusive MPSC queue
// (Dmitry Vyukov's, 1024cores.net). Mirrors the `Inner::enqueue` / `Inner::dequeue` half of
// futures 0.1 `src/stream/futures_unordered.rs`.
//
// Nodes are linked through their own `next_readiness` field, so enqueueing never
// allocates. Any number of threads may enqueue at once (a notified future enqueues its
// node from whatever thread notified it); one thread, the owner of the FuturesUnordered,
// dequeues. The queue never owns, frees or counts references to nodes: keeping a queued
// node alive is the caller's job (FuturesUnordered's node reference counts).
//
// The algorithm: `head_` is where producers append (an atomic exchange, wait-free);
// `tail_` is where the consumer takes (consumer-only). A permanent `stub_` node keeps the
// list non-empty, so the last node can be handed out only after the stub is put behind it.
// A producer is inside enqueue between its exchange on `head_` and its store to the
// previous node's `next_readiness`; a consumer that meets that gap sees `Inconsistent`
// (the queue is not empty but its next node is not linked yet) and should come back
// shortly instead of spinning.
//
// Every atomic is futures::detail::Atomic so the Relacy model tests check this very code.
#pragma once

#include <futures/detail/atomic.hpp>

#include <atomic>

namespace futures::stream::detail {

/// The intrusive link a node needs to sit in a ReadyToRunQueue. A node is in at most one
/// queue at a time, and is enqueued again only after it was dequeued.
struct ReadyNode {
  futures::detail::Atomic<ReadyNode*> next_readiness{nullptr};
};

/// What `ReadyToRunQueue::dequeue` found.
enum class DequeueKind {
  Data,          ///< `node` is the oldest enqueued node, now removed.
  Empty,         ///< Nothing is enqueued.
  Inconsistent,  ///< A producer is between its two steps: try again later.
};

struct Dequeued {
  DequeueKind kind;
  ReadyNode* node;  ///< Set only for Data.
};

/// Intrusive multi-producer, single-consumer FIFO of ReadyNodes (Vyukov).
///
/// Thread safety: `enqueue` from any thread, concurrently; `dequeue` from one thread at a
/// time (the consumer). Not copyable or movable: the stub's address is part of the state.
class ReadyToRunQueue {
 public:
  ReadyToRunQueue() noexcept : head_(&stub_), tail_(&stub_) {}
  ReadyToRunQueue(const ReadyToRunQueue&) = delete;
  ReadyToRunQueue& operator=(const ReadyToRunQueue&) = delete;

  /// Appends `node`, which must not be in the queue. Wait-free; never blocks.
  void enqueue(ReadyNode* node) noexcept {
    // Relaxed: nobody can see `node` until the exchange below publishes it.
    node->next_readiness.store(nullptr, std::memory_order_relaxed);
    // AcqRel: release publishes the store above (and everything the producer wrote to
    // `node` before) to the consumer that follows `prev->next_readiness`; acquire orders
    // us after the producer that enqueued `prev`, so our store to prev's link below
    // happens after its store of nullptr.
    ReadyNode* prev = head_.exchange(node, std::memory_order_acq_rel);
    // Release: pairs with the acquire loads of `next_readiness` in dequeue(): a consumer
    // that reaches `node` through this link sees it fully written.
    prev->next_readiness.store(node, std::memory_order_release);
  }

  /// Removes the oldest node. Consumer only.
  Dequeued dequeue() noexcept {
    ReadyNode* tail = tail_;
    // Acquire (every load of next_readiness here): pairs with the release store in
    // enqueue() that linked the next node.
    ReadyNode* next = tail->next_readiness.load(std::memory_order_acquire);

    if (tail == &stub_) {
      if (next == nullptr) return {DequeueKind::Empty, nullptr};
      // Skip the stub: the first real node becomes the tail.
      tail_ = next;
      tail = next;
      next = next->next_readiness.load(std::memory_order_acquire);
    }

    if (next != nullptr) {
      tail_ = next;
      return {DequeueKind::Data, tail};
    }

    // `tail` looks like the last node. Acquire: pairs with the exchange in enqueue(), so
    // a producer that already swung head_ past `tail` is seen as one.
    if (head_.load(std::memory_order_acquire) != tail) return {DequeueKind::Inconsistent, nullptr};

    // Put the stub behind `tail` so `tail` can be handed out while the list stays
    // non-empty.
    enqueue(&stub_);
    next = tail->next_readiness.load(std::memory_order_acquire);
    if (next != nullptr) {
      tail_ = next;
      return {DequeueKind::Data, tail};
    }
    // A producer enqueued between our check of head_ and our enqueue of the stub, and
    // has not linked its node yet.
    return {DequeueKind::Inconsistent, nullptr};
  }

  /// The permanent stub node (never returned by dequeue).
  const ReadyNode* stub() const noexcept { return &stub_; }

 private:
  futures::detail::Atomic<ReadyNode*> head_;  // producers' end (most recent node)
  ReadyNode* tail_;                           // consumer's end; consumer-only
  ReadyNode stub_;
};

}  // namespace futures::stream::detail
