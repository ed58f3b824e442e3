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
//
// Speed: one output buffer written through a pointer, escapes found 32 bytes at a time
// (detail/wbxml_xml_escape.hpp), and `to_xml(bytes)` without indentation writes straight from
// the tokenizer's events without building a tree. The root's namespace declarations are only
// known at the end; they are inserted then (one move of the output).
#pragma once

#include <oxwire/core/base64.hpp>
#include <oxwire/core/error.hpp>
#include <oxwire/detail/cpu.hpp>
#include <oxwire/detail/wbxml_xml_escape.hpp>
#include <oxwire/wbxml/codepages.hpp>
#include <oxwire/wbxml/error.hpp>
#include <oxwire/wbxml/tree.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace oxwire::wbxml {

struct xml_options {
  bool indent = false;           // children of element-only elements on their own lines
  std::size_t indent_width = 2;  // spaces per level
  bool declaration = true;       // <?xml version="1.0" encoding="utf-8"?>
  bool namespace_colon = true;   // "AirSync:" as in MS-ASCMD; false: "AirSync" as in the XSDs
};

namespace detail {

inline constexpr std::string_view xml_declaration = R"(<?xml version="1.0" encoding="utf-8"?>)";

/// Longest code page namespace (the prefixes are kept in fixed arrays).
inline constexpr std::size_t max_namespace = [] {
  std::size_t m = 0;
  for (std::size_t p = 0; p < page_count; ++p)
    m = page_namespaces[p].size() > m ? page_namespaces[p].size() : m;
  return m;
}();

/// The tag name of a (page, token) the tables have, or "" (WAP-192-WBXML 5.8.2).
[[nodiscard]] inline std::string_view tag_name(std::uint8_t page, std::uint8_t token) noexcept {
  const int slot = page < page_count && token < 64 ? tag_slots[page * 64u + token] : 0;
  if (slot > 0) return gen::wbxml_tags[static_cast<std::size_t>(slot - 1)].tag;
  if (slot < 0) return gen::wbxml_legacy_tags[static_cast<std::size_t>(-slot - 1)].tag;
  return {};
}

/// Writes XML text for a stream of events (from the tokenizer or a tree walk) into one buffer.
/// The first element's code page is the default namespace; every page is declared on each
/// top-level element, in order of first use, once the whole document has been seen (`finish`).
class xml_writer {
 public:
  xml_writer(std::string& out, const xml_options& opt, std::size_t size_hint)
      : out_(&out), opt_(opt), isa_(oxwire::detail::best_isa()) {
    out.clear();
    grow(size_hint + 64);
    open_.reserve(64);
  }

  /// A start tag; with `has_content` its '>' waits for the next event ("/>" if that is `end`).
  /// False (see `error`) if the tables do not have the tag.
  [[nodiscard]] bool start(std::uint8_t page, std::uint8_t token, bool has_content,
                           std::size_t offset) {
    const std::string_view name = tag_name(page, token);
    if (name.empty()) return fail(errc::unknown_token, offset, "tag");  // a tree built by hand
    close_pending();
    if (!seen_any_) seen_any_ = true, default_page_ = page;
    if (!used_[page]) use(page);
    char* w = room(4 + prefix_len_[page] + name.size());  // "<", the name, "/>"
    *w++ = '<';
    w = put_qname(w, page, name);
    w_ = w;
    if (open_.empty()) roots_.push_back(size());  // namespace declarations go here
    if (has_content) {
      open_.push_back(static_cast<std::uint16_t>(page << 8 | token));
      pending_ = true;
    } else {
      w_[0] = '/', w_[1] = '>', w_ += 2;
    }
    return true;
  }

  /// The END of the innermost element with content; `newline`: its closing tag on a new line
  /// (indentation; never for an element without children, which ends as "/>").
  void end(bool newline = false) {
    const std::uint16_t e = open_.back();
    open_.pop_back();
    if (pending_) {
      pending_ = false;
      char* w = room(2);
      w[0] = '/', w[1] = '>', w_ = w + 2;
      return;
    }
    if (newline) this->newline(open_.size());
    const auto page = static_cast<std::uint8_t>(e >> 8);
    const std::string_view name = tag_name(page, static_cast<std::uint8_t>(e & 0xFF));
    char* w = room(3 + prefix_len_[page] + name.size());
    w[0] = '<', w[1] = '/';
    w = put_qname(w + 2, page, name);
    *w++ = '>';
    w_ = w;
  }

  /// Escaped UTF-8 text; false (see `error`: not_xml_char at `offset`, the string's token) for
  /// a character XML 1.0 cannot carry.
  [[nodiscard]] bool text(bytes_view s, std::size_t offset) {
    close_pending();
    const std::uint8_t* p = s.data();
    std::size_t n = s.size();
    for (;;) {
      const std::size_t run = oxwire::detail::xml_special_at(p, n, isa_);
      char* w = room(run + 5);  // the run and one escape
      std::memcpy(w, p, run);
      w += run;
      if (run == n) {
        w_ = w;
        return true;
      }
      std::string_view rep;
      switch (p[run]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '\r': rep = "&#13;"; break;
        case 0xEF:
          if (n - run > 2 && p[run + 1] == 0xBF && (p[run + 2] == 0xBE || p[run + 2] == 0xBF))
            return fail(errc::not_xml_char, offset, "U+FFFE or U+FFFF in text");
          rep = "\xEF";
          break;
        default: return fail(errc::not_xml_char, offset, "control character in text");
      }
      std::memcpy(w, rep.data(), rep.size());
      w_ = w + rep.size();
      p += run + 1;
      n -= run + 1;
    }
  }

  /// Opaque data as base64 (see the top of this file).
  void opaque(bytes_view data) {
    close_pending();
    const std::size_t len = base64::encoded_size(data.size());
    char* w = room(len);
    (void)base64::encode(data, std::span<char>(w, len));  // sized exactly
    w_ = w + len;
  }

  /// A line break and `depth` levels of indentation.
  void newline(std::size_t depth) {
    close_pending();
    const std::size_t k = depth * opt_.indent_width;
    char* w = room(1 + k);
    *w++ = '\n';
    std::memset(w, ' ', k);
    w_ = w + k;
  }

  /// Why `start` or `text` returned false.
  [[nodiscard]] const oxwire::error& error() const noexcept { return err_; }

  /// Elements with content open now.
  [[nodiscard]] std::size_t depth() const noexcept { return open_.size(); }
  /// Whether any element was written.
  [[nodiscard]] bool started() const noexcept { return seen_any_; }

  /// Trims the buffer and inserts the XML declaration and the namespace declarations.
  void finish() {
    const std::size_t body = size();
    std::string decl;
    if (seen_any_) {
      const std::string_view colon = opt_.namespace_colon ? ":" : "";
      ((decl += " xmlns=\"") += page_namespaces[default_page_]) += colon, decl += '"';
      for (std::size_t k = 0; k < pages_; ++k) {
        const std::uint8_t page = order_[k];
        if (page == default_page_) continue;
        (decl += " xmlns:").append(lower_[page].data(), prefix_len_[page] - 1);
        ((decl += "=\"") += page_namespaces[page]) += colon, decl += '"';
      }
    }
    const std::size_t head = opt_.declaration ? xml_declaration.size() : 0;
    const std::size_t total = body + head + roots_.size() * decl.size();
    out_->resize(total > out_->size() ? total : out_->size());
    char* const base = out_->data();
    // Move the pieces between insertion points right, last first.
    std::size_t end = body;
    for (std::size_t k = roots_.size(); k-- > 0;) {
      const std::size_t at = roots_[k], shift = head + (k + 1) * decl.size();
      std::memmove(base + at + shift, base + at, end - at);
      std::memcpy(base + at + shift - decl.size(), decl.data(), decl.size());
      end = at;
    }
    std::memmove(base + head, base, end);
    std::memcpy(base, xml_declaration.data(), head);
    out_->resize(total);
  }

 private:
  [[nodiscard]] bool fail(errc e, std::size_t at, const char* what) noexcept {
    err_ = oxwire::error{e, at, what};
    return false;
  }

  [[nodiscard]] std::size_t size() const noexcept {
    return static_cast<std::size_t>(w_ - out_->data());
  }

  void grow(std::size_t need) {
    const std::size_t used = out_->empty() ? 0 : size();
    std::size_t cap = out_->size() * 2;
    if (cap < used + need) cap = used + need;
    out_->resize(cap);
    w_ = out_->data() + used;
    end_ = out_->data() + cap;
  }

  /// At least n writable bytes at the returned pointer (the caller advances w_).
  [[nodiscard]] char* room(std::size_t n) {
    if (static_cast<std::size_t>(end_ - w_) < n) [[unlikely]]
      grow(n);
    return w_;
  }

  void close_pending() {
    if (!pending_) return;
    pending_ = false;
    *room(1) = '>';
    ++w_;
  }

  void use(std::uint8_t page) {
    used_[page] = true;
    order_[pages_++] = page;
    const std::string_view ns = page_namespaces[page];
    for (std::size_t i = 0; i < ns.size(); ++i) {
      const char c = ns[i];
      lower_[page][i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    lower_[page][ns.size()] = ':';
    prefix_len_[page] = page == default_page_ ? 0 : static_cast<std::uint8_t>(ns.size() + 1);
  }

  [[nodiscard]] char* put_qname(char* w, std::uint8_t page, std::string_view name) const noexcept {
    std::memcpy(w, lower_[page].data(), prefix_len_[page]);
    w += prefix_len_[page];
    std::memcpy(w, name.data(), name.size());
    return w + name.size();
  }

  std::string* out_;
  xml_options opt_;
  oxwire::detail::isa isa_;
  char* w_ = nullptr;
  char* end_ = nullptr;
  bool pending_ = false;  // a start tag with content waits for its '>' or "/>"
  bool seen_any_ = false;
  std::uint8_t default_page_ = 0;
  std::size_t pages_ = 0;
  std::array<bool, page_count> used_{};
  std::array<std::uint8_t, page_count> order_{};                         // pages by first use
  std::array<std::uint8_t, page_count> prefix_len_{};                    // "email:" is 6; default 0
  std::array<std::array<char, max_namespace + 1>, page_count> lower_{};  // "email:"
  std::vector<std::uint16_t> open_;  // page << 8 | token of the open elements with content
  std::vector<std::size_t> roots_;   // where each top-level element's declarations go
  oxwire::error err_{};
};

}  // namespace detail

/// The XML text of a tree: `auto xml = oxwire::wbxml::to_xml(doc);`.
[[nodiscard]] inline result<std::string> to_xml(const document& doc, const xml_options& opt = {}) {
  const auto nodes = doc.nodes();
  std::string out;
  std::size_t text = 0;
  for (const node& n : nodes) text += n.data.size();
  detail::xml_writer x(out, opt, nodes.size() * 24 + text + text / 2);
  // Indentation needs to know, per element, whether it holds only elements (no text).
  std::vector<bool> mixed;
  if (opt.indent) {
    mixed.resize(nodes.size());
    for (const node& n : nodes)
      if (n.kind != node_kind::element && n.parent != document::npos) mixed[n.parent] = true;
  }
  auto block = [&](std::uint32_t parent) {  // children of `parent` each on their own line
    return opt.indent && (parent == document::npos || !mixed[parent]);
  };
  std::uint32_t i = nodes.empty() ? document::npos : 0;
  while (i != document::npos) {
    const node& n = nodes[i];
    if (block(n.parent) && (n.parent != document::npos || opt.declaration || i != 0))
      x.newline(x.depth());
    switch (n.kind) {
      case node_kind::element: {
        // Elements without children end as "/>" whatever their content bit says.
        const bool content = n.first_child != document::npos;
        if (!x.start(n.page, n.token, content, n.offset)) return x.error();
        break;
      }
      case node_kind::text:
        if (!x.text(n.data, n.offset)) return x.error();
        break;
      case node_kind::opaque: x.opaque(n.data); break;
    }
    if (n.first_child != document::npos) {
      i = n.first_child;
      continue;
    }
    while (i != document::npos && nodes[i].next_sibling == document::npos) {
      i = nodes[i].parent;
      if (i != document::npos) x.end(block(i));
    }
    if (i != document::npos) i = nodes[i].next_sibling;
  }
  x.finish();
  return out;
}

/// Decodes WBXML and writes it as XML text: `auto xml = oxwire::wbxml::to_xml(body);`.
/// With options::validate_utf8 off, ill-formed strings are copied into the XML as they are.
/// Without indentation no tree is built: the XML is written from the tokenizer's events.
[[nodiscard]] inline result<std::string> to_xml(bytes_view wbxml, const xml_options& opt = {},
                                                const options& decode_opt = {}) {
  if (opt.indent) {
    auto doc = decode(wbxml, decode_opt);
    if (!doc) return doc.error();
    return to_xml(*doc, opt);
  }
  auto tok = tokenizer::create(wbxml, decode_opt);
  if (!tok) return tok.error();
  std::string out;
  detail::xml_writer x(out, opt, wbxml.size() * 4);  // tag-heavy ActiveSync: about 3.6 times
  bool ok = true;  // false after the first XML error; a decoding error later still wins
  auto r = tok->for_each([&](const event& ev) {
    if (!ok) return;
    switch (ev.kind) {
      case event_kind::start: ok = x.start(ev.page, ev.token, ev.has_content, ev.offset); break;
      case event_kind::end: x.end(); break;
      case event_kind::text: ok = x.text(ev.data, ev.offset); break;
      case event_kind::opaque: x.opaque(ev.data); break;
      case event_kind::eof: break;
    }
  });
  if (!r) return r.error();
  if (!ok) return x.error();
  x.finish();
  return out;
}

}  // namespace oxwire::wbxml
