#include "hpsweep/store/background_rewriter.hpp"

#include <algorithm>
#include <filesystem>
#include <utility>

#include "hpsweep/core/crash_point.hpp"
#include "hpsweep/core/error.hpp"
#include "hpsweep/store/record_codec.hpp"

namespace hpsweep::store {

BackgroundRewriter::BackgroundRewriter(std::string path, store::Results results)
    : path_(std::move(path)), results_(std::move(results)) {}

BackgroundRewriter::~BackgroundRewriter() {
  if (thread_.joinable()) thread_.join();
}

void BackgroundRewriter::collect() {
  if (!thread_.joinable()) return;
  thread_.join();
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  ++rewrites_;
  last_ = running_;
  total_ += running_;
  longest_ = std::max(longest_, running_);
}

bool BackgroundRewriter::busy() {
  if (!done_.load(std::memory_order_acquire)) return true;
  collect();
  return false;
}

void BackgroundRewriter::wait() {
  if (thread_.joinable()) collect();
}

void BackgroundRewriter::start(std::vector<std::vector<std::byte>> records, store::SweepInfo info,
                               std::string sealed_journal) {
  wait();
  done_.store(false, std::memory_order_release);
  thread_ = std::thread([this, records = std::move(records), info = std::move(info),
                         sealed = std::move(sealed_journal)]() mutable {
    const auto start = std::chrono::steady_clock::now();
    try {
      for (const auto& bytes : records) {
        if (!store::is_decision(bytes)) store::put_record(results_, store::decode_record(bytes));
      }
      results_.info = std::move(info);
      store::write_results(path_, results_);
      core::crash_point("after-rewrite");
      std::error_code ignored;  // a sealed journal left behind is read again, harmlessly
      std::filesystem::remove(sealed, ignored);
    } catch (const core::Error&) {
      error_ = std::current_exception();
    } catch (const std::exception& e) {  // e.g. std::bad_alloc: reported like any failed write
      error_ = std::make_exception_ptr(core::StoreError("cannot rewrite " + path_ + ": " + e.what()));
    }
    running_ = std::chrono::steady_clock::now() - start;
    done_.store(true, std::memory_order_release);
  });
}

}  // namespace hpsweep::store
