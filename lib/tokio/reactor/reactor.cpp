// Reactor, Handle, the thread's default reactor and slab entry allocation
// (include/tokio/reactor/{reactor,handle,registration}.hpp).
#include "inner.hpp"
#include "spread.hpp"

#include <tokio/reactor/reactor.hpp>
#include <tokio/reactor/registration.hpp>

#include <tokio/mio/event.hpp>

#include <algorithm>
#include <chrono>
#include <utility>
#include <vector>

namespace tokio::reactor {

namespace {

// Room for this many events per turn: a busy server's turn then costs one epoll_wait.
constexpr std::size_t kEventsCapacity = 1024;

// The thread's default reactor (lazy = none set).
thread_local Handle t_default;

// The reactor this thread is dispatching events of, if any. An unpark of it from here
// (a task notified by the dispatch, whose executor parks on this very reactor) needs no
// wake: the turn returns right after the dispatch. Saves a syscall per event on
// current_thread and on a worker driving its own reactor.
thread_local const detail::Inner* t_dispatching = nullptr;

}  // namespace

namespace detail {

Handle fallback_handle();  // background.cpp

io::Error reactor_gone() { return io::Error(io::ErrorKind::Other, "reactor gone"); }
io::Error not_registered() {
  return io::Error(io::ErrorKind::Other, "must call register before poll_read_ready / poll_write_ready");
}

namespace {
// The spread of this thread (spread.hpp), and where its round robin is.
thread_local const std::vector<Handle>* t_spread = nullptr;
thread_local std::size_t t_spread_next = 0;
}  // namespace

void set_registration_spread(const std::vector<Handle>* reactors) noexcept {
  t_spread = reactors != nullptr && !reactors->empty() ? reactors : nullptr;
  t_spread_next = 0;
}

io::Result<Slot> allocate(const Handle& handle) {
  const Handle* target = &handle;
  if (handle.is_default() && t_spread != nullptr) {
    target = &(*t_spread)[t_spread_next];
    t_spread_next = (t_spread_next + 1) % t_spread->size();
  }
  std::shared_ptr<Inner> inner = target->resolve_();
  if (!inner) return futures::Err(reactor_gone());
  auto slot = inner->slab.allocate();
  if (!slot) return futures::Err(reactor_gone());
  auto [index, io] = *slot;
  const mio::Token token{make_token(index, io->generation())};
  return futures::Ok(Slot{std::move(inner), io, token});
}

const mio::Registry& registry(const Inner& inner) noexcept { return inner.poll.registry(); }

void release(Slot& slot) noexcept {
  ScheduledIo& io = *slot.io;
  const std::size_t next_generation = (token_generation(slot.token.value) + 1) & kGenerationMask;
  // Release: a reactor thread whose compare-exchange reads this sees a new generation
  // and drops the stale event; the next owner (through the slab mutex) starts clean.
  io.readiness.store(next_generation << kGenerationShift, std::memory_order_release);
  // Drop the task handles the entry holds (a late dispatch of the old life finds no
  // armed waiter and wakes nobody).
  io.reader.clear();
  io.writer.clear();
  Inner& inner = *slot.inner;
  if (inner.slab.free(token_index(slot.token.value)) && inner.wake_when_idle.load(std::memory_order_acquire))
    inner.wakeup();
  slot.io = nullptr;
}

void defer_read(const Slot& slot, std::chrono::nanoseconds delay) {
  Inner& inner = *slot.inner;
  const auto deadline = std::chrono::steady_clock::now() + delay;
  bool earliest = false;
  {
    std::lock_guard lock(inner.deferred_mu);
    for (const Inner::Deferred& d : inner.deferred)
      if (d.token == slot.token.value) return;  // one pending wakeup is enough
    inner.deferred.push_back(Inner::Deferred{deadline, slot.token.value});
    std::push_heap(inner.deferred.begin(), inner.deferred.end());
    earliest = inner.deferred.front().token == slot.token.value;
    inner.has_deferred.store(true, std::memory_order_release);
  }
  // A turn already waiting computed its timeout without this deadline: make it look
  // again. (A later deadline is covered by the timeout of the earlier one.)
  if (earliest) inner.wakeup();
}

}  // namespace detail

namespace {

// How long the next turn may wait at most, given the earliest deferred deadline.
std::optional<std::chrono::nanoseconds> cap_by_deferred(
    detail::Inner& inner, std::optional<std::chrono::nanoseconds> max_wait) {
  // Acquire: pairs with defer_read's release; a deadline pushed after this load comes
  // with a wakeup, so the wait below returns for it.
  if (!inner.has_deferred.load(std::memory_order_acquire)) return max_wait;
  std::chrono::steady_clock::time_point first;
  {
    std::lock_guard lock(inner.deferred_mu);
    if (inner.deferred.empty()) return max_wait;
    first = inner.deferred.front().deadline;
  }
  const auto until = std::max(std::chrono::nanoseconds(0),
                              std::chrono::duration_cast<std::chrono::nanoseconds>(
                                  first - std::chrono::steady_clock::now()));
  if (!max_wait || *max_wait > until) return until;
  return max_wait;
}

// Publishes readable for every deferred entry whose deadline passed and notifies its
// reader (generation-checked: a source closed meanwhile is skipped). Returns how many
// were due.
std::size_t fire_deferred(detail::Inner& inner, std::size_t read_bits, std::size_t write_bits) {
  if (!inner.has_deferred.load(std::memory_order_acquire)) return 0;
  std::vector<std::size_t> due;
  {
    std::lock_guard lock(inner.deferred_mu);
    const auto now = std::chrono::steady_clock::now();
    while (!inner.deferred.empty() && inner.deferred.front().deadline <= now) {
      due.push_back(inner.deferred.front().token);
      std::pop_heap(inner.deferred.begin(), inner.deferred.end());
      inner.deferred.pop_back();
    }
    inner.has_deferred.store(!inner.deferred.empty(), std::memory_order_release);
  }
  const std::size_t readable = mio::Ready::readable().as_usize();
  for (const std::size_t token : due) {
    detail::ScheduledIo* io = inner.slab.get(detail::token_index(token));
    if (io == nullptr) continue;
    detail::dispatch(*io, detail::token_generation(token), readable, read_bits, write_bits);
  }
  return due.size();
}

}  // namespace

// ----- Handle -----

Handle Handle::current() {
  if (!t_default.lazy_) return t_default;
  return detail::fallback_handle();
}

std::shared_ptr<detail::Inner> Handle::resolve_() const {
  if (lazy_) return current().inner_.lock();
  return inner_.lock();
}

void Handle::unpark() const {
  if (!lazy_ && id_ == t_dispatching) return;
  if (auto inner = resolve_()) {
    if (inner.get() != t_dispatching) inner->wakeup();
  }
}

DefaultGuard set_default(const Handle& handle) {
  Handle previous = std::exchange(t_default, handle);
  return DefaultGuard(std::move(previous));
}

DefaultGuard::~DefaultGuard() {
  if (armed_) t_default = std::move(previous_);
}

// ----- Reactor -----

io::Result<Reactor> Reactor::create() {
  auto poll = mio::Poll::create();
  if (poll.is_err()) return futures::Err(std::move(poll).unwrap_err());
  mio::Poll p = std::move(poll).unwrap();
  auto waker = mio::Waker::create(p.registry(), mio::Token{detail::kWakerToken});
  if (waker.is_err()) return futures::Err(std::move(waker).unwrap_err());
  auto inner = std::make_shared<detail::Inner>(std::move(p), std::move(waker).unwrap());
  return futures::Ok(Reactor(std::move(inner), mio::Events::with_capacity(kEventsCapacity)));
}

Reactor::Reactor(std::shared_ptr<detail::Inner> inner, mio::Events events) noexcept
    : inner_(std::move(inner)), events_(std::move(events)) {}

Reactor::~Reactor() {
  if (!inner_) return;  // moved from
  // Wake every source still registered; its next poll reports "reactor gone".
  inner_->slab.close([](detail::ScheduledIo& io) {
    io.readiness.fetch_or(detail::kShutdownBit, std::memory_order_acq_rel);
    io.reader.notify();
    io.writer.notify();
  });
}

Handle Reactor::handle() const { return Handle(std::weak_ptr<detail::Inner>(inner_), inner_.get()); }

bool Reactor::is_idle() const { return inner_->slab.live() == 0; }

io::Result<futures::Unit> Reactor::turn(std::optional<std::chrono::nanoseconds> max_wait) {
  auto polled = inner_->poll.poll(events_, cap_by_deferred(*inner_, max_wait));
  const std::size_t read_bits = detail::read_bits();
  const std::size_t write_bits = detail::write_bits();
  if (polled.is_err()) {
    if (polled.unwrap_err_ref().kind() != io::ErrorKind::Interrupted)
      return futures::Err(std::move(polled).unwrap_err());
    events_.clear();  // interrupted (EINTR): no events, but due deferred wakeups still fire
  }
  const detail::Slab& slab = inner_->slab;
  struct Dispatching {
    explicit Dispatching(const detail::Inner* inner) noexcept : previous(std::exchange(t_dispatching, inner)) {}
    ~Dispatching() { t_dispatching = previous; }
    const detail::Inner* previous;
  } dispatching(inner_.get());
  for (const mio::Event& event : events_) {
    const std::size_t token = event.token().value;
    if (token == detail::kWakerToken) continue;  // an unpark: returning is all it asks
    detail::ScheduledIo* io = slab.get(detail::token_index(token));
    if (io == nullptr) continue;
    detail::dispatch(*io, detail::token_generation(token), event.readiness().as_usize(), read_bits, write_bits);
  }
  last_turn_events_ = events_.size() + fire_deferred(*inner_, read_bits, write_bits);
  return futures::Ok();
}

}  // namespace tokio::reactor
