// Waiting for a thread-pool Runtime to shut down, and the TOKIO_LOG=debug listing of the
// tasks that keep it alive (include/tokio/runtime/shutdown.hpp; docs/runtime.md).
//
// The wait polls the pool's Shutdown future with its own Notify (a mutex, a condition
// variable and a flag) and sleeps on the condition variable: without the listing it
// waits with no timeout; with it, it waits until the next report is due, so a report
// never delays the wake-up that ends the wait.
#include <tokio/executor/task.hpp>
#include <tokio/runtime/shutdown.hpp>
#include <tokio/threadpool/sender.hpp>
#include <tokio/threadpool/thread_pool.hpp>

#include <futures/task.hpp>

#include <cxxabi.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

namespace tokio::runtime::detail {
namespace {

/// The pool's live tasks (spawned, not yet finished), none once its state is gone.
std::size_t pending_tasks_of(const threadpool::Sender& pool,
                             const std::function<void(const executor::TaskNode&)>& each) {
  const threadpool::detail::Inner* inner = threadpool::detail::inner(pool);
  return inner != nullptr ? threadpool::detail::pending_tasks(*inner, each) : 0;
}

PendingTaskReport from_environment() {
  PendingTaskReport report;
  const char* level = std::getenv("TOKIO_LOG");
  report.enabled = level != nullptr && (std::strcmp(level, "debug") == 0 || std::strcmp(level, "trace") == 0);
  return report;
}

struct ReportSettings {
  std::mutex mutex;
  PendingTaskReport report = from_environment();  // getenv once, at first use
};
ReportSettings& settings() {
  static ReportSettings s;
  return s;
}

/// abi::__cxa_demangle, shortened: combinator chains make type names of many
/// kilobytes, and the head says what the task is.
std::string demangle(const std::type_info& type) {
  constexpr std::size_t kMaxLength = 200;
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> out(abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), std::free);
  std::string name = status == 0 && out ? std::string(out.get()) : std::string(type.name());
  if (name.size() > kMaxLength) name = name.substr(0, kMaxLength) + "...";
  return name;
}

/// The waiting thread's Notify: a notify sets the flag and signals.
class WaitNotify final : public futures::executor::Notify {
 public:
  void notify(std::size_t) override {
    std::lock_guard<std::mutex> lock(mutex_);
    notified_ = true;
    cv_.notify_one();
  }

  /// Waits for a notify; when `report` is enabled, calls `on_timeout(waited)` each time
  /// a report falls due meanwhile. Consumes the notify.
  template <class OnTimeout>
  void wait(const PendingTaskReport& report, std::chrono::steady_clock::time_point started,
            std::chrono::steady_clock::time_point& next_report, OnTimeout&& on_timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!notified_) {
      if (!report.enabled) {
        cv_.wait(lock);
        continue;
      }
      if (cv_.wait_until(lock, next_report) == std::cv_status::timeout && !notified_) {
        const auto now = std::chrono::steady_clock::now();
        lock.unlock();
        on_timeout(now - started);
        lock.lock();
        next_report = now + report.every;
      }
    }
    notified_ = false;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool notified_ = false;
};

}  // namespace

PendingTaskReport pending_task_report() {
  auto& s = settings();
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.report;
}

void set_pending_task_report(const PendingTaskReport& report) {
  auto& s = settings();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.report = report;
}

std::size_t print_pending_tasks(const threadpool::Sender& pool, std::chrono::nanoseconds waited) {
  // Copy what is needed while the pool walks its tasks (it may hold a lock), format after.
  struct Entry {
    std::string name;
    const std::type_info* type;
  };
  std::vector<Entry> entries;
  const std::size_t count = pending_tasks_of(pool, [&](const executor::TaskNode& node) {
    entries.push_back(Entry{std::string(node.name()), &node.future_type()});
  });

  std::string text = "tokio: the runtime is waiting for " + std::to_string(count) +
                     (count == 1 ? " pending task" : " pending tasks") + " (waited " +
                     std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(waited).count()) + " ms)";
  text += entries.empty() ? "\n" : ":\n";
  for (const Entry& e : entries) {
    text += e.name.empty() ? "  - unnamed: " + demangle(*e.type) + "\n" : "  - \"" + e.name + "\"\n";
  }
  std::fputs(text.c_str(), stderr);  // one write, so lines of concurrent reports do not mix
  return count;
}

void wait_for_shutdown(threadpool::Shutdown& shutdown, const threadpool::Sender& pool) {
  const PendingTaskReport report = pending_task_report();
  auto notify = std::make_shared<WaitNotify>();
  const futures::executor::NotifyHandle handle(notify);
  const auto started = std::chrono::steady_clock::now();
  auto next_report = started + report.first;
  for (;;) {
    futures::Poll<futures::Unit, futures::Unit> polled = [&] {
      futures::task::detail::BorrowedTask borrowed{&handle, 0};
      futures::task::detail::CurrentTaskGuard guard(borrowed);
      return shutdown.poll();
    }();
    if (polled.is_err() || polled.unwrap_ref().is_ready()) return;
    notify->wait(report, started, next_report,
                 [&](std::chrono::nanoseconds waited) {
                   const std::size_t count = print_pending_tasks(pool, waited);
                   if (report.on_report) report.on_report(count);
                 });
  }
}

}  // namespace tokio::runtime::detail
