// MS-OXCRPC 2.2.2.1 RPC_HEADER_EXT and 3.1.4.1.1 extended buffers: header bytes, chains packed
// and unpacked (plain, XorMagic, Compressed, both), and every chain error with its offset.
#include <gtest/gtest.h>
#include <oxwire/rpc/extended_buffer.hpp>
#include <oxwire_test/assertions.hpp>
#include <oxwire_test/requirements.hpp>

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <vector>

#include "lz77_test_data.hpp"

namespace test_extended_buffer {

using bytes = std::vector<std::uint8_t>;
using oxwire_test::fails_with;
namespace rpc = oxwire::rpc;
using rpc::errc;
using rpc::RPC_HEADER_EXT;

bytes header(std::uint16_t version, std::uint16_t flags, std::uint16_t size, std::uint16_t actual) {
  return {static_cast<std::uint8_t>(version), static_cast<std::uint8_t>(version >> 8),
          static_cast<std::uint8_t>(flags),   static_cast<std::uint8_t>(flags >> 8),
          static_cast<std::uint8_t>(size),    static_cast<std::uint8_t>(size >> 8),
          static_cast<std::uint8_t>(actual),  static_cast<std::uint8_t>(actual >> 8)};
}

bytes cat(std::initializer_list<bytes> parts) {
  bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(RpcHeaderExt, DecodeAndEncode) {
  OXWIRE_REQ("MS-OXCRPC_R32", "MS-OXCRPC_R33");
  const bytes wire{0x00, 0x00, 0x05, 0x00, 0x34, 0x12, 0x78, 0x56};
  oxwire::reader in(wire);
  const auto h = rpc::decode_rpc_header_ext(in);
  ASSERT_TRUE(h);
  EXPECT_EQ(*h,
            (RPC_HEADER_EXT{0, RPC_HEADER_EXT::Compressed | RPC_HEADER_EXT::Last, 0x1234, 0x5678}));
  EXPECT_TRUE(in.empty());
  bytes out;
  oxwire::vector_writer w(out);
  ASSERT_TRUE(rpc::encode_rpc_header_ext(w, *h));
  EXPECT_EQ(out, wire);
  std::array<std::uint8_t, 7> small{};
  oxwire::writer fixed(small);
  EXPECT_TRUE(fails_with(rpc::encode_rpc_header_ext(fixed, *h), oxwire::errc::buffer_too_small, 6));
}

TEST(RpcHeaderExt, Errors) {
  const bytes v1 = header(1, RPC_HEADER_EXT::Last, 0, 0);
  oxwire::reader a(v1);
  EXPECT_TRUE(fails_with(rpc::decode_rpc_header_ext(a), errc::invalid_version, 0, "Version"));
  EXPECT_EQ(a.offset(), 0u);  // the cursor stays on failure
  const bytes flags = header(0, 0x0008, 0, 0);
  oxwire::reader b(flags);
  EXPECT_TRUE(fails_with(rpc::decode_rpc_header_ext(b), errc::invalid_flags, 2, "Flags"));
  const bytes short_header{0, 0, 4, 0, 0};
  oxwire::reader c(short_header);
  EXPECT_TRUE(fails_with(rpc::decode_rpc_header_ext(c), oxwire::errc::truncated, 4));
}

TEST(ExtendedBuffer, UnpackPlainXorAndCompressed) {
  OXWIRE_REQ("MS-OXCRPC_R37", "MS-OXCRPC_R39", "MS-OXCRPC_R44", "MS-OXCRPC_R738");
  const bytes plain{0x00, 0x01, 0x02, 0xa5, 0xff};
  auto r = rpc::unpack_extended_buffer(cat({header(0, RPC_HEADER_EXT::Last, 5, 5), plain}));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(*r, plain);
  // XorMagic: the payload of specs/examples/MS-OXCRPC_xor_example.hex
  r = rpc::unpack_extended_buffer(
      cat({header(0, RPC_HEADER_EXT::Last | RPC_HEADER_EXT::XorMagic, 5, 5),
           {0xa5, 0xa4, 0xa7, 0x00, 0x5a}}));
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, plain);
  // Compressed: "abc" x 100 in 13 bytes
  const bytes abc{0xff, 0xff, 0xff, 0x1f, 'a', 'b', 'c', 0x17, 0x00, 0x0f, 0xff, 0x26, 0x01};
  r = rpc::unpack_extended_buffer(
      cat({header(0, RPC_HEADER_EXT::Last | RPC_HEADER_EXT::Compressed, 13, 300), abc}));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 300u);
  EXPECT_EQ((*r)[297], 'a');
  // Compressed, then XorMagic: the receiver de-XORs first (MS-OXCRPC 3.1.4.1.1.3)
  bytes xored = abc;
  for (auto& b : xored) b ^= 0xA5;
  const auto both = rpc::unpack_extended_buffer(
      cat({header(0, RPC_HEADER_EXT::Last | RPC_HEADER_EXT::Compressed | RPC_HEADER_EXT::XorMagic,
                  13, 300),
           xored}));
  ASSERT_TRUE(both);
  EXPECT_EQ(*both, *r);
}

TEST(ExtendedBuffer, ChainConcatenatesPayloads) {
  const bytes wire = cat({header(0, 0, 2, 2),
                          {'h', 'i'},
                          header(0, RPC_HEADER_EXT::XorMagic, 1, 1),
                          {' ' ^ 0xA5},
                          header(0, RPC_HEADER_EXT::Last, 0, 0)});
  bytes out{'>'};
  ASSERT_TRUE(rpc::unpack_extended_buffer(wire, out));
  EXPECT_EQ(out, (bytes{'>', 'h', 'i', ' '}));
}

TEST(ExtendedBuffer, ChainErrors) {
  const auto last = RPC_HEADER_EXT::Last;
  const auto comp = RPC_HEADER_EXT::Compressed;
  // Version not 0 in the second header (offset 10)
  EXPECT_TRUE(fails_with(
      rpc::unpack_extended_buffer(cat({header(0, 0, 2, 2), {1, 2}, header(3, last, 0, 0)})),
      errc::invalid_version, 10, "Version"));
  EXPECT_TRUE(
      fails_with(rpc::unpack_extended_buffer(header(0, 0x8004, 0, 0)), errc::invalid_flags, 2));
  // Size past the end of the buffer
  EXPECT_TRUE(fails_with(rpc::unpack_extended_buffer(cat({header(0, last, 4, 4), {1, 2, 3}})),
                         errc::size_past_end, 4, "Size"));
  // a chain that ends without Last, after one header and after two
  EXPECT_TRUE(fails_with(rpc::unpack_extended_buffer(cat({header(0, 0, 1, 1), {9}})),
                         errc::missing_last, 9, "Last"));
  EXPECT_TRUE(fails_with(rpc::unpack_extended_buffer(cat({header(0, 0, 0, 0), header(0, 0, 0, 0)})),
                         errc::missing_last, 16));
  // a header cut short (Flags at 10 does not fit), and an empty buffer
  EXPECT_TRUE(fails_with(rpc::unpack_extended_buffer(cat({header(0, 0, 0, 0), {0, 0, 0}})),
                         oxwire::errc::truncated, 10));
  EXPECT_TRUE(fails_with(rpc::unpack_extended_buffer({}), oxwire::errc::truncated, 0));
  // bytes after the Last header
  EXPECT_TRUE(fails_with(rpc::unpack_extended_buffer(cat({header(0, last, 1, 1), {7, 8}})),
                         errc::trailing_data, 9));
  // uncompressed with Size != SizeActual; compressed with Size >= SizeActual (MS-OXCRPC 2.2.2.1)
  EXPECT_TRUE(fails_with(rpc::unpack_extended_buffer(cat({header(0, last, 1, 2), {7}})),
                         errc::size_mismatch, 6, "SizeActual"));
  EXPECT_TRUE(fails_with(
      rpc::unpack_extended_buffer(cat({header(0, last | comp, 5, 5), {0xff, 0xff, 0xff, 0x7f, 1}})),
      errc::size_mismatch, 4, "Size"));
  // SizeActual smaller than what the stream produces: the match overflows (metadata at 8 + 7)
  const bytes abc{0xff, 0xff, 0xff, 0x1f, 'a', 'b', 'c', 0x17, 0x00, 0x0f, 0xff, 0x26, 0x01};
  EXPECT_TRUE(fails_with(rpc::unpack_extended_buffer(cat({header(0, last | comp, 13, 299), abc})),
                         errc::output_overflow, 15));
  // ... and larger than it: the stream ends early (at 8 + 13)
  EXPECT_TRUE(fails_with(rpc::unpack_extended_buffer(cat({header(0, last | comp, 13, 301), abc})),
                         errc::output_short, 21));
  // a corrupt stream in the second header reports its offset in the whole buffer
  EXPECT_TRUE(fails_with(rpc::unpack_extended_buffer(cat({header(0, 0, 1, 1),
                                                          {1},
                                                          header(0, last | comp, 6, 9),
                                                          {0xff, 0xff, 0xff, 0xff, 0x00, 0x00}})),
                         errc::back_reference_before_start, 21));
}

TEST(ExtendedBuffer, Limits) {
  const bytes wire =
      cat({header(0, 0, 4, 4), {1, 2, 3, 4}, header(0, RPC_HEADER_EXT::Last, 4, 4), {5, 6, 7, 8}});
  EXPECT_TRUE(rpc::unpack_extended_buffer(wire, {.max_output = 8}));
  EXPECT_TRUE(fails_with(rpc::unpack_extended_buffer(wire, {.max_output = 7}),
                         oxwire::errc::limit_exceeded, 18, "SizeActual"));
  EXPECT_TRUE(fails_with(rpc::unpack_extended_buffer(wire, {.max_headers = 1}),
                         oxwire::errc::limit_exceeded, 12));
  bytes out{42};
  EXPECT_FALSE(rpc::unpack_extended_buffer(wire, out, {.max_output = 7}));
  EXPECT_EQ(out, bytes{42});  // nothing appended on error
}

TEST(ExtendedBuffer, PackPlainBytes) {
  const bytes payload{1, 2, 3};
  const auto wire = rpc::pack_extended_buffer(payload);
  ASSERT_TRUE(wire);
  EXPECT_EQ(*wire, cat({header(0, RPC_HEADER_EXT::Last, 3, 3), payload}));
  const auto xored = rpc::pack_extended_buffer(payload, {.xor_magic = true});
  ASSERT_TRUE(xored);
  EXPECT_EQ(*xored, cat({header(0, RPC_HEADER_EXT::Last | RPC_HEADER_EXT::XorMagic, 3, 3),
                         {0xa4, 0xa7, 0xa6}}));
  const auto empty = rpc::pack_extended_buffer(bytes{});
  ASSERT_TRUE(empty);
  EXPECT_EQ(*empty, header(0, RPC_HEADER_EXT::Last, 0, 0));
}

TEST(ExtendedBuffer, PackCompressesOnlyWhenSmaller) {
  OXWIRE_REQ("MS-OXCRPC_R38");
  bytes text(300);
  for (std::size_t i = 0; i < text.size(); ++i) text[i] = static_cast<std::uint8_t>("abc"[i % 3]);
  const auto wire = rpc::pack_extended_buffer(text, {.compress = true});
  ASSERT_TRUE(wire);
  EXPECT_EQ(*wire,
            cat({header(0, RPC_HEADER_EXT::Last | RPC_HEADER_EXT::Compressed, 13, 300),
                 {0xff, 0xff, 0xff, 0x1f, 'a', 'b', 'c', 0x17, 0x00, 0x0f, 0xff, 0x26, 0x01}}));
  // random bytes grow under LZ77: sent as they are, without the Compressed flag
  const auto noise = oxwire_test::random_bytes(1000, 3);
  const auto raw = rpc::pack_extended_buffer(noise, {.compress = true});
  ASSERT_TRUE(raw);
  EXPECT_EQ(*raw, cat({header(0, RPC_HEADER_EXT::Last, 1000, 1000), noise}));
  // "abcabcabc" compresses to 9 bytes: not smaller, so not compressed
  const bytes nine{'a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c'};
  const auto same = rpc::pack_extended_buffer(nine, {.compress = true});
  ASSERT_TRUE(same);
  EXPECT_EQ(*same, cat({header(0, RPC_HEADER_EXT::Last, 9, 9), nine}));
}

TEST(ExtendedBuffer, PackSplitsAtMaxPayload) {
  OXWIRE_REQ("MS-OXCRPC_R726");
  const auto text = oxwire_test::text_bytes(100000, 1);
  const auto wire = rpc::pack_extended_buffer(text);
  ASSERT_TRUE(wire);
  // 32768 + 32768 + 32768 + 1696 bytes: four headers, Last on the fourth only
  EXPECT_EQ(wire->size(), text.size() + 4 * RPC_HEADER_EXT::size);
  oxwire::reader in(*wire);
  for (std::size_t piece : {32768u, 32768u, 32768u, 1696u}) {
    const auto h = rpc::decode_rpc_header_ext(in);
    ASSERT_TRUE(h);
    EXPECT_EQ(h->Size, piece);
    EXPECT_EQ(h->Flags, piece == 1696 ? RPC_HEADER_EXT::Last : 0);
    ASSERT_TRUE(in.skip(h->Size));
  }
  EXPECT_TRUE(fails_with(rpc::pack_extended_buffer(text, {.max_payload = 0}),
                         oxwire::errc::invalid_argument, 0));
  EXPECT_TRUE(fails_with(rpc::pack_extended_buffer(text, {.max_payload = 65536}),
                         oxwire::errc::invalid_argument, 0));
}

TEST(ExtendedBuffer, PackSeveralPayloads) {
  const bytes a{1, 2}, b{}, c{3};
  const std::array<oxwire::bytes_view, 3> parts{a, b, c};
  bytes wire;
  ASSERT_TRUE(rpc::pack_extended_buffer(parts, wire));
  EXPECT_EQ(wire, cat({header(0, 0, 2, 2), a, header(0, 0, 0, 0),
                       header(0, RPC_HEADER_EXT::Last, 1, 1), c}));
  const auto back = rpc::unpack_extended_buffer(wire);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, (bytes{1, 2, 3}));
}

TEST(ExtendedBuffer, RoundTripEveryOptionCombination) {
  for (unsigned seed = 0; seed < 40; ++seed) {
    const std::size_t n = (seed * 7919) % 90000;
    const auto data = seed % 2 ? oxwire_test::text_bytes(n, seed) : oxwire_test::run_bytes(n, seed);
    for (unsigned opts = 0; opts < 4; ++opts) {
      const rpc::pack_options options{.compress = (opts & 1) != 0,
                                      .xor_magic = (opts & 2) != 0,
                                      .max_payload = 1 + (seed * 4099) % 65535};
      const auto wire = rpc::pack_extended_buffer(data, options);
      ASSERT_TRUE(wire);
      const auto back = rpc::unpack_extended_buffer(*wire);
      ASSERT_TRUE(back) << back.error().message() << " seed " << seed << " opts " << opts;
      EXPECT_TRUE(*back == data) << "seed " << seed << " opts " << opts;
      if (options.compress && n > 1000) {
        EXPECT_LT(wire->size(), n);
      }
    }
  }
}

// Real ROP response bytes (../shared/corpus/rop, MANIFEST.md) through every option combination.
// The corpus has no captured compressed traffic, so this checks our own pack/unpack only.
std::optional<bytes> corpus_file(const char* name) {
  const auto path = std::filesystem::path(__FILE__).parent_path() /
                    "../../../shared/corpus/rop/openchange" / name;
  std::ifstream f(path, std::ios::binary);
  if (!f) return std::nullopt;
  return bytes(std::istreambuf_iterator<char>(f), {});
}

TEST(ExtendedBuffer, RealRopBuffersRoundTrip) {
  for (const char* name :
       {"QueryRows_RowData_standard_rows.bin", "QueryRows_RowData_flagged_rows.bin"}) {
    const auto rop = corpus_file(name);
    if (!rop) GTEST_SKIP() << "shared corpus not present";
    ASSERT_FALSE(rop->empty());
    for (unsigned opts = 0; opts < 4; ++opts) {
      const auto wire = rpc::pack_extended_buffer(
          *rop, {.compress = (opts & 1) != 0, .xor_magic = (opts & 2) != 0});
      ASSERT_TRUE(wire);
      oxwire::reader in(*wire);
      const auto h = rpc::decode_rpc_header_ext(in);
      ASSERT_TRUE(h);
      // repeated row layouts and strings compress well below their size
      EXPECT_EQ((h->Flags & RPC_HEADER_EXT::Compressed) != 0, (opts & 1) != 0) << name;
      EXPECT_EQ(h->SizeActual, rop->size());
      if (opts & 1) {
        EXPECT_LT(h->Size, rop->size() * 3 / 4) << name;
      }
      const auto back = rpc::unpack_extended_buffer(*wire);
      ASSERT_TRUE(back) << back.error().message();
      EXPECT_EQ(*back, *rop) << name << " opts " << opts;
    }
  }
}

}  // namespace test_extended_buffer
