#include "support/notify.hpp"

#include <gtest/gtest.h>

namespace futures_test {

void PanicNotify::notify(std::size_t) { ADD_FAILURE() << "PanicNotify: a task was notified that must not be"; }

futures::executor::NotifyHandle noop_notify() {
  static futures::executor::NotifyHandle handle(std::make_shared<NoopNotify>());
  return handle;
}

futures::executor::NotifyHandle panic_notify() {
  static futures::executor::NotifyHandle handle(std::make_shared<PanicNotify>());
  return handle;
}

}  // namespace futures_test
