// oxwire — the message model a TNEF stream decodes to and encodes from: the message's property
// bag, its recipients (one bag per row of attRecipTable), its attachments (a bag each, and the
// embedded message when the attachment is one), and the names of its named properties.
//
//   oxwire::tnef::message m = oxwire::tnef::decode(bytes).value();
//   auto subject = m.properties.get(oxwire::mapi::prop::PidTagSubject);
//   for (const auto& a : m.attachments) if (a.embedded) ...
#pragma once

#include <oxwire/mapi/property_bag.hpp>

#include <cstdint>
#include <memory>
#include <vector>

namespace oxwire::tnef {

struct message;

/// One attachment: its properties (attAttachment and the legacy attachment attributes), and, for
/// an attachment whose PidTagAttachDataObject is an embedded message (IID_IMessage), that message;
/// the PidTagAttachDataObject value itself is then not kept in the bag.
struct attachment {
  mapi::property_bag properties;
  std::unique_ptr<message> embedded;

  friend bool operator==(const attachment& a, const attachment& b);
};

/// MS-OXTNEF 2.1.3.2 OEM code page (attOemCodepage): the code page of the 8-bit legacy strings.
struct oem_codepage {
  std::uint32_t primary = 1252;
  std::uint32_t secondary = 0;
  friend constexpr bool operator==(oem_codepage, oem_codepage) noexcept = default;
};

/// A decoded TNEF message. Named properties (id 0x8000 and up) in any of the bags are resolved
/// through `names` (the names the stream carried inline; a writer needs one for each such id).
struct message {
  std::uint16_t legacy_key = 0;                // MS-OXTNEF 2.1.3.1 LegacyKey
  std::uint32_t tnef_version = 0x00010000;     // attTnefVersion
  oem_codepage codepage{};                     // attOemCodepage
  mapi::property_bag properties;               // attMAPIProps and the legacy message attributes
  std::vector<mapi::property_bag> recipients;  // attRecipTable, one bag per row
  std::vector<attachment> attachments;
  mapi::named_property_map names;

  friend bool operator==(const message& a, const message& b) {
    return a.legacy_key == b.legacy_key && a.tnef_version == b.tnef_version &&
           a.codepage == b.codepage && a.properties == b.properties &&
           a.recipients == b.recipients && a.attachments == b.attachments;
  }
};

inline bool operator==(const attachment& a, const attachment& b) {
  if (!(a.properties == b.properties) || bool(a.embedded) != bool(b.embedded)) return false;
  return !a.embedded || *a.embedded == *b.embedded;
}

}  // namespace oxwire::tnef
