// Port of futures 0.1 tests/select_all.rs
//
// Then unit tests of SelectAll beyond the Rust file: NotReady with the notification
// passing through, the rest handed back in order and still pollable, futures that are
// not assignable, and the contract violations (empty list, poll after completion).
#include <futures/future.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "support/assert_poll.hpp"
#include "support/counted.hpp"
#include "support/manual_future.hpp"
#include "support/notify.hpp"

// One namespace per file: a unity build compiles several test files as one unit.
namespace select_all_test {

using namespace futures;
using futures::future::err;
using futures::future::ok;
using futures::future::select_all;

TEST(SelectAll, smoke) {
  std::vector<future::FutureResult<int, int>> v{
      ok<int, int>(1),
      err<int, int>(2),
      ok<int, int>(3),
  };

  auto [i, idx, v1] = *select_all(std::move(v)).wait().ok();
  EXPECT_EQ(i, 1);
  EXPECT_EQ(idx, 0u);

  auto [i2, idx2, v2] = *select_all(std::move(v1)).wait().err();
  EXPECT_EQ(i2, 2);
  EXPECT_EQ(idx2, 0u);

  auto [i3, idx3, v3] = *select_all(std::move(v2)).wait().ok();
  EXPECT_EQ(i3, 3);
  EXPECT_EQ(idx3, 0u);

  EXPECT_TRUE(v3.empty());
}

// ===== Beyond the Rust file =====

namespace {

/// A leaf future completed by hand through its Cell (support/manual_future.hpp).
using Cell = futures_test::Slot<int, int>;
using Manual = futures_test::Manual<int, int>;

}  // namespace

TEST(SelectAll, first_to_finish_wins_and_the_rest_is_handed_back_in_order) {
  std::vector<std::shared_ptr<Cell>> cells;
  std::vector<Manual> v;
  for (int n = 0; n < 4; ++n) {
    cells.push_back(std::make_shared<Cell>());
    v.emplace_back(cells.back());
  }
  auto f = select_all(std::move(v));
  static_assert(
      std::is_same_v<decltype(f)::Item, std::tuple<int, std::size_t, std::vector<Manual>>>);
  static_assert(
      std::is_same_v<decltype(f)::Error, std::tuple<int, std::size_t, std::vector<Manual>>>);

  auto notify = std::make_shared<futures_test::CountingNotify>();
  executor::NotifyHandle handle(notify);
  auto p = futures_test::poll_once(f, handle);
  ASSERT_TRUE(p.is_ok() && p.unwrap_ref().is_not_ready());
  for (auto& c : cells)
    EXPECT_EQ(c->polls, 1);

  cells[2]->complete(Err(22));
  EXPECT_EQ(notify->count(), 1u);
  cells[3]->complete(Ok(33));
  auto done = futures_test::poll_once(f, handle);
  ASSERT_TRUE(done.is_err());
  auto [e, idx, rest] = std::move(done).unwrap_err();
  EXPECT_EQ(e, 22);
  EXPECT_EQ(idx, 2u);
  EXPECT_EQ(cells[3]->polls, 1);  // polling stopped at the first finished future
  ASSERT_EQ(rest.size(), 3u);

  // The rest keeps its order: 0, 1, 3. Future 3 is already complete.
  auto next = select_all(std::move(rest));
  auto [value, idx2, rest2] = *std::move(next).wait().ok();
  EXPECT_EQ(value, 33);
  EXPECT_EQ(idx2, 2u);
  EXPECT_EQ(rest2.size(), 2u);
}

TEST(SelectAll, accepts_results_and_unassignable_futures) {
  auto [value, idx, rest] = *select_all(std::vector<Result<int, int>>{Ok(1), Ok(2)}).wait().ok();
  EXPECT_EQ(value, 1);
  EXPECT_EQ(idx, 0u);
  EXPECT_EQ(rest.size(), 1u);

  // A capturing lambda makes Map non-assignable: removal must not need assignment.
  auto plus = [n = 10](int x) { return x + n; };
  auto pending = std::make_shared<Cell>();
  std::vector<decltype(Manual(pending).map(plus))> v;
  v.push_back(Manual(pending).map(plus));
  auto ready = std::make_shared<Cell>();
  ready->value.emplace(Ok(5));
  v.push_back(Manual(ready).map(plus));
  v.push_back(Manual(pending).map(plus));
  auto f = select_all(std::move(v));
  auto p = futures_test::poll_noop(f);
  ASSERT_TRUE(p.is_ok() && p.unwrap_ref().is_ready());
  auto [v2, idx2, rest2] = std::move(p).unwrap().value();
  EXPECT_EQ(v2, 15);
  EXPECT_EQ(idx2, 1u);
  EXPECT_EQ(rest2.size(), 2u);
}

TEST(SelectAll, drop_cancels_every_future) {
  futures_test::LifetimeCounts counts;
  auto make = [&] {
    return future::empty<int, int>().map([c = futures_test::Counted(counts)](int x) { return x; });
  };
  {
    std::vector<decltype(make())> v;
    v.push_back(make());
    v.push_back(make());
    auto f = select_all(std::move(v));
    ASSERT_NOT_READY(f);
    EXPECT_EQ(counts.alive(), 2);
  }
  EXPECT_EQ(counts.alive(), 0);
}

TEST(SelectAllDeathTest, empty_list_is_a_contract_violation) {
  EXPECT_DEATH((void)select_all(std::vector<Result<int, int>>{}),
               "select_all: the list of futures is empty");
}

TEST(SelectAllDeathTest, poll_after_completion_is_a_contract_violation) {
  auto f = select_all(std::vector<Result<int, int>>{Ok(1)});
  ASSERT_READY(f);
  EXPECT_DEATH((void)futures_test::poll_noop(f), "SelectAll polled after it completed");
}

}  // namespace select_all_test
