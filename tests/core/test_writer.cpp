// writer / vector_writer: little-endian scalars, a full fixed buffer (buffer_too_small, nothing
// written past its end), reserve_at + patch, growth, and round trips through the reader.
#include <oxwire/core/reader.hpp>
#include <oxwire/core/writer.hpp>

#include <gtest/gtest.h>
#include <oxwire_test/assertions.hpp>

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

namespace test_writer {

using oxwire_test::bytes_of;
using oxwire_test::fails_with;

using oxwire::errc;

std::vector<std::uint8_t> to_vector(oxwire::bytes_view b) {
  return {b.begin(), b.end()};
}

// One encoder written once for both writers, as the codecs will be.
template <class W>
void write_every_type(W& w) {
  ASSERT_TRUE(w.template write<std::uint8_t>(0x01));
  ASSERT_TRUE(w.template write<std::uint16_t>(0x0302));
  ASSERT_TRUE(w.template write<std::uint32_t>(0x07060504));
  ASSERT_TRUE(w.template write<std::uint64_t>(0x0F0E0D0C0B0A0908));
  ASSERT_TRUE(w.template write<std::int8_t>(-2));
  ASSERT_TRUE(w.template write<std::int16_t>(-2));
  ASSERT_TRUE(w.template write<std::int32_t>(-2));
  ASSERT_TRUE(w.template write<std::int64_t>(-2));
  ASSERT_TRUE(w.template write<float>(1.0f));
  ASSERT_TRUE(w.template write<double>(-2.5));
}

const std::vector<std::uint8_t> kEveryType = {
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
    0xFE,                                            // int8 -2
    0xFE, 0xFF,                                      // int16 -2
    0xFE, 0xFF, 0xFF, 0xFF,                          // int32 -2
    0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,  // int64 -2
    0x00, 0x00, 0x80, 0x3F,                          // 1.0f
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0xC0,  // -2.5
};

TEST(Writer, EveryTypeIsLittleEndian) {
  std::array<std::uint8_t, 64> buf{};
  oxwire::writer w(buf);
  write_every_type(w);
  EXPECT_EQ(to_vector(w.written()), kEveryType);
  EXPECT_EQ(w.size(), kEveryType.size());
  EXPECT_EQ(w.data(), buf.data());
}

TEST(VectorWriter, WritesTheSameBytesAsTheFixedWriter) {
  std::vector<std::uint8_t> out;
  oxwire::vector_writer w(out);
  write_every_type(w);
  EXPECT_EQ(out, kEveryType);
  EXPECT_EQ(to_vector(w.written()), kEveryType);
}

TEST(Writer, FullBufferIsBufferTooSmallAndNothingIsWrittenPastIt) {
  std::array<std::uint8_t, 8> storage;
  storage.fill(0xEE);
  oxwire::writer w(oxwire::mutable_bytes(storage).first(5));  // bytes 5..7 are guards
  ASSERT_TRUE(w.write<std::uint32_t>(0x44332211));
  EXPECT_TRUE(fails_with(w.write<std::uint16_t>(0xAAAA, "LogonId"), errc::buffer_too_small, 4));
  EXPECT_TRUE(fails_with(w.write<std::uint64_t>(0), errc::buffer_too_small, 4));
  const std::uint8_t two[] = {0xAA, 0xAA};
  EXPECT_TRUE(fails_with(w.write_bytes(two), errc::buffer_too_small, 4));
  EXPECT_TRUE(fails_with(w.fill(2, 0xAA), errc::buffer_too_small, 4));
  EXPECT_TRUE(fails_with(w.reserve_at<std::uint16_t>(), errc::buffer_too_small, 4));
  EXPECT_TRUE(fails_with(w.claim(2, "tag"), errc::buffer_too_small, 4));
  EXPECT_EQ(w.size(), 4u);
  ASSERT_TRUE(w.fill(1, 0x55));
  EXPECT_TRUE(fails_with(w.write<std::uint8_t>(0xAA), errc::buffer_too_small, 5));
  EXPECT_TRUE(w.write_bytes({}));  // nothing to write always fits
  EXPECT_TRUE(w.fill(0, 0xAA));
  EXPECT_EQ(w.size(), 5u);
  EXPECT_EQ(storage, (std::array<std::uint8_t, 8>{0x11, 0x22, 0x33, 0x44, 0x55, 0xEE, 0xEE, 0xEE}));
}

TEST(Writer, ClaimHandsOutTheNextBytesToWriteInPlace) {
  std::vector<std::uint8_t> out{0x01};
  oxwire::vector_writer w(out);
  auto p = w.claim(3, "tag");
  ASSERT_TRUE(p);
  std::memcpy(*p, "\x02\x03\x04", 3);
  ASSERT_TRUE(w.claim(0));
  EXPECT_EQ(out, (std::vector<std::uint8_t>{0x01, 0x02, 0x03, 0x04}));
}

TEST(Writer, FailedWriteReportsItsContext) {
  oxwire::writer w{oxwire::mutable_bytes{}};
  const auto r = w.write<std::uint8_t>(1, "RopId");
  ASSERT_FALSE(r);
  EXPECT_STREQ(r.error().what, "RopId");
  EXPECT_EQ(r.error().offset, 0u);
}

TEST(Writer, ReserveAtAndPatchFillInASizeField) {
  std::array<std::uint8_t, 16> buf{};
  oxwire::writer w(buf);
  ASSERT_TRUE(w.write<std::uint8_t>(0x7F));
  const auto at = w.reserve_at<std::uint16_t>("RopSize");  // MS-OXCRPC 3.1.4.2.1.1
  ASSERT_TRUE(at);
  EXPECT_EQ(*at, 1u);
  ASSERT_TRUE(w.write_bytes(std::array<std::uint8_t, 3>{0xA1, 0xA2, 0xA3}));
  ASSERT_TRUE(w.patch<std::uint16_t>(*at, static_cast<std::uint16_t>(w.size() - *at)));
  EXPECT_EQ(to_vector(w.written()),
            (std::vector<std::uint8_t>{0x7F, 0x05, 0x00, 0xA1, 0xA2, 0xA3}));
  ASSERT_TRUE(w.patch<std::uint16_t>(4, 0xBBCC));  // the last two bytes
  EXPECT_EQ(buf[4], 0xCCu);
  EXPECT_EQ(buf[5], 0xBBu);
}

TEST(Writer, PatchOutsideTheWrittenBytesIsAnError) {
  std::array<std::uint8_t, 16> buf{};
  oxwire::writer w(buf);
  ASSERT_TRUE(w.fill(4, 0x00));
  EXPECT_TRUE(fails_with(w.patch<std::uint32_t>(1, 0xFFFFFFFF), errc::invalid_argument, 1));
  EXPECT_TRUE(fails_with(w.patch<std::uint8_t>(4, 0xFF), errc::invalid_argument, 4));
  EXPECT_TRUE(fails_with(w.patch<std::uint8_t>(~std::size_t{0}, 0xFF), errc::invalid_argument,
                         ~std::size_t{0}));
  EXPECT_EQ(buf, (std::array<std::uint8_t, 16>{}));
  EXPECT_EQ(w.size(), 4u);
}

TEST(VectorWriter, GrowsAndAppendsToExistingContent) {
  std::vector<std::uint8_t> out = {0xAB};
  oxwire::vector_writer w(out);
  EXPECT_EQ(w.size(), 1u);  // positions count from the start of the vector
  const auto at = w.reserve_at<std::uint32_t>();
  ASSERT_TRUE(at);
  EXPECT_EQ(*at, 1u);
  for (std::uint32_t i = 0; i < 10000; ++i) ASSERT_TRUE(w.write<std::uint32_t>(i));
  ASSERT_TRUE(w.fill(3, 0x5A));
  ASSERT_TRUE(w.patch<std::uint32_t>(*at, 10000));
  ASSERT_EQ(out.size(), 1 + 4 + 40000 + 3u);
  EXPECT_EQ(w.size(), out.size());
  EXPECT_EQ(w.data(), out.data());
  oxwire::reader in(out);
  EXPECT_EQ(in.read<std::uint8_t>().value(), 0xABu);
  EXPECT_EQ(in.read<std::uint32_t>().value(), 10000u);
  for (std::uint32_t i = 0; i < 10000; ++i) ASSERT_EQ(in.read<std::uint32_t>().value(), i);
  EXPECT_EQ(oxwire::as_chars(in.rest()), "ZZZ");
}

TEST(Writer, RoundTripsThroughTheReader) {
  const double nan_pattern = std::bit_cast<double>(std::uint64_t{0x7FF8DEADBEEF0001});
  std::vector<std::uint8_t> out;
  oxwire::vector_writer w(out);
  ASSERT_TRUE(w.write<std::int64_t>(INT64_MIN));
  ASSERT_TRUE(w.write<std::uint64_t>(UINT64_MAX));
  ASSERT_TRUE(w.write<double>(nan_pattern));
  ASSERT_TRUE(w.write<float>(-0.0f));
  ASSERT_TRUE(w.write<std::int16_t>(INT16_MIN));
  oxwire::reader in(out);
  EXPECT_EQ(in.read<std::int64_t>().value(), INT64_MIN);
  EXPECT_EQ(in.read<std::uint64_t>().value(), UINT64_MAX);
  EXPECT_EQ(std::bit_cast<std::uint64_t>(in.read<double>().value()), 0x7FF8DEADBEEF0001u);
  EXPECT_EQ(std::bit_cast<std::uint32_t>(in.read<float>().value()), 0x80000000u);
  EXPECT_EQ(in.read<std::int16_t>().value(), INT16_MIN);
  EXPECT_TRUE(in.empty());
}

static_assert(oxwire::writer::nothrow && !oxwire::vector_writer::nothrow);

}  // namespace test_writer
