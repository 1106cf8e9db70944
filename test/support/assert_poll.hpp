// Test support: assertions on polls (futures 0.1 tests/support `assert_done` etc.).
#pragma once

#include <gtest/gtest.h>

#include "support/notify.hpp"

/// Polls `f` in a no-op task; asserts Ready and yields nothing (use ASSERT_READY_EQ for values).
#define ASSERT_READY(f)                                                          \
  do {                                                                           \
    auto futures_test_p_ = ::futures_test::poll_noop(f);                         \
    ASSERT_TRUE(futures_test_p_.is_ok()) << "expected Ready, got " << futures_test_p_; \
    ASSERT_TRUE(futures_test_p_.unwrap_ref().is_ready()) << "expected Ready, got NotReady"; \
  } while (0)

/// Polls `f` in a no-op task; asserts Ready(v).
#define ASSERT_READY_EQ(f, v)                                                    \
  do {                                                                           \
    auto futures_test_p_ = ::futures_test::poll_noop(f);                         \
    ASSERT_TRUE(futures_test_p_.is_ok()) << "expected Ready, got " << futures_test_p_; \
    ASSERT_TRUE(futures_test_p_.unwrap_ref().is_ready()) << "expected Ready, got NotReady"; \
    ASSERT_EQ(futures_test_p_.unwrap_ref().value(), (v));                        \
  } while (0)

/// Polls `f` in a no-op task; asserts NotReady.
#define ASSERT_NOT_READY(f)                                                      \
  do {                                                                           \
    auto futures_test_p_ = ::futures_test::poll_noop(f);                         \
    ASSERT_TRUE(futures_test_p_.is_ok()) << "expected NotReady, got " << futures_test_p_; \
    ASSERT_TRUE(futures_test_p_.unwrap_ref().is_not_ready()) << "expected NotReady, got " << futures_test_p_; \
  } while (0)

/// Polls `f` in a no-op task; asserts Err(e).
#define ASSERT_ERR_EQ(f, e)                                                      \
  do {                                                                           \
    auto futures_test_p_ = ::futures_test::poll_noop(f);                         \
    ASSERT_TRUE(futures_test_p_.is_err()) << "expected Err, got " << futures_test_p_; \
    ASSERT_EQ(futures_test_p_.unwrap_err_ref(), (e));                            \
  } while (0)
