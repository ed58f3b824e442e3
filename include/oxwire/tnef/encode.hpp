// oxwire — message -> TNEF stream (MS-OXTNEF 2.2, writer behaviour). Every property travels in
// attMAPIProps / attRecipTable / attAttachment; beside them the legacy attributes that readers
// which know no MAPI rely on: attTnefVersion, attOemCodepage, attMessageClass, attSubject, and per
// attachment attAttachRenddata, attAttachTitle and attAttachData. Embedded messages are written
// as PidTagAttachDataObject = IID_IMessage + their own TNEF stream, with the header
// stream_header::embedded gives them (else the outer stream's).
//
//   std::vector<std::uint8_t> wire = oxwire::tnef::encode(m).value();   // m: mapi::message
//   auto again = oxwire::tnef::encode(m, {.legacy_key = 0x1234});
#pragma once

#include <oxwire/core/utf16.hpp>
#include <oxwire/tnef/decode.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace oxwire::tnef {

namespace detail {

/// Writes one attribute whose data `body(w)` writes in place; Length and Checksum are filled in
/// afterwards.
template <class Sink, class Body>
[[nodiscard]] result<void> write_attribute(basic_writer<Sink>& w, attribute_level level,
                                           attribute_id id, Body&& body) {
  if (auto r = w.template write<std::uint8_t>(static_cast<std::uint8_t>(level), "Level"); !r)
    return r;
  if (auto r = w.template write<std::uint32_t>(static_cast<std::uint32_t>(id), "ID"); !r) return r;
  auto length_at = w.template reserve_at<std::uint32_t>("Length");
  if (!length_at) return length_at.error();
  const std::size_t start = w.size();
  if (auto r = body(w); !r) return r;
  const std::size_t length = w.size() - start;
  if (length > 0xFFFFFFFFu) [[unlikely]]
    return error{oxwire::errc::out_of_range, *length_at, "Length"};
  if (auto r = w.template patch<std::uint32_t>(*length_at, static_cast<std::uint32_t>(length)); !r)
    return r;
  return w.template write<std::uint16_t>(checksum(bytes_view(w.data() + start, length)),
                                         "Checksum");
}

/// The 8-bit text of a string property for a legacy attribute (attSubject, attMessageClass,
/// attAttachTitle: MS-OXTNEF 2.1.3.3, 8-bit strings in the attOemCodepage code page): a PtypString8
/// as it is, a PtypString converted to the OEM code page (mapi::utf16_to_string8). A character
/// the code page cannot represent becomes '?': the legacy attribute has no escape for it, and the
/// exact text travels beside it as the PtypString property in attMAPIProps / attAttachment,
/// which readers take in preference to the legacy attribute.
[[nodiscard]] inline std::optional<std::string> legacy_text(const mapi::property_bag& bag,
                                                            std::uint16_t id, oem_codepage cp) {
  const auto* v = bag.find_id(id);
  if (!v) return std::nullopt;
  if (const auto* s8 = v->value.get_if<PtypString8>()) return *s8;
  const auto* s = v->value.get_if<PtypString>();
  if (!s) return std::nullopt;
  return mapi::utf16_to_string8(*s, cp.primary);
}

template <class Sink>
[[nodiscard]] result<void> write_text_attribute(basic_writer<Sink>& w, attribute_level level,
                                                attribute_id id, const std::string& s) {
  return write_attribute(w, level, id, [&](basic_writer<Sink>& o) -> result<void> {
    if (auto r = o.write_bytes(as_bytes(s)); !r) return r;
    return o.template write<std::uint8_t>(0);
  });
}

template <class Sink>
[[nodiscard]] result<void> encode_stream(basic_writer<Sink>& w, const mapi::message& m,
                                         const stream_header& h);

/// `h`: the header of the embedded message's stream, if `a` has one.
template <class Sink>
[[nodiscard]] result<void> encode_attachment(basic_writer<Sink>& w, const mapi::message& m,
                                             const stream_header& h, const mapi::attachment& a) {
  constexpr auto LVL = attribute_level::LVL_ATTACHMENT;
  const auto& bag = a.properties;
  // RENDDATA: atyp, ulPosition, dxWidth, dyHeight, dwFlags (MS-OXTNEF 2.1.3.3).
  const auto method = bag.get(prop::PidTagAttachMethod).value_or(1);
  const auto position = bag.get(prop::PidTagRenderingPosition).value_or(-1);
  if (auto r = write_attribute(w, LVL, attribute_id::attAttachRenddata,
                               [&](basic_writer<Sink>& o) -> result<void> {
                                 if (auto x = o.template write<std::uint16_t>(method == 6 ? 2 : 1);
                                     !x)
                                   return x;
                                 if (auto x = o.template write<std::int32_t>(position); !x)
                                   return x;
                                 return o.fill(8, 0);
                               });
      !r)
    return r;
  if (auto title = legacy_text(bag, prop::PidTagAttachFilename.id, h.codepage))
    if (auto r = write_text_attribute(w, LVL, attribute_id::attAttachTitle, *title); !r) return r;
  const auto* data = bag.find(prop::PidTagAttachDataBinary.tag());
  if (data) {
    const auto& b = *data->get_if<PtypBinary>();
    if (auto r = encode_attribute(w, LVL, attribute_id::attAttachData, b); !r) return r;
  }
  return write_attribute(
      w, LVL, attribute_id::attAttachment, [&](basic_writer<Sink>& o) -> result<void> {
        const auto data_tag = prop::PidTagAttachDataBinary.tag();
        const auto object_tag = prop::PidTagAttachDataObject.tag();
        const bool embedded = a.embedded.has_value();
        auto keep = [&](mapi::property_tag t) {
          return t != data_tag && !(embedded && t == object_tag);
        };
        if (auto r = encode_property_list(o, bag, m.names, keep, embedded ? 1 : 0); !r) return r;
        if (!embedded) return {};
        // PidTagAttachDataObject: one value, IID_IMessage + the TNEF stream.
        if (auto r = o.template write<std::uint32_t>(object_tag.value); !r) return r;
        if (auto r = o.template write<std::uint32_t>(1); !r) return r;
        auto size_at = o.template reserve_at<std::uint32_t>("ValueSize");
        if (!size_at) return size_at.error();
        if (auto r = oxwire::encode(o, IID_IMessage); !r) return r;
        if (auto r = encode_stream(o, **a.embedded, h); !r) return r;
        const std::size_t size = o.size() - *size_at - 4;
        if (size > 0xFFFFFFFFu) [[unlikely]]
          return error{oxwire::errc::out_of_range, *size_at, "ValueSize"};
        if (auto r = o.template patch<std::uint32_t>(*size_at, static_cast<std::uint32_t>(size));
            !r)
          return r;
        return o.fill(padding_of(size), 0, "Padding");
      });
}

template <class Sink>
[[nodiscard]] result<void> encode_stream(basic_writer<Sink>& w, const mapi::message& m,
                                         const stream_header& h) {
  constexpr auto LVL = attribute_level::LVL_MESSAGE;
  if (auto r = encode_header(w, h.legacy_key); !r) return r;
  if (auto r = write_attribute(
          w, LVL, attribute_id::attTnefVersion,
          [&](basic_writer<Sink>& o) { return o.template write<std::uint32_t>(h.tnef_version); });
      !r)
    return r;
  if (auto r = write_attribute(w, LVL, attribute_id::attOemCodepage,
                               [&](basic_writer<Sink>& o) -> result<void> {
                                 if (auto x = o.template write<std::uint32_t>(h.codepage.primary);
                                     !x)
                                   return x;
                                 return o.template write<std::uint32_t>(h.codepage.secondary);
                               });
      !r)
    return r;
  if (auto c = legacy_text(m.properties, prop::PidTagMessageClass.id, h.codepage))
    if (auto r = write_text_attribute(w, LVL, attribute_id::attMessageClass, *c); !r) return r;
  if (auto s = legacy_text(m.properties, prop::PidTagSubject.id, h.codepage))
    if (auto r = write_text_attribute(w, LVL, attribute_id::attSubject, *s); !r) return r;
  if (!m.properties.empty())
    if (auto r = write_attribute(
            w, LVL, attribute_id::attMAPIProps,
            [&](basic_writer<Sink>& o) { return encode_property_list(o, m.properties, m.names); });
        !r)
      return r;
  if (!m.recipients.empty())
    if (auto r = write_attribute(w, LVL, attribute_id::attRecipTable,
                                 [&](basic_writer<Sink>& o) {
                                   return encode_recipient_table(o, m.recipients, m.names);
                                 });
        !r)
      return r;
  std::size_t embedded = 0;
  for (const auto& a : m.attachments)
    if (auto r = encode_attachment(w, m, a.embedded ? h.embedded_header(embedded++) : h, a); !r)
      return r;
  return {};
}

}  // namespace detail

/// Appends the TNEF stream of `m` with header `h` to what `w` holds: `encode(w, m)`. Positions
/// in errors count from the start of w's buffer.
template <class Sink>
[[nodiscard]] result<void> encode(basic_writer<Sink>& w, const mapi::message& m,
                                  const stream_header& h = {}) {
  return detail::encode_stream(w, m, h);
}

/// The TNEF stream of `m` with header `h`: `auto wire = tnef::encode(m);`.
[[nodiscard]] inline result<std::vector<std::uint8_t>> encode(const mapi::message& m,
                                                              const stream_header& h = {}) {
  std::vector<std::uint8_t> out;
  vector_writer w(out);
  if (auto r = detail::encode_stream(w, m, h); !r) return r.error();
  return out;
}

}  // namespace oxwire::tnef
