// oxwire — the everyday facts of a decoded TNEF message as UTF-8: property text whatever its
// string type (8-bit strings are in the stream's OEM code page), attachment names and contents.
//
//   std::optional<std::string> subject = tnef::text_of(m.properties, prop::PidTagSubject.id,
//                                                      m.codepage);
//   for (const auto& a : m.attachments) save(tnef::attachment_name(a, m.codepage),
//                                            tnef::attachment_data(a));
#pragma once

#include <oxwire/core/utf16.hpp>
#include <oxwire/gen/mapi/prop_tags.hpp>
#include <oxwire/tnef/message.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace oxwire::tnef {

namespace detail {

/// Windows-1252 0x80-0x9F (the rest of the code page is Latin-1); 0 where it defines nothing.
inline constexpr std::array<char16_t, 32> cp1252_high = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

inline void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | c >> 6));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | c >> 12));
    out.push_back(static_cast<char>(0x80 | (c >> 6 & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

}  // namespace detail

/// An 8-bit string of the OEM code page as UTF-8: as it is when it is valid UTF-8 (or the code
/// page is 65001), else read as Windows-1252 (Latin-1 for code pages other than 1252).
[[nodiscard]] inline std::string string8_to_utf8(std::string_view s, oem_codepage cp) {
  if (cp.primary == 65001 || utf16::from_utf8(s)) return std::string(s);
  std::string out;
  out.reserve(s.size() * 2);
  for (const char ch : s) {
    const auto b = static_cast<unsigned char>(ch);
    char32_t c = b;
    if (cp.primary == 1252 && b >= 0x80 && b < 0xA0 && detail::cp1252_high[b - 0x80])
      c = detail::cp1252_high[b - 0x80];
    detail::append_utf8(out, c);
  }
  return out;
}

/// The text of the string property `id` (PtypString or PtypString8) as UTF-8; lone surrogates
/// become U+FFFD.
[[nodiscard]] inline std::optional<std::string> text_of(const mapi::property_bag& bag,
                                                        std::uint16_t id, oem_codepage cp) {
  const auto* v = bag.find_id(id);
  if (!v) return std::nullopt;
  if (const auto* s8 = v->value.get_if<mapi::PropertyType::PtypString8>())
    return string8_to_utf8(*s8, cp);
  if (const auto* s = v->value.get_if<mapi::PropertyType::PtypString>()) {
    auto u = utf16::to_utf8(*s, utf16::policy::replace);
    return u ? std::move(*u) : std::string();
  }
  return std::nullopt;
}

/// The file name of an attachment: PidTagAttachLongFilename, else PidTagAttachFilename (the 8.3
/// name of attAttachTitle), else PidTagDisplayName; empty when it has none.
[[nodiscard]] inline std::string attachment_name(const attachment& a, oem_codepage cp) {
  namespace prop = mapi::prop;
  for (const std::uint16_t id : {prop::PidTagAttachLongFilename.id, prop::PidTagAttachFilename.id,
                                 prop::PidTagDisplayName.id})
    if (auto s = text_of(a.properties, id, cp); s && !s->empty()) return *s;
  return {};
}

/// The contents of an attachment: PidTagAttachDataBinary (attAttachData) of a by-value one, or the
/// bytes after the interface identifier of a PidTagAttachDataObject that is not an embedded
/// message (an OLE storage, MS-OXTNEF 2.1.3.4); empty for an embedded message or an attachment
/// without data.
[[nodiscard]] inline bytes_view attachment_data(const attachment& a) {
  if (auto d = a.properties.get(mapi::prop::PidTagAttachDataBinary)) return *d;
  if (auto o = a.properties.get(mapi::prop::PidTagAttachDataObject); o && o->size() >= 16)
    return o->subspan(16);
  return {};
}

}  // namespace oxwire::tnef
