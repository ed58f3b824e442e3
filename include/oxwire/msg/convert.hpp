// oxwire — TNEF stream -> .msg file. Both codecs read and write the one message model of
// oxwire/mapi/message.hpp, so converting is settling what the two formats disagree on: a .msg
// file has one named-property map for all its messages (MS-OXMSG 2.2.3) where each TNEF stream
// carries its own names (MS-OXTNEF 2.1.3.4), and the code page of 8-bit strings is a stream
// header fact in TNEF (attOemCodepage) but a property in a .msg file (PidTagMessageCodepage).
//
//   auto file = oxwire::msg::from_tnef(winmail_dat);   // result<std::vector<std::uint8_t>>
#pragma once

#include <oxwire/msg/writer.hpp>
#include <oxwire/tnef/decode.hpp>

#include <vector>

namespace oxwire::msg {

namespace detail {
// MS-OXCMSG 2.2.1.4: the code page of the 8-bit strings, on each message naming none.
inline void set_codepage(mapi::message& m, std::uint32_t codepage) {
  if (!m.properties.find_id(mapi::prop::PidTagMessageCodepage.id) &&
      !m.properties.find_id(mapi::prop::PidTagInternetCodepage.id))
    m.properties.set(mapi::prop::PidTagMessageCodepage, static_cast<std::int32_t>(codepage));
  for (auto& a : m.attachments)
    if (a.embedded) set_codepage(**a.embedded, codepage);
}
}  // namespace detail

/// Fits a message decoded from a TNEF stream with header `h` for write_message: one
/// named-property map (mapi::unify_names), and the OEM code page as PidTagMessageCodepage on
/// each message that names no code page, when it is not the default 1252 (mapi::codepage_of).
[[nodiscard]] inline result<void> adopt_tnef(mapi::message& m, const tnef::stream_header& h) {
  if (auto r = mapi::unify_names(m); !r) [[unlikely]]
    return r;
  if (h.codepage.primary != 1252) detail::set_codepage(m, h.codepage.primary);
  return {};
}

/// The .msg file of a TNEF stream: `auto file = msg::from_tnef(bytes);`. Errors of the stream
/// carry their offset in `tnef`.
[[nodiscard]] inline result<std::vector<std::uint8_t>> from_tnef(
    bytes_view tnef, const tnef::decode_options& opts = {}) {
  tnef::stream_header h;
  auto m = tnef::decode(tnef, h, opts);
  if (!m) [[unlikely]]
    return m.error();
  if (auto r = adopt_tnef(*m, h); !r) [[unlikely]]
    return r.error();
  return write_message(*m);
}

}  // namespace oxwire::msg
