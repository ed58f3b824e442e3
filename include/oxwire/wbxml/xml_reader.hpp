// oxwire — XML text -> WBXML for the subset ActiveSync XML uses (the inverse of xml.hpp).
//
//   auto bytes = oxwire::wbxml::from_xml(R"(<FolderSync xmlns="FolderHierarchy:">)"
//                                        "<SyncKey>0</SyncKey></FolderSync>");
//   // 03 01 6A 00 00 07 56 52 03 30 00 01 01
//
// Accepted: an optional UTF-8 BOM and XML declaration (encoding, if given, UTF-8); an optional
// DOCTYPE without internal subset (skipped: libwbxml writes one, its DTD is never loaded; an
// internal subset, and with it any entity declaration, is rejected); elements whose only
// attributes are xmlns / xmlns:prefix declarations naming a code page ("AirSync:" or "AirSync",
// ASCII case ignored, so the GAL page answers to "Gal:" too); text with the five predefined
// entities and character references; CDATA; comments (skipped). Everything else (other
// attributes, processing instructions, other entities) is an error carrying the byte offset in
// the XML text.
//
// Whitespace rule: a text run made only of literal XML whitespace (SP, TAB, CR, LF) is dropped
// when it stands beside a child element, i.e. in an element that has element children (the
// indentation of element-only content); in an element without element children it is kept as
// the element's string (<Data> </Data> is STR_I " "). Whitespace from a character reference or
// CDATA is always kept. Line ends are normalised to LF (XML 1.0 2.11); &#13; gives a CR, which is
// how xml.hpp writes one.
//
// Text of one element (pieces split by comments, CDATA or references) becomes one STR_I. Elements
// the code page table marks opaque take base64 text (what xml.hpp writes; whitespace inside it is
// ignored) and become OPAQUE. <X/> and <X></X> both become a tag without the content bit.
//
// Output is canonical (encoder.hpp): numeric public id, no string table, SWITCH_PAGE only when the
// page changes, shortest mb_u_int32 lengths.
//
// Parser choice, by measurement. Two front ends fed the same builder (namespaces, tag lookup, text,
// encoding): this Spirit X3 grammar, streaming, and pugixml 1.13 (DOM, parse_ws_pcdata_single,
// references resolved here as well, walked without recursion). g++ 12 -O3, one core of the shared
// 2-vCPU machine, CPU time, median of 3, XML of the 114 corpus bodies / a 5.9 MiB Sync response:
//   X3       268 MB/s / 229 MB/s, 29.5 instructions per byte (callgrind, 5.9 MiB)
//   pugixml  122 MB/s /  98 MB/s, 43.8 instructions per byte
// X3 is 2.2-2.3x faster (pugixml builds a DOM first) and needs no dependency beyond Boost, so it
// stays and the pugixml front end was deleted. End-to-end numbers against libwbxml:
// benchmarks/bench_wbxml_vs_libwbxml.cpp. Character data and start-tag names, the hot paths, are
// scanned by the kernels of detail/wbxml_xml_text.hpp and detail/wbxml_xml_name.hpp (a scalar
// reference beside each SIMD one) before the X3 rules take the rest of each tag.
#pragma once

#include <oxwire/core/base64.hpp>
#include <oxwire/core/bytes.hpp>
#include <oxwire/core/error.hpp>
#include <oxwire/core/writer.hpp>
#include <oxwire/detail/utf8_validate.hpp>
#include <oxwire/detail/wbxml_xml_name.hpp>
#include <oxwire/detail/wbxml_xml_text.hpp>
#include <oxwire/wbxml/codepages.hpp>
#include <oxwire/wbxml/encoder.hpp>

#include <boost/spirit/home/x3.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace oxwire::wbxml {

/// What the XML reader rejects; travels in `oxwire::error` with the byte offset in the XML text.
enum class xml_errc : int {
  malformed_xml = 1,      // not well-formed XML (or not the subset): `what` names the construct
  mismatched_end_tag,     // end tag whose name differs from the open element's
  unknown_namespace,      // xmlns value that is no code page, or a prefix never declared
  unknown_element,        // element name the namespace's code page does not define
  attribute_not_allowed,  // an attribute other than xmlns / xmlns:prefix (MS-ASWBXML 2.1.3)
  entity_not_allowed,     // an entity other than the five predefined ones, or a DOCTYPE subset
  nesting_too_deep,       // more open elements than xml_read_options::max_depth
  invalid_utf8,           // input that is not well-formed UTF-8
  not_xml_char,           // a character (literal or referenced) XML 1.0 does not allow
  unsupported_encoding,   // XML declaration with an encoding other than UTF-8
  invalid_opaque,         // base64 text of an opaque element that does not decode
};

/// What each value means, as `error::message()` prints it.
[[nodiscard]] constexpr const char* describe(xml_errc e) noexcept {
  switch (e) {
    case xml_errc::malformed_xml: return "malformed XML";
    case xml_errc::mismatched_end_tag: return "mismatched end tag";
    case xml_errc::unknown_namespace: return "unknown namespace";
    case xml_errc::unknown_element: return "unknown element in its namespace";
    case xml_errc::attribute_not_allowed: return "attribute not allowed";
    case xml_errc::entity_not_allowed: return "entity not allowed";
    case xml_errc::nesting_too_deep: return "nesting too deep";
    case xml_errc::invalid_utf8: return "invalid UTF-8";
    case xml_errc::not_xml_char: return "character not allowed in XML";
    case xml_errc::unsupported_encoding: return "unsupported encoding";
    case xml_errc::invalid_opaque: return "invalid base64 in opaque element";
  }
  return "unknown oxwire.wbxml.xml error";
}

namespace detail {
inline constexpr oxwire::detail::enum_category<xml_errc> xml_reader_category_instance{
    0x6f78776972650005ULL, "oxwire.wbxml.xml"};
}  // namespace detail

[[nodiscard]] inline const boost::system::error_category& xml_reader_category() noexcept {
  return detail::xml_reader_category_instance;
}
[[nodiscard]] inline boost::system::error_code make_error_code(xml_errc e) noexcept {
  return {static_cast<int>(e), xml_reader_category()};
}

}  // namespace oxwire::wbxml

template <>
struct boost::system::is_error_code_enum<oxwire::wbxml::xml_errc> : std::true_type {};

namespace oxwire::wbxml {

/// Reader settings.
struct xml_read_options {
  std::size_t max_depth = 64;  // most elements open at once (as options::max_depth)
  bool accept_legacy = true;   // element names from the legacy table, else unknown_element
  encode_options encode{};     // WBXML header fields
};

namespace detail {

/// a == b for the short names of XML tags (inline, without a byte loop: most are under 16 bytes,
/// a call to memcmp costs more than the comparison, and a loop mispredicts at its end).
[[nodiscard]] [[gnu::always_inline]] constexpr bool same_name(std::string_view a,
                                                              std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  if (std::is_constant_evaluated()) return a == b;
  const char *p = a.data(), *q = b.data();
  const std::size_t n = a.size();
  const auto same = [](const char* x, const char* y, auto word) {  // word's size, unaligned
    decltype(word) u, v;
    std::memcpy(&u, x, sizeof u);
    std::memcpy(&v, y, sizeof v);
    return u == v;
  };
  if (n >= 8) {  // 8 bytes per step, the last 8 overlapping the step before
    for (std::size_t i = 0; i + 8 < n; i += 8)
      if (!same(p + i, q + i, std::uint64_t{})) return false;
    return same(p + n - 8, q + n - 8, std::uint64_t{});
  }
  if (n >= 4) return same(p, q, std::uint32_t{}) && same(p + n - 4, q + n - 4, std::uint32_t{});
  return n == 0 || (p[0] == q[0] && p[n / 2] == q[n / 2] && p[n - 1] == q[n - 1]);
}

/// (page, element name) -> tag in O(1): open addressing over both code page tables, spec rows
/// first so that they win over a legacy row of the same name (as find_token).
struct name_slot {
  std::uint64_t key = 0;  // name_key of the name: all of it up to 8 bytes, so most names compare
                          // without a second load
  const char* name = nullptr;
  std::uint8_t size = 0;
  std::uint8_t used = 0;  // 0: empty slot (all-zero, not a default member initializer: g++ 12
                          // -O2 got those wrong in this constexpr table)
  std::uint8_t page = 0;
  std::uint8_t token = 0;
  bool legacy = false;
  bool opaque = false;
};
inline constexpr std::size_t name_slot_count = 2048;  // > 3 x (586 + 68) rows

/// k = 4 or 8 bytes of a name as a little-endian number (the table is hashed at compile time,
/// names at run time: both must see the same value).
template <std::size_t K>
[[nodiscard]] constexpr std::uint64_t name_word(const char* s) noexcept {
  if (std::is_constant_evaluated()) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < K; ++i)
      v |= std::uint64_t{static_cast<std::uint8_t>(s[i])} << 8 * i;
    return v;
  }
  if constexpr (K == 8) {
    std::uint64_t v;
    std::memcpy(&v, s, 8);
    return oxwire::detail::to_from_le(v);
  } else {
    std::uint32_t v;
    std::memcpy(&v, s, 4);
    return oxwire::detail::to_from_le(v);
  }
}

/// A name of up to 8 bytes as one number (the same number only for the same bytes at a given
/// size), the first 8 bytes of a longer one.
[[nodiscard]] constexpr std::uint64_t name_key(const char* p, std::size_t n) noexcept {
  if (n >= 8) return name_word<8>(p);
  if (n >= 4) return name_word<4>(p) | name_word<4>(p + n - 4) << 32;
  if (n > 0)
    return static_cast<std::uint8_t>(p[0]) | static_cast<std::uint8_t>(p[n / 2]) << 8 |
           static_cast<std::uint8_t>(p[n - 1]) << 16;
  return 0;
}

/// A word-at-a-time hash of (page, name): one multiply per 8 bytes instead of one per byte (a
/// byte-serial FNV was most of the time of a tag lookup). The high half is the result.
[[nodiscard]] constexpr std::uint32_t name_hash(std::uint8_t page, std::string_view s) noexcept {
  constexpr std::uint64_t k = 0x9E3779B97F4A7C15ULL;
  const char* p = s.data();
  const std::size_t n = s.size();
  std::uint64_t h = (std::uint64_t{page} << 32 | n) * k;
  for (std::size_t i = 8; i < n; i += 8)  // the words after the first (the last overlapping)
    h = (h ^ name_word<8>(p + (n - i >= 8 ? i : n - 8))) * k;
  h = (h ^ name_key(p, n)) * k;
  return static_cast<std::uint32_t>(h >> 32);
}

inline constexpr std::array<name_slot, name_slot_count> name_slots = [] {
  std::array<name_slot, name_slot_count> t{};
  auto insert = [&t](const name_slot& row) {
    for (std::uint32_t i = name_hash(row.page, std::string_view(row.name, row.size));; ++i) {
      name_slot& s = t[i % name_slot_count];
      if (!s.used) {
        s = row;
        return;
      }
      if (s.page == row.page &&
          std::string_view(s.name, s.size) == std::string_view(row.name, row.size))
        return;  // the spec row came first
    }
  };
  const auto row = [](std::string_view name, std::uint8_t page, std::uint8_t token, bool legacy,
                      bool opaque) {
    return name_slot{name_key(name.data(), name.size()),
                     name.data(),
                     static_cast<std::uint8_t>(name.size()),
                     1,
                     page,
                     token,
                     legacy,
                     opaque};
  };
  for (const auto& r : gen::wbxml_tags) insert(row(r.tag, r.codepage, r.token, false, r.opaque));
  for (const auto& r : gen::wbxml_legacy_tags) insert(row(r.tag, r.codepage, r.token, true, false));
  return t;
}();

/// The tag named `name` on `page`, or nullptr.
[[nodiscard]] constexpr const name_slot* tag_by_name(std::uint8_t page,
                                                     std::string_view name) noexcept {
  const std::uint64_t key = name_key(name.data(), name.size());
  for (std::uint32_t i = name_hash(page, name);; ++i) {
    const name_slot& s = name_slots[i % name_slot_count];
    if (!s.used) return nullptr;
    if (s.key == key && s.size == name.size() && s.page == page &&
        (name.size() <= 8 || same_name(std::string_view(s.name + 8, s.size - 8u), name.substr(8))))
      return &s;
  }
}
static_assert(tag_by_name(0x00, "Sync")->token == 0x05 && tag_by_name(0x11, "Body")->token == 0x0A);
static_assert(tag_by_name(0x03, "Notify")->legacy && !tag_by_name(0x00, "Body"));

/// The code page a namespace name stands for ("AirSync:" or "AirSync", ASCII case ignored).
[[nodiscard]] constexpr std::optional<std::uint8_t> page_by_namespace(
    std::string_view ns) noexcept {
  if (!ns.empty() && ns.back() == ':') ns.remove_suffix(1);
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (std::size_t p = 0; p < page_count; ++p) {
    const std::string_view n = page_namespaces[p];
    if (n.size() != ns.size() || n.empty()) continue;
    std::size_t i = 0;
    while (i < n.size() && lower(n[i]) == lower(ns[i])) ++i;
    if (i == n.size()) return static_cast<std::uint8_t>(p);
  }
  return std::nullopt;
}
static_assert(page_by_namespace("AirSyncBase:") == 0x11 && page_by_namespace("Gal") == 0x10);

[[nodiscard]] constexpr bool is_xml_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

[[nodiscard]] inline bool is_xml_char(std::uint32_t c) noexcept {  // XML 1.0 2.2 Char
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

inline void append_utf8(std::string& out, std::uint32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

/// Offset of the first byte of `raw` that needs decoding (or '<', which character data and
/// attribute values do not hold), or raw.size().
[[nodiscard]] inline std::size_t first_special(std::string_view raw) noexcept {
  return oxwire::detail::xml_text_scan(raw.data(), raw.size(), oxwire::detail::best_isa()).stop;
}

/// Appends character data `raw` (starting at XML offset `at`) with references resolved and line
/// ends normalised; `referenced` is set when a character reference was resolved.
/// XML 1.0 2.4, 2.11, 4.1, 4.6.
inline result<void> append_char_data(std::string& out, std::string_view raw, std::size_t at,
                                     bool& referenced) {
  std::size_t run = 0;
  for (std::size_t i = first_special(raw); i < raw.size();
       i += 1 + first_special(raw.substr(i + 1))) {
    const char c = raw[i];
    const auto u = static_cast<std::uint8_t>(c);
    if (u == 0xEF) {  // U+FFFE, U+FFFF: EF BF BE/BF (the input is valid UTF-8)
      if (i + 2 < raw.size() && static_cast<std::uint8_t>(raw[i + 1]) == 0xBF &&
          static_cast<std::uint8_t>(raw[i + 2]) >= 0xBE)
        return error{xml_errc::not_xml_char, at + i, "U+FFFE or U+FFFF in text"};
      continue;
    }
    if (c == '>') {
      if (i >= 2 && raw[i - 1] == ']' && raw[i - 2] == ']')
        return error{xml_errc::malformed_xml, at + i - 2, "]]> in text"};
      continue;
    }
    out.append(raw.substr(run, i - run));
    if (c == '\r') {  // CR LF and lone CR -> LF
      out += '\n';
      run = i + 1 + (i + 1 < raw.size() && raw[i + 1] == '\n');
      continue;
    }
    if (c != '&') return error{xml_errc::not_xml_char, at + i, "control character in text"};
    const std::size_t semi = raw.find(';', i);
    if (semi == std::string_view::npos)
      return error{xml_errc::malformed_xml, at + i, "reference without ';'"};
    const std::string_view ref = raw.substr(i + 1, semi - i - 1);
    run = semi + 1;
    if (same_name(ref, "lt")) {  // same_name: inline, where == called compare()
      out += '<';
    } else if (same_name(ref, "gt")) {
      out += '>';
    } else if (same_name(ref, "amp")) {
      out += '&';
    } else if (same_name(ref, "quot")) {
      out += '"';
    } else if (same_name(ref, "apos")) {
      out += '\'';
    } else if (ref.size() >= 2 && ref[0] == '#') {
      const bool hex = ref[1] == 'x';
      std::uint32_t v = 0;
      std::size_t k = hex ? 2 : 1;
      if (k == ref.size()) return error{xml_errc::malformed_xml, at + i, "character reference"};
      for (; k < ref.size(); ++k) {
        const char d = ref[k];
        std::uint32_t dv;
        if (d >= '0' && d <= '9')
          dv = static_cast<std::uint32_t>(d - '0');
        else if (hex && d >= 'a' && d <= 'f')
          dv = static_cast<std::uint32_t>(d - 'a' + 10);
        else if (hex && d >= 'A' && d <= 'F')
          dv = static_cast<std::uint32_t>(d - 'A' + 10);
        else
          return error{xml_errc::malformed_xml, at + i, "character reference"};
        v = v * (hex ? 16 : 10) + dv;
        if (v > 0x10FFFF) return error{xml_errc::not_xml_char, at + i, "character reference"};
      }
      if (!is_xml_char(v)) return error{xml_errc::not_xml_char, at + i, "character reference"};
      append_utf8(out, v);
      referenced = true;
    } else {
      return error{xml_errc::entity_not_allowed, at + i, "entity reference"};
    }
    i = semi;  // the loop steps past the ';'
  }
  out.append(raw.substr(run));
  return {};
}

/// Turns the events of an XML front end into WBXML through basic_encoder. A front end calls
/// open, attribute*, open_end, then text/cdata/open/close, and finish; every call carries the
/// XML offset of its construct.
template <class Sink>
class xml_builder {
 public:
  xml_builder(basic_writer<Sink>& out, const xml_read_options& opt) : enc_(out), opt_(opt) {}

  result<void> header() {
    if (!opt_.encode.header) return {};
    if (auto r = enc_.header(opt_.encode); !r) return remap(r, 0);
    return {};
  }

  /// '<' qname: the start of a start tag at `at`.
  result<void> open(std::string_view qname, std::size_t at) {
    return open(qname, at, std::min(qname.find(':'), qname.size()));
  }

  /// The same where the front end found the first ':' of qname at `colon` (qname.size(): none).
  result<void> open(std::string_view qname, std::size_t at, std::size_t colon) {
    if (stack_.empty() && root_done_)
      return error{xml_errc::malformed_xml, at, "second root element"};
    if (stack_.size() >= opt_.max_depth) return error{xml_errc::nesting_too_deep, at, "element"};
    if (!stack_.empty()) {
      open_element& parent = stack_.back();
      if (auto r = flush_text(true); !r) return r;
      parent.has_elements = true;
      if (auto r = start_parent(at); !r) return r;
    }
    // Built in place: a copy of a temporary was a store-forwarding stall on every element.
    const std::uint8_t default_page = stack_.empty() ? no_page : stack_.back().default_page;
    open_element& e = stack_.emplace_back();
    e.qname = qname;
    e.colon = colon;
    e.at = at;
    e.bindings = bindings_.size();
    e.default_page = default_page;
    return {};
  }

  /// An attribute of the start tag just opened: only namespace declarations.
  result<void> attribute(std::string_view name, std::string_view raw_value, std::size_t at,
                         std::size_t value_at) {
    std::string_view prefix;
    if (name.starts_with("xmlns:") && name.size() > 6)
      prefix = name.substr(6);
    else if (name != "xmlns")
      return error{xml_errc::attribute_not_allowed, at, "attribute"};
    std::string_view value = raw_value;
    if (first_special(raw_value) != raw_value.size()) {
      scratch_.clear();
      bool ref = false;
      if (auto r = append_char_data(scratch_, raw_value, value_at, ref); !r) return r;
      value = scratch_;
    }
    const auto page = page_by_namespace(value);
    if (!page) return error{xml_errc::unknown_namespace, value_at, "xmlns"};
    if (prefix.empty())
      stack_.back().default_page = *page;
    else
      bindings_.push_back({prefix, *page});
    return {};
  }

  /// '>' (or '/>' when `empty`) of the start tag opened last, at `at`.
  result<void> open_end(bool empty, std::size_t at) {
    open_element& e = stack_.back();
    std::string_view local = e.qname;
    std::uint8_t page = e.default_page;
    const std::size_t colon = e.colon;
    if (colon != e.qname.size()) {
      const std::string_view prefix = e.qname.substr(0, colon);
      local = e.qname.substr(colon + 1);
      page = no_page;
      for (std::size_t k = bindings_.size(); k-- > 0;)
        if (same_name(bindings_[k].prefix, prefix)) {
          page = bindings_[k].page;
          break;
        }
      if (page == no_page) return error{xml_errc::unknown_namespace, e.at + 1, "prefix"};
    }
    if (page == no_page) return error{xml_errc::unknown_namespace, e.at + 1, "no namespace"};
    const name_slot* tag = tag_by_name(page, local);
    if (!tag) return error{xml_errc::unknown_element, e.at + 1, "element"};
    if (tag->legacy && !opt_.accept_legacy)
      return error{xml_errc::unknown_element, e.at + 1, "legacy element"};
    e.page = page;
    e.token = tag->token;
    e.opaque = tag->opaque;
    if (!empty) return {};
    if (auto r = enc_.start(page, tag->token, false); !r) return remap(r, at);
    return pop();
  }

  /// Character data at `at`, as it stands in the XML (references unresolved).
  result<void> text(std::string_view raw, std::size_t at) {
    return text(raw, at,
                oxwire::detail::xml_text_scan(raw.data(), raw.size(), oxwire::detail::best_isa()));
  }

  /// The same with the front end's scan of `raw` (it may have run past raw's end, to the '<').
  result<void> text(std::string_view raw, std::size_t at, oxwire::detail::xml_text_run scan) {
    const bool plain = scan.stop >= raw.size();
    if (stack_.empty()) {
      if (plain && !scan.not_space) return {};
      for (std::size_t i = 0; i < raw.size(); ++i)
        if (!is_xml_space(raw[i]))
          return error{xml_errc::malformed_xml, at + i, "text outside the root element"};
      return {};
    }
    if (!has_text_) {
      has_text_ = true;
      text_at_ = at;
      text_ws_ = true;
      text_.clear();
      view_ = {};
    }
    if (plain && view_.empty() && text_.empty()) {
      text_ws_ = text_ws_ && !scan.not_space;
      view_ = raw;  // the common case: one run with nothing to resolve, not copied
      return {};
    }
    for (std::size_t i = 0; text_ws_ && i < raw.size(); ++i) text_ws_ = is_xml_space(raw[i]);
    spill();
    bool referenced = false;
    auto r = append_char_data(text_, raw, at, referenced);
    if (referenced) text_ws_ = false;
    return r;
  }

  /// The content of a CDATA section at `at` (always kept, even if whitespace).
  result<void> cdata(std::string_view content, std::size_t at) {
    if (stack_.empty()) return error{xml_errc::malformed_xml, at, "CDATA outside the root element"};
    if (!has_text_) has_text_ = true, text_at_ = at, text_.clear(), view_ = {};
    text_ws_ = false;
    spill();
    // CDATA content is literal, but line ends are normalised as everywhere (XML 1.0 2.11).
    for (std::size_t i = 0; i < content.size(); ++i) {
      const char c = content[i];
      if (c == '\r') {
        text_ += '\n';
        if (i + 1 < content.size() && content[i + 1] == '\n') ++i;
      } else if (static_cast<std::uint8_t>(c) < 0x20 && c != '\t' && c != '\n') {
        return error{xml_errc::not_xml_char, at + i, "control character in CDATA"};
      } else {
        text_ += c;
      }
    }
    return {};
  }

  /// End tag `</qname>` at `at`.
  result<void> close(std::string_view qname, std::size_t at) {
    if (stack_.empty()) return error{xml_errc::malformed_xml, at, "end tag without start tag"};
    open_element& e = stack_.back();
    // The front end's shortcut passes open_name() itself: no second comparison.
    if (qname.data() != e.qname.data() && !same_name(qname, e.qname))
      return error{xml_errc::mismatched_end_tag, at, "end tag"};
    if (!e.started && !e.opaque && has_text_) {  // an element holding only text: one write
      has_text_ = false;                         // (no element children: none started it)
      if (const std::string_view s = pending_text(); !s.empty()) {
        if (auto r = enc_.text_element(e.page, e.token, s); !r) return remap(r, text_at_);
        return pop();
      }
    }
    if (auto r = flush_text(e.has_elements); !r) return r;
    if (auto r = e.started ? enc_.end() : enc_.start(e.page, e.token, false); !r)
      return remap(r, at);
    return pop();
  }

  /// End of input at `at`.
  result<void> finish(std::size_t at) {
    if (!stack_.empty()) return error{xml_errc::malformed_xml, at, "unclosed element"};
    if (!root_done_) return error{xml_errc::malformed_xml, at, "no root element"};
    return {};
  }

  [[nodiscard]] bool in_root() const noexcept { return !stack_.empty() || root_done_; }

  /// The name of the innermost open element ("" if none).
  [[nodiscard]] std::string_view open_name() const noexcept {
    return stack_.empty() ? std::string_view{} : stack_.back().qname;
  }

 private:
  static constexpr std::uint8_t no_page = 0xFF;

  struct open_element {
    std::string_view qname;
    std::size_t colon = 0;  // of the prefix in qname, or qname.size()
    std::size_t at = 0;
    std::size_t bindings = 0;  // bindings_ size before this element's declarations
    std::uint8_t default_page = no_page;
    std::uint8_t page = 0, token = 0;
    bool opaque = false;
    bool started = false;       // start tag written (with the content bit)
    bool has_elements = false;  // an element child was seen
  };
  struct binding {
    std::string_view prefix;
    std::uint8_t page;
  };

  // An encoder error (output offset) at the XML offset of the construct that caused it.
  static error remap(const result<void>& r, std::size_t at) {
    return error{r.error().code, at, r.error().what};
  }

  [[nodiscard]] std::string_view pending_text() const noexcept {
    return view_.empty() ? std::string_view(text_) : view_;
  }

  void spill() {
    if (!view_.empty()) text_.append(view_), view_ = {};
  }

  result<void> start_parent(std::size_t at) {
    open_element& p = stack_.back();
    if (p.started) return {};
    p.started = true;
    if (auto r = enc_.start(p.page, p.token, true); !r) return remap(r, at);
    return {};
  }

  // Writes the pending text of the innermost element, or drops it under the whitespace rule.
  result<void> flush_text(bool beside_element) {
    if (!has_text_) return {};
    has_text_ = false;
    if (text_ws_ && beside_element) return {};
    const std::string_view s = pending_text();
    if (s.empty()) return {};  // <![CDATA[]]>: no STR_I "" (xml.hpp would write it as <X></X>)
    if (auto r = start_parent(text_at_); !r) return r;
    result<void> r;
    if (stack_.back().opaque) {
      opaque_.resize(base64::decoded_bound(s.size()));
      const auto n = base64::decode(s, opaque_, base64::mode::lenient);
      if (!n) return error{xml_errc::invalid_opaque, text_at_, n.error().what};
      r = enc_.opaque(bytes_view(opaque_.data(), *n));
    } else {
      r = enc_.text(s);
    }
    if (!r) return remap(r, text_at_);
    return {};
  }

  result<void> pop() {
    if (bindings_.size() != stack_.back().bindings)  // rarely: only xmlns:prefix adds any
      bindings_.resize(stack_.back().bindings);
    stack_.pop_back();
    if (stack_.empty()) root_done_ = true;
    return {};
  }

  basic_encoder<Sink> enc_;
  xml_read_options opt_;
  std::vector<open_element> stack_;
  std::vector<binding> bindings_;
  bool root_done_ = false;
  bool has_text_ = false;
  bool text_ws_ = true;  // the pending text is literal whitespace only
  std::size_t text_at_ = 0;
  std::string_view view_;  // pending text as one unresolved run of the input
  std::string text_;       // pending text, resolved
  std::string scratch_;
  std::vector<std::uint8_t> opaque_;
};

/// The XML front end: a Spirit X3 grammar per construct, driven by a loop that dispatches on the
/// construct's first bytes (so every error names the construct and its offset).
namespace x3_grammar {
namespace x3 = boost::spirit::x3;
using range = boost::iterator_range<const char*>;
using x3::char_;
using x3::lit;

/// A name (XML 1.0 2.3 Name, restricted to ASCII; detail/wbxml_xml_name.hpp).
struct name_parser : x3::parser<name_parser> {
  using attribute_type = x3::unused_type;
  static constexpr bool has_attribute = false;
  template <class It, class Ctx, class RCtx, class Attr>
  bool parse(It& first, const It& last, const Ctx&, RCtx&, Attr&) const {
    namespace od = oxwire::detail;
    if (first == last ||
        !(od::xml_name_class[static_cast<std::uint8_t>(*first)] & od::xml_name_start_bit))
      return false;
    ++first;
    first += od::xml_name_chars(reinterpret_cast<const std::uint8_t*>(std::to_address(first)),
                                static_cast<std::size_t>(last - first));
    return true;
  }
};

inline const auto ws = x3::omit[+char_(" \t\r\n")];
inline const auto name = x3::raw[name_parser{}];
inline const auto quoted =
    ('"' >> x3::raw[*~char_("<\"")] >> '"') | ('\'' >> x3::raw[*~char_("<'")] >> '\'');
inline const auto attribute_name = ws >> name;
inline const auto attribute_value = -ws >> '=' >> -ws >> quoted;
inline const auto empty_tag_end = -ws >> lit("/>");
inline const auto tag_end = -ws >> lit('>');
inline const auto end_tag = "</" >> name >> -ws >> '>';
inline const auto comment = "<!--" >> *(char_ - "--") >> "-->";               // XML 1.0 2.5
inline const auto cdata = "<![CDATA[" >> x3::raw[*(char_ - "]]>")] >> "]]>";  // XML 1.0 2.7
inline const auto external_id =
    (lit("PUBLIC") >> ws >> quoted >> ws >> quoted) | (lit("SYSTEM") >> ws >> quoted);
inline const auto doctype = "<!DOCTYPE" >> ws >> x3::omit[name] >> -(ws >> x3::omit[external_id]) >>
                            -ws >> '>';
inline const auto pseudo_attribute = [](auto key) {
  return ws >> lit(key) >> -ws >> '=' >> -ws >> quoted;
};
}  // namespace x3_grammar

template <class Builder>
result<void> parse_xml(std::string_view xml, Builder& b) {
  namespace g = x3_grammar;
  namespace x3 = boost::spirit::x3;
  const char* const base = xml.data();
  const char* const end = base + xml.size();
  const char* p = base;
  auto off = [base](const char* q) { return static_cast<std::size_t>(q - base); };
  auto sv = [](const g::range& r) { return std::string_view(r.begin(), r.size()); };
  const oxwire::detail::isa isa = oxwire::detail::best_isa();

  if (xml.starts_with("\xEF\xBB\xBF")) p += 3;  // UTF-8 byte order mark
  if (std::string_view(p, end).starts_with("<?xml") && p + 5 < end && is_xml_space(p[5])) {
    g::range version, encoding, standalone;  // XML 1.0 2.8 XMLDecl
    const char* it = p + 5;
    if (!x3::parse(it, end, g::pseudo_attribute("version"), version))
      return error{xml_errc::malformed_xml, off(it), "XML declaration version"};
    if (sv(version) != "1.0")
      return error{xml_errc::malformed_xml, off(version.begin()), "XML declaration version"};
    if (x3::parse(it, end, g::pseudo_attribute("encoding"), encoding)) {
      std::string_view e = sv(encoding);
      if (e.size() != 5 || (e[0] | 0x20) != 'u' || (e[1] | 0x20) != 't' || (e[2] | 0x20) != 'f' ||
          e[3] != '-' || e[4] != '8')
        return error{xml_errc::unsupported_encoding, off(encoding.begin()), "encoding"};
    }
    (void)x3::parse(it, end, g::pseudo_attribute("standalone"), standalone);
    if (!x3::parse(it, end, -g::ws >> "?>"))
      return error{xml_errc::malformed_xml, off(it), "XML declaration"};
    p = it;
  }
  bool doctype_allowed = true;
  while (p != end) {
    const char* it = p;
    if (*p != '<') {
      // Character data (one or more bytes up to the next '<') in one vector pass when nothing in
      // between needs decoding.
      const auto scan = oxwire::detail::xml_text_scan(p, static_cast<std::size_t>(end - p), isa);
      // Else on from each stop byte to the next ('<' is one) without a second pass over the text.
      std::size_t stop = scan.stop;
      while (p + stop != end && p[stop] != '<')
        stop += 1 + oxwire::detail::xml_text_scan(p + stop + 1,
                                                  static_cast<std::size_t>(end - p) - stop - 1, isa)
                        .stop;
      it = p + stop;
      const std::string_view raw(p, it);
      if constexpr (requires { b.text(raw, off(p), scan); }) {  // xml_builder: no second scan
        if (auto r = b.text(raw, off(p), scan); !r) return r;
      } else {
        if (auto r = b.text(raw, off(p)); !r) return r;
      }
    } else if (p + 1 == end) {
      return error{xml_errc::malformed_xml, off(p), "markup"};
    } else if (p[1] == '/') {
      // The common case without a scan of the name: the open element's name, then '>'.
      if (const std::string_view open = b.open_name();
          !open.empty() && static_cast<std::size_t>(end - p) > open.size() + 2 &&
          p[open.size() + 2] == '>' && same_name(std::string_view(p + 2, open.size()), open)) {
        if (auto r = b.close(open, off(p)); !r) return r;
        p += open.size() + 3;
        continue;
      }
      g::range n;
      if (!x3::parse(it, end, g::end_tag, n))
        return error{xml_errc::malformed_xml, off(p), "end tag"};
      if (auto r = b.close(sv(n), off(p)); !r) return r;
    } else if (p[1] == '!') {
      g::range c;
      if (x3::parse(it, end, g::comment)) {
      } else if (x3::parse(it, end, g::cdata, c)) {
        if (auto r = b.cdata(sv(c), off(c.begin())); !r) return r;
      } else if (std::string_view(p, end).starts_with("<!DOCTYPE")) {
        if (!doctype_allowed || b.in_root())
          return error{xml_errc::malformed_xml, off(p), "DOCTYPE"};
        if (!x3::parse(it, end, g::doctype)) {
          const std::string_view rest(p, end);
          const auto bracket = rest.find('[');
          if (bracket != std::string_view::npos && bracket < rest.find('>'))
            return error{xml_errc::entity_not_allowed, off(p) + bracket, "DOCTYPE internal subset"};
          return error{xml_errc::malformed_xml, off(p), "DOCTYPE"};
        }
        doctype_allowed = false;
      } else {
        return error{xml_errc::malformed_xml, off(p), "comment, CDATA or DOCTYPE"};
      }
    } else if (p[1] == '?') {
      return error{xml_errc::malformed_xml, off(p), "processing instruction"};
    } else {
      // A start tag: '<' and a name (g::name's characters), its prefix found in the same pass
      // (detail/wbxml_xml_name.hpp).
      namespace od = oxwire::detail;
      const auto* u = reinterpret_cast<const std::uint8_t*>(p + 1);
      if (!(od::xml_name_class[*u] & od::xml_name_start_bit))
        return error{xml_errc::malformed_xml, off(p), "start tag"};
      const od::xml_name_run nr = od::xml_name_scan(u + 1, static_cast<std::size_t>(end - p) - 2);
      const std::string_view qname(p + 1, nr.len + 1);
      it = p + 2 + nr.len;
      if constexpr (requires { b.open(qname, off(p), nr.colon); }) {
        if (auto r = b.open(qname, off(p), nr.colon + 1); !r) return r;
      } else {
        if (auto r = b.open(qname, off(p)); !r) return r;
      }
      if (it != end && *it == '>') {  // the common case: no attributes, no space
        if (auto r = b.open_end(false, off(it)); !r) return r;
        p = it + 1;
        continue;
      }
      for (;;) {
        g::range an, av;
        if (!x3::parse(it, end, g::attribute_name, an)) break;
        if (!x3::parse(it, end, g::attribute_value, av))
          return error{xml_errc::malformed_xml, off(it), "attribute"};
        if (auto r = b.attribute(sv(an), sv(av), off(an.begin()), off(av.begin())); !r) return r;
      }
      const bool empty = x3::parse(it, end, g::empty_tag_end);
      if (!empty && !x3::parse(it, end, g::tag_end))
        return error{xml_errc::malformed_xml, off(it), "start tag"};
      if (auto r = b.open_end(empty, off(it) - 1); !r) return r;
    }
    p = it;
    doctype_allowed = doctype_allowed && !b.in_root();
  }
  return b.finish(off(end));
}

}  // namespace detail

/// XML text -> WBXML into `out`: `oxwire::wbxml::from_xml(xml, writer);`. Errors carry the
/// byte offset in `xml`.
template <class Sink>
[[nodiscard]] result<void> from_xml(std::string_view xml, basic_writer<Sink>& out,
                                    const xml_read_options& opt = {}) {
  const auto* u = reinterpret_cast<const std::uint8_t*>(xml.data());
  if (const std::size_t bad = oxwire::detail::utf8_invalid_at(u, xml.size()); bad != xml.size())
    return error{xml_errc::invalid_utf8, bad, "XML text"};
  detail::xml_builder<Sink> b(out, opt);
  if (auto r = b.header(); !r) return r;
  return detail::parse_xml(xml, b);
}

/// XML text -> WBXML bytes: `auto wbxml = oxwire::wbxml::from_xml(xml);`.
[[nodiscard]] inline result<std::vector<std::uint8_t>> from_xml(std::string_view xml,
                                                                const xml_read_options& opt = {}) {
  std::vector<std::uint8_t> v;
  v.reserve(xml.size() / 2);
  vector_writer w(v);
  if (auto r = from_xml(xml, w, opt); !r) return r.error();
  return v;
}

}  // namespace oxwire::wbxml
