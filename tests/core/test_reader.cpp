// reader: little-endian scalars of every width, truncation offsets and a cursor that failures leave
// alone, nested readers with absolute offsets, NUL-terminated 8-bit and UTF-16LE strings.
#include <oxwire/core/reader.hpp>

#include <gtest/gtest.h>
#include <oxwire_test/assertions.hpp>

#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>
#include <vector>

namespace test_reader {

using oxwire_test::bytes_of;
using oxwire_test::fails_with;

using oxwire::errc;
using oxwire::reader;

constexpr std::array<std::uint8_t, 8> k12345678 = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
constexpr std::array<std::uint8_t, 8> kNegative = {0xFE, 0xFF, 0xFF, 0xFF,
                                                   0xFF, 0xFF, 0xFF, 0xFF};  // -2 at every width

TEST(Reader, UnsignedIntegersAreLittleEndian) {
  EXPECT_EQ(reader(k12345678).read<std::uint8_t>().value(), 0x01u);
  EXPECT_EQ(reader(k12345678).read<std::uint16_t>().value(), 0x0201u);
  EXPECT_EQ(reader(k12345678).read<std::uint32_t>().value(), 0x04030201u);
  EXPECT_EQ(reader(k12345678).read<std::uint64_t>().value(), 0x0807060504030201u);
}

TEST(Reader, SignedIntegersAreTwosComplementLittleEndian) {
  EXPECT_EQ(reader(kNegative).read<std::int8_t>().value(), -2);
  EXPECT_EQ(reader(kNegative).read<std::int16_t>().value(), -2);
  EXPECT_EQ(reader(kNegative).read<std::int32_t>().value(), -2);
  EXPECT_EQ(reader(kNegative).read<std::int64_t>().value(), -2);
  EXPECT_EQ(reader(k12345678).read<std::int32_t>().value(), 0x04030201);
}

TEST(Reader, FloatingPointIsIeee754LittleEndian) {  // MS-OXCDATA 2.11.1 PtypFloating32/64
  const std::uint8_t one_f[] = {0x00, 0x00, 0x80, 0x3F};
  const std::uint8_t minus_2_5[] = {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0xC0};
  EXPECT_EQ(reader(one_f).read<float>().value(), 1.0f);
  EXPECT_EQ(reader(minus_2_5).read<double>().value(), -2.5);
}

TEST(Reader, SequentialReadsAdvanceTheCursor) {
  reader in(k12345678, 100);
  EXPECT_EQ(in.offset(), 100u);
  EXPECT_EQ(in.read<std::uint8_t>().value(), 0x01u);
  EXPECT_EQ(in.read<std::uint16_t>().value(), 0x0302u);
  EXPECT_EQ(in.position(), 3u);
  EXPECT_EQ(in.offset(), 103u);
  EXPECT_EQ(in.remaining(), 5u);
  EXPECT_FALSE(in.empty());
  ASSERT_EQ(in.rest().size(), 5u);
  EXPECT_EQ(in.rest()[0], 0x04u);
  EXPECT_EQ(in.read<std::uint32_t>().value(), 0x07060504u);
  EXPECT_EQ(in.read<std::uint8_t>().value(), 0x08u);
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(in.offset(), 108u);
}

TEST(Reader, PeekDoesNotAdvance) {
  reader in(k12345678);
  EXPECT_EQ(in.peek<std::uint16_t>().value(), 0x0201u);
  EXPECT_EQ(in.position(), 0u);
  EXPECT_EQ(in.read<std::uint16_t>().value(), 0x0201u);
  EXPECT_EQ(in.peek<std::uint8_t>().value(), 0x03u);
  EXPECT_EQ(in.position(), 2u);
}

// A multi-field structure as decoders will read it: a copy of the reader advances field by
// field, and is committed back only when the whole structure has been read.
struct sample {
  std::uint8_t rop_id;
  std::uint16_t flags;
  std::uint32_t handle;
  std::uint64_t time;
  oxwire::bytes_view tail;
};
constexpr std::array<std::size_t, 5> kFieldStart = {0, 1, 3, 7, 15};
constexpr std::array<const char*, 5> kFieldName = {"RopId", "Flags", "Handle", "Time", "Tail"};
constexpr std::size_t kSampleSize = 18;

oxwire::result<sample> decode_sample(reader& in) {
  reader r = in;
  sample s{};
  auto a = r.read<std::uint8_t>(kFieldName[0]);
  if (!a) return a.error();
  auto b = r.read<std::uint16_t>(kFieldName[1]);
  if (!b) return b.error();
  auto c = r.read<std::uint32_t>(kFieldName[2]);
  if (!c) return c.error();
  auto d = r.read<std::uint64_t>(kFieldName[3]);
  if (!d) return d.error();
  auto e = r.bytes(3, kFieldName[4]);
  if (!e) return e.error();
  s = {*a, *b, *c, *d, *e};
  in = r;
  return s;
}

std::size_t missing_field(std::size_t cut) {  // index of the first field not wholly in `cut` bytes
  std::size_t f = 0;
  while (f + 1 < kFieldStart.size() && kFieldStart[f + 1] <= cut) ++f;
  return f;
}

TEST(Reader, TruncationAtEveryByteReportsTheMissingField) {
  std::array<std::uint8_t, kSampleSize> wire{};
  for (std::size_t i = 0; i < wire.size(); ++i) wire[i] = static_cast<std::uint8_t>(0xA0 + i);
  constexpr std::size_t base = 1000;  // as if the structure sat at offset 1000 of a stream
  for (std::size_t cut = 0; cut < wire.size(); ++cut) {
    SCOPED_TRACE(cut);
    reader in(oxwire::bytes_view(wire).first(cut), base);
    const auto r = decode_sample(in);
    const std::size_t f = missing_field(cut);
    EXPECT_TRUE(fails_with(r, errc::truncated, base + kFieldStart[f], kFieldName[f]));
    EXPECT_EQ(in.offset(), base);
    EXPECT_EQ(in.remaining(), cut);
  }
  reader in(wire, base);
  const auto r = decode_sample(in);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->rop_id, 0xA0u);
  EXPECT_EQ(r->flags, 0xA2A1u);
  EXPECT_EQ(r->handle, 0xA6A5A4A3u);
  EXPECT_EQ(r->time, 0xAEADACABAAA9A8A7u);
  EXPECT_EQ(r->tail.data(), wire.data() + 15);
  EXPECT_TRUE(in.empty());
}

TEST(Reader, ReadIntoIsAllOrNothing) {
  std::array<std::uint8_t, 15> wire{};
  for (std::size_t i = 0; i < wire.size(); ++i) wire[i] = static_cast<std::uint8_t>(0xA0 + i);
  for (std::size_t cut = 0; cut < wire.size(); ++cut) {
    SCOPED_TRACE(cut);
    reader in(oxwire::bytes_view(wire).first(cut), 50);
    std::uint8_t a = 1;
    std::uint16_t b = 2;
    std::uint32_t c = 3;
    std::uint64_t d = 4;
    const auto r = in.read_into("sample", a, b, c, d);
    EXPECT_TRUE(fails_with(r, errc::truncated, 50 + kFieldStart[missing_field(cut)], "sample"));
    EXPECT_EQ(in.offset(), 50u);
    EXPECT_TRUE(a == 1 && b == 2 && c == 3 && d == 4);  // outputs untouched
  }
  reader in(wire);
  std::uint8_t a = 0;
  std::uint16_t b = 0;
  std::uint32_t c = 0;
  std::uint64_t d = 0;
  ASSERT_TRUE(in.read_into(a, b, c, d));
  EXPECT_EQ(a, 0xA0u);
  EXPECT_EQ(b, 0xA2A1u);
  EXPECT_EQ(c, 0xA6A5A4A3u);
  EXPECT_EQ(d, 0xAEADACABAAA9A8A7u);
  EXPECT_TRUE(in.empty());
}

TEST(Reader, EveryFailureLeavesTheCursorWhereItWas) {
  const std::uint8_t wire[] = {0x10, 0x20, 0x30, 'a', 'b'};
  reader in(wire, 7);
  ASSERT_TRUE(in.skip(3));
  const auto unchanged = [&] { return in.offset() == 10 && in.remaining() == 2; };
  EXPECT_TRUE(fails_with(in.read<std::uint32_t>("x"), errc::truncated, 10, "x"));
  EXPECT_TRUE(unchanged());
  EXPECT_TRUE(fails_with(in.peek<std::uint32_t>("x"), errc::truncated, 10));
  EXPECT_TRUE(unchanged());
  EXPECT_TRUE(fails_with(in.expect<std::uint32_t>(0, "x"), errc::truncated, 10));
  EXPECT_TRUE(unchanged());
  EXPECT_TRUE(fails_with(in.bytes(3, "x"), errc::truncated, 10));
  EXPECT_TRUE(unchanged());
  EXPECT_TRUE(fails_with(in.sub(3, "x"), errc::truncated, 10));
  EXPECT_TRUE(unchanged());
  EXPECT_TRUE(fails_with(in.skip(3, "x"), errc::truncated, 10));
  EXPECT_TRUE(unchanged());
  EXPECT_TRUE(fails_with(in.until_nul("x"), errc::truncated, 10));
  EXPECT_TRUE(unchanged());
  EXPECT_TRUE(fails_with(in.until_u16_nul("x"), errc::truncated, 10));
  EXPECT_TRUE(unchanged());
  EXPECT_TRUE(fails_with(in.bytes(std::numeric_limits<std::size_t>::max()), errc::truncated, 10));
  EXPECT_TRUE(unchanged());
  EXPECT_EQ(oxwire::as_chars(in.bytes(2).value()), "ab");
}

TEST(Reader, ExpectChecksTheValue) {
  const std::uint8_t wire[] = {0x6C, 0x6B, 0x73, 0x7A, 0x01};
  reader in(wire, 20);
  const auto bad = in.expect<std::uint32_t>(0x7A736B6D, "Signature");
  EXPECT_TRUE(fails_with(bad, errc::out_of_range, 20, "Signature"));
  EXPECT_EQ(in.offset(), 20u);
  EXPECT_TRUE(in.expect<std::uint32_t>(0x7A736B6C, "Signature"));
  EXPECT_EQ(in.offset(), 24u);
  EXPECT_TRUE(in.expect<std::uint8_t>(1));
  EXPECT_TRUE(in.empty());
}

TEST(Reader, NestedReadersReportAbsoluteOffsets) {
  std::array<std::uint8_t, 16> wire{};
  for (std::size_t i = 0; i < wire.size(); ++i) wire[i] = static_cast<std::uint8_t>(i);
  reader outer(wire, 4000);
  ASSERT_TRUE(outer.skip(2));
  auto inner = outer.sub(10, "RopsList");
  ASSERT_TRUE(inner);
  EXPECT_EQ(outer.offset(), 4012u);  // the parent moved past the nested bytes
  EXPECT_EQ(inner->offset(), 4002u);
  EXPECT_EQ(inner->remaining(), 10u);
  EXPECT_EQ(inner->read<std::uint32_t>().value(), 0x05040302u);

  auto innermost = inner->sub(4);
  ASSERT_TRUE(innermost);
  EXPECT_EQ(innermost->offset(), 4006u);
  EXPECT_EQ(innermost->read<std::uint16_t>().value(), 0x0706u);
  EXPECT_TRUE(fails_with(innermost->read<std::uint32_t>(), errc::truncated, 4008));
  EXPECT_TRUE(fails_with(inner->read<std::uint64_t>(), errc::truncated, 4010));  // 2 bytes left
  EXPECT_TRUE(fails_with(inner->sub(3), errc::truncated, 4010));
  EXPECT_EQ(inner->read<std::uint16_t>().value(), 0x0B0Au);
  EXPECT_TRUE(inner->empty());
  EXPECT_TRUE(fails_with(outer.sub(5), errc::truncated, 4012));
  EXPECT_EQ(outer.offset(), 4012u);
}

TEST(Reader, UntilNulReturnsTheBytesBeforeTheTerminator) {
  const auto wire = bytes_of(std::string_view("abc\0\0xyz", 8));
  reader in(wire, 30);
  EXPECT_EQ(oxwire::as_chars(in.until_nul().value()), "abc");
  EXPECT_EQ(in.offset(), 34u);
  EXPECT_EQ(in.until_nul().value().size(), 0u);  // the empty string
  EXPECT_EQ(in.offset(), 35u);
  EXPECT_TRUE(fails_with(in.until_nul("ESSDN"), errc::truncated, 35));  // no terminator
  EXPECT_EQ(in.offset(), 35u);
  EXPECT_EQ(oxwire::as_chars(in.rest()), "xyz");
  EXPECT_TRUE(fails_with(reader().until_nul(), errc::truncated, 0));
}

TEST(Reader, UntilU16NulLooksAtWholeCodeUnitsOnly) {
  // "A", then U+4200 whose low byte 0x00 and the next unit's high byte 0x00 are not a terminator.
  const std::uint8_t wire[] = {'A', 0x00, 0x00, 0x42, 'B', 0x00, 0x00, 0x00, 'C', 0x00};
  reader in(wire, 60);
  const auto s = in.until_u16_nul("Subject");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->data(), wire);
  EXPECT_EQ(s->size(), 6u);
  EXPECT_EQ(in.offset(), 68u);
  EXPECT_TRUE(fails_with(in.until_u16_nul(), errc::truncated, 68));  // "C" and no terminator
  EXPECT_EQ(in.offset(), 68u);

  const std::uint8_t odd[] = {'A', 0x00, 0x00};  // a lone byte is not a NUL unit
  EXPECT_TRUE(fails_with(reader(odd).until_u16_nul(), errc::truncated, 0));
  const std::uint8_t empty_string[] = {0x00, 0x00};
  reader e(empty_string);
  EXPECT_EQ(e.until_u16_nul().value().size(), 0u);
  EXPECT_TRUE(e.empty());
}

TEST(Reader, ZeroLengthOperationsSucceedAtTheEnd) {
  const std::uint8_t wire[] = {0x01};
  reader in(wire, 9);
  ASSERT_TRUE(in.skip(1));
  EXPECT_TRUE(in.skip(0));
  EXPECT_EQ(in.bytes(0).value().size(), 0u);
  const auto sub = in.sub(0);
  ASSERT_TRUE(sub);
  EXPECT_TRUE(sub->empty());
  EXPECT_EQ(sub->offset(), 10u);
  EXPECT_TRUE(in.read_into());
  EXPECT_TRUE(fails_with(in.read<std::uint8_t>(), errc::truncated, 10));
}

TEST(Reader, DefaultReaderIsEmpty) {
  reader in;
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(in.offset(), 0u);
  EXPECT_TRUE(fails_with(in.read<std::uint8_t>(), errc::truncated, 0));
  EXPECT_TRUE(fails_with(in.until_u16_nul(), errc::truncated, 0));
}

}  // namespace test_reader
