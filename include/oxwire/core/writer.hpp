// oxwire — little-endian writers, the base of every binary encoder: `writer` fills a fixed buffer,
// `vector_writer` appends to a std::vector. Both are `basic_writer` over a different sink.
//
//   std::vector<std::uint8_t> out;
//   oxwire::vector_writer w(out);
//   auto size_at = w.reserve_at<std::uint16_t>("RopSize");   // MS-OXCRPC 3.1.4.2.1.1
//   ... write the ROPs ...
//   w.patch<std::uint16_t>(*size_at, static_cast<std::uint16_t>(w.size() - *size_at));
//
// A fixed buffer that is full gives errc::buffer_too_small at the offset where the write would
// start; nothing is written and the size does not change.
#pragma once

#include <oxwire/core/bytes.hpp>
#include <oxwire/core/error.hpp>
#include <oxwire/core/reader.hpp>  // wire_scalar, detail::store_le

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>
#include <vector>

namespace oxwire {

namespace detail {

/// A fixed caller-owned buffer; `extend` fails (nullptr) when n more bytes do not fit.
class span_sink {
 public:
  explicit span_sink(mutable_bytes buffer) noexcept : buffer_(buffer) {}
  [[nodiscard]] std::uint8_t* extend(std::size_t n) noexcept {
    if (buffer_.size() - size_ < n) return nullptr;
    std::uint8_t* p = buffer_.data() + size_;
    size_ += n;
    return p;
  }
  [[nodiscard]] std::uint8_t* data() const noexcept { return buffer_.data(); }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

 private:
  mutable_bytes buffer_;
  std::size_t size_ = 0;
};

/// A caller-owned vector that grows; `extend` never fails (std::bad_alloc aside).
class vector_sink {
 public:
  explicit vector_sink(std::vector<std::uint8_t>& out) noexcept : out_(&out) {}
  [[nodiscard]] std::uint8_t* extend(std::size_t n) {
    const std::size_t old = out_->size();
    out_->resize(old + n);
    return out_->data() + old;
  }
  [[nodiscard]] std::uint8_t* data() const noexcept { return out_->data(); }
  [[nodiscard]] std::size_t size() const noexcept { return out_->size(); }

 private:
  std::vector<std::uint8_t>* out_;
};

}  // namespace detail

/// A little-endian writer over `Sink` (detail::span_sink or detail::vector_sink). Positions count
/// from the start of the sink's buffer.
template <class Sink>
class basic_writer {
 public:
  /// True when writing cannot throw (a fixed buffer; a vector may throw std::bad_alloc).
  static constexpr bool nothrow = noexcept(std::declval<Sink&>().extend(0));

  /// `oxwire::writer w(buffer);` or `oxwire::vector_writer w(vec);` (appends to vec).
  template <class... A>
  requires std::constructible_from<Sink, A&&...>
  explicit basic_writer(A&&... a) noexcept(std::is_nothrow_constructible_v<Sink, A&&...>)
      : sink_(std::forward<A>(a)...) {}

  /// Bytes in the buffer so far: `w.size()`.
  [[nodiscard]] std::size_t size() const noexcept { return sink_.size(); }
  /// The first byte of the buffer.
  [[nodiscard]] const std::uint8_t* data() const noexcept { return sink_.data(); }
  /// The bytes written so far: `send(w.written());`.
  [[nodiscard]] bytes_view written() const noexcept { return {sink_.data(), sink_.size()}; }

  /// Appends v little-endian; the type is explicit, never deduced:
  /// `w.write<std::uint32_t>(flags, "OpenFlags")`.
  template <wire_scalar T>
  [[nodiscard]] result<void> write(std::type_identity_t<T> v,
                                   const char* what = "") noexcept(nothrow) {
    std::uint8_t* p = sink_.extend(sizeof(T));
    if (!p) [[unlikely]]
      return too_small(what);
    detail::store_le<T>(p, v);
    return {};
  }

  /// Appends raw bytes: `w.write_bytes(entry_id, "EntryId")`.
  [[nodiscard]] result<void> write_bytes(bytes_view b, const char* what = "") noexcept(nothrow) {
    if (b.empty()) return {};
    std::uint8_t* p = sink_.extend(b.size());
    if (!p) [[unlikely]]
      return too_small(what);
    std::memcpy(p, b.data(), b.size());
    return {};
  }

  /// Appends n copies of `byte`: `w.fill(3, 0, "Padding")`.
  [[nodiscard]] result<void> fill(std::size_t n, std::uint8_t byte,
                                  const char* what = "") noexcept(nothrow) {
    if (n == 0) return {};
    std::uint8_t* p = sink_.extend(n);
    if (!p) [[unlikely]]
      return too_small(what);
    std::memset(p, byte, n);
    return {};
  }

  /// Appends n uninitialised bytes and returns where they start, for encoders that write a run
  /// of tokens after one capacity check: `auto q = w.claim(n, "tag"); if (q) std::memcpy(*q, ...)`.
  /// The caller writes all n bytes before the next call on `w`.
  [[nodiscard]] result<std::uint8_t*> claim(std::size_t n,
                                            const char* what = "") noexcept(nothrow) {
    if (n == 0) return sink_.data() + sink_.size();
    std::uint8_t* p = sink_.extend(n);
    if (!p) [[unlikely]]
      return too_small(what);
    return p;
  }

  /// Appends a zero T to fill in later with `patch`, and returns its position:
  /// `auto at = w.reserve_at<std::uint16_t>("RopSize");`.
  template <wire_scalar T>
  [[nodiscard]] result<std::size_t> reserve_at(const char* what = "") noexcept(nothrow) {
    const std::size_t at = size();
    if (auto r = write<T>(T{}, what); !r) [[unlikely]]
      return r.error();
    return at;
  }

  /// Overwrites the T at `pos` (a position from `reserve_at`):
  /// `w.patch<std::uint16_t>(at, size)`. errc::invalid_argument if it lies past what was written.
  template <wire_scalar T>
  [[nodiscard]] result<void> patch(std::size_t pos, std::type_identity_t<T> v,
                                   const char* what = "") noexcept {
    if (pos > size() || size() - pos < sizeof(T)) [[unlikely]]
      return error{errc::invalid_argument, pos, what};
    detail::store_le<T>(sink_.data() + pos, v);
    return {};
  }

 private:
  [[nodiscard]] error too_small(const char* what) const noexcept {
    return {errc::buffer_too_small, size(), what};
  }

  Sink sink_;
};

/// Writes into a fixed buffer: `std::array<std::uint8_t, 64> buf; oxwire::writer w(buf);`.
using writer = basic_writer<detail::span_sink>;
/// Appends to a vector it does not own: `std::vector<std::uint8_t> v; oxwire::vector_writer w(v);`.
using vector_writer = basic_writer<detail::vector_sink>;

}  // namespace oxwire
