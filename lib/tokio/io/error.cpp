// tokio::io::Error: errno → ErrorKind mapping (as Rust's std does on Unix) and messages.
#include <tokio/io/error.hpp>

#include <cerrno>
#include <string>

namespace tokio::io {
namespace {

constexpr std::string_view kNames[] = {
    "NotFound",     "PermissionDenied", "ConnectionRefused", "ConnectionReset", "ConnectionAborted",
    "NotConnected", "AddrInUse",        "AddrNotAvailable",  "BrokenPipe",      "AlreadyExists",
    "WouldBlock",   "InvalidInput",     "InvalidData",       "TimedOut",        "WriteZero",
    "Interrupted",  "Other",            "UnexpectedEof",
};

// Rust's `ErrorKind::as_str` descriptions, used when a kind is given without a message.
constexpr std::string_view kDescriptions[] = {
    "entity not found",   "permission denied",   "connection refused",     "connection reset",
    "connection aborted", "not connected",       "address in use",         "address not available",
    "broken pipe",        "entity already exists", "operation would block", "invalid input parameter",
    "invalid data",       "timed out",           "write zero",             "operation interrupted",
    "other os error",     "unexpected end of file",
};

class KindCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "tokio::io::ErrorKind"; }
  std::string message(int value) const override {
    if (value < 0 || value >= static_cast<int>(std::size(kDescriptions))) return "unknown error kind";
    return std::string(kDescriptions[value]);
  }
};

ErrorKind kind_of_errno(int code) noexcept {
  switch (code) {
    case EPERM:
    case EACCES: return ErrorKind::PermissionDenied;
    case ENOENT: return ErrorKind::NotFound;
    case EINTR: return ErrorKind::Interrupted;
    case ECONNREFUSED: return ErrorKind::ConnectionRefused;
    case ECONNRESET: return ErrorKind::ConnectionReset;
    case ECONNABORTED: return ErrorKind::ConnectionAborted;
    case ENOTCONN: return ErrorKind::NotConnected;
    case EADDRINUSE: return ErrorKind::AddrInUse;
    case EADDRNOTAVAIL: return ErrorKind::AddrNotAvailable;
    case EPIPE: return ErrorKind::BrokenPipe;
    case EEXIST: return ErrorKind::AlreadyExists;
    case EAGAIN: return ErrorKind::WouldBlock;
    case EINVAL: return ErrorKind::InvalidInput;
    case ETIMEDOUT: return ErrorKind::TimedOut;
    default: return ErrorKind::Other;
  }
}

}  // namespace

std::string_view kind_name(ErrorKind kind) noexcept {
  const auto i = static_cast<std::size_t>(kind);
  return i < std::size(kNames) ? kNames[i] : std::string_view("Unknown");
}

std::ostream& operator<<(std::ostream& os, ErrorKind kind) { return os << kind_name(kind); }

const std::error_category& kind_category() noexcept {
  static const KindCategory category;
  return category;
}

Error::Error(ErrorKind kind, std::string message)
    : code_(static_cast<int>(kind), kind_category()),
      custom_(std::make_shared<const std::string>(std::move(message))) {}

Error::Error(ErrorKind kind) noexcept : code_(static_cast<int>(kind), kind_category()) {}

Error Error::last_os_error() noexcept { return from_raw_os_error(errno); }

ErrorKind Error::kind() const noexcept {
  if (code_.category() == kind_category()) return static_cast<ErrorKind>(code_.value());
  if (code_.category() == std::system_category() || code_.category() == std::generic_category()) {
    return kind_of_errno(code_.value());
  }
  return ErrorKind::Other;
}

std::string Error::message() const {
  if (custom_) return *custom_;
  if (code_.category() == std::system_category() || code_.category() == std::generic_category()) {
    return code_.message() + " (os error " + std::to_string(code_.value()) + ")";
  }
  return code_.message();
}

Error would_block() noexcept { return Error(ErrorKind::WouldBlock); }

}  // namespace tokio::io
