// Fuzzes the XML reader (XML text -> WBXML). Input starting with '<' or a UTF-8 BOM is XML text;
// anything else is taken as WBXML and, if it decodes, its XML (to_xml, plain and indented) is the
// input, so the WBXML seeds of seeds/wbxml/ reach the reader as well-formed documents. When the
// reader accepts the XML, its WBXML must decode, and WBXML -> XML -> WBXML must give the same bytes
// (the reader's output is canonical), except where the document has a whitespace-only string
// beside an element: xml.hpp writes it literally and the reader's whitespace rule drops it.
#include <oxwire/wbxml.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace wb = oxwire::wbxml;

void require(bool ok) {
  if (!ok) std::abort();
}

/// A whitespace-only string with an element sibling (not representable in xml.hpp's output).
bool whitespace_beside_element(const wb::document& doc) {
  for (const auto& n : doc.nodes()) {
    if (n.kind != wb::node_kind::text || n.parent == wb::document::npos) continue;
    const auto text = oxwire::as_chars(n.data);
    if (text.find_first_not_of(" \t\r\n") != std::string_view::npos) continue;
    for (auto c = doc.node_at(n.parent).first_child; c != wb::document::npos;
         c = doc.node_at(c).next_sibling)
      if (doc.node_at(c).kind == wb::node_kind::element) return true;
  }
  return false;
}

void check(std::string_view xml) {
  auto first = wb::from_xml(xml);
  if (!first) {
    require(first.error().offset <= xml.size());
    return;
  }
  auto doc = wb::decode(*first);
  require(doc.has_value());
  auto again = wb::to_xml(*doc);
  require(again.has_value());
  auto second = wb::from_xml(*again);
  require(second.has_value());
  require(*second == *first || whitespace_beside_element(*doc));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  if (in.starts_with('<') || in.starts_with("\xEF\xBB\xBF")) {
    check(in);
    return 0;
  }
  auto doc = wb::decode(oxwire::bytes_view(data, size));
  if (!doc) return 0;
  for (const bool indent : {false, true})
    if (auto xml = wb::to_xml(*doc, {.indent = indent})) check(*xml);
  return 0;
}
