// futures layer: sync::mpsc, the thread-safe multi-producer, single-consumer channel
// with backpressure, and mpsc::spawn. Mirrors futures 0.1 `src/sync/mpsc/mod.rs`.
//
// CAPACITY: `channel<T>(buffer)` holds at most `buffer + number of live Senders`
// messages. Every Sender owns one guaranteed slot (so a Sender always knows, before it
// starts the lock-free work of a send, that the send will succeed), and the `buffer`
// further slots are shared first come, first served. A Sender whose send filled the
// shared part is "parked": its send was accepted, but it may not send again until the
// receiver has taken a message and unparked it. So `channel<T>(0)` with one Sender
// lets one message through at a time, and each clone of a Sender adds a slot.
// `unbounded<T>()` has no limit.
//
// Design (as futures 0.1):
//  - `state`, one atomic word: the open flag (top bit) and the number of messages
//    sent but not yet received (including the end-of-stream marker). A send increments
//    it *before* pushing the message; the receiver decrements it *after* popping. So
//    "closed and zero messages" means nothing more will ever arrive.
//  - `message_queue`, the lock-free Vyukov MPSC queue (mpsc/queue.hpp) of
//    std::optional<T>: nullopt is pushed once, by the last Sender to go away, and ends
//    the stream.
//  - `parked_queue`, a second queue of the parked Senders' SenderTask handles. For
//    every message it receives, the receiver unparks one (in FIFO order).
//  - `recv_task`, an AtomicTask holding the receiver's task, and `recv_parked`, set by
//    the receiver when it parks and taken by the one sender that then notifies it (Rust
//    0.1 keeps a mutex and an "unparked" flag; this is the lock-free equivalent, and
//    while the receiver is busy a send costs no notify at all).
// A sender increments the count, then parks itself if over capacity, then pushes the
// message; the receiver pops the message, then unparks a sender, then decrements the
// count: the message queue is the primary synchronization and the other two steps
// happen in reverse order on each side. Every atomic operation on `state` is SeqCst, as
// in Rust.
#pragma once

#include <futures/contract.hpp>
#include <futures/detail/atomic.hpp>
#include <futures/detail/send_error.hpp>
#include <futures/detail/spawned_stream.hpp>
#include <futures/future/executor.hpp>
#include <futures/future_ext.hpp>
#include <futures/poll.hpp>
#include <futures/result.hpp>
#include <futures/sink_ext.hpp>
#include <futures/stream_ext.hpp>
#include <futures/sync/mpsc/queue.hpp>
#include <futures/sync/oneshot.hpp>
#include <futures/task.hpp>
#include <futures/unit.hpp>

#include <cstddef>
#include <limits>
#include <memory>
#include <optional>
#include <ostream>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace futures::sync::mpsc {

/// The error of a send into a channel whose Receiver was dropped or closed (Rust's
/// `SendError<T>`): hands the message back with `into_inner()`.
template <class T>
using SendError = futures::detail::SendError<T>;

/// The error of Sender::try_send (Rust's `TrySendError<T>`): the channel was full or
/// its Receiver gone; hands the message back.
template <class T>
class TrySendError {
 public:
  static TrySendError Full(T value) { return TrySendError(true, std::move(value)); }
  static TrySendError Disconnected(T value) { return TrySendError(false, std::move(value)); }

  /// True if the send failed because the channel (or this Sender's slot) is full.
  bool is_full() const noexcept { return full_; }
  /// True if the send failed because the Receiver was dropped or closed.
  bool is_disconnected() const noexcept { return !full_; }
  /// The message that could not be sent.
  T into_inner() && { return std::move(value_); }
  const T& into_inner() const& { return value_; }

  std::string_view what() const noexcept {
    return full_ ? "send failed because channel is full" : "send failed because receiver is gone";
  }

  friend bool operator==(const TrySendError& a, const TrySendError& b)
    requires std::equality_comparable<T>
  {
    return a.full_ == b.full_ && a.value_ == b.value_;
  }
  friend std::ostream& operator<<(std::ostream& os, const TrySendError& e) {
    return os << (e.full_ ? "TrySendError(Full(...))" : "TrySendError(Disconnected(...))");
  }

 private:
  TrySendError(bool full, T value) : value_(std::move(value)), full_(full) {}
  T value_;
  bool full_;
};

template <class T>
class Sender;
template <class T>
class UnboundedSender;
template <class T>
class Receiver;
template <class T>
class UnboundedReceiver;
template <class T>
std::tuple<UnboundedSender<T>, UnboundedReceiver<T>> unbounded();

namespace detail {

// The state word: the top bit is "open", the rest counts the messages in the channel.
// States and transitions:
//   open,   n      -- a send:            open, n+1 (the sender parks if n+1 > buffer)
//   open,   n      -- last sender drops: closed, n+1 (the end marker is one message)
//   open,   n      -- Receiver::close:   closed, n
//   any,    n > 0  -- a receive:         same flag, n-1
//   closed, 0      -- final: nothing more will arrive (State::is_closed)
inline constexpr std::size_t kOpenMask = ~(std::numeric_limits<std::size_t>::max() >> 1);
inline constexpr std::size_t kInitState = kOpenMask;
inline constexpr std::size_t kMaxCapacity = ~kOpenMask;
inline constexpr std::size_t kMaxBuffer = kMaxCapacity >> 1;

/// The decoded state word (Rust's `State`).
struct State {
  bool is_open;
  std::size_t num_messages;

  static State decode(std::size_t word) noexcept {
    return State{(word & kOpenMask) == kOpenMask, word & kMaxCapacity};
  }
  std::size_t encode() const noexcept { return num_messages | (is_open ? kOpenMask : 0); }
  /// Closed and drained: the receiver will get nothing more.
  bool is_closed() const noexcept { return !is_open && num_messages == 0; }
};

/// A Sender's parked-task handle (Rust's `SenderTask`), shared between the Sender and
/// the parked queue. The receiver unparks it by clearing `is_parked` and notifying
/// `task`; the Sender registers its task *before* reading `is_parked`, so the pair
/// follows the AtomicTask protocol and no unpark is lost.
struct SenderTask {
  task::AtomicTask task;
  futures::detail::Atomic<bool> is_parked{false};

  /// Rust's `SenderTask::notify`: unpark and wake the sender.
  void notify() {
    // SeqCst store before the AtomicTask's acq_rel notify; pairs with the register +
    // load in Sender::poll_unparked.
    is_parked.store(false, std::memory_order_seq_cst);
    task.notify();
  }
};

/// The shared state of one channel (Rust's `Inner<T>`).
template <class T>
struct Inner {
  explicit Inner(std::optional<std::size_t> buf) : buffer(buf) {}

  /// The channel can never hold more than kMaxCapacity messages: the limit on senders.
  std::size_t max_senders() const noexcept {
    return buffer ? kMaxCapacity - *buffer : kMaxBuffer;
  }

  /// Increments the message count. nullopt if the receiver closed the channel; else
  /// whether the sender must park (the count went over `buffer`). `close` also clears
  /// the open flag (the last sender's end-of-stream marker).
  std::optional<bool> inc_num_messages(bool close) {
    std::size_t curr = state.load(std::memory_order_seq_cst);
    for (;;) {
      State s = State::decode(curr);
      if (!s.is_open) return std::nullopt;
      if (s.num_messages >= kMaxCapacity) {
        contract_violation("mpsc: buffer space exhausted; sending this message would overflow the state");
      }
      ++s.num_messages;
      if (close) s.is_open = false;
      // SeqCst, as Rust: orders the count against the receiver's close() and decrement.
      if (state.compare_exchange_weak(curr, s.encode(), std::memory_order_seq_cst,
                                      std::memory_order_seq_cst)) {
        return buffer && s.num_messages > *buffer;
      }
    }
  }

  /// Pushes `msg` and wakes the receiver if it is parked.
  void push_and_signal(std::optional<T> msg, Cache<std::optional<T>>* cache) {
    message_queue.push(std::move(msg), cache);
    // SeqCst load after the SeqCst push: pairs with the receiver's store of
    // recv_parked before its second pop (Receiver::poll); either it sees our message or
    // we see it parked. The exchange elects one sender to notify.
    if (recv_parked.load(std::memory_order_seq_cst) &&
        recv_parked.exchange(false, std::memory_order_seq_cst)) {
      recv_task.notify();
    }
  }

  bool is_open() const noexcept {
    return State::decode(state.load(std::memory_order_seq_cst)).is_open;
  }

  std::optional<std::size_t> buffer;  // nullopt: unbounded
  futures::detail::Atomic<std::size_t> state{kInitState};
  Queue<std::optional<T>> message_queue;
  Queue<std::shared_ptr<SenderTask>> parked_queue;
  futures::detail::Atomic<std::size_t> num_senders{1};
  task::AtomicTask recv_task;
  // The receiver found the queue empty and registered recv_task: the next sender must
  // notify it. Saves senders the AtomicTask round trip while the receiver is busy.
  futures::detail::Atomic<bool> recv_parked{false};
};

/// A producer's node cache plus the try-lock that lets const unbounded_send (callable
/// from several threads on one UnboundedSender, like Rust's `&self`) use it safely.
template <class T>
struct SendCache {
  Cache<std::optional<T>> nodes;
  futures::detail::Atomic<bool> busy{false};
};

template <class T>
std::tuple<Sender<T>, Receiver<T>> channel2(std::optional<std::size_t> buffer);

}  // namespace detail

/// The sending half of a bounded channel (Rust's `sync::mpsc::Sender<T>`): a Sink of T
/// with SinkError SendError<T>. Copyable (Clone): each copy is a further Sender with its
/// own guaranteed slot (see the file comment on capacity).
///
/// When the last Sender (copies included) is destroyed, the Receiver's stream ends
/// after the messages already sent.
///
/// Thread safety: each Sender may live on its own thread; one thread at a time may use
/// a given Sender.
template <class T>
class Sender : public SinkExt<Sender<T>> {
 public:
  using SinkItem = T;
  using SinkError = SendError<T>;

  /// Rust's `Clone`: registers one more sender (and one more slot).
  /// Aborts: more than max senders (about SIZE_MAX / 2) is a contract violation.
  Sender(const Sender& other) : inner_(other.inner_), task_(std::make_shared<detail::SenderTask>()) {
    if (!inner_) return;
    std::size_t curr = inner_->num_senders.load(std::memory_order_seq_cst);
    for (;;) {
      if (curr == inner_->max_senders()) {
        contract_violation("cannot clone `Sender` -- too many outstanding senders");
      }
      // SeqCst as Rust; only the count itself matters here.
      if (inner_->num_senders.compare_exchange_weak(curr, curr + 1, std::memory_order_seq_cst)) break;
    }
  }
  Sender(Sender&& other) noexcept
      : inner_(std::move(other.inner_)),
        task_(std::move(other.task_)),
        maybe_parked_(std::exchange(other.maybe_parked_, false)) {
    cache_.nodes = std::move(other.cache_.nodes);
  }
  Sender& operator=(const Sender& other) {
    if (this != &other) *this = Sender(other);
    return *this;
  }
  Sender& operator=(Sender&& other) noexcept {
    if (this != &other) {
      release();
      inner_ = std::move(other.inner_);
      task_ = std::move(other.task_);
      cache_.nodes = std::move(other.cache_.nodes);
      maybe_parked_ = std::exchange(other.maybe_parked_, false);
    }
    return *this;
  }
  ~Sender() { release(); }

  Sender clone() const { return *this; }

  /// Sink: sends `msg` unless this Sender is parked (then hands it back as NotReady and
  /// notifies the current task when the receiver unparks it). An accepted message may
  /// park this Sender for the next send (the channel is now full).
  ///
  /// Errors: SendError(msg) if the Receiver was dropped or closed.
  /// Aborts: needs a current task (use try_send outside tasks).
  StartSend<T, SendError<T>> start_send(T msg) {
    check();
    if (!poll_unparked(true).is_ready()) return Ok(AsyncSink<T>::NotReady(std::move(msg)));
    auto sent = do_send(std::optional<T>(std::move(msg)), true);
    if (sent.is_err()) return Err(SendError<T>(std::move(*std::move(sent).unwrap_err())));
    return Ok(AsyncSink<T>::Ready());
  }

  /// Sink: Ready once this Sender may send again (it is not parked), NotReady (current
  /// task notified on unpark) otherwise. Also Ready when the Receiver is gone: like
  /// Rust, it cannot hand a message back, and Ready does not mean "received".
  Poll<Unit, SendError<T>> poll_complete() {
    auto ready = poll_ready();
    if (ready.is_err()) return Ready();
    return Ok(ready.unwrap());
  }

  /// Sink: Ready at once. The channel ends when every Sender is destroyed, not here.
  Poll<Unit, SendError<T>> close() { return Ready(); }

  /// Ready if a send would be accepted without waiting, NotReady (current task
  /// notified when that changes) if this Sender is parked.
  ///
  /// Errors: SendError(()) if the Receiver was dropped or closed.
  /// Aborts: needs a current task when parked.
  Poll<Unit, SendError<Unit>> poll_ready() {
    check();
    if (!inner_->is_open()) return Err(SendError<Unit>(Unit{}));
    return Ok(poll_unparked(true));
  }

  /// Sends without a task and without waiting (for plain threads that arranged to be
  /// told about capacity some other way). Never parks a task.
  ///
  /// Errors: TrySendError::is_full() if this Sender is parked (the channel is full);
  /// is_disconnected() if the Receiver was dropped or closed. Both hand `msg` back.
  Result<Unit, TrySendError<T>> try_send(T msg) {
    check();
    if (!poll_unparked(false).is_ready()) return Err(TrySendError<T>::Full(std::move(msg)));
    auto sent = do_send(std::optional<T>(std::move(msg)), false);
    if (sent.is_err()) return Err(TrySendError<T>::Disconnected(std::move(*std::move(sent).unwrap_err())));
    return Ok();
  }

  /// True once the Receiver was dropped or closed. Needs no task. A moved-from Sender
  /// reports true.
  bool is_closed() const noexcept { return !inner_ || !inner_->is_open(); }

 private:
  friend std::tuple<Sender<T>, Receiver<T>> detail::channel2<T>(std::optional<std::size_t>);
  friend class UnboundedSender<T>;

  explicit Sender(std::shared_ptr<detail::Inner<T>> inner)
      : inner_(std::move(inner)), task_(std::make_shared<detail::SenderTask>()) {}

  void check() const {
    if (!inner_) contract_violation("mpsc::Sender used after it was moved from");
  }

  /// Rust's `do_send`: nullopt is the end-of-stream marker. Err hands the message back.
  Result<Unit, std::optional<T>> do_send(std::optional<T> msg, bool can_park) {
    std::optional<bool> park_self = inner_->inc_num_messages(!msg.has_value());
    if (!park_self) {
      // Closed by the receiver. The end marker is not needed then.
      if (msg) return Err(std::move(msg));
      return Ok();
    }
    // Parking first: the receiver, having popped our message, must find our handle.
    if (*park_self) park(can_park);
    inner_->push_and_signal(std::move(msg), &cache_.nodes);
    return Ok();
  }

  /// Rust's `do_send_nb` (unbounded, and callable through const): never parks.
  Result<Unit, T> do_send_nb(T msg) const {
    std::optional<bool> park_self = inner_->inc_num_messages(false);
    if (!park_self) return Err(std::move(msg));
    // Acquire pairs with the release below: the cache is ours until we put it back.
    bool owned = !cache_.busy.exchange(true, std::memory_order_acquire);
    inner_->push_and_signal(std::optional<T>(std::move(msg)), owned ? &cache_.nodes : nullptr);
    if (owned) cache_.busy.store(false, std::memory_order_release);
    return Ok();
  }

  /// Rust's `park`: queue our handle for the receiver, who unparks us after taking a
  /// message. Without a task (try_send, drop) the previously registered task stays; it
  /// may get one spurious notify.
  void park(bool can_park) {
    if (can_park) task_->task.register_();
    task_->is_parked.store(true, std::memory_order_seq_cst);
    inner_->parked_queue.push(task_);
    // Re-check after queueing: a close() that drained the parked queue before our push
    // will never unpark us, and then there is nothing to wait for.
    maybe_parked_ = inner_->is_open();
  }

  /// Rust's `poll_unparked`: Ready unless still parked.
  Async<Unit> poll_unparked(bool do_park) {
    if (!maybe_parked_) return Ready();
    // Register before reading the flag (AtomicTask protocol): an unpark that clears it
    // after our read then notifies the task we just registered.
    if (do_park) task_->task.register_();
    if (!task_->is_parked.load(std::memory_order_seq_cst)) {
      maybe_parked_ = false;
      return Ready();
    }
    return NotReady;
  }

  void release() noexcept {
    if (!inner_) return;
    // The last sender ends the stream with the nullopt marker.
    if (inner_->num_senders.fetch_sub(1, std::memory_order_seq_cst) == 1) {
      (void)do_send(std::nullopt, false);
    }
    inner_.reset();
  }

  std::shared_ptr<detail::Inner<T>> inner_;    // null once moved from
  std::shared_ptr<detail::SenderTask> task_;   // this sender's parked-task handle
  mutable detail::SendCache<T> cache_;         // recycled queue nodes
  bool maybe_parked_ = false;                  // we may be parked: check task_
};

/// The sending half of an unbounded channel (Rust's `UnboundedSender<T>`): a Sink of T
/// that never applies backpressure, plus unbounded_send. Copyable (Clone).
///
/// Thread safety: unbounded_send and is_closed may be called on one UnboundedSender
/// from several threads at once (Rust's `Sync`); the Sink members need exclusive use.
template <class T>
class UnboundedSender : public SinkExt<UnboundedSender<T>> {
 public:
  using SinkItem = T;
  using SinkError = SendError<T>;

  UnboundedSender clone() const { return *this; }

  /// Sends `msg` at once (the channel has no limit).
  /// Errors: SendError(msg) if the Receiver was dropped or closed.
  /// Notifies: the receiver's task.
  Result<Unit, SendError<T>> unbounded_send(T msg) const {
    tx_.check();
    auto sent = tx_.do_send_nb(std::move(msg));
    if (sent.is_err()) return Err(SendError<T>(std::move(sent).unwrap_err()));
    return Ok();
  }

  /// Sink: as unbounded_send; never NotReady. Needs no task.
  StartSend<T, SendError<T>> start_send(T msg) {
    auto sent = unbounded_send(std::move(msg));
    if (sent.is_err()) return Err(std::move(sent).unwrap_err());
    return Ok(AsyncSink<T>::Ready());
  }
  /// Sink: Ready (nothing is ever held back).
  Poll<Unit, SendError<T>> poll_complete() { return tx_.poll_complete(); }
  /// Sink: Ready at once; the channel ends when every sender is destroyed.
  Poll<Unit, SendError<T>> close() { return Ready(); }

  /// True once the Receiver was dropped or closed.
  bool is_closed() const noexcept { return tx_.is_closed(); }

 private:
  friend std::tuple<UnboundedSender<T>, UnboundedReceiver<T>> unbounded<T>();
  explicit UnboundedSender(Sender<T> tx) : tx_(std::move(tx)) {}
  Sender<T> tx_;
};

/// The receiving half of a channel (Rust's `sync::mpsc::Receiver<T>`): a Stream of T
/// with Error = Unit (never produced). Move-only.
///
/// The stream ends (Ready(nullopt), and again on every later poll) once every Sender is
/// gone and every message sent before was received, or after close() once the buffered
/// messages are drained. Destroying the Receiver closes the channel and destroys the
/// buffered messages at once.
///
/// Thread safety: may live on another thread than the senders; one thread at a time.
template <class T>
class Receiver : public StreamExt<Receiver<T>> {
 public:
  using Item = T;
  using Error = Unit;

  Receiver(Receiver&&) noexcept = default;
  Receiver& operator=(Receiver&& other) noexcept {
    if (this != &other) {
      release();
      inner_ = std::move(other.inner_);
    }
    return *this;
  }
  ~Receiver() { release(); }

  /// The next message, Ready(nullopt) at the end, or NotReady (the current task is
  /// notified by the next send or by the last Sender going away). Unparks one parked
  /// Sender per message taken.
  ///
  /// Aborts: needs a current task when nothing is buffered and the channel is still
  /// open; a moved-from Receiver is a contract violation.
  Poll<std::optional<T>, Unit> poll() {
    if (!inner_) contract_violation("mpsc::Receiver polled after it was moved from");
    if (std::optional<std::optional<T>> msg = next_message()) return Ready(std::move(*msg));
    if (state().is_closed()) return Ready(std::optional<T>());
    // Say we park, register, then look again: a send that lands after the first look
    // is seen by the second, or its sender sees recv_parked (SeqCst store here, SeqCst
    // push + load there) and notifies the task registered here (AtomicTask protocol).
    inner_->recv_parked.store(true, std::memory_order_seq_cst);
    inner_->recv_task.register_();
    if (std::optional<std::optional<T>> msg = next_message()) {
      // Not parked after all; saves the next sender a notify (a stale flag would only
      // cost one spurious wake-up).
      inner_->recv_parked.store(false, std::memory_order_relaxed);
      return Ready(std::move(*msg));
    }
    if (state().is_closed()) return Ready(std::optional<T>());
    return NotReady;
  }

  /// Closes the receiving half: every send from now on fails (parked Senders are woken
  /// to find out), while the messages already buffered can still be received, after
  /// which the stream ends. Needs no task.
  void close() {
    if (!inner_) return;
    std::size_t curr = inner_->state.load(std::memory_order_seq_cst);
    for (;;) {
      detail::State s = detail::State::decode(curr);
      if (!s.is_open) break;
      s.is_open = false;
      // SeqCst: pairs with inc_num_messages' CAS; a sender either counted its message
      // before this (we will receive it) or sees the channel closed.
      if (inner_->state.compare_exchange_weak(curr, s.encode(), std::memory_order_seq_cst)) break;
    }
    // Wake every parked sender: it will see the channel closed.
    for (unsigned spins = 0;;) {
      std::optional<std::shared_ptr<detail::SenderTask>> parked;
      detail::PopResult r = inner_->parked_queue.pop(parked);
      if (r == detail::PopResult::Data) {
        (*parked)->notify();
      } else if (r == detail::PopResult::Empty) {
        break;
      } else {
        detail::backoff(spins);
      }
    }
  }

 private:
  friend std::tuple<Sender<T>, Receiver<T>> detail::channel2<T>(std::optional<std::size_t>);
  explicit Receiver(std::shared_ptr<detail::Inner<T>> inner) : inner_(std::move(inner)) {}

  detail::State state() const {
    return detail::State::decode(inner_->state.load(std::memory_order_seq_cst));
  }

  /// Pops one message (the outer optional is "got one"; the inner nullopt is the end
  /// marker), unparking one sender and decrementing the count for it.
  std::optional<std::optional<T>> next_message() {
    std::optional<std::optional<T>> msg;
    for (unsigned spins = 0;;) {
      detail::PopResult r = inner_->message_queue.pop(msg);
      if (r == detail::PopResult::Data) {
        unpark_one();
        // SeqCst as Rust. The count is positive (our message is in it), so subtracting
        // cannot touch the open bit.
        inner_->state.fetch_sub(1, std::memory_order_seq_cst);
        return msg;
      }
      if (r == detail::PopResult::Empty) return std::nullopt;
      // A send is half done; it completes in a moment (Rust yields the thread here).
      detail::backoff(spins);
    }
  }

  void unpark_one() {
    for (unsigned spins = 0;;) {
      std::optional<std::shared_ptr<detail::SenderTask>> parked;
      detail::PopResult r = inner_->parked_queue.pop(parked);
      if (r == detail::PopResult::Data) {
        (*parked)->notify();
        return;
      }
      if (r == detail::PopResult::Empty) return;
      detail::backoff(spins);
    }
  }

  void release() noexcept {
    if (!inner_) return;
    close();
    // Drain, destroying the buffered messages now (as Rust's Drop); wait for a sender
    // that counted a message but has not pushed it yet.
    for (unsigned spins = 0;;) {
      if (next_message()) continue;
      if (state().is_closed()) break;
      detail::backoff(spins);
    }
    inner_.reset();
  }

  std::shared_ptr<detail::Inner<T>> inner_;  // null once moved from
};

/// The receiving half of an unbounded channel (Rust's `UnboundedReceiver<T>`): the
/// same Stream as Receiver<T>, with close(). Move-only.
template <class T>
class UnboundedReceiver : public StreamExt<UnboundedReceiver<T>> {
 public:
  using Item = T;
  using Error = Unit;

  /// As Receiver::poll.
  Poll<std::optional<T>, Unit> poll() { return rx_.poll(); }
  /// As Receiver::close.
  void close() { rx_.close(); }

 private:
  friend std::tuple<UnboundedSender<T>, UnboundedReceiver<T>> unbounded<T>();
  explicit UnboundedReceiver(Receiver<T> rx) : rx_(std::move(rx)) {}
  Receiver<T> rx_;
};

namespace detail {
template <class T>
std::tuple<Sender<T>, Receiver<T>> channel2(std::optional<std::size_t> buffer) {
  static_assert(std::is_move_constructible_v<T>, "mpsc::channel<T>: T must be movable");
  auto inner = std::make_shared<Inner<T>>(buffer);
  Sender<T> tx(inner);
  Receiver<T> rx(std::move(inner));
  return {std::move(tx), std::move(rx)};
}
}  // namespace detail

/// Creates a bounded channel: `auto [tx, rx] = mpsc::channel<int>(8);`. Its capacity
/// is `buffer` + the number of live Senders (each Sender has one guaranteed slot; see
/// the file comment). `channel<T>(0)` is valid. One allocation (plus the queues' nodes).
///
/// Aborts: `buffer` of SIZE_MAX / 4 or more is a contract violation.
template <class T>
std::tuple<Sender<T>, Receiver<T>> channel(std::size_t buffer) {
  if (buffer >= detail::kMaxBuffer) contract_violation("requested buffer size too large");
  return detail::channel2<T>(buffer);
}

/// Creates an unbounded channel: sends always succeed while the Receiver lives, and
/// messages are buffered without limit (available memory is the only bound).
template <class T>
std::tuple<UnboundedSender<T>, UnboundedReceiver<T>> unbounded() {
  auto [tx, rx] = detail::channel2<T>(std::nullopt);
  return {UnboundedSender<T>(std::move(tx)), UnboundedReceiver<T>(std::move(rx))};
}

// ===== spawn =====

/// The future mpsc::spawn hands to the executor (Rust's `mpsc::Execute<S>`): sends
/// every item and error of the stream as a Result into the channel (Rust's
/// `tx.send_all(resultstream::new(stream))`), then completes, which drops the Sender and
/// ends the handle's stream. Completes early, dropping the stream, once the SpawnHandle
/// is gone. Item and Error are Unit.
template <class S>
using Execute = futures::detail::ExecuteStream<S, Sender<Result<typename S::Item, typename S::Error>>,
                                               oneshot::Receiver<Unit>>;

/// A stream of the items and errors of a stream spawned with mpsc::spawn (Rust's
/// `mpsc::SpawnHandle<Item, Error>`): Item I, Error E, ends when the spawned stream
/// ends. Move-only. Destroying it cancels the spawned stream (the executor drops it at
/// its next poll).
template <class I, class E>
using SpawnHandle = futures::detail::SpawnedStreamHandle<I, E, Receiver<Result<I, E>>, oneshot::Sender<Unit>>;

namespace detail {
template <class S, class Ex>
SpawnHandle<typename S::Item, typename S::Error> spawn_with(S stream, Ex& executor,
                                                            std::optional<std::size_t> buffer) {
  static_assert(Stream<S>, "mpsc::spawn(stream, executor, ...): stream must be a Stream");
  static_assert(future::Executor<Ex, Execute<S>>,
                "mpsc::spawn(stream, executor, ...): executor must have "
                "`Result<Unit, future::ExecuteError<Execute<S>>> execute(Execute<S>) const`");
  using Message = Result<typename S::Item, typename S::Error>;
  auto [cancel_tx, cancel_rx] = oneshot::channel<Unit>();
  auto [tx, rx] = channel2<Message>(buffer);
  executor.execute(Execute<S>(std::move(stream), std::move(tx), std::move(cancel_rx)))
      .expect("failed to spawn stream");
  return SpawnHandle<typename S::Item, typename S::Error>(std::move(rx), std::move(cancel_tx));
}
}  // namespace detail

/// Runs `stream` on `executor` and returns a stream of its items and errors (Rust's
/// `mpsc::spawn`). At most `buffer + 1` results are buffered; beyond that the spawned
/// stream waits for the handle to catch up (backpressure). Dropping the handle cancels
/// the stream.
///
/// `executor` must satisfy `future::Executor<Ex, mpsc::Execute<S>>`.
/// Panics: throws futures::Panic ("failed to spawn stream: ...") if the executor
/// refuses.
template <class S, class Ex>
SpawnHandle<typename S::Item, typename S::Error> spawn(S stream, Ex&& executor, std::size_t buffer) {
  if (buffer >= detail::kMaxBuffer) contract_violation("requested buffer size too large");
  return detail::spawn_with(std::move(stream), executor, buffer);
}

/// As spawn, with an unbounded buffer (Rust's `mpsc::spawn_unbounded`): the spawned
/// stream runs as fast as it can, whatever the handle's pace.
template <class S, class Ex>
SpawnHandle<typename S::Item, typename S::Error> spawn_unbounded(S stream, Ex&& executor) {
  return detail::spawn_with(std::move(stream), executor, std::nullopt);
}

}  // namespace futures::sync::mpsc
