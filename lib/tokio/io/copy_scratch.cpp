// tokio::io::copy's per-thread buffer (include/tokio/io/copy.hpp says why it exists).
#include <tokio/io/copy.hpp>

#include <memory>

namespace tokio::io::detail {
namespace {

struct Scratch {
  std::unique_ptr<std::uint8_t[]> data;
  std::size_t size = 0;
  bool lent = false;
};

thread_local Scratch scratch;

}  // namespace

std::span<std::uint8_t> CopyScratch::borrow(std::size_t size) {
  Scratch& s = scratch;
  if (s.lent) return {};
  if (s.size < size) {
    s.data = std::make_unique_for_overwrite<std::uint8_t[]>(size);
    s.size = size;
  }
  s.lent = true;
  return {s.data.get(), size};
}

void CopyScratch::give_back() noexcept { scratch.lent = false; }

}  // namespace tokio::io::detail
