// hex: encoding in both cases, strict decoding with the offset of the bad digit, output buffers
// that are too small, and spec example dumps with comments and 0x prefixes.
#include <oxwire/core/hex.hpp>

#include <gtest/gtest.h>
#include <oxwire_test/assertions.hpp>

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace test_hex {

using oxwire_test::bytes_of;
using oxwire_test::fails_with;

using oxwire::errc;
namespace hex = oxwire::hex;
using bytes = std::vector<std::uint8_t>;

TEST(Hex, EncodesLowerOrUpperCase) {
  const bytes b = {0x00, 0x2D, 0xC0, 0xFF, 0x09, 0xA0};
  EXPECT_EQ(hex::encode(b), "002dc0ff09a0");
  EXPECT_EQ(hex::encode(b, true), "002DC0FF09A0");
  EXPECT_EQ(hex::encode(bytes{}), "");
}

TEST(Hex, EncodesIntoABuffer) {
  const bytes b = {0xAB, 0xCD, 0xEF};
  std::array<char, 6> exact{};
  EXPECT_EQ(hex::encode(b, exact, true).value(), 6u);
  EXPECT_EQ(std::string_view(exact.data(), exact.size()), "ABCDEF");

  std::array<char, 5> short_buf;
  short_buf.fill('.');
  EXPECT_TRUE(
      fails_with(hex::encode(b, short_buf), errc::buffer_too_small, 2));  // byte 2 won't fit
  EXPECT_EQ(std::string_view(short_buf.data(), short_buf.size()), ".....");
}

TEST(Hex, DecodesEitherCaseAndRoundTripsEveryByte) {
  EXPECT_EQ(hex::decode("c00046").value(), (bytes{0xC0, 0x00, 0x46}));
  EXPECT_EQ(hex::decode("C00046").value(), (bytes{0xC0, 0x00, 0x46}));
  EXPECT_EQ(hex::decode("aBcD").value(), (bytes{0xAB, 0xCD}));
  EXPECT_EQ(hex::decode("").value(), bytes{});
  bytes all(256);
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::uint8_t>(i);
  EXPECT_EQ(hex::decode(hex::encode(all)).value(), all);
  EXPECT_EQ(hex::decode(hex::encode(all, true)).value(), all);
}

TEST(Hex, BadDigitsAreReportedWhereTheyStand) {
  EXPECT_TRUE(fails_with(hex::decode("g0"), errc::invalid_hex, 0, "hex digit"));
  EXPECT_TRUE(fails_with(hex::decode("0g"), errc::invalid_hex, 1, "hex digit"));
  EXPECT_TRUE(fails_with(hex::decode("00112G"), errc::invalid_hex, 5));
  EXPECT_TRUE(fails_with(hex::decode("0x12"), errc::invalid_hex, 1));   // strict: no prefixes
  EXPECT_TRUE(fails_with(hex::decode("00 11"), errc::invalid_hex, 2));  // strict: no spaces
  EXPECT_TRUE(
      fails_with(hex::decode("0@"), errc::invalid_hex, 1));  // '@' | 0x20 is '`', not 'a'-'f'
  EXPECT_TRUE(fails_with(hex::decode("0G"), errc::invalid_hex, 1));
}

TEST(Hex, OddDigitCountIsInvalidAtTheEnd) {
  EXPECT_TRUE(fails_with(hex::decode("abc"), errc::invalid_hex, 3, "odd number of hex digits"));
  EXPECT_TRUE(fails_with(hex::decode("a"), errc::invalid_hex, 1));
  EXPECT_TRUE(fails_with(hex::decode("abz"), errc::invalid_hex, 2, "hex digit"));  // bad beats odd
}

TEST(Hex, DecodesIntoABufferAndChecksItsSizeFirst) {
  std::array<std::uint8_t, 3> out{};
  EXPECT_EQ(hex::decode("0102", out).value(), 2u);
  EXPECT_EQ(out, (std::array<std::uint8_t, 3>{1, 2, 0}));
  out.fill(0xEE);
  EXPECT_TRUE(fails_with(hex::decode("0102030405", out), errc::buffer_too_small, 6));
  EXPECT_EQ(out, (std::array<std::uint8_t, 3>{0xEE, 0xEE, 0xEE}));
}

TEST(HexDump, ReadsSpecExampleDumps) {
  // The shape of specs/examples/*.hex: comments, then 16 bytes per line.
  const std::string_view dump =
      "# MS-OXCROPS RopLogon request (example)\n"
      "# second comment line\n"
      "fe 00 00 01 0c 04 00 01 00 00 00 00 00 00 00 00\n"
      "\n"
      "2f 6f 3d 45 78 00   # trailing comment\r\n"
      "\t0x41 0X42 4344";
  const auto r = hex::decode_dump(dump);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(*r,
            (bytes{0xFE, 0x00, 0x00, 0x01, 0x0C, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
                   0x00, 0x00, 0x00, 0x2F, 0x6F, 0x3D, 0x45, 0x78, 0x00, 0x41, 0x42, 0x43, 0x44}));
}

TEST(HexDump, EmptyAndCommentOnlyDumpsAreEmpty) {
  EXPECT_EQ(hex::decode_dump("").value(), bytes{});
  EXPECT_EQ(hex::decode_dump("  \n\t\r\n").value(), bytes{});
  EXPECT_EQ(hex::decode_dump("# nothing 00 11\n#more").value(), bytes{});
  EXPECT_EQ(hex::decode_dump("01#no space before the comment\n02").value(), (bytes{1, 2}));
}

TEST(HexDump, ErrorsPointAtTheProblem) {
  EXPECT_TRUE(
      fails_with(hex::decode_dump("49 0"), errc::invalid_hex, 4, "odd number of hex digits"));
  EXPECT_TRUE(fails_with(hex::decode_dump("49 0 2d"), errc::invalid_hex, 4));
  EXPECT_TRUE(fails_with(hex::decode_dump("490#x"), errc::invalid_hex, 3));
  EXPECT_TRUE(fails_with(hex::decode_dump("49 zz"), errc::invalid_hex, 3, "hex digit"));
  EXPECT_TRUE(fails_with(hex::decode_dump("49 4z"), errc::invalid_hex, 4, "hex digit"));
  EXPECT_TRUE(fails_with(hex::decode_dump("49#x\n4g"), errc::invalid_hex, 6));
  EXPECT_TRUE(fails_with(hex::decode_dump("0x"), errc::invalid_hex, 2, "hex digits after 0x"));
  EXPECT_TRUE(fails_with(hex::decode_dump("0x 12"), errc::invalid_hex, 2));
  EXPECT_TRUE(fails_with(hex::decode_dump("0xx1"), errc::invalid_hex, 2));
  EXPECT_TRUE(fails_with(hex::decode_dump("12,34"), errc::invalid_hex, 2));
  EXPECT_TRUE(fails_with(hex::decode_dump("1234 0x5"), errc::invalid_hex, 8));
}

}  // namespace test_hex
