// `oxwire oab dump`: an offline address book file (MS-OXOAB) as JSON.
#pragma once

#include <oxwire/core/hex.hpp>
#include <oxwire/mapi/property_lookup.hpp>
#include <oxwire/oab.hpp>
#include <oxwire/oab/mspack.hpp>

#include "common.hpp"
#include "json.hpp"

namespace oxwire_cli {

inline constexpr std::string_view oab_usage = "  oxwire oab dump [FILE|-]\n";

namespace oab_json {

namespace mapi = oxwire::mapi;
namespace oab = oxwire::oab;
using mapi::PropertyType;

inline std::string name_of(mapi::property_tag tag) {
  const auto* e = mapi::find_property(tag);
  return e ? std::string(e->canonical) : "";
}

inline std::string u16(std::u16string_view s) {
  return json::quote(oxwire::utf16::to_utf8(s, oxwire::utf16::policy::replace).value());
}

inline std::string bin(oxwire::bytes_view b) {
  return "{\"size\": " + std::to_string(b.size()) + ", \"hex\": " +
         json::quote(oxwire::hex::encode(b.first(std::min<std::size_t>(b.size(), 64)))) + "}";
}

template <class List, class F>
std::string list(const List& l, F each) {
  std::string o = "[";
  for (std::size_t i = 0; i < l.size(); ++i) o += (i ? ", " : "") + each(l[i]);
  return o + "]";
}

// The OAB value types (MS-OXOAB 2.9.4) as JSON values; binaries as size and leading hex.
inline std::string value(const mapi::property_value& v) {
  using P = PropertyType;
  if (const auto* i = v.get_if<P::PtypInteger32>()) return std::to_string(*i);
  if (const auto* b = v.get_if<P::PtypBoolean>()) return *b ? "true" : "false";
  if (const auto* s = v.get_if<P::PtypString8>()) return json::quote(*s);
  if (const auto* s = v.get_if<P::PtypString>()) return u16(*s);
  if (const auto* b = v.get_if<P::PtypBinary>()) return bin(*b);
  if (const auto* b = v.get_if<P::PtypObject>()) return bin(*b);
  if (const auto* l = v.get_if<P::PtypMultipleInteger32>())
    return list(*l, [](std::int32_t i) { return std::to_string(i); });
  if (const auto* l = v.get_if<P::PtypMultipleString8>())
    return list(*l, [](const std::string& s) { return json::quote(s); });
  if (const auto* l = v.get_if<P::PtypMultipleString>()) return list(*l, u16);
  if (const auto* l = v.get_if<P::PtypMultipleBinary>())
    return list(*l, [](const std::vector<std::uint8_t>& b) { return bin(b); });
  return "null";
}

inline std::string table(const std::vector<oab::OAB_PROP_REC>& t) {
  std::string o = "[";
  for (std::size_t i = 0; i < t.size(); ++i)
    o += std::string(i ? "," : "") + "\n    {\"tag\": \"" + json::hex32(t[i].ulPropId.value) +
         "\", \"name\": " + json::quote(name_of(t[i].ulPropId)) +
         ", \"anr\": " + (t[i].flags & oab::OAB_PROP_REC::anr_index ? "true" : "false") +
         ", \"primary_key\": " + (t[i].flags & oab::OAB_PROP_REC::primary_key ? "true" : "false") +
         "}";
  return o + "]";
}

inline std::string bag(const mapi::property_bag& b, const char* indent) {
  std::string o = "{";
  bool first = true;
  for (const auto& [tag, v] : b) {
    const std::string name = name_of(tag);
    o += std::string(first ? "" : ",") + "\n" + indent +
         json::quote(name.empty() ? json::hex32(tag.value) : name) + ": " + value(v);
    first = false;
  }
  return o + "}";
}

inline std::string dump(const oab::full_details& f) {
  std::string o = "{\n  \"serial\": \"" + json::hex32(f.ulSerial) +
                  "\",\n  \"record_count\": " + std::to_string(f.records.size()) +
                  ",\n  \"header_properties\": " + table(f.rgHdrAtts) +
                  ",\n  \"object_properties\": " + table(f.rgOabAtts) +
                  ",\n  \"header\": " + bag(f.header, "    ") + ",\n  \"records\": [";
  for (std::size_t i = 0; i < f.records.size(); ++i)
    o += std::string(i ? "," : "") + "\n    " + bag(f.records[i], "      ");
  return o + "]\n}\n";
}

}  // namespace oab_json

// MS-OXOAB: a version 4 Full Details file as JSON, uncompressed or compressed (LZX, through
// libmspack); a patch file needs its base and is refused.
inline int cmd_oab(std::string_view verb, const args& a, const std::string& in) {
  if (verb != "dump" || !a.flags.empty()) return usage_requested;
  const oxwire::bytes_view bytes = oxwire::as_bytes(in);
  const bool compressed = oxwire::oab::is_patch_file(bytes).has_value();  // 3.1 or 3.2
  std::vector<std::uint8_t> plain;
  if (compressed) {
    auto d = oxwire::oab::decompress(bytes);
    if (!d) return fail(d.error());
    plain = std::move(*d);
  }
  const auto f = oxwire::oab::decode_full_details(compressed ? oxwire::bytes_view(plain) : bytes);
  if (!f) return fail(f.error());
  write(oab_json::dump(*f));
  return 0;
}

}  // namespace oxwire_cli
