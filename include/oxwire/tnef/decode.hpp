// oxwire — TNEF stream -> message (MS-OXTNEF 2.1.3, reader behaviour of 2.3): attMAPIProps,
// attRecipTable and attAttachment through the TNEF property codec, the legacy attributes mapped
// to the properties the spec names (attSubject -> PidTagSubject, attDateSent ->
// PidTagClientSubmitTime, attAttachData -> PidTagAttachDataBinary, ...), embedded messages
// (PidTagAttachDataObject with IID_IMessage) decoded recursively. `decode_view` reads the stream
// in place (tnef/message_view.hpp: values point into the bytes); `decode` gives the model of
// oxwire/mapi/message.hpp. The stream header facts go to a stream_header when one is passed.
//
//   auto m = oxwire::tnef::decode(bytes);                        // result<mapi::message>
//   auto v = oxwire::tnef::decode_view(bytes);                   // result<tnef::message_view>
//   tnef::stream_header h;
//   auto lax = oxwire::tnef::decode(bytes, h, {.verify_checksums = false});
#pragma once

#include <oxwire/core/filetime.hpp>
#include <oxwire/gen/mapi/prop_nonspec.hpp>
#include <oxwire/gen/mapi/prop_tags.hpp>
#include <oxwire/tnef/attribute.hpp>
#include <oxwire/tnef/message.hpp>
#include <oxwire/tnef/message_view.hpp>
#include <oxwire/tnef/property_list.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

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

/// Which property ids an object holds, one bit each: the one-value-per-id rule in constant time.
struct id_bits {
  std::array<std::uint64_t, 1024> words{};
  [[nodiscard]] bool test(std::uint16_t id) const noexcept {
    return (words[id >> 6] >> (id & 63) & 1) != 0;
  }
  void set(std::uint16_t id) noexcept { words[id >> 6] |= std::uint64_t{1} << (id & 63); }
  void reset(std::uint16_t id) noexcept { words[id >> 6] &= ~(std::uint64_t{1} << (id & 63)); }
};

/// The id sets one stream's decoding uses at once (message, attachment, recipient row), per
/// thread: decoding allocates no table and clears none, as each builder leaves its set clear.
/// An embedded stream is decoded once the outer stream's builders have let go.
inline thread_local std::array<id_bits, 3> stream_ids{};
enum class ids_of : unsigned char { message, attachment, recipient };

/// A new value of `o` under `tag`, made in place (a value_view moves by a table call).
[[nodiscard]] inline mapi::value_view& add(object_view& o, mapi::property_tag tag) {
  auto& v = o.values.emplace_back();
  v.tag = tag;
  return v.value;
}

/// Fills one object_view by MS-OXTNEF 2.3: a property list's value replaces any value with its
/// id; a legacy attribute's value is kept only when no value with its id is there (the MAPI
/// properties of attMAPIProps and attAttachment take precedence, whatever the order).
class object_builder {
 public:
  explicit object_builder(ids_of which) noexcept
      : ids_(stream_ids[static_cast<unsigned char>(which)]) {}
  object_builder(const object_builder&) = delete;
  object_builder& operator=(const object_builder&) = delete;
  ~object_builder() { release(); }

  /// Lets go of the current object (its ids leave the set) and builds `o`.
  void bind(object_view& o) noexcept {
    release();
    obj_ = &o;
  }
  /// Lets go of the current object; call it before the object moves.
  void release() noexcept {
    if (!obj_) return;
    for (const auto& v : obj_->values) ids_.reset(v.tag.id());
    obj_ = nullptr;
  }
  [[nodiscard]] bool bound() const noexcept { return obj_ != nullptr; }
  [[nodiscard]] const object_view& object() const noexcept { return *obj_; }

  /// A property list's value: the place for it, where it replaces any value with its id (the
  /// sink of decode_property_list).
  [[nodiscard]] mapi::value_view& operator()(mapi::property_tag tag) {
    const std::uint16_t id = tag.id();
    if (ids_.test(id))
      std::erase_if(obj_->values, [id](const auto& x) { return x.tag.id() == id; });
    else
      ids_.set(id);
    return add(*obj_, tag);
  }
  void reserve(std::size_t more) { obj_->values.reserve(obj_->values.size() + more); }
  /// A legacy attribute's value.
  template <PropertyType T, class V>
  void legacy(std::uint16_t id, V&& v) {
    if (ids_.test(id)) return;
    ids_.set(id);
    add(*obj_, mapi::property_tag::make(id, T))
        .variant()
        .template emplace<mapi::detail::value_index(T)>(std::forward<V>(v));
  }

 private:
  id_bits& ids_;
  object_view* obj_ = nullptr;
};

/// An 8-bit legacy string (atpString, atpText) without its terminating NUL(s).
[[nodiscard]] inline std::string_view legacy_string(bytes_view b) noexcept {
  while (!b.empty() && b.back() == 0) b = b.first(b.size() - 1);
  return as_chars(b);
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
  const auto t = to_filetime(sys_days{ymd} + hours{h} + minutes{mi} + seconds{s});
  if (!t) [[unlikely]]  // past the last FILETIME (year 30828)
    return error{errc::invalid_attribute_value, a.data_offset, "atpDate"};
  return mapi::filetime{*t};
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
  std::string_view name, type, address;

  /// "TYPE:address" split at its colon; the type, a string of its own, ends at its NULs.
  void split_address() noexcept {
    if (const auto colon = address.find(':'); colon != std::string_view::npos) {
      type = address.substr(0, colon);
      while (!type.empty() && type.back() == '\0') type.remove_suffix(1);
      address.remove_prefix(colon + 1);
    }
  }
};

[[nodiscard]] inline result<counted_address> decode_counted_address(const attribute_view& a) {
  reader in(a.Data, a.data_offset);
  counted_address out;
  std::string_view* fields[] = {&out.name, &out.address};
  for (std::string_view* f : fields) {
    auto n = in.read<std::uint16_t>("display-name-length");
    if (!n) [[unlikely]]
      return n.error();
    auto s = in.bytes(*n, "display-name");
    if (!s) [[unlikely]]
      return s.error();
    *f = legacy_string(*s);
  }
  out.split_address();
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
  out.split_address();
  return out;
}

/// name, address type and address under the three ids given.
inline void set_address(object_builder& b, const counted_address& c, std::uint16_t name,
                        std::uint16_t type, std::uint16_t address) {
  if (!c.name.empty()) b.legacy<PtypString8>(name, c.name);
  if (!c.type.empty()) b.legacy<PtypString8>(type, c.type);
  if (!c.address.empty()) b.legacy<PtypString8>(address, c.address);
}

/// MS-OXTNEF 2.1.3.3.x attMessageClass: the legacy class names and their MAPI counterparts.
[[nodiscard]] inline std::string_view map_message_class(std::string_view c) noexcept {
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
    if (c == from) return to;
  return c;
}

/// attMessageID, attParentID, attConversationID: hex digits of a binary key (raw bytes if they
/// are not hex).
[[nodiscard]] inline bytes_view legacy_key_bytes(bytes_view b, scratch& held) {
  const std::string_view s = legacy_string(b);
  if (s.size() % 2 != 0) return b;
  std::vector<std::uint8_t> out;
  out.reserve(s.size() / 2);
  for (std::size_t i = 0; i < s.size(); i += 2) {
    const int hi = oxwire::detail::hex_digit(s[i]), lo = oxwire::detail::hex_digit(s[i + 1]);
    if (hi < 0 || lo < 0) return b;
    out.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
  }
  return held.keep(std::move(out));
}

/// What one stream's decoding holds: the message and the builders of its objects.
struct stream_state {
  message_view& m;
  stream_header& h;
  object_builder message{ids_of::message};
  object_builder attachment{ids_of::attachment};
};

/// MS-OXTNEF 2.1.3.3 attRecipTable: a 32-bit row count, then one MsgPropertyList per row.
[[nodiscard]] inline result<void> decode_recipient_table(reader& in, message_view& m) {
  auto n = read_value_count(in, 4);
  if (!n) [[unlikely]]
    return n.error();
  m.recipients.reserve(m.recipients.size() + *n);
  object_builder row{ids_of::recipient};
  for (std::uint32_t i = 0; i < *n; ++i) {
    row.release();  // before the vector moves the row
    row.bind(m.recipients.emplace_back());
    if (auto r = decode_property_list(in, m.names, m.held, row); !r) [[unlikely]]
      return r.error();
  }
  return {};
}

/// A property list attribute (attMAPIProps, attAttachment) into the object `b` builds; nothing
/// may follow the list.
[[nodiscard]] inline result<void> apply_property_list(message_view& m, object_builder& b,
                                                      const attribute_view& a, const char* what) {
  reader in(a.Data, a.data_offset);
  if (auto r = decode_property_list(in, m.names, m.held, b); !r) [[unlikely]]
    return r.error();
  if (!in.empty()) [[unlikely]]
    return error{errc::trailing_data, in.offset(), what};
  return {};
}

/// A message-level attribute into the message.
[[nodiscard]] inline result<void> apply_message_attribute(stream_state& st,
                                                          const attribute_view& a) {
  auto& m = st.m;
  auto& h = st.h;
  auto& bag = st.message;
  const auto date = [&](std::uint16_t id) -> result<void> {
    auto t = dtr_to_filetime(a);
    if (!t) [[unlikely]]
      return t.error();
    bag.legacy<PtypTime>(id, *t);
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
    case attribute_id::attMAPIProps: return apply_property_list(m, bag, a, "attMAPIProps");
    case attribute_id::attRecipTable: {
      reader in(a.Data, a.data_offset);
      if (auto r = decode_recipient_table(in, m); !r) [[unlikely]]
        return r.error();
      if (!in.empty()) [[unlikely]]
        return error{errc::trailing_data, in.offset(), "attRecipTable"};
      return {};
    }
    case attribute_id::attSubject:
      bag.legacy<PtypString8>(prop::PidTagSubject.id, legacy_string(a.Data));
      return {};
    case attribute_id::attBody:
      bag.legacy<PtypString8>(prop::PidTagBody.id, legacy_string(a.Data));
      return {};
    case attribute_id::attMessageClass:
      bag.legacy<PtypString8>(prop::PidTagMessageClass.id,
                              map_message_class(legacy_string(a.Data)));
      return {};
    case attribute_id::attOriginalMessageClass:
      bag.legacy<PtypString8>(prop::PidTagOriginalMessageClass.id,
                              map_message_class(legacy_string(a.Data)));
      return {};
    case attribute_id::attMessageID:
      bag.legacy<PtypBinary>(prop::PidTagSearchKey.id, legacy_key_bytes(a.Data, m.held));
      return {};
    case attribute_id::attParentID:
      bag.legacy<PtypBinary>(prop::PidTagParentKey.id, legacy_key_bytes(a.Data, m.held));
      return {};
    case attribute_id::attConversationID:
      bag.legacy<PtypBinary>(prop::nonspec::PidTagConversationKey.id,
                             legacy_key_bytes(a.Data, m.held));
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
      bag.legacy<PtypInteger32>(prop::PidTagImportance.id, std::int32_t{3 - *p});
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
      bag.legacy<PtypInteger32>(prop::PidTagMessageFlags.id, f);
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
      const auto* cls = bag.object().find(prop::PidTagMessageClass.tag().with_type(PtypString8));
      const bool response =
          cls && cls->value.get_if<PtypString8>()->starts_with("IPM.Schedule.Meeting.Resp");
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
      bag.legacy<PtypBinary>(prop::PidTagReceivedRepresentingEntryId.id, a.Data);
      return {};
    case attribute_id::attAidOwner: {
      auto v = legacy_scalar<std::uint32_t>(a, "attAidOwner");
      if (!v) [[unlikely]]
        return v.error();
      bag.legacy<PtypInteger32>(prop::PidTagOwnerAppointmentId.id, static_cast<std::int32_t>(*v));
      return {};
    }
    case attribute_id::attRequestRes: {
      auto v = legacy_scalar<std::uint16_t>(a, "attRequestRes");
      if (!v) [[unlikely]]
        return v.error();
      bag.legacy<PtypBoolean>(prop::PidTagResponseRequested.id, *v != 0);
      return {};
    }
    default: return {};  // attributes of the other level, and ones the spec does not define
  }
}

/// An attachment-level attribute into the current attachment.
[[nodiscard]] inline result<void> apply_attachment_attribute(stream_state& st,
                                                             const attribute_view& a) {
  auto& bag = st.attachment;
  const auto date = [&](std::uint16_t id) -> result<void> {
    auto t = dtr_to_filetime(a);
    if (!t) [[unlikely]]
      return t.error();
    bag.legacy<PtypTime>(id, *t);
    return {};
  };
  switch (static_cast<attribute_id>(canonical_id(a.ID))) {
    case attribute_id::attAttachment: return apply_property_list(st.m, bag, a, "attAttachment");
    case attribute_id::attAttachRenddata: {
      // RENDDATA: atyp (16), ulPosition (32), dxWidth, dyHeight (16 each), dwFlags (32).
      if (a.Data.size() != 14) [[unlikely]]
        return error{errc::invalid_attribute_length, a.offset + 5, "attAttachRenddata"};
      const auto atyp = oxwire::detail::load_le<std::uint16_t>(a.Data.data());
      const auto position = oxwire::detail::load_le<std::uint32_t>(a.Data.data() + 2);
      // atypOle (2) -> afOle (6); atypFile (1), atypPicture (3) -> afByValue (1).
      bag.legacy<PtypInteger32>(prop::PidTagAttachMethod.id, std::int32_t{atyp == 2 ? 6 : 1});
      bag.legacy<PtypInteger32>(prop::PidTagRenderingPosition.id,
                                static_cast<std::int32_t>(position));
      return {};
    }
    case attribute_id::attAttachData:
      bag.legacy<PtypBinary>(prop::PidTagAttachDataBinary.id, a.Data);
      return {};
    case attribute_id::attAttachTitle:
      bag.legacy<PtypString8>(prop::PidTagAttachFilename.id, legacy_string(a.Data));
      return {};
    case attribute_id::attAttachMetaFile:
      bag.legacy<PtypBinary>(prop::PidTagAttachRendering.id, a.Data);
      return {};
    case attribute_id::attAttachCreateDate: return date(prop::PidTagCreationTime.id);
    case attribute_id::attAttachModifyDate: return date(prop::PidTagLastModificationTime.id);
    case attribute_id::attAttachTransportFilename:
      bag.legacy<PtypString8>(prop::PidTagAttachTransportName.id, legacy_string(a.Data));
      return {};
    default: return {};
  }
}

/// A PtypInteger32 `v` under `id` unless the object has a value with that id.
inline void add_if_absent(object_view& o, std::uint16_t id, std::int32_t v) {
  if (!o.find_id(id))
    add(o, mapi::property_tag::make(id, PtypInteger32))
        .variant()
        .emplace<mapi::detail::value_index(PtypInteger32)>(v);
}

[[nodiscard]] inline result<message_view> decode_stream(reader& in, const decode_options& opts,
                                                        stream_header& h);

/// An attachment whose PidTagAttachDataObject is IID_IMessage + a TNEF stream: that stream
/// becomes `embedded` and the value leaves the attachment. `at` is the absolute offset of the
/// value's data (the IID).
[[nodiscard]] inline result<void> decode_embedded(attachment_view& att, std::size_t at,
                                                  bytes_view data, const decode_options& opts,
                                                  stream_header& h) {
  if (data.size() < 16) return {};
  reader iid_in(data);
  oxwire::guid iid{};
  (void)oxwire::decode(iid_in, iid);
  if (iid != IID_IMessage) return {};
  if (opts.depth >= opts.max_depth) [[unlikely]]
    return error{errc::nesting_too_deep, at, "PidTagAttachDataObject"};
  decode_options inner = opts;
  ++inner.depth;
  reader in(data.subspan(16), at + 16);
  stream_header embedded_header = h.embedded_header(h.embedded.size());
  auto e = decode_stream(in, inner, embedded_header);
  if (!e) [[unlikely]]
    return e.error();
  h.embedded.push_back(std::move(embedded_header));
  att.embedded = std::make_unique<message_view>(std::move(*e));
  const auto tag = prop::PidTagAttachDataObject.tag();
  std::erase_if(att.properties.values, [tag](const auto& v) { return v.tag == tag; });
  return {};
}

inline result<message_view> decode_stream(reader& in, const decode_options& opts,
                                          stream_header& h) {
  message_view m;
  h.embedded.clear();
  auto key = decode_header(in);
  if (!key) [[unlikely]]
    return key.error();
  h.legacy_key = *key;
  // Where the stream's bytes start: embedded streams report absolute offsets.
  const std::uint8_t* const origin = in.rest().data();
  const std::size_t origin_at = in.offset();
  const attribute_options aopts{.verify_checksums = opts.verify_checksums};
  {
    stream_state st{m, h};
    st.message.bind(m.properties);
    while (!in.empty()) {
      if (!opts.strict && in.remaining() < 9 &&
          std::ranges::all_of(in.rest(), [](std::uint8_t b) { return b == 0; }))
        break;
      auto a = decode_attribute(in, aopts);
      if (!a) [[unlikely]]
        return a.error();
      const std::uint32_t id = canonical_id(a->ID);
      const bool lax = !opts.strict &&
                       id != static_cast<std::uint32_t>(attribute_id::attMAPIProps) &&
                       id != static_cast<std::uint32_t>(attribute_id::attAttachment) &&
                       id != static_cast<std::uint32_t>(attribute_id::attRecipTable);
      if (a->Level == attribute_level::LVL_MESSAGE) {
        if (auto r = apply_message_attribute(st, *a); !r && !lax) [[unlikely]]
          return r.error();
        continue;
      }
      // MS-OXTNEF 2.1.3.3: attAttachRenddata starts each attachment's attributes.
      if (id == static_cast<std::uint32_t>(attribute_id::attAttachRenddata) ||
          !st.attachment.bound()) {
        st.attachment.release();  // before the vector moves the attachment
        st.attachment.bind(m.attachments.emplace_back().properties);
      }
      if (auto r = apply_attachment_attribute(st, *a); !r && !lax) [[unlikely]]
        return r.error();
    }
    st.attachment.release();
    st.message.release();
  }
  for (auto& att : m.attachments) {
    const auto* obj = att.properties.find(prop::PidTagAttachDataObject.tag());
    if (obj) {
      const bytes_view data = *obj->value.get_if<PtypObject>();
      const std::size_t at = origin_at + static_cast<std::size_t>(data.data() - origin);
      if (auto r = decode_embedded(att, at, data, opts, h); !r) [[unlikely]]
        return r.error();
    }
    // What attAttachRenddata gives every attachment, for one that came without it: afByValue
    // (afEmbeddedMessage, 5, for an embedded message) at no rendering position.
    add_if_absent(att.properties, prop::PidTagAttachMethod.id, att.embedded ? 5 : 1);
    add_if_absent(att.properties, prop::PidTagRenderingPosition.id, -1);
  }
  return m;
}

}  // namespace detail

/// Reads a whole TNEF stream (MS-OXTNEF 2.1.3) in place, its header facts into `header`: values
/// point into `bytes`, which must outlive the view. Errors carry the absolute offset
/// (`base_offset` is that of bytes[0]); nothing is left unread.
[[nodiscard]] inline result<message_view> decode_view(bytes_view bytes, stream_header& header,
                                                      const decode_options& opts = {},
                                                      std::size_t base_offset = 0) {
  reader in(bytes, base_offset);
  return detail::decode_stream(in, opts, header);
}

/// Reads a whole TNEF stream in place when its header facts are not needed.
[[nodiscard]] inline result<message_view> decode_view(bytes_view bytes,
                                                      const decode_options& opts = {},
                                                      std::size_t base_offset = 0) {
  stream_header header;
  return decode_view(bytes, header, opts, base_offset);
}

/// Decodes a whole TNEF stream into the owning model, its header facts into `header`:
/// `auto m = tnef::decode(bytes, h);`.
[[nodiscard]] inline result<mapi::message> decode(bytes_view bytes, stream_header& header,
                                                  const decode_options& opts = {},
                                                  std::size_t base_offset = 0) {
  auto v = decode_view(bytes, header, opts, base_offset);
  if (!v) [[unlikely]]
    return v.error();
  return to_owned(*v);
}

/// Decodes a whole TNEF stream when its header facts are not needed.
[[nodiscard]] inline result<mapi::message> decode(bytes_view bytes, const decode_options& opts = {},
                                                  std::size_t base_offset = 0) {
  stream_header header;
  return decode(bytes, header, opts, base_offset);
}

}  // namespace oxwire::tnef
