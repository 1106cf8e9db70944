// tokio::mio layer: the address of a Unix-domain socket, Rust's
// `std::os::unix::net::SocketAddr` (which tokio-uds hands out from accept / recv_from).
//
// One of: unnamed (an unbound socket, or one end of a socketpair), a filesystem path, or
// a name in Linux's abstract namespace (no file; the name is stored without its leading
// NUL byte). Prints as Rust's Debug does: `(unnamed)`, `"/tmp/sock" (pathname)`,
// `"name" (abstract)`.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <utility>

namespace tokio::mio::unix {

class SocketAddr {
 public:
  /// Unnamed.
  SocketAddr() = default;
  static SocketAddr from_pathname(std::filesystem::path path) {
    return SocketAddr(Kind::Pathname, std::move(path).string());
  }
  static SocketAddr from_abstract_name(std::string name) { return SocketAddr(Kind::Abstract, std::move(name)); }

  bool is_unnamed() const noexcept { return kind_ == Kind::Unnamed; }
  std::optional<std::filesystem::path> as_pathname() const {
    if (kind_ != Kind::Pathname) return std::nullopt;
    return std::filesystem::path(name_);
  }
  std::optional<std::string> as_abstract_name() const {
    if (kind_ != Kind::Abstract) return std::nullopt;
    return name_;
  }

  friend bool operator==(const SocketAddr&, const SocketAddr&) = default;
  friend std::ostream& operator<<(std::ostream& os, const SocketAddr& a) {
    switch (a.kind_) {
      case Kind::Unnamed: return os << "(unnamed)";
      case Kind::Pathname: return os << '"' << a.name_ << "\" (pathname)";
      case Kind::Abstract: return os << '"' << a.name_ << "\" (abstract)";
    }
    return os;
  }

 private:
  enum class Kind : std::uint8_t { Unnamed, Pathname, Abstract };
  SocketAddr(Kind kind, std::string name) : kind_(kind), name_(std::move(name)) {}

  Kind kind_ = Kind::Unnamed;
  std::string name_;
};

}  // namespace tokio::mio::unix
