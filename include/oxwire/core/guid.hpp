// oxwire — GUID (MS-DTYP 2.3.4): registry string form, 16-byte wire form, ordering and hashing.
//
//   constexpr auto PS_PUBLIC_STRINGS =
//       oxwire::guid::from_string("{00020329-0000-0000-C000-000000000046}");
//   auto g = oxwire::guid::parse(text);          // result<guid>
//   oxwire::encode(w, g);                        // 29 03 02 00 00 00 00 00 C0 00 ... 46
//   oxwire::decode(in, g);
//
// Ordering is by Data1, Data2, Data3, Data4: the order of the canonical (uppercase, braced)
// strings, so tables sorted by their GUID text can be searched by GUID value.
#pragma once

#include <oxwire/core/bytes.hpp>
#include <oxwire/core/error.hpp>
#include <oxwire/core/hex.hpp>
#include <oxwire/core/reader.hpp>
#include <oxwire/core/writer.hpp>

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace oxwire {

/// MS-DTYP 2.3.4 GUID; members as the spec names them.
struct guid {
  std::uint32_t Data1 = 0;
  std::uint16_t Data2 = 0;
  std::uint16_t Data3 = 0;
  std::array<std::uint8_t, 8> Data4{};

  /// Bytes of the packet representation (MS-DTYP 2.3.4.2).
  static constexpr std::size_t wire_size = 16;

  /// Parses the registry form, braces optional, hex digits of either case (MS-DTYP 2.3.4.3):
  /// `guid::parse("{00020329-0000-0000-C000-000000000046}")`. errc::invalid_guid at the first
  /// character that does not fit, or at the end of a string that stops short. Usable in constant
  /// expressions on valid input.
  [[nodiscard]] static constexpr result<guid> parse(std::string_view text) noexcept;

  /// `parse` for literals in tables: `constexpr guid g = guid::from_string("{...}");` does not
  /// compile if the string is not a GUID. At run time a bad string throws oxwire::decode_error.
  [[nodiscard]] static constexpr guid from_string(std::string_view text);

  /// The registry form, uppercase and braced: "{00020329-0000-0000-C000-000000000046}".
  [[nodiscard]] std::string to_string() const;

  friend constexpr auto operator<=>(const guid&, const guid&) noexcept = default;
};

namespace detail {

/// What parsing a GUID string found: the value, or where and why it stopped.
struct guid_parse_outcome {
  guid value{};
  std::size_t error_at = std::string_view::npos;
  const char* what = "";
};

[[nodiscard]] constexpr guid_parse_outcome parse_guid(std::string_view s) noexcept {
  guid_parse_outcome out;
  std::size_t i = s.starts_with('{') ? 1 : 0;
  const auto fail = [&](const char* what) {
    out.error_at = i < s.size() ? i : s.size();
    out.what = i < s.size() ? what : "GUID too short";
    return out;
  };
  // `n` hex digits, most significant first.
  const auto digits = [&](int n, std::uint64_t& v) {
    for (; n > 0; --n, ++i) {
      const int d = i < s.size() ? hex_digit(s[i]) : -1;
      if (d < 0) return false;
      v = v << 4 | static_cast<std::uint64_t>(d);
    }
    return true;
  };
  const auto dash = [&] { return i < s.size() && s[i] == '-' ? (++i, true) : false; };

  std::uint64_t d1 = 0, d2 = 0, d3 = 0, d4a = 0, d4b = 0;  // 8-4-4-4-12 digits
  if (!digits(8, d1)) return fail("GUID hex digit");
  if (!dash()) return fail("GUID '-'");
  if (!digits(4, d2)) return fail("GUID hex digit");
  if (!dash()) return fail("GUID '-'");
  if (!digits(4, d3)) return fail("GUID hex digit");
  if (!dash()) return fail("GUID '-'");
  if (!digits(4, d4a)) return fail("GUID hex digit");
  if (!dash()) return fail("GUID '-'");
  if (!digits(12, d4b)) return fail("GUID hex digit");
  if (s.starts_with('{')) {
    if (i >= s.size() || s[i] != '}') return fail("GUID '}'");
    ++i;
  }
  if (i != s.size()) return fail("GUID trailing characters");

  out.value.Data1 = static_cast<std::uint32_t>(d1);
  out.value.Data2 = static_cast<std::uint16_t>(d2);
  out.value.Data3 = static_cast<std::uint16_t>(d3);
  const std::uint64_t d4 = d4a << 48 | d4b;  // Data4 in string order
  for (std::size_t k = 0; k < 8; ++k)
    out.value.Data4[k] = static_cast<std::uint8_t>(d4 >> (56 - 8 * k));
  return out;
}

/// Not constexpr on purpose: reaching it while evaluating a constant is a compile error.
[[noreturn]] inline void invalid_guid_literal(const guid_parse_outcome& p) {
  throw decode_error(error{errc::invalid_guid, p.error_at, p.what});
}

}  // namespace detail

constexpr result<guid> guid::parse(std::string_view text) noexcept {
  const detail::guid_parse_outcome p = detail::parse_guid(text);
  if (p.error_at != std::string_view::npos) return error{errc::invalid_guid, p.error_at, p.what};
  return p.value;
}

constexpr guid guid::from_string(std::string_view text) {
  const detail::guid_parse_outcome p = detail::parse_guid(text);
  if (p.error_at != std::string_view::npos) detail::invalid_guid_literal(p);
  return p.value;
}

inline std::string guid::to_string() const {
  std::string s(38, '\0');
  std::size_t i = 0;
  const auto put = [&](std::uint64_t v, int n) {  // n hex digits of v
    while (n-- > 0) s[i++] = detail::hex_upper[(v >> (4 * n)) & 0xF];
  };
  s[i++] = '{';
  put(Data1, 8), s[i++] = '-';
  put(Data2, 4), s[i++] = '-';
  put(Data3, 4), s[i++] = '-';
  put(Data4[0], 2), put(Data4[1], 2), s[i++] = '-';
  for (std::size_t k = 2; k < 8; ++k) put(Data4[k], 2);
  s[i] = '}';
  return s;
}

/// Reads a GUID in its packet representation (MS-DTYP 2.3.4.2: Data1, Data2, Data3
/// little-endian, then Data4): `guid g; if (auto r = decode(in, g, "PropertySet"); !r) ...`.
/// On failure `out` and the reader are unchanged.
[[nodiscard]] inline result<void> decode(reader& in, guid& out,
                                         const char* what = "GUID") noexcept {
  const result<bytes_view> b = in.bytes(guid::wire_size, what);
  if (!b) [[unlikely]]
    return b.error();
  const std::uint8_t* p = b->data();
  out.Data1 = detail::load_le<std::uint32_t>(p);
  out.Data2 = detail::load_le<std::uint16_t>(p + 4);
  out.Data3 = detail::load_le<std::uint16_t>(p + 6);
  for (std::size_t k = 0; k < 8; ++k) out.Data4[k] = p[8 + k];
  return {};
}

/// Writes a GUID in its packet representation (MS-DTYP 2.3.4.2), all 16 bytes or none:
/// `encode(w, PS_PUBLIC_STRINGS)`.
template <class Sink>
[[nodiscard]] result<void> encode(basic_writer<Sink>& w, const guid& g,
                                  const char* what = "GUID") noexcept(basic_writer<Sink>::nothrow) {
  std::array<std::uint8_t, guid::wire_size> b;
  detail::store_le<std::uint32_t>(b.data(), g.Data1);
  detail::store_le<std::uint16_t>(b.data() + 4, g.Data2);
  detail::store_le<std::uint16_t>(b.data() + 6, g.Data3);
  for (std::size_t k = 0; k < 8; ++k) b[8 + k] = g.Data4[k];
  return w.write_bytes(b, what);
}

}  // namespace oxwire

template <>
struct std::hash<oxwire::guid> {
  [[nodiscard]] std::size_t operator()(const oxwire::guid& g) const noexcept {
    std::uint64_t lo = 0;
    for (const std::uint8_t b : g.Data4) lo = lo << 8 | b;
    std::uint64_t h = (std::uint64_t{g.Data1} << 32 | std::uint64_t{g.Data2} << 16 | g.Data3) ^
                      lo * 0x9E3779B97F4A7C15ULL;
    h = (h ^ h >> 30) * 0xBF58476D1CE4E5B9ULL;  // splitmix64 finalizer
    return static_cast<std::size_t>(h ^ h >> 31);
  }
};
