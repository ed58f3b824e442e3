// oxwire — TNEF stream -> message (MS-OXTNEF 2.1.3, reader behaviour of 2.3): attMAPIProps,
// attRecipTable and attAttachment through the TNEF property codec, the legacy attributes mapped
// to the properties the spec names (attSubject -> PidTagSubject, attDateSent ->
// PidTagClientSubmitTime, attAttachData -> PidTagAttachDataBinary, ...), embedded messages
// (PidTagAttachDataObject with IID_IMessage) decoded recursively. The message is the model of
// oxwire/mapi/message.hpp; the stream header facts go to a stream_header when one is passed.
//
//   auto m = oxwire::tnef::decode(bytes);                        // result<mapi::message>
//   tnef::stream_header h;
//   auto lax = oxwire::tnef::decode(bytes, h, {.verify_checksums = false});
#pragma once

#include <oxwire/core/filetime.hpp>
#include <oxwire/gen/mapi/prop_nonspec.hpp>
#include <oxwire/gen/mapi/prop_tags.hpp>
#include <oxwire/tnef/attribute.hpp>
#include <oxwire/tnef/message.hpp>
#include <oxwire/tnef/property_list.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace oxwire::tnef {

using mapi::IID_IMessage;

struct decode_options {
  bool verify_checksums = true;  // false: tolerate attribute checksum mismatches
  /// false: a legacy attribute whose value does not fit its definition (wrong length, impossible
  /// date) is skipped, and fewer than 9 zero bytes after the last attribute (padding some
  /// writers add) are accepted. Property lists (attMAPIProps, attAttachment, attRecipTable) are
  /// always checked.
  bool strict = true;
  unsigned max_depth = 8;  // embedded messages inside embedded messages, at most
  unsigned depth = 0;      // current nesting, kept by the decoder
};

namespace detail {

namespace prop = mapi::prop;
using enum oxwire::gen::mapi::PropertyType;

/// A legacy attribute's property: set only when no value with that id is there yet (the MAPI
/// properties of attMAPIProps and attAttachment take precedence, whatever the order).
inline void set_legacy(mapi::property_bag& bag, mapi::property_tag tag, mapi::property_value v) {
  if (!bag.find_id(tag.id())) (void)bag.set(tag, std::move(v));
}
template <PropertyType T, class V>
void set_legacy(mapi::property_bag& bag, std::uint16_t id, V&& v) {
  set_legacy(bag, mapi::property_tag::make(id, T),
             mapi::property_value::make<T>(std::forward<V>(v)));
}

/// An 8-bit legacy string (atpString, atpText) without its terminating NUL(s).
[[nodiscard]] inline std::string legacy_string(bytes_view b) {
  while (!b.empty() && b.back() == 0) b = b.first(b.size() - 1);
  return std::string(as_chars(b));
}

/// MS-OXTNEF 2.1.3.3 atpDate: a DTR (wYear, wMonth, wDay, wHour, wMinute, wSecond, wDayOfWeek)
/// as a FILETIME.
[[nodiscard]] inline result<mapi::filetime> dtr_to_filetime(const attribute_view& a) {
  if (a.Data.size() != 14) [[unlikely]]
    return error{errc::invalid_attribute_length, a.offset + 5, "atpDate"};
  reader in(a.Data, a.data_offset);
  std::uint16_t y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  (void)in.read_into(y, mo, d, h, mi, s);
  using namespace std::chrono;
  const year_month_day ymd{year{y}, month{mo}, day{d}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 59 || y < 1601) [[unlikely]]
    return error{errc::invalid_attribute_value, a.data_offset, "atpDate"};
  const auto t = sys_days{ymd} + hours{h} + minutes{mi} + seconds{s};
  return mapi::filetime{*to_filetime(t)};
}

/// A fixed-size little-endian legacy value that must fill the attribute exactly.
template <class T>
[[nodiscard]] result<T> legacy_scalar(const attribute_view& a, const char* what) {
  if (a.Data.size() != sizeof(T)) [[unlikely]]
    return error{errc::invalid_attribute_length, a.offset + 5, what};
  return oxwire::detail::load_le<T>(a.Data.data());
}

/// MS-OXTNEF 2.1.3.3.16 attOwner / attSentFor: display-name-length, display-name,
/// address-length, address ("TYPE:address"), each string NUL-terminated.
struct counted_address {
  std::string name, type, address;
};
[[nodiscard]] inline result<counted_address> decode_counted_address(const attribute_view& a) {
  reader in(a.Data, a.data_offset);
  counted_address out;
  std::string* fields[] = {&out.name, &out.address};
  for (std::string* f : fields) {
    auto n = in.read<std::uint16_t>("display-name-length");
    if (!n) [[unlikely]]
      return n.error();
    auto s = in.bytes(*n, "display-name");
    if (!s) [[unlikely]]
      return s.error();
    *f = legacy_string(*s);
  }
  if (const auto colon = out.address.find(':'); colon != std::string::npos) {
    out.type = out.address.substr(0, colon);
    out.address.erase(0, colon + 1);
  }
  return out;
}

/// MS-OXTNEF 2.1.3.3 attFrom: a TRP (trpid, cbgrtrp, cch, cb), the display name (cch bytes) and
/// the address (cb bytes, "TYPE:address").
[[nodiscard]] inline result<counted_address> decode_trp(const attribute_view& a) {
  reader in(a.Data, a.data_offset);
  std::uint16_t trpid = 0, cbgrtrp = 0, cch = 0, cb = 0;
  if (auto r = in.read_into("TRP", trpid, cbgrtrp, cch, cb); !r) [[unlikely]]
    return r.error();
  counted_address out;
  auto name = in.bytes(cch, "sender display name");
  if (!name) [[unlikely]]
    return name.error();
  auto address = in.bytes(cb, "sender address");
  if (!address) [[unlikely]]
    return address.error();
  out.name = legacy_string(*name);
  out.address = legacy_string(*address);
  if (const auto colon = out.address.find(':'); colon != std::string::npos) {
    out.type = out.address.substr(0, colon);
    out.address.erase(0, colon + 1);
  }
  return out;
}

/// name, address type and address under the three ids given.
inline void set_address(mapi::property_bag& bag, const counted_address& c, std::uint16_t name,
                        std::uint16_t type, std::uint16_t address) {
  if (!c.name.empty()) set_legacy<PtypString8>(bag, name, c.name);
  if (!c.type.empty()) set_legacy<PtypString8>(bag, type, c.type);
  if (!c.address.empty()) set_legacy<PtypString8>(bag, address, c.address);
}

/// MS-OXTNEF 2.1.3.3.x attMessageClass: the legacy class names and their MAPI counterparts.
[[nodiscard]] inline std::string map_message_class(std::string c) {
  static constexpr std::pair<std::string_view, std::string_view> legacy[] = {
      {"IPM.Microsoft Mail.Note", "IPM.Note"},
      {"IPM.Microsoft Mail.Read Receipt", "Report.IPM.Note.IPNRN"},
      {"IPM.Microsoft Mail.Non-Delivery", "Report.IPM.Note.NDR"},
      {"IPM.Microsoft Schedule.MtgReq", "IPM.Schedule.Meeting.Request"},
      {"IPM.Microsoft Schedule.MtgRespP", "IPM.Schedule.Meeting.Resp.Pos"},
      {"IPM.Microsoft Schedule.MtgRespN", "IPM.Schedule.Meeting.Resp.Neg"},
      {"IPM.Microsoft Schedule.MtgRespA", "IPM.Schedule.Meeting.Resp.Tent"},
      {"IPM.Microsoft Schedule.MtgCncl", "IPM.Schedule.Meeting.Canceled"},
  };
  for (const auto& [from, to] : legacy)
    if (c == from) return std::string(to);
  return c;
}

/// attMessageID, attParentID, attConversationID: hex digits of a binary key (raw bytes if they
/// are not hex).
[[nodiscard]] inline std::vector<std::uint8_t> legacy_key_bytes(bytes_view b) {
  const std::string s = legacy_string(b);
  std::vector<std::uint8_t> out;
  if (s.size() % 2 == 0) {
    for (std::size_t i = 0; i < s.size(); i += 2) {
      const int hi = oxwire::detail::hex_digit(s[i]), lo = oxwire::detail::hex_digit(s[i + 1]);
      if (hi < 0 || lo < 0) return {b.begin(), b.end()};
      out.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
    }
    return out;
  }
  return {b.begin(), b.end()};
}

/// A message-level legacy attribute into the message's bag.
[[nodiscard]] inline result<void> apply_message_attribute(mapi::message& m, stream_header& h,
                                                          const attribute_view& a) {
  auto& bag = m.properties;
  const auto date = [&](std::uint16_t id) -> result<void> {
    auto t = dtr_to_filetime(a);
    if (!t) [[unlikely]]
      return t.error();
    set_legacy<PtypTime>(bag, id, *t);
    return {};
  };
  switch (static_cast<attribute_id>(canonical_id(a.ID))) {
    case attribute_id::attTnefVersion: {
      auto v = legacy_scalar<std::uint32_t>(a, "attTnefVersion");
      if (!v) [[unlikely]]
        return v.error();
      h.tnef_version = *v;
      return {};
    }
    case attribute_id::attOemCodepage: {
      // MS-OXTNEF 2.1.3.3: PrimaryCodePage, then SecondaryCodePage.
      if (a.Data.size() != 8) [[unlikely]]
        return error{errc::invalid_attribute_length, a.offset + 5, "attOemCodepage"};
      h.codepage = {oxwire::detail::load_le<std::uint32_t>(a.Data.data()),
                    oxwire::detail::load_le<std::uint32_t>(a.Data.data() + 4)};
      return {};
    }
    case attribute_id::attMAPIProps: {
      reader in(a.Data, a.data_offset);
      if (auto r = decode_property_list(in, bag, m.names); !r) [[unlikely]]
        return r.error();
      if (!in.empty()) [[unlikely]]
        return error{errc::trailing_data, in.offset(), "attMAPIProps"};
      return {};
    }
    case attribute_id::attRecipTable: {
      reader in(a.Data, a.data_offset);
      auto rows = decode_recipient_table(in, m.names);
      if (!rows) [[unlikely]]
        return rows.error();
      if (!in.empty()) [[unlikely]]
        return error{errc::trailing_data, in.offset(), "attRecipTable"};
      for (auto& r : *rows) m.recipients.push_back(std::move(r));
      return {};
    }
    case attribute_id::attSubject:
      set_legacy<PtypString8>(bag, prop::PidTagSubject.id, legacy_string(a.Data));
      return {};
    case attribute_id::attBody:
      set_legacy<PtypString8>(bag, prop::PidTagBody.id, legacy_string(a.Data));
      return {};
    case attribute_id::attMessageClass:
      set_legacy<PtypString8>(bag, prop::PidTagMessageClass.id,
                              map_message_class(legacy_string(a.Data)));
      return {};
    case attribute_id::attOriginalMessageClass:
      set_legacy<PtypString8>(bag, prop::PidTagOriginalMessageClass.id,
                              map_message_class(legacy_string(a.Data)));
      return {};
    case attribute_id::attMessageID:
      set_legacy<PtypBinary>(bag, prop::PidTagSearchKey.id, legacy_key_bytes(a.Data));
      return {};
    case attribute_id::attParentID:
      set_legacy<PtypBinary>(bag, prop::PidTagParentKey.id, legacy_key_bytes(a.Data));
      return {};
    case attribute_id::attConversationID:
      set_legacy<PtypBinary>(bag, prop::nonspec::PidTagConversationKey.id,
                             legacy_key_bytes(a.Data));
      return {};
    case attribute_id::attDateSent: return date(prop::PidTagClientSubmitTime.id);
    case attribute_id::attDateRecd: return date(prop::PidTagMessageDeliveryTime.id);
    case attribute_id::attDateModified: return date(prop::PidTagLastModificationTime.id);
    case attribute_id::attDateStart: return date(prop::PidTagStartDate.id);
    case attribute_id::attDateEnd: return date(prop::PidTagEndDate.id);
    case attribute_id::attPriority: {
      // 1 high, 2 normal, 3 low -> PidTagImportance 2, 1, 0.
      auto p = legacy_scalar<std::uint16_t>(a, "attPriority");
      if (!p) [[unlikely]]
        return p.error();
      if (*p < 1 || *p > 3) [[unlikely]]
        return error{errc::invalid_attribute_value, a.data_offset, "attPriority"};
      set_legacy<PtypInteger32>(bag, prop::PidTagImportance.id, std::int32_t{3 - *p});
      return {};
    }
    case attribute_id::attMessageStatus: {
      // fmsRead 0x20 -> mfRead 0x01, fmsModified 0x01 clear -> mfUnmodified 0x02,
      // fmsSubmitted 0x04 -> mfSubmit 0x04, fmsLocal 0x02 -> mfUnsent 0x08,
      // fmsHasAttach 0x80 -> mfHasAttach 0x10.
      auto s = legacy_scalar<std::uint8_t>(a, "attMessageStatus");
      if (!s) [[unlikely]]
        return s.error();
      std::int32_t f = 0;
      if (*s & 0x20) f |= 0x01;
      if (!(*s & 0x01)) f |= 0x02;
      if (*s & 0x04) f |= 0x04;
      if (*s & 0x02) f |= 0x08;
      if (*s & 0x80) f |= 0x10;
      set_legacy<PtypInteger32>(bag, prop::PidTagMessageFlags.id, f);
      return {};
    }
    case attribute_id::attFrom: {
      auto c = decode_trp(a);
      if (!c) [[unlikely]]
        return c.error();
      set_address(bag, *c, prop::PidTagSenderName.id, prop::PidTagSenderAddressType.id,
                  prop::PidTagSenderEmailAddress.id);
      return {};
    }
    case attribute_id::attOwner: {
      // MS-OXTNEF 2.1.3.3.16: meeting responses carry the ReceivedRepresenting address, other
      // messages the SentRepresenting one.
      auto c = decode_counted_address(a);
      if (!c) [[unlikely]]
        return c.error();
      const auto* cls = bag.find(prop::PidTagMessageClass.tag().with_type(PtypString8));
      const bool response =
          cls && cls->get_if<PtypString8>()->starts_with("IPM.Schedule.Meeting.Resp");
      if (response)
        set_address(bag, *c, prop::PidTagReceivedRepresentingName.id,
                    prop::PidTagReceivedRepresentingAddressType.id,
                    prop::PidTagReceivedRepresentingEmailAddress.id);
      else
        set_address(bag, *c, prop::PidTagSentRepresentingName.id,
                    prop::PidTagSentRepresentingAddressType.id,
                    prop::PidTagSentRepresentingEmailAddress.id);
      return {};
    }
    case attribute_id::attSentFor: {
      auto c = decode_counted_address(a);
      if (!c) [[unlikely]]
        return c.error();
      set_address(bag, *c, prop::PidTagSentRepresentingName.id,
                  prop::PidTagSentRepresentingAddressType.id,
                  prop::PidTagSentRepresentingEmailAddress.id);
      return {};
    }
    case attribute_id::attDelegate:
      set_legacy<PtypBinary>(bag, prop::PidTagReceivedRepresentingEntryId.id,
                             std::vector<std::uint8_t>(a.Data.begin(), a.Data.end()));
      return {};
    case attribute_id::attAidOwner: {
      auto v = legacy_scalar<std::uint32_t>(a, "attAidOwner");
      if (!v) [[unlikely]]
        return v.error();
      set_legacy<PtypInteger32>(bag, prop::PidTagOwnerAppointmentId.id,
                                static_cast<std::int32_t>(*v));
      return {};
    }
    case attribute_id::attRequestRes: {
      auto v = legacy_scalar<std::uint16_t>(a, "attRequestRes");
      if (!v) [[unlikely]]
        return v.error();
      set_legacy<PtypBoolean>(bag, prop::PidTagResponseRequested.id, *v != 0);
      return {};
    }
    default: return {};  // attributes of the other level, and ones the spec does not define
  }
}

/// An attachment-level attribute into the attachment's bag.
/// `object_at`: where attAttachment's PtypObject value data starts (for decode_embedded).
[[nodiscard]] inline result<void> apply_attachment_attribute(mapi::message& m,
                                                             mapi::attachment& att,
                                                             const attribute_view& a,
                                                             std::size_t& object_at) {
  auto& bag = att.properties;
  const auto date = [&](std::uint16_t id) -> result<void> {
    auto t = dtr_to_filetime(a);
    if (!t) [[unlikely]]
      return t.error();
    set_legacy<PtypTime>(bag, id, *t);
    return {};
  };
  const auto binary = [&] { return std::vector<std::uint8_t>(a.Data.begin(), a.Data.end()); };
  switch (static_cast<attribute_id>(canonical_id(a.ID))) {
    case attribute_id::attAttachment: {
      reader in(a.Data, a.data_offset);
      if (auto r = decode_property_list(in, bag, m.names, &object_at); !r) [[unlikely]]
        return r.error();
      if (!in.empty()) [[unlikely]]
        return error{errc::trailing_data, in.offset(), "attAttachment"};
      return {};
    }
    case attribute_id::attAttachRenddata: {
      // RENDDATA: atyp (16), ulPosition (32), dxWidth, dyHeight (16 each), dwFlags (32).
      if (a.Data.size() != 14) [[unlikely]]
        return error{errc::invalid_attribute_length, a.offset + 5, "attAttachRenddata"};
      const auto atyp = oxwire::detail::load_le<std::uint16_t>(a.Data.data());
      const auto position = oxwire::detail::load_le<std::uint32_t>(a.Data.data() + 2);
      // atypOle (2) -> afOle (6); atypFile (1), atypPicture (3) -> afByValue (1).
      set_legacy<PtypInteger32>(bag, prop::PidTagAttachMethod.id, std::int32_t{atyp == 2 ? 6 : 1});
      set_legacy<PtypInteger32>(bag, prop::PidTagRenderingPosition.id,
                                static_cast<std::int32_t>(position));
      return {};
    }
    case attribute_id::attAttachData:
      set_legacy<PtypBinary>(bag, prop::PidTagAttachDataBinary.id, binary());
      return {};
    case attribute_id::attAttachTitle:
      set_legacy<PtypString8>(bag, prop::PidTagAttachFilename.id, legacy_string(a.Data));
      return {};
    case attribute_id::attAttachMetaFile:
      set_legacy<PtypBinary>(bag, prop::PidTagAttachRendering.id, binary());
      return {};
    case attribute_id::attAttachCreateDate: return date(prop::PidTagCreationTime.id);
    case attribute_id::attAttachModifyDate: return date(prop::PidTagLastModificationTime.id);
    case attribute_id::attAttachTransportFilename:
      set_legacy<PtypString8>(bag, prop::PidTagAttachTransportName.id, legacy_string(a.Data));
      return {};
    default: return {};
  }
}

[[nodiscard]] inline result<mapi::message> decode_stream(reader& in, const decode_options& opts,
                                                         stream_header& h);

/// An attachment whose PidTagAttachDataObject is IID_IMessage + a TNEF stream: that stream
/// becomes `embedded` and the value leaves the bag. `at` is the absolute offset of the value's
/// data (the IID).
[[nodiscard]] inline result<void> decode_embedded(mapi::attachment& att, std::size_t at,
                                                  const decode_options& opts, stream_header& h) {
  const auto tag = prop::PidTagAttachDataObject.tag();
  const mapi::property_value* v = att.properties.find(tag);
  if (!v) return {};
  const auto& data = *v->get_if<PtypObject>();
  if (data.size() < 16) return {};
  reader iid_in(data);
  oxwire::guid iid{};
  (void)oxwire::decode(iid_in, iid);
  if (iid != IID_IMessage) return {};
  if (opts.depth >= opts.max_depth) [[unlikely]]
    return error{errc::nesting_too_deep, at, "PidTagAttachDataObject"};
  decode_options inner = opts;
  ++inner.depth;
  reader in(bytes_view(data).subspan(16), at + 16);
  stream_header embedded_header = h.embedded_header(h.embedded.size());
  auto e = decode_stream(in, inner, embedded_header);
  if (!e) [[unlikely]]
    return e.error();
  h.embedded.push_back(std::move(embedded_header));
  att.embedded.emplace(std::move(*e));
  att.properties.erase(tag);
  return {};
}

inline result<mapi::message> decode_stream(reader& in, const decode_options& opts,
                                           stream_header& h) {
  mapi::message m;
  h.embedded.clear();
  auto key = decode_header(in);
  if (!key) [[unlikely]]
    return key.error();
  h.legacy_key = *key;
  const attribute_options aopts{.verify_checksums = opts.verify_checksums};
  std::vector<std::size_t> object_at;  // where each attachment's PtypObject value data starts
  while (!in.empty()) {
    if (!opts.strict && in.remaining() < 9 &&
        std::ranges::all_of(in.rest(), [](std::uint8_t b) { return b == 0; }))
      break;
    auto a = decode_attribute(in, aopts);
    if (!a) [[unlikely]]
      return a.error();
    const std::uint32_t id = canonical_id(a->ID);
    const bool lax = !opts.strict && id != static_cast<std::uint32_t>(attribute_id::attMAPIProps) &&
                     id != static_cast<std::uint32_t>(attribute_id::attAttachment) &&
                     id != static_cast<std::uint32_t>(attribute_id::attRecipTable);
    if (a->Level == attribute_level::LVL_MESSAGE) {
      if (auto r = apply_message_attribute(m, h, *a); !r && !lax) [[unlikely]]
        return r.error();
      continue;
    }
    // MS-OXTNEF 2.1.3.3: attAttachRenddata starts each attachment's attributes.
    if (id == static_cast<std::uint32_t>(attribute_id::attAttachRenddata) ||
        m.attachments.empty()) {
      m.attachments.emplace_back();
      object_at.push_back(0);
    }
    if (auto r = apply_attachment_attribute(m, m.attachments.back(), *a, object_at.back());
        !r && !lax) [[unlikely]]
      return r.error();
  }
  for (std::size_t i = 0; i < m.attachments.size(); ++i) {
    auto& att = m.attachments[i];
    if (auto r = decode_embedded(att, object_at[i], opts, h); !r) [[unlikely]]
      return r.error();
    // What attAttachRenddata gives every attachment, for one that came without it: afByValue
    // (afEmbeddedMessage, 5, for an embedded message) at no rendering position.
    set_legacy<PtypInteger32>(att.properties, prop::PidTagAttachMethod.id,
                              std::int32_t{att.embedded ? 5 : 1});
    set_legacy<PtypInteger32>(att.properties, prop::PidTagRenderingPosition.id, std::int32_t{-1});
  }
  return m;
}

}  // namespace detail

/// Decodes a whole TNEF stream (MS-OXTNEF 2.1.3), its header facts into `header`:
/// `auto m = tnef::decode(bytes, h);`. Errors carry the absolute offset (`base_offset` is that
/// of bytes[0]); nothing is left unread.
[[nodiscard]] inline result<mapi::message> decode(bytes_view bytes, stream_header& header,
                                                  const decode_options& opts = {},
                                                  std::size_t base_offset = 0) {
  reader in(bytes, base_offset);
  return detail::decode_stream(in, opts, header);
}

/// Decodes a whole TNEF stream when its header facts are not needed.
[[nodiscard]] inline result<mapi::message> decode(bytes_view bytes, const decode_options& opts = {},
                                                  std::size_t base_offset = 0) {
  stream_header header;
  return decode(bytes, header, opts, base_offset);
}

}  // namespace oxwire::tnef
