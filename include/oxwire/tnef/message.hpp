// oxwire — what a TNEF stream carries beside its message: the message itself is the model the
// .msg codec shares (oxwire/mapi/message.hpp); the stream header facts that no property holds
// (MS-OXTNEF 2.1.3.1 LegacyKey, attTnefVersion, attOemCodepage) are a stream_header.
//
//   oxwire::tnef::stream_header h;
//   oxwire::mapi::message m = oxwire::tnef::decode(bytes, h).value();
//   auto subject = oxwire::mapi::text_of(m.properties, 0x0037, h.codepage.primary);
#pragma once

#include <oxwire/mapi/message.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace oxwire::tnef {

/// MS-OXTNEF 2.1.3.3 attOemCodepage: the code page of the 8-bit strings (legacy attributes and
/// PtypString8 properties).
struct oem_codepage {
  std::uint32_t primary = 1252;
  std::uint32_t secondary = 0;
  friend constexpr bool operator==(oem_codepage, oem_codepage) noexcept = default;
};

/// The facts of a TNEF stream that are not message properties. Each embedded message travels as
/// a TNEF stream of its own, with its own signature, LegacyKey, attTnefVersion and attOemCodepage
/// (MS-OXTNEF 2.1.3.4 PidTagAttachDataObject): `embedded` holds those streams' headers, one per
/// attachment with an embedded message, in attachment order. The decoder fills it (a header an
/// embedded stream lacks an attribute of takes the outer stream's value); the encoder writes the
/// i-th embedded message with `embedded[i]`, and with the outer header (without `embedded`) when
/// there are fewer.
struct stream_header {
  std::uint16_t legacy_key = 0;             // MS-OXTNEF 2.1.3.1 LegacyKey
  std::uint32_t tnef_version = 0x00010000;  // attTnefVersion
  oem_codepage codepage{};                  // attOemCodepage
  std::vector<stream_header> embedded{};
  friend bool operator==(const stream_header&, const stream_header&) = default;

  /// The header of the `i`-th embedded message's stream.
  [[nodiscard]] stream_header embedded_header(std::size_t i) const {
    if (i < embedded.size()) return embedded[i];
    return {legacy_key, tnef_version, codepage, {}};
  }
};

}  // namespace oxwire::tnef
