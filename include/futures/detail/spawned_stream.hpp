// futures layer: the two halves of `mpsc::spawn` (Rust's `mpsc::Execute` and
// `mpsc::SpawnHandle`), shared by sync::mpsc and unsync::mpsc, which differ only in the
// channel types they plug in.
#pragma once

#include <futures/contract.hpp>
#include <futures/future_ext.hpp>
#include <futures/poll.hpp>
#include <futures/result.hpp>
#include <futures/sink_ext.hpp>
#include <futures/stream_ext.hpp>
#include <futures/unit.hpp>

#include <optional>
#include <utility>

namespace futures::detail {

/// The future spawn hands to the executor: sends every item and error of stream S as a
/// Result into the channel through Tx (Rust's `tx.send_all(resultstream::new(stream))`),
/// then completes, which drops the Sender and ends the handle's stream. Completes early,
/// dropping the stream, once the handle's cancel sender (CancelRx's peer) is gone.
/// Item and Error are Unit.
template <class S, class Tx, class CancelRx>
class ExecuteStream : public FutureExt<ExecuteStream<S, Tx, CancelRx>> {
 public:
  using Item = Unit;
  using Error = Unit;
  using Message = Result<typename S::Item, typename S::Error>;

  ExecuteStream(S stream, Tx tx, CancelRx cancel_rx)
      : stream_(std::move(stream)), tx_(std::move(tx)), cancel_rx_(std::move(cancel_rx)) {}

  /// Notifies: whatever the stream arranges; this task when the channel has room again
  /// or the SpawnHandle is dropped.
  /// Aborts: polling again after Ready is a contract violation.
  Poll<Unit, Unit> poll() {
    if (done_) contract_violation("mpsc::Execute polled after it completed");
    auto cancel = cancel_rx_.poll();
    if (cancel.is_err() || cancel.unwrap_ref().is_ready()) return finish();
    // The send_all loop.
    if (buffered_) {
      Message m = std::move(*buffered_);
      buffered_.reset();
      if (auto r = try_start_send(std::move(m))) return *r;
    }
    for (;;) {
      auto polled = stream_.poll();
      std::optional<Message> msg;
      if (polled.is_err()) {
        msg.emplace(Err(std::move(polled).unwrap_err()));
      } else {
        auto async = std::move(polled).unwrap();
        if (async.is_not_ready()) {
          // Flush; an error means the receiver is gone (then we are done).
          if (tx_.poll_complete().is_err()) return finish();
          return NotReady;
        }
        std::optional<typename S::Item> item = std::move(async).value();
        if (!item) return finish();  // Rust closes the sink (a no-op) and completes
        msg.emplace(Ok(std::move(*item)));
      }
      if (auto r = try_start_send(std::move(*msg))) return *r;
    }
  }

 private:
  /// nullopt if accepted; else the poll result to return.
  std::optional<Poll<Unit, Unit>> try_start_send(Message msg) {
    auto sent = tx_.start_send(std::move(msg));
    if (sent.is_err()) return finish();  // the receiver is gone
    AsyncSink<Message> s = std::move(sent).unwrap();
    if (s.is_not_ready()) {
      buffered_.emplace(std::move(s).item());
      return Poll<Unit, Unit>(NotReady);
    }
    return std::nullopt;
  }

  Poll<Unit, Unit> finish() {
    done_ = true;
    return Ready();
  }

  S stream_;
  Tx tx_;
  CancelRx cancel_rx_;
  std::optional<Message> buffered_;  // an item the channel handed back
  bool done_ = false;
};

/// The stream of the items and errors of a spawned stream: Item I, Error E, ends when
/// the spawned stream ends. Move-only. Destroying it drops CancelTx, which cancels the
/// spawned stream (the executor drops it at its next poll).
template <class I, class E, class Rx, class CancelTx>
class SpawnedStreamHandle : public StreamExt<SpawnedStreamHandle<I, E, Rx, CancelTx>> {
 public:
  using Item = I;
  using Error = E;

  SpawnedStreamHandle(Rx rx, CancelTx cancel_tx) : rx_(std::move(rx)), cancel_tx_(std::move(cancel_tx)) {}

  /// The spawned stream's next item or error, Ready(nullopt) at its end, NotReady (the
  /// current task is notified) until then.
  Poll<std::optional<I>, E> poll() {
    auto async = rx_.poll().unwrap();  // the Receiver never fails
    if (async.is_not_ready()) return NotReady;
    std::optional<Result<I, E>> msg = std::move(async).value();
    if (!msg) return Ready(std::optional<I>());
    if (msg->is_err()) return Err(std::move(*msg).unwrap_err());
    return Ready(std::optional<I>(std::move(*msg).unwrap()));
  }

 private:
  Rx rx_;
  CancelTx cancel_tx_;  // dropping it cancels the ExecuteStream
};

}  // namespace futures::detail
