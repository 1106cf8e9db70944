// tokio layer, vocabulary: Rust's `std::io::Error`, `io::ErrorKind` and `io::Result<T>`.
//
// I/O never throws (ARCHITECTURE.md): every fallible call returns `tokio::io::Result<T>`.
// An Error holds a `std::error_code` (an errno from the system, or one of ours for the
// kinds that have no errno, such as UnexpectedEof) and an optional message, and maps it
// to an ErrorKind the way Rust's std does on Unix. This header is also used by
// tokio::mio, as Rust's mio uses std::io (docs/io.md).
#pragma once

#include <futures/result.hpp>

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <system_error>

namespace tokio::io {

/// Rust's `std::io::ErrorKind`: what kind of failure, independent of the platform.
enum class ErrorKind : std::uint8_t {
  NotFound,
  PermissionDenied,
  ConnectionRefused,
  ConnectionReset,
  ConnectionAborted,
  NotConnected,
  AddrInUse,
  AddrNotAvailable,
  BrokenPipe,
  AlreadyExists,
  WouldBlock,
  InvalidInput,
  InvalidData,
  TimedOut,
  WriteZero,
  Interrupted,
  Other,
  UnexpectedEof,
};

/// The kind's name as Rust's `Debug` prints it ("WouldBlock").
std::string_view kind_name(ErrorKind kind) noexcept;
std::ostream& operator<<(std::ostream& os, ErrorKind kind);

/// The error category of errors made from a kind alone (`Error(ErrorKind::WriteZero,
/// "...")`): its values are the ErrorKind numbers.
const std::error_category& kind_category() noexcept;

/// Rust's `std::io::Error`. Cheap to copy (a custom message is shared, never copied).
class Error {
 public:
  /// An error from an error code (an errno: `std::error_code(errno, std::system_category())`).
  explicit Error(std::error_code code) noexcept : code_(code) {}
  /// Rust's `io::Error::new(kind, msg)`: a kind with a message of ours.
  Error(ErrorKind kind, std::string message);
  /// An error of this kind, with the kind's description as its message.
  explicit Error(ErrorKind kind) noexcept;

  /// Rust's `io::Error::from_raw_os_error(errno)`.
  static Error from_raw_os_error(int code) noexcept { return Error(std::error_code(code, std::system_category())); }
  /// Rust's `io::Error::last_os_error()`: the calling thread's errno.
  static Error last_os_error() noexcept;

  ErrorKind kind() const noexcept;
  /// The errno, if this error came from the system (Rust's `raw_os_error()`), else 0.
  int raw_os_error() const noexcept { return code_.category() == std::system_category() ? code_.value() : 0; }
  std::error_code code() const noexcept { return code_; }
  /// What a person reads: the message given, or the system's text for the code
  /// ("Connection reset by peer (os error 104)" as Rust prints it).
  std::string message() const;

  bool is_would_block() const noexcept { return kind() == ErrorKind::WouldBlock; }

  /// Errors compare by code (the custom message is not part of identity).
  friend bool operator==(const Error& a, const Error& b) noexcept { return a.code_ == b.code_; }
  friend bool operator==(const Error& a, ErrorKind k) noexcept { return a.kind() == k; }
  friend std::ostream& operator<<(std::ostream& os, const Error& e) { return os << e.message(); }

 private:
  std::error_code code_;
  std::shared_ptr<const std::string> custom_;
};

/// Rust's `io::Result<T>`.
template <class T>
using Result = futures::Result<T, Error>;

/// `Err(Error(WouldBlock))`, the "not ready" of a non-blocking call.
Error would_block() noexcept;

}  // namespace tokio::io
