#pragma once
#include <cstdio>
#include <oxwire/mapi/property_lookup.hpp>
#include <oxwire/tnef.hpp>
#include <sstream>

#include "common.hpp"
#include "json.hpp"
#include "msg.hpp"

namespace oxwire_cli {

inline constexpr std::string_view tnef_usage =
    "  oxwire tnef dump [--lax] [FILE|-]\n"
    "  oxwire tnef from-msg [--lax] [--output=FILE] [FILE|-]\n";

namespace tnef_json {

/// A value for the `properties` listing: numbers and booleans as JSON, strings as UTF-8 text,
/// binaries as hex (the first 64 bytes) with their size.
inline std::string value(const oxwire::mapi::property_value& v, std::uint32_t cp) {
  using oxwire::mapi::PropertyType;
  return oxwire::mapi::visit_type(
      v.type(), [&]<PropertyType T>(std::integral_constant<PropertyType, T>) {
        const auto& x = *v.template get_if<T>();
        using V = std::remove_cvref_t<decltype(x)>;
        std::ostringstream o;
        if constexpr (std::is_same_v<V, bool>) {
          o << (x ? "true" : "false");
        } else if constexpr (std::is_same_v<V, std::u16string>) {
          auto u = oxwire::utf16::to_utf8(x, oxwire::utf16::policy::replace);
          o << json::quote(u ? *u : "");
        } else if constexpr (std::is_same_v<V, std::string>) {
          o << json::quote(oxwire::mapi::string8_to_utf8(x, cp));
        } else if constexpr (std::is_same_v<V, std::vector<std::uint8_t>>) {
          o << "{\"size\": " << x.size() << ", \"hex\": "
            << json::quote(oxwire::hex::encode(
                   oxwire::bytes_view(x).first(std::min<std::size_t>(x.size(), 64))))
            << "}";
        } else if constexpr (std::is_integral_v<V> || std::is_floating_point_v<V>) {
          o << +x;
        } else if constexpr (std::is_same_v<V, oxwire::mapi::filetime> ||
                             std::is_same_v<V, oxwire::mapi::currency>) {
          o << x.value;
        } else if constexpr (std::is_same_v<V, oxwire::guid>) {
          o << json::quote(x.to_string());
        } else if constexpr (std::is_same_v<V, oxwire::mapi::ErrorCode>) {
          o << static_cast<std::uint32_t>(x);
        } else {
          o << "{\"type\": " << static_cast<unsigned>(T) << "}";  // multi-valued and the rest
        }
        return o.str();
      });
}

/// The name of a property: its MS-OXPROPS canonical name, or {GUID}:LID / {GUID}:name for a
/// named property MS-OXPROPS does not list.
inline std::string name_of(oxwire::mapi::property_tag tag,
                           const oxwire::mapi::named_property_map& names) {
  namespace mapi = oxwire::mapi;
  if (tag.id() >= 0x8000) {
    const mapi::property_name* n = names.name_of(tag.id());
    if (!n) return "";
    if (n->Kind == mapi::name_kind::lid) {
      if (const auto* e = mapi::find_named_property(n->GUID, n->LID))
        return std::string(e->canonical);
      char buf[16];
      std::snprintf(buf, sizeof buf, ":0x%04X", n->LID);
      return n->GUID.to_string() + buf;
    }
    auto u = oxwire::utf16::to_utf8(n->Name, oxwire::utf16::policy::replace);
    return n->GUID.to_string() + ":" + (u ? *u : "");
  }
  const auto* e = mapi::find_property(tag);
  return e ? std::string(e->canonical) : "";
}

inline void properties(std::ostream& o, const oxwire::mapi::property_bag& bag,
                       const oxwire::mapi::message& m, std::uint32_t cp, const char* indent) {
  o << "[";
  bool first = true;
  for (const auto& p : bag) {
    o << (first ? "\n" : ",\n") << indent << "  {\"tag\": " << json::quote(json::hex32(p.tag.value))
      << ", \"name\": " << json::quote(name_of(p.tag, m.names))
      << ", \"value\": " << value(p.value, cp) << "}";
    first = false;
  }
  o << (first ? "]" : std::string("\n") + indent + "]");
}

inline void message(std::ostream& o, const oxwire::mapi::message& m, std::uint32_t cp,
                    const std::string& indent) {
  namespace prop = oxwire::mapi::prop;
  const auto text = [&](const oxwire::mapi::property_bag& bag, std::uint16_t id) {
    auto s = oxwire::mapi::text_of(bag, id, cp);
    return s ? json::quote(*s) : std::string("null");
  };
  const auto& bag = m.properties;
  const std::string in = indent + "  ";
  o << "{\n" << in << "\"subject\": " << text(bag, prop::PidTagSubject.id) << ",\n";
  o << in << "\"message_class\": " << text(bag, prop::PidTagMessageClass.id) << ",\n";
  const bool has_sender =
      bag.find_id(prop::PidTagSenderName.id) || bag.find_id(prop::PidTagSenderEmailAddress.id);
  if (has_sender)
    o << in << "\"sender\": {\"name\": " << text(bag, prop::PidTagSenderName.id)
      << ", \"address_type\": " << text(bag, prop::PidTagSenderAddressType.id)
      << ", \"address\": " << text(bag, prop::PidTagSenderEmailAddress.id) << "},\n";
  else
    o << in << "\"sender\": null,\n";
  o << in << "\"recipients\": [";
  for (std::size_t i = 0; i < m.recipients.size(); ++i) {
    const auto& r = m.recipients[i].properties;
    const auto type = r.get(prop::PidTagRecipientType);
    o << (i ? ",\n" : "\n") << in << "  {\"name\": " << text(r, prop::PidTagDisplayName.id)
      << ", \"address\": "
      << (r.find_id(prop::PidTagSmtpAddress.id) ? text(r, prop::PidTagSmtpAddress.id)
                                                : text(r, prop::PidTagEmailAddress.id))
      << ", \"type\": " << (type ? std::to_string(*type) : "null") << "}";
  }
  o << (m.recipients.empty() ? "]" : "\n" + in + "]") << ",\n";
  o << in << "\"attachments\": [";
  for (std::size_t i = 0; i < m.attachments.size(); ++i) {
    const auto& a = m.attachments[i];
    const auto data = oxwire::mapi::attachment_data(a);
    o << (i ? ",\n" : "\n") << in
      << "  {\"name\": " << json::quote(oxwire::mapi::attachment_name(a, cp))
      << ", \"size\": " << data.size() << ", \"sha256\": " << json::quote(json::sha256(data));
    if (a.embedded) {
      o << ", \"embedded\": ";
      message(o, **a.embedded, cp, in + "  ");
    }
    o << "}";
  }
  o << (m.attachments.empty() ? "]" : "\n" + in + "]") << ",\n";
  o << in << "\"bodies\": {";
  const char* sep = "";
  if (auto b = oxwire::mapi::text_of(bag, prop::PidTagBody.id, cp))
    o << sep << "\"text\": " << json::quote(*b), sep = ", ";
  if (const auto* h = bag.find_id(prop::PidTagHtml.id)) {
    const auto* bin = h->value.get_if<oxwire::mapi::PropertyType::PtypBinary>();
    o << sep << "\"html\": "
      << (bin ? json::quote(oxwire::mapi::string8_to_utf8(oxwire::as_chars(*bin), cp))
              : text(bag, prop::PidTagHtml.id));
    sep = ", ";
  }
  if (auto r = bag.get(prop::PidTagRtfCompressed))
    o << sep << "\"rtf_compressed\": {\"size\": " << r->size() << "}";
  o << "},\n";
  o << in << "\"properties\": ";
  properties(o, bag, m, cp, in.c_str());
  o << "\n" << indent << "}";
}

}  // namespace tnef_json

// MS-OXTNEF: a TNEF stream (winmail.dat) as JSON. --lax tolerates checksum mismatches,
// malformed legacy attributes and trailing zero padding. `from-msg`: a .msg file as a TNEF
// stream, on stdout or in the --output file; --lax leaves out named properties the file does not
// name (which TNEF cannot carry).
inline int cmd_tnef(std::string_view verb, const args& a, const std::string& in) {
  if (verb == "from-msg") {
    for (std::string_view f : a.flags)
      if (f != "--output" && f != "--lax") return usage_requested;
    const auto wire =
        oxwire::tnef::from_msg(oxwire::as_bytes(in), {.drop_unnamed = a.has("--lax")});
    if (!wire) return fail(wire.error());
    return write_output(a, *wire);
  }
  if (verb != "dump") return usage_requested;
  for (std::string_view f : a.flags)
    if (f != "--lax") return usage_requested;
  const bool lax = a.has("--lax");
  oxwire::tnef::stream_header h;
  const auto m =
      oxwire::tnef::decode(oxwire::as_bytes(in), h, {.verify_checksums = !lax, .strict = !lax});
  if (!m) return fail(m.error());
  std::ostringstream o;
  tnef_json::message(o, *m, h.codepage.primary, "");
  o << "\n";
  write(o.str());
  return 0;
}

}  // namespace oxwire_cli
