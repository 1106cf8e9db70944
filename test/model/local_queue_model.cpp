// Relacy models of the thread pool's per-worker run queue
// (lib/tokio/threadpool/local_queue.hpp, compiled with -DFUTURES_RELACY) with a capacity
// of 4, so that pushes overflow and positions wrap round the buffer.
//
// Checked in every model: each pushed item is taken exactly once (popped by its owner,
// moved out by an overflow, or stolen), the slots are never written while another thread
// reads them (Relacy checks the UnsafeCell slots for data races), and an item's payload,
// written by the owner just before the push, is visible to whoever takes it (Item::value
// is a Relacy variable: reading it without a happens-before edge is a data race).
#include <tokio/threadpool/local_queue.hpp>

#include "model.hpp"

namespace {

constexpr std::uint32_t kCapacity = 4;
constexpr int kMaxItems = 8;

struct Item {
  rl::var<int> value;
  int id = 0;
};

using Queue = tokio::threadpool::detail::LocalQueue<Item, kCapacity>;

// The items of a model and how many times each was taken. The counters are relaxed
// atomics: they are only read in after(), once every thread has been joined.
struct Ledger {
  Item items[kMaxItems];
  futures::detail::Atomic<int> taken[kMaxItems];

  Ledger() {
    for (int i = 0; i < kMaxItems; ++i)
      items[i].id = i;
  }

  // The owner fills in the payload, then pushes.
  Item* make(int i) {
    items[i].value(RL_INFO) = 100 + i;
    return &items[i];
  }

  void take(Item* item) {
    RL_ASSERT(item != nullptr);
    RL_ASSERT(item->value(RL_INFO) == 100 + item->id);
    taken[item->id].fetch_add(1, std::memory_order_relaxed);
  }

  void check_each_once(int count) {
    for (int i = 0; i < count; ++i)
      RL_ASSERT(taken[i].load(std::memory_order_relaxed) == 1);
  }
};

// The owner's overflow: the "global injector" (only the owner calls it).
struct Overflow {
  Ledger* ledger;
  void operator()(Item** batch, std::size_t n) const {
    RL_ASSERT(n >= 1 && n <= kCapacity / 2 + 1);
    for (std::size_t i = 0; i < n; ++i)
      ledger->take(batch[i]);
  }
};

// A thief: steals from `victim` into its own queue, takes the returned item and drains
// what landed in its queue.
void steal_and_drain(Queue& victim, Queue& own, Ledger& ledger) {
  if (Item* item = victim.steal_into(own)) ledger.take(item);
  while (Item* item = own.pop())
    ledger.take(item);
}

// The owner pushes 6 items into a queue of 4, so the fifth push overflows (or, with the
// thief mid-copy, sends just itself to the injector), popping now and then, while one
// thief steals twice.
struct OwnerAndThief : rl::test_suite<OwnerAndThief, 2> {
  static constexpr int kItems = 6;
  Ledger ledger;
  Queue queues[2];

  void thread(unsigned index) {
    if (index == 0) {
      const Overflow overflow{&ledger};
      for (int i = 0; i < 5; ++i)
        queues[0].push_back_or_overflow(ledger.make(i), overflow);
      if (Item* item = queues[0].pop()) ledger.take(item);
      queues[0].push_back_or_overflow(ledger.make(5), overflow);
      while (Item* item = queues[0].pop())
        ledger.take(item);
    } else {
      steal_and_drain(queues[0], queues[1], ledger);
      steal_and_drain(queues[0], queues[1], ledger);
    }
  }

  void after() {
    RL_ASSERT(queues[0].is_empty() && queues[1].is_empty());
    ledger.check_each_once(kItems);
  }
};

// Owner pops while two thieves steal: at most one thief copies at a time, and the
// owner's pops race with the claims.
struct OwnerAndTwoThieves : rl::test_suite<OwnerAndTwoThieves, 3> {
  static constexpr int kItems = 4;
  Ledger ledger;
  Queue queues[3];

  void thread(unsigned index) {
    if (index == 0) {
      const Overflow overflow{&ledger};
      for (int i = 0; i < kItems; ++i)
        queues[0].push_back_or_overflow(ledger.make(i), overflow);
      if (Item* item = queues[0].pop()) ledger.take(item);
    } else {
      steal_and_drain(queues[0], queues[index], ledger);
    }
  }

  void after() {
    // What nobody took is still in the owner's queue.
    while (Item* item = queues[0].pop())
      ledger.take(item);
    ledger.check_each_once(kItems);
  }
};

// A chain: thief A steals from the owner into its queue, thief B steals from A's queue
// while A copies into it and pops from it (the room check against A's own thief).
struct ThiefOfThief : rl::test_suite<ThiefOfThief, 3> {
  static constexpr int kItems = 4;
  Ledger ledger;
  Queue queues[3];

  void thread(unsigned index) {
    if (index == 0) {
      const Overflow overflow{&ledger};
      for (int i = 0; i < kItems; ++i)
        queues[0].push_back_or_overflow(ledger.make(i), overflow);
    } else if (index == 1) {
      for (int round = 0; round < 2; ++round)
        steal_and_drain(queues[0], queues[1], ledger);
    } else {
      steal_and_drain(queues[1], queues[2], ledger);
    }
  }

  void after() {
    for (Queue& queue : queues) {
      while (Item* item = queue.pop())
        ledger.take(item);
    }
    ledger.check_each_once(kItems);
  }
};

// Broken usage: a thief steals into a queue it does not own while that queue's owner
// pushes. Both write the same slot: Relacy must report the data race.
struct BrokenForeignDestination
    : rl::test_suite<BrokenForeignDestination, 2, rl::test_result_data_race> {
  Ledger ledger;
  Queue queues[2];

  void before() {
    const Overflow overflow{&ledger};
    // Three items: the thief copies one into the destination and returns another.
    for (int i = 0; i < 3; ++i)
      queues[0].push_back_or_overflow(ledger.make(i), overflow);
  }

  void thread(unsigned index) {
    if (index == 0) {
      queues[1].push_back_or_overflow(ledger.make(3), Overflow{&ledger});
    } else {
      (void)queues[0].steal_into(queues[1]);
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  using namespace futures_model;
  return run_models(
      argc, argv,
      {
          {"OwnerAndThief", [] { return check<OwnerAndThief>(context_bound(2)); }},
          {"OwnerAndTwoThieves", [] { return check<OwnerAndTwoThieves>(context_bound(2)); }},
          {"ThiefOfThief", [] { return check<ThiefOfThief>(context_bound(2)); }},
          {"BrokenForeignDestination",
           [] { return check_catches<BrokenForeignDestination>(full_search()); }},
      });
}
