// futures layer: Collect, the future returned by `Stream::collect`. Mirrors futures 0.1
// `src/stream/collect.rs`.
#pragma once

#include <futures/contract.hpp>
#include <futures/future_ext.hpp>
#include <futures/stream_ext.hpp>

#include <utility>
#include <vector>

namespace futures::stream {

/// Gathers every item of S into a `std::vector`, in order; resolves to it once S ends.
///
/// Errors: the first error of S fails the Collect; the items gathered so far are
/// dropped.
/// Notifies: nothing itself; S arranges the notification when it returns NotReady.
/// Aborts: polling again after it resolved or failed is a contract violation.
template <class S>
class Collect : public FutureExt<Collect<S>> {
 public:
  using Item = std::vector<typename S::Item>;
  using Error = typename S::Error;

  explicit Collect(S stream) : stream_(std::move(stream)) {}

  Poll<Item, Error> poll() {
    if (done_) contract_violation("Collect polled after it completed");
    for (;;) {
      auto polled = stream_.poll();
      if (polled.is_err()) {
        done_ = true;
        Item().swap(items_);  // drop what was gathered (and its memory)
        return Err(std::move(polled).unwrap_err());
      }
      if (polled.unwrap_ref().is_not_ready()) return NotReady;
      auto item = std::move(polled).unwrap().value();
      if (!item) {
        done_ = true;
        Item all;
        all.swap(items_);
        return Ready(std::move(all));
      }
      items_.push_back(std::move(*item));
    }
  }

 private:
  S stream_;
  Item items_;
  bool done_ = false;
};

}  // namespace futures::stream
