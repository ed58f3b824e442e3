// MS-OXCRPC 3.1.4.1.1.2 LZ77 with DIRECT2 encoding: known streams byte for byte, round trips,
// every decoder error with its offset, and the fast decoder against the reference one.
#include <gtest/gtest.h>
#include <oxwire/detail/lz77_scalar.hpp>
#include <oxwire/rpc/lz77.hpp>
#include <oxwire_test/assertions.hpp>
#include <oxwire_test/requirements.hpp>

#include <string>
#include <vector>

#include "lz77_test_data.hpp"

namespace test_lz77 {

using bytes = std::vector<std::uint8_t>;
using oxwire_test::fails_with;
namespace rpc = oxwire::rpc;
using rpc::errc;

bytes repeat(std::string_view s, std::size_t times) {
  std::string r;
  for (std::size_t i = 0; i < times; ++i) r += s;
  return bytes(r.begin(), r.end());
}

// Decodes with both decoders; they must agree on the output or on the error.
oxwire::result<bytes> decode_both(const bytes& in, std::size_t size_actual, std::size_t base = 0) {
  bytes fast(size_actual), ref(size_actual);
  const auto a = rpc::lz77_decompress(in, fast, base);
  const auto b = oxwire::detail::lz77_decompress_reference(in, ref, base);
  EXPECT_EQ(a.has_value(), b.has_value());
  if (!a || !b) {
    if (!a && !b) {
      EXPECT_EQ(a.error(), b.error()) << a.error().message() << " vs " << b.error().message();
      EXPECT_STREQ(a.error().what, b.error().what);
    }
    return a ? b.error() : a.error();
  }
  EXPECT_EQ(fast, ref);
  return fast;
}

void expect_round_trip(const bytes& input, const rpc::lz77_options& options = {}) {
  const bytes packed = rpc::lz77_compress(input, options);
  EXPECT_LE(packed.size(), rpc::lz77_compress_bound(input.size()));
  const auto back = decode_both(packed, input.size());
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_TRUE(*back == input) << "size " << input.size();
}

struct known {
  const char* name;
  bytes plain;
  bytes packed;
};

// Streams worked out by hand from MS-OXCRPC 3.1.4.1.1.2.2 (bitmask MSB first, padded with ones;
// metadata (offset-1)<<3 | (length-3); 7 = the shared nibble, then a byte, then a word). The
// "abc" x 100 and alphabet streams are also the plain-LZ77 examples of MS-XCA section 3.1/3.2,
// whose encoding DIRECT2 is.
std::vector<known> known_streams() {
  const std::string_view alphabet = "abcdefghijklmnopqrstuvwxyz";
  bytes alpha_packed{0x3f, 0x00, 0x00, 0x00};
  alpha_packed.insert(alpha_packed.end(), alphabet.begin(), alphabet.end());
  bytes shared = repeat("a", 13);
  const bytes b21 = repeat("b", 21);
  shared.insert(shared.end(), b21.begin(), b21.end());
  return {
      {"empty", {}, {0xff, 0xff, 0xff, 0xff}},
      {"one byte", {'x'}, {0xff, 0xff, 0xff, 0x7f, 'x'}},
      {"alphabet", bytes(alphabet.begin(), alphabet.end()), alpha_packed},
      {"abcabcabc", repeat("abc", 3), {0xff, 0xff, 0xff, 0x1f, 'a', 'b', 'c', 0x13, 0x00}},
      {"abc x 100",
       repeat("abc", 100),
       {0xff, 0xff, 0xff, 0x1f, 'a', 'b', 'c', 0x17, 0x00, 0x0f, 0xff, 0x26, 0x01}},
      // Two long matches share one length byte: low nibble 2 (length 12), high nibble 10 (20).
      {"shared nibble", shared, {0xff, 0xff, 0xff, 0x5f, 'a', 0x07, 0x00, 0xa2, 'b', 0x07, 0x00}},
      {"length byte", repeat("a", 100), {0xff, 0xff, 0xff, 0x7f, 'a', 0x07, 0x00, 0x0f, 0x4a}},
      {"length word",
       repeat("a", 1000),
       {0xff, 0xff, 0xff, 0x7f, 'a', 0x07, 0x00, 0x0f, 0xff, 0xe4, 0x03}},
  };
}

TEST(Lz77, KnownStreamsDecode) {
  for (const auto& k : known_streams()) {
    const auto r = decode_both(k.packed, k.plain.size());
    ASSERT_TRUE(r) << k.name << ": " << r.error().message();
    EXPECT_EQ(*r, k.plain) << k.name;
  }
}

TEST(Lz77, KnownStreamsEncodeByteForByte) {
  for (const auto& k : known_streams()) EXPECT_EQ(rpc::lz77_compress(k.plain), k.packed) << k.name;
}

TEST(Lz77, FullBitmaskIsFollowedByAllOnesBitmask) {
  // 32 literals fill one bitmask; the encoder opens the next one, which ends up all ones.
  const bytes plain = oxwire_test::random_bytes(32, 1);
  const bytes packed = rpc::lz77_compress(plain);
  ASSERT_EQ(packed.size(), 4u + 32u + 4u);
  EXPECT_EQ(bytes(packed.begin(), packed.begin() + 4), bytes(4, 0x00));
  EXPECT_EQ(bytes(packed.end() - 4, packed.end()), bytes(4, 0xff));
  EXPECT_TRUE(decode_both(packed, 32));
}

TEST(Lz77, AppendsToExistingOutput) {
  bytes out{1, 2, 3};
  rpc::lz77_compress(repeat("abc", 3), out);
  EXPECT_EQ(out, (bytes{1, 2, 3, 0xff, 0xff, 0xff, 0x1f, 'a', 'b', 'c', 0x13, 0x00}));
}

TEST(Lz77, VectorOverloadAndEmptyInput) {
  const auto r = rpc::lz77_decompress(bytes{0xff, 0xff, 0xff, 0x1f, 'a', 'b', 'c', 0x13, 0x00}, 9);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, repeat("abc", 3));
  EXPECT_TRUE(decode_both({}, 0));  // no bitmask at all and nothing to produce
}

// A final bitmask padded with zeros instead of ones still ends cleanly once SizeActual bytes are
// out and the input is used up.
TEST(Lz77, ZeroPaddedLastBitmaskIsAccepted) {
  const auto r = decode_both({0x00, 0x00, 0x00, 0x00, 'a'}, 1);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, bytes{'a'});
}

TEST(Lz77, MaximumDistance) {
  const bytes head = oxwire_test::random_bytes(8192, 7);
  bytes plain = head;
  plain.insert(plain.end(), head.begin(), head.begin() + 40);
  const bytes packed = rpc::lz77_compress(plain);
  // the 40-byte repeat at distance 8192 (offset field 0x1FFF) became one 4-byte match item
  EXPECT_EQ(packed.size(), rpc::lz77_compress(head).size() + 4);
  const auto r = decode_both(packed, plain.size());
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, plain);
  // one byte further is out of reach: the same data then needs literals
  bytes further = head;
  further.push_back(0);
  further.insert(further.end(), head.begin(), head.begin() + 40);
  EXPECT_GT(rpc::lz77_compress(further).size(), rpc::lz77_compress(head).size() + 40);
}

// --- errors, each with its input offset ---

TEST(Lz77, BackReferenceBeforeStart) {
  // literal 'a', then offset 2 length 3: only one byte is out.
  EXPECT_TRUE(fails_with(decode_both({0xff, 0xff, 0xff, 0x7f, 'a', 0x08, 0x00}, 4),
                         errc::back_reference_before_start, 5, "Metadata offset"));
  // a match first of all
  EXPECT_TRUE(fails_with(decode_both({0xff, 0xff, 0xff, 0xff, 0x00, 0x00}, 3),
                         errc::back_reference_before_start, 4));
  // error offsets are absolute when the stream sits inside a larger buffer
  EXPECT_TRUE(fails_with(decode_both({0xff, 0xff, 0xff, 0xff, 0x00, 0x00}, 3, 8),
                         errc::back_reference_before_start, 12));
}

TEST(Lz77, MatchPastSizeActual) {
  const auto abc = known_streams()[4];
  EXPECT_TRUE(
      fails_with(decode_both(abc.packed, 299), errc::output_overflow, 7, "Metadata length"));
  EXPECT_TRUE(fails_with(decode_both(abc.packed, 4), errc::output_overflow, 7));
}

TEST(Lz77, LiteralPastSizeActual) {
  const auto alpha = known_streams()[2];
  EXPECT_TRUE(fails_with(decode_both(alpha.packed, 25), errc::trailing_input, 29, "SizeActual"));
  EXPECT_TRUE(fails_with(decode_both(alpha.packed, 0), errc::trailing_input, 4));
}

TEST(Lz77, StreamEndsBeforeSizeActual) {
  const auto abc = known_streams()[4];
  EXPECT_TRUE(fails_with(decode_both(abc.packed, 301), errc::output_short, 13, "SizeActual"));
  EXPECT_TRUE(fails_with(decode_both({0xff, 0xff, 0xff, 0xff}, 1), errc::output_short, 4));
}

TEST(Lz77, InputAfterTheEnd) {
  auto packed = known_streams()[4].packed;
  packed.push_back(0x00);
  EXPECT_TRUE(fails_with(decode_both(packed, 300), errc::trailing_input, 13, "SizeActual"));
}

TEST(Lz77, TruncatedBitmask) {
  EXPECT_TRUE(fails_with(decode_both({0xff, 0xff}, 1), oxwire::errc::truncated, 0, "Bitmask"));
  EXPECT_TRUE(fails_with(decode_both({}, 1), oxwire::errc::truncated, 0, "Bitmask"));
  // a second bitmask cut short after 32 literals
  bytes packed = rpc::lz77_compress(oxwire_test::random_bytes(40, 3));
  packed.resize(4 + 32 + 2);
  EXPECT_TRUE(fails_with(decode_both(packed, 40), oxwire::errc::truncated, 36, "Bitmask"));
}

TEST(Lz77, TruncatedLiteral) {
  EXPECT_TRUE(fails_with(decode_both({0xff, 0xff, 0xff, 0x1f, 'a', 'b'}, 3),
                         oxwire::errc::truncated, 6, "Literal"));
}

TEST(Lz77, TruncatedMetadata) {
  using oxwire::errc;
  EXPECT_TRUE(fails_with(decode_both({0xff, 0xff, 0xff, 0x7f, 'a', 0x07}, 100), errc::truncated, 5,
                         "Metadata"));
  EXPECT_TRUE(fails_with(decode_both({0xff, 0xff, 0xff, 0x7f, 'a', 0x07, 0x00}, 100),
                         errc::truncated, 7, "MatchLength nibble"));
  EXPECT_TRUE(fails_with(decode_both({0xff, 0xff, 0xff, 0x7f, 'a', 0x07, 0x00, 0x0f}, 100),
                         errc::truncated, 8, "MatchLength byte"));
  EXPECT_TRUE(
      fails_with(decode_both({0xff, 0xff, 0xff, 0x7f, 'a', 0x07, 0x00, 0x0f, 0xff, 0xe4}, 1000),
                 errc::truncated, 9, "MatchLength word"));
}

TEST(Lz77, LengthWordBelowItsRange) {
  // 21 = length 24, which the nibble would carry: rejected like the spec's decoder does.
  EXPECT_TRUE(
      fails_with(decode_both({0xff, 0xff, 0xff, 0x7f, 'a', 0x07, 0x00, 0x0f, 0xff, 0x15, 0x00}, 25),
                 errc::invalid_match_length, 9, "MatchLength word"));
  EXPECT_TRUE(
      fails_with(decode_both({0xff, 0xff, 0xff, 0x7f, 'a', 0x07, 0x00, 0x0f, 0xff, 0x00, 0x00}, 4),
                 errc::invalid_match_length, 9));
  // 22 is the smallest word: length 25
  const auto r = decode_both({0xff, 0xff, 0xff, 0x7f, 'a', 0x07, 0x00, 0x0f, 0xff, 0x16, 0x00}, 26);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, repeat("a", 26));
}

TEST(Lz77, LongestMatchFillsSizeActualExactly) {
  // word 0xFFFF: 65538 bytes from one match, written without a byte beyond SizeActual.
  const bytes packed{0xff, 0xff, 0xff, 0x7f, 'z', 0x07, 0x00, 0x0f, 0xff, 0xff, 0xff};
  const auto r = decode_both(packed, 65539);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, repeat("z", 65539));
  EXPECT_TRUE(fails_with(decode_both(packed, 65538), errc::output_overflow, 5));
}

// --- round trips ---

TEST(Lz77, RoundTripShapes) {
  for (std::size_t n : {0u, 1u, 2u, 3u, 4u, 7u, 31u, 32u, 33u, 63u, 64u, 65u, 1000u, 8191u, 8192u,
                        8193u, 65535u, 65536u, 70000u}) {
    SCOPED_TRACE(n);
    expect_round_trip(oxwire_test::random_bytes(n, static_cast<unsigned>(n)));
    expect_round_trip(oxwire_test::text_bytes(n, static_cast<unsigned>(n)));
    expect_round_trip(oxwire_test::run_bytes(n, static_cast<unsigned>(n)));
    expect_round_trip(bytes(n, 0));
  }
}

TEST(Lz77, RoundTripLongMatchesAndWorstCases) {
  expect_round_trip(bytes(1 << 20, 0xAB));  // matches longer than the 2-byte length holds
  expect_round_trip(repeat("0123456789abcdef", 50000));
  bytes mixed;  // long matches far apart, forcing nibble sharing across every length form
  for (unsigned i = 0; i < 200; ++i) {
    const auto r = oxwire_test::random_bytes(1 + i % 50, i);
    mixed.insert(mixed.end(), r.begin(), r.end());
    mixed.insert(mixed.end(), 3 + (i * 37) % 400, static_cast<std::uint8_t>(i));
  }
  expect_round_trip(mixed);
  // incompressible: every item a literal, the bound is reached up to the last bitmask
  const auto noise = oxwire_test::random_bytes(100000, 9);
  const auto packed = rpc::lz77_compress(noise);
  EXPECT_GT(packed.size(), noise.size());
  EXPECT_LE(packed.size(), rpc::lz77_compress_bound(noise.size()));
  // periodic data with every small distance (the decoder's widened copies)
  for (std::size_t period = 1; period <= 20; ++period) {
    bytes p;
    for (std::size_t i = 0; i < 5000; ++i) p.push_back(static_cast<std::uint8_t>('A' + i % period));
    expect_round_trip(p);
  }
  expect_round_trip(oxwire_test::text_bytes(100000, 5), {.max_chain = 1});
  expect_round_trip(oxwire_test::text_bytes(100000, 6), {.max_chain = 256});
}

TEST(Lz77, TextCompresses) {
  const auto text = oxwire_test::text_bytes(32768, 11);
  EXPECT_LT(rpc::lz77_compress(text).size(), text.size() / 2);
}

// Property: decompress(compress(x)) == x for random and text-like data over many seeds and sizes.
TEST(Lz77, PropertyRoundTripManySeeds) {
  for (unsigned seed = 0; seed < 300; ++seed) {
    std::mt19937 rng(seed);
    const std::size_t n = rng() % (seed % 10 == 0 ? 70000 : 3000);
    const unsigned kind = seed % 3;
    const bytes x = kind == 0   ? oxwire_test::random_bytes(n, seed)
                    : kind == 1 ? oxwire_test::text_bytes(n, seed)
                                : oxwire_test::run_bytes(n, seed);
    SCOPED_TRACE(testing::Message() << "seed " << seed << " size " << n << " kind " << kind);
    expect_round_trip(x, {.max_chain = 1 + seed % 32});
  }
}

// The fast decoder equals the reference on arbitrary (mostly invalid) streams: mutated valid
// streams and random bytes, with random SizeActual.
TEST(Lz77, FastDecoderMatchesReferenceOnArbitraryInput) {
  std::mt19937 rng(1234);
  for (unsigned i = 0; i < 3000; ++i) {
    bytes stream = i % 2 ? rpc::lz77_compress(oxwire_test::text_bytes(rng() % 600, i))
                         : oxwire_test::random_bytes(rng() % 64, i);
    const std::size_t flips = rng() % 4;
    for (std::size_t f = 0; f < flips && !stream.empty(); ++f)
      stream[rng() % stream.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
    if (!stream.empty() && rng() % 4 == 0) stream.resize(rng() % stream.size());
    (void)decode_both(stream, rng() % 1000);
  }
}

}  // namespace test_lz77
