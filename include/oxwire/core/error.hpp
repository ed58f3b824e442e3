// oxwire — one error type for every decoder: what went wrong, a short reason and the byte offset.
#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace oxwire {

/// Error conditions of the core layer. Other areas (wbxml, mapi, rop, ...) define their own enums
/// with their own category; all of them travel in `oxwire::error`.
enum class errc : int {
  truncated = 1,           // input ended before the structure did
  buffer_too_small,        // an encoder's output buffer is full
  limit_exceeded,          // a configured size, count or depth limit was reached
  out_of_range,            // a value is outside what the format allows
  odd_length,              // UTF-16 byte count is odd
  lone_surrogate,          // UTF-16 surrogate without its partner
  invalid_utf8,            // malformed, overlong, surrogate or > U+10FFFF UTF-8
  invalid_base64,          // a character outside the alphabet
  invalid_base64_padding,  // '=' where it may not stand, or missing
  invalid_base64_length,   // length not possible for base64 text
  invalid_hex,             // not a hex digit, or an odd number of digits
  invalid_guid,            // not a GUID in registry or braced form
  invalid_argument,        // caller passed an impossible combination
};

}  // namespace oxwire

template <>
struct boost::system::is_error_code_enum<oxwire::errc> : std::true_type {};

namespace oxwire {

namespace detail {
class core_category_impl final : public boost::system::error_category {
 public:
  constexpr core_category_impl() noexcept : error_category(0x6f78776972650001ULL) {}
  const char* name() const noexcept override { return "oxwire.core"; }
  std::string message(int ev) const override { return message(ev, nullptr, 0); }
  const char* message(int ev, char*, std::size_t) const noexcept override {
    switch (static_cast<errc>(ev)) {
      case errc::truncated: return "truncated input";
      case errc::buffer_too_small: return "output buffer too small";
      case errc::limit_exceeded: return "limit exceeded";
      case errc::out_of_range: return "value out of range";
      case errc::odd_length: return "odd UTF-16 byte count";
      case errc::lone_surrogate: return "lone UTF-16 surrogate";
      case errc::invalid_utf8: return "invalid UTF-8";
      case errc::invalid_base64: return "invalid base64 character";
      case errc::invalid_base64_padding: return "invalid base64 padding";
      case errc::invalid_base64_length: return "invalid base64 length";
      case errc::invalid_hex: return "invalid hex";
      case errc::invalid_guid: return "invalid GUID";
      case errc::invalid_argument: return "invalid argument";
    }
    return "unknown oxwire.core error";
  }
};
inline constexpr core_category_impl core_category_instance{};
}  // namespace detail

namespace detail {
/// The error_category of an area's error enum E (mapi::errc, wbxml::errc, ...): `describe(E)`,
/// found next to E, names each value. `inline constexpr enum_category<errc> cat{id, "oxwire.x"};`
template <class E>
class enum_category final : public boost::system::error_category {
 public:
  constexpr enum_category(unsigned long long id, const char* name) noexcept
      : error_category(id), name_(name) {}
  const char* name() const noexcept override { return name_; }
  std::string message(int ev) const override { return message(ev, nullptr, 0); }
  const char* message(int ev, char*, std::size_t) const noexcept override {
    return describe(static_cast<E>(ev));
  }

 private:
  const char* name_;
};
}  // namespace detail

[[nodiscard]] inline const boost::system::error_category& core_category() noexcept {
  return detail::core_category_instance;
}

[[nodiscard]] inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), core_category()};
}

/// What every decoder returns on failure: the condition, a static string naming the field or
/// rule that failed (never owned, never null), and the byte offset in the input where it failed.
struct error {
  boost::system::error_code code;
  std::size_t offset = 0;
  const char* what = "";

  error() = default;
  template <class E, class = std::enable_if_t<boost::system::is_error_code_enum<E>::value>>
  error(E e, std::size_t at, const char* context = "") noexcept
      : code(make_error_code(e)), offset(at), what(context) {}
  error(boost::system::error_code ec, std::size_t at, const char* context = "") noexcept
      : code(ec), offset(at), what(context) {}

  /// "invalid base64 character (quantum 3) at offset 14"
  [[nodiscard]] std::string message() const {
    std::string s = code.message();
    if (*what) (s += " (") += what, s += ')';
    return s + " at offset " + std::to_string(offset);
  }
  friend bool operator==(const error& a, const error& b) noexcept {
    return a.code == b.code && a.offset == b.offset;
  }
};

/// Thrown only by `result<T>::value()` on an error; decoders themselves never throw.
class decode_error : public std::runtime_error {
 public:
  explicit decode_error(const error& e) : std::runtime_error(e.message()), error_(e) {}
  [[nodiscard]] const oxwire::error& error() const noexcept { return error_; }

 private:
  oxwire::error error_;
};

[[noreturn]] inline void throw_exception_from_error(const error& e, const boost::source_location&) {
  throw decode_error(e);
}

/// The one result type: a value or an `oxwire::error`.
template <class T>
using result = boost::system::result<T, error>;

}  // namespace oxwire
