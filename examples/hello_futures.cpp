// hello_futures: a first look at tokio-cpp's futures layer (the interim demo, until the
// Tokio examples such as echo.cpp arrive with the runtime).
//
// It does four things, printing a line for each, and exits 0:
//   1. runs a chain of combinators, ok(1).map(..).and_then(..), and blocks on it with
//      wait() (futures 0.1 `Future::wait`);
//   2. shows an error skipping the rest of a chain;
//   3. hands a value from a std::thread to a hand-written leaf future: the future
//      registers the current task with an AtomicTask and returns NotReady; the thread
//      publishes the value and notifies; wait() parks this thread until then;
//   4. does the same with a futures::sync::oneshot channel.
//
// Run it:
//   tools/setup.sh demo                        (installs packages, builds, runs it)
//   ninja -C build && ./build/examples/hello_futures
// It is also the meson test `hello_futures` (suite `examples`).
#include <futures/future.hpp>
#include <futures/sync/oneshot.hpp>
#include <futures/task.hpp>

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <utility>

namespace {

// Rust's println!: one line, flushed at once so output interleaves sensibly with other
// threads and with the test runner's log.
void println(const std::string& line) {
  std::fputs(line.c_str(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

// What the producer thread and the future share: the value, a flag that publishes it,
// and the slot where the waiting task registers.
struct Slot {
  std::string value;
  std::atomic<bool> done{false};
  futures::task::AtomicTask task;
};

// A leaf future resolving to the string another thread puts in the Slot. This is the
// shape of every leaf future: register interest first, then check, then NotReady.
class Delivery : public futures::FutureExt<Delivery> {
 public:
  using Item = std::string;
  using Error = futures::Unit;

  explicit Delivery(std::shared_ptr<Slot> slot) : slot_(std::move(slot)) {}

  futures::Poll<Item, Error> poll() {
    if (!slot_) futures::contract_violation("Delivery polled after it completed");
    // Register before checking: a value published between the check and the register
    // would otherwise never wake us.
    slot_->task.register_();
    if (!slot_->done.load(std::memory_order_acquire)) return futures::NotReady;
    std::string value = std::move(slot_->value);
    slot_.reset();
    return futures::Ready(std::move(value));
  }

 private:
  std::shared_ptr<Slot> slot_;  // null once completed
};

}  // namespace

int main() {
  namespace future = futures::future;

  // 1. A chain: each step runs when the previous one resolves.
  auto add_one = [](int x) { return x + 1; };
  auto times_ten = [](int x) { return future::ok<int, std::string>(x * 10); };
  auto chain = future::ok<int, std::string>(1).map(add_one).and_then(times_ten);
  futures::Result<int, std::string> r = std::move(chain).wait();
  println("chain: ok(1).map(+1).and_then(*10) = " + std::to_string(r.unwrap_ref()));

  // 2. An error skips map and and_then and comes out of wait() as Err.
  bool ran = false;
  auto failing = future::err<int, std::string>("boom")
                     .map([&ran](int x) {
                       ran = true;
                       return x;
                     })
                     .and_then([](int x) { return future::ok<int, std::string>(x); });
  futures::Result<int, std::string> e = std::move(failing).wait();
  println("error: " + e.unwrap_err_ref() + " (callbacks ran: " + (ran ? "yes" : "no") + ")");

  // 3. A value from another thread.
  auto slot = std::make_shared<Slot>();
  std::thread producer([slot] {
    slot->value = "hello from a std::thread";
    slot->done.store(true, std::memory_order_release);
    slot->task.notify();
  });
  auto delivered = Delivery(slot).map([](std::string s) { return s + ", via a future"; });
  futures::Result<std::string, futures::Unit> d = std::move(delivered).wait();
  producer.join();
  println("delivered: " + d.unwrap_ref());

  // 4. The library's way to do 3: a oneshot channel. The Receiver is a future; the Sender
  //    moves to the other thread, and send() consumes it.
  auto [tx, rx] = futures::sync::oneshot::channel<int>();
  std::thread sender([tx = std::move(tx)]() mutable { (void)std::move(tx).send(42); });
  auto answer = std::move(rx).map([](int v) { return "the answer is " + std::to_string(v); });
  futures::Result<std::string, futures::sync::oneshot::Canceled> a = std::move(answer).wait();
  sender.join();
  println("oneshot: " + (a.is_ok() ? a.unwrap_ref() : std::string("canceled")));

  const bool ok = r.unwrap_ref() == 20 && !ran && d.is_ok() && a.is_ok();
  println(ok ? "hello_futures: done" : "hello_futures: UNEXPECTED RESULT");
  return ok ? 0 : 1;
}
