// tokio layer: the spawned-task node, the one heap block an executor allocates per
// spawned future. Tokio 0.1 allocates an `Arc<Node>` plus a `Box<dyn Future>` per
// spawn (two blocks); here the future lives inline in the node.
//
// Layout: a non-template header (`TaskNode`: vtable pointer, intrusive reference count,
// and a few words the executor that owns the node uses for its queues and state
// machine), followed by the future in the template `detail::TaskCell<F>`. Executors are
// non-template code in lib/: they only see `TaskNode*` and reach the future through the
// vtable (poll, drop the future, free the block, and two descriptive entries for
// diagnostics: the task's name and the future's type).
//
// Naming: `named("name", future)` wraps a future so that `make_task` stores the name in
// the node (next to the future, not inside it, so it stays readable until the node is
// freed). Unnamed tasks pay nothing for the feature: the name slot is an empty member.
//
// Who touches what:
//  - `refs_`: any thread (Task handles clone/drop it through Notify::clone_id/drop_id).
//  - `state_`, `next_`, `aux_`: the owning executor's atomic protocol, any thread.
//  - `prev_all_`, `next_all_`, the future, `has_future_`: the executor's polling thread
//    only (or whoever frees the node, after the last reference is dropped).
#pragma once

#include <futures/contract.hpp>
#include <futures/detail/atomic.hpp>
#include <futures/future/concept.hpp>
#include <futures/task.hpp>
#include <futures/unit.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <utility>

namespace tokio::executor {

class TaskNode;

/// The operations an executor needs on the future inside a node.
struct TaskVTable {
  /// Polls the future once (the caller has made a task current): true once it has
  /// finished (Ready or Err). Exceptions from the future's poll propagate.
  bool (*poll)(TaskNode* node);
  /// Destroys the future in place (the node stays allocated).
  void (*drop_future)(TaskNode* node) noexcept;
  /// Frees the node (destroying the future first if it is still there).
  void (*destroy)(TaskNode* node) noexcept;
  /// The name given with `named(...)`, empty if none. Any thread, while the node lives.
  std::string_view (*name)(const TaskNode* node) noexcept;
  /// The type of the spawned future (mangled; lib/ demangles it when printing).
  const std::type_info* future_type;
};

/// The type-erased header of a spawned task. See the file comment for the ownership
/// rules; executors manage nodes through `RawTask` and the members below.
class TaskNode {
 public:
  TaskNode(const TaskNode&) = delete;
  TaskNode& operator=(const TaskNode&) = delete;

  /// Takes one more reference (Relaxed: a new reference is made from an existing one,
  /// which already keeps the node alive).
  void add_ref() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
  /// Drops one reference; the last one frees the node.
  void release_ref() noexcept {
    // AcqRel: release publishes this thread's uses of the node; the last dropper's
    // acquire sees every other thread's before it frees the block.
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) free();
  }
  /// True when the caller's reference is the node's only one: no Task handle names it,
  /// so nobody can notify it or take a reference any more. Acquire pairs with
  /// release_ref's release: the last handle's uses of the node happen before.
  bool is_unique() const noexcept { return refs_.load(std::memory_order_acquire) == 1; }
  /// Frees the node when the caller holds its only reference (release_ref without the
  /// atomic read-modify-write).
  void destroy_unique() noexcept { free(); }
  /// Frees the block now, bypassing the free hook (what a free hook calls).
  void destroy_block() noexcept { vtable_->destroy(this); }
  /// Makes the last release call `hook(node)` instead of freeing the block (the hook
  /// frees it with destroy_block). For an executor that must outlive the Task handles
  /// of a node it lets go of. Set while holding a reference; released by that
  /// reference's release_ref.
  void set_free_hook(void (*hook)(TaskNode*) noexcept) noexcept { free_hook_ = hook; }

  /// Polls the future once with (`notify`, `id`) as the current task; true once the
  /// future has finished. Polling thread only, and only while `has_future()`.
  bool poll_notify(const futures::executor::NotifyHandle& notify, std::size_t id) {
    futures::task::detail::BorrowedTask borrowed{&notify, id};
    futures::task::detail::CurrentTaskGuard guard(borrowed);
    return vtable_->poll(this);
  }

  /// Destroys the future now (a finished or cancelled task). Polling thread only.
  void drop_future() noexcept {
    if (has_future_) {
      has_future_ = false;
      vtable_->drop_future(this);
    }
  }
  bool has_future() const noexcept { return has_future_; }

  /// The name given at spawn with `named(...)`, empty if none. Immutable: any thread
  /// may read it while it holds a reference to the node (or the executor keeps it alive).
  std::string_view name() const noexcept { return vtable_ != nullptr ? vtable_->name(this) : std::string_view(); }
  /// The type of the spawned future (`typeid(F)`; `typeid(void)` for a queue stub).
  const std::type_info& future_type() const noexcept {
    return vtable_ != nullptr ? *vtable_->future_type : typeid(void);
  }

  // ----- Executor-owned words (meaning defined by the executor that owns the node) -----

  /// A state word (current_thread: 1 while the node is queued for polling).
  futures::detail::Atomic<std::uint32_t> state_{0};
  /// The intrusive link of an MPSC queue of nodes.
  futures::detail::Atomic<TaskNode*> next_{nullptr};
  /// A spare word (current_thread: the Shared an orphaned node keeps alive).
  futures::detail::Atomic<std::size_t> aux_{0};
  /// An intrusive doubly linked list, touched by the polling thread only.
  TaskNode* prev_all_ = nullptr;
  TaskNode* next_all_ = nullptr;

 protected:
  explicit TaskNode(const TaskVTable* vtable) noexcept : vtable_(vtable) {}
  ~TaskNode() = default;


  const TaskVTable* vtable_;
  futures::detail::Atomic<std::uint32_t> refs_{1};
  bool has_future_ = true;

 private:
  void free() noexcept {
    if (free_hook_ != nullptr) {
      free_hook_(this);
    } else {
      vtable_->destroy(this);
    }
  }

  void (*free_hook_)(TaskNode*) noexcept = nullptr;
};

/// A node with no future and no vtable: the stub an intrusive queue starts from.
class TaskStub final : public TaskNode {
 public:
  TaskStub() noexcept : TaskNode(nullptr) { has_future_ = false; }
};

namespace detail {
/// A block for a task node of `size` bytes, from this thread's cache of freed nodes when
/// it has one (lib/tokio/executor/task_block_cache.cpp): a spawn that follows a task's
/// end reuses its block without a trip through malloc.
void* allocate_task_block(std::size_t size);
/// Returns a block from allocate_task_block(size) to this thread's cache (or the heap).
void free_task_block(void* block, std::size_t size) noexcept;
/// Returns this thread's cached blocks to the heap.
void trim_task_block_cache() noexcept;

/// The name slot of an unnamed task: empty, so it costs nothing.
struct NoTaskName {
  std::string_view view() const noexcept { return {}; }
};
/// The name slot of a task spawned through `named(...)`.
struct TaskName {
  std::string value;
  std::string_view view() const noexcept { return value; }
};

/// The node holding a future of type F inline (and its name, when it has one).
template <class F, class Name = NoTaskName>
class TaskCell final : public TaskNode {
 public:
  /// Allocates the node (the spawn's one block) and moves the future into it.
  static TaskCell* create(F&& future, Name name = Name()) {
    void* block = allocate();
    try {
      return ::new (block) TaskCell(std::move(future), std::move(name));
    } catch (...) {
      deallocate(block);
      throw;
    }
  }

 private:
  static constexpr bool kOverAligned = alignof(F) > __STDCPP_DEFAULT_NEW_ALIGNMENT__;

  TaskCell(F&& future, Name name) : TaskNode(&kVTable), name_(std::move(name)) {
    ::new (&storage_.future) F(std::move(future));
  }
  ~TaskCell() {
    if (has_future_) storage_.future.~F();
  }

  static void* allocate() {
    if constexpr (kOverAligned) {
      return ::operator new(sizeof(TaskCell), std::align_val_t{alignof(TaskCell)});
    } else {
      return allocate_task_block(sizeof(TaskCell));
    }
  }
  static void deallocate(void* block) noexcept {
    if constexpr (kOverAligned) {
      ::operator delete(block, sizeof(TaskCell), std::align_val_t{alignof(TaskCell)});
    } else {
      free_task_block(block, sizeof(TaskCell));
    }
  }

  static bool poll(TaskNode* node) {
    auto* self = static_cast<TaskCell*>(node);
    auto polled = self->storage_.future.poll();
    return polled.is_err() || polled.unwrap_ref().is_ready();
  }
  static void drop_future(TaskNode* node) noexcept { static_cast<TaskCell*>(node)->storage_.future.~F(); }
  static void destroy(TaskNode* node) noexcept {
    auto* self = static_cast<TaskCell*>(node);
    self->~TaskCell();
    deallocate(self);
  }
  static std::string_view name(const TaskNode* node) noexcept {
    return static_cast<const TaskCell*>(node)->name_.view();
  }

  static constexpr TaskVTable kVTable{&TaskCell::poll, &TaskCell::drop_future, &TaskCell::destroy,
                                      &TaskCell::name, &typeid(F)};

  [[no_unique_address]] Name name_;
  // A union so the future can be destroyed before the node is freed.
  union Storage {
    Storage() {}
    ~Storage() {}
    F future;
  } storage_;
};
}  // namespace detail

/// An owning reference to a task node (one count of its intrusive reference count):
/// what `Executor::spawn_task` receives. Move-only; `clone()` takes another reference.
class RawTask {
 public:
  RawTask() noexcept = default;
  RawTask(RawTask&& other) noexcept : node_(std::exchange(other.node_, nullptr)) {}
  RawTask& operator=(RawTask&& other) noexcept {
    if (this != &other) {
      reset();
      node_ = std::exchange(other.node_, nullptr);
    }
    return *this;
  }
  RawTask(const RawTask&) = delete;
  RawTask& operator=(const RawTask&) = delete;
  ~RawTask() { reset(); }

  /// Adopts one reference the caller owns.
  static RawTask from_raw(TaskNode* node) noexcept { return RawTask(node); }
  /// Gives the reference up to the caller.
  TaskNode* into_raw() && noexcept { return std::exchange(node_, nullptr); }

  RawTask clone() const noexcept {
    if (node_ != nullptr) node_->add_ref();
    return RawTask(node_);
  }
  TaskNode* get() const noexcept { return node_; }
  TaskNode* operator->() const noexcept { return node_; }
  explicit operator bool() const noexcept { return node_ != nullptr; }

  void reset() noexcept {
    if (auto* node = std::exchange(node_, nullptr)) node->release_ref();
  }

 private:
  explicit RawTask(TaskNode* node) noexcept : node_(node) {}
  TaskNode* node_ = nullptr;
};

/// A future with a name for diagnostics (see `named`). Polls exactly as `F`; spawning
/// it spawns `F` itself, with the name stored in the task node.
template <futures::Future F>
class Named {
 public:
  using Item = typename F::Item;
  using Error = typename F::Error;

  Named(std::string name, F future) : name_(std::move(name)), future_(std::move(future)) {}

  futures::Poll<Item, Error> poll() { return future_.poll(); }
  const std::string& name() const noexcept { return name_; }
  /// Takes the name and the future apart (what make_task does).
  std::string take_name() && { return std::move(name_); }
  F take_future() && { return std::move(future_); }

 private:
  std::string name_;
  F future_;
};

/// Names a task for diagnostics: `tokio::spawn(tokio::executor::named("accept loop", f))`.
/// The name appears in the pending-task listing of `tokio::run` / `Runtime` under
/// `TOKIO_LOG=debug` (unnamed tasks are listed by their future's type). Not in Tokio
/// 0.1. Cost: none for unnamed tasks; a named one stores a std::string in its node
/// (no extra allocation up to 15 bytes). The name is lost if the Named future is
/// wrapped further (boxed, combined) before it is spawned.
template <futures::Future F>
Named<F> named(std::string name, F future) {
  return Named<F>(std::move(name), std::move(future));
}

/// Moves `future` into a new task node: the one allocation a spawn makes (a block from
/// this thread's cache of freed nodes when there is one).
/// `F` must be a future with Item and Error `Unit` (checked by the spawn functions).
template <futures::Future F>
RawTask make_task(F future) {
  return RawTask::from_raw(detail::TaskCell<F>::create(std::move(future)));
}
/// A named future: the node holds the inner future and the name.
template <futures::Future F>
RawTask make_task(Named<F> future) {
  std::string name = std::move(future).take_name();
  return RawTask::from_raw(
      detail::TaskCell<F, detail::TaskName>::create(std::move(future).take_future(), detail::TaskName{std::move(name)}));
}

}  // namespace tokio::executor
