// oxwire — plain text encapsulated in RTF (MS-OXRTFEX 2.1.3.1.2, \fromtext), the form in which a
// text body goes where RTF is asked for (PidTagRtfCompressed, an ActiveSync body of Type 3).
//
// The header names \fromtext among its first control words, so deencapsulate() gives the text
// back: every line break is a \par (it comes back as CRLF), a TAB a \tab, \, { and } are escaped,
// and each character beyond ASCII is a \uN (UTF-16, a surrogate pair as two) with "?" as its
// one-character fallback (\uc1). Other C0 controls are left out; invalid UTF-8 is U+FFFD.
//
//   std::string rtf = oxwire::rtf::encapsulate_text("Hello,\r\nworld");
//   auto packed = oxwire::rtf::compress(oxwire::as_bytes(rtf));     // PidTagRtfCompressed
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace oxwire::rtf {

namespace detail {

/// The code point at s[i] (UTF-8), advancing i; U+FFFD for an invalid or truncated sequence.
[[nodiscard]] inline char32_t next_code_point(std::string_view s, std::size_t& i) noexcept {
  const auto b = static_cast<unsigned char>(s[i++]);
  if (b < 0x80) return b;
  const int extra = b >= 0xF0 && b < 0xF5 ? 3 : b >= 0xE0 ? 2 : b >= 0xC2 && b < 0xE0 ? 1 : -1;
  if (extra < 0) return 0xFFFD;
  char32_t c = b & (0x3F >> extra);
  for (int k = 0; k < extra; ++k) {
    if (i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) return 0xFFFD;
    c = (c << 6) | (static_cast<unsigned char>(s[i++]) & 0x3F);
  }
  const bool overlong = (extra == 2 && c < 0x800) || (extra == 3 && c < 0x10000);
  if (overlong || c > 0x10FFFF || (c >= 0xD800 && c < 0xE000)) return 0xFFFD;
  return c;
}

inline void append_u(std::string& out, std::uint16_t unit) {
  out += "\\u";
  out += std::to_string(unit > 0x7FFF ? int{unit} - 0x10000 : int{unit});  // RTF: signed 16-bit
  out += '?';
}

}  // namespace detail

/// `text` (UTF-8) as an RTF document that encapsulates it (\fromtext).
[[nodiscard]] inline std::string encapsulate_text(std::string_view text) {
  std::string out =
      "{\\rtf1\\ansi\\ansicpg1252\\fromtext \\deff0{\\fonttbl{\\f0\\fswiss\\fcharset0 Arial;}}\r\n"
      "\\uc1\\pard\\plain\\f0\\fs20 ";
  out.reserve(out.size() + text.size() + text.size() / 8 + 2);
  for (std::size_t i = 0; i < text.size();) {
    const char32_t c = detail::next_code_point(text, i);
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i < text.size() && text[i] == '\n') ++i;  // CRLF is one break
      out += "\\par\r\n";
    } else if (c == '\t') {
      out += "\\tab ";
    } else if (c == '\\' || c == '{' || c == '}') {
      (out += '\\') += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7F) {
      continue;  // no RTF text form
    } else if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x10000) {
      detail::append_u(out, static_cast<std::uint16_t>(c));
    } else {
      const char32_t v = c - 0x10000;
      detail::append_u(out, static_cast<std::uint16_t>(0xD800 + (v >> 10)));
      detail::append_u(out, static_cast<std::uint16_t>(0xDC00 + (v & 0x3FF)));
    }
  }
  out += "}";
  return out;
}

}  // namespace oxwire::rtf
