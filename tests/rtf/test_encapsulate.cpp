// Plain text encapsulated in RTF (rtf/encapsulate.hpp, MS-OXRTFEX 2.1.3.1.2 \fromtext): what
// encapsulate_text writes, deencapsulate reads back as the same text (line breaks as CRLF);
// the text of RTF that encapsulates nothing (deencapsulate_options::native_as_text).
#include "rtf_test.hpp"

#include <oxwire/rtf/encapsulate.hpp>

namespace test_encapsulate {

namespace rtf = oxwire::rtf;

std::string round_trip(std::string_view text) {
  const std::string doc = rtf::encapsulate_text(text);
  EXPECT_EQ(rtf::encapsulation_of(oxwire::as_bytes(doc)).value(), rtf::encapsulated::text);
  const auto back = rtf::deencapsulate(oxwire::as_bytes(doc));
  EXPECT_TRUE(back) << back.error().message();
  return back ? back->content : std::string("(error)");
}

TEST(RtfEncapsulate, TextComesBackFromDeencapsulate) {
  EXPECT_EQ(round_trip("Hello, world"), "Hello, world");
  EXPECT_EQ(round_trip("two\nlines\r\nand\rthree"), "two\r\nlines\r\nand\r\nthree");
  EXPECT_EQ(round_trip("a\tb {braces} \\back\\slash"), "a\tb {braces} \\back\\slash");
  // beyond ASCII: Latin-1, the BMP above 0x7FFF (a negative \uN), and a surrogate pair
  EXPECT_EQ(round_trip("Gr\xC3\xBC\xC3\x9F"
                       "e \xEF\xBC\xA1 \xF0\x9F\x98\x80 1"),
            "Gr\xC3\xBC\xC3\x9F"
            "e \xEF\xBC\xA1 \xF0\x9F\x98\x80 1");
  EXPECT_EQ(round_trip(""), "");
}

TEST(RtfEncapsulate, EscapesAndFallbacks) {
  const std::string doc = rtf::encapsulate_text("\xC3\xA9{\x01}\xEF\xBC\xA1");
  EXPECT_NE(doc.find("\\u233?\\{\\}\\u-223?"), std::string::npos) << doc;
  // invalid UTF-8 (a lone continuation byte, a truncated sequence) is U+FFFD
  EXPECT_EQ(round_trip("x\x80y\xE2\x82"), "x\xEF\xBF\xBDy\xEF\xBF\xBD");
}

TEST(RtfEncapsulate, CompressedFormRoundTrips) {
  const std::string text = "Meeting notes:\r\n\t- budget\r\n\t- plan {draft}\r\n";
  const auto packed = rtf::compress(oxwire::as_bytes(rtf::encapsulate_text(text)));
  ASSERT_TRUE(packed);
  const auto raw = rtf::decompress(*packed);
  ASSERT_TRUE(raw);
  EXPECT_EQ(rtf::deencapsulate(*raw).value().content, text);
}

// Native RTF (no \fromtext, no \fromhtml1): not encapsulated, unless its text is asked for
TEST(RtfEncapsulate, NativeRtfTextOnRequest) {
  const std::string_view doc =
      "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\froman Times;}}"
      "{\\colortbl;\\red255\\green0\\blue0;}{\\*\\generator Writer;}"
      "\\pard\\f0 Caf\\'e9 {\\b bold}\\par second\\tab line\\u8364?}";
  EXPECT_FALSE(rtf::deencapsulate(oxwire::as_bytes(doc)));
  const auto text = rtf::deencapsulate(oxwire::as_bytes(doc), {.native_as_text = true});
  ASSERT_TRUE(text) << text.error().message();
  EXPECT_EQ(text->format, rtf::encapsulated::none);
  EXPECT_EQ(text->content, "Caf\xC3\xA9 bold\r\nsecond\tline\xE2\x82\xAC");
}

}  // namespace test_encapsulate
