// 8-bit strings of every Windows code page (mapi/message.hpp): string8_to_utf8 and
// utf16_to_string8 on known text of single- and multi-byte code pages, invalid and
// unrepresentable input, the in-house Windows-1252 decoder against iconv, threads.
#include <gtest/gtest.h>

#include <oxwire/mapi/message.hpp>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

namespace test_message_codepage {

namespace mapi = oxwire::mapi;

struct sample {
  std::uint32_t codepage;
  const char* utf8;
  const char* bytes;  // `utf8` in `codepage`, as iconv(1) writes it
};

// Cyrillic, Japanese, Greek, Chinese (simplified and traditional), Korean, Thai, Hebrew, KOI8-R,
// Latin-2, and the stateful ISO-2022-JP (escapes into JIS X 0208 and back to ASCII).
constexpr sample samples[] = {
    {1251, "Привет", "\xCF\xF0\xE8\xE2\xE5\xF2"},
    {932, "日本語", "\x93\xFA\x96\x7B\x8C\xEA"},
    {1253, "Καλημέρα", "\xCA\xE1\xEB\xE7\xEC\xDD\xF1\xE1"},
    {936, "中文", "\xD6\xD0\xCE\xC4"},
    {950, "中文", "\xA4\xA4\xA4\xE5"},
    {949, "한국어", "\xC7\xD1\xB1\xB9\xBE\xEE"},
    {874, "ไทย", "\xE4\xB7\xC2"},
    {1255, "שלום", "\xF9\xEC\xE5\xED"},
    {20866, "Привет", "\xF0\xD2\xC9\xD7\xC5\xD4"},
    {1250, "Žluťoučký",
     "\x8E"
     "lu\x9D"
     "ou\xE8"
     "k\xFD"},
    {50220, "日本", "\x1B\x24\x42\x46\x7C\x4B\x5C\x1B\x28\x42"},
    {1252, "café €", "caf\xE9 \x80"},
    {28591, "café", "caf\xE9"},
};

TEST(Codepage, TableIsSortedAndIconvKnowsEveryName) {
  EXPECT_TRUE(std::ranges::is_sorted(mapi::codepages, {}, &mapi::codepage_info::codepage));
  for (const auto& c : mapi::codepages) {
    const iconv_t cd = ::iconv_open("UTF-8", c.iconv_name);
    EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1)) << c.codepage << " " << c.iconv_name;
    if (cd != reinterpret_cast<iconv_t>(-1)) ::iconv_close(cd);
  }
  static_assert(mapi::find_codepage(1251)->kind == mapi::codepage_kind::sbcs);
  EXPECT_EQ(mapi::find_codepage(1200), nullptr);
  EXPECT_EQ(mapi::find_codepage(0), nullptr);
}

TEST(Codepage, DecodesAndEncodesKnownText) {
  for (const auto& s : samples) {
    SCOPED_TRACE(s.codepage);
    EXPECT_EQ(mapi::string8_to_utf8(s.bytes, s.codepage), s.utf8);
    const auto wide = oxwire::utf16::from_utf8(s.utf8).value();
    const std::u16string w(reinterpret_cast<const char16_t*>(wide.data()), wide.size() / 2);
    EXPECT_EQ(mapi::utf16_to_string8(w, s.codepage), s.bytes);
  }
}

TEST(Codepage, InvalidBytesGiveReplacementCharacters) {
  constexpr std::string_view fffd = "\xEF\xBF\xBD";
  // A Shift-JIS lead byte cut off at the end; one followed by a byte that cannot trail it.
  EXPECT_EQ(mapi::string8_to_utf8("A\x82", 932), std::string("A").append(fffd));
  EXPECT_EQ(mapi::string8_to_utf8("\x82\x20"
                                  "B",
                                  932),
            std::string(fffd).append(" B"));
  // Bytes that Windows-1253 and Windows-1252 leave unassigned.
  EXPECT_EQ(mapi::string8_to_utf8("\xAA", 1253), fffd);
  EXPECT_EQ(mapi::string8_to_utf8("a\x81", 1252), std::string("a").append(fffd));
  // Ill-formed UTF-8 labelled UTF-8.
  EXPECT_EQ(mapi::string8_to_utf8("x\xC3", 65001), std::string("x").append(fffd));
  // A code page the table does not know: its ASCII, U+FFFD for each other byte.
  EXPECT_EQ(mapi::string8_to_utf8("a\xE9\xE9", 12345), std::string("a").append(fffd).append(fffd));
  EXPECT_EQ(mapi::string8_to_utf8("", 932), "");
}

TEST(Codepage, ValidUtf8IsTakenAsUtf8OnlyInSingleByteCodePages) {
  // "caf\xC3\xA9" is "café" in UTF-8: a 1252 label on it is taken to be wrong...
  EXPECT_EQ(mapi::string8_to_utf8("caf\xC3\xA9", 1252), "café");
  // ...but in Shift-JIS the same bytes are two half-width katakana.
  EXPECT_EQ(mapi::string8_to_utf8("caf\xC3\xA9", 932), "cafﾃｩ");
  // EBCDIC is not ASCII: "Hi" in IBM037.
  EXPECT_EQ(mapi::string8_to_utf8("\xC8\x89", 37), "Hi");
}

TEST(Codepage, UnrepresentableCharactersBecomeTheDefaultCharacter) {
  // '€' is 0x88 in 1251; '日', an astral character (one '?', not two) and a lone surrogate are not
  // in it.
  EXPECT_EQ(mapi::utf16_to_string8(u"Я€日\U0001F600\xD800z", 1251), "\xDF\x88???z");
  EXPECT_EQ(mapi::utf16_to_string8(u"Я", 1252, '_'), "_");
  EXPECT_EQ(mapi::utf16_to_string8(u"aé", 12345), "a?");
  EXPECT_EQ(mapi::utf16_to_string8(u"aé\xD800", 65001), "aé\xEF\xBF\xBD");
  // ISO-2022-JP goes back to ASCII before the '?' of a character it lacks, and ends in ASCII.
  EXPECT_EQ(mapi::utf16_to_string8(u"日é日", 50220),
            "\x1B\x24\x42\x46\x7C\x1B\x28\x42?\x1B\x24\x42\x46\x7C\x1B\x28\x42");
}

// The in-house Windows-1252 decoder agrees with glibc's for every byte.
TEST(Codepage, Windows1252AgreesWithIconv) {
  const auto* info = mapi::find_codepage(1252);
  ASSERT_TRUE(info);
  for (int b = 0x80; b < 0x100; ++b) {
    const std::string in(1, static_cast<char>(b));
    std::string ref;
    mapi::detail::iconv_handle cd("UTF-8", info->iconv_name);
    ASSERT_TRUE(cd.ok());
    cd.convert(in, ref, "\xEF\xBF\xBD", [](std::string_view) { return std::size_t{1}; });
    EXPECT_EQ(mapi::string8_to_utf8(in, 1252), ref) << b;
  }
}

TEST(Codepage, ThreadsConvertIndependently) {
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i)
        for (const auto& s : samples)
          if (mapi::string8_to_utf8(s.bytes, s.codepage) != s.utf8) ++failures[t];
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

}  // namespace test_message_codepage
