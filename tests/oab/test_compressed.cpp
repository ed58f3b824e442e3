// Compressed OAB version 4 files: our checks of LZX_HDR / LZX_BLK / PATCH_HDR (MS-OXOAB 2.10),
// decompression through libmspack. libmspack has no OAB compressor, so the compressed inputs
// are files of uncompressed blocks (ulFlags 0) that we write.
#include <gtest/gtest.h>

#include <oxwire/oab/mspack.hpp>
#include <oxwire_test/assertions.hpp>

#include "oab_test.hpp"

namespace test_compressed {

using namespace oab_test;
using oxwire_test::fails_with;

std::vector<std::uint8_t> with32(std::vector<std::uint8_t> v, std::size_t at, std::uint32_t x) {
  std::vector<std::uint8_t> le;
  put32(le, x);
  std::copy(le.begin(), le.end(), v.begin() + static_cast<std::ptrdiff_t>(at));
  return v;
}

TEST(OabCompressed, UncompressedBlocksLayout) {
  const auto data = oxwire_test::bytes_of("hello, offline address book");  // 27 bytes
  const auto f = oab::encode_uncompressed_lzx(data, 16).value();
  ASSERT_EQ(f.size(), 16u + 16 + 16 + 16 + 11);
  const auto blocks = oab::decode_lzx_blocks(f).value();
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].ulFlags, oab::LZX_BLK::uncompressed);
  EXPECT_EQ(blocks[0].ulUncompSize, 16u);
  EXPECT_EQ(blocks[1].ulUncompSize, 11u);
  EXPECT_EQ(blocks[1].offset, 48u);
  EXPECT_EQ(blocks[0].ulCRC, oxwire::crc32(oxwire::bytes_view(data).first(16)));
  // CRC-32 check value of "123456789"
  EXPECT_EQ(oxwire::crc32(oxwire_test::bytes_of("123456789")), 0xCBF43926u);
}

TEST(OabCompressed, DecompressThroughLibmspack) {
  const auto oab_file = oab::encode_full_details(generated(300)).value();
  const auto f = oab::encode_uncompressed_lzx(oab_file, 4096).value();
  const auto out = oab::decompress(f);
  ASSERT_TRUE(out) << out.error().message();
  EXPECT_EQ(*out, oab_file);
  EXPECT_EQ(oab::decode_full_details(*out).value(), generated(300));
  // empty file: no blocks
  EXPECT_TRUE(oab::decompress(oab::encode_uncompressed_lzx({}).value()).value().empty());
}

TEST(OabCompressed, HeaderErrors) {
  const auto f = oab::encode_uncompressed_lzx(oxwire_test::bytes_of("abcdefgh"), 4).value();
  using oab::errc;
  EXPECT_TRUE(fails_with(oab::decompress(std::span(f).first(6)), oxwire::errc::truncated, 4));
  EXPECT_TRUE(fails_with(oab::decompress(with32(f, 0, 4)), errc::invalid_compressed_header, 0));
  EXPECT_TRUE(fails_with(oab::decompress(with32(f, 4, 9)), errc::invalid_compressed_header, 4));
  EXPECT_TRUE(fails_with(oab::decompress(with32(f, 8, 0)), errc::invalid_compressed_header, 8));
  oab::compressed_limits lim;
  lim.max_target_size = 7;
  EXPECT_TRUE(fails_with(oab::decompress(f, lim), oxwire::errc::limit_exceeded, 12));
  lim = {};
  lim.max_block_size = 3;
  EXPECT_TRUE(fails_with(oab::decompress(f, lim), oxwire::errc::limit_exceeded, 8));
  // a patch file where a full file is expected, and the other way round
  EXPECT_TRUE(fails_with(oab::decompress(with32(f, 4, 2)), errc::invalid_compressed_header, 4));
  EXPECT_TRUE(fails_with(oab::apply_patch(f, {}), errc::invalid_compressed_header, 4));
}

TEST(OabCompressed, BlockErrors) {
  const auto f = oab::encode_uncompressed_lzx(oxwire_test::bytes_of("abcdefgh"), 4).value();
  using oab::errc;
  EXPECT_TRUE(fails_with(oab::decompress(with32(f, 16, 2)), errc::invalid_block, 16, "ulFlags"));
  EXPECT_TRUE(fails_with(oab::decompress(with32(f, 20, 3)), errc::invalid_block, 20, "ulCompSize"));
  EXPECT_TRUE(fails_with(oab::decompress(with32(f, 24, 5)), errc::invalid_block, 24));
  EXPECT_TRUE(fails_with(oab::decompress(with32(f, 24, 0)), errc::invalid_block, 24));
  EXPECT_TRUE(fails_with(oab::decompress(with32(f, 28, 0)), errc::checksum_mismatch, 28));
  oab::compressed_limits lim;
  lim.verify_crc = false;
  EXPECT_TRUE(oab::decompress(with32(f, 28, 0), lim));
  EXPECT_TRUE(fails_with(oab::decompress(std::span(f).first(f.size() - 1)), oxwire::errc::truncated,
                         f.size() - 4));
  auto extra = f;
  extra.push_back(0);
  EXPECT_TRUE(fails_with(oab::decompress(extra), errc::trailing_data, f.size()));
  // ulTargetSize larger than the blocks hold: the next block header is missing
  EXPECT_TRUE(fails_with(oab::decompress(with32(f, 12, 9)), oxwire::errc::truncated, f.size()));
}

// LZX data libmspack rejects: the error names libmspack's reason.
TEST(OabCompressed, LibmspackErrors) {
  auto f = oab::encode_uncompressed_lzx(oxwire_test::bytes_of("abcdefgh"), 8).value();
  f = with32(f, 16, oab::LZX_BLK::lzx);
  const auto r = oab::decompress(f);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, oab::make_error_code(oab::errc::decompression_failed));
}

// MS-OXOAB 2.10.1 PATCH_HDR checks before libmspack sees the patch.
TEST(OabCompressed, PatchHeaderErrors) {
  const auto base = oxwire_test::bytes_of("base file");
  std::vector<std::uint8_t> patch;
  for (const std::uint32_t v :
       {3u, 2u, 4096u, static_cast<std::uint32_t>(base.size()), 5u, oxwire::crc32(base), 0u})
    put32(patch, v);
  const auto h = oab::decode_patch_header(patch).value();
  EXPECT_EQ(h.ulSourceSize, base.size());
  using oab::errc;
  EXPECT_TRUE(fails_with(oab::apply_patch(patch, oxwire_test::bytes_of("other")),
                         errc::invalid_compressed_header, 12, "ulSourceSize"));
  EXPECT_TRUE(fails_with(oab::apply_patch(patch, oxwire_test::bytes_of("BASE FILE")),
                         errc::checksum_mismatch, 20));
  EXPECT_TRUE(fails_with(oab::decode_patch_header(with32(patch, 8, 0)),
                         errc::invalid_compressed_header, 8));
  oab::compressed_limits lim;
  lim.max_target_size = 4;
  EXPECT_TRUE(fails_with(oab::decode_patch_header(patch, lim), oxwire::errc::limit_exceeded, 12));
  // no blocks after the header: libmspack fails to read one
  const auto r = oab::apply_patch(patch, base);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, oab::make_error_code(errc::decompression_failed));
}

}  // namespace test_compressed
