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
//   auto r = tok->for_each([&](const event& ev) { ... });      // the same, in one tight loop
//
// Strings are found and checked in one pass (detail/wbxml_cstring.hpp: AVX2 where the CPU has
// it, else the scalar reference; the same results either way).
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
#include <oxwire/detail/cpu.hpp>
#include <oxwire/detail/wbxml_cstring.hpp>
#include <oxwire/detail/wbxml_mb_uint32.hpp>
#include <oxwire/wbxml/codepages.hpp>
#include <oxwire/wbxml/error.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>

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

namespace detail {

/// What a token byte means on a code page; values 0..3 are tags (bit 0: content, bit 1: legacy).
enum action : std::uint8_t {
  act_tag = 0,
  act_tag_content = 1,
  act_legacy = 2,
  act_legacy_content = 3,
  act_switch_page,
  act_end,
  act_str_i,
  act_str_t,
  act_opaque,
  act_global,      // ENTITY, LITERAL*, PI, EXT*: MS-ASWBXML 2.1.3 does not use them
  act_attributes,  // a tag with the attribute bit
  act_unknown,     // a tag the code page does not define
};

/// page * 256 + token byte -> action: one load per token instead of a switch, the global-token
/// checks and the code-page lookup (WAP-192-WBXML 7.1, 5.8.2; MS-ASWBXML 2.1.2.1). With
/// `legacy` false the legacy tokens are unknown (options::accept_legacy).
template <bool legacy>
inline constexpr std::array<std::uint8_t, page_count * 256> token_actions = [] {
  std::array<std::uint8_t, page_count * 256> t{};
  for (std::size_t page = 0; page < page_count; ++page) {
    for (unsigned b = 0; b < 256; ++b) {
      std::uint8_t a = act_unknown;
      const unsigned tok = b & 0x3F;
      if (b == token::SWITCH_PAGE) {
        a = act_switch_page;
      } else if (b == token::END) {
        a = act_end;
      } else if (b == token::STR_I) {
        a = act_str_i;
      } else if (b == token::STR_T) {
        a = act_str_t;
      } else if (b == token::OPAQUE) {
        a = act_opaque;
      } else if (tok < 0x05) {
        a = act_global;
      } else if (b & token::attribute_bit) {
        a = act_attributes;
      } else if (const int slot = tag_slots[page * 64 + tok]; slot > 0 || (slot < 0 && legacy)) {
        a = static_cast<std::uint8_t>((slot < 0 ? act_legacy : act_tag) |
                                      ((b & token::content_bit) ? 1 : 0));
      }
      t[page * 256 + b] = a;
    }
  }
  return t;
}();

}  // namespace detail

/// Pull tokenizer; see the top of this file.
class tokenizer {
 public:
  /// Parses the header (none with options::fragment): `auto tok = tokenizer::create(body);`.
  /// `kernels` picks the string kernels (tests and fuzzers pass isa::scalar for the reference).
  [[nodiscard]] static result<tokenizer> create(
      bytes_view input, const options& opt = {},
      oxwire::detail::isa kernels = oxwire::detail::best_isa()) noexcept {
    tokenizer t(input, opt, kernels);
    if (!opt.fragment)
      if (auto r = t.parse_header(); !r) return r.error();
    return t;
  }

  [[nodiscard]] const wbxml::header& header() const noexcept { return header_; }
  /// Elements open now.
  [[nodiscard]] std::size_t depth() const noexcept { return depth_; }
  /// Offset of the next byte to read (next() reads ahead: events it holds lie before it).
  [[nodiscard]] std::size_t offset() const noexcept { return pos_; }

  /// The next event; event_kind::eof once the document is complete (and again on every call).
  /// Events come from a small buffer that one run of the for_each loop fills: a call costs a
  /// copy, not a run of the loop (which had to load and store its whole state per event).
  [[nodiscard]] result<event> next() noexcept {
    if (head_ == count_ && ended_ == step::event) [[unlikely]]
      refill();
    if (head_ != count_) return ahead_[head_++];
    if (ended_ == step::eof) return event{event_kind::eof, 0, 0, false, false, pos_, {}};
    return err_;
  }

  /// Calls `f(const event&)` for every remaining event up to (not including) eof, in one tight
  /// loop that inlines `f`; the first error ends it. The fast way to walk a document:
  /// `auto r = tok->for_each([&](const wbxml::event& e) { if (e.kind == event_kind::text) ... });`
  template <class F>
  [[nodiscard]] result<void> for_each(F&& f) noexcept(noexcept(f(std::declval<const event&>()))) {
    for (; head_ != count_; ++head_) f(ahead_[head_]);  // what next() read ahead
    if (ended_ == step::event) {
      auto each = [&f](const event& e) noexcept(noexcept(f(e))) { f(e); };
      ended_ = dispatch(each);
    }
    if (ended_ == step::eof) return {};
    return err_;
  }

 private:
  enum class step : std::uint8_t { event, eof, failed };

  /// Reads ahead into ahead_ until it is full or the document ends (ended_: step::event while
  /// there is more).
  void refill() noexcept {
    std::size_t k = 0;
    auto keep = [this, &k](const event& e) noexcept {
      ahead_[k++] = e;
      return k != ahead_.size();
    };
    ended_ = dispatch(keep);
    head_ = 0, count_ = static_cast<std::uint8_t>(k);
  }

  tokenizer(bytes_view input, const options& opt, oxwire::detail::isa kernels) noexcept
      : data_(input), opt_(opt), limit_(input.size()), isa_(kernels) {}

  /// The one dispatch point: the tokenizer loop compiled for the string kernel this CPU runs.
  template <class F>
  [[nodiscard]] step dispatch(F& f) noexcept(noexcept(f(std::declval<const event&>()))) {
#if OXWIRE_X86
    if (isa_ == oxwire::detail::isa::avx2) return run_avx2(f);
#endif
    return run<oxwire::detail::isa::scalar>(f);
  }

#if OXWIRE_X86
  template <class F>
  [[nodiscard]] OXWIRE_TARGET_AVX2 __attribute__((flatten)) step run_avx2(F& f) noexcept(
      noexcept(f(std::declval<const event&>()))) {
    return run<oxwire::detail::isa::avx2>(f);
  }
#endif

  /// The loop: events go to `f`; an `f` that returns bool stops it by returning false
  /// (step::event). State lives in locals and is written back on every exit.
  template <oxwire::detail::isa Isa, class F>
  [[nodiscard]] [[gnu::always_inline]] inline step run(F& f) noexcept(
      noexcept(f(std::declval<const event&>()))) {
    // Locals, not members: `f` may touch *this as far as the compiler knows.
    const std::uint8_t* const p = data_.data();
    const std::size_t n = data_.size();
    const std::size_t max_depth = opt_.max_depth;
    const bool legacy_ok = opt_.accept_legacy, fragment = opt_.fragment,
               validate = opt_.validate_utf8;
    std::size_t pos = pos_, depth = depth_, limit = limit_;
    std::uint8_t page = page_;
    bool root_done = root_done_;
    const std::uint8_t* const table =
        legacy_ok ? detail::token_actions<true>.data() : detail::token_actions<false>.data();
    const std::uint8_t* actions = table + page * 256u;
#if OXWIRE_X86
    oxwire::detail::wbxml_cstring_blocks_avx2 blocks;
#endif
    const auto save = [&]() __attribute__((always_inline)) {
      pos_ = pos, depth_ = depth, limit_ = limit, page_ = page, root_done_ = root_done;
    };
    const auto fail = [&](errc e, std::size_t at, const char* what) noexcept {
      save();
      err_ = error{e, at, what};
      return step::failed;
    };
    // True when `f` stops the loop.
    const auto stop = [&](const event& ev) __attribute__((always_inline)) {
      if constexpr (std::is_same_v<decltype(f(ev)), bool>) {
        if (f(ev)) return false;
        save();
        return true;
      } else {
        f(ev);
        return false;
      }
    };
    for (;;) {
      // limit is n, or the end of the root element once it is complete (WAP-192-WBXML 5.3).
      if (pos >= limit) [[unlikely]] {
        if (pos != n) return fail(errc::trailing_bytes, pos, "after the root");
        if (depth != 0) return fail(errc::truncated_body, pos, "element not closed");
        if (!root_done && !fragment) return fail(errc::truncated_body, pos, "root element");
        save();
        return step::eof;
      }
      const std::size_t at = pos;
      const std::uint8_t b = p[pos];
      const std::uint8_t a = actions[b];
      if (a <= detail::act_legacy_content) [[likely]] {  // a tag (WAP-192-WBXML 5.8.2)
        if (a & 1) {
          if (depth == max_depth) return fail(errc::nesting_too_deep, at, "tag");
          ++depth;
        } else if (depth == 0) {
          root_done = true;
          if (!fragment) limit = at + 1;
        }
        ++pos;
        if (stop(event{event_kind::start,
                       page,
                       static_cast<std::uint8_t>(b & 0x3F),
                       (a & 1) != 0,
                       (a & 2) != 0,
                       at,
                       {}}))
          return step::event;
        continue;
      }
      // Tests in order of frequency: conditional branches predict better here than a jump table.
      if (a == detail::act_end) {
        if (depth == 0) return fail(errc::end_without_start, at, "END");
        ++pos;
        if (--depth == 0) {
          root_done = true;
          if (!fragment) limit = pos;
        }
        if (stop(event{event_kind::end, 0, 0, false, false, at, {}})) return step::event;
        continue;
      }
      if (a == detail::act_str_i) {
        if (depth == 0) return fail(errc::content_outside_element, at, "STR_I");
        const std::size_t from = at + 1;
        oxwire::detail::cstring_scan s;
#if OXWIRE_X86
        if constexpr (Isa == oxwire::detail::isa::avx2)
          s = blocks.find(p, n, from, validate);
        else
#endif
          s = oxwire::detail::wbxml_cstring_scalar(p + from, n - from, validate);
        if (s.len == n - from) return fail(errc::truncated_string, from, "STR_I");
        if (s.bad != s.len) return fail(errc::invalid_utf8, from + s.bad, "string");
        pos = from + s.len + 1;
        if (stop(event{event_kind::text, 0, 0, false, false, at, {p + from, s.len}}))
          return step::event;
        continue;
      }
      switch (a) {
        case detail::act_switch_page:
          if (n - pos < 2) return fail(errc::truncated_body, n, "SWITCH_PAGE");
          if (p[pos + 1] >= code_page_count)
            return fail(errc::unknown_code_page, pos + 1, "SWITCH_PAGE");
          page = p[pos + 1];
          actions = table + page * 256u;
          pos += 2;
          continue;
        case detail::act_str_t: {
          if (depth == 0) return fail(errc::content_outside_element, at, "STR_T");
          std::uint32_t idx = 0;
          if (!read_mb(at + 1, errc::truncated_string, "STR_T index", pos, idx)) {
            save();
            return step::failed;
          }
          auto s = table_string(idx, at + 1, "STR_T index", Isa);
          if (!s) {
            save();
            err_ = s.error();
            return step::failed;
          }
          if (stop(event{event_kind::text, 0, 0, false, false, at, *s})) return step::event;
          continue;
        }
        case detail::act_opaque: {
          if (depth == 0) return fail(errc::content_outside_element, at, "OPAQUE");
          std::uint32_t len = 0;
          if (!read_mb(at + 1, errc::truncated_opaque, "OPAQUE length", pos, len)) {
            save();
            return step::failed;
          }
          if (len > n - pos) return fail(errc::opaque_length_past_end, at + 1, "OPAQUE length");
          const std::size_t from = pos;
          pos += len;
          if (stop(event{event_kind::opaque, 0, 0, false, false, at, {p + from, len}}))
            return step::event;
          continue;
        }
        case detail::act_global: return fail(errc::unsupported_global_token, at, "global token");
        case detail::act_attributes: return fail(errc::attributes_not_supported, at, "tag");
        default: return fail(errc::unknown_token, at, "tag");
      }
    }
  }

  /// Reads an mb_u_int32 at `at` into `v` and moves `pos` past it; on failure sets err_
  /// (`truncated` if the input ends) and returns false.
  [[nodiscard]] bool read_mb(std::size_t at, errc truncated, const char* what, std::size_t& pos,
                             std::uint32_t& v) noexcept {
    const std::size_t n = data_.size();
    if (at < n && data_[at] < 0x80) [[likely]] {  // one byte: most indexes and lengths
      v = data_[at];
      pos = at + 1;
      return true;
    }
    const oxwire::detail::mb_uint32 m = oxwire::detail::read_mb_uint32(data_.data() + at, n - at);
    switch (m.status) {
      case oxwire::detail::mb_status::ok: v = m.value, pos = at + m.size; return true;
      case oxwire::detail::mb_status::truncated: err_ = error{truncated, at, what}; break;
      case oxwire::detail::mb_status::too_long:
        err_ = error{errc::mb_uint32_too_long, at, what};
        break;
      case oxwire::detail::mb_status::overflow:
        err_ = error{errc::mb_uint32_overflow, at, what};
        break;
    }
    return false;
  }

  [[nodiscard]] result<std::uint32_t> read_mb(std::size_t at, errc truncated,
                                              const char* what) noexcept {
    std::uint32_t v = 0;
    if (!read_mb(at, truncated, what, pos_, v)) return err_;
    return v;
  }

  /// The NUL-terminated string at `index` of the string table; `at` is where the index was read.
  [[nodiscard]] result<bytes_view> table_string(std::uint32_t index, std::size_t at,
                                                const char* what,
                                                oxwire::detail::isa set) const noexcept {
    const bytes_view table = header_.string_table;
    if (index >= table.size()) return error{errc::string_table_offset_out_of_range, at, what};
    const std::size_t from = header_.string_table_offset + index;
    const std::size_t left = table.size() - index;
    const oxwire::detail::cstring_scan s =
        oxwire::detail::wbxml_cstring(table.data() + index, left, opt_.validate_utf8, set);
    if (s.len == left) return error{errc::truncated_string, from, "string table"};
    if (s.bad != s.len) return error{errc::invalid_utf8, from + s.bad, "string"};
    return table.subspan(index, s.len);
  }

  // WAP-192-WBXML 5.3: start = version publicid charset strtbl body.
  [[nodiscard]] result<void> parse_header() noexcept {
    if (data_.empty()) return error{errc::truncated_header, 0, "version"};
    header_.version = data_[0];
    if (header_.version >= 0x10) return error{errc::unsupported_version, 0, "version"};
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
    if (*cs != charset_utf8) return error{errc::unsupported_charset, charset_at, "charset"};
    auto len = read_mb(pos_, errc::truncated_header, "strtbl length");
    if (!len) return len.error();
    if (*len > data_.size() - pos_) return error{errc::truncated_header, pos_, "strtbl"};
    header_.string_table = data_.subspan(pos_, *len);
    header_.string_table_offset = pos_;
    pos_ += *len;
    header_.size = pos_;
    if (header_.public_id_in_string_table) {
      auto s = table_string(index, index_at, "publicid index", isa_);
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
  std::size_t limit_ = 0;  // see run()
  error err_{};            // the error that ended run()
  oxwire::detail::isa isa_;
  std::uint8_t page_ = 0;
  bool root_done_ = false;
  std::array<event, 16> ahead_{};  // events next() has read ahead: [head_, count_)
  std::uint8_t head_ = 0, count_ = 0;
  step ended_ = step::event;  // how the last run ended (event: stopped with more to come)
};

}  // namespace oxwire::wbxml
