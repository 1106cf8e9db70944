// Test support: a scripted I/O object (tokio-test's `io::Builder` / `io::Mock`, which
// tokio-io's tests used in spirit). The script is a queue of actions, consumed in
// order by poll_read / poll_write:
//   read(bytes)        poll_read returns these bytes (over one or more calls)
//   write(bytes)       poll_write must be given exactly these bytes (over one or more
//                      calls; a call gets at most what the action still expects)
//   wait_would_block() the next poll_read or poll_write returns NotReady once, having
//                      notified the current task first so progress continues
//   read_error(e)      poll_read fails with e
//   write_error(e)     poll_write fails with e
// A read finding a write action first (or a write finding a read) returns NotReady
// and is notified when the action ahead is consumed, so the two halves of a split
// Mock may run in two tasks. With nothing left, poll_read returns end of stream and
// poll_write fails the test. The destructor fails the test if actions remain.
#pragma once

#include <futures/poll.hpp>
#include <futures/task.hpp>
#include <futures/unit.hpp>
#include <tokio/io/error.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace tokio_test::io {

class Mock;

struct ReadAction {
  std::vector<std::uint8_t> data;
};
struct WriteAction {
  std::vector<std::uint8_t> data;
};
struct WaitAction {};
struct ReadErrorAction {
  tokio::io::Error error;
};
struct WriteErrorAction {
  tokio::io::Error error;
};
using Action = std::variant<ReadAction, WriteAction, WaitAction, ReadErrorAction, WriteErrorAction>;

inline std::vector<std::uint8_t> to_bytes(std::string_view s) { return {s.begin(), s.end()}; }

class Builder {
 public:
  Builder& read(std::vector<std::uint8_t> data) { return push(ReadAction{std::move(data)}); }
  Builder& read(std::string_view s) { return read(to_bytes(s)); }
  Builder& write(std::vector<std::uint8_t> data) { return push(WriteAction{std::move(data)}); }
  Builder& write(std::string_view s) { return write(to_bytes(s)); }
  Builder& wait_would_block() { return push(WaitAction{}); }
  Builder& read_error(tokio::io::Error e) { return push(ReadErrorAction{std::move(e)}); }
  Builder& write_error(tokio::io::Error e) { return push(WriteErrorAction{std::move(e)}); }

  inline Mock build();

 private:
  Builder& push(Action a) {
    // Empty reads and writes would be taken for end of stream / a zero write.
    if (auto* r = std::get_if<ReadAction>(&a); r && r->data.empty()) return *this;
    if (auto* w = std::get_if<WriteAction>(&a); w && w->data.empty()) return *this;
    actions_.push_back(std::move(a));
    return *this;
  }
  std::vector<Action> actions_;
};

class Mock {
 public:
  explicit Mock(std::vector<Action> actions) : actions_(std::move(actions)) {}
  Mock(Mock&& other) noexcept
      : actions_(std::move(other.actions_)), head_(other.head_), offset_(other.offset_), flushes_(other.flushes_),
        shutdowns_(other.shutdowns_), live_(std::exchange(other.live_, false)) {}
  Mock& operator=(Mock&&) = delete;
  ~Mock() {
    if (live_ && !done()) ADD_FAILURE() << "Mock dropped with " << actions_.size() - head_ << " actions left";
  }

  futures::Poll<std::size_t, tokio::io::Error> poll_read(std::span<std::uint8_t> buf) {
    if (done()) return futures::Ready(std::size_t{0});
    Action& next = actions_[head_];
    if (auto* r = std::get_if<ReadAction>(&next)) {
      std::size_t n = std::min(buf.size(), r->data.size() - offset_);
      std::memcpy(buf.data(), r->data.data() + offset_, n);
      advance(n, r->data.size());
      return futures::Ready(n);
    }
    if (std::holds_alternative<WaitAction>(next)) return wait();
    if (auto* e = std::get_if<ReadErrorAction>(&next)) {
      tokio::io::Error err = e->error;
      pop();
      return futures::Err(std::move(err));
    }
    read_waiter_.emplace(futures::task::current());
    return futures::NotReady;
  }

  futures::Poll<std::size_t, tokio::io::Error> poll_write(std::span<const std::uint8_t> buf) {
    if (done()) {
      ADD_FAILURE() << "unexpected write of " << buf.size() << " bytes";
      return futures::Err(tokio::io::Error(tokio::io::ErrorKind::Other, "unexpected write"));
    }
    Action& next = actions_[head_];
    if (auto* w = std::get_if<WriteAction>(&next)) {
      std::size_t n = std::min(buf.size(), w->data.size() - offset_);
      if (!std::equal(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n),
                      w->data.begin() + static_cast<std::ptrdiff_t>(offset_))) {
        ADD_FAILURE() << "write does not match the script at offset " << offset_;
      }
      advance(n, w->data.size());
      return futures::Ready(n);
    }
    if (std::holds_alternative<WaitAction>(next)) return wait();
    if (auto* e = std::get_if<WriteErrorAction>(&next)) {
      tokio::io::Error err = e->error;
      pop();
      return futures::Err(std::move(err));
    }
    write_waiter_.emplace(futures::task::current());
    return futures::NotReady;
  }

  futures::Poll<futures::Unit, tokio::io::Error> poll_flush() {
    ++flushes_;
    return futures::Ready(futures::Unit{});
  }
  futures::Poll<futures::Unit, tokio::io::Error> shutdown() {
    ++shutdowns_;
    return futures::Ready(futures::Unit{});
  }

  std::size_t flushes() const { return flushes_; }
  std::size_t shutdowns() const { return shutdowns_; }
  bool done() const { return head_ == actions_.size(); }

 private:
  futures::Poll<std::size_t, tokio::io::Error> wait() {
    pop();
    futures::task::current().notify();
    return futures::NotReady;
  }
  void advance(std::size_t n, std::size_t size) {
    offset_ += n;
    if (offset_ == size) pop();
  }
  void pop() {
    actions_[head_++] = WaitAction{};  // frees the bytes
    offset_ = 0;
    if (read_waiter_) std::exchange(read_waiter_, std::nullopt)->notify();
    if (write_waiter_) std::exchange(write_waiter_, std::nullopt)->notify();
  }

  std::vector<Action> actions_;
  std::size_t head_ = 0;    // the next action
  std::size_t offset_ = 0;  // bytes of the front read/write action already used
  std::size_t flushes_ = 0;
  std::size_t shutdowns_ = 0;
  bool live_ = true;  // false once moved from
  std::optional<futures::task::Task> read_waiter_;
  std::optional<futures::task::Task> write_waiter_;
};

Mock Builder::build() { return Mock(std::move(actions_)); }

}  // namespace tokio_test::io
