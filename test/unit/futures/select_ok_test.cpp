// Port of futures 0.1 tests/select_ok.rs
//
// Then unit tests of SelectOk beyond the Rust file: NotReady with the notification
// passing through, errors ignored while others are pending, the last error, and the
// contract violations (empty list, poll after completion).
#include <futures/future.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "support/assert_poll.hpp"
#include "support/manual_future.hpp"
#include "support/notify.hpp"

// One namespace per file: a unity build compiles several test files as one unit.
namespace select_ok_test {

using namespace futures;
using futures::future::err;
using futures::future::ok;
using futures::future::select_ok;

TEST(SelectOk, ignore_err) {
  std::vector<future::FutureResult<int, int>> v{
      err<int, int>(1),
      err<int, int>(2),
      ok<int, int>(3),
      ok<int, int>(4),
  };

  auto [i, v1] = *select_ok(std::move(v)).wait().ok();
  EXPECT_EQ(i, 3);

  EXPECT_EQ(v1.size(), 1u);

  auto [i2, v2] = *select_ok(std::move(v1)).wait().ok();
  EXPECT_EQ(i2, 4);

  EXPECT_TRUE(v2.empty());
}

TEST(SelectOk, last_err) {
  std::vector<future::FutureResult<int, int>> v{
      ok<int, int>(1),
      err<int, int>(2),
      err<int, int>(3),
  };

  auto [i, v1] = *select_ok(std::move(v)).wait().ok();
  EXPECT_EQ(i, 1);

  EXPECT_EQ(v1.size(), 2u);

  auto i2 = *select_ok(std::move(v1)).wait().err();
  EXPECT_EQ(i2, 3);
}

// ===== Beyond the Rust file =====

namespace {

/// A leaf future completed by hand through its Cell (support/manual_future.hpp).
using Cell = futures_test::Slot<int, int>;
using Manual = futures_test::Manual<int, int>;

}  // namespace

TEST(SelectOk, errors_are_ignored_while_others_are_pending) {
  std::vector<std::shared_ptr<Cell>> cells;
  std::vector<Manual> v;
  for (int n = 0; n < 3; ++n) {
    cells.push_back(std::make_shared<Cell>());
    v.emplace_back(cells.back());
  }
  auto f = select_ok(std::move(v));
  static_assert(std::is_same_v<decltype(f)::Item, std::tuple<int, std::vector<Manual>>>);
  static_assert(std::is_same_v<decltype(f)::Error, int>);

  auto notify = std::make_shared<futures_test::CountingNotify>();
  executor::NotifyHandle handle(notify);
  auto p = futures_test::poll_once(f, handle);
  ASSERT_TRUE(p.is_ok() && p.unwrap_ref().is_not_ready());

  cells[1]->complete(Err(1));
  EXPECT_EQ(notify->count(), 1u);
  p = futures_test::poll_once(f, handle);
  ASSERT_TRUE(p.is_ok() && p.unwrap_ref().is_not_ready());
  // After the ignored error the poll started over: 0 was polled twice in that poll.
  EXPECT_EQ(cells[0]->polls, 3);
  EXPECT_EQ(cells[2]->polls, 2);

  cells[2]->complete(Ok(42));
  auto done = futures_test::poll_once(f, handle);
  ASSERT_TRUE(done.is_ok() && done.unwrap_ref().is_ready());
  auto [value, rest] = std::move(done).unwrap().value();
  EXPECT_EQ(value, 42);
  ASSERT_EQ(rest.size(), 1u);  // future 0, handed back unfinished
  ASSERT_NOT_READY(rest[0]);
}

TEST(SelectOk, the_last_error_is_the_result_when_all_fail) {
  auto a = std::make_shared<Cell>();
  auto b = std::make_shared<Cell>();
  std::vector<Manual> v;
  v.emplace_back(a);
  v.emplace_back(b);
  auto f = select_ok(std::move(v));
  ASSERT_NOT_READY(f);
  b->complete(Err(2));
  ASSERT_NOT_READY(f);
  a->complete(Err(1));
  ASSERT_ERR_EQ(f, 1);
}

TEST(SelectOkDeathTest, empty_list_is_a_contract_violation) {
  EXPECT_DEATH((void)select_ok(std::vector<Result<int, int>>{}),
               "select_ok: the list of futures is empty");
}

TEST(SelectOkDeathTest, poll_after_completion_is_a_contract_violation) {
  auto f = select_ok(std::vector<Result<int, int>>{Err(1)});
  ASSERT_ERR_EQ(f, 1);
  EXPECT_DEATH((void)futures_test::poll_noop(f), "SelectOk polled after it completed");
}

}  // namespace select_ok_test
