// oxwire — the one message model of the .msg (MS-OXMSG) and TNEF (MS-OXTNEF) codecs: a property
// bag with recipients and attachments, an attachment optionally holding an embedded message, and
// the named-property map that gives ids 0x8000 and up their names; with the everyday facts of a
// message as UTF-8 (string properties whatever their type, attachment names and contents).
//
//   oxwire::mapi::message m;
//   m.properties.set(oxwire::mapi::prop::PidTagSubject, u"Hello");
//   m.recipients.push_back({});
//   m.recipients[0].properties.set(oxwire::mapi::prop::PidTagDisplayName, u"Anna");
//   auto subject = oxwire::mapi::text_of(m.properties, 0x0037,
//   oxwire::mapi::codepage_of(m.properties));
//
// Nothing here knows a container format. Bags are not bound to `names` (a copied message would
// point at the old map): call `bag.names(&m.names)` for typed access to named properties.
#pragma once

#include <oxwire/core/error.hpp>
#include <oxwire/core/guid.hpp>
#include <oxwire/core/utf16.hpp>
#include <oxwire/gen/mapi/prop_tags.hpp>
#include <oxwire/mapi/error.hpp>
#include <oxwire/mapi/property_bag.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oxwire::mapi {

/// The interface identifiers in front of a PtypObject value (MS-OXTNEF 2.1.3.4): IID_IMessage
/// {00020307-0000-0000-C000-000000000046} for an embedded message, IID_IStorage
/// {0000000B-0000-0000-C000-000000000046} for an OLE storage (a compound file follows).
inline constexpr oxwire::guid IID_IMessage =
    oxwire::guid::from_string("{00020307-0000-0000-C000-000000000046}");
inline constexpr oxwire::guid IID_IStorage =
    oxwire::guid::from_string("{0000000B-0000-0000-C000-000000000046}");

struct message;

/// MS-OXCMSG 2.2.1 Recipient object: its properties (PidTagRecipientType, PidTagDisplayName, ...).
struct recipient {
  property_bag properties;
  friend bool operator==(const recipient&, const recipient&) = default;
};

/// MS-OXCMSG 2.2.2 Attachment object: its properties (PidTagAttachLongFilename,
/// PidTagAttachDataBinary, ...) and, for PidTagAttachMethod afEmbeddedMessage, the message (whose
/// PidTagAttachDataObject value is then not kept in the bag).
struct attachment {
  property_bag properties;
  std::optional<boxed<message>> embedded;
  friend bool operator==(const attachment& a, const attachment& b);
};

/// MS-OXCMSG 2.2.1 Message object. Equality compares the objects, not the name maps.
struct message {
  property_bag properties;
  std::vector<recipient> recipients;
  std::vector<attachment> attachments;
  named_property_map names;  // property ids >= 0x8000 in the bags above
  friend bool operator==(const message& a, const message& b) {
    return a.properties == b.properties && a.recipients == b.recipients &&
           a.attachments == b.attachments;
  }
};

inline bool operator==(const attachment& a, const attachment& b) {
  return a.properties == b.properties && a.embedded == b.embedded;
}

namespace detail {
// Windows-1252 0x80-0x9F (the rest of the code page is Latin-1); 0 marks an unassigned byte.
inline constexpr std::array<char16_t, 32> cp1252_high{
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
}  // namespace detail

/// The code page of a bag's PtypString8 values: PidTagMessageCodepage, else
/// PidTagInternetCodepage, else 1252.
[[nodiscard]] inline std::uint32_t codepage_of(const property_bag& bag) {
  for (std::uint32_t tag : {0x3FFD0003u, 0x3FDE0003u})
    if (const auto* v = bag.find(property_tag{tag}))
      return static_cast<std::uint32_t>(*v->get_if<PropertyType::PtypInteger32>());
  return 1252;
}

/// An 8-bit string in `codepage` as UTF-8: as it is for UTF-8 (65001) and for bytes that already
/// are valid UTF-8; Windows-1252, Latin-1 (28591) and US-ASCII (20127) decoded; other code pages
/// give their ASCII and U+FFFD for each other byte.
[[nodiscard]] inline std::string string8_to_utf8(std::string_view s, std::uint32_t codepage) {
  if (codepage == 65001 || utf16::from_utf8(s)) return std::string(s);
  std::u16string wide;
  wide.reserve(s.size());
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    char16_t u = c;
    if (c >= 0x80 && c < 0xA0 && codepage == 1252) u = detail::cp1252_high[c - 0x80];
    if (c >= 0x80 && ((codepage != 1252 && codepage != 28591) || u == 0)) u = 0xFFFD;
    wide.push_back(u);
  }
  return utf16::to_utf8(wide, utf16::policy::replace).value();
}

/// A string property (PtypString, or PtypString8 in `codepage`) as UTF-8, whichever type the
/// bag holds it in: `text_of(m.properties, 0x0037, codepage_of(m.properties))` is the subject.
/// Lone surrogates become U+FFFD.
[[nodiscard]] inline std::optional<std::string> text_of(const property_bag& bag, std::uint16_t id,
                                                        std::uint32_t codepage) {
  if (const auto* v = bag.find(property_tag::make(id, PropertyType::PtypString)))
    return utf16::to_utf8(*v->get_if<PropertyType::PtypString>(), utf16::policy::replace).value();
  const auto* v = bag.find(property_tag::make(id, PropertyType::PtypString8));
  if (!v) return std::nullopt;
  return string8_to_utf8(*v->get_if<PropertyType::PtypString8>(), codepage);
}

/// The file name of an attachment: PidTagAttachLongFilename, else PidTagAttachFilename (the 8.3
/// name), else PidTagDisplayName; empty when it has none.
[[nodiscard]] inline std::string attachment_name(const attachment& a, std::uint32_t codepage) {
  for (const std::uint16_t id : {prop::PidTagAttachLongFilename.id, prop::PidTagAttachFilename.id,
                                 prop::PidTagDisplayName.id})
    if (auto s = text_of(a.properties, id, codepage); s && !s->empty()) return *s;
  return {};
}

/// The contents of an attachment: PidTagAttachDataBinary of a by-value one, or the bytes after the
/// interface identifier of a PidTagAttachDataObject that is not an embedded message (an OLE
/// storage, MS-OXTNEF 2.1.3.4); empty for an embedded message or an attachment without data.
[[nodiscard]] inline bytes_view attachment_data(const attachment& a) {
  if (auto d = a.properties.get(prop::PidTagAttachDataBinary)) return *d;
  if (auto o = a.properties.get(prop::PidTagAttachDataObject); o && o->size() >= 16)
    return o->subspan(16);
  return {};
}

namespace detail {
/// The id `map` gives `n`, if any.
[[nodiscard]] inline std::optional<std::uint16_t> id_of(const named_property_map& map,
                                                        const property_name& n) {
  return n.Kind == name_kind::lid ? map.find(n.GUID, n.LID) : map.find(n.GUID, n.Name);
}

/// `bag` with each named property's id in `from` replaced by the id of its name in `to` (added
/// under the lowest free id when `to` lacks it).
[[nodiscard]] inline result<void> retag(property_bag& bag, const named_property_map& from,
                                        named_property_map& to) {
  property_bag out;
  for (const auto& [tag, value] : bag) {
    property_tag t = tag;
    if (tag.id() >= 0x8000) {
      const property_name* n = from.name_of(tag.id());
      if (!n) [[unlikely]]
        return error{errc::unresolved_named_property, 0, "named property id"};
      auto id = id_of(to, *n);
      for (std::uint32_t free = 0x8000; !id && free <= 0xFFFF; ++free)
        if (!to.name_of(static_cast<std::uint16_t>(free))) {
          id = static_cast<std::uint16_t>(free);
          to.add(*n, *id);
        }
      if (!id) [[unlikely]]
        return error{errc::unresolved_named_property, 0, "named property map full"};
      t = property_tag::make(*id, tag.type());
    }
    if (auto r = out.set(t, value); !r) [[unlikely]]
      return r;
  }
  bag = std::move(out);
  return {};
}

[[nodiscard]] inline result<void> unify_embedded(message& m, named_property_map& top) {
  for (auto& a : m.attachments) {
    if (!a.embedded) continue;
    message& e = **a.embedded;
    if (auto r = retag(e.properties, e.names, top); !r) [[unlikely]]
      return r;
    for (auto& r : e.recipients)
      if (auto ok = retag(r.properties, e.names, top); !ok) [[unlikely]]
        return ok;
    for (auto& x : e.attachments)
      if (auto ok = retag(x.properties, e.names, top); !ok) [[unlikely]]
        return ok;
    if (auto r = unify_embedded(e, top); !r) [[unlikely]]
      return r;
  }
  return {};
}

inline void share_names(message& m, const named_property_map& top) {
  for (auto& a : m.attachments)
    if (a.embedded) {
      (*a.embedded)->names = top;
      share_names(**a.embedded, top);
    }
}
}  // namespace detail

/// Removes the named properties (ids 0x8000 and up) that the map of their message does not name
/// from `m`, its recipients, attachments and embedded messages; returns how many it removed.
inline std::size_t drop_unnamed(message& m) {
  std::size_t n = 0;
  const auto drop = [&](property_bag& bag) {
    for (const property_tag t : bag.tags())
      if (t.id() >= 0x8000 && !m.names.name_of(t.id())) n += bag.erase(t) ? 1 : 0;
  };
  drop(m.properties);
  for (auto& r : m.recipients) drop(r.properties);
  for (auto& a : m.attachments) {
    drop(a.properties);
    if (a.embedded) n += drop_unnamed(**a.embedded);
  }
  return n;
}

/// One name map for a message and all its embedded messages, as MS-OXMSG 2.2.3 has it (a TNEF
/// stream carries its own names, MS-OXTNEF 2.1.3.4): every named property of an embedded message
/// gets the id its name has in `m.names` (a name `m.names` lacks is added under the lowest free
/// id), and every embedded message's `names` becomes a copy of `m.names`.
/// errc::unresolved_named_property (offset 0) for an id >= 0x8000 its message's map does not name.
[[nodiscard]] inline result<void> unify_names(message& m) {
  if (auto r = detail::unify_embedded(m, m.names); !r) [[unlikely]]
    return r;
  detail::share_names(m, m.names);
  return {};
}

}  // namespace oxwire::mapi
