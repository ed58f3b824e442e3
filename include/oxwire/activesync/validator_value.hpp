// oxwire — leaf value checks of the ActiveSync schema validator (MS-ASDTYPE over XSD built-ins).
//
//   auto e = oxwire::activesync::detail::check_value(rule, "2000-12-25T08:35:00.000Z");
//   // schema_errc{} when the value is valid, else what is wrong with it
#pragma once

#include <oxwire/activesync/validator_error.hpp>
#include <oxwire/gen/activesync/schema.hpp>

#include <cstdint>
#include <limits>
#include <string_view>

namespace oxwire::activesync::detail {

namespace sc = oxwire::gen::activesync::schema;

/// XSD whiteSpace="collapse" for the non-string types: leading and trailing XML blanks dropped.
[[nodiscard]] constexpr std::string_view collapse(std::string_view s) noexcept {
  constexpr std::string_view blanks = " \t\r\n";
  const auto b = s.find_first_not_of(blanks);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(blanks) - b + 1);
}

/// An xs:integer lexical value ([+-]?[0-9]+) as int64; `overflow` when it does not fit.
struct parsed_integer {
  bool ok = false, overflow = false;
  std::int64_t value = 0;
};
[[nodiscard]] constexpr parsed_integer parse_integer(std::string_view s) noexcept {
  parsed_integer r;
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) neg = s[0] == '-', s.remove_prefix(1);
  if (s.empty()) return r;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return r;
    if (v > (std::uint64_t{1} << 63) / 10) r.overflow = true;
    v = v * 10 + static_cast<unsigned>(c - '0');
    if (v > (std::uint64_t{1} << 63)) r.overflow = true;
  }
  r.ok = true;
  if (!r.overflow && !neg && v == (std::uint64_t{1} << 63)) r.overflow = true;
  if (!r.overflow) r.value = neg ? static_cast<std::int64_t>(0 - v) : static_cast<std::int64_t>(v);
  return r;
}

/// `n` digits at s[at..]; false if any is not a digit.
[[nodiscard]] constexpr bool digits(std::string_view s, std::size_t at, std::size_t n,
                                    int& out) noexcept {
  out = 0;
  if (at + n > s.size()) return false;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

/// MS-ASDTYPE 2.3: YYYY-MM-DDTHH:MM:SS[.MSS]Z, or the compact YYYYMMDDTHHMMSSZ.
[[nodiscard]] constexpr bool is_datetime(std::string_view s) noexcept {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0, ms = 0;
  const bool extended = s.size() >= 20 && s[4] == '-';
  if (extended) {
    if (!(digits(s, 0, 4, y) && s[4] == '-' && digits(s, 5, 2, mo) && s[7] == '-' &&
          digits(s, 8, 2, d) && s[10] == 'T' && digits(s, 11, 2, h) && s[13] == ':' &&
          digits(s, 14, 2, mi) && s[16] == ':' && digits(s, 17, 2, se)))
      return false;
    if (s.size() == 24 ? !(s[19] == '.' && digits(s, 20, 3, ms) && s[23] == 'Z')
                       : !(s.size() == 20 && s[19] == 'Z'))
      return false;
  } else if (!(s.size() == 16 && digits(s, 0, 4, y) && digits(s, 4, 2, mo) && digits(s, 6, 2, d) &&
               s[8] == 'T' && digits(s, 9, 2, h) && digits(s, 11, 2, mi) && digits(s, 13, 2, se) &&
               s[15] == 'Z')) {
    return false;
  }
  return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 24 && mi <= 59 && se <= 59;
}

/// xs:double: decimal with optional exponent, or INF, -INF, NaN.
[[nodiscard]] constexpr bool is_double(std::string_view s) noexcept {
  if (s == "INF" || s == "-INF" || s == "NaN") return true;
  std::size_t i = 0, mant = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) ++mant;
  if (i < s.size() && s[i] == '.')
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) ++mant;
  if (mant == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exp = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) ++exp;
    if (exp == 0) return false;
  }
  return i == s.size();
}

/// Characters (code points) of UTF-8 text: the XSD length unit.
[[nodiscard]] constexpr std::size_t code_points(std::string_view s) noexcept {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

/// [0-9]{a,b}-[0-9]{c,d} (pattern_form::digit_range: Range in Search, Find, ItemOperations).
[[nodiscard]] constexpr bool matches_range(std::string_view s,
                                           const std::uint8_t (&p)[4]) noexcept {
  const auto dash = s.find('-');
  if (dash == std::string_view::npos) return false;
  const auto run = [](std::string_view t, unsigned lo, unsigned hi) {
    if (t.size() < lo || t.size() > hi) return false;
    for (char c : t)
      if (c < '0' || c > '9') return false;
    return true;
  };
  return run(s.substr(0, dash), p[0], p[1]) && run(s.substr(dash + 1), p[2], p[3]);
}

/// [a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}
/// (pattern_form::guid: Find SearchId, MS-ASCMD 6.7).
[[nodiscard]] constexpr bool matches_guid(std::string_view s) noexcept {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? c != '-'
             : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
      return false;
  }
  return true;
}

/// Whether `text` matches the rule's xs:pattern (always, when it has none).
[[nodiscard]] constexpr bool matches_pattern(const sc::value_rule& r,
                                             std::string_view text) noexcept {
  switch (r.form) {
    case sc::pattern_form::none: return true;
    case sc::pattern_form::digit_range: return matches_range(text, r.pattern);
    case sc::pattern_form::guid: return matches_guid(text);
  }
  return false;
}

/// Checks a whole leaf value; `chars` is the full length in code points (the text itself may be
/// only a prefix when `complete` is false: long strings are counted, not kept).
[[nodiscard]] constexpr schema_errc check_value(const sc::value_rule& r, std::string_view text,
                                                std::size_t chars, bool complete) noexcept {
  using vt = sc::value_type;
  if (r.type == vt::any || r.type == vt::container) return {};
  if (r.type == vt::empty) return chars == 0 ? schema_errc{} : schema_errc::invalid_length;
  if (r.type == vt::string) {
    if ((r.min_length != sc::no_length && chars < r.min_length) ||
        (r.max_length != sc::no_length && chars > r.max_length))
      return schema_errc::invalid_length;
    if (r.form != sc::pattern_form::none && (!complete || !matches_pattern(r, text)))
      return schema_errc::pattern_mismatch;
    if (r.enum_count) {
      for (std::size_t i = 0; i < r.enum_count; ++i)
        if (complete && sc::enumerations[r.enum_first + i] == text) return {};
      return schema_errc::not_in_enumeration;
    }
    return {};
  }
  const std::string_view v = collapse(text);
  if (v.empty() && r.allow_empty && complete) return {};
  switch (r.type) {
    case vt::boolean:  // MS-ASDTYPE 2.1
      return complete && (v == "0" || v == "1") ? schema_errc{} : schema_errc::invalid_boolean;
    case vt::date_time:
      return complete && is_datetime(v) ? schema_errc{} : schema_errc::invalid_datetime;
    case vt::float64: return complete && is_double(v) ? schema_errc{} : schema_errc::invalid_double;
    default: break;
  }
  const parsed_integer n = parse_integer(v);
  if (!complete || !n.ok) return schema_errc::invalid_integer;
  std::int64_t lo = std::numeric_limits<std::int64_t>::min();
  std::int64_t hi = std::numeric_limits<std::int64_t>::max();
  switch (r.type) {
    case vt::int32: lo = -2147483648LL, hi = 2147483647LL; break;
    case vt::unsigned_byte: lo = 0, hi = 0xFF; break;
    case vt::unsigned_short: lo = 0, hi = 0xFFFF; break;
    case vt::unsigned_int: lo = 0, hi = 0xFFFFFFFFLL; break;
    default: break;  // xs:integer: unbounded
  }
  const bool bounded = r.type != vt::integer || r.has_min || r.has_max;
  if (n.overflow) return bounded ? schema_errc::integer_out_of_range : schema_errc{};
  if (n.value < lo || n.value > hi || (r.has_min && n.value < r.min_inclusive) ||
      (r.has_max && n.value > r.max_inclusive))
    return schema_errc::integer_out_of_range;
  if (r.enum_count) {  // numeric enumerations compare as values ("01" is 1)
    for (std::size_t i = 0; i < r.enum_count; ++i)
      if (const auto e = parse_integer(sc::enumerations[r.enum_first + i]);
          e.ok && e.value == n.value)
        return {};
    return schema_errc::not_in_enumeration;
  }
  return {};
}

}  // namespace oxwire::activesync::detail
