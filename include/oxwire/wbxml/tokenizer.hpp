// oxwire — pull tokenizer for WBXML 1.3 as MS-ASWBXML uses it; no allocation, views into the input.
//
//   auto tok = oxwire::wbxml::tokenizer::create(body);          // parses the header
//   if (!tok) return tok.error();
//   for (;;) {
//     auto ev = tok->next();                                    // result<event>
//     if (!ev) return ev.error();          // e.g. "unknown tag token at offset 12"
//     if (ev->kind == event_kind::eof) break;
//     if (ev->kind == event_kind::start) std::cout << find_tag(ev->page, ev->token)->name;
//   }
//
// Document (WAP-192-WBXML 5.3): version, publicid mb_u_int32 (or 0 and a string-table index),
// charset mb_u_int32, string table (mb_u_int32 length + bytes), then one root element. MS-ASWBXML
// 2.1.3 uses tags, code pages (SWITCH_PAGE), inline strings (STR_I) and opaque data; string
// tables are read as well (STR_T) because libwbxml-based peers write them. Attributes, entities,
// processing instructions, literals and extensions are errors. Every error carries the offset of
// the byte that is wrong; after an error the tokenizer must not be used further.
#pragma once

#include <oxwire/core/bytes.hpp>
#include <oxwire/core/error.hpp>
#include <oxwire/detail/utf8_validate.hpp>
#include <oxwire/detail/wbxml_mb_uint32.hpp>
#include <oxwire/wbxml/codepages.hpp>
#include <oxwire/wbxml/error.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace oxwire::wbxml {

/// Global tokens (WAP-192-WBXML 7.1; MS-ASWBXML 1.6).
namespace token {
inline constexpr std::uint8_t SWITCH_PAGE = 0x00;
inline constexpr std::uint8_t END = 0x01;
inline constexpr std::uint8_t ENTITY = 0x02;
inline constexpr std::uint8_t STR_I = 0x03;
inline constexpr std::uint8_t LITERAL = 0x04;
inline constexpr std::uint8_t STR_T = 0x83;
inline constexpr std::uint8_t OPAQUE = 0xC3;
inline constexpr std::uint8_t content_bit = 0x40;    // tag has content (ends with END)
inline constexpr std::uint8_t attribute_bit = 0x80;  // tag has attributes
}  // namespace token

/// Charset MIBenum of UTF-8 (IANA), the only one ActiveSync sends.
inline constexpr std::uint32_t charset_utf8 = 106;

/// Decoder settings; the defaults suit ActiveSync traffic.
struct options {
  std::size_t max_depth = 64;  // most elements open at once
  bool accept_legacy = true;   // accept the legacy tokens (flagged in events), else unknown_token
  bool validate_utf8 = true;   // check every string is well-formed UTF-8
  bool fragment = false;       // no header, any number of top-level elements (Horde fixtures)
};

/// The WBXML header (WAP-192-WBXML 5.4-5.7).
struct header {
  std::uint8_t version = 0x03;             // 0x03 = WBXML 1.3
  std::uint32_t public_id = 0x01;          // 1 = unknown (ActiveSync); 0 = see below
  bool public_id_in_string_table = false;  // public id given as a string-table index
  bytes_view public_id_string{};           // that string (libwbxml writes its DTD id there)
  std::uint32_t charset = charset_utf8;    // IANA MIBenum
  bytes_view string_table{};               // the string table bytes
  std::size_t string_table_offset = 0;     // where they start in the input
  std::size_t size = 0;                    // header bytes; the body starts here
};

enum class event_kind : std::uint8_t {
  start,   // a tag: page, token, has_content, legacy
  end,     // END of the innermost element with content
  text,    // STR_I or STR_T: data is the UTF-8 string without its NUL
  opaque,  // OPAQUE: data is the bytes
  eof,     // the document is complete
};

/// One token of the body. `offset` is that of the token byte (STR_I, STR_T, OPAQUE, END, tag).
struct event {
  event_kind kind = event_kind::eof;
  std::uint8_t page = 0;     // start: code page of the tag
  std::uint8_t token = 0;    // start: tag token without the content/attribute bits
  bool has_content = false;  // start: an END closes this element later
  bool legacy = false;       // start: token from the legacy table
  std::size_t offset = 0;
  bytes_view data{};  // text or opaque
};

/// Pull tokenizer; see the top of this file.
class tokenizer {
 public:
  /// Parses the header (none with options::fragment): `auto tok = tokenizer::create(body);`.
  [[nodiscard]] static result<tokenizer> create(bytes_view input,
                                                const options& opt = {}) noexcept {
    tokenizer t(input, opt);
    if (!opt.fragment)
      if (auto r = t.parse_header(); !r) return r.error();
    return t;
  }

  [[nodiscard]] const wbxml::header& header() const noexcept { return header_; }
  /// Elements open now.
  [[nodiscard]] std::size_t depth() const noexcept { return depth_; }
  /// Offset of the next byte to read.
  [[nodiscard]] std::size_t offset() const noexcept { return pos_; }

  /// The next event; event_kind::eof once the document is complete (and again on every call).
  [[nodiscard]] result<event> next() noexcept {
    const std::uint8_t* const p = data_.data();
    const std::size_t n = data_.size();
    for (;;) {
      if (pos_ == n) return at_end();
      if (root_done_ && !opt_.fragment) return fail(errc::trailing_bytes, pos_, "after the root");
      const std::uint8_t b = p[pos_];
      const std::size_t at = pos_;
      switch (b) {
        case token::SWITCH_PAGE: {
          if (n - pos_ < 2) return fail(errc::truncated_body, n, "SWITCH_PAGE");
          if (p[pos_ + 1] >= code_page_count)
            return fail(errc::unknown_code_page, pos_ + 1, "SWITCH_PAGE");
          page_ = p[pos_ + 1];
          pos_ += 2;
          continue;
        }
        case token::END:
          if (depth_ == 0) return fail(errc::end_without_start, at, "END");
          ++pos_;
          if (--depth_ == 0) root_done_ = true;
          return event{event_kind::end, 0, 0, false, false, at, {}};
        case token::STR_I: {
          if (depth_ == 0) return fail(errc::content_outside_element, at, "STR_I");
          const std::size_t from = at + 1;
          const void* nul = std::memchr(p + from, 0, n - from);
          if (!nul) return fail(errc::truncated_string, from, "STR_I");
          const auto len =
              static_cast<std::size_t>(static_cast<const std::uint8_t*>(nul) - p) - from;
          if (auto r = check_utf8(p + from, len, from); !r) return r.error();
          pos_ = from + len + 1;
          return event{event_kind::text, 0, 0, false, false, at, {p + from, len}};
        }
        case token::STR_T: {
          if (depth_ == 0) return fail(errc::content_outside_element, at, "STR_T");
          const auto idx = read_mb(at + 1, errc::truncated_string, "STR_T index");
          if (!idx) return idx.error();
          auto s = table_string(*idx, at + 1, "STR_T index");
          if (!s) return s.error();
          return event{event_kind::text, 0, 0, false, false, at, *s};
        }
        case token::OPAQUE: {
          if (depth_ == 0) return fail(errc::content_outside_element, at, "OPAQUE");
          const auto len = read_mb(at + 1, errc::truncated_opaque, "OPAQUE length");
          if (!len) return len.error();
          if (*len > n - pos_) return fail(errc::opaque_length_past_end, at + 1, "OPAQUE length");
          const std::size_t from = pos_;
          pos_ += *len;
          return event{event_kind::opaque, 0, 0, false, false, at, {p + from, *len}};
        }
        default: break;
      }
      const std::uint8_t tok = b & 0x3F;
      if (tok < 0x05) return fail(errc::unsupported_global_token, at, "global token");
      if (b & token::attribute_bit) return fail(errc::attributes_not_supported, at, "tag");
      const int slot = detail::tag_slots[page_ * 64u + tok];
      if (slot == 0 || (slot < 0 && !opt_.accept_legacy))
        return fail(errc::unknown_token, at, "tag");
      const bool content = (b & token::content_bit) != 0;
      if (content) {
        if (depth_ == opt_.max_depth) return fail(errc::nesting_too_deep, at, "tag");
        ++depth_;
      } else if (depth_ == 0) {
        root_done_ = true;
      }
      ++pos_;
      return event{event_kind::start, page_, tok, content, slot < 0, at, {}};
    }
  }

 private:
  tokenizer(bytes_view input, const options& opt) noexcept : data_(input), opt_(opt) {}

  [[nodiscard]] static error fail(errc e, std::size_t at, const char* what) noexcept {
    return {e, at, what};
  }

  [[nodiscard]] result<event> at_end() const noexcept {
    if (depth_ != 0) return fail(errc::truncated_body, pos_, "element not closed");
    if (!root_done_ && !opt_.fragment) return fail(errc::truncated_body, pos_, "root element");
    return event{event_kind::eof, 0, 0, false, false, pos_, {}};
  }

  /// Reads an mb_u_int32 at `at` and moves past it; `truncated` is the error if the input ends.
  [[nodiscard]] result<std::uint32_t> read_mb(std::size_t at, errc truncated,
                                              const char* what) noexcept {
    const oxwire::detail::mb_uint32 v =
        oxwire::detail::read_mb_uint32(data_.data() + at, data_.size() - at);
    switch (v.status) {
      case oxwire::detail::mb_status::ok: pos_ = at + v.size; return v.value;
      case oxwire::detail::mb_status::truncated: return fail(truncated, at, what);
      case oxwire::detail::mb_status::too_long: return fail(errc::mb_uint32_too_long, at, what);
      case oxwire::detail::mb_status::overflow: return fail(errc::mb_uint32_overflow, at, what);
    }
    return fail(truncated, at, what);
  }

  [[nodiscard]] result<void> check_utf8(const std::uint8_t* s, std::size_t len,
                                        std::size_t at) const noexcept {
    if (!opt_.validate_utf8) return {};
    const std::size_t bad = oxwire::detail::utf8_invalid_at(s, len);
    if (bad != len) return fail(errc::invalid_utf8, at + bad, "string");
    return {};
  }

  /// The NUL-terminated string at `index` of the string table; `at` is where the index was read.
  [[nodiscard]] result<bytes_view> table_string(std::uint32_t index, std::size_t at,
                                                const char* what) const noexcept {
    const bytes_view table = header_.string_table;
    if (index >= table.size()) return fail(errc::string_table_offset_out_of_range, at, what);
    const std::size_t from = header_.string_table_offset + index;
    const void* nul = std::memchr(table.data() + index, 0, table.size() - index);
    if (!nul) return fail(errc::truncated_string, from, "string table");
    const auto len =
        static_cast<std::size_t>(static_cast<const std::uint8_t*>(nul) - (table.data() + index));
    if (auto r = check_utf8(table.data() + index, len, from); !r) return r.error();
    return table.subspan(index, len);
  }

  // WAP-192-WBXML 5.3: start = version publicid charset strtbl body.
  [[nodiscard]] result<void> parse_header() noexcept {
    if (data_.empty()) return fail(errc::truncated_header, 0, "version");
    header_.version = data_[0];
    if (header_.version >= 0x10) return fail(errc::unsupported_version, 0, "version");
    auto id = read_mb(1, errc::truncated_header, "publicid");
    if (!id) return id.error();
    header_.public_id = *id;
    std::size_t index_at = 0;
    std::uint32_t index = 0;
    if (*id == 0) {  // 5.5: publicid = mb_u_int32 | ( zero index )
      index_at = pos_;
      auto i = read_mb(pos_, errc::truncated_header, "publicid index");
      if (!i) return i.error();
      index = *i;
      header_.public_id_in_string_table = true;
    }
    const std::size_t charset_at = pos_;
    auto cs = read_mb(pos_, errc::truncated_header, "charset");
    if (!cs) return cs.error();
    header_.charset = *cs;
    if (*cs != charset_utf8) return fail(errc::unsupported_charset, charset_at, "charset");
    auto len = read_mb(pos_, errc::truncated_header, "strtbl length");
    if (!len) return len.error();
    if (*len > data_.size() - pos_) return fail(errc::truncated_header, pos_, "strtbl");
    header_.string_table = data_.subspan(pos_, *len);
    header_.string_table_offset = pos_;
    pos_ += *len;
    header_.size = pos_;
    if (header_.public_id_in_string_table) {
      auto s = table_string(index, index_at, "publicid index");
      if (!s) return s.error();
      header_.public_id_string = *s;
    }
    return {};
  }

  bytes_view data_;
  options opt_;
  wbxml::header header_{};
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
  std::uint8_t page_ = 0;
  bool root_done_ = false;
};

}  // namespace oxwire::wbxml
