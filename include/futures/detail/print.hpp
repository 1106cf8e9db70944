// futures layer (internal): prints a value with operator<< when it has one.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

namespace futures::detail {

template <class T>
concept Printable = requires(std::ostream& os, const T& v) { os << v; };

template <class T>
void print_value(std::ostream& os, const T& v) {
  if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view>) {
    os << '"' << v << '"';
  } else if constexpr (std::is_same_v<T, std::uint8_t> || std::is_same_v<T, std::int8_t>) {
    os << static_cast<int>(v);
  } else if constexpr (Printable<T>) {
    os << v;
  } else if constexpr (requires { std::tuple_size<T>::value; }) {
    os << '(';
    std::apply(
        [&os](const auto&... elems) {
          std::size_t i = 0;
          ((os << (i++ ? ", " : ""), print_value(os, elems)), ...);
        },
        v);
    os << ')';
  } else {
    os << "<value>";
  }
}

/// `print(os, *value)` into a string (lib/futures/print.cpp): the one ostringstream behind
/// every Result's panic message, instead of one inlined into each Result type.
std::string show_value(const void* value, void (*print)(std::ostream&, const void*));

/// print_value(v) into a string.
template <class T>
std::string show(const T& v) {
  return show_value(&v, [](std::ostream& os, const void* p) { print_value(os, *static_cast<const T*>(p)); });
}

}  // namespace futures::detail
