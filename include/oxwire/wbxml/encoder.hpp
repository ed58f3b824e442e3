// oxwire — WBXML writer over any oxwire::basic_writer sink, from events or from a tree.
//
//   std::vector<std::uint8_t> out;
//   oxwire::vector_writer w(out);
//   oxwire::wbxml::basic_encoder enc(w);
//   enc.header();                               // 03 01 6A 00
//   enc.start(0x07, 0x16, true);                // FolderSync: 00 07 56
//   enc.start(0x07, 0x12, true);                // SyncKey: 52
//   enc.text("0"); enc.end(); enc.end();        // 03 30 00 01 01
//
//   auto bytes = oxwire::wbxml::encode(doc);    // result<std::vector<std::uint8_t>>
//
// The output is canonical: numeric public id, empty string table, SWITCH_PAGE only when the page
// changes, STR_I for text, OPAQUE with the shortest mb_u_int32 length. Decoding canonical bytes
// and encoding the tree gives the same bytes. Errors carry the output offset.
#pragma once

#include <oxwire/core/writer.hpp>
#include <oxwire/detail/wbxml_mb_uint32.hpp>
#include <oxwire/wbxml/codepages.hpp>
#include <oxwire/wbxml/error.hpp>
#include <oxwire/wbxml/tokenizer.hpp>
#include <oxwire/wbxml/tree.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace oxwire::wbxml {

/// Header fields the encoder writes (WAP-192-WBXML 5.3); the defaults are what ActiveSync sends.
struct encode_options {
  std::uint8_t version = 0x03;           // WBXML 1.3
  std::uint32_t public_id = 0x01;        // unknown public id
  std::uint32_t charset = charset_utf8;  // 106
  bool header = true;                    // false: a headerless fragment
};

namespace detail {

/// Whether `s` holds a NUL byte: inline for the short strings of most elements (8 bytes per step,
/// a word has a zero byte iff (v - 0x01..01) & ~v & 0x80..80), memchr for long ones.
[[nodiscard]] inline bool has_nul(bytes_view s) noexcept {
  const std::uint8_t* p = s.data();
  const std::size_t n = s.size();
  if (n > 64) return std::memchr(p, 0, n) != nullptr;
  const auto zero = [p](std::size_t i, auto word) {
    using W = decltype(word);
    constexpr W lo = static_cast<W>(0x0101010101010101ULL);
    constexpr W hi = static_cast<W>(0x8080808080808080ULL);
    W v;
    std::memcpy(&v, p + i, sizeof v);
    return ((v - lo) & ~v & hi) != 0;
  };
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8)
      if (zero(i, std::uint64_t{})) return true;
    return zero(n - 8, std::uint64_t{});
  }
  if (n >= 4) return zero(0, std::uint32_t{}) || zero(n - 4, std::uint32_t{});
  for (std::size_t i = 0; i < n; ++i)
    if (p[i] == 0) return true;
  return false;
}

}  // namespace detail

/// Writes WBXML tokens to `basic_writer<Sink>`; see the top of this file.
template <class Sink>
class basic_encoder {
 public:
  static constexpr bool nothrow = basic_writer<Sink>::nothrow;

  explicit basic_encoder(basic_writer<Sink>& out) noexcept : out_(&out) {}

  /// version, publicid, charset and an empty string table: `enc.header()` writes 03 01 6A 00.
  [[nodiscard]] result<void> header(const encode_options& opt = {}) noexcept(nothrow) {
    if (auto r = out_->template write<std::uint8_t>(opt.version, "version"); !r) return r;
    if (auto r = mb(opt.public_id, "publicid"); !r) return r;
    if (auto r = mb(opt.charset, "charset"); !r) return r;
    return mb(0, "strtbl length");
  }

  /// A tag; SWITCH_PAGE first if `page` differs from the current page. unknown_code_page or
  /// unknown_token if the code pages (or their legacy rows) do not have it.
  [[nodiscard]] result<void> start(std::uint8_t page, std::uint8_t token,
                                   bool has_content) noexcept(nothrow) {
    if (auto r = check_tag(page, token); !r) return r;
    const std::size_t n = page != page_ ? 3 : 1;
    auto p = out_->claim(n, n == 3 ? "SWITCH_PAGE" : "tag");
    if (!p) return p.error();
    put_tag(*p, page, token, has_content);
    if (has_content) ++depth_;
    return {};
  }

  /// STR_I with the UTF-8 string and its NUL; invalid_argument if the string holds a NUL.
  [[nodiscard]] result<void> text(bytes_view utf8) noexcept(nothrow) {
    if (detail::has_nul(utf8))
      return error{oxwire::errc::invalid_argument, out_->size(), "NUL in STR_I text"};
    auto p = out_->claim(utf8.size() + 2, "STR_I");
    if (!p) return p.error();
    put_str_i(*p, utf8);
    return {};
  }
  [[nodiscard]] result<void> text(std::string_view utf8) noexcept(nothrow) {
    return text(as_bytes(utf8));
  }

  /// An element holding one string, in one write: the same bytes as `start(page, token, true)`,
  /// `text(utf8)`, `end()` (`<ServerId>5:1</ServerId>`, the commonest ActiveSync element).
  [[nodiscard]] result<void> text_element(std::uint8_t page, std::uint8_t token,
                                          bytes_view utf8) noexcept(nothrow) {
    if (auto r = check_tag(page, token); !r) return r;
    if (detail::has_nul(utf8))
      return error{oxwire::errc::invalid_argument, out_->size(), "NUL in STR_I text"};
    const std::size_t tag = page != page_ ? 3 : 1;
    auto p = out_->claim(tag + utf8.size() + 3, tag == 3 ? "SWITCH_PAGE" : "tag");
    if (!p) return p.error();
    std::uint8_t* q = put_tag(*p, page, token, true);
    q = put_str_i(q, utf8);
    *q = token::END;
    return {};
  }
  [[nodiscard]] result<void> text_element(std::uint8_t page, std::uint8_t token,
                                          std::string_view utf8) noexcept(nothrow) {
    return text_element(page, token, as_bytes(utf8));
  }

  /// OPAQUE, its length as mb_u_int32, the bytes.
  [[nodiscard]] result<void> opaque(bytes_view bytes) noexcept(nothrow) {
    if (bytes.size() > 0xFFFFFFFFu)
      return error{oxwire::errc::limit_exceeded, out_->size(), "OPAQUE length"};
    if (auto r = out_->template write<std::uint8_t>(token::OPAQUE, "OPAQUE"); !r) return r;
    if (auto r = mb(static_cast<std::uint32_t>(bytes.size()), "OPAQUE length"); !r) return r;
    return out_->write_bytes(bytes, "OPAQUE");
  }

  /// END of the innermost element with content; end_without_start if none is open.
  [[nodiscard]] result<void> end() noexcept(nothrow) {
    if (depth_ == 0) return error{errc::end_without_start, out_->size(), "END"};
    --depth_;
    return out_->template write<std::uint8_t>(token::END, "END");
  }

  /// One tokenizer event (eof writes nothing): `while (...) enc.write(*tok.next());`.
  [[nodiscard]] result<void> write(const event& ev) noexcept(nothrow) {
    switch (ev.kind) {
      case event_kind::start: return start(ev.page, ev.token, ev.has_content);
      case event_kind::end: return end();
      case event_kind::text: return text(ev.data);
      case event_kind::opaque: return opaque(ev.data);
      case event_kind::eof: break;
    }
    return {};
  }

  /// Elements with content not yet ended.
  [[nodiscard]] std::size_t depth() const noexcept { return depth_; }

 private:
  [[nodiscard]] result<void> check_tag(std::uint8_t page, std::uint8_t token) const noexcept {
    if (page >= code_page_count) return error{errc::unknown_code_page, out_->size(), "page"};
    if (token < 0x05 || token > 0x3F || detail::tag_slots[page * 64u + token] == 0)
      return error{errc::unknown_token, out_->size(), "tag"};
    return {};
  }

  // SWITCH_PAGE page (if the page changes) and the tag byte; returns the byte after them.
  std::uint8_t* put_tag(std::uint8_t* q, std::uint8_t page, std::uint8_t token,
                        bool has_content) noexcept {
    if (page != page_) {
      *q++ = token::SWITCH_PAGE;
      *q++ = page;
      page_ = page;
    }
    *q++ = static_cast<std::uint8_t>(token | (has_content ? token::content_bit : 0));
    return q;
  }

  // STR_I, the bytes, NUL; returns the byte after them.
  static std::uint8_t* put_str_i(std::uint8_t* q, bytes_view utf8) noexcept {
    *q++ = token::STR_I;
    if (!utf8.empty()) std::memcpy(q, utf8.data(), utf8.size());
    q += utf8.size();
    *q++ = 0;
    return q;
  }

  [[nodiscard]] result<void> mb(std::uint32_t v, const char* what) noexcept(nothrow) {
    std::array<std::uint8_t, 5> buf{};
    const std::size_t n = oxwire::detail::put_mb_uint32(buf, v);
    return out_->write_bytes(bytes_view(buf.data(), n), what);
  }

  basic_writer<Sink>* out_;
  std::size_t depth_ = 0;
  std::uint8_t page_ = 0;
};

/// Encodes a tree (every top-level node, in order) into `out`; walks without recursion.
template <class Sink>
[[nodiscard]] result<void> encode(const document& doc, basic_writer<Sink>& out,
                                  const encode_options& opt = {}) {
  basic_encoder<Sink> enc(out);
  if (opt.header)
    if (auto r = enc.header(opt); !r) return r;
  const auto nodes = doc.nodes();
  std::uint32_t i = nodes.empty() ? document::npos : 0;
  while (i != document::npos) {
    const node& n = nodes[i];
    result<void> r;
    switch (n.kind) {
      case node_kind::element: r = enc.start(n.page, n.token, n.has_content); break;
      case node_kind::text: r = enc.text(n.data); break;
      case node_kind::opaque: r = enc.opaque(n.data); break;
    }
    if (!r) return r;
    if (n.first_child != document::npos) {
      i = n.first_child;
      continue;
    }
    if (n.kind == node_kind::element && n.has_content)
      if (auto e = enc.end(); !e) return e;
    while (i != document::npos && nodes[i].next_sibling == document::npos) {
      i = nodes[i].parent;
      if (i != document::npos)
        if (auto e = enc.end(); !e) return e;
    }
    if (i != document::npos) i = nodes[i].next_sibling;
  }
  return {};
}

/// Encodes a tree into a new vector: `auto bytes = oxwire::wbxml::encode(doc);`.
[[nodiscard]] inline result<std::vector<std::uint8_t>> encode(const document& doc,
                                                              const encode_options& opt = {}) {
  std::vector<std::uint8_t> v;
  vector_writer w(v);
  if (auto r = encode(doc, w, opt); !r) return r.error();
  return v;
}

}  // namespace oxwire::wbxml
