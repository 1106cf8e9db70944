// Allocation hooks for the model programs.
//
// Relacy (context.hpp) replaces the global operator new/delete with *inline* functions,
// so during a simulation memory comes from Relacy's checked heap (leaks, double frees and
// use after free are reported). Inline replacements are only emitted where a call is not
// inlined, and C++14's sized operator delete is not replaced at all: libstdc++ would then
// free Relacy's blocks with free(). This file forces out-of-line copies (which the
// program exports, so libstdc++ uses them too) and routes the sized forms to them.
#include <futures/detail/atomic.hpp>

#include <cstddef>
#include <new>

namespace {
// Taking the addresses makes the compiler emit the inline replacements as symbols.
[[gnu::used]] void* (*const keep_new)(std::size_t) = &::operator new;
[[gnu::used]] void* (*const keep_new_array)(std::size_t) = &::operator new[];
[[gnu::used]] void (*const keep_delete)(void*) noexcept = &::operator delete;
[[gnu::used]] void (*const keep_delete_array)(void*) noexcept = &::operator delete[];
}  // namespace

void operator delete(void* p, std::size_t) noexcept {
  ::operator delete(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  ::operator delete[](p);
}
