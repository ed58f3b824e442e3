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

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <iconv.h>

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

/// How the bytes of a Windows code page relate to ASCII: `sbcs` and `mbcs` keep 0x00-0x7F as
/// ASCII (one byte a character, or lead and trail bytes above 0x7F); `other` do not (EBCDIC,
/// ISO-2022 escapes, UTF-7's '+').
enum class codepage_kind : std::uint8_t { sbcs, mbcs, other };

/// A Windows code page identifier (MS-OXCMSG 2.2.1.4 PidTagMessageCodepage, MS-OXTNEF 2.1.3.3
/// attOemCodepage) and the glibc iconv name of its character set.
struct codepage_info {
  std::uint32_t codepage;
  const char* iconv_name;
  codepage_kind kind;
};

/// Every Windows code page an 8-bit string can be in that glibc iconv converts, sorted by code
/// page ([MSDN-CP] Code Page Identifiers). UTF-16/UTF-32 (1200, 1201, 12000, 12001) are not 8-bit
/// and not here; 65001 (UTF-8) is, but string8_to_utf8 and utf16_to_string8 never need iconv for
/// it.
inline constexpr codepage_info codepages[] = {
    {37, "IBM037", codepage_kind::other},         {437, "IBM437", codepage_kind::sbcs},
    {500, "IBM500", codepage_kind::other},        {708, "ISO-8859-6", codepage_kind::sbcs},
    {737, "CP737", codepage_kind::sbcs},          {775, "IBM775", codepage_kind::sbcs},
    {850, "IBM850", codepage_kind::sbcs},         {852, "IBM852", codepage_kind::sbcs},
    {855, "IBM855", codepage_kind::sbcs},         {857, "IBM857", codepage_kind::sbcs},
    {858, "IBM858", codepage_kind::sbcs},         {860, "IBM860", codepage_kind::sbcs},
    {861, "IBM861", codepage_kind::sbcs},         {862, "IBM862", codepage_kind::sbcs},
    {863, "IBM863", codepage_kind::sbcs},         {864, "IBM864", codepage_kind::sbcs},
    {865, "IBM865", codepage_kind::sbcs},         {866, "IBM866", codepage_kind::sbcs},
    {869, "IBM869", codepage_kind::sbcs},         {870, "IBM870", codepage_kind::other},
    {874, "WINDOWS-874", codepage_kind::sbcs},    {875, "IBM875", codepage_kind::other},
    {932, "CP932", codepage_kind::mbcs},          {936, "CP936", codepage_kind::mbcs},
    {949, "CP949", codepage_kind::mbcs},          {950, "CP950", codepage_kind::mbcs},
    {1026, "IBM1026", codepage_kind::other},      {1047, "IBM1047", codepage_kind::other},
    {1140, "IBM1140", codepage_kind::other},      {1141, "IBM1141", codepage_kind::other},
    {1142, "IBM1142", codepage_kind::other},      {1143, "IBM1143", codepage_kind::other},
    {1144, "IBM1144", codepage_kind::other},      {1145, "IBM1145", codepage_kind::other},
    {1146, "IBM1146", codepage_kind::other},      {1147, "IBM1147", codepage_kind::other},
    {1148, "IBM1148", codepage_kind::other},      {1149, "IBM1149", codepage_kind::other},
    {1250, "WINDOWS-1250", codepage_kind::sbcs},  {1251, "WINDOWS-1251", codepage_kind::sbcs},
    {1252, "WINDOWS-1252", codepage_kind::sbcs},  {1253, "WINDOWS-1253", codepage_kind::sbcs},
    {1254, "WINDOWS-1254", codepage_kind::sbcs},  {1255, "WINDOWS-1255", codepage_kind::sbcs},
    {1256, "WINDOWS-1256", codepage_kind::sbcs},  {1257, "WINDOWS-1257", codepage_kind::sbcs},
    {1258, "WINDOWS-1258", codepage_kind::sbcs},  {1361, "JOHAB", codepage_kind::mbcs},
    {10000, "MACINTOSH", codepage_kind::sbcs},    {10007, "MAC-CYRILLIC", codepage_kind::sbcs},
    {10017, "MAC-UK", codepage_kind::sbcs},       {10029, "MAC-CENTRALEUROPE", codepage_kind::sbcs},
    {10079, "MAC-IS", codepage_kind::sbcs},       {20127, "ASCII", codepage_kind::sbcs},
    {20273, "IBM273", codepage_kind::other},      {20277, "IBM277", codepage_kind::other},
    {20278, "IBM278", codepage_kind::other},      {20280, "IBM280", codepage_kind::other},
    {20284, "IBM284", codepage_kind::other},      {20285, "IBM285", codepage_kind::other},
    {20290, "IBM290", codepage_kind::other},      {20297, "IBM297", codepage_kind::other},
    {20420, "IBM420", codepage_kind::other},      {20423, "IBM423", codepage_kind::other},
    {20424, "IBM424", codepage_kind::other},      {20866, "KOI8-R", codepage_kind::sbcs},
    {20871, "IBM871", codepage_kind::other},      {20880, "IBM880", codepage_kind::other},
    {20905, "IBM905", codepage_kind::other},      {20932, "EUC-JP", codepage_kind::mbcs},
    {20936, "GB2312", codepage_kind::mbcs},       {21025, "IBM1025", codepage_kind::other},
    {21866, "KOI8-U", codepage_kind::sbcs},       {28591, "ISO-8859-1", codepage_kind::sbcs},
    {28592, "ISO-8859-2", codepage_kind::sbcs},   {28593, "ISO-8859-3", codepage_kind::sbcs},
    {28594, "ISO-8859-4", codepage_kind::sbcs},   {28595, "ISO-8859-5", codepage_kind::sbcs},
    {28596, "ISO-8859-6", codepage_kind::sbcs},   {28597, "ISO-8859-7", codepage_kind::sbcs},
    {28598, "ISO-8859-8", codepage_kind::sbcs},   {28599, "ISO-8859-9", codepage_kind::sbcs},
    {28603, "ISO-8859-13", codepage_kind::sbcs},  {28605, "ISO-8859-15", codepage_kind::sbcs},
    {38598, "ISO-8859-8", codepage_kind::sbcs},   {50220, "ISO-2022-JP", codepage_kind::other},
    {50221, "ISO-2022-JP", codepage_kind::other}, {50222, "ISO-2022-JP", codepage_kind::other},
    {50225, "ISO-2022-KR", codepage_kind::other}, {50227, "ISO-2022-CN", codepage_kind::other},
    {51932, "EUC-JP", codepage_kind::mbcs},       {51936, "EUC-CN", codepage_kind::mbcs},
    {51949, "EUC-KR", codepage_kind::mbcs},       {54936, "GB18030", codepage_kind::mbcs},
    {65000, "UTF-7", codepage_kind::other},       {65001, "UTF-8", codepage_kind::mbcs},
};

/// What `codepages` knows of `codepage`; nullptr for one it does not list.
[[nodiscard]] constexpr const codepage_info* find_codepage(std::uint32_t codepage) noexcept {
  const auto* it = std::ranges::lower_bound(codepages, codepage, {}, &codepage_info::codepage);
  return it != std::end(codepages) && it->codepage == codepage ? it : nullptr;
}

namespace detail {
/// This thread's iconv descriptors, one per (to, from) pair, opened on first use and closed when
/// the thread ends: an iconv_t must not be shared between threads, and opening one per call
/// costs more than most conversions.
class iconv_cache {
 public:
  iconv_cache() = default;
  iconv_cache(const iconv_cache&) = delete;
  iconv_cache& operator=(const iconv_cache&) = delete;
  ~iconv_cache() {
    for (const auto& e : entries_) ::iconv_close(e.cd);
  }
  /// The descriptor for `from` -> `to` in its initial state; (iconv_t)-1 if iconv lacks one.
  [[nodiscard]] iconv_t get(std::string_view to, std::string_view from) {
    for (const auto& e : entries_)
      if (e.to == to && e.from == from) {
        (void)::iconv(e.cd, nullptr, nullptr, nullptr, nullptr);
        return e.cd;
      }
    const iconv_t cd = ::iconv_open(std::string(to).c_str(), std::string(from).c_str());
    if (cd != reinterpret_cast<iconv_t>(-1)) entries_.push_back({to, from, cd});
    return cd;
  }

 private:
  struct entry {
    std::string_view to, from;  // string literals and `codepages` names: static storage
    iconv_t cd;
  };
  std::vector<entry> entries_;
};

/// A conversion with this thread's descriptor for `from` -> `to` (names of static storage).
class iconv_handle {
 public:
  iconv_handle(const char* to, const char* from) {
    thread_local iconv_cache cache;
    cd_ = cache.get(to, from);
  }
  [[nodiscard]] bool ok() const noexcept { return cd_ != reinterpret_cast<iconv_t>(-1); }

  /// Converts all of `in`, appending to `out`; at each input sequence iconv rejects (EILSEQ: not
  /// valid in the source, or not representable in the target; EINVAL: cut off at the end)
  /// appends `bad` and skips `skip(rest)` input bytes. A stateful target (ISO-2022-JP) is
  /// returned to its initial shift state before each `bad` (written as ASCII) and at the end.
  template <class Skip>
  void convert(std::string_view in, std::string& out, std::string_view bad, Skip skip) {
    if (in.empty()) return;
    char* src = const_cast<char*>(in.data());  // iconv's signature; it does not write there
    std::size_t src_left = in.size();
    char buffer[256];
    while (src_left != 0) {
      char* dst = buffer;
      std::size_t dst_left = sizeof buffer;
      const std::size_t r = ::iconv(cd_, &src, &src_left, &dst, &dst_left);
      const int e = errno;
      out.append(buffer, static_cast<std::size_t>(dst - buffer));
      if (r != static_cast<std::size_t>(-1) || e == E2BIG) continue;
      if (e != EILSEQ && e != EINVAL) [[unlikely]]
        break;  // not for a valid descriptor
      reset(out);
      out.append(bad);
      const std::size_t n =
          std::min(src_left, std::max<std::size_t>(1, skip(std::string_view(src, src_left))));
      src += n;
      src_left -= n;
    }
    reset(out);
  }

 private:
  /// Appends the target's return to its initial shift state (nothing for stateless ones).
  void reset(std::string& out) {
    char buffer[16];
    char* dst = buffer;
    std::size_t dst_left = sizeof buffer;
    (void)::iconv(cd_, nullptr, nullptr, &dst, &dst_left);
    out.append(buffer, static_cast<std::size_t>(dst - buffer));
  }

  iconv_t cd_ = reinterpret_cast<iconv_t>(-1);
};

// Windows-1252 0x80-0x9F (the rest of the code page is Latin-1); 0 marks an unassigned byte.
inline constexpr std::array<char16_t, 32> cp1252_high{
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

[[nodiscard]] inline bool is_ascii(std::string_view s) noexcept {
  return std::ranges::all_of(s, [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}
}  // namespace detail

/// The code page of a bag's PtypString8 values: PidTagMessageCodepage, else
/// PidTagInternetCodepage, else 1252.
[[nodiscard]] inline std::uint32_t codepage_of(const property_bag& bag) {
  for (std::uint32_t tag : {0x3FFD0003u, 0x3FDE0003u})
    if (const auto* v = bag.find(property_tag{tag}))
      return static_cast<std::uint32_t>(*v->get_if<PropertyType::PtypInteger32>());
  return 1252;
}

/// An 8-bit string in `codepage` as UTF-8: `string8_to_utf8("\xCF\xF0\xE8", 1251) == "При"`.
/// Every code page of `codepages` is decoded (Windows-1252 and Latin-1 without iconv, the others
/// through glibc iconv); a byte or sequence that is not valid in it gives one U+FFFD and decoding
/// goes on. UTF-8 (65001) and ASCII in an ASCII-compatible code page are taken as they are, and
/// so are bytes that are valid UTF-8 in a single-byte code page (writers that label UTF-8 as
/// 1252; no real text in those code pages is valid UTF-8). A code page not in the table gives
/// its ASCII and U+FFFD for every other byte. Never throws on malformed input; thread-safe.
[[nodiscard]] inline std::string string8_to_utf8(std::string_view s, std::uint32_t codepage) {
  static constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD
  const codepage_info* info = find_codepage(codepage);
  const codepage_kind kind = info ? info->kind : codepage_kind::sbcs;
  if (kind != codepage_kind::other && detail::is_ascii(s)) return std::string(s);
  const bool utf8 = codepage == 65001 || kind == codepage_kind::sbcs;
  if (utf8 && utf16::from_utf8(s)) return std::string(s);
  if (codepage == 65001)  // ill-formed: U+FFFD for each maximal ill-formed subpart
    return utf16::to_utf8(utf16::from_utf8(s, utf16::policy::replace).value()).value();
  if (info && codepage != 1252 && codepage != 28591) {
    std::string out;
    out.reserve(s.size() * 2);
    if (detail::iconv_handle cd("UTF-8", info->iconv_name); cd.ok()) {
      cd.convert(s, out, replacement, [](std::string_view) { return std::size_t{1}; });
      return out;
    }
  }
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

/// A string as 8-bit text in `codepage` (the reverse of string8_to_utf8, for the legacy TNEF
/// attributes, MS-OXTNEF 2.1.3.3): UTF-8 for 65001, else through glibc iconv; a character the
/// code page cannot represent (and a lone surrogate) becomes `unrepresentable`, as Windows'
/// WideCharToMultiByte writes its default character. A code page not in `codepages` keeps ASCII
/// and writes `unrepresentable` for the rest. Stateful code pages (ISO-2022-JP) end in their
/// initial shift state. Thread-safe.
[[nodiscard]] inline std::string utf16_to_string8(std::u16string_view s, std::uint32_t codepage,
                                                  char unrepresentable = '?') {
  if (codepage == 65001) return utf16::to_utf8(s, utf16::policy::replace).value();
  const codepage_info* info = find_codepage(codepage);
  const bool ascii = std::ranges::all_of(s, [](char16_t c) { return c < 0x80; });
  std::string out;
  out.reserve(s.size());
  if (info && (!ascii || info->kind == codepage_kind::other))
    if (detail::iconv_handle cd(info->iconv_name, "UTF-16LE"); cd.ok()) {
      const bytes_view wire = utf16::as_utf16le(s);
      // Skip one UTF-16 code unit, or two for a surrogate pair (one character).
      const auto skip = [](std::string_view rest) -> std::size_t {
        return rest.size() >= 4 && (static_cast<unsigned char>(rest[1]) & 0xFC) == 0xD8 &&
                       (static_cast<unsigned char>(rest[3]) & 0xFC) == 0xDC
                   ? 4
                   : 2;
      };
      cd.convert(std::string_view(reinterpret_cast<const char*>(wire.data()), wire.size()), out,
                 std::string_view(&unrepresentable, 1), skip);
      return out;
    }
  for (const char16_t c : s) out.push_back(c < 0x80 ? static_cast<char>(c) : unrepresentable);
  return out;
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
