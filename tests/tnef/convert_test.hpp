// What a .msg <-> TNEF conversion must keep, as one comparable text per message: subject,
// class, sender, recipients, attachments (name, method, size and digest of the contents,
// embedded messages in full) and the bodies (text, HTML, compressed RTF).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <oxwire/cfb/reader.hpp>
#include <oxwire/mapi/message.hpp>
#include <string>
#include <vector>

namespace oxwire_test {

/// FNV-1a 64 of `b`, in hex: the digest the comparisons use (the bytes are compared, not shown).
inline std::string digest(oxwire::bytes_view b) {
  std::uint64_t h = 0xCBF29CE484222325ull;
  for (const std::uint8_t c : b) h = (h ^ c) * 0x100000001B3ull;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

/// The digest of an attachment's contents; of an OLE storage (a compound file), that of its
/// storages and streams (names, CLSIDs, contents), which survive a rewrite of the file.
inline std::string contents_digest(oxwire::bytes_view b) {
  namespace cfb = oxwire::cfb;
  auto cf = cfb::compound_file::open(b);
  if (!cf) return "size " + std::to_string(b.size()) + " " + digest(b);
  std::string listing;
  const auto walk = [&](const auto& self, std::uint32_t id, const std::string& path) -> void {
    for (std::uint32_t c : cf->children(id)) {
      const auto& e = cf->entry(c);
      const std::string name =
          path + "/" + oxwire::utf16::to_utf8(e.name, oxwire::utf16::policy::replace).value();
      if (e.is_storage()) {
        listing += name + " " + e.CLSID.to_string() + "\n";
        self(self, c, name);
      } else {
        listing += name + " " + digest(cf->read_stream(c).value()) + "\n";
      }
    }
  };
  walk(walk, cfb::root_id, "");
  return "storage:" + cf->entry(cfb::root_id).CLSID.to_string() + ":" +
         digest(oxwire::as_bytes(listing));
}

/// The facts of `m`: 8-bit strings in the message's PidTagMessageCodepage /
/// PidTagInternetCodepage, else in `codepage` (a TNEF stream's OEM code page; 1252 for .msg).
inline std::string facts(const oxwire::mapi::message& m, std::uint32_t codepage,
                         const std::string& indent = "") {
  namespace mapi = oxwire::mapi;
  namespace prop = mapi::prop;
  const auto& p = m.properties;
  const std::uint32_t cp =
      p.find_id(prop::PidTagMessageCodepage.id) || p.find_id(prop::PidTagInternetCodepage.id)
          ? mapi::codepage_of(p)
          : codepage;
  const auto text = [&](const mapi::property_bag& bag, std::uint16_t id) {
    return mapi::text_of(bag, id, cp).value_or("<none>");
  };
  // A body as bytes whatever its type (PidTagHtml is binary or a string).
  const auto bytes = [&](std::uint16_t id) -> std::string {
    const auto* v = p.find_id(id);
    if (!v) return "<none>";
    if (const auto* b = v->value.get_if<mapi::PropertyType::PtypBinary>())
      return std::to_string(b->size()) + ":" + digest(*b);
    const std::string t = text(p, id);
    return std::to_string(t.size()) + ":" + digest(oxwire::as_bytes(t));
  };
  std::string o = indent + "subject: " + text(p, prop::PidTagSubject.id) + "\n";
  o += indent + "class: " + text(p, prop::PidTagMessageClass.id) + "\n";
  o += indent + "sender: " + text(p, prop::PidTagSenderName.id) + " <" +
       text(p, prop::PidTagSenderEmailAddress.id) + ">\n";
  for (const auto& r : m.recipients) {
    const auto type = r.properties.get(prop::PidTagRecipientType);
    o += indent + "recipient: " + text(r.properties, prop::PidTagDisplayName.id) + " <" +
         text(r.properties, prop::PidTagEmailAddress.id) + "> " +
         (type ? std::to_string(*type) : "-") + "\n";
  }
  for (const auto& a : m.attachments) {
    const auto data = mapi::attachment_data(a);
    o += indent + "attachment: " + mapi::attachment_name(a, cp) + " method " +
         std::to_string(a.properties.get(prop::PidTagAttachMethod).value_or(-1)) + " " +
         contents_digest(data) + "\n";
    if (a.embedded) o += facts(**a.embedded, cp, indent + "  ");
  }
  o += indent + "body: " + bytes(prop::PidTagBody.id) + "\n";
  o += indent + "html: " + bytes(prop::PidTagHtml.id) + "\n";
  o += indent + "rtf: " + bytes(prop::PidTagRtfCompressed.id) + "\n";
  return o;
}

/// Every .msg file below `dir` (../shared/corpus/msg), sorted.
inline std::vector<std::filesystem::path> msg_files(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.path().extension() == ".msg") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace oxwire_test
