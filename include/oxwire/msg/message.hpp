// oxwire — the message model shared by the .msg (MS-OXMSG) and TNEF (MS-OXTNEF) codecs: a
// property bag with recipients and attachments, an attachment optionally holding an embedded
// message, and the named-property map that gives ids 0x8000 and up their names.
//
//   oxwire::msg::message m;
//   m.properties.set(oxwire::mapi::prop::PidTagSubject, u"Hello");
//   m.recipients.push_back({});
//   m.recipients[0].properties.set(oxwire::mapi::prop::PidTagDisplayName, u"Anna");
//
// Nothing here knows a container format. Bags are not bound to `names` (a copied message would
// point at the old map): call `bag.names(&m.names)` for typed access to named properties.
#pragma once

#include <oxwire/core/utf16.hpp>
#include <oxwire/mapi/property_bag.hpp>

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace oxwire::msg {

struct message;

/// MS-OXCMSG 2.2.1 Recipient object: its properties (PidTagRecipientType, PidTagDisplayName, ...).
struct recipient {
  mapi::property_bag properties;
  friend bool operator==(const recipient&, const recipient&) = default;
};

/// MS-OXCMSG 2.2.2 Attachment object: its properties (PidTagAttachLongFilename,
/// PidTagAttachDataBinary, ...) and, for PidTagAttachMethod afEmbeddedMessage, the message.
struct attachment {
  mapi::property_bag properties;
  std::optional<mapi::boxed<message>> embedded;
  friend bool operator==(const attachment& a, const attachment& b);
};

/// MS-OXCMSG 2.2.1 Message object.
struct message {
  mapi::property_bag properties;
  std::vector<recipient> recipients;
  std::vector<attachment> attachments;
  mapi::named_property_map names;  // property ids >= 0x8000 in the bags above
  friend bool operator==(const message& a, const message& b) {
    return a.properties == b.properties && a.recipients == b.recipients &&
           a.attachments == b.attachments;
  }
};

inline bool operator==(const attachment& a, const attachment& b) {
  return a.properties == b.properties && a.embedded == b.embedded;
}

namespace detail {
// Windows-1252 0x80-0x9F (MS-OXCMSG code pages of 8-bit strings); 0 marks an unassigned byte.
inline constexpr std::array<char16_t, 32> cp1252_high{
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
}  // namespace detail

/// The code page of a bag's PtypString8 values: PidTagMessageCodepage, else
/// PidTagInternetCodepage, else 1252.
[[nodiscard]] inline std::uint32_t codepage_of(const mapi::property_bag& bag) {
  for (std::uint32_t tag : {0x3FFD0003u, 0x3FDE0003u})
    if (const auto* v = bag.find(mapi::property_tag{tag}))
      return static_cast<std::uint32_t>(*v->get_if<mapi::PropertyType::PtypInteger32>());
  return 1252;
}

/// A string property (PtypString, or PtypString8 in `codepage`) as UTF-8, whichever type the
/// bag holds it in: `text_of(m.properties, 0x0037, codepage_of(m.properties))` is the subject.
/// 8-bit strings decode for UTF-8 (65001), US-ASCII (20127), Latin-1 (28591) and Windows-1252;
/// other code pages give their ASCII and U+FFFD for each other byte.
[[nodiscard]] inline std::optional<std::string> text_of(const mapi::property_bag& bag,
                                                        std::uint16_t id, std::uint32_t codepage) {
  using mapi::PropertyType;
  if (const auto* v = bag.find(mapi::property_tag::make(id, PropertyType::PtypString)))
    return utf16::to_utf8(*v->get_if<PropertyType::PtypString>(), utf16::policy::replace).value();
  const auto* v = bag.find(mapi::property_tag::make(id, PropertyType::PtypString8));
  if (!v) return std::nullopt;
  const std::string& s = *v->get_if<PropertyType::PtypString8>();
  if (codepage == 65001) return s;
  std::u16string wide;
  for (unsigned char c : s) {
    char16_t u = c;
    if (c >= 0x80 && codepage == 1252 && c < 0xA0) u = detail::cp1252_high[c - 0x80];
    if (c >= 0x80 && ((codepage != 1252 && codepage != 28591) || u == 0)) u = 0xFFFD;
    wide.push_back(u);
  }
  return utf16::to_utf8(wide, utf16::policy::replace).value();
}

}  // namespace oxwire::msg
