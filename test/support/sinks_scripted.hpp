// Test support (helper "sinks"): a scripted Sink and a scripted Stream whose every
// answer is set by the test, so sink combinators can be driven through backpressure,
// errors, end of stream and close, with the calls and notifications counted.
#pragma once

#include <futures/sink_ext.hpp>
#include <futures/stream_ext.hpp>
#include <futures/task.hpp>

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <optional>
#include <utility>
#include <variant>
#include <vector>

namespace futures_test {

/// What a ScriptedSink does, and what happened to it. Shared between the test and the
/// sink (the sink moves into combinators; the test keeps the state).
template <class T, class E>
struct SinkScript {
  std::vector<T> items;                          // accepted items, in order
  int not_ready_sends = 0;                       // the next N start_send calls hand the item back
  int not_ready_flushes = 0;                     // the next N poll_complete calls return NotReady
  int not_ready_closes = 0;                      // the next N close calls return NotReady
  std::optional<E> send_error;                   // the next start_send fails with this
  std::optional<E> flush_error;                  // the next poll_complete fails with this
  std::optional<E> close_error;                  // the next close fails with this
  bool self_notify = true;                       // NotReady notifies the current task at once
  int start_sends = 0, flushes = 0, closes = 0;  // calls
  bool closed = false;                           // close returned Ready
  int flushed_items = 0;                         // items.size() at the last Ready poll_complete
  std::optional<futures::task::Task> task;       // the task that got NotReady last

  /// Notifies the task that last got NotReady.
  void wake() {
    if (task) task->notify();
  }

 private:
  template <class, class>
  friend class ScriptedSink;
  void park() {
    task.emplace(futures::task::current());
    if (self_notify) task->notify();
  }
};

/// A Sink of T with error E, scripted by a shared SinkScript.
template <class T, class E = int>
class ScriptedSink : public futures::SinkExt<ScriptedSink<T, E>> {
 public:
  using SinkItem = T;
  using SinkError = E;

  ScriptedSink() : s_(std::make_shared<SinkScript<T, E>>()) {}
  explicit ScriptedSink(std::shared_ptr<SinkScript<T, E>> script) : s_(std::move(script)) {}

  futures::StartSend<T, E> start_send(T item) {
    ++s_->start_sends;
    if (s_->closed) ADD_FAILURE() << "start_send after close";
    if (s_->send_error) return futures::Err(take(s_->send_error));
    if (s_->not_ready_sends > 0) {
      --s_->not_ready_sends;
      s_->park();
      return futures::Ok(futures::AsyncSink<T>::NotReady(std::move(item)));
    }
    s_->items.push_back(std::move(item));
    return futures::Ok(futures::AsyncSink<T>::Ready());
  }
  futures::Poll<futures::Unit, E> poll_complete() {
    ++s_->flushes;
    if (s_->flush_error) return futures::Err(take(s_->flush_error));
    if (s_->not_ready_flushes > 0) {
      --s_->not_ready_flushes;
      s_->park();
      return futures::NotReady;
    }
    s_->flushed_items = static_cast<int>(s_->items.size());
    return futures::Ready();
  }
  futures::Poll<futures::Unit, E> close() {
    ++s_->closes;
    if (s_->close_error) return futures::Err(take(s_->close_error));
    if (s_->not_ready_closes > 0) {
      --s_->not_ready_closes;
      s_->park();
      return futures::NotReady;
    }
    s_->closed = true;
    s_->flushed_items = static_cast<int>(s_->items.size());
    return futures::Ready();
  }

  SinkScript<T, E>& script() const { return *s_; }
  std::shared_ptr<SinkScript<T, E>> shared() const { return s_; }

 private:
  static E take(std::optional<E>& o) {
    E e = std::move(*o);
    o.reset();
    return e;
  }
  std::shared_ptr<SinkScript<T, E>> s_;
};

/// One step of a ScriptedStream.
struct StreamNotReady {};  // NotReady, notifying the current task at once
struct StreamEnd {};       // Ready(nullopt)

/// A Stream of T with error E that plays back a script: items, errors, NotReady
/// (self-notifying) and an end. After the script it ends; polling after the end fails
/// the test (so consumers are checked to stop, as Rust's fuse makes them).
template <class T, class E = int>
class ScriptedStream : public futures::StreamExt<ScriptedStream<T, E>> {
 public:
  using Item = T;
  using Error = E;
  using Step = std::variant<T, futures::ErrValue<E>, StreamNotReady, StreamEnd>;

  ScriptedStream(std::initializer_list<Step> steps)
      : steps_(std::make_shared<std::deque<Step>>(steps)) {}
  explicit ScriptedStream(std::deque<Step> steps)
      : steps_(std::make_shared<std::deque<Step>>(std::move(steps))) {}

  futures::Poll<std::optional<T>, E> poll() {
    ++*polls_;
    if (*ended_) {
      ADD_FAILURE() << "ScriptedStream polled after its end";
      return futures::Ready(std::optional<T>());
    }
    if (steps_->empty()) {
      *ended_ = true;
      return futures::Ready(std::optional<T>());
    }
    Step step = std::move(steps_->front());
    steps_->pop_front();
    if (auto* item = std::get_if<0>(&step))
      return futures::Ready(std::optional<T>(std::move(*item)));
    if (auto* err = std::get_if<1>(&step)) return futures::Err(std::move(err->value));
    if (std::holds_alternative<StreamNotReady>(step)) {
      futures::task::current().notify();
      return futures::NotReady;
    }
    *ended_ = true;
    return futures::Ready(std::optional<T>());
  }

  /// Polls so far (shared by copies of the handle; moved streams keep counting).
  int polls() const { return *polls_; }
  std::shared_ptr<int> polls_handle() const { return polls_; }
  std::size_t remaining() const { return steps_->size(); }

 private:
  std::shared_ptr<std::deque<Step>> steps_;
  std::shared_ptr<int> polls_ = std::make_shared<int>(0);
  std::shared_ptr<bool> ended_ = std::make_shared<bool>(false);
};

}  // namespace futures_test
