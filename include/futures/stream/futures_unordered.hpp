// futures layer: FuturesUnordered<F> and stream::futures_unordered(iterable). Mirrors
// futures 0.1 `src/stream/futures_unordered.rs`.
//
// Design (as futures 0.1): every future pushed into the set lives in its own heap node.
// The nodes are on two lists:
//  - the "all" list (next_all_/prev_all_), a plain doubly linked list touched only by the
//    thread that owns the set, which owns the futures;
//  - the "ready to run" queue (detail/ready_to_run_queue.hpp), an intrusive lock-free MPSC
//    queue of the nodes that were notified since they were last polled.
// A future is polled with a task whose identity is its own node: the set's `Inner` is the
// Notify and the node's address is the id. Notifying that task (from any thread) pushes
// the node onto the ready queue, once (the node's `queued` flag), and wakes the task that
// polls the set (an AtomicTask). So a poll of the set only polls the futures that were
// notified, however many the set holds.
//
// Node lifetime (Rust's `Arc<Node<T>>`): a node is reference counted by `refs`. The
// all-list holds one reference while the node is linked; every Task handle naming the
// node holds one (Notify::clone_id / drop_id). When a future completes (or the set is
// destroyed) the node is released on the owner's thread: its future is destroyed there,
// its `queued` flag is set for good so no notify enqueues it again, and if it was still
// sitting in the ready queue, the queue inherits the all-list's reference and drops it
// when it pops the empty node. The last reference frees the node, on whatever thread.
// `Inner` is kept alive by the set and by every Task handle; it drains the ready queue
// when it dies.
#pragma once

#include <futures/contract.hpp>
#include <futures/detail/atomic.hpp>
#include <futures/executor.hpp>
#include <futures/future/concept.hpp>
#include <futures/poll.hpp>
#include <futures/stream/detail/ready_to_run_queue.hpp>
#include <futures/stream_ext.hpp>
#include <futures/task.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <ranges>
#include <type_traits>
#include <utility>

namespace futures::stream {

namespace detail {

/// One future of a FuturesUnordered, with its links and reference count.
template <class F>
struct UnorderedNode : ReadyNode {
  explicit UnorderedNode(F f) : future(std::in_place, std::move(f)) {}

  /// Empty once released (completed or the set was destroyed). Owner thread only.
  std::optional<F> future;
  /// The all-list. Owner thread only; null while not linked.
  UnorderedNode* next_all = nullptr;
  UnorderedNode* prev_all = nullptr;
  /// True while the node is in the ready queue, and for good once released. A new node
  /// starts queued: push() enqueues it.
  futures::detail::Atomic<bool> queued{true};
  /// References: the all-list's (or the ready queue's, after a release while queued),
  /// plus one per Task handle naming this node.
  futures::detail::Atomic<std::size_t> refs{1};

  void acquire_ref() noexcept {
    // Relaxed: the caller already holds a reference, so the node cannot die meanwhile.
    refs.fetch_add(1, std::memory_order_relaxed);
  }
  void release_ref() noexcept {
    // AcqRel: release orders our last uses of the node before the decrement; acquire
    // orders the delete after every other holder's decrement (and so their uses). An
    // RMW rather than release + acquire fence, which ThreadSanitizer cannot see; on
    // x86 it is the same instruction.
    if (refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }
};

/// The part of a FuturesUnordered that Task handles share: the ready queue and the
/// parent task. It is the Notify of every node; the id is the node's address.
template <class F>
class UnorderedInner final : public executor::Notify {
 public:
  using Node = UnorderedNode<F>;

  UnorderedInner() = default;
  ~UnorderedInner() override {
    // Only nodes released while queued are left (the set released every node, and no
    // Task handle is left, or we would not be dying): drop the queue's references.
    for (;;) {
      Dequeued d = queue.dequeue();
      if (d.kind == DequeueKind::Empty) break;
      if (d.kind == DequeueKind::Inconsistent)
        contract_violation("FuturesUnordered: ready queue inconsistent while dropped");
      static_cast<Node*>(d.node)->release_ref();
    }
  }

  /// The future of node `id` wants polling: queue it (once) and wake the parent task.
  /// Any thread. Does nothing for a node that is queued already or released.
  void notify(std::size_t id) override {
    Node* node = from_id(id);
    // SeqCst: pairs with the exchange(false) before the node's future is polled, so a
    // notify that lands during that poll queues the node again; and with the
    // exchange(true) of release_node, so exactly one side takes the all-list reference.
    if (!node->queued.exchange(true, std::memory_order_seq_cst)) {
      queue.enqueue(node);
      parent.notify();
    }
  }
  std::size_t clone_id(std::size_t id) override {
    from_id(id)->acquire_ref();
    return id;
  }
  void drop_id(std::size_t id) override { from_id(id)->release_ref(); }

  static Node* from_id(std::size_t id) noexcept {
    return reinterpret_cast<Node*>(static_cast<std::uintptr_t>(id));
  }
  static std::size_t to_id(Node* node) noexcept {
    return static_cast<std::size_t>(reinterpret_cast<std::uintptr_t>(node));
  }

  ReadyToRunQueue queue;
  task::AtomicTask parent;  // the task that polls the set
};

}  // namespace detail

/// An unbounded set of futures, yielding their results as they complete (Rust's
/// `FuturesUnordered`). Item = F::Item, Error = F::Error.
///
/// `push` adds a future without polling it. `poll` polls only the futures that were
/// notified since their last poll (a new future counts as notified), and returns the
/// first result it gets: Ready(item) or Err(error) of one future, which is then
/// destroyed; an error does not end the stream, the others keep running. NotReady
/// means no notified future finished. Ready(nullopt) means the set is empty *now*:
/// pushing more futures and polling again is allowed, so polling after Ready(nullopt)
/// is fine (not a contract violation).
///
/// Fairness: one poll polls at most len() futures (counted when it starts). Once it has
/// polled that many, all NotReady, it notifies the current task and returns NotReady
/// (as futures 0.1.31: possibly one spurious wake-up), so a future that keeps notifying
/// itself cannot starve the executor, nor be polled twice in one poll of the set.
///
/// Notifies: the task that polled the set most recently, whenever one of its futures is
/// notified (from any thread).
/// Allocates: one node per pushed future, plus one shared block per set (Rust's Arcs).
/// Exceptions: a future whose poll throws is destroyed and removed from the set, then
/// the exception propagates (Rust's panic behaviour).
/// Aborts: polling outside a task is a contract violation.
/// Thread safety: the set itself is used by one thread at a time; the Task handles its
/// futures hand out may be notified, copied and dropped on any thread.
template <class F>
class FuturesUnordered : public StreamExt<FuturesUnordered<F>> {
  using Inner = detail::UnorderedInner<F>;
  using Node = detail::UnorderedNode<F>;

 public:
  using Item = typename F::Item;
  using Error = typename F::Error;

  /// An empty set (Rust's `FuturesUnordered::new()`); polling it gives Ready(nullopt).
  FuturesUnordered() : FuturesUnordered(std::make_shared<Inner>()) {}

  FuturesUnordered(FuturesUnordered&& other) noexcept
      : handle_(std::move(other.handle_)),
        inner_(std::exchange(other.inner_, nullptr)),
        head_all_(std::exchange(other.head_all_, nullptr)),
        len_(std::exchange(other.len_, 0)) {}
  FuturesUnordered& operator=(FuturesUnordered&& other) noexcept {
    if (this != &other) {
      release_all();
      handle_ = std::move(other.handle_);
      inner_ = std::exchange(other.inner_, nullptr);
      head_all_ = std::exchange(other.head_all_, nullptr);
      len_ = std::exchange(other.len_, 0);
    }
    return *this;
  }
  FuturesUnordered(const FuturesUnordered&) = delete;
  FuturesUnordered& operator=(const FuturesUnordered&) = delete;

  /// Destroys every future still in the set, on this thread (cancelling them). Task
  /// handles that outlive the set stay valid; notifying them does nothing.
  ~FuturesUnordered() { release_all(); }

  /// Rust's `FromIterator`: a set of the futures of `iterable` (each converted to F),
  /// taken by value.
  template <class I>
    requires std::ranges::input_range<I> && std::is_constructible_v<F, std::ranges::range_value_t<I>&&>
  static FuturesUnordered from_iter(I iterable) {
    FuturesUnordered set;
    for (auto&& elem : iterable) set.push(F(std::move(elem)));
    return set;
  }

  /// The number of futures in the set (in flight: not yet finished).
  std::size_t len() const noexcept { return len_; }
  /// True if the set holds no future.
  bool is_empty() const noexcept { return len_ == 0; }

  /// Adds `future` to the set. It is not polled now: it is queued to be polled by the
  /// next `poll`, which the caller must arrange (nothing notifies the polling task).
  void push(F future) {
    Node* node = new Node(std::move(future));
    link(node);  // the node's initial reference belongs to the all-list
    inner_->queue.enqueue(node);
  }

  /// A forward range over the futures in the set, as `F&`, most recently pushed first
  /// (Rust's `iter_mut`). Also `next()` (F*, nullptr at the end) and `len()` (how many
  /// are left), like Rust's ExactSizeIterator. Invalidated by push and poll.
  class IterMut {
   public:
    class iterator {
     public:
      using value_type = F;
      using difference_type = std::ptrdiff_t;
      using reference = F&;
      using pointer = F*;
      using iterator_category = std::forward_iterator_tag;

      iterator() = default;
      explicit iterator(Node* node) : node_(node) {}
      F& operator*() const { return *node_->future; }
      F* operator->() const { return &*node_->future; }
      iterator& operator++() {
        node_ = node_->next_all;
        return *this;
      }
      iterator operator++(int) {
        iterator old = *this;
        ++*this;
        return old;
      }
      friend bool operator==(const iterator&, const iterator&) = default;

     private:
      Node* node_ = nullptr;
    };

    IterMut(Node* head, std::size_t len) : node_(head), len_(len) {}

    /// The next future, or nullptr at the end.
    F* next() {
      if (node_ == nullptr) return nullptr;
      F* f = &*node_->future;
      node_ = node_->next_all;
      --len_;
      return f;
    }
    /// How many futures `next()` has left to give.
    std::size_t len() const noexcept { return len_; }

    iterator begin() const { return iterator(node_); }
    iterator end() const { return iterator(); }

   private:
    Node* node_;
    std::size_t len_;
  };

  /// Every future in the set, to inspect or modify in place (see IterMut).
  IterMut iter_mut() { return IterMut(head_all_, len_); }

  Poll<std::optional<Item>, Error> poll() {
    // Poll at most len() futures per call, so each is polled at most once
    // (futures-rs issue 2047).
    const std::size_t yield_every = len_;
    std::size_t polled = 0;

    // Register first: a notify that lands after our last dequeue wakes this task.
    inner_->parent.register_();

    for (;;) {
      detail::Dequeued d = inner_->queue.dequeue();
      if (d.kind == detail::DequeueKind::Empty) {
        if (len_ == 0) return Ready(std::optional<Item>());
        return NotReady;
      }
      if (d.kind == detail::DequeueKind::Inconsistent) {
        // A notifier is halfway through enqueueing: come back soon rather than spin.
        task::current().notify();
        return NotReady;
      }
      Node* node = static_cast<Node*>(d.node);

      if (!node->future) {
        // Released while queued: the queue held the last list reference (release_node).
        node->release_ref();
        continue;
      }

      // SeqCst: clear before polling, so a notify during the poll queues the node again
      // (pairs with the exchange in UnorderedInner::notify).
      node->queued.exchange(false, std::memory_order_seq_cst);

      auto res = poll_node(node);
      ++polled;

      if (res.is_ok() && res.unwrap_ref().is_not_ready()) {
        if (polled == yield_every) {
          // Polled everyone once: yield to the executor, but ask to come straight back.
          task::current().notify();
          return NotReady;
        }
        continue;
      }

      unlink(node);
      release_node(node);
      if (res.is_err()) return Err(std::move(res).unwrap_err());
      return Ready(std::optional<Item>(std::move(res).unwrap().value()));
    }
  }

 private:
  explicit FuturesUnordered(std::shared_ptr<Inner> inner)
      : handle_(inner), inner_(inner.get()) {}

  /// Polls `node`'s future with the node as the current task.
  Poll<Item, Error> poll_node(Node* node) {
    try {
      task::detail::BorrowedTask borrowed{&handle_, Inner::to_id(node)};
      task::detail::CurrentTaskGuard guard(borrowed);
      return node->future->poll();
    } catch (...) {
      // Rust's Bomb: the throwing future is dropped here, on the owner's thread.
      unlink(node);
      release_node(node);
      throw;
    }
  }

  void link(Node* node) noexcept {
    node->next_all = head_all_;
    if (head_all_ != nullptr) head_all_->prev_all = node;
    head_all_ = node;
    ++len_;
  }

  void unlink(Node* node) noexcept {
    Node* next = node->next_all;
    Node* prev = node->prev_all;
    node->next_all = nullptr;
    node->prev_all = nullptr;
    if (next != nullptr) next->prev_all = prev;
    if (prev != nullptr) {
      prev->next_all = next;
    } else {
      head_all_ = next;
    }
    --len_;
  }

  /// Destroys the (unlinked) node's future and gives up the all-list's reference.
  void release_node(Node* node) noexcept {
    // SeqCst: pairs with the exchange in UnorderedInner::notify. Once set, no notify
    // enqueues the node again.
    bool was_queued = node->queued.exchange(true, std::memory_order_seq_cst);
    node->future.reset();
    // If the node is in the ready queue, the queue now owns our reference and drops it
    // when it pops the node; otherwise drop it here.
    if (!was_queued) node->release_ref();
  }

  void release_all() noexcept {
    while (head_all_ != nullptr) {
      Node* node = head_all_;
      unlink(node);
      release_node(node);
    }
  }

  executor::NotifyHandle handle_;  // owns *inner_; the Notify of every node
  Inner* inner_;                   // null once moved from
  Node* head_all_ = nullptr;
  std::size_t len_ = 0;
};

/// A FuturesUnordered of the futures (or Results) of `iterable`, taken by value
/// (Rust's `stream::futures_unordered`). None is polled until the set is.
template <class I>
  requires std::ranges::input_range<I> && IntoFuture<std::ranges::range_value_t<I>>
auto futures_unordered(I iterable) {
  FuturesUnordered<IntoFutureT<std::ranges::range_value_t<I>>> set;
  for (auto&& elem : iterable) set.push(futures::into_future(std::move(elem)));
  return set;
}

}  // namespace futures::stream
