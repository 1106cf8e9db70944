// tokio::reactor: a pipe's read end in a PollEvented, registered with hup in its
// interest, read to the end. Ports tokio 0.1.22 tests/pipe-hup.rs (hup): read_to_end
// must return everything written and finish at the writer's hang-up instead of hanging.
// The Rust test's sleep is replaced by gating: the writer waits for the reader's progress
// (or for the pipe to drain) and the parked cases poll once before the close.
#include <tokio/io/async_read.hpp>
#include <tokio/io/read_to_end.hpp>
#include <tokio/mio/unix/evented_fd.hpp>
#include <tokio/reactor.hpp>

#include <futures/future.hpp>

#include "support/bounded_wait.hpp"
#include "support/notify.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace pipe_hup_test {

using futures_test::CvNotify;
using futures_test::kStressDeadline;
using tokio::reactor::Handle;
using tokio::reactor::PollEvented;
namespace io = tokio::io;
namespace mio = tokio::mio;

// The pipe's read end, made non-blocking (Rust's MyFile). It registers with hup added to
// the interest, as the Rust test does, and counts the bytes it has handed out so a writer
// can wait for the reader's progress.
class PipeReader {
 public:
  explicit PipeReader(int fd) : fd_(fd), consumed_(std::make_shared<std::atomic<std::size_t>>(0)) {
    if (::fcntl(fd_, F_SETFL, O_NONBLOCK) == -1) std::abort();
  }
  PipeReader(PipeReader&& other) noexcept
      : fd_(std::exchange(other.fd_, -1)), consumed_(std::move(other.consumed_)) {}
  PipeReader& operator=(PipeReader&& other) noexcept {
    std::swap(fd_, other.fd_);
    std::swap(consumed_, other.consumed_);
    return *this;
  }
  ~PipeReader() {
    if (fd_ >= 0) ::close(fd_);
  }

  io::Result<std::size_t> read(std::span<std::uint8_t> buf) {
    const ssize_t n = ::read(fd_, buf.data(), buf.size());
    if (n < 0) return futures::Err(io::Error::last_os_error());
    consumed_->fetch_add(static_cast<std::size_t>(n));
    return futures::Ok(static_cast<std::size_t>(n));
  }
  io::Result<futures::Unit> register_(const mio::Registry& r, mio::Token t, mio::Ready i, mio::PollOpt o) const {
    return mio::unix::EventedFd(fd_).register_(r, t, i | mio::Ready::hup(), o);
  }
  io::Result<futures::Unit> reregister(const mio::Registry& r, mio::Token t, mio::Ready i, mio::PollOpt o) const {
    return mio::unix::EventedFd(fd_).reregister(r, t, i | mio::Ready::hup(), o);
  }
  io::Result<futures::Unit> deregister(const mio::Registry& r) const { return mio::unix::EventedFd(fd_).deregister(r); }

  /// Bytes read so far; shared, so it outlives moves into the PollEvented.
  std::shared_ptr<const std::atomic<std::size_t>> consumed() const { return consumed_; }

 private:
  int fd_;
  std::shared_ptr<std::atomic<std::size_t>> consumed_;
};
static_assert(mio::Evented<PipeReader>);
static_assert(io::AsyncRead<PollEvented<PipeReader>>);

// The blocking write end; closing it is the hang-up.
class PipeWriter {
 public:
  explicit PipeWriter(int fd) noexcept : fd_(fd) {}
  PipeWriter(PipeWriter&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  PipeWriter& operator=(PipeWriter&&) = delete;
  ~PipeWriter() { close(); }

  // Rust's write_all: a blocking pipe may still take a large buffer in pieces.
  bool write_all(std::span<const std::uint8_t> data) {
    while (!data.empty()) {
      const ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      data = data.subspan(static_cast<std::size_t>(n));
    }
    return true;
  }
  bool write_all(std::string_view text) {
    return write_all(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  }
  void close() {
    if (fd_ >= 0) ::close(std::exchange(fd_, -1));
  }

 private:
  int fd_;
};

std::pair<PipeReader, PipeWriter> make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) std::abort();
  return {PipeReader(fds[0]), PipeWriter(fds[1])};
}

std::vector<std::uint8_t> bytes(std::string_view text) { return {text.begin(), text.end()}; }

// read_to_end over the PollEvented on the default handle, driven like Rust's wait() but
// with a deadline: a missed hang-up fails the test instead of hanging it.
std::vector<std::uint8_t> read_all(PipeReader reader) {
  auto source = PollEvented<PipeReader>::new_with_handle(std::move(reader), Handle::default_());
  EXPECT_TRUE(source.is_ok());
  if (source.is_err()) return {};
  auto reading = io::read_to_end(std::move(source).unwrap(), {});
  auto done = futures_test::wait_for(reading);
  EXPECT_TRUE(done.has_value()) << "read_to_end did not finish at the hang-up";
  if (!done) return {};
  EXPECT_TRUE(done->is_ok());
  if (done->is_err()) return {};
  return std::get<1>(std::move(*done).unwrap());
}

// pipe-hup.rs hup: two writes, then the writer's end closes. The second write waits until
// the reader has taken the first, so the reader has been parked with nothing to read
// (the Rust test's sleep only made that likely).
TEST(PipeHupTest, ReadToEndFinishesAtHup) {
  auto [reader, writer] = make_pipe();
  const auto consumed = reader.consumed();
  std::thread writing([&writer, consumed] {
    constexpr std::string_view kFirst = "Hello!\n";
    ASSERT_TRUE(writer.write_all(kFirst));
    ASSERT_TRUE(futures_test::spin_until([&] { return consumed->load() >= kFirst.size(); }))
        << "the reader never took the first write";
    ASSERT_TRUE(writer.write_all("Good bye!\n"));
    writer.close();
  });
  const auto content = read_all(std::move(reader));
  writing.join();
  EXPECT_EQ(content, bytes("Hello!\nGood bye!\n"));
}

// The writer has written and closed before the first read: the readiness and the hang-up
// are both there at registration.
TEST(PipeHupTest, WriterClosedBeforeAnyRead) {
  auto [reader, writer] = make_pipe();
  ASSERT_TRUE(writer.write_all("Hello!\nGood bye!\n"));
  writer.close();
  EXPECT_EQ(read_all(std::move(reader)), bytes("Hello!\nGood bye!\n"));
}

TEST(PipeHupTest, EmptyPipeClosedBeforeAnyRead) {
  auto [reader, writer] = make_pipe();
  writer.close();
  EXPECT_TRUE(read_all(std::move(reader)).empty());
}

// The reader task is parked on an empty pipe when the writer closes: only the HUP (no data
// comes) can wake it, and then read_to_end resolves with what was read before.
void hup_wakes_parked_reader(std::string_view before_close) {
  auto [reader, writer] = make_pipe();
  const auto consumed = reader.consumed();
  auto source = PollEvented<PipeReader>::new_with_handle(std::move(reader), Handle::default_());
  ASSERT_TRUE(source.is_ok());
  auto reading = io::read_to_end(std::move(source).unwrap(), {});
  auto notify = std::make_shared<CvNotify>();
  const futures::executor::NotifyHandle task(notify);
  ASSERT_TRUE(writer.write_all(before_close));
  // Let the reader take the data first, so it ends parked on an empty pipe.
  while (consumed->load() < before_close.size()) {
    auto polled = futures_test::poll_once(reading, task);
    ASSERT_TRUE(polled.is_ok());
    ASSERT_TRUE(polled.unwrap_ref().is_not_ready()) << "resolved before the writer closed";
    if (consumed->load() < before_close.size()) {
      ASSERT_TRUE(notify->wait_until(std::chrono::steady_clock::now() + kStressDeadline)) << "data never readable";
    }
  }
  auto parked = futures_test::poll_once(reading, task);
  ASSERT_TRUE(parked.is_ok());
  ASSERT_TRUE(parked.unwrap_ref().is_not_ready()) << "resolved before the writer closed";

  writer.close();
  ASSERT_TRUE(notify->wait_until(std::chrono::steady_clock::now() + kStressDeadline))
      << "the hang-up did not wake the parked reader";
  auto done = futures_test::wait_for(reading);
  ASSERT_TRUE(done.has_value()) << "read_to_end did not finish after the hang-up";
  ASSERT_TRUE(done->is_ok());
  EXPECT_EQ(std::get<1>(std::move(*done).unwrap()), bytes(before_close));
}

TEST(PipeHupTest, HupWakesParkedReader) { hup_wakes_parked_reader(""); }
TEST(PipeHupTest, HupWakesParkedReaderAfterData) { hup_wakes_parked_reader("Hello!\n"); }

// More than a pipe holds (64 KiB on Linux): the blocking writer is gated by the reader
// draining the pipe, so readiness comes and goes many times before the hang-up.
TEST(PipeHupTest, LargeTransferEndsAtHup) {
  constexpr std::size_t kSize = 1 << 20;
  std::vector<std::uint8_t> data(kSize);
  for (std::size_t i = 0; i < kSize; ++i)
    data[i] = static_cast<std::uint8_t>(i * 31 + i / 256);
  auto [reader, writer] = make_pipe();
  std::thread writing([&writer, &data] {
    constexpr std::size_t kChunk = 4096 + 17;  // not a multiple of the page size
    for (std::size_t at = 0; at < data.size(); at += kChunk)
      ASSERT_TRUE(writer.write_all(std::span(data).subspan(at, std::min(kChunk, data.size() - at))));
    writer.close();
  });
  const auto content = read_all(std::move(reader));
  writing.join();
  EXPECT_EQ(content.size(), kSize);
  EXPECT_TRUE(content == data);
}

}  // namespace pipe_hup_test
