// MS-OXRTFEX: the RTF tokenizer, HTML and text de-encapsulation; MS-OXBBODY best body.
#include "rtf_test.hpp"

namespace test_deencapsulate {

using namespace oxwire_test;
namespace rtf = oxwire::rtf;
using rtf::errc;
using rtf::token_kind;

std::vector<rtf::token> tokens_of(std::string_view s) {
  rtf::tokenizer tok(oxwire::as_bytes(s));
  std::vector<rtf::token> v;
  for (;;) {
    auto t = tok.next();
    EXPECT_TRUE(t) << t.error().message();
    if (!t || t->kind == token_kind::eof) return v;
    v.push_back(*t);
  }
}

oxwire::result<void> tokenize_all(std::string_view s, std::size_t max_depth = 256) {
  rtf::tokenizer tok(oxwire::as_bytes(s), {.max_depth = max_depth});
  for (;;) {
    auto t = tok.next();
    if (!t) return t.error();
    if (t->kind == token_kind::eof) return {};
  }
}

std::string html_of(std::string_view rtf_text) {
  auto r = rtf::deencapsulate(oxwire::as_bytes(rtf_text));
  EXPECT_TRUE(r) << r.error().message();
  if (!r) return {};
  EXPECT_EQ(r->format, rtf::encapsulated::html);
  return r->content;
}

TEST(RtfTokenizer, Tokens) {
  const auto t = tokens_of("{\\rtf1\\b-12 x\\'e9\\*\\\\\r\n\\bin3 {}\\ text}");
  ASSERT_EQ(t.size(), 10u);
  EXPECT_EQ(t[0].kind, token_kind::group_open);
  EXPECT_EQ(t[1].kind, token_kind::control_word);
  EXPECT_EQ(t[1].word, "rtf");
  EXPECT_EQ(t[1].parameter, 1);
  EXPECT_EQ(t[2].word, "b");
  EXPECT_TRUE(t[2].has_parameter);
  EXPECT_EQ(t[2].parameter, -12);
  EXPECT_EQ(t[3].kind, token_kind::text);  // the space after -12 is the delimiter
  EXPECT_EQ(oxwire::as_chars(t[3].data), "x");
  EXPECT_EQ(t[4].kind, token_kind::hex_byte);
  EXPECT_EQ(t[4].byte, 0xE9);
  EXPECT_EQ(t[5].kind, token_kind::control_symbol);
  EXPECT_EQ(t[5].word, "*");
  EXPECT_EQ(t[6].word, "\\");
  EXPECT_EQ(t[7].kind, token_kind::binary);
  EXPECT_EQ(oxwire::as_chars(t[7].data), "{}\\");
  EXPECT_EQ(t[7].offset, 23u);
  EXPECT_EQ(t[8].kind, token_kind::text);
  EXPECT_EQ(oxwire::as_chars(t[8].data), " text");
  EXPECT_EQ(t[9].kind, token_kind::group_close);
  // "\<newline>" is \par
  const auto p = tokens_of("{a\\\nb}");
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p[2].word, "par");
}

TEST(RtfTokenizer, Errors) {
  EXPECT_TRUE(fails_with(tokenize_all("{\\rtf1}}"), errc::unbalanced_group, 7, "group"));
  EXPECT_TRUE(fails_with(tokenize_all("{\\rtf1{{}"), errc::unbalanced_group, 6, "group"));
  EXPECT_TRUE(fails_with(tokenize_all("{{{{}}}}", 3), oxwire::errc::limit_exceeded, 3, "group"));
  EXPECT_TRUE(tokenize_all("{{{}}}", 3));
  EXPECT_TRUE(fails_with(tokenize_all("{\\'4g}"), errc::invalid_hex_escape, 1, "\\'hh"));
  EXPECT_TRUE(fails_with(tokenize_all("{\\'4"), errc::invalid_hex_escape, 1, "\\'hh"));
  EXPECT_TRUE(fails_with(tokenize_all("{\\" + std::string(33, 'a') + "}"),
                         errc::invalid_control_word, 1, "control word"));
  EXPECT_TRUE(tokenize_all("{\\" + std::string(32, 'a') + "}"));
  EXPECT_TRUE(
      fails_with(tokenize_all("{\\f12345678901}"), errc::invalid_control_word, 1, "parameter"));
  EXPECT_TRUE(fails_with(tokenize_all("{\\bin5 abc}"), oxwire::errc::truncated, 7, "\\bin data"));
  EXPECT_TRUE(fails_with(tokenize_all("{\\bin-1 }"), errc::invalid_control_word, 1, "\\bin"));
  EXPECT_TRUE(fails_with(tokenize_all("{\\"), oxwire::errc::truncated, 1, "control symbol"));
}

TEST(RtfDeencapsulate, Recognition) {
  using rtf::encapsulated;
  EXPECT_EQ(*rtf::encapsulation_of(oxwire::as_bytes("{\\rtf1\\ansi\\fromhtml1 x}")),
            encapsulated::html);
  EXPECT_EQ(*rtf::encapsulation_of(oxwire::as_bytes("{\\rtf1\\ansi\\fromtext x}")),
            encapsulated::text);
  // After the font table, or after text, it is not a header any more.
  EXPECT_EQ(*rtf::encapsulation_of(oxwire::as_bytes("{\\rtf1{\\fonttbl}\\fromhtml1 x}")),
            encapsulated::none);
  EXPECT_EQ(*rtf::encapsulation_of(oxwire::as_bytes("{\\rtf1 x\\fromhtml1}")), encapsulated::none);
  EXPECT_TRUE(fails_with(rtf::deencapsulate(oxwire::as_bytes("{\\rtf1\\ansi hello}")),
                         errc::not_encapsulated, 0));
}

// In the manner of MS-OXRTFEX section 4: the markup in HTMLTAG groups, the text between them,
// \htmlrtf regions left out, \par inside a tag is CRLF.
TEST(RtfDeencapsulate, Html) {
  const std::string doc =
      "{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\deff0{\\fonttbl\r\n"
      "{\\f0\\fswiss Arial;}\r\n"
      "{\\f1\\fmodern Courier New;}\r\n"
      "{\\f2\\fnil\\fcharset2 Symbol;}\r\n"
      "{\\f3\\fmodern\\fcharset0 Courier New;}}\r\n"
      "{\\colortbl\\red0\\green0\\blue0;\\red0\\green0\\blue255;}\r\n"
      "\\uc1\\pard\\plain\\deftab360 \\f0\\fs24 \r\n"
      "{\\*\\htmltag19 <html>}\r\n"
      "{\\*\\htmltag34 <head>}\r\n"
      "{\\*\\htmltag1 \\par }\r\n"
      "{\\*\\htmltag241 <style>}\r\n"
      "{\\*\\htmltag241 body \\{ font-family: Arial; \\}}\r\n"
      "{\\*\\htmltag249 </style>}\r\n"
      "{\\*\\htmltag41 </head>}\r\n"
      "{\\*\\htmltag2 \\par }\r\n"
      "{\\*\\htmltag50 <body>}\\htmlrtf \\lang1033 \\htmlrtf0 \r\n"
      "{\\*\\htmltag64}\r\n"
      "{\\*\\htmltag72 <p>}\\htmlrtf {\\htmlrtf0 Hello \\'e9t\\'e9 \\u8364?\\htmlrtf \\par "
      "\\htmlrtf0 }\\htmlrtf0 \r\n"
      "{\\*\\htmltag84 <a href=\"x\">}\\htmlrtf {\\field{\\*\\fldinst{HYPERLINK \"x\"}}{\\fldrslt"
      "\\cf1\\ul \\htmlrtf0 link\\htmlrtf }}\\htmlrtf0 {\\*\\htmltag92 </a>}\r\n"
      "{\\*\\htmltag80 </p>}\r\n"
      "{\\*\\htmltag58 </body>}\r\n"
      "{\\*\\htmltag27 </html>}}";
  EXPECT_EQ(html_of(doc),
            "<html><head>\r\n<style>body { font-family: Arial; }</style></head>\r\n<body>"
            "<p>Hello \xC3\xA9t\xC3\xA9 \xE2\x82\xAC<a href=\"x\">link</a></p></body></html>");
}

TEST(RtfDeencapsulate, Text) {
  const std::string doc =
      "{\\rtf1\\ansi\\ansicpg1252\\fromtext \\deff0{\\fonttbl {\\f0\\fswiss Arial;}}"
      "{\\*\\generator Riched20;}\\uc1\\pard\\plain\\f0 Line one\\par Line\\tab two\\line "
      "{\\*\\unknown skipped}\\lquote q\\rquote\\~\\{\\}\\\\\\par}";
  auto r = rtf::deencapsulate(oxwire::as_bytes(doc));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->format, rtf::encapsulated::text);
  EXPECT_EQ(r->content, "Line one\r\nLine\ttwo\r\n\xE2\x80\x98q\xE2\x80\x99\xC2\xA0{}\\\r\n");
}

TEST(RtfDeencapsulate, CodePages) {
  const auto one = [](std::string_view header, std::string_view body) {
    return html_of(std::string("{\\rtf1\\ansi") + std::string(header) +
                   "\\fromhtml1 \\deff0{\\fonttbl{\\f0\\fswiss Arial;}{\\f1\\fnil\\fcharset128 "
                   "MS Gothic;}{\\f2\\fnil\\cpg949 Gulim;}}" +
                   std::string(body) + "}");
  };
  // A multi-byte character split over two escapes (cp932 from \fcharset128).
  EXPECT_EQ(one("\\ansicpg1252", "{\\f1 \\'82\\'a0}\\'e9"), "\xE3\x81\x82\xC3\xA9");
  EXPECT_EQ(one("\\ansicpg932", "\\'82\\'a0"), "\xE3\x81\x82");        // \ansicpg932
  EXPECT_EQ(one("\\ansicpg1252", "\\f2 \\'b0\\'a1"), "\xEA\xB0\x80");  // \cpg949
  EXPECT_EQ(one("\\ansicpg936", "\\'c4\\'e3"), "\xE4\xBD\xA0");
  EXPECT_EQ(one("\\ansicpg950", "\\'a4\\'40"), "\xE4\xB8\x80");
  EXPECT_EQ(one("\\ansicpg1251", "\\'c4"), "\xD0\x94");
  // Inside an HTMLTAG group the document's code page holds.
  EXPECT_EQ(one("\\ansicpg1252", "\\f1 {\\*\\htmltag4 \\'e9}"), "\xC3\xA9");
  // A byte invalid in its code page becomes U+FFFD.
  EXPECT_EQ(one("\\ansicpg932", "\\'82"), "\xEF\xBF\xBD");
  // \uN with \ucN skip counts, and a surrogate pair.
  EXPECT_EQ(one("\\ansicpg1252", "\\uc2\\u8364\\'80\\'80x"), "\xE2\x82\xACx");
  EXPECT_EQ(one("\\ansicpg1252", "\\u-10179?\\u-8704?"), "\xF0\x9F\x98\x80");
  EXPECT_EQ(one("\\ansicpg1252", "\\uc0\\u233 x"), "\xC3\xA9x");
  EXPECT_TRUE(fails_with(
      rtf::deencapsulate(oxwire::as_bytes("{\\rtf1\\ansi\\ansicpg99999\\fromhtml1 \\'e9}")),
      errc::unsupported_code_page, 35, "code page"));
}

TEST(RtfDeencapsulate, Limits) {
  std::string deep = "{\\rtf1\\fromhtml1 ";
  for (int i = 0; i < 300; ++i) deep += '{';
  EXPECT_TRUE(fails_with(rtf::deencapsulate(oxwire::as_bytes(deep)), oxwire::errc::limit_exceeded,
                         17 + 255, "group"));
  EXPECT_TRUE(fails_with(rtf::deencapsulate(oxwire::as_bytes("{\\rtf1\\fromhtml1 {x}")),
                         errc::unbalanced_group, 0, "group"));
  EXPECT_TRUE(fails_with(rtf::deencapsulate(oxwire::as_bytes("{\\rtf1\\fromhtml1 x}}")),
                         errc::unbalanced_group, 19, "group"));
  const std::string big = "{\\rtf1\\fromhtml1 " + std::string(5000, 'x') + "\\par y}";
  EXPECT_TRUE(fails_with(rtf::deencapsulate(oxwire::as_bytes(big), {.max_output = 100}),
                         oxwire::errc::limit_exceeded, 5017, "max_output"));
}

// The corpus bodies that encapsulate HTML give one HTML document each.
TEST(RtfDeencapsulate, Corpus) {
  OXWIRE_RTF_CORPUS(rows);
  int html = 0;
  for (const auto& e : rows) {
    SCOPED_TRACE(e.file.string());
    auto raw = rtf::decompress(read_file(e.file));
    ASSERT_TRUE(raw);
    auto kind = rtf::encapsulation_of(*raw);
    ASSERT_TRUE(kind) << kind.error().message();
    if (*kind != rtf::encapsulated::html) continue;
    ++html;
    auto doc = rtf::deencapsulate(*raw);
    ASSERT_TRUE(doc) << doc.error().message();
    const std::string& h = doc->content;
    EXPECT_NE(h.find("<html"), std::string::npos);
    EXPECT_NE(h.find("</html>"), std::string::npos);
    EXPECT_EQ(h.find("\\htmltag"), std::string::npos);
    EXPECT_EQ(h.find("\\htmlrtf"), std::string::npos);
  }
  EXPECT_GE(html, 6);
}

TEST(RtfBestBody, Choice) {
  using rtf::body_format;
  EXPECT_EQ(rtf::best_body({}), body_format::undefined);
  EXPECT_EQ(rtf::best_body({.PidTagBody = true}), body_format::plain_text);
  EXPECT_EQ(rtf::best_body({.PidTagBody = true, .PidTagHtml = true}), body_format::html);
  EXPECT_EQ(rtf::best_body({.PidTagRtfCompressed = true}), body_format::rtf);
  EXPECT_EQ(
      rtf::best_body({.PidTagBody = true, .PidTagRtfCompressed = true, .PidTagRtfInSync = true}),
      body_format::rtf);
  EXPECT_EQ(
      rtf::best_body({.PidTagBody = true, .PidTagRtfCompressed = true, .PidTagRtfInSync = false}),
      body_format::plain_text);
  EXPECT_EQ(
      rtf::best_body({.PidTagRtfCompressed = true, .PidTagHtml = true, .PidTagRtfInSync = false}),
      body_format::html);
  EXPECT_EQ(rtf::best_body({.PidTagBody = true, .PidTagNativeBody = 3}), body_format::html);
  EXPECT_EQ(rtf::best_body({.PidTagBody = true, .PidTagNativeBody = 0}), body_format::plain_text);
}

}  // namespace test_deencapsulate
