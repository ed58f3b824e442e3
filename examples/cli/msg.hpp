#pragma once

#include <cstdio>
#include <oxwire/core/hex.hpp>
#include <oxwire/mapi/property_lookup.hpp>
#include <oxwire/msg.hpp>

#include "common.hpp"
#include "json.hpp"

namespace oxwire_cli {

inline constexpr std::string_view msg_usage =
    "  oxwire msg dump [FILE|-]\n"
    "  oxwire msg from-tnef [--lax] [--output=FILE] [FILE|-]\n";

/// `bytes` on stdout, or into the file of --output=FILE.
inline int write_output(const args& a, oxwire::bytes_view bytes) {
  const std::string_view* path = a.value("--output");
  if (!path) return write(bytes), 0;
  std::ofstream f{std::string(*path), std::ios::binary};
  if (!f.write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()))) {
    std::cerr << "error: cannot write " << *path << "\n";
    return exit_usage;
  }
  return 0;
}

namespace msg_json {

namespace mapi = oxwire::mapi;
using mapi::PropertyType;

inline std::string text(const mapi::property_bag& bag, std::uint16_t id, std::uint32_t cp) {
  const auto t = oxwire::mapi::text_of(bag, id, cp);
  return t ? json::quote(*t) : "null";
}

// A property's name: MS-OXPROPS for tags, the named-property map (then MS-OXPROPS) above 0x8000.
inline std::string name_of(mapi::property_tag tag, const mapi::named_property_map& names) {
  if (tag.id() < 0x8000) {
    const auto* e = mapi::find_property(tag);
    return e ? std::string(e->canonical) : "";
  }
  const mapi::property_name* n = names.name_of(tag.id());
  if (!n) return "";
  const mapi::property_entry* e = nullptr;
  if (n->Kind == mapi::name_kind::lid) {
    e = mapi::find_named_property(n->GUID, n->LID);
  } else {
    const std::string name =
        oxwire::utf16::to_utf8(n->Name, oxwire::utf16::policy::replace).value();
    e = mapi::find_named_property(n->GUID, name);
  }
  if (e) return std::string(e->canonical);
  char buf[16];
  std::snprintf(buf, sizeof buf, ":0x%04X", n->LID);
  return n->GUID.to_string() +
         (n->Kind == mapi::name_kind::lid
              ? std::string(buf)
              : ":" + oxwire::utf16::to_utf8(n->Name, oxwire::utf16::policy::replace).value());
}

// Scalars and strings as JSON values; everything else as the hex of its MS-OXCDATA wire form
// (at most 64 bytes shown) with its size.
inline std::string value(const mapi::property_value& v, std::uint32_t cp,
                         const mapi::property_bag& bag, mapi::property_tag tag) {
  if (const auto* i = v.get_if<PropertyType::PtypInteger16>()) return std::to_string(*i);
  if (const auto* i = v.get_if<PropertyType::PtypInteger32>()) return std::to_string(*i);
  if (const auto* i = v.get_if<PropertyType::PtypInteger64>()) return std::to_string(*i);
  if (const auto* b = v.get_if<PropertyType::PtypBoolean>()) return *b ? "true" : "false";
  if (v.get_if<PropertyType::PtypString>() || v.get_if<PropertyType::PtypString8>())
    return text(bag, tag.id(), cp);
  if (const auto* t = v.get_if<PropertyType::PtypTime>()) return std::to_string(t->value);
  std::vector<std::uint8_t> wire;
  oxwire::vector_writer w(wire);
  (void)mapi::encode_value(w, v, {.counts = mapi::count_width::extended});
  const std::size_t shown = std::min<std::size_t>(wire.size(), 64);
  return "{\"size\": " + std::to_string(wire.size()) +
         ", \"hex\": " + json::quote(oxwire::hex::encode(oxwire::bytes_view(wire).first(shown))) +
         "}";
}

inline std::size_t size_of(const mapi::property_value& v) {
  if (const auto* s = v.get_if<PropertyType::PtypString>()) return s->size() * 2;
  if (const auto* s = v.get_if<PropertyType::PtypString8>()) return s->size();
  if (const auto* b = v.get_if<PropertyType::PtypBinary>()) return b->size();
  return 0;
}

inline std::string dump(const oxwire::mapi::message& m) {
  const auto& p = m.properties;
  const std::uint32_t cp = oxwire::mapi::codepage_of(p);
  std::string o = "{\n  \"subject\": " + text(p, 0x0037, cp) + ",\n";
  o += "  \"message_class\": " + text(p, 0x001A, cp) + ",\n";
  const auto email = [&](const mapi::property_bag& b, std::uint16_t smtp, std::uint16_t addr) {
    return b.find_id(smtp) ? text(b, smtp, cp) : text(b, addr, cp);
  };
  // PidTagSenderName, PidTagSenderSmtpAddress / PidTagSenderEmailAddress.
  o += "  \"sender\": {\"name\": " + text(p, 0x0C1A, cp) +
       ", \"email\": " + email(p, 0x5D01, 0x0C1F) + "},\n  \"recipients\": [";
  for (std::size_t i = 0; i < m.recipients.size(); ++i) {
    const auto& r = m.recipients[i].properties;
    const auto* type = r.find(mapi::property_tag{0x0C150003});  // PidTagRecipientType
    o += std::string(i ? "," : "") + "\n    {\"name\": " + text(r, 0x3001, cp) +
         ", \"email\": " + email(r, 0x39FE, 0x3003) + ", \"type\": " +
         (type ? std::to_string(*type->get_if<PropertyType::PtypInteger32>()) : "null") + "}";
  }
  o += "],\n  \"attachments\": [";
  for (std::size_t i = 0; i < m.attachments.size(); ++i) {
    const auto& a = m.attachments[i];
    auto name = text(a.properties, 0x3707, cp);
    if (name == "null") name = text(a.properties, 0x3704, cp);
    const auto* data = a.properties.find(mapi::property_tag{0x37010102});  // PidTagAttachDataBinary
    const auto* bytes = data ? data->get_if<PropertyType::PtypBinary>() : nullptr;
    o += std::string(i ? "," : "") + "\n    {\"name\": " + name +
         ", \"embedded\": " + (a.embedded ? "true" : "false") +
         ", \"size\": " + (bytes ? std::to_string(bytes->size()) : "null") +
         ", \"sha256\": " + (bytes ? json::quote(json::sha256(*bytes)) : "null") + "}";
  }
  o += "],\n  \"bodies\": {";
  const std::pair<const char*, std::uint16_t> bodies[] = {
      {"text", 0x1000}, {"html", 0x1013}, {"rtf", 0x1009}};  // PidTagBody, Html, RtfCompressed
  for (const auto& [label, id] : bodies) {
    const auto* v = p.find_id(id);
    o += std::string(id == 0x1000 ? "" : ", ") + "\"" + label + "\": " +
         (v ? "{\"present\": true, \"size\": " + std::to_string(size_of(v->value)) + "}"
            : std::string("{\"present\": false}"));
  }
  o += "},\n  \"properties\": [";
  bool first = true;
  for (const auto& [tag, v] : p) {
    o += std::string(first ? "" : ",") + "\n    {\"tag\": \"" + json::hex32(tag.value) +
         "\", \"name\": " + json::quote(name_of(tag, m.names)) +
         ", \"value\": " + value(v, cp, p, tag) + "}";
    first = false;
  }
  return o + "]\n}\n";
}

}  // namespace msg_json

// MS-OXMSG: a .msg file as JSON (subject, sender, recipients, attachments with SHA-256, bodies,
// every top-level property). `from-tnef`: a TNEF stream as a .msg file, on stdout or in the
// --output file; --lax reads the stream as `tnef dump --lax` does.
inline int cmd_msg(std::string_view verb, const args& a, const std::string& in) {
  if (verb == "from-tnef") {
    for (std::string_view f : a.flags)
      if (f != "--lax" && f != "--output") return usage_requested;
    const bool lax = a.has("--lax");
    const auto file =
        oxwire::msg::from_tnef(oxwire::as_bytes(in), {.verify_checksums = !lax, .strict = !lax});
    if (!file) return fail(file.error());
    return write_output(a, *file);
  }
  if (verb != "dump" || !a.flags.empty()) return usage_requested;
  const auto m = oxwire::msg::read_message(oxwire::as_bytes(in));
  if (!m) return fail(m.error());
  write(msg_json::dump(*m));
  return 0;
}

}  // namespace oxwire_cli
