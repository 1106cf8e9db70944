// The out-of-line half of include/tokio/fmt.hpp: fmt/format.h is included here once
// instead of in every program that includes <tokio.hpp>.
#include <tokio/fmt.hpp>

#include <fmt/format.h>

namespace tokio::detail {

fmt::format_context::iterator format_text(const StringFormatter& f, std::string_view text,
                                          fmt::format_context& ctx) {
  return f.format(fmt::string_view(text.data(), text.size()), ctx);
}

std::string format_text(const StringFormatter& f, std::string_view text) {
  fmt::memory_buffer buf;
  fmt::format_context ctx(fmt::appender(buf), {});
  f.format(fmt::string_view(text.data(), text.size()), ctx);
  return fmt::to_string(buf);
}

}  // namespace tokio::detail
