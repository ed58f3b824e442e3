// oxwire — WBXML -> XML text in the form ActiveSync XML is written (MS-ASCMD examples):
//
//   <?xml version="1.0" encoding="utf-8"?>
//   <Sync xmlns="AirSync:" xmlns:airsyncbase="AirSyncBase:"><Collections>...
//
//   auto xml = oxwire::wbxml::to_xml(body, {.indent = true});   // result<std::string>
//
// The root element's code page is the default namespace; every other code page used in the
// document is declared on the root, in order of first use, with the prefix = its namespace in
// lower case ("airsyncbase"), and its elements carry that prefix. Text escapes & < > and CR
// (as &#13;, so that an XML parser gives back the CR). MS-ASWBXML has no rule for OPAQUE content
// in XML; oxwire writes it as base64 (core/base64.hpp, RFC 4648 with padding), which is how the
// XML schemas type the opaque-carried elements that are binary (e.g. airsyncbase:Content).
#pragma once

#include <oxwire/core/base64.hpp>
#include <oxwire/core/error.hpp>
#include <oxwire/wbxml/codepages.hpp>
#include <oxwire/wbxml/error.hpp>
#include <oxwire/wbxml/tree.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace oxwire::wbxml {

struct xml_options {
  bool indent = false;           // children of element-only elements on their own lines
  std::size_t indent_width = 2;  // spaces per level
  bool declaration = true;       // <?xml version="1.0" encoding="utf-8"?>
  bool namespace_colon = true;   // "AirSync:" as in MS-ASCMD; false: "AirSync" as in the XSDs
};

namespace detail {

/// Bytes of text that need more than copying: & < > CR, and C0 controls XML 1.0 forbids.
inline constexpr std::array<bool, 256> xml_special = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = c != '\t' && c != '\n';
  t['&'] = t['<'] = t['>'] = true;
  t[0xEF] = true;  // lead byte of U+FFFE / U+FFFF (not XML characters)
  return t;
}();

/// Appends escaped UTF-8 text; not_xml_char (at `offset`, the string's token) for a character
/// XML 1.0 cannot carry.
inline result<void> append_xml_text(std::string& out, bytes_view s, std::size_t offset) {
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const std::uint8_t c = s[i];
    if (!xml_special[c]) continue;
    const char* rep = nullptr;
    switch (c) {
      case '&': rep = "&amp;"; break;
      case '<': rep = "&lt;"; break;
      case '>': rep = "&gt;"; break;
      case '\r': rep = "&#13;"; break;
      case 0xEF:
        if (i + 2 < s.size() && s[i + 1] == 0xBF && (s[i + 2] == 0xBE || s[i + 2] == 0xBF))
          return error{errc::not_xml_char, offset, "U+FFFE or U+FFFF in text"};
        continue;
      default: return error{errc::not_xml_char, offset, "control character in text"};
    }
    out.append(as_chars(s.subspan(run, i - run)));
    out.append(rep);
    run = i + 1;
  }
  out.append(as_chars(s.subspan(run)));
  return {};
}

}  // namespace detail

/// The XML text of a tree: `auto xml = oxwire::wbxml::to_xml(doc);`.
[[nodiscard]] inline result<std::string> to_xml(const document& doc, const xml_options& opt = {}) {
  const auto nodes = doc.nodes();
  std::string out;
  out.reserve(nodes.size() * 24);
  if (opt.declaration) out += R"(<?xml version="1.0" encoding="utf-8"?>)";
  if (nodes.empty()) return out;

  // Code pages in order of first use; the first top-level element's page is the default.
  std::array<bool, code_page_count> used{};
  std::array<std::uint8_t, code_page_count> order{};
  std::size_t pages = 0;
  for (const node& n : nodes)
    if (n.kind == node_kind::element && !used[n.page]) used[n.page] = true, order[pages++] = n.page;
  const std::uint8_t default_page = nodes[0].page;
  const std::string_view colon = opt.namespace_colon ? ":" : "";
  auto append_lower = [&](std::string_view s) {
    for (char c : s) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  };
  auto qname = [&](const node& n) {
    if (n.page != default_page) append_lower(page_namespace(n.page)), out += ':';
    out += find_tag(n.page, n.token)->name;
  };
  auto element_only = [&](const node& n) {
    for (auto c = n.first_child; c != document::npos; c = nodes[c].next_sibling)
      if (nodes[c].kind != node_kind::element) return false;
    return true;
  };
  auto newline = [&](std::size_t depth) {
    out += '\n';
    out.append(depth * opt.indent_width, ' ');
  };

  std::size_t depth = 0;
  std::uint32_t i = 0;
  while (i != document::npos) {
    const node& n = nodes[i];
    const bool parent_block =
        opt.indent && (n.parent == document::npos || element_only(nodes[n.parent]));
    if (parent_block && (n.parent != document::npos || opt.declaration || i != 0)) newline(depth);
    switch (n.kind) {
      case node_kind::element: {
        if (!find_tag(n.page, n.token))
          return error{errc::unknown_token, n.offset, "tag"};  // a tree built by hand
        out += '<';
        qname(n);
        if (n.parent == document::npos) {
          ((out += " xmlns=\"") += page_namespace(default_page)) += colon, out += '"';
          for (std::size_t k = 0; k < pages; ++k) {
            if (order[k] == default_page) continue;
            out += " xmlns:";
            append_lower(page_namespace(order[k]));
            ((out += "=\"") += page_namespace(order[k])) += colon, out += '"';
          }
        }
        out += n.first_child == document::npos ? "/>" : ">";
        break;
      }
      case node_kind::text:
        if (auto r = detail::append_xml_text(out, n.data, n.offset); !r) return r.error();
        break;
      case node_kind::opaque: {
        const std::size_t at = out.size();
        out.resize(at + base64::encoded_size(n.data.size()));
        (void)base64::encode(n.data, std::span<char>(out).subspan(at));  // sized exactly
        break;
      }
    }
    if (n.first_child != document::npos) {
      ++depth;
      i = n.first_child;
      continue;
    }
    while (i != document::npos && nodes[i].next_sibling == document::npos) {
      i = nodes[i].parent;
      if (i == document::npos) break;
      --depth;
      if (opt.indent && element_only(nodes[i])) newline(depth);
      out += "</";
      qname(nodes[i]);
      out += '>';
    }
    if (i != document::npos) i = nodes[i].next_sibling;
  }
  return out;
}

/// Decodes WBXML and writes it as XML text: `auto xml = oxwire::wbxml::to_xml(body);`.
/// With options::validate_utf8 off, ill-formed strings are copied into the XML as they are.
[[nodiscard]] inline result<std::string> to_xml(bytes_view wbxml, const xml_options& opt = {},
                                                const options& decode_opt = {}) {
  auto doc = decode(wbxml, decode_opt);
  if (!doc) return doc.error();
  return to_xml(*doc, opt);
}

}  // namespace oxwire::wbxml
