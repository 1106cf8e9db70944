// futures layer: the lock-free multi-producer, single-consumer queue under sync::mpsc.
// Mirrors futures 0.1 `src/sync/mpsc/queue.rs` (Dmitry Vyukov's non-intrusive MPSC
// node-based queue, http://www.1024cores.net/home/lock-free-algorithms/queues/
// non-intrusive-mpsc-node-based-queue), plus a node recycler that Rust does not have.
//
// The queue is a singly linked list from `tail_` (the consumer's end, always a "stub"
// node whose value has been taken) to `head_` (the producers' end). A push swaps the new
// node into `head_` and then links the previous head to it; between those two steps the
// list is cut ("inconsistent"): the consumer sees that more was pushed (head_ != tail_)
// but cannot reach it yet, and pop() says so (PopResult::Inconsistent) instead of
// blocking. The only waiting in the whole channel is the consumer spinning on that
// short window.
//
// Node recycling (not in Rust, which allocates and frees one node per message): the
// consumer collects the nodes it frees into a private batch; a full batch (kBatch nodes)
// is published in one atomic slot, `free_`, once the slot is empty (up to kMaxLocal
// nodes are kept meanwhile; beyond that freed nodes are deleted).
// A producer that owns a `Cache` refills it by taking the whole published batch with
// one exchange. Nobody ever pops a single node off a shared list, so there is no ABA
// problem, and nobody reads through a pointer it does not own. Memory held in reserve is
// bounded: kMaxLocal nodes in the slot, as many in the consumer, and what one Cache took.
//
// Every atomic is a futures::detail::Atomic, so the Relacy model tests can check this
// file as it is (test/model/).
#pragma once

#include <futures/detail/atomic.hpp>

#include <atomic>
#include <cstddef>
#include <memory>
#include <new>
#include <optional>
#include <utility>

#if !defined(FUTURES_RELACY)
#include <thread>
#endif

namespace futures::sync::mpsc::detail {

/// What pop() found (Rust's `PopResult`).
enum class PopResult {
  /// A value was taken.
  Data,
  /// Nothing was pushed that has not been popped.
  Empty,
  /// A push is half done (its node is swapped in but not yet linked): a value will be
  /// poppable "very soon". Retry; do not park.
  Inconsistent,
};

/// Waits a little in a retry loop on another thread's progress (the consumer's side of
/// PopResult::Inconsistent, a receiver's drop waiting for a half-done send). Spins
/// first, then yields the CPU, as Rust's `thread::yield_now()` does.
inline void backoff(unsigned& spins) {
#if defined(FUTURES_RELACY)
  (void)spins;
  futures::detail::spin_loop_hint();
#else
  if (++spins < 64) {
    futures::detail::spin_loop_hint();
  } else {
    std::this_thread::yield();
  }
#endif
}

template <class T>
class Queue;

/// One list node. The stub at the consumer's end holds no value; every other node holds
/// exactly one, constructed by the producer and destroyed when popped.
template <class T>
struct Node {
  Node() noexcept {}
  ~Node() {}  // the owner destroys `value` explicitly
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  futures::detail::Atomic<Node*> next{nullptr};
  union {
    T value;
  };
};

/// A producer's private reserve of recycled nodes (a singly linked list through
/// `next`). Not thread-safe: one producer uses it at a time. Freed when destroyed.
template <class T>
class Cache {
 public:
  Cache() noexcept = default;
  Cache(const Cache&) = delete;
  Cache& operator=(const Cache&) = delete;
  Cache(Cache&& other) noexcept : head_(std::exchange(other.head_, nullptr)) {}
  Cache& operator=(Cache&& other) noexcept {
    if (this != &other) {
      clear();
      head_ = std::exchange(other.head_, nullptr);
    }
    return *this;
  }
  ~Cache() { clear(); }

  /// Deletes the nodes held in reserve.
  void clear() noexcept {
    while (head_ != nullptr) {
      Node<T>* next = head_->next.load(std::memory_order_relaxed);
      delete head_;
      head_ = next;
    }
  }

 private:
  friend class Queue<T>;
  Node<T>* head_ = nullptr;
};

/// The MPSC queue: push() from any number of threads at once, pop() from one thread at
/// a time (the consumer). FIFO for each producer; pushes from different producers are
/// ordered by their swap of `head_`.
template <class T>
class Queue {
 public:
  /// Freed nodes the consumer collects before publishing them to the producers.
  static constexpr std::size_t kBatch = 32;
  /// Most freed nodes the consumer keeps while the producers have enough; beyond this
  /// it deletes them.
  static constexpr std::size_t kMaxLocal = 1024;

  Queue() : head_(new Node<T>()) { tail_ = head_.load(std::memory_order_relaxed); }
  Queue(const Queue&) = delete;
  Queue& operator=(const Queue&) = delete;

  /// Frees every node; values still queued are destroyed. No push or pop may be running.
  ~Queue() {
    Node<T>* cur = tail_;
    bool stub = true;
    while (cur != nullptr) {
      Node<T>* next = cur->next.load(std::memory_order_relaxed);
      if (!stub) cur->value.~T();
      stub = false;
      delete cur;
      cur = next;
    }
    delete_chain(local_);
    delete_chain(free_.load(std::memory_order_relaxed));
  }

  /// Pushes `t`, taking the node from `cache` (refilled from the recycled batches) when
  /// one is given, else allocating it. Lock-free; any thread.
  void push(T t, Cache<T>* cache = nullptr) { link(make_node(std::move(t), cache)); }

  /// Pops the oldest value into `out` (consumer only). See PopResult.
  PopResult pop(std::optional<T>& out) {
    Node<T>* tail = tail_;
    // Acquire: pairs with the release store in link() that published `next`, so its
    // value is completely constructed.
    Node<T>* next = tail->next.load(std::memory_order_acquire);
    if (next != nullptr) {
      tail_ = next;
      out.emplace(std::move(next->value));
      next->value.~T();  // `next` is the new stub
      recycle(tail);
      return PopResult::Data;
    }
    // SeqCst pairs with the exchange in link(): if a producer swapped head_ but has not
    // linked yet, we see head_ moved and report Inconsistent rather than Empty. SeqCst
    // (not just acquire) because sync::mpsc's receiver relies on a store-load order:
    // it publishes "parked" then pops, while a sender pushes then reads "parked"; one
    // of them must see the other (mpsc.hpp, Receiver::poll).
    return head_.load(std::memory_order_seq_cst) == tail ? PopResult::Empty
                                                         : PopResult::Inconsistent;
  }

 private:
  Node<T>* make_node(T&& t, Cache<T>* cache) {
    Node<T>* n = nullptr;
    if (cache != nullptr) {
      if (cache->head_ == nullptr && free_.load(std::memory_order_relaxed) != nullptr) {
        // Acquire pairs with the release CAS in recycle(): the batch's links and the
        // destruction of its old values happened before we reuse the nodes.
        cache->head_ = free_.exchange(nullptr, std::memory_order_acquire);
      }
      if (cache->head_ != nullptr) {
        n = cache->head_;
        cache->head_ = n->next.load(std::memory_order_relaxed);
        n->next.store(nullptr, std::memory_order_relaxed);  // published by link()'s swap
      }
    }
    if (n == nullptr) n = new Node<T>();
    try {
      ::new (static_cast<void*>(std::addressof(n->value))) T(std::move(t));
    } catch (...) {
      delete n;
      throw;
    }
    return n;
  }

  void link(Node<T>* n) noexcept {
    // Release publishes n (its value and null `next`) to whoever swaps after us and to
    // pop()'s head_ load; acquire makes `prev` (pushed by another producer) ours to
    // write. SeqCst for the store-load order described in pop().
    Node<T>* prev = head_.exchange(n, std::memory_order_seq_cst);
    // Release: pairs with the acquire load of `next` in pop().
    prev->next.store(n, std::memory_order_release);
  }

  /// Takes back a node the consumer no longer needs (consumer only).
  void recycle(Node<T>* n) noexcept {
    if (local_len_ >= kMaxLocal) {
      delete n;  // producers are not taking nodes back: stop hoarding
      return;
    }
    n->next.store(local_, std::memory_order_relaxed);
    local_ = n;
    // Publish everything we hold once it is worth it and the slot is free (a full slot
    // means the producers still have nodes: keep collecting, up to kMaxLocal).
    if (++local_len_ < kBatch || free_.load(std::memory_order_relaxed) != nullptr) return;
    Node<T>* expected = nullptr;
    // Release: pairs with the acquire exchange in make_node(), handing the batch over.
    if (free_.compare_exchange_strong(expected, local_, std::memory_order_release,
                                      std::memory_order_relaxed)) {
      local_ = nullptr;
      local_len_ = 0;
    }
  }

  static void delete_chain(Node<T>* n) noexcept {
    while (n != nullptr) {
      Node<T>* next = n->next.load(std::memory_order_relaxed);
      delete n;
      n = next;
    }
  }

  futures::detail::Atomic<Node<T>*> head_;  // producers' end
  Node<T>* tail_;                           // consumer's end (the stub); consumer only
  Node<T>* local_ = nullptr;                // consumer's batch of freed nodes
  std::size_t local_len_ = 0;               // length of local_
  futures::detail::Atomic<Node<T>*> free_{nullptr};  // one published batch, or null
};

}  // namespace futures::sync::mpsc::detail
