// Relacy models of the reactor's readiness protocol
// (include/tokio/reactor/detail/scheduled_io.hpp, compiled here with -DFUTURES_RELACY,
// with lib/futures/atomic_task.cpp): the reactor ORs an event's bits into the entry if
// its generation matches, then notifies the reader / writer IoWaiter; a consumer
// (PollEvented's cache miss, after WouldBlock) looks, registers its task, then takes the
// bits. Whatever the interleaving, the consumer either takes the readiness or is
// notified (no lost wakeup: a lost one leaves it parked, a deadlock), and an event with
// a stale generation never shows up in the slot's next life (ABA).
#include "model.hpp"

#include <tokio/reactor/detail/scheduled_io.hpp>

namespace {

namespace d = tokio::reactor::detail;
using futures_model::ModelTask;

// mio::Ready's bits (tokio/mio/ready.hpp), spelled out so the model needs no mio.
constexpr std::size_t kReadable = 1, kWritable = 2, kError = 4, kHup = 8;
constexpr std::size_t kReadBits = kReadable | kError | kHup;
constexpr std::size_t kWriteBits = kWritable | kError | kHup;
constexpr std::size_t kSticky = kHup | d::kShutdownBit;

// Polls the entry as PollEvented does until some bits of `mask` arrive.
std::size_t wait_ready(ModelTask& task, d::ScheduledIo& io, d::IoWaiter& waiter, std::size_t mask) {
  for (;;) {
    const std::size_t ready = task.poll([&] { return d::poll_ready(io, waiter, mask, kSticky); });
    if (ready != 0) return ready;
    task.park();
  }
}

// One reader, the reactor dispatching one readable event.
struct EventVsPoll : rl::test_suite<EventVsPoll, 2> {
  d::ScheduledIo io;
  ModelTask reader;
  std::size_t got = 0;

  void thread(unsigned index) {
    if (index == 0) {
      got = wait_ready(reader, io, io.reader, kReadBits);
    } else {
      d::dispatch(io, 0, kReadable, kReadBits, kWriteBits);
    }
  }
  void after() { RL_ASSERT(got == kReadable); }
};

// The same reader waits twice; the reactor sends the second event only after the first
// was taken. The second wait re-arms the task the waiter kept from the first (no new
// handle) and must still be woken, whichever side runs first.
struct SecondEventSameTask : rl::test_suite<SecondEventSameTask, 2> {
  d::ScheduledIo io;
  ModelTask reader;
  futures::detail::Atomic<int> first_taken{0};
  std::size_t first = 0;
  std::size_t second = 0;

  void thread(unsigned index) {
    if (index == 0) {
      first = wait_ready(reader, io, io.reader, kReadBits);
      first_taken.store(1, std::memory_order_release);
      second = wait_ready(reader, io, io.reader, kReadBits);
    } else {
      d::dispatch(io, 0, kReadable | kWritable, kReadBits, kWriteBits);
      while (first_taken.load(std::memory_order_acquire) == 0) rl::yield(1, RL_INFO);
      d::dispatch(io, 0, kReadable, kReadBits, kWriteBits);
    }
  }
  void after() {
    RL_ASSERT(first == kReadable);
    RL_ASSERT(second == kReadable);
  }
};

// A reader and a writer on two threads (a split socket) and the reactor delivering a
// readable event and a writable event separately.
struct SplitSides : rl::test_suite<SplitSides, 3> {
  d::ScheduledIo io;
  ModelTask reader;
  ModelTask writer;
  std::size_t read_got = 0;
  std::size_t write_got = 0;

  void thread(unsigned index) {
    if (index == 0) {
      read_got = wait_ready(reader, io, io.reader, kReadBits);
    } else if (index == 1) {
      write_got = wait_ready(writer, io, io.writer, kWriteBits);
    } else {
      d::dispatch(io, 0, kWritable, kReadBits, kWriteBits);
      d::dispatch(io, 0, kReadable, kReadBits, kWriteBits);
    }
  }
  void after() {
    RL_ASSERT(read_got == kReadable);
    RL_ASSERT(write_got == kWritable);
  }
};

// Hup is sticky and wakes both sides; a second take still sees it.
struct HupWakesBoth : rl::test_suite<HupWakesBoth, 3> {
  d::ScheduledIo io;
  ModelTask reader;
  ModelTask writer;
  std::size_t read_got = 0;
  std::size_t write_got = 0;

  void thread(unsigned index) {
    if (index == 0) {
      read_got = wait_ready(reader, io, io.reader, kReadBits);
    } else if (index == 1) {
      write_got = wait_ready(writer, io, io.writer, kWriteBits);
    } else {
      d::dispatch(io, 0, kHup, kReadBits, kWriteBits);
    }
  }
  void after() {
    RL_ASSERT(read_got == kHup);
    RL_ASSERT(write_got == kHup);
    RL_ASSERT(d::take_ready(io, kReadBits, kSticky) == kHup);
  }
};

// ABA: the reactor dispatches an event of the slot's old life (generation 0) while the
// owner frees the slot (generation 1, as release() does) and the next owner starts
// waiting. The stale bits must never reach the new life.
struct StaleEventVsRelease : rl::test_suite<StaleEventVsRelease, 2> {
  d::ScheduledIo io;
  ModelTask next_owner;
  std::size_t seen = 0;

  void thread(unsigned index) {
    if (index == 0) {
      io.readiness.store(std::size_t{1} << d::kGenerationShift, std::memory_order_release);
      io.reader.clear();
      io.writer.clear();
      // The next owner polls once (registering its task) and records what it saw.
      seen = next_owner.poll([&] { return d::poll_ready(io, io.reader, kReadBits, kSticky); });
    } else {
      d::dispatch(io, 0, kReadable, kReadBits, kWriteBits);
    }
  }
  void after() {
    RL_ASSERT(seen == 0);
    RL_ASSERT((io.readiness.load(std::memory_order_relaxed) & d::kReadyBits) == 0);
    RL_ASSERT(io.generation() == 1);
  }
};

// Broken on purpose: taking the bits BEFORE registering the task (and not looking
// again) loses the event that lands in between; Relacy must report the parked reader
// as a deadlock.
struct TakeBeforeRegister : rl::test_suite<TakeBeforeRegister, 2, rl::test_result_deadlock> {
  d::ScheduledIo io;
  ModelTask reader;

  void thread(unsigned index) {
    if (index == 0) {
      for (;;) {
        const std::size_t ready = reader.poll([&] {
          const std::size_t r = d::take_ready(io, kReadBits, kSticky);
          if (r == 0) io.reader.register_();
          return r;
        });
        if (ready != 0) return;
        reader.park();
      }
    } else {
      d::dispatch(io, 0, kReadable, kReadBits, kWriteBits);
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  using namespace futures_model;
  return run_models(argc, argv,
                    {
                        {"EventVsPoll", [] { return check<EventVsPoll>(full_search()); }},
                        {"SecondEventSameTask", [] { return check<SecondEventSameTask>(context_bound(2)); }},
                        {"SplitSides", [] { return check<SplitSides>(context_bound(2)); }},
                        {"HupWakesBoth", [] { return check<HupWakesBoth>(context_bound(2)); }},
                        {"StaleEventVsRelease", [] { return check<StaleEventVsRelease>(full_search()); }},
                        {"TakeBeforeRegister", [] { return check_catches<TakeBeforeRegister>(full_search()); }},
                    });
}
