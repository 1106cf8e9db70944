// futures layer (internal): SendError<T>, the error of a send into a channel whose
// receiver is gone. sync::mpsc and unsync::mpsc both name it `SendError` (Rust has one per
// module, with the same shape), so it is written once here.
#pragma once

#include <concepts>
#include <ostream>
#include <string_view>
#include <utility>

namespace futures::detail {

/// The error of a send into a channel whose Receiver was dropped or closed (Rust's
/// `SendError<T>`): hands the message back. Prints as `SendError(...)`; its message
/// (`what()`) is "send failed because receiver is gone".
template <class T>
class SendError {
 public:
  explicit SendError(T value) : value_(std::move(value)) {}

  /// The message that could not be sent.
  T into_inner() && { return std::move(value_); }
  const T& into_inner() const& { return value_; }

  std::string_view what() const noexcept { return "send failed because receiver is gone"; }

  friend bool operator==(const SendError& a, const SendError& b)
    requires std::equality_comparable<T>
  {
    return a.value_ == b.value_;
  }
  friend std::ostream& operator<<(std::ostream& os, const SendError&) {
    return os << "SendError(...)";
  }

 private:
  T value_;
};

}  // namespace futures::detail
