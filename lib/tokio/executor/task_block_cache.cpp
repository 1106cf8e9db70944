// The per-thread cache of task-node blocks (declared in tokio/executor/task.hpp).
//
// A spawn allocates one block and the task's end frees it, usually on the same worker
// (the LIFO slot runs a spawned task where it was spawned). glibc's malloc + free costs
// about 150 instructions of the 440 a current_thread spawn takes; a free list per size
// class, per thread, costs a few. Blocks are sized by class (32-byte steps up to 512
// bytes) so any task of the class can reuse any block of it. A block freed on another
// thread joins that thread's cache: memory moves between workers, bounded by the cap.
//
// Bounds: each class keeps at most kCachedBytesPerClass bytes; the rest goes back to
// operator delete at once. A thread's cache is returned to the heap when the thread
// exits; a block freed later on that thread (another thread_local's destructor
// dropping a task) bypasses the cache.
//
// Under AddressSanitizer the cache is off: a recycled block would hide a use after free.
#include <tokio/executor/task.hpp>

#include <cstddef>
#include <cstdint>
#include <new>

#if defined(__SANITIZE_ADDRESS__)
#define TOKIO_TASK_BLOCK_CACHE 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TOKIO_TASK_BLOCK_CACHE 0
#endif
#endif
#ifndef TOKIO_TASK_BLOCK_CACHE
#define TOKIO_TASK_BLOCK_CACHE 1
#endif

namespace tokio::executor::detail {
namespace {

constexpr std::size_t kGranule = 32;
constexpr std::size_t kClasses = 16;  // blocks of 32, 64, ..., 512 bytes
constexpr std::size_t kCachedBytesPerClass = 16 * 1024;

struct FreeBlock {
  FreeBlock* next;
};

struct ClassList {
  FreeBlock* head = nullptr;
  std::uint32_t count = 0;
};

struct BlockCache {
  ClassList lists[kClasses];

  void trim() noexcept {
    for (std::size_t cls = 0; cls < kClasses; ++cls) {
      ClassList& list = lists[cls];
      while (FreeBlock* block = list.head) {
        list.head = block->next;
        ::operator delete(block, (cls + 1) * kGranule);
      }
      list.count = 0;
    }
  }
  ~BlockCache();
};

// Trivially destructible, so it stays readable while other thread_locals are destroyed.
thread_local bool t_cache_gone = false;
thread_local BlockCache t_cache;

BlockCache::~BlockCache() {
  trim();
  t_cache_gone = true;
}

constexpr std::size_t class_of(std::size_t size) noexcept { return (size - 1) / kGranule; }

}  // namespace

void* allocate_task_block(std::size_t size) {
  const std::size_t cls = class_of(size);
  if (cls >= kClasses) return ::operator new(size);
  if (TOKIO_TASK_BLOCK_CACHE && !t_cache_gone) {
    ClassList& list = t_cache.lists[cls];
    if (FreeBlock* block = list.head) {
      list.head = block->next;
      --list.count;
      return block;
    }
  }
  return ::operator new((cls + 1) * kGranule);
}

void free_task_block(void* block, std::size_t size) noexcept {
  const std::size_t cls = class_of(size);
  if (cls >= kClasses) {
    ::operator delete(block, size);
    return;
  }
  const std::size_t block_size = (cls + 1) * kGranule;
  if (TOKIO_TASK_BLOCK_CACHE && !t_cache_gone) {
    ClassList& list = t_cache.lists[cls];
    if (list.count < kCachedBytesPerClass / block_size) {
      auto* free_block = ::new (block) FreeBlock{list.head};
      list.head = free_block;
      ++list.count;
      return;
    }
  }
  ::operator delete(block, block_size);
}

void trim_task_block_cache() noexcept {
  if (!t_cache_gone) t_cache.trim();
}

}  // namespace tokio::executor::detail
