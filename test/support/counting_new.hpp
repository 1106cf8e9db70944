// Test support: a replacement of the global operator new that counts allocations, for
// the executables that check an allocation budget. Link support/counting_new.cpp into
// such an executable alone (the sanitizers replace operator new too).
#pragma once

namespace test_support {

/// Calls of operator new in this process so far.
long allocations() noexcept;

}  // namespace test_support
