// Registration / SetReadiness / Waker over the Poll's readiness queue.
#include "tokio/mio/poll_inner.hpp"
#include "tokio/mio/readiness_queue.hpp"

#include <tokio/mio/registration.hpp>
#include <tokio/mio/waker.hpp>

namespace tokio::mio {

namespace detail {

std::error_code enqueue_locked(const std::shared_ptr<ReadinessNode>& node) {
  ReadinessQueue* q = node->queue.get();
  if (q == nullptr || node->queued_in == q) return {};
  if ((Ready::from_usize(node->readiness.load(std::memory_order_relaxed)) & node->interest).is_empty()) return {};
  std::lock_guard lock(q->mu);
  if (q->selector == nullptr) return {};  // the Poll is gone
  q->items.push_back(node);
  node->queued_in = q;
  q->has_items.store(true, std::memory_order_release);  // pairs with the acquire in Poll::poll
  if (q->wake_pending) return {};
  q->wake_pending = true;
  return q->selector->wake();  // under mu: the selector cannot be destroyed meanwhile
}

}  // namespace detail

std::tuple<Registration, SetReadiness> Registration::new2() {
  auto node = std::make_shared<detail::ReadinessNode>();
  return {Registration(node), SetReadiness(node)};
}

Registration& Registration::operator=(Registration&& other) noexcept {
  if (this != &other) {
    Registration dropped(std::move(*this));
    node_ = std::move(other.node_);
  }
  return *this;
}

Registration::~Registration() {
  if (!node_) return;
  std::lock_guard lock(node_->mu);
  node_->queue.reset();
  node_->queued_in = nullptr;
}

io::Result<futures::Unit> Registration::register_(const Registry& registry, Token token, Ready interest,
                                                  PollOpt opts) const {
  std::lock_guard lock(node_->mu);
  if (node_->queue) return futures::Err(io::Error(io::ErrorKind::AlreadyExists, "registration already registered"));
  node_->queue = registry.inner_->queue;
  node_->queued_in = nullptr;
  node_->token = token;
  node_->interest = interest;
  node_->opts = opts;
  return detail::to_result(detail::enqueue_locked(node_));
}

io::Result<futures::Unit> Registration::reregister(const Registry& registry, Token token, Ready interest,
                                                   PollOpt opts) const {
  std::lock_guard lock(node_->mu);
  if (node_->queue != registry.inner_->queue) {
    return futures::Err(io::Error(io::ErrorKind::NotFound, "registration not registered with this poll"));
  }
  node_->token = token;
  node_->interest = interest;
  node_->opts = opts;
  return detail::to_result(detail::enqueue_locked(node_));
}

io::Result<futures::Unit> Registration::deregister(const Registry& registry) const {
  std::lock_guard lock(node_->mu);
  if (node_->queue != registry.inner_->queue) {
    return futures::Err(io::Error(io::ErrorKind::NotFound, "registration not registered with this poll"));
  }
  node_->queue.reset();
  node_->queued_in = nullptr;
  return futures::Ok();
}

Ready SetReadiness::readiness() const noexcept {
  return Ready::from_usize(node_->readiness.load(std::memory_order_acquire));
}

io::Result<futures::Unit> SetReadiness::set_readiness(Ready ready) const {
  node_->readiness.store(static_cast<std::uint8_t>(ready.as_usize()), std::memory_order_release);
  std::lock_guard lock(node_->mu);
  return detail::to_result(detail::enqueue_locked(node_));
}

io::Result<Waker> Waker::create(const Registry& registry, Token token) {
  const std::shared_ptr<detail::WakerSlot>& shared = registry.inner_->waker;
  detail::WakerSlot& slot = *shared;
  std::lock_guard lock(slot.mu);
  if (slot.live) return futures::Err(io::Error(io::ErrorKind::AlreadyExists, "a Poll has one Waker at a time"));
  slot.live = true;
  slot.token.store(token.value, std::memory_order_relaxed);
  slot.pending.store(false, std::memory_order_relaxed);
  return futures::Ok(Waker(shared));
}

Waker::~Waker() {
  if (!slot_) return;  // moved from
  std::lock_guard lock(slot_->mu);
  slot_->live = false;  // a later Waker::create on the same Poll may take the slot
}

io::Result<futures::Unit> Waker::wake() const {
  // Only the wake that sets the flag wakes the selector: the Poll reports the flag after
  // its next select, so later wakes merge into that report.
  if (slot_->pending.exchange(true, std::memory_order_acq_rel)) return futures::Ok();
  std::lock_guard lock(slot_->mu);
  if (slot_->selector == nullptr) return futures::Ok();  // the Poll is gone
  return detail::to_result(slot_->selector->wake());
}

}  // namespace tokio::mio
