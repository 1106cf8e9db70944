// Tests of the thread pool's per-worker run queue (lib/tokio/threadpool/local_queue.hpp):
// FIFO order, overflow of the older half, steal-half, room limits, index wrap-around,
// and a multi-thread stress in which every item must be taken exactly once.
#include <tokio/threadpool/local_queue.hpp>

#include <atomic>
#include <cstddef>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace {

using tokio::threadpool::detail::LocalQueue;

template <std::uint32_t Capacity>
using IntQueue = LocalQueue<int, Capacity>;

// Items are the elements of a vector; an item's value is its index.
std::vector<int> make_items(std::size_t n) {
  std::vector<int> items(n);
  for (std::size_t i = 0; i < n; ++i)
    items[i] = static_cast<int>(i);
  return items;
}

// An overflow callback that must not be called.
struct NoOverflow {
  void operator()(int**, std::size_t) const { ADD_FAILURE() << "unexpected overflow"; }
};

// Pops everything, returning the values in order.
template <class Queue>
std::vector<int> drain(Queue& queue) {
  std::vector<int> out;
  while (int* item = queue.pop())
    out.push_back(*item);
  return out;
}

TEST(LocalQueue, StartsEmpty) {
  IntQueue<8> queue;
  EXPECT_TRUE(queue.is_empty());
  EXPECT_EQ(queue.len(), 0u);
  EXPECT_EQ(queue.pop(), nullptr);
  EXPECT_EQ(IntQueue<8>::capacity(), 8u);
  EXPECT_EQ((LocalQueue<int>::capacity()), 256u);
}

TEST(LocalQueue, PushPopIsFifo) {
  auto items = make_items(5);
  IntQueue<8> queue;
  for (int& item : items)
    queue.push_back_or_overflow(&item, NoOverflow{});
  EXPECT_EQ(queue.len(), 5u);
  EXPECT_FALSE(queue.is_empty());
  EXPECT_EQ(drain(queue), (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_TRUE(queue.is_empty());
}

TEST(LocalQueue, LenFollowsPushesAndPops) {
  auto items = make_items(3);
  IntQueue<4> queue;
  queue.push_back_or_overflow(&items[0], NoOverflow{});
  queue.push_back_or_overflow(&items[1], NoOverflow{});
  EXPECT_EQ(queue.len(), 2u);
  EXPECT_EQ(*queue.pop(), 0);
  EXPECT_EQ(queue.len(), 1u);
  queue.push_back_or_overflow(&items[2], NoOverflow{});
  EXPECT_EQ(queue.len(), 2u);
  EXPECT_EQ(drain(queue), (std::vector<int>{1, 2}));
  EXPECT_EQ(queue.len(), 0u);
}

TEST(LocalQueue, FullQueueOverflowsOlderHalfPlusItemInOrder) {
  auto items = make_items(9);
  IntQueue<8> queue;
  for (int i = 0; i < 8; ++i)
    queue.push_back_or_overflow(&items[i], NoOverflow{});
  EXPECT_EQ(queue.len(), 8u);

  int calls = 0;
  std::vector<int> overflowed;
  queue.push_back_or_overflow(&items[8], [&](int** batch, std::size_t n) {
    ++calls;
    for (std::size_t i = 0; i < n; ++i)
      overflowed.push_back(*batch[i]);
  });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(overflowed, (std::vector<int>{0, 1, 2, 3, 8}));
  EXPECT_EQ(queue.len(), 4u);
  EXPECT_EQ(drain(queue), (std::vector<int>{4, 5, 6, 7}));
}

TEST(LocalQueue, OverflowThenPushesReuseTheFreedSlots) {
  auto items = make_items(13);
  IntQueue<8> queue;
  std::vector<int> overflowed;
  auto overflow = [&](int** batch, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
      overflowed.push_back(*batch[i]);
  };
  for (int& item : items)
    queue.push_back_or_overflow(&item, overflow);
  // 0..7 fill it; 8 overflows 0..3 + 8; 9..12 fill the four freed slots.
  EXPECT_EQ(overflowed, (std::vector<int>{0, 1, 2, 3, 8}));
  EXPECT_EQ(drain(queue), (std::vector<int>{4, 5, 6, 7, 9, 10, 11, 12}));
}

TEST(LocalQueue, StealIntoTakesHalfRoundedUpAndReturnsOne) {
  auto items = make_items(5);
  IntQueue<8> victim;
  IntQueue<8> thief;
  for (int& item : items)
    victim.push_back_or_overflow(&item, NoOverflow{});

  int* got = victim.steal_into(thief);
  ASSERT_NE(got, nullptr);
  // 3 of 5 taken from the front: 0 and 1 land in the thief's queue, 2 is returned.
  EXPECT_EQ(*got, 2);
  EXPECT_EQ(victim.len(), 2u);
  EXPECT_EQ(thief.len(), 2u);
  EXPECT_EQ(drain(thief), (std::vector<int>{0, 1}));
  EXPECT_EQ(drain(victim), (std::vector<int>{3, 4}));
}

TEST(LocalQueue, StealOfOneItemLeavesDestinationEmpty) {
  auto items = make_items(1);
  IntQueue<8> victim;
  IntQueue<8> thief;
  victim.push_back_or_overflow(&items[0], NoOverflow{});
  int* got = victim.steal_into(thief);
  ASSERT_NE(got, nullptr);
  EXPECT_EQ(*got, 0);
  EXPECT_TRUE(victim.is_empty());
  EXPECT_TRUE(thief.is_empty());
}

TEST(LocalQueue, StealFromEmptyReturnsNull) {
  IntQueue<8> victim;
  IntQueue<8> thief;
  EXPECT_EQ(victim.steal_into(thief), nullptr);
  EXPECT_TRUE(thief.is_empty());
}

TEST(LocalQueue, StealIsLimitedByDestinationRoom) {
  auto items = make_items(15);
  IntQueue<8> victim;
  IntQueue<8> thief;
  for (int i = 0; i < 8; ++i)
    victim.push_back_or_overflow(&items[i], NoOverflow{});
  for (int i = 8; i < 15; ++i)
    thief.push_back_or_overflow(&items[i], NoOverflow{});

  // Room for one in the thief's queue: two taken (one stored, one returned), not four.
  int* got = victim.steal_into(thief);
  ASSERT_NE(got, nullptr);
  EXPECT_EQ(*got, 1);
  EXPECT_EQ(victim.len(), 6u);
  EXPECT_EQ(drain(thief), (std::vector<int>{8, 9, 10, 11, 12, 13, 14, 0}));

  // A full destination still gets the one returned item.
  for (int i = 8; i < 15; ++i)
    thief.push_back_or_overflow(&items[i], NoOverflow{});
  thief.push_back_or_overflow(&items[0], NoOverflow{});
  got = victim.steal_into(thief);
  ASSERT_NE(got, nullptr);
  EXPECT_EQ(*got, 2);
  EXPECT_EQ(thief.len(), 8u);
  EXPECT_EQ(drain(victim), (std::vector<int>{3, 4, 5, 6, 7}));
}

TEST(LocalQueue, FifoAcrossVictimAndThiefAfterSteals) {
  auto items = make_items(8);
  IntQueue<16> victim;
  IntQueue<16> thief;
  for (int& item : items)
    victim.push_back_or_overflow(&item, NoOverflow{});
  std::vector<int> order;
  order.push_back(*victim.steal_into(thief));  // takes 0..3: 0,1,2 to thief, 3 returned
  EXPECT_EQ(order.back(), 3);
  for (int v : drain(thief))
    order.push_back(v);
  EXPECT_EQ(order, (std::vector<int>{3, 0, 1, 2}));
  EXPECT_EQ(drain(victim), (std::vector<int>{4, 5, 6, 7}));
}

// Many cycles move the free-running positions round the buffer many times; a mix of
// pushes, pops, steals and overflows must keep every item and the order.
TEST(LocalQueue, IndicesWrapAroundOverManyCycles) {
  constexpr int kCycles = 100'000;
  auto items = make_items(9);
  IntQueue<4> a;
  IntQueue<4> b;
  std::vector<int> overflowed;
  auto overflow = [&](int** batch, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
      overflowed.push_back(*batch[i]);
  };
  for (int cycle = 0; cycle < kCycles; ++cycle) {
    for (int i = 0; i < 4; ++i)
      a.push_back_or_overflow(&items[i], overflow);
    ASSERT_EQ(*a.pop(), 0);
    // Steals 1 and 2 of 1, 2, 3: 1 into b, 2 returned.
    int* stolen = a.steal_into(b);
    ASSERT_NE(stolen, nullptr);
    ASSERT_EQ(*stolen, 2);
    ASSERT_EQ(*b.pop(), 1);
    ASSERT_EQ(*a.pop(), 3);
    ASSERT_TRUE(a.is_empty() && b.is_empty());
    // Overflow: 4 pushes fill it, the fifth sends 4, 5 and itself (8) away.
    for (int i = 4; i < 9; ++i)
      a.push_back_or_overflow(&items[i], overflow);
    ASSERT_EQ(overflowed, (std::vector<int>{4, 5, 8}));
    overflowed.clear();
    ASSERT_EQ(*a.pop(), 6);
    ASSERT_EQ(*a.pop(), 7);
    ASSERT_EQ(a.pop(), nullptr);
  }
}

// One owner pushes (overflowing into a mutex-protected vector) and pops while thieves
// steal into their own queues and drain them. Every item must be taken exactly once.
void stress(int thieves) {
  constexpr std::size_t kItems = 1'000'000;
  using Queue = LocalQueue<int, 256>;
  auto items = make_items(kItems);
  std::vector<std::atomic<int>> taken(kItems);
  auto take = [&](int* item) {
    taken[static_cast<std::size_t>(*item)].fetch_add(1, std::memory_order_relaxed);
  };

  Queue owner_queue;
  std::vector<Queue> thief_queues(static_cast<std::size_t>(thieves));
  std::mutex injector_mu;
  std::vector<int*> injector;
  std::atomic<bool> done{false};

  std::vector<std::thread> threads;
  for (int t = 0; t < thieves; ++t) {
    threads.emplace_back([&, t] {
      Queue& own = thief_queues[static_cast<std::size_t>(t)];
      for (;;) {
        // Read before stealing: once set, the owner's queue is empty for good.
        const bool finished = done.load(std::memory_order_acquire);
        int* item = owner_queue.steal_into(own);
        if (item == nullptr) {
          if (finished) return;
          std::this_thread::yield();
          continue;
        }
        take(item);
        while (int* next = own.pop())
          take(next);
      }
    });
  }

  auto overflow = [&](int** batch, std::size_t n) {
    const std::lock_guard<std::mutex> lock(injector_mu);
    injector.insert(injector.end(), batch, batch + n);
  };
  for (std::size_t i = 0; i < kItems; ++i) {
    owner_queue.push_back_or_overflow(&items[i], overflow);
    // Pop one item in three pushes: the queue fills up, overflows, and is stolen from.
    if (i % 3 == 0) {
      if (int* item = owner_queue.pop()) take(item);
    }
  }
  while (int* item = owner_queue.pop())
    take(item);
  done.store(true, std::memory_order_release);
  for (std::thread& thread : threads)
    thread.join();

  for (int* item : injector)
    take(item);
  std::size_t wrong = 0;
  for (std::size_t i = 0; i < kItems; ++i) {
    if (taken[i].load(std::memory_order_relaxed) != 1) ++wrong;
  }
  EXPECT_EQ(wrong, 0u) << "items not taken exactly once";
  EXPECT_GT(injector.size(), 0u) << "the stress should overflow";
}

TEST(LocalQueueStress, OwnerAndOneThief) {
  stress(1);
}
TEST(LocalQueueStress, OwnerAndThreeThieves) {
  stress(3);
}

}  // namespace
