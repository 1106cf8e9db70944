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
// operator delete at once. The bound is large enough that a burst of a hundred thousand
// small tasks (spawn, run, end) recycles its blocks: with 2 MiB, spawn_many_100k paid
// glibc's malloc and free for most of them (~200 instructions per spawn; pinned mt2
// 116-136 ns/op, current_thread 33; with 8 MiB 82 and 17). The cost: a thread keeps up
// to 8 MiB per class it used after such a burst (the memory the burst itself held), until
// it exits or calls trim_task_block_cache(). With 16 KiB it went to glibc, whose free
// gives the top of the heap back to the kernel (brk) once 128 KiB are free there, so the
// next burst took page faults on fresh pages again: ping_pong ran at ~230 ns/op, or ~900
// when the heap's layout let it trim. The bound is per class so that the blocks one
// workload left behind do not take the room of another's (one shared bound of 2 MiB
// filled with spawn_many's blocks sent ping_pong's to glibc again). A thread rarely uses
// more than two or three classes at a time; trim_task_block_cache() empties its cache. A thread's cache is returned to the heap when the thread
// exits; a block freed later on that thread (another thread_local's destructor
// dropping a task) bypasses the cache. The main thread's cache is returned at exit too,
// so leak checkers see nothing.
//
// Under AddressSanitizer the cache is off: a recycled block would hide a use after free.
#include <tokio/executor/task.hpp>

#include <array>
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
constexpr std::size_t kCachedBytesPerClass = 8 * 1024 * 1024;
constexpr bool kCacheEnabled = TOKIO_TASK_BLOCK_CACHE != 0;

struct FreeBlock {
  FreeBlock* next;
};

struct ClassList {
  FreeBlock* head = nullptr;
  std::uint32_t count = 0;
};

constexpr std::size_t block_size_of(std::size_t cls) noexcept { return (cls + 1) * kGranule; }
constexpr std::size_t class_of(std::size_t size) noexcept { return (size - 1) / kGranule; }

// Blocks kept per class (a table: the hot path has no division).
constexpr auto kCapacity = [] {
  std::array<std::uint32_t, kClasses> capacity{};
  for (std::size_t cls = 0; cls < kClasses; ++cls)
    capacity[cls] = static_cast<std::uint32_t>(kCachedBytesPerClass / block_size_of(cls));
  return capacity;
}();

// The cache's life on a thread: kFresh until it first keeps a block (which registers the
// thread-exit cleanup), kActive, then kGone once that cleanup has run.
enum class CacheState : std::uint8_t { kFresh, kActive, kGone };

// Trivially destructible, so reaching it costs no guard; the Reaper below frees what it
// holds when the thread exits.
struct BlockCache {
  ClassList lists[kClasses];
  CacheState state = CacheState::kFresh;

  void trim() noexcept {
    for (std::size_t cls = 0; cls < kClasses; ++cls) {
      ClassList& list = lists[cls];
      while (FreeBlock* block = list.head) {
        list.head = block->next;
        ::operator delete(block, block_size_of(cls));
      }
      list.count = 0;
    }
  }
  void push(ClassList& list, void* block) noexcept {
    list.head = ::new (block) FreeBlock{list.head};
    ++list.count;
  }
};

thread_local BlockCache t_cache;

struct Reaper {
  ~Reaper() {
    t_cache.trim();
    t_cache.state = CacheState::kGone;
  }
};

// Off the hot path: a full class, a block too large to cache, the thread's first cached
// block (registers the Reaper), or a free after the Reaper has run.
[[gnu::noinline]] void free_slow(void* block, std::size_t cls, std::size_t size) noexcept {
  if (kCacheEnabled && cls < kClasses && t_cache.state == CacheState::kFresh) {
    static thread_local Reaper reaper;
    (void)reaper;
    t_cache.state = CacheState::kActive;
    t_cache.push(t_cache.lists[cls], block);
    return;
  }
  ::operator delete(block, cls < kClasses ? block_size_of(cls) : size);
}

}  // namespace

void* allocate_task_block(std::size_t size) {
  const std::size_t cls = class_of(size);
  if (cls >= kClasses) return ::operator new(size);
  if constexpr (kCacheEnabled) {
    ClassList& list = t_cache.lists[cls];
    if (FreeBlock* block = list.head) {
      list.head = block->next;
      --list.count;
      return block;
    }
  }
  return ::operator new(block_size_of(cls));
}

void free_task_block(void* block, std::size_t size) noexcept {
  const std::size_t cls = class_of(size);
  if (kCacheEnabled && cls < kClasses) {
    BlockCache& cache = t_cache;
    ClassList& list = cache.lists[cls];
    if (list.count < kCapacity[cls] && cache.state == CacheState::kActive) {
      cache.push(list, block);
      return;
    }
  }
  free_slow(block, cls, size);
}

void trim_task_block_cache() noexcept { t_cache.trim(); }

}  // namespace tokio::executor::detail
