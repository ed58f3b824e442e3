#pragma once
#include <oxwire/wbxml.hpp>

#include "common.hpp"

namespace oxwire_cli {

inline constexpr std::string_view wbxml_usage =
    "  oxwire wbxml decode [--indent] [FILE|-]\n"
    "  oxwire wbxml encode [FILE|-]\n";

// decode: WBXML -> XML text (one line, or --indent); encode: XML text -> canonical WBXML, so
// that `decode | encode` gives back any canonical body byte for byte.
inline int cmd_wbxml(std::string_view verb, const args& a, const std::string& in) {
  const bool decode = verb == "decode";
  if (!decode && verb != "encode") return usage_requested;
  for (std::string_view f : a.flags)
    if (!(decode && f == "--indent")) return usage_requested;
  // A --validate option (checking against the ActiveSync schemas) belongs here, applied to the
  // decoded tree before it is written and to the XML before it is encoded.
  if (decode) {
    auto xml = oxwire::wbxml::to_xml(oxwire::as_bytes(in), {.indent = a.has("--indent")});
    if (!xml) return fail(xml.error());
    write(*xml + "\n");
    return 0;
  }
  auto wbxml = oxwire::wbxml::from_xml(in);
  if (!wbxml) return fail(wbxml.error());
  write(*wbxml);
  return 0;
}

}  // namespace oxwire_cli
