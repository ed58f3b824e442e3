// MS-OXRTFCP: header, CRC, LZFu decompression (fast and scalar kernels), compression.
#include "rtf_test.hpp"

namespace test_compressed {

using namespace oxwire_test;
namespace rtf = oxwire::rtf;
using rtf::errc;

std::vector<std::uint8_t> decompress_scalar(oxwire::bytes_view in,
                                            const rtf::decompress_options& opt = {}) {
  auto r = rtf::detail::decompress_with(in, opt, rtf::detail::lzfu_decode_scalar);
  EXPECT_TRUE(r) << r.error().message();
  return r ? *r : std::vector<std::uint8_t>{};
}

// A stream with a correct CRC and COMPSIZE over `contents`.
std::vector<std::uint8_t> lzfu(const std::vector<std::uint8_t>& contents, std::uint32_t rawsize) {
  std::vector<std::uint8_t> out;
  oxwire::vector_writer w(out);
  EXPECT_TRUE(rtf::encode_header(w, {static_cast<std::uint32_t>(contents.size() + 12), rawsize,
                                     rtf::COMPRESSED, oxwire::crc32_no_final_xor(contents)}));
  out.insert(out.end(), contents.begin(), contents.end());
  return out;
}

TEST(RtfCompressed, SpecExamplesDecompress) {
  for (const auto& [packed, raw] : {std::pair{rtfcp_example1, rtfcp_example1_raw},
                                    std::pair{rtfcp_example2, rtfcp_example2_raw}}) {
    auto r = rtf::decompress(packed);
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(*r, bytes_of(raw));
    EXPECT_EQ(decompress_scalar(packed), bytes_of(raw));
  }
}

TEST(RtfCompressed, SpecExamplesCompressByteForByte) {
  for (const auto& [packed, raw] : {std::pair{rtfcp_example1, rtfcp_example1_raw},
                                    std::pair{rtfcp_example2, rtfcp_example2_raw}}) {
    auto r = rtf::compress(oxwire::as_bytes(raw));
    ASSERT_TRUE(r);
    EXPECT_EQ(*r, packed);
  }
}

TEST(RtfCompressed, Header) {
  oxwire::reader in(rtfcp_example1);
  auto h = rtf::decode_header(in);
  ASSERT_TRUE(h);
  EXPECT_EQ(*h, (rtf::Header{0x2D, 0x2B, rtf::COMPRESSED, 0xA7C7C5F1}));
  std::vector<std::uint8_t> out;
  oxwire::vector_writer w(out);
  ASSERT_TRUE(rtf::encode_header(w, *h));
  EXPECT_EQ(out, std::vector<std::uint8_t>(rtfcp_example1.begin(), rtfcp_example1.begin() + 16));
  oxwire::reader short_in(oxwire::bytes_view(rtfcp_example1).first(15));
  EXPECT_TRUE(fails_with(rtf::decode_header(short_in), oxwire::errc::truncated, 12, "Header"));
}

TEST(RtfCompressed, Crc) {
  // Standard CRC-32 polynomial, started at 0, no final XOR (MS-OXRTFCP 3.1.3.2).
  EXPECT_EQ(oxwire::crc32_no_final_xor(oxwire::as_bytes("123456789")), 0x2DFD2D88u);
  EXPECT_EQ(oxwire::crc32_no_final_xor({}), 0u);
  const auto b = oxwire::as_bytes("123456789");
  EXPECT_EQ(oxwire::crc32_no_final_xor(b.subspan(4), oxwire::crc32_no_final_xor(b.first(4))),
            oxwire::crc32_no_final_xor(b));
}

TEST(RtfCompressed, RoundTrips) {
  for (const auto& raw : rtf_round_trip_inputs()) {
    auto packed = rtf::compress(raw);
    ASSERT_TRUE(packed);
    auto back = rtf::decompress(*packed);
    ASSERT_TRUE(back) << raw.size() << ": " << back.error().message();
    EXPECT_EQ(*back, raw) << raw.size();
    EXPECT_EQ(decompress_scalar(*packed), raw) << raw.size();
    auto mela = rtf::compress(raw, {.compressed = false});
    ASSERT_TRUE(mela);
    EXPECT_EQ(mela->size(), raw.size() + 16);
    auto back2 = rtf::decompress(*mela);
    ASSERT_TRUE(back2);
    EXPECT_EQ(*back2, raw);
  }
}

TEST(RtfCompressed, CompressesRuns) {
  const std::vector<std::uint8_t> run(17000, 'x');
  auto packed = rtf::compress(run);
  ASSERT_TRUE(packed);
  EXPECT_LT(packed->size(), 16 + 17000 / 17 * 2 + 17000 / 17 / 8 + 8);
}

// The fast kernel and the spec's byte loop agree on arbitrary token streams (no CRC needed:
// both see the same CONTENTS).
TEST(RtfCompressed, FastKernelMatchesScalarOnRandomStreams) {
  std::mt19937 rng(7);
  for (int i = 0; i < 3000; ++i) {
    std::vector<std::uint8_t> contents(rng() % 3000 + 1);
    for (auto& c : contents) c = static_cast<std::uint8_t>(rng());
    std::vector<std::uint8_t> a(rng() % 20000), b(a.size());
    auto ra = rtf::detail::lzfu_decode_fast(contents, a, 16);
    auto rb = rtf::detail::lzfu_decode_scalar(contents, b, 16);
    ASSERT_EQ(ra.has_value(), rb.has_value()) << i;
    if (ra) {
      ASSERT_EQ(*ra, *rb);
      a.resize(*ra), b.resize(*rb);
      ASSERT_EQ(a, b) << i;
    } else {
      ASSERT_EQ(ra.error(), rb.error())
          << i << ": " << ra.error().message() << " vs " << rb.error().message();
    }
  }
}

TEST(RtfCompressed, UncompressedMela) {
  std::vector<std::uint8_t> s = {12 + 3, 0,   0, 0, 3, 0, 0,   0,   'M', 'E',
                                 'L',    'A', 0, 0, 0, 0, 'a', 'b', 'c'};
  auto r = rtf::decompress(s);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, bytes_of("abc"));
  s[4] = 15;  // RAWSIZE == COMPSIZE: the writer bug the corpus shows, tolerated
  ASSERT_TRUE(rtf::decompress(s));
  EXPECT_EQ(*rtf::decompress(s), bytes_of("abc"));
  s[4] = 7;
  EXPECT_TRUE(fails_with(rtf::decompress(s), errc::size_mismatch, 4, "RAWSIZE"));
}

TEST(RtfCompressed, BadInput) {
  auto s = rtfcp_example1;
  s[8] = 'X';
  EXPECT_TRUE(fails_with(rtf::decompress(s), errc::invalid_comptype, 8, "COMPTYPE"));

  s = rtfcp_example1;
  s[0] = 0x2E;  // one byte more than follows
  EXPECT_TRUE(fails_with(rtf::decompress(s), errc::size_past_end, 0, "COMPSIZE"));
  s[0] = 11;
  EXPECT_TRUE(fails_with(rtf::decompress(s), errc::size_mismatch, 0, "COMPSIZE"));

  s = rtfcp_example1;
  s.push_back(0);
  EXPECT_TRUE(fails_with(rtf::decompress(s), errc::trailing_data, 49, "COMPSIZE"));

  s = rtfcp_example1;
  s[21] ^= 1;  // the literal 'c'
  EXPECT_TRUE(fails_with(rtf::decompress(s), errc::crc_mismatch, 12, "CRC"));
  auto unchecked = rtf::decompress(s, {.verify_crc = false});
  ASSERT_TRUE(unchecked);
  EXPECT_EQ((*unchecked)[16], 'b');

  EXPECT_TRUE(fails_with(rtf::decompress(rtfcp_example1, {.max_output = 42}),
                         oxwire::errc::limit_exceeded, 4, "RAWSIZE"));

  // The first reference (12 bytes from the preload) past a RAWSIZE of 11: the cap holds.
  std::vector<std::uint8_t> contents(rtfcp_example1.begin() + 16, rtfcp_example1.end());
  EXPECT_TRUE(
      fails_with(rtf::decompress(lzfu(contents, 11)), errc::output_overflow, 17, "REFERENCE"));
  // A literal past the cap: after 12 + 4 bytes and 5 literals, the 6th would be byte 22.
  EXPECT_TRUE(
      fails_with(rtf::decompress(lzfu(contents, 21)), errc::output_overflow, 26, "LITERAL"));
  EXPECT_TRUE(fails_with(rtf::decompress(lzfu(contents, 44)), errc::output_short, 4, "RAWSIZE"));

  // Cut short: no end reference, a reference's second byte missing, a literal missing.
  EXPECT_TRUE(fails_with(rtf::decompress(lzfu({0x00, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'}, 8)),
                         oxwire::errc::truncated, 25, "CONTROL"));
  EXPECT_TRUE(
      fails_with(rtf::decompress(lzfu({0x01, 0x0c}, 8)), oxwire::errc::truncated, 17, "REFERENCE"));
  EXPECT_TRUE(
      fails_with(rtf::decompress(lzfu({0x00, 'a'}, 8)), oxwire::errc::truncated, 18, "LITERAL"));
  // The same errors from the scalar kernel.
  std::vector<std::uint8_t> out(11);
  EXPECT_TRUE(fails_with(rtf::detail::lzfu_decode_scalar(contents, out, 16), errc::output_overflow,
                         17, "REFERENCE"));
}

// A reference into ring bytes never written reads zeros, as a zero-initialized ring does.
TEST(RtfCompressed, ReferenceToUnwrittenRingIsZero) {
  // offset 0xF00 (never written in a short stream), length 3; then the end at 207 + 3.
  const std::vector<std::uint8_t> contents = {0x03, 0xF0, 0x01, 0x0D, 0x20};
  auto r = rtf::decompress(lzfu(contents, 3));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(*r, (std::vector<std::uint8_t>{0, 0, 0}));
  std::vector<std::uint8_t> out(3);
  EXPECT_TRUE(rtf::detail::lzfu_decode_scalar(contents, out, 16));
  EXPECT_EQ(out, (std::vector<std::uint8_t>{0, 0, 0}));
}

}  // namespace test_compressed
