// oxwire — bounds-checked little-endian cursor over a byte view: the base of every binary decoder
// (MS-OXCDATA, ROP buffers, TNEF, WBXML, ...).
//
//   oxwire::reader in(bytes);
//   auto rop_id = in.read<std::uint8_t>("RopId");    // result<std::uint8_t>
//   auto name = in.until_u16_nul("DisplayName");     // UTF-16LE bytes without the terminator
//
// Every failure is errc::truncated at the absolute offset of the field that does not fit (the
// cursor's own offset), names the caller's `what`, and leaves the cursor where it was. A reader is
// a (view, position) pair: copy it to save a position, assign the copy back to rewind.
#pragma once

#include <oxwire/core/bytes.hpp>
#include <oxwire/core/error.hpp>

#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

namespace oxwire {

/// Types read and written as fixed-size little-endian values: integers (not bool), and IEEE 754
/// float and double (MS-OXCDATA 2.11.1 PtypFloating32/64).
template <class T>
concept wire_scalar = (std::integral<T> && !std::same_as<T, bool>) || std::same_as<T, float> ||
                      std::same_as<T, double>;

namespace detail {

static_assert(std::numeric_limits<float>::is_iec559 && std::numeric_limits<double>::is_iec559);
static_assert(std::endian::native == std::endian::little ||
              std::endian::native == std::endian::big);

/// The unsigned integer as wide as T (the bit pattern carrier for loads and stores).
template <std::size_t N>
struct uint_of_size;
template <>
struct uint_of_size<1> {
  using type = std::uint8_t;
};
template <>
struct uint_of_size<2> {
  using type = std::uint16_t;
};
template <>
struct uint_of_size<4> {
  using type = std::uint32_t;
};
template <>
struct uint_of_size<8> {
  using type = std::uint64_t;
};

/// Wire order (little-endian) <-> host order; compiles to nothing on little-endian hosts.
template <std::unsigned_integral U>
[[nodiscard]] constexpr U to_from_le(U v) noexcept {
  if constexpr (std::endian::native == std::endian::little || sizeof(U) == 1) {
    return v;
  } else {  // std::byteswap is C++23
    U r = 0;
    for (std::size_t i = 0; i < sizeof(U); ++i, v >>= 8) r = static_cast<U>((r << 8) | (v & 0xFF));
    return r;
  }
}

/// T from the sizeof(T) little-endian bytes at p.
template <wire_scalar T>
[[nodiscard]] inline T load_le(const std::uint8_t* p) noexcept {
  typename uint_of_size<sizeof(T)>::type u;
  std::memcpy(&u, p, sizeof(T));
  return std::bit_cast<T>(to_from_le(u));
}

/// Writes v as sizeof(T) little-endian bytes at p.
template <wire_scalar T>
inline void store_le(std::uint8_t* p, T v) noexcept {
  const auto u = to_from_le(std::bit_cast<typename uint_of_size<sizeof(T)>::type>(v));
  std::memcpy(p, &u, sizeof(T));
}

}  // namespace detail

/// Bounds-checked little-endian cursor; see the top of this file.
class reader {
 public:
  constexpr reader() noexcept = default;

  /// Reads `data`; `base_offset` is where data[0] sits in the whole input, so that a reader over
  /// a part reports absolute offsets: `reader body(bytes.subspan(8), 8);`.
  constexpr explicit reader(bytes_view data, std::size_t base_offset = 0) noexcept
      : data_(data), base_(base_offset) {}

  /// Absolute offset of the next byte in the whole input: `base_offset + position()`.
  [[nodiscard]] constexpr std::size_t offset() const noexcept { return base_ + pos_; }
  /// Bytes consumed from this reader's own view.
  [[nodiscard]] constexpr std::size_t position() const noexcept { return pos_; }
  /// Bytes left: `if (in.remaining() < 4) ...`.
  [[nodiscard]] constexpr std::size_t remaining() const noexcept { return data_.size() - pos_; }
  /// True when every byte has been consumed: `if (!in.empty()) return trailing_bytes_error;`.
  [[nodiscard]] constexpr bool empty() const noexcept { return pos_ == data_.size(); }
  /// The unread bytes, without consuming them: `auto tail = in.rest();`.
  [[nodiscard]] constexpr bytes_view rest() const noexcept { return data_.subspan(pos_); }

  /// Reads one little-endian T and advances: `auto size = in.read<std::uint16_t>("RopSize");`.
  template <wire_scalar T>
  [[nodiscard]] result<T> read(const char* what = "") noexcept {
    result<T> v = peek<T>(what);
    if (v) pos_ += sizeof(T);
    return v;
  }

  /// Reads several little-endian fields at once, all or nothing:
  /// `in.read_into("PropertyTag", type, id)`. On truncation the offset is that of the first field
  /// that does not fit; the outputs and the cursor are left untouched.
  template <wire_scalar... T>
  [[nodiscard]] result<void> read_into(const char* what, T&... out) noexcept {
    constexpr std::size_t total = (sizeof(T) + ... + 0);
    if (remaining() < total) [[unlikely]] {
      std::size_t fits = 0;  // bytes of the leading fields that are complete
      (void)((fits + sizeof(T) <= remaining() ? (fits += sizeof(T), true) : false) && ...);
      return error{errc::truncated, offset() + fits, what};
    }
    ((out = detail::load_le<T>(data_.data() + pos_), pos_ += sizeof(T)), ...);
    return {};
  }

  /// `read_into` without a context string: `in.read_into(a, b, c)`.
  template <wire_scalar... T>
  [[nodiscard]] result<void> read_into(T&... out) noexcept {
    return read_into("", out...);
  }

  /// Reads one little-endian T without advancing: `auto kind = in.peek<std::uint8_t>();`.
  template <wire_scalar T>
  [[nodiscard]] result<T> peek(const char* what = "") const noexcept {
    if (remaining() < sizeof(T)) [[unlikely]]
      return truncated(what);
    return detail::load_le<T>(data_.data() + pos_);
  }

  /// Consumes a T that must equal `value` (the type is explicit, never deduced):
  /// `in.expect<std::uint32_t>(0x7A736B6C, "Signature")`. errc::out_of_range at the field if it
  /// differs; the cursor only moves on success.
  template <wire_scalar T>
  [[nodiscard]] result<void> expect(std::type_identity_t<T> value, const char* what = "") noexcept {
    const result<T> v = peek<T>(what);
    if (!v) [[unlikely]]
      return v.error();
    if (*v != value) [[unlikely]]
      return error{errc::out_of_range, offset(), what};
    pos_ += sizeof(T);
    return {};
  }

  /// The next n bytes as a view into the input, advancing: `auto blob = in.bytes(cb, "lpb");`.
  [[nodiscard]] result<bytes_view> bytes(std::size_t n, const char* what = "") noexcept {
    if (remaining() < n) [[unlikely]]
      return truncated(what);
    const bytes_view v = data_.subspan(pos_, n);
    pos_ += n;
    return v;
  }

  /// A reader over the next n bytes that reports absolute offsets; advances this one past them:
  /// `auto rops = in.sub(rop_size - 2, "RopsList");`.
  [[nodiscard]] result<reader> sub(std::size_t n, const char* what = "") noexcept {
    const std::size_t at = offset();
    const result<bytes_view> v = bytes(n, what);
    if (!v) [[unlikely]]
      return v.error();
    return reader(*v, at);
  }

  /// Skips n bytes: `in.skip(4, "Reserved")`.
  [[nodiscard]] result<void> skip(std::size_t n, const char* what = "") noexcept {
    if (remaining() < n) [[unlikely]]
      return truncated(what);
    pos_ += n;
    return {};
  }

  /// An 8-bit NUL-terminated string (MS-OXCDATA PtypString8): the bytes before the NUL, advancing
  /// past the NUL: `auto name = in.until_nul("ESSDN");`. Truncated if there is no NUL.
  [[nodiscard]] result<bytes_view> until_nul(const char* what = "") noexcept {
    const std::size_t left = remaining();
    const void* nul = left ? std::memchr(data_.data() + pos_, 0, left) : nullptr;
    if (!nul) [[unlikely]]
      return truncated(what);
    const auto n =
        static_cast<std::size_t>(static_cast<const std::uint8_t*>(nul) - data_.data()) - pos_;
    const bytes_view v = data_.subspan(pos_, n);
    pos_ += n + 1;
    return v;
  }

  /// A UTF-16LE NUL-terminated string (MS-OXCDATA PtypString): the bytes before the 2-byte NUL
  /// code unit (units counted from the cursor), advancing past it:
  /// `auto subject = in.until_u16_nul("Subject");`. Truncated if there is no NUL unit.
  [[nodiscard]] result<bytes_view> until_u16_nul(const char* what = "") noexcept {
    const std::uint8_t* p = data_.data() + pos_;
    const std::size_t units = remaining() / 2;
    for (std::size_t i = 0; i < units; ++i) {
      if ((p[2 * i] | p[2 * i + 1]) == 0) {
        const bytes_view v = data_.subspan(pos_, 2 * i);
        pos_ += 2 * i + 2;
        return v;
      }
    }
    return truncated(what);
  }

 private:
  [[nodiscard]] error truncated(const char* what) const noexcept {
    return {errc::truncated, offset(), what};
  }

  bytes_view data_{};
  std::size_t base_ = 0;
  std::size_t pos_ = 0;
};

}  // namespace oxwire
