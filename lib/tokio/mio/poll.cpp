// Poll and Registry: backend choice, fd registration, and the poll loop that merges
// backend events with user-space readiness.
#include "tokio/mio/poll_inner.hpp"
#include "tokio/mio/selector_epoll.hpp"
#include "tokio/mio/selector_poll.hpp"

#include <tokio/mio/poll.hpp>

#include <climits>
#include <cstdlib>
#include <string_view>

#ifndef TOKIO_MIO_DEFAULT_BACKEND
#define TOKIO_MIO_DEFAULT_BACKEND "epoll"
#endif

namespace tokio::mio {

namespace sys {
int timeout_ms(std::optional<std::chrono::nanoseconds> timeout) noexcept {
  if (!timeout) return -1;
  if (timeout->count() <= 0) return 0;
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(*timeout).count();
  return ms > INT_MAX ? INT_MAX : static_cast<int>(ms);
}
}  // namespace sys

namespace detail {

PollInner::PollInner(std::unique_ptr<sys::Selector> s)
    : selector(std::move(s)),
      queue(std::make_shared<ReadinessQueue>()),
      registry(this, selector->emulates_edge()),
      waker(std::make_shared<WakerSlot>()) {
  queue->selector = selector.get();
  waker->selector = selector.get();
}

PollInner::~PollInner() {
  // A Waker may outlive the Poll: a late wake() finds no selector.
  {
    std::lock_guard lock(waker->mu);
    waker->selector = nullptr;
  }
  // Nodes may outlive the Poll: detach them so a late set_readiness is a no-op.
  std::vector<std::shared_ptr<ReadinessNode>> dropped;
  std::lock_guard lock(queue->mu);
  queue->selector = nullptr;
  dropped.swap(queue->items);
}

}  // namespace detail

namespace {

// Moves queued user-space readiness into `events`; what does not fit stays queued.
void drain_readiness(detail::PollInner& inner, Events& events) {
  detail::ReadinessQueue& q = *inner.queue;
  auto& batch = inner.scratch;
  {
    std::lock_guard lock(q.mu);
    batch.swap(q.items);
    q.has_items.store(false, std::memory_order_relaxed);
    q.wake_pending = false;
  }
  std::size_t i = 0;
  for (; i < batch.size() && sys::EventsAccess::room(events) > 0; ++i) {
    detail::ReadinessNode& node = *batch[i];
    std::lock_guard node_lock(node.mu);
    if (node.queued_in != &q) continue;  // deregistered or moved since it was queued
    node.queued_in = nullptr;
    if (node.queue.get() != &q) continue;
    const Ready ready = Ready::from_usize(node.readiness.load(std::memory_order_acquire)) & node.interest;
    if (ready.is_empty()) continue;
    sys::EventsAccess::push(events, Event(ready, node.token));
    if (node.opts.is_oneshot()) {
      node.interest = Ready::empty();
    } else if (node.opts.is_level()) {  // still set: report again next poll
      node.queued_in = &q;
      std::lock_guard lock(q.mu);
      q.items.push_back(batch[i]);
      q.has_items.store(true, std::memory_order_release);
    }
  }
  if (i < batch.size()) {  // out of room: keep the rest for the next poll
    std::lock_guard lock(q.mu);
    q.items.insert(q.items.end(), batch.begin() + static_cast<std::ptrdiff_t>(i), batch.end());
    q.has_items.store(true, std::memory_order_release);
  }
  batch.clear();
}

}  // namespace

io::Result<Poll> Poll::create() {
  const char* env = std::getenv("TOKIO_IO_BACKEND");
  return create(env != nullptr && *env != '\0' ? std::string_view(env) : std::string_view(TOKIO_MIO_DEFAULT_BACKEND));
}

io::Result<Poll> Poll::create(std::string_view backend) {
  std::error_code ec;
  std::unique_ptr<sys::Selector> selector;
  if (backend == "epoll") {
    selector = sys::open_epoll_selector(ec);
  } else if (backend == "poll") {
    selector = sys::open_poll_selector(ec);
  } else {
    return futures::Err(io::Error(io::ErrorKind::InvalidInput, "unknown I/O backend: " + std::string(backend)));
  }
  if (!selector) return futures::Err(io::Error(ec));
  return futures::Ok(Poll(std::make_unique<detail::PollInner>(std::move(selector))));
}

Poll::Poll(std::unique_ptr<detail::PollInner> inner) noexcept : inner_(std::move(inner)) {}
Poll::Poll(Poll&&) noexcept = default;
Poll& Poll::operator=(Poll&&) noexcept = default;
Poll::~Poll() = default;

const Registry& Poll::registry() const noexcept { return inner_->registry; }

io::Result<std::size_t> Poll::poll(Events& events, std::optional<std::chrono::nanoseconds> timeout) {
  sys::EventsAccess::clear(events);
  detail::PollInner& inner = *inner_;
  // Queued user-space readiness or a pending wake means there is something to report:
  // do not block.
  detail::WakerSlot& waker = *inner.waker;
  const bool queued = inner.queue->has_items.load(std::memory_order_acquire) ||
                      waker.pending.load(std::memory_order_relaxed);
  if (const std::error_code ec = inner.selector->select(events, queued ? std::chrono::nanoseconds(0) : timeout)) {
    return futures::Err(io::Error(ec));
  }
  // Acquire pairs with wake()'s exchange: what the waker wrote before waking is visible.
  if (sys::EventsAccess::room(events) > 0 && waker.pending.load(std::memory_order_relaxed) &&
      waker.pending.exchange(false, std::memory_order_acq_rel)) {
    sys::EventsAccess::push(events, Event(Ready::readable(), Token{waker.token.load(std::memory_order_relaxed)}));
  }
  // Pairs with the release store in enqueue_locked: the node is in items.
  if (inner.queue->has_items.load(std::memory_order_acquire) && sys::EventsAccess::room(events) > 0) {
    drain_readiness(inner, events);
  }
  return futures::Ok(events.size());
}

io::Result<futures::Unit> Registry::register_fd(int fd, Token token, Ready interest, PollOpt opts) const {
  return detail::to_result(inner_->selector->add(fd, token, interest, opts));
}
io::Result<futures::Unit> Registry::reregister_fd(int fd, Token token, Ready interest, PollOpt opts) const {
  return detail::to_result(inner_->selector->modify(fd, token, interest, opts));
}
io::Result<futures::Unit> Registry::deregister_fd(int fd) const { return detail::to_result(inner_->selector->remove(fd)); }
void Registry::rearm_slow(Token token, Ready bits) const noexcept { inner_->selector->rearm(token, bits); }
const char* Registry::backend_name() const noexcept { return inner_->selector->name(); }

}  // namespace tokio::mio
