#pragma once
/// The one byte codec of hpsweep: messages between ranks and journal records. All ranks run the
/// same binary on the same kind of machine, so values travel in native byte order. Reading past
/// the end, or a count larger than what is left, throws (core::Error): never zeros, never an
/// allocation sized by a crafted count.

#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "hpsweep/core/error.hpp"

namespace hpsweep::core::wire {

using Bytes = std::vector<std::byte>;

class Writer {
 public:
  template <typename T>
    requires std::is_trivially_copyable_v<T>
  Writer& put(const T& value) {
    const auto* p = reinterpret_cast<const std::byte*>(&value);
    bytes_.insert(bytes_.end(), p, p + sizeof(T));
    return *this;
  }
  Writer& put(const std::string& text) {
    put<std::uint64_t>(text.size());
    const auto* p = reinterpret_cast<const std::byte*>(text.data());
    bytes_.insert(bytes_.end(), p, p + text.size());
    return *this;
  }
  /// A length-prefixed block of bytes (e.g. another codec's output).
  Writer& put(const Bytes& block) {
    put<std::uint64_t>(block.size());
    bytes_.insert(bytes_.end(), block.begin(), block.end());
    return *this;
  }
  Writer& put(const std::vector<double>& values) {
    put<std::uint64_t>(values.size());
    const auto* p = reinterpret_cast<const std::byte*>(values.data());
    bytes_.insert(bytes_.end(), p, p + values.size() * sizeof(double));
    return *this;
  }
  [[nodiscard]] Bytes take() { return std::move(bytes_); }

 private:
  Bytes bytes_;
};

class Reader {
 public:
  explicit Reader(const Bytes& bytes) : bytes_(bytes) {}
  template <typename T>
    requires std::is_trivially_copyable_v<T>
  T get() {
    T value;
    std::memcpy(&value, take(sizeof(T)), sizeof(T));
    return value;
  }
  std::string get_string() {
    const auto n = get<std::uint64_t>();
    const auto* p = take(n);
    return std::string(reinterpret_cast<const char*>(p), n);
  }
  std::vector<double> get_doubles() {
    const auto n = get<std::uint64_t>();
    // The count against what is left, before allocating: a crafted count cannot allocate.
    if (n > (bytes_.size() - offset_) / sizeof(double)) truncated();
    std::vector<double> values(n);
    if (n > 0) std::memcpy(values.data(), take(n * sizeof(double)), n * sizeof(double));
    return values;
  }
  Bytes get_bytes() {
    const auto n = get<std::uint64_t>();
    const auto* p = take(n);
    return Bytes(p, p + n);
  }
  /// Whether every byte has been read: lets a decoder accept fields appended in later versions.
  [[nodiscard]] bool at_end() const noexcept { return offset_ == bytes_.size(); }
  /// Bytes not read yet: a decoder checks a count against them before reserving anything.
  [[nodiscard]] std::size_t remaining() const noexcept { return bytes_.size() - offset_; }

 private:
  [[noreturn]] static void truncated() {
    throw core::Error("truncated message between ranks", core::ExitCode::kInternal);
  }
  const std::byte* take(std::size_t n) {
    if (n > bytes_.size() - offset_) truncated();  // no overflow: offset_ <= size
    const std::byte* p = bytes_.data() + offset_;
    offset_ += n;
    return p;
  }
  const Bytes& bytes_;
  std::size_t offset_ = 0;
};

}  // namespace hpsweep::core::wire
