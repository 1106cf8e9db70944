// futures layer: unsync::mpsc, the single-thread multi-producer, single-consumer channel
// with backpressure, and its spawn. Mirrors futures 0.1 `src/unsync/mpsc.rs`.
//
// Same shape as sync::mpsc, without atomics: every half and everything it touches must
// stay on one thread (Rust's `!Send`). Unlike sync::mpsc, the capacity of
// `channel<T>(buffer)` is exactly `buffer` (so `channel<T>(0)` can never accept a
// message, as in Rust). Rust keeps the state in an `Rc<RefCell<Shared>>` that the
// Receiver owns and the Senders hold weakly; here the halves share one heap block with
// a plain sender count and a "receiver open" flag, and whichever lets go last frees it.
// Sending moves the message into a std::deque: no allocation per message on average.
#pragma once

#include <futures/contract.hpp>
#include <futures/detail/send_error.hpp>
#include <futures/detail/spawned_stream.hpp>
#include <futures/future/executor.hpp>
#include <futures/future_ext.hpp>
#include <futures/poll.hpp>
#include <futures/result.hpp>
#include <futures/sink_ext.hpp>
#include <futures/stream_ext.hpp>
#include <futures/task.hpp>
#include <futures/unit.hpp>
#include <futures/unsync/oneshot.hpp>

#include <cstddef>
#include <deque>
#include <optional>
#include <ostream>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace futures::unsync::mpsc {

/// The error of a send into a channel whose Receiver was dropped or closed (Rust's
/// `unsync::mpsc::SendError<T>`): hands the message back with `into_inner()`.
template <class T>
using SendError = futures::detail::SendError<T>;

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

/// The shared state (Rust's `Shared<T>` plus its Rc/Weak counts). While `rx_open`, the
/// Receiver points here too; `senders` is Rust's weak count. Freed when both are gone.
template <class T>
struct Shared {
  explicit Shared(std::optional<std::size_t> cap) : capacity(cap) {}

  std::deque<T> buffer;
  std::optional<std::size_t> capacity;  // nullopt: unbounded
  std::deque<task::Task> blocked_senders;
  std::optional<task::Task> blocked_recv;
  std::size_t senders = 1;
  bool rx_open = true;  // the Receiver has neither closed nor been dropped

  /// Stores `msg` (waking the receiver), or hands it back as NotReady (parking the
  /// current task) when full, or fails when the receiver is gone.
  StartSend<T, SendError<T>> send(T msg, bool bounded) {
    if (!rx_open) return Err(SendError<T>(std::move(msg)));
    if (bounded && capacity && buffer.size() == *capacity) {
      blocked_senders.push_back(task::current());
      return Ok(AsyncSink<T>::NotReady(std::move(msg)));
    }
    buffer.push_back(std::move(msg));
    notify_recv();
    return Ok(AsyncSink<T>::Ready());
  }

  void notify_recv() {
    if (blocked_recv) {
      task::Task t = std::move(*blocked_recv);
      blocked_recv.reset();
      t.notify();
    }
  }
};

template <class T>
std::tuple<Sender<T>, Receiver<T>> channel_(std::optional<std::size_t> buffer);

}  // namespace detail

/// The sending half of a bounded channel (Rust's `unsync::mpsc::Sender<T>`): a Sink of
/// T with SinkError SendError<T>. Copyable (Clone). One thread.
///
/// When the last Sender (copies included) is destroyed, the Receiver's stream ends
/// after the buffered messages.
template <class T>
class Sender : public SinkExt<Sender<T>> {
 public:
  using SinkItem = T;
  using SinkError = SendError<T>;

  Sender(const Sender& other) noexcept : shared_(other.shared_) {
    if (shared_ != nullptr) ++shared_->senders;
  }
  Sender(Sender&& other) noexcept : shared_(std::exchange(other.shared_, nullptr)) {}
  Sender& operator=(const Sender& other) {
    if (this != &other) *this = Sender(other);
    return *this;
  }
  Sender& operator=(Sender&& other) noexcept {
    if (this != &other) {
      release();
      shared_ = std::exchange(other.shared_, nullptr);
    }
    return *this;
  }
  ~Sender() { release(); }

  Sender clone() const { return *this; }

  /// Sink: buffers `msg`, or hands it back as NotReady when the buffer holds
  /// `capacity` messages (the current task is notified when the receiver takes one).
  /// Errors: SendError(msg) if the Receiver was dropped or closed.
  /// Notifies: the receiver's task.
  StartSend<T, SendError<T>> start_send(T msg) {
    if (shared_ == nullptr) contract_violation("unsync::mpsc::Sender used after it was moved from");
    return shared_->send(std::move(msg), true);
  }
  /// Sink: always Ready.
  Poll<Unit, SendError<T>> poll_complete() { return Ready(); }
  /// Sink: always Ready; the channel ends when every Sender is destroyed.
  Poll<Unit, SendError<T>> close() { return Ready(); }

 private:
  friend std::tuple<Sender<T>, Receiver<T>> detail::channel_<T>(std::optional<std::size_t>);
  friend class UnboundedSender<T>;
  explicit Sender(detail::Shared<T>* shared) noexcept : shared_(shared) {}

  void release() noexcept {
    detail::Shared<T>* s = std::exchange(shared_, nullptr);
    if (s == nullptr) return;
    if (--s->senders == 0) {
      if (!s->rx_open) {
        delete s;
      } else {
        s->notify_recv();  // the stream has ended: wake the receiver
      }
    }
  }

  detail::Shared<T>* shared_;  // null once moved from
};

/// The sending half of an unbounded channel (Rust's `unsync::mpsc::UnboundedSender`):
/// a Sink that never applies backpressure, plus unbounded_send. Copyable. One thread.
template <class T>
class UnboundedSender : public SinkExt<UnboundedSender<T>> {
 public:
  using SinkItem = T;
  using SinkError = SendError<T>;

  UnboundedSender clone() const { return *this; }

  /// Buffers `msg` at once. Errors: SendError(msg) if the Receiver was dropped or
  /// closed. Notifies: the receiver's task.
  Result<Unit, SendError<T>> unbounded_send(T msg) const {
    if (tx_.shared_ == nullptr) contract_violation("unsync::mpsc::UnboundedSender used after it was moved from");
    auto sent = tx_.shared_->send(std::move(msg), false);
    if (sent.is_err()) return Err(std::move(sent).unwrap_err());
    return Ok();
  }

  /// Sink: as unbounded_send; never NotReady.
  StartSend<T, SendError<T>> start_send(T msg) {
    auto sent = unbounded_send(std::move(msg));
    if (sent.is_err()) return Err(std::move(sent).unwrap_err());
    return Ok(AsyncSink<T>::Ready());
  }
  /// Sink: always Ready.
  Poll<Unit, SendError<T>> poll_complete() { return Ready(); }
  /// Sink: always Ready.
  Poll<Unit, SendError<T>> close() { return Ready(); }

 private:
  friend std::tuple<UnboundedSender<T>, UnboundedReceiver<T>> unbounded<T>();
  explicit UnboundedSender(Sender<T> tx) : tx_(std::move(tx)) {}
  Sender<T> tx_;
};

/// The receiving half (Rust's `unsync::mpsc::Receiver<T>`): a Stream of T with Error =
/// Unit (never produced). Move-only. One thread.
///
/// The stream ends (Ready(nullopt), also on later polls) when every Sender is gone and
/// the buffer is empty, or after close() once the buffered messages are taken.
/// Destroying the Receiver closes the channel (later sends fail) and destroys the
/// buffered messages.
template <class T>
class Receiver : public StreamExt<Receiver<T>> {
 public:
  using Item = T;
  using Error = Unit;

  Receiver(Receiver&& other) noexcept
      : shared_(std::exchange(other.shared_, nullptr)), closed_(std::move(other.closed_)) {}
  Receiver& operator=(Receiver&& other) noexcept {
    if (this != &other) {
      close();
      shared_ = std::exchange(other.shared_, nullptr);
      closed_ = std::move(other.closed_);
    }
    return *this;
  }
  ~Receiver() { close(); }

  /// The next message, Ready(nullopt) at the end, or NotReady (the current task is
  /// notified by the next send or when the last Sender goes). Wakes the oldest blocked
  /// sender for each message taken.
  /// Aborts: needs a current task when it would return NotReady.
  Poll<std::optional<T>, Unit> poll() {
    if (shared_ == nullptr) {
      if (closed_.empty()) return Ready(std::optional<T>());
      std::optional<T> msg(std::move(closed_.front()));
      closed_.pop_front();
      return Ready(std::move(msg));
    }
    detail::Shared<T>& s = *shared_;
    if (!s.buffer.empty()) {
      std::optional<T> msg(std::move(s.buffer.front()));
      s.buffer.pop_front();
      if (!s.blocked_senders.empty()) {
        task::Task t = std::move(s.blocked_senders.front());
        s.blocked_senders.pop_front();
        t.notify();
      }
      return Ready(std::move(msg));
    }
    if (s.senders == 0) return Ready(std::optional<T>());  // every sender gone
    s.blocked_recv = task::current();
    return NotReady;
  }

  /// Closes the receiving half: later sends fail (blocked senders are woken to find
  /// out); the buffered messages can still be received, then the stream ends.
  void close() {
    detail::Shared<T>* s = std::exchange(shared_, nullptr);
    if (s == nullptr) return;
    closed_ = std::move(s->buffer);
    std::deque<task::Task> blockers = std::move(s->blocked_senders);
    s->rx_open = false;
    // Rust drops the shared value here (only the Weak husk stays for the senders).
    s->buffer.clear();
    s->blocked_senders.clear();
    s->blocked_recv.reset();
    if (s->senders == 0) delete s;
    for (auto& t : blockers) t.notify();
  }

 private:
  friend std::tuple<Sender<T>, Receiver<T>> detail::channel_<T>(std::optional<std::size_t>);
  explicit Receiver(detail::Shared<T>* shared) noexcept : shared_(shared) {}

  detail::Shared<T>* shared_;  // null once closed or moved from
  std::deque<T> closed_;       // the messages left when closed (Rust's State::Closed)
};

/// The receiving half of an unbounded channel (Rust's `UnboundedReceiver<T>`).
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
std::tuple<Sender<T>, Receiver<T>> channel_(std::optional<std::size_t> buffer) {
  static_assert(std::is_move_constructible_v<T>, "unsync::mpsc::channel<T>: T must be movable");
  auto* shared = new Shared<T>(buffer);
  return {Sender<T>(shared), Receiver<T>(shared)};
}
}  // namespace detail

/// Creates a bounded single-thread channel whose capacity is exactly `buffer`:
/// `auto [tx, rx] = unsync::mpsc::channel<int>(8);`.
template <class T>
std::tuple<Sender<T>, Receiver<T>> channel(std::size_t buffer) {
  return detail::channel_<T>(buffer);
}

/// Creates an unbounded single-thread channel.
template <class T>
std::tuple<UnboundedSender<T>, UnboundedReceiver<T>> unbounded() {
  auto [tx, rx] = detail::channel_<T>(std::nullopt);
  return {UnboundedSender<T>(std::move(tx)), UnboundedReceiver<T>(std::move(rx))};
}

// ===== spawn =====

/// The future unsync::mpsc::spawn hands to the executor (Rust's
/// `unsync::mpsc::Execute<S>`): sends every item and error of the stream as a Result
/// into the channel, then completes (dropping the Sender ends the handle's stream).
/// Completes early, dropping the stream, once the SpawnHandle is gone.
template <class S>
using Execute = futures::detail::ExecuteStream<S, Sender<Result<typename S::Item, typename S::Error>>,
                                               oneshot::Receiver<Unit>>;

/// A stream of the items and errors of a stream spawned with unsync::mpsc::spawn
/// (Rust's `unsync::mpsc::SpawnHandle`). Destroying it cancels the spawned stream.
template <class I, class E>
using SpawnHandle = futures::detail::SpawnedStreamHandle<I, E, Receiver<Result<I, E>>, oneshot::Sender<Unit>>;

namespace detail {
template <class S, class Ex>
SpawnHandle<typename S::Item, typename S::Error> spawn_with(S stream, Ex& executor,
                                                            std::optional<std::size_t> buffer) {
  static_assert(Stream<S>, "unsync::mpsc::spawn(stream, executor, ...): stream must be a Stream");
  static_assert(future::Executor<Ex, Execute<S>>,
                "unsync::mpsc::spawn(stream, executor, ...): executor must have "
                "`Result<Unit, future::ExecuteError<Execute<S>>> execute(Execute<S>) const`");
  using Message = Result<typename S::Item, typename S::Error>;
  auto [cancel_tx, cancel_rx] = oneshot::channel<Unit>();
  auto [tx, rx] = channel_<Message>(buffer);
  executor.execute(Execute<S>(std::move(stream), std::move(tx), std::move(cancel_rx)))
      .expect("failed to spawn stream");
  return SpawnHandle<typename S::Item, typename S::Error>(std::move(rx), std::move(cancel_tx));
}
}  // namespace detail

/// Runs `stream` on `executor` (a `future::Executor<Ex, unsync::mpsc::Execute<S>>`)
/// and returns a stream of its items and errors. At most `buffer` results are buffered
/// (backpressure beyond). Dropping the handle cancels the stream.
/// Panics: throws futures::Panic ("failed to spawn stream: ...") if the executor refuses.
template <class S, class Ex>
SpawnHandle<typename S::Item, typename S::Error> spawn(S stream, Ex&& executor, std::size_t buffer) {
  return detail::spawn_with(std::move(stream), executor, buffer);
}

/// As spawn, with an unbounded buffer.
template <class S, class Ex>
SpawnHandle<typename S::Item, typename S::Error> spawn_unbounded(S stream, Ex&& executor) {
  return detail::spawn_with(std::move(stream), executor, std::nullopt);
}

}  // namespace futures::unsync::mpsc
