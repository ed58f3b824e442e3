#pragma once
#include <oxwire/rtf/compressed.hpp>
#include <oxwire/rtf/deencapsulate.hpp>

#include "common.hpp"

namespace oxwire_cli {

inline constexpr std::string_view rtf_usage =
    "  oxwire rtf decompress [FILE|-]\n"
    "  oxwire rtf compress [--uncompressed] [FILE|-]\n"
    "  oxwire rtf html [FILE|-]\n";

// MS-OXRTFCP: PidTagRtfCompressed to RTF and back; MS-OXRTFEX: the HTML or text an RTF body
// encapsulates (input compressed, or plain RTF starting with '{'), as UTF-8.
inline int cmd_rtf(std::string_view verb, const args& a, const std::string& in) {
  for (std::string_view f : a.flags)
    if (verb != "compress" || f != "--uncompressed") return usage_requested;
  const auto bytes = oxwire::as_bytes(in);
  if (verb == "compress" || verb == "decompress") {
    const auto out = verb == "compress"
                         ? oxwire::rtf::compress(bytes, {.compressed = !a.has("--uncompressed")})
                         : oxwire::rtf::decompress(bytes);
    if (!out) return fail(out.error());
    write(*out);
    return 0;
  }
  if (verb != "html") return usage_requested;
  std::vector<std::uint8_t> rtf;
  if (in.empty() || in[0] != '{') {
    auto r = oxwire::rtf::decompress(bytes);
    if (!r) return fail(r.error());
    rtf = std::move(*r);
  } else {
    rtf.assign(bytes.begin(), bytes.end());
  }
  const auto doc = oxwire::rtf::deencapsulate(rtf);
  if (!doc) return fail(doc.error());
  write(doc->content);
  return 0;
}

}  // namespace oxwire_cli
