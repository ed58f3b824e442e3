// oxwire — de-encapsulation of HTML and plain text from RTF (MS-OXRTFEX), as Outlook stores HTML
// and text mail in PidTagRtfCompressed.
//
// An encapsulating document says \fromhtml1 or \fromtext in its header (MS-OXRTFEX 2.1.3.1.1,
// 2.1.3.1.2). The HTML markup is in {\*\htmltagN ...} groups (2.1.3.1.4), the text between
// them; \htmlrtf ... \htmlrtf0 marks RTF that was not in the original (2.1.3.1.3) and is left
// out. \par becomes CRLF, \tab a TAB, \'hh bytes are decoded in the code page of the current
// font (\fN, \fcharsetN, \cpgN in the font table) or the document's (\ansicpgN), \uN with its
// \ucN fallback skipped.
//
//   auto doc = oxwire::rtf::deencapsulate(rtf_bytes);   // result<deencapsulated>
//   if (doc && doc->format == oxwire::rtf::encapsulated::html) std::cout << doc->content;
//
// Code pages are converted with iconv (glibc); the output is UTF-8.
#pragma once

#include <oxwire/core/bytes.hpp>
#include <oxwire/core/error.hpp>
#include <oxwire/rtf/error.hpp>
#include <oxwire/rtf/tokenizer.hpp>

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace oxwire::rtf {

/// What the RTF header says the document encapsulates.
enum class encapsulated : std::uint8_t { none, html, text };

struct deencapsulate_options {
  std::size_t max_depth = 256;                      // group nesting (tokenizer_options)
  std::size_t max_output = std::size_t{256} << 20;  // bytes of UTF-8 produced
  bool native_as_text = false;  // RTF that encapsulates nothing: its text (format none)
};

struct deencapsulated {
  encapsulated format = encapsulated::none;
  std::string content;  // UTF-8
};

namespace detail {

/// The code page of an RTF \fcharsetN (MSFT-RTF font table); 0 for "the document's".
[[nodiscard]] constexpr int code_page_of_charset(int charset) noexcept {
  switch (charset) {
    case 0: return 1252;
    case 2: return 42;  // symbol
    case 77: return 10000;
    case 128: return 932;
    case 129: return 949;
    case 130: return 1361;
    case 134: return 936;
    case 136: return 950;
    case 161: return 1253;
    case 162: return 1254;
    case 163: return 1258;
    case 177: return 1255;
    case 178: return 1256;
    case 186: return 1257;
    case 204: return 1251;
    case 222: return 874;
    case 238: return 1250;
    case 254: return 437;
    case 255: return 850;
    default: return 0;
  }
}

inline void append_utf8(std::string& s, char32_t c) {
  if (c < 0x80) {
    s += static_cast<char>(c);
  } else if (c < 0x800) {
    s += static_cast<char>(0xC0 | c >> 6);
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    s += static_cast<char>(0xE0 | c >> 12);
    s += static_cast<char>(0x80 | (c >> 6 & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | c >> 18);
    s += static_cast<char>(0x80 | (c >> 12 & 0x3F));
    s += static_cast<char>(0x80 | (c >> 6 & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  }
}

/// UTF-8 output fed with code-page bytes and code points: bytes wait until something else comes
/// (multi-byte characters may span \'hh escapes), then go through iconv; a byte sequence
/// invalid in its code page becomes U+FFFD.
class text_sink {
 public:
  explicit text_sink(std::string& out) : out_(&out) {}
  text_sink(const text_sink&) = delete;
  text_sink& operator=(const text_sink&) = delete;
  ~text_sink() {
    for (auto& [cp, cd] : converters_)
      if (cd != invalid()) iconv_close(cd);
  }

  [[nodiscard]] result<void> byte(std::uint8_t b, int code_page, std::size_t offset) {
    if (!pending_.empty() && code_page != pending_cp_)
      if (auto r = flush(); !r) return r;
    if (pending_.empty()) pending_cp_ = code_page, pending_at_ = offset;
    pending_.push_back(b);
    return {};
  }

  [[nodiscard]] result<void> code_point(char32_t c) {
    if (auto r = flush(); !r) return r;
    if (high_) {
      const char32_t h = high_;
      high_ = 0;
      if (c >= 0xDC00 && c < 0xE000) {
        append_utf8(*out_, 0x10000 + ((h - 0xD800) << 10) + (c - 0xDC00));
        return {};
      }
      append_utf8(*out_, 0xFFFD);
    }
    if (c >= 0xD800 && c < 0xDC00) {
      high_ = c;
    } else {
      append_utf8(*out_, c >= 0xDC00 && c < 0xE000 ? char32_t{0xFFFD} : c);
    }
    return {};
  }

  [[nodiscard]] result<void> flush() {
    if (high_ && !pending_.empty()) append_utf8(*out_, 0xFFFD), high_ = 0;
    if (pending_.empty()) return {};
    bool ascii = true;
    for (std::uint8_t b : pending_) ascii &= b < 0x80;
    if (ascii || pending_cp_ == 65001 || pending_cp_ == 20127) {
      out_->append(pending_.begin(), pending_.end());
    } else if (pending_cp_ == 42) {  // symbol fonts: the Private Use Area Windows maps them to
      for (std::uint8_t b : pending_) append_utf8(*out_, b < 0x20 ? b : 0xF000 + b);
    } else {
      iconv_t cd = converter(pending_cp_);
      if (cd == invalid()) return error{errc::unsupported_code_page, pending_at_, "code page"};
      convert(cd);
    }
    pending_.clear();
    return {};
  }

  [[nodiscard]] std::size_t size() const noexcept { return out_->size() + pending_.size(); }

 private:
  static iconv_t invalid() noexcept { return reinterpret_cast<iconv_t>(-1); }

  [[nodiscard]] static std::string iconv_name(int cp) {
    switch (cp) {
      case 10000: return "MACINTOSH";
      case 20932: return "EUC-JP";
      case 51932: return "EUC-JP";
      case 51949: return "EUC-KR";
      case 54936: return "GB18030";
      case 50220:
      case 50221:
      case 50222: return "ISO-2022-JP";
      case 20866: return "KOI8-R";
      case 21866: return "KOI8-U";
      case 1361: return "JOHAB";
      default: break;
    }
    if (cp >= 28591 && cp <= 28606) return "ISO-8859-" + std::to_string(cp - 28590);
    return "CP" + std::to_string(cp);
  }

  iconv_t converter(int cp) {
    auto it = converters_.find(cp);
    if (it == converters_.end())
      it = converters_.emplace(cp, iconv_open("UTF-8", iconv_name(cp).c_str())).first;
    return it->second;
  }

  void convert(iconv_t cd) {
    iconv(cd, nullptr, nullptr, nullptr, nullptr);
    char* in = reinterpret_cast<char*>(pending_.data());
    std::size_t in_left = pending_.size();
    char buf[1024];
    while (in_left) {
      char* o = buf;
      std::size_t o_left = sizeof buf;
      const std::size_t r = iconv(cd, &in, &in_left, &o, &o_left);
      out_->append(buf, static_cast<std::size_t>(o - buf));
      if (r == static_cast<std::size_t>(-1) && errno != E2BIG) {  // EILSEQ, EINVAL
        append_utf8(*out_, 0xFFFD);
        ++in, --in_left;
        iconv(cd, nullptr, nullptr, nullptr, nullptr);
      }
    }
    char* o = buf;
    std::size_t o_left = sizeof buf;
    iconv(cd, nullptr, nullptr, &o, &o_left);  // a stateful code page's shift back
    out_->append(buf, static_cast<std::size_t>(o - buf));
  }

  std::string* out_;
  std::vector<std::uint8_t> pending_;
  int pending_cp_ = 0;
  std::size_t pending_at_ = 0;
  char32_t high_ = 0;  // a UTF-16 high surrogate from \uN waiting for its low half
  std::map<int, iconv_t> converters_;
};

/// Control words with a fixed textual equivalent (MSFT-RTF "Special characters").
[[nodiscard]] inline char32_t special_character(std::string_view w) noexcept {
  struct entry {
    std::string_view word;
    char32_t c;
  };
  static constexpr entry table[] = {
      {"tab", U'\t'},        {"lquote", 0x2018},  {"rquote", 0x2019},  {"ldblquote", 0x201C},
      {"rdblquote", 0x201D}, {"bullet", 0x2022},  {"endash", 0x2013},  {"emdash", 0x2014},
      {"enspace", 0x2002},   {"emspace", 0x2003}, {"qmspace", 0x2005}, {"zwj", 0x200D},
      {"zwnj", 0x200C},      {"ltrmark", 0x200E}, {"rtlmark", 0x200F},
  };
  for (const entry& e : table)
    if (e.word == w) return e.c;
  return 0;
}

/// Destinations whose content is never text (MSFT-RTF), also without \*.
[[nodiscard]] inline bool skipped_destination(std::string_view w) noexcept {
  static constexpr std::string_view table[] = {
      "colortbl",  "stylesheet",        "info",    "pict",    "object",   "header",
      "footer",    "headerl",           "headerr", "footerl", "footerr",  "footnote",
      "listtable", "listoverridetable", "rsidtbl", "revtbl",  "xmlnstbl", "generator",
      "filetbl",
  };
  for (std::string_view e : table)
    if (e == w) return true;
  return false;
}

}  // namespace detail

/// What `rtf` encapsulates (MS-OXRTFEX 2.2.3.1): \fromhtml1 (html) or \fromtext (text) among
/// the first 10 control words of the header, before any nested group or text; none otherwise.
/// Errors only from the tokenizer.
[[nodiscard]] inline result<encapsulated> encapsulation_of(bytes_view rtf,
                                                           std::size_t max_depth = 256) {
  tokenizer tok(rtf, {.max_depth = max_depth});
  for (int words = 0; words < 10;) {
    auto t = tok.next();
    if (!t) return t.error();
    if (t->kind == token_kind::group_open && tok.depth() == 1) continue;
    if (t->kind != token_kind::control_word || tok.depth() != 1) break;
    if (t->word == "fromhtml" && t->has_parameter && t->parameter == 1) return encapsulated::html;
    if (t->word == "fromtext") return encapsulated::text;
    ++words;
  }
  return encapsulated::none;
}

/// The HTML or plain text an RTF document encapsulates, as UTF-8 (MS-OXRTFEX 2.4.1 for HTML,
/// 2.4.2 for text); with `native_as_text`, the text of an RTF document that encapsulates nothing
/// (its body text, read as 2.4.2 reads \fromtext: the plain body MS-OXBBODY derives from RTF).
/// Errors: errc::not_encapsulated at 0, the tokenizer's errors, unsupported_code_page,
/// limit_exceeded (max_output).
[[nodiscard]] inline result<deencapsulated> deencapsulate(bytes_view rtf,
                                                          const deencapsulate_options& opt = {}) {
  auto format = encapsulation_of(rtf, opt.max_depth);
  if (!format) return format.error();
  if (*format == encapsulated::none && !opt.native_as_text)
    return error{errc::not_encapsulated, 0, "\\fromhtml1"};
  const bool html = *format == encapsulated::html;

  enum class dest : std::uint8_t { body, skip, htmltag, fonttbl };
  struct state {
    dest d = dest::body;
    bool htmlrtf = false;
    int font = -1;
    int uc = 1;
  };
  deencapsulated doc{*format, {}};
  detail::text_sink sink(doc.content);
  std::vector<state> stack{state{}};
  std::map<int, int> font_cp;  // font number -> code page
  int default_cp = 1252, table_font = 0;
  bool group_start = false, star = false;
  std::size_t skip = 0;  // characters of a \uN fallback still to skip

  tokenizer tok(rtf, {.max_depth = opt.max_depth});
  for (;;) {
    auto t = tok.next();
    if (!t) return t.error();
    if (t->kind == token_kind::eof) break;
    if (sink.size() > opt.max_output)
      return error{oxwire::errc::limit_exceeded, t->offset, "max_output"};
    state& s = stack.back();
    const bool first = group_start;
    group_start = false;
    if (t->kind == token_kind::group_open) {
      stack.push_back(s);
      group_start = true, star = false, skip = 0;
      continue;
    }
    if (t->kind == token_kind::group_close) {
      stack.pop_back();
      skip = 0;
      continue;
    }
    if (s.d == dest::skip) continue;
    if (first && t->kind == token_kind::control_symbol && t->word == "*") {
      group_start = true, star = true;  // an ignorable destination follows
      continue;
    }
    if (first && t->kind == token_kind::control_word) {
      if (t->word == "htmltag") {
        s.d = html && star ? dest::htmltag : dest::skip;
        continue;
      }
      if (t->word == "fonttbl") {
        s.d = dest::fonttbl;
        continue;
      }
      if (star || detail::skipped_destination(t->word)) {
        s.d = dest::skip;
        continue;
      }
    }
    if (s.d == dest::fonttbl) {  // {\fN\fcharsetN\cpgN name;}
      if (t->kind == token_kind::control_word && t->has_parameter) {
        if (t->word == "f") table_font = t->parameter;
        if (t->word == "fcharset" && !font_cp.contains(table_font))
          font_cp[table_font] = detail::code_page_of_charset(t->parameter);
        if (t->word == "cpg") font_cp[table_font] = t->parameter;
      }
      continue;
    }
    // body or htmltag: \htmlrtf suppresses body text only (MS-OXRTFEX 2.1.3.1.3).
    const bool emit = s.d == dest::htmltag || !s.htmlrtf;
    const auto code_page = [&] {
      if (s.d == dest::body) {
        auto it = font_cp.find(s.font);
        if (it != font_cp.end() && it->second != 0) return it->second;
      }
      return default_cp;
    };
    const auto put = [&](char32_t c) -> result<void> {
      if (!emit) return {};
      return sink.code_point(c);
    };
    result<void> r;
    switch (t->kind) {
      case token_kind::text: {
        bytes_view d = t->data;
        const std::size_t n = std::min(skip, d.size());
        d = d.subspan(n), skip -= n;
        if (!emit) break;
        const int cp = code_page();
        for (std::size_t i = 0; i < d.size() && r; ++i) r = sink.byte(d[i], cp, t->offset + n + i);
        break;
      }
      case token_kind::hex_byte:
        if (skip) {
          --skip;
        } else if (emit) {
          r = sink.byte(t->byte, code_page(), t->offset);
        }
        break;
      case token_kind::binary:
        if (skip) --skip;
        break;
      case token_kind::control_symbol: {
        if (skip) {
          --skip;
          break;
        }
        const char c = t->word[0];
        if (c == '\\' || c == '{' || c == '}') r = put(static_cast<char32_t>(c));
        if (c == '~') r = put(0x00A0);
        if (c == '_') r = put(0x2011);
        break;
      }
      case token_kind::control_word: {
        const std::string_view w = t->word;
        if (w == "htmlrtf") {
          s.htmlrtf = !t->has_parameter || t->parameter != 0;
        } else if (w == "f" && t->has_parameter) {
          s.font = t->parameter;
        } else if (w == "deff" && t->has_parameter) {
          for (state& g : stack)
            if (g.font < 0) g.font = t->parameter;
        } else if (w == "ansicpg" && t->has_parameter) {
          default_cp = t->parameter;
        } else if (w == "mac") {
          default_cp = 10000;
        } else if (w == "pc") {
          default_cp = 437;
        } else if (w == "pca") {
          default_cp = 850;
        } else if (w == "uc" && t->has_parameter) {
          s.uc = t->parameter < 0 ? 0 : t->parameter;
        } else if (skip) {
          --skip;
        } else if (w == "u" && t->has_parameter) {
          r = put(static_cast<char32_t>(t->parameter < 0 ? t->parameter + 65536 : t->parameter) &
                  0xFFFF);
          skip = static_cast<std::size_t>(s.uc);
        } else if (w == "par" || w == "line") {
          if (r = put(U'\r'); r) r = put(U'\n');
        } else if (const char32_t c = detail::special_character(w)) {
          r = put(c);
        }
        break;
      }
      default: break;
    }
    if (!r) return r.error();
  }
  if (auto r = sink.flush(); !r) return r.error();
  if (doc.content.size() > opt.max_output)
    return error{oxwire::errc::limit_exceeded, rtf.size(), "max_output"};
  return doc;
}

}  // namespace oxwire::rtf
