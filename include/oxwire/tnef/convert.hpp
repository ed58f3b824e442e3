// oxwire — .msg file -> TNEF stream. Both codecs read and write the one message model of
// oxwire/mapi/message.hpp; the stream header gets the message's code page (MS-OXCMSG 2.2.1.4
// PidTagMessageCodepage, else PidTagInternetCodepage, else 1252) as attOemCodepage, and every
// embedded message the file's named-property map (each TNEF stream carries its own names).
//
//   auto winmail_dat = oxwire::tnef::from_msg(file);   // result<std::vector<std::uint8_t>>
#pragma once

#include <oxwire/msg/reader.hpp>
#include <oxwire/tnef/encode.hpp>

#include <vector>

namespace oxwire::tnef {

/// The header a message read from a .msg file is written with: its code page as the OEM one.
[[nodiscard]] inline stream_header header_for(const mapi::message& m) {
  return {.codepage = {mapi::codepage_of(m.properties), 0}};
}

struct from_msg_options {
  msg::read_options read{};
  /// A named property whose id the file's map does not name cannot be written (TNEF carries
  /// each name inline, MS-OXTNEF 2.1.3.4): false refuses it (mapi::errc::unresolved_named_property
  /// at its offset in the stream being written), true leaves it out (mapi::drop_unnamed).
  bool drop_unnamed = false;
};

/// The TNEF stream of a .msg file: `auto wire = tnef::from_msg(bytes);`. Errors of the file
/// carry their offset in `file`.
[[nodiscard]] inline result<std::vector<std::uint8_t>> from_msg(bytes_view file,
                                                                const from_msg_options& opt = {}) {
  auto m = msg::read_message(file, opt.read);
  if (!m) [[unlikely]]
    return m.error();
  if (opt.drop_unnamed) (void)mapi::drop_unnamed(*m);
  if (auto r = mapi::unify_names(*m); !r) [[unlikely]]
    return r.error();
  return encode(*m, header_for(*m));
}

}  // namespace oxwire::tnef
