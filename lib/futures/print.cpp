// The string building of futures/detail/print.hpp, compiled once.
#include <futures/detail/print.hpp>

#include <sstream>

namespace futures::detail {

std::string show_value(const void* value, void (*print)(std::ostream&, const void*)) {
  std::ostringstream os;
  print(os, value);
  return os.str();
}

}  // namespace futures::detail
