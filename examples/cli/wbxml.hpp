#pragma once
#include <oxwire/activesync/validator.hpp>
#include <oxwire/wbxml.hpp>

#include "common.hpp"

namespace oxwire_cli {

inline constexpr std::string_view wbxml_usage =
    "  oxwire wbxml decode [--indent] [--validate [--version V]] [FILE|-]\n"
    "  oxwire wbxml encode [--validate [--version V]] [FILE|-]\n"
    "      --validate checks the body against the ActiveSync request and response content\n"
    "      models for protocol version V (12.1, 14.0, 14.1, 16.0, 16.1; default 16.1); the\n"
    "      offset is the WBXML byte offset, followed by the element path\n";

// The body is valid if it is a valid request or a valid response (its direction is not in the
// WBXML); otherwise the violation of the direction that read further is reported.
inline int validate_wbxml(oxwire::bytes_view body, oxwire::activesync::protocol_version v) {
  namespace as = oxwire::activesync;
  as::validator request(v, {.dir = as::direction::request});
  const auto rq = request.run(body);
  if (rq) return 0;
  as::validator response(v, {.dir = as::direction::response});
  const auto rs = response.run(body);
  if (rs) return 0;
  const bool req_further = rq.error().offset >= rs.error().offset;
  const auto& e = req_further ? rq.error() : rs.error();
  const auto path = req_further ? request.path() : response.path();
  std::cerr << "error: " << e.message() << (path.empty() ? "" : " in ") << path << "\n";
  return exit_decode;
}

// decode: WBXML -> XML text (one line, or --indent); encode: XML text -> canonical WBXML, so
// that `decode | encode` gives back any canonical body byte for byte. --validate checks the
// WBXML (the input of decode, the output of encode) before anything is written.
inline int cmd_wbxml(std::string_view verb, const args& a, const std::string& in) {
  const bool decode = verb == "decode";
  if (!decode && verb != "encode") return usage_requested;
  for (std::string_view f : a.flags)
    if (!(decode && f == "--indent") && f != "--validate" && f != "--version")
      return usage_requested;
  const bool validate = a.has("--validate");
  auto version = oxwire::activesync::protocol_version::v16_1;
  if (const auto* v = a.value("--version")) {
    const auto p = oxwire::activesync::parse_protocol_version(*v);
    if (!validate || !p || *p == oxwire::activesync::protocol_version::v2_5 ||
        *p == oxwire::activesync::protocol_version::v12_0) {
      std::cerr << "error: --version takes 12.1, 14.0, 14.1, 16.0 or 16.1 with --validate\n";
      return exit_usage;
    }
    version = *p;
  }
  if (decode) {
    if (validate)
      if (const int rc = validate_wbxml(oxwire::as_bytes(in), version)) return rc;
    auto xml = oxwire::wbxml::to_xml(oxwire::as_bytes(in), {.indent = a.has("--indent")});
    if (!xml) return fail(xml.error());
    write(*xml + "\n");
    return 0;
  }
  auto wbxml = oxwire::wbxml::from_xml(in);
  if (!wbxml) return fail(wbxml.error());
  if (validate)
    if (const int rc = validate_wbxml(*wbxml, version)) return rc;
  write(*wbxml);
  return 0;
}

}  // namespace oxwire_cli
