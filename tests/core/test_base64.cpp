// base64 (RFC 4648): every kernel (scalar, AVX2, dispatched) against the RFC vectors and the
// strict/lenient rules, and the AVX2 kernels against the scalar reference with injected faults.
#include <oxwire/core/base64.hpp>

#include <gtest/gtest.h>
#include <oxwire/core/reader.hpp>
#include <oxwire/gen/activesync/ashttp.hpp>
#include <oxwire_test/assertions.hpp>
#include <oxwire_test/requirements.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace test_base64 {

using oxwire_test::bytes_of;
using oxwire_test::fails_with;

using oxwire::errc;
using oxwire::base64::alphabet;
using oxwire::base64::mode;
namespace detail = oxwire::detail;

using decode_fn = oxwire::result<std::size_t>(std::string_view, oxwire::mutable_bytes,
                                              mode) noexcept;
using encode_fn = std::size_t(oxwire::bytes_view, std::span<char>, bool) noexcept;

struct kernel {
  const char* name;
  decode_fn* decode_standard;
  decode_fn* decode_url;
  encode_fn* encode_standard;
  encode_fn* encode_url;
  bool needs_avx2;
};

// gtest prints a parameter with this (ctest lists the kernel's name, not its bytes).
[[maybe_unused]] void PrintTo(const kernel& k, std::ostream* os) {
  *os << k.name;
}

std::vector<kernel> kernels() {
  std::vector<kernel> k{
      {"scalar", &detail::base64_decode_scalar<alphabet::standard>,
       &detail::base64_decode_scalar<alphabet::url>,
       &detail::base64_encode_scalar<alphabet::standard>,
       &detail::base64_encode_scalar<alphabet::url>, false},
      {"dispatched", &detail::base64_decode_best<alphabet::standard>,
       &detail::base64_decode_best<alphabet::url>, &detail::base64_encode_best<alphabet::standard>,
       &detail::base64_encode_best<alphabet::url>, false}};
#if OXWIRE_X86
  k.push_back({"avx2", &detail::base64_decode_avx2<alphabet::standard>,
               &detail::base64_decode_avx2<alphabet::url>,
               &detail::base64_encode_avx2<alphabet::standard>,
               &detail::base64_encode_avx2<alphabet::url>, true});
#endif
  return k;
}

oxwire::result<std::vector<std::uint8_t>> decode_with(const kernel& k, std::string_view in,
                                                      mode m = mode::strict,
                                                      alphabet a = alphabet::standard) {
  std::vector<std::uint8_t> v(oxwire::base64::decoded_bound(in.size()));
  const auto n = (a == alphabet::standard ? k.decode_standard : k.decode_url)(in, v, m);
  if (!n) return n.error();
  v.resize(*n);
  return v;
}

std::string encode_with(const kernel& k, oxwire::bytes_view in, alphabet a = alphabet::standard,
                        bool pad = true) {
  std::string s(oxwire::base64::encoded_size(in.size(), pad), '\0');
  s.resize((a == alphabet::standard ? k.encode_standard : k.encode_url)(in, s, pad));
  return s;
}

std::vector<std::uint8_t> random_bytes(std::mt19937& rng, std::size_t n) {
  std::vector<std::uint8_t> v(n);
  for (auto& b : v) b = static_cast<std::uint8_t>(rng());
  return v;
}

class Base64 : public ::testing::TestWithParam<kernel> {
 protected:
  void SetUp() override {
    if (GetParam().needs_avx2 && detail::best_isa() != detail::isa::avx2)
      GTEST_SKIP() << "CPU lacks AVX2";
  }
  const kernel& k() const { return GetParam(); }
  oxwire::result<std::vector<std::uint8_t>> decode(std::string_view in, mode m = mode::strict,
                                                   alphabet a = alphabet::standard) const {
    return decode_with(k(), in, m, a);
  }
};

INSTANTIATE_TEST_SUITE_P(Kernels, Base64, ::testing::ValuesIn(kernels()),
                         [](const auto& info) { return std::string(info.param.name); });

// RFC 4648 10
constexpr std::pair<std::string_view, std::string_view> rfc4648_vectors[] = {
    {"", ""},        {"f", "Zg=="},        {"fo", "Zm8="},        {"foo", "Zm9v"},
    {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};

TEST_P(Base64, Rfc4648TestVectorsEncode) {
  for (const auto& [plain, coded] : rfc4648_vectors)
    EXPECT_EQ(encode_with(k(), bytes_of(plain)), coded);
}

TEST_P(Base64, Rfc4648TestVectorsDecodeInBothModes) {
  for (const auto& [plain, coded] : rfc4648_vectors) {
    EXPECT_EQ(decode(coded).value(), bytes_of(plain)) << coded;
    EXPECT_EQ(decode(coded, mode::lenient).value(), bytes_of(plain)) << coded;
  }
}

TEST_P(Base64, EncodingWithoutPaddingDropsTheEqualsSigns) {
  EXPECT_EQ(encode_with(k(), bytes_of("f"), alphabet::standard, false), "Zg");
  EXPECT_EQ(encode_with(k(), bytes_of("fo"), alphabet::standard, false), "Zm8");
  EXPECT_EQ(encode_with(k(), bytes_of("foo"), alphabet::standard, false), "Zm9v");
}

// RFC 4648 5
TEST_P(Base64, UrlAlphabetUsesMinusAndUnderscore) {
  const std::vector<std::uint8_t> raw{0xFB, 0xEF, 0xFF, 0xFB, 0xEF, 0xFF};
  EXPECT_EQ(encode_with(k(), raw, alphabet::standard), "++//++//");
  EXPECT_EQ(encode_with(k(), raw, alphabet::url), "--__--__");
  EXPECT_EQ(decode("--__--__", mode::strict, alphabet::url).value(), raw);
  EXPECT_TRUE(
      fails_with(decode("--__", mode::strict, alphabet::standard), errc::invalid_base64, 0));
  EXPECT_TRUE(fails_with(decode("AA+/", mode::strict, alphabet::url), errc::invalid_base64, 2));
}

TEST_P(Base64, EveryAlphabetCharacterDecodesToItsValue) {
  for (const alphabet a : {alphabet::standard, alphabet::url}) {
    std::string all(a == alphabet::standard ? detail::base64_chars<alphabet::standard>
                                            : detail::base64_chars<alphabet::url>);
    all += all;  // 128 characters: the SIMD blocks see every value
    std::vector<std::uint8_t> want;
    for (std::size_t q = 0; q < all.size(); q += 4) {
      const unsigned v = (q % 64) << 18 | (q % 64 + 1) << 12 | (q % 64 + 2) << 6 | (q % 64 + 3);
      want.insert(want.end(), {static_cast<std::uint8_t>(v >> 16),
                               static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)});
    }
    EXPECT_EQ(decode(all, mode::strict, a).value(), want);
  }
}

TEST_P(Base64, ForeignCharacterAtEveryPositionIsAnErrorAtItsOffset) {
  std::mt19937 rng(4648);
  const std::string text = encode_with(k(), random_bytes(rng, 150));  // 200 characters
  for (const char bad : {'!', '\0', '.', '\x80', '\xFF', '-', '\v'}) {
    for (std::size_t at = 0; at < text.size(); ++at) {
      std::string s = text;
      s[at] = bad;
      for (const mode m : {mode::strict, mode::lenient})
        ASSERT_TRUE(fails_with(decode(s, m), errc::invalid_base64, at))
            << "char " << int(bad) << " at " << at;
    }
  }
}

TEST_P(Base64, MisplacedPaddingIsAnErrorAtTheWrongEqualsSign) {
  for (const mode m : {mode::strict, mode::lenient}) {
    EXPECT_TRUE(fails_with(decode("Zg=a", m), errc::invalid_base64_padding, 2));
    EXPECT_TRUE(fails_with(decode("Z===", m), errc::invalid_base64_padding, 1));
    EXPECT_TRUE(fails_with(decode("Zm9v=", m), errc::invalid_base64_padding, 4));
    EXPECT_TRUE(fails_with(decode("=Zm9", m), errc::invalid_base64_padding, 0));
    EXPECT_TRUE(fails_with(decode("Zg===", m), errc::invalid_base64_padding, 4));
    EXPECT_TRUE(fails_with(decode("Zm8==", m), errc::invalid_base64_padding, 4));
    EXPECT_TRUE(fails_with(decode("Zg==Zg==", m), errc::invalid_base64_padding, 2));
    EXPECT_TRUE(fails_with(decode("Zm8=Zm9v", m), errc::invalid_base64_padding, 3));
  }
}

TEST_P(Base64, IncompleteOrMissingPaddingIsAnErrorOnlyInStrictMode) {
  EXPECT_TRUE(fails_with(decode("Zg="), errc::invalid_base64_padding, 2));
  EXPECT_TRUE(fails_with(decode("Zg"), errc::invalid_base64_padding, 2));
  EXPECT_TRUE(fails_with(decode("Zm9vYmE"), errc::invalid_base64_padding, 7));
  EXPECT_EQ(decode("Zg=", mode::lenient).value(), bytes_of("f"));
  EXPECT_EQ(decode("Zg", mode::lenient).value(), bytes_of("f"));
  EXPECT_EQ(decode("Zm9vYmE", mode::lenient).value(), bytes_of("fooba"));
}

TEST_P(Base64, OneCharacterLeftOverIsALengthErrorAtTheInputSize) {
  for (const mode m : {mode::strict, mode::lenient}) {
    EXPECT_TRUE(fails_with(decode("Z", m), errc::invalid_base64_length, 1));
    EXPECT_TRUE(fails_with(decode("Zm9vY", m), errc::invalid_base64_length, 5));
  }
  EXPECT_TRUE(fails_with(decode("Zm9v\nY", mode::lenient), errc::invalid_base64_length, 6));
}

// RFC 4648 3.5
TEST_P(Base64, NonZeroPadBitsAreRejectedInStrictModeAndIgnoredInLenient) {
  EXPECT_TRUE(fails_with(decode("Zh=="), errc::invalid_base64_padding, 1));
  EXPECT_TRUE(fails_with(decode("Zk=="), errc::invalid_base64_padding, 1));
  EXPECT_TRUE(fails_with(decode("Zm9="), errc::invalid_base64_padding, 2));
  EXPECT_TRUE(fails_with(decode("Zm9vYmF="), errc::invalid_base64_padding, 6));
  EXPECT_EQ(decode("Zh==", mode::lenient).value(), bytes_of("f"));
  EXPECT_EQ(decode("Zm9=", mode::lenient).value(), bytes_of("fo"));
  EXPECT_EQ(decode("Zh", mode::lenient).value(), bytes_of("f"));
}

// RFC 4648 3.3
TEST_P(Base64, WhitespaceIsSkippedInLenientModeAndForeignInStrict) {
  const std::string_view wrapped = " Zm9v\r\nYm\tFy\n";
  EXPECT_TRUE(fails_with(decode(wrapped), errc::invalid_base64, 0));
  EXPECT_TRUE(fails_with(decode("Zm9v\r\nYmFy"), errc::invalid_base64, 4));
  EXPECT_EQ(decode(wrapped, mode::lenient).value(), bytes_of("foobar"));
  EXPECT_EQ(decode("Zg= =\n", mode::lenient).value(), bytes_of("f"));
  EXPECT_EQ(decode(" \n\t\r", mode::lenient).value(), bytes_of(""));
}

TEST_P(Base64, MimeLineBreaksEveryLineAreSkippedInLenientMode) {
  std::mt19937 rng(2045);
  for (const std::size_t line : {4, 64, 76}) {
    const auto raw = random_bytes(rng, 5000);
    const std::string flat = encode_with(k(), raw);
    std::string wrapped;
    for (std::size_t i = 0; i < flat.size(); i += line) wrapped += flat.substr(i, line) + "\r\n";
    EXPECT_EQ(decode(wrapped, mode::lenient).value(), raw) << "line " << line;
  }
}

TEST_P(Base64, RandomBytesOfEveryLengthUpTo200RoundTrip) {
  std::mt19937 rng(200);
  for (std::size_t n = 0; n <= 200; ++n) {
    const auto raw = random_bytes(rng, n);
    for (const alphabet a : {alphabet::standard, alphabet::url}) {
      const std::string padded = encode_with(k(), raw, a, true);
      ASSERT_EQ(padded.size(), oxwire::base64::encoded_size(n));
      ASSERT_EQ(decode(padded, mode::strict, a).value(), raw) << "n=" << n;
      const std::string bare = encode_with(k(), raw, a, false);
      ASSERT_EQ(padded.substr(0, bare.size()), bare);
      ASSERT_EQ(decode(bare, mode::lenient, a).value(), raw) << "n=" << n;
    }
  }
}

TEST_P(Base64, RandomHundredKilobyteBuffersRoundTrip) {
  std::mt19937 rng(100);
  for (const std::size_t n : {100000, 100001, 100002, 102400}) {
    const auto raw = random_bytes(rng, n);
    EXPECT_EQ(decode(encode_with(k(), raw)).value(), raw);
  }
}

TEST_P(Base64, ShortBufferIsAnErrorAtTheLastCharacterOfTheQuantumThatDoesNotFit) {
  std::mt19937 rng(3);
  const auto raw = random_bytes(rng, 101);  // 33 quanta and 2 bytes
  const std::string text = encode_with(k(), raw);
  for (std::size_t cap = 0; cap < raw.size(); ++cap) {
    std::vector<std::uint8_t> out(cap);
    const std::size_t quantum = cap / 3;
    const std::size_t last = quantum == 33 ? 4 * 33 + 2 : 4 * quantum + 3;
    ASSERT_TRUE(
        fails_with(k().decode_standard(text, out, mode::strict), errc::buffer_too_small, last))
        << "cap=" << cap;
  }
  std::vector<std::uint8_t> exact(raw.size());
  EXPECT_EQ(k().decode_standard(text, exact, mode::strict).value(), raw.size());
  EXPECT_EQ(exact, raw);
}

// --- public API ----------------------------------------------------------------------------

TEST(Base64Api, SizesMatchTheEncoding) {
  static_assert(oxwire::base64::encoded_size(0) == 0 && oxwire::base64::encoded_size(1) == 4 &&
                oxwire::base64::encoded_size(3) == 4 && oxwire::base64::encoded_size(4) == 8);
  static_assert(oxwire::base64::encoded_size(1, false) == 2 &&
                oxwire::base64::encoded_size(2, false) == 3 &&
                oxwire::base64::encoded_size(6, false) == 8);
  static_assert(oxwire::base64::decoded_bound(4) == 3 && oxwire::base64::decoded_bound(3) == 2 &&
                oxwire::base64::decoded_bound(2) == 1 && oxwire::base64::decoded_bound(1) == 0);
  EXPECT_EQ(oxwire::base64::decode("Zm9vYg==").value().size(), 4u);
}

TEST(Base64Api, AllocatingOverloadsRoundTripInBothAlphabets) {
  const auto raw = bytes_of("\xFB\xEF\xFF hello");
  for (const alphabet a : {alphabet::standard, alphabet::url})
    EXPECT_EQ(oxwire::base64::decode(oxwire::base64::encode(raw, a), mode::strict, a).value(), raw);
  EXPECT_EQ(oxwire::base64::encode(raw, alphabet::url, false), "--__IGhlbGxv");
}

TEST(Base64Api, EncodingIntoAShortBufferIsAnError) {
  std::string out(7, '\0');
  EXPECT_TRUE(
      fails_with(oxwire::base64::encode(bytes_of("fooba"), out), errc::buffer_too_small, 3));
  EXPECT_TRUE(fails_with(oxwire::base64::encode(bytes_of("f"), std::span<char>(out).first(3)),
                         errc::buffer_too_small, 0));
  EXPECT_EQ(oxwire::base64::encode(bytes_of("f"), std::span<char>(out).first(2), alphabet::standard,
                                   false)
                .value(),
            2u);
}

TEST(Base64Api, ErrorMessageNamesTheReasonAndOffset) {
  const auto r = oxwire::base64::decode("Zm9v Zg==");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(),
            "invalid base64 character (not in the base64 alphabet) at offset 4");
}

// --- AVX2 against the scalar reference -----------------------------------------------------

#if OXWIRE_X86
class Avx2Base64 : public ::testing::Test {
 protected:
  void SetUp() override {
    if (detail::best_isa() != detail::isa::avx2) GTEST_SKIP() << "CPU lacks AVX2";
  }
};

template <alphabet A>
void expect_decoders_agree(std::string_view in, std::size_t cap) {
  for (const mode m : {mode::strict, mode::lenient}) {
    std::vector<std::uint8_t> simd_out(cap), ref_out(cap);
    const auto simd = detail::base64_decode_avx2<A>(in, simd_out, m);
    const auto ref = detail::base64_decode_scalar<A>(in, ref_out, m);
    ASSERT_EQ(simd.has_value(), ref.has_value())
        << (simd ? ref.error().message() : simd.error().message());
    if (!ref) {
      ASSERT_EQ(simd.error(), ref.error())
          << simd.error().message() << " vs " << ref.error().message();
      ASSERT_STREQ(simd.error().what, ref.error().what);
    } else {
      ASSERT_EQ(*simd, *ref);
      ASSERT_TRUE(std::equal(simd_out.begin(), simd_out.begin() + *ref, ref_out.begin()));
    }
  }
}

TEST_F(Avx2Base64, DecodeMatchesScalarWithAFaultAtEveryPositionOfABlock) {
  std::mt19937 rng(32);
  const std::string faults[] = {"!", "=", " ", "\n", "\x80", "-", "_", "+", "/", "==", "\r\n"};
  for (int round = 0; round < 300; ++round) {
    const std::string text = encode_with(kernels()[0], random_bytes(rng, 60 + rng() % 100),
                                         rng() % 2 ? alphabet::standard : alphabet::url, rng() % 2);
    const std::size_t block = 32 * (rng() % (text.size() / 32));
    for (std::size_t at = block; at < block + 32 && at < text.size(); ++at) {
      for (const std::string& f : faults) {
        std::string s = text;
        if (rng() % 2)
          s.replace(at, f.size(), f);
        else
          s.insert(at, f);
        const std::size_t bound = oxwire::base64::decoded_bound(s.size());
        const std::size_t cap = rng() % 4 ? bound : rng() % (bound + 1);
        ASSERT_NO_FATAL_FAILURE(expect_decoders_agree<alphabet::standard>(s, cap)) << s;
        ASSERT_NO_FATAL_FAILURE(expect_decoders_agree<alphabet::url>(s, cap)) << s;
      }
    }
  }
}

TEST_F(Avx2Base64, DecodeMatchesScalarOnRandomStrings) {
  std::mt19937 rng(64);
  const std::string_view pool = "AZaz09+/-_=  \r\n\t!\x80";
  for (int round = 0; round < 20000; ++round) {
    std::string s(rng() % 200, 'A');
    const unsigned noise = rng() % 20;
    for (auto& c : s)
      c = rng() % 100 < noise ? pool[rng() % pool.size()]
                              : detail::base64_chars<alphabet::standard>[rng() % 64];
    const std::size_t bound = oxwire::base64::decoded_bound(s.size());
    ASSERT_NO_FATAL_FAILURE(expect_decoders_agree<alphabet::standard>(s, bound));
    ASSERT_NO_FATAL_FAILURE(expect_decoders_agree<alphabet::url>(s, rng() % (bound + 1)));
  }
}

TEST_F(Avx2Base64, EncodeMatchesScalarAtEveryLength) {
  std::mt19937 rng(24);
  for (std::size_t n = 0; n <= 300; ++n) {
    const auto raw = random_bytes(rng, n);
    for (const bool pad : {true, false}) {
      std::string simd(oxwire::base64::encoded_size(n, pad), '\0'), ref = simd;
      ASSERT_EQ(detail::base64_encode_avx2<alphabet::standard>(raw, simd, pad),
                detail::base64_encode_scalar<alphabet::standard>(raw, ref, pad));
      ASSERT_EQ(simd, ref);
      ASSERT_EQ(detail::base64_encode_avx2<alphabet::url>(raw, simd, pad),
                detail::base64_encode_scalar<alphabet::url>(raw, ref, pad));
      ASSERT_EQ(simd, ref);
    }
  }
}
#endif

// MS-ASHTTP 2.2.1.1.1.1: the spec's example of a base64-encoded query value decodes to the
// documented fields (protocol version 140, Sync, locale 0x0409, device "v140Device",
// no policy key, device type "SmartPhone").
TEST(Base64SpecExample, MsAsHttpQueryValueDecodesToItsFields) {
  OXWIRE_REQ("MS-ASHTTP_R22");
  const auto raw = oxwire::base64::decode("jAAJBAp2MTQwRGV2aWNlAApTbWFydFBob25l");
  ASSERT_TRUE(raw) << raw.error().message();
  oxwire::reader in(*raw);
  EXPECT_EQ(in.read<std::uint8_t>().value(), 140);
  const auto* command =
      oxwire::gen::activesync::find_command_by_code(in.read<std::uint8_t>().value());
  ASSERT_NE(command, nullptr);
  EXPECT_EQ(command->command, "Sync");
  EXPECT_EQ(in.read<std::uint16_t>().value(), 0x0409);
  EXPECT_EQ(oxwire::as_chars(in.bytes(in.read<std::uint8_t>().value()).value()), "v140Device");
  EXPECT_EQ(in.read<std::uint8_t>().value(), 0);  // policy key length: absent
  EXPECT_EQ(oxwire::as_chars(in.bytes(in.read<std::uint8_t>().value()).value()), "SmartPhone");
  EXPECT_TRUE(in.empty());
}

}  // namespace test_base64
