// tokio::mio layer: Events, the buffer Poll::poll() fills (mio 0.6's `Events`).
//
// The storage is allocated once by with_capacity(); poll() never allocates.
#pragma once

#include <tokio/mio/event.hpp>

#include <cstddef>
#include <memory>

namespace tokio::mio {

namespace sys {
struct EventsAccess;
}

class Events {
 public:
  using const_iterator = const Event*;
  using iterator = const_iterator;

  /// Room for `capacity` events per poll (at least 1).
  static Events with_capacity(std::size_t capacity) { return Events(capacity == 0 ? 1 : capacity); }

  Events(Events&&) noexcept = default;
  Events& operator=(Events&&) noexcept = default;

  std::size_t size() const noexcept { return len_; }
  bool empty() const noexcept { return len_ == 0; }
  std::size_t capacity() const noexcept { return cap_; }
  /// The i-th event of the last poll; i < size().
  const Event& get(std::size_t i) const noexcept { return buf_[i]; }
  const Event& operator[](std::size_t i) const noexcept { return buf_[i]; }
  const_iterator begin() const noexcept { return buf_.get(); }
  const_iterator end() const noexcept { return buf_.get() + len_; }
  void clear() noexcept { len_ = 0; }

 private:
  friend struct sys::EventsAccess;
  explicit Events(std::size_t capacity) : buf_(new Event[capacity]), cap_(capacity) {}

  std::unique_ptr<Event[]> buf_;
  std::size_t len_ = 0;
  std::size_t cap_ = 0;
};

}  // namespace tokio::mio
