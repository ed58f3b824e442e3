// UTF-16LE <-> UTF-8: every kernel (scalar, AVX2, dispatched) against independent expectations,
// and the AVX2 kernels against the scalar reference on random valid and invalid input.
#include <oxwire/core/utf16.hpp>

#include <gtest/gtest.h>
#include <oxwire_test/assertions.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace test_utf16 {

using oxwire_test::bytes_of;
using oxwire_test::fails_with;

using oxwire::errc;
using oxwire::utf16::policy;
namespace detail = oxwire::detail;

struct kernel {
  const char* name;
  oxwire::result<std::size_t> (*to_utf8)(oxwire::bytes_view, std::span<char>, policy) noexcept;
  oxwire::result<std::size_t> (*from_utf8)(std::string_view, oxwire::mutable_bytes,
                                           policy) noexcept;
  bool needs_avx2;
};

// gtest prints a parameter with this (ctest lists the kernel's name, not its bytes).
[[maybe_unused]] void PrintTo(const kernel& k, std::ostream* os) {
  *os << k.name;
}

std::vector<kernel> kernels() {
  std::vector<kernel> k{
      {"scalar", &detail::utf16_to_utf8_scalar, &detail::utf8_to_utf16_scalar, false},
      {"dispatched", &detail::utf16_to_utf8_best, &detail::utf8_to_utf16_best, false}};
#if OXWIRE_X86
  k.push_back({"avx2", &detail::utf16_to_utf8_avx2, &detail::utf8_to_utf16_avx2, true});
#endif
  return k;
}

bool runnable(const kernel& k) {
  return !k.needs_avx2 || detail::best_isa() == detail::isa::avx2;
}

// Independent encoders for the expectations.
void append_utf16le(std::vector<std::uint8_t>& v, char32_t cp) {
  auto unit = [&](std::uint32_t u) {
    v.push_back(static_cast<std::uint8_t>(u));
    v.push_back(static_cast<std::uint8_t>(u >> 8));
  };
  if (cp < 0x10000) {
    unit(cp);
  } else {
    unit(0xD800 + ((cp - 0x10000) >> 10));
    unit(0xDC00 + ((cp - 0x10000) & 0x3FF));
  }
}

void append_utf8(std::string& s, char32_t cp) {
  auto b = [&](std::uint32_t x) { s.push_back(static_cast<char>(x)); };
  if (cp < 0x80) {
    b(cp);
  } else if (cp < 0x800) {
    b(0xC0 | cp >> 6), b(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    b(0xE0 | cp >> 12), b(0x80 | (cp >> 6 & 0x3F)), b(0x80 | (cp & 0x3F));
  } else {
    b(0xF0 | cp >> 18), b(0x80 | (cp >> 12 & 0x3F)), b(0x80 | (cp >> 6 & 0x3F)),
        b(0x80 | (cp & 0x3F));
  }
}

std::vector<std::uint8_t> units_le(std::initializer_list<std::uint16_t> units) {
  std::vector<std::uint8_t> v;
  for (auto u : units) v.push_back(static_cast<std::uint8_t>(u)), v.push_back(u >> 8);
  return v;
}

std::vector<std::uint8_t> bytes(std::initializer_list<int> b) {
  return std::vector<std::uint8_t>(b.begin(), b.end());
}

std::string chars(std::initializer_list<int> b) {
  return std::string(b.begin(), b.end());
}

oxwire::result<std::string> decode(const kernel& k, oxwire::bytes_view in,
                                   policy p = policy::strict) {
  std::string s(oxwire::utf16::utf8_bound(in.size()), '\0');
  const auto n = k.to_utf8(in, s, p);
  if (!n) return n.error();
  s.resize(*n);
  return s;
}

oxwire::result<std::vector<std::uint8_t>> encode(const kernel& k, std::string_view in,
                                                 policy p = policy::strict) {
  std::vector<std::uint8_t> v(oxwire::utf16::utf16_bound(in.size()));
  const auto n = k.from_utf8(in, v, p);
  if (!n) return n.error();
  v.resize(*n);
  return v;
}

// ASCII text of `n` code points with `cp` at `at`.
std::u32string ascii_with(std::size_t n, std::size_t at, char32_t cp) {
  std::u32string s;
  for (std::size_t j = 0; j < n; ++j) s.push_back(j == at ? cp : U'a' + j % 26);
  return s;
}

class Utf16ToUtf8 : public ::testing::TestWithParam<kernel> {
 protected:
  void SetUp() override {
    if (!runnable(GetParam())) GTEST_SKIP() << "CPU lacks AVX2";
  }
  const kernel& k() const { return GetParam(); }
};

class Utf8ToUtf16 : public Utf16ToUtf8 {};

std::string kernel_name(const ::testing::TestParamInfo<kernel>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(Kernels, Utf16ToUtf8, ::testing::ValuesIn(kernels()), kernel_name);
INSTANTIATE_TEST_SUITE_P(Kernels, Utf8ToUtf16, ::testing::ValuesIn(kernels()), kernel_name);

// --- UTF-16LE -> UTF-8 ---------------------------------------------------------------------

TEST_P(Utf16ToUtf8, EmptyInputGivesEmptyOutput) {
  EXPECT_EQ(decode(k(), {}).value(), "");
}

TEST_P(Utf16ToUtf8, AsciiBecomesOneBytePerCodeUnit) {
  EXPECT_EQ(decode(k(), units_le({'H', 'e', 'l', 'l', 'o'})).value(), "Hello");
}

TEST_P(Utf16ToUtf8, CodeUnitsBelow800BecomeTwoBytesAndTheRestThree) {
  EXPECT_EQ(decode(k(), units_le({0xE9, 0x7FF, 0x800, 0x20AC, 0xFFFF})).value(),
            chars({0xC3, 0xA9, 0xDF, 0xBF, 0xE0, 0xA0, 0x80, 0xE2, 0x82, 0xAC, 0xEF, 0xBF, 0xBF}));
}

TEST_P(Utf16ToUtf8, SurrogatePairBecomesOneFourByteSequence) {
  EXPECT_EQ(decode(k(), bytes({0x3D, 0xD8, 0x00, 0xDE})).value(), chars({0xF0, 0x9F, 0x98, 0x80}));
  EXPECT_EQ(decode(k(), units_le({0xD800, 0xDC00, 0xDBFF, 0xDFFF})).value(),
            chars({0xF0, 0x90, 0x80, 0x80, 0xF4, 0x8F, 0xBF, 0xBF}));
}

TEST_P(Utf16ToUtf8, EveryLengthWithANonAsciiCharacterAtEveryPositionDecodes) {
  // Lengths up to five 32-unit AVX2 steps and every tail after them.
  for (const char32_t cp : {U'\u00E9', U'\u20AC', U'\U0001F600'}) {
    for (std::size_t n = 1; n <= 160; ++n) {
      for (std::size_t at = 0; at < n; ++at) {
        std::vector<std::uint8_t> in;
        std::string want;
        for (const char32_t c : ascii_with(n, at, cp)) append_utf16le(in, c), append_utf8(want, c);
        const auto got = decode(k(), in);
        ASSERT_TRUE(got) << got.error().message() << " n=" << n << " at=" << at;
        ASSERT_EQ(*got, want) << "n=" << n << " at=" << at;
      }
    }
  }
}

TEST_P(Utf16ToUtf8, SurrogatePairSplitAcrossBlockBoundariesDecodes) {
  for (const std::size_t at : {7, 15, 31, 63, 64, 95}) {
    std::vector<std::uint8_t> in;
    std::string want;
    for (const char32_t c : ascii_with(130, at, U'\U0010FFFF'))
      append_utf16le(in, c), append_utf8(want, c);
    EXPECT_EQ(decode(k(), in).value(), want) << "pair starts at unit " << at;
  }
}

TEST_P(Utf16ToUtf8, LoneHighSurrogateAtStartMiddleAndEndIsAnErrorWithItsOffset) {
  EXPECT_TRUE(fails_with(decode(k(), units_le({0xD83D, 'a'})), errc::lone_surrogate, 0));
  EXPECT_TRUE(fails_with(decode(k(), units_le({'a', 0xD83D, 'b'})), errc::lone_surrogate, 2));
  EXPECT_TRUE(fails_with(decode(k(), units_le({'a', 'b', 0xD83D})), errc::lone_surrogate, 4));
  EXPECT_TRUE(fails_with(decode(k(), units_le({0xD83D, 0xD83D, 0xDE00})), errc::lone_surrogate, 0));
}

TEST_P(Utf16ToUtf8, LoneLowSurrogateAtStartMiddleAndEndIsAnErrorWithItsOffset) {
  EXPECT_TRUE(fails_with(decode(k(), units_le({0xDE00, 'a'})), errc::lone_surrogate, 0));
  EXPECT_TRUE(fails_with(decode(k(), units_le({'a', 0xDC00, 'b'})), errc::lone_surrogate, 2));
  EXPECT_TRUE(fails_with(decode(k(), units_le({'a', 'b', 0xDFFF})), errc::lone_surrogate, 4));
  EXPECT_TRUE(fails_with(decode(k(), units_le({0xDE00, 0xD83D})), errc::lone_surrogate, 0));
}

TEST_P(Utf16ToUtf8, LoneSurrogateAtEveryPositionAroundBlockBoundariesIsReportedAtItsOffset) {
  for (const char16_t lone : {u'\xD800', u'\xDBFF', u'\xDC00', u'\xDFFF'}) {
    for (std::size_t n = 1; n <= 200; ++n) {
      for (std::size_t at = 0; at < n; ++at) {
        std::vector<std::uint8_t> in;
        for (const char32_t c : ascii_with(n, at, lone)) append_utf16le(in, c);
        ASSERT_TRUE(fails_with(decode(k(), in), errc::lone_surrogate, 2 * at))
            << "n=" << n << " at=" << at;
      }
    }
  }
}

TEST_P(Utf16ToUtf8, LoneHighSurrogateAtBlockEndIsAnErrorWithItsOffset) {
  for (const std::size_t at : {15, 31, 63}) {
    std::vector<std::uint8_t> in;
    for (const char32_t c : ascii_with(128, at, 0xD800)) append_utf16le(in, c);
    EXPECT_TRUE(fails_with(decode(k(), in), errc::lone_surrogate, 2 * at));
  }
}

TEST_P(Utf16ToUtf8, OddByteCountIsAnErrorAtTheLastByte) {
  EXPECT_TRUE(fails_with(decode(k(), bytes({'a'})), errc::odd_length, 0));
  EXPECT_TRUE(fails_with(decode(k(), bytes({'a', 0, 0x3D, 0xD8, 'b'})), errc::odd_length, 4));
  std::vector<std::uint8_t> long_odd(201, 'a');
  EXPECT_TRUE(fails_with(decode(k(), long_odd), errc::odd_length, 200));
}

TEST_P(Utf16ToUtf8, ReplacePolicyWritesFffdForEachLoneSurrogate) {
  EXPECT_EQ(decode(k(), units_le({'a', 0xD800, 'b', 0xDC00, 0xDC00, 0xD83D, 0xDE00, 0xDBFF}),
                   policy::replace)
                .value(),
            "a\uFFFD"
            "b\uFFFD\uFFFD\U0001F600\uFFFD");
}

TEST_P(Utf16ToUtf8, ReplacePolicyStillRejectsAnOddByteCount) {
  EXPECT_TRUE(fails_with(decode(k(), bytes({0, 0xD8, 'a'}), policy::replace), errc::odd_length, 2));
}

TEST_P(Utf16ToUtf8, ShortBufferIsAnErrorAtTheFirstCodeUnitThatDoesNotFit) {
  std::vector<std::uint8_t> in;
  std::vector<std::size_t> unit_at, utf8_end;  // per code point: input offset, output end
  std::string all;
  for (const char32_t c : ascii_with(100, 40, U'\U0001F600') + U"\u00E9\u20AC") {
    unit_at.push_back(in.size());
    append_utf16le(in, c);
    append_utf8(all, c);
    utf8_end.push_back(all.size());
  }
  for (std::size_t cap = 0; cap < all.size(); ++cap) {
    std::string out(cap, '\0');
    std::size_t first_missing = 0;
    while (utf8_end[first_missing] <= cap) ++first_missing;
    ASSERT_TRUE(fails_with(k().to_utf8(in, out, policy::strict), errc::buffer_too_small,
                           unit_at[first_missing]))
        << "cap=" << cap;
  }
  std::string exact(all.size(), '\0');
  EXPECT_EQ(k().to_utf8(in, exact, policy::strict).value(), all.size());
  EXPECT_EQ(exact, all);
}

// --- UTF-8 -> UTF-16LE ---------------------------------------------------------------------

TEST_P(Utf8ToUtf16, AsciiAndMultiByteSequencesEncode) {
  EXPECT_EQ(encode(k(), "").value(), bytes({}));
  EXPECT_EQ(encode(k(), "Hi").value(), units_le({'H', 'i'}));
  EXPECT_EQ(encode(k(), "\u00E9\u07FF\u0800\uFFFF\U0001F600\U0010FFFF").value(),
            units_le({0xE9, 0x7FF, 0x800, 0xFFFF, 0xD83D, 0xDE00, 0xDBFF, 0xDFFF}));
}

TEST_P(Utf8ToUtf16, OverlongFormsAreInvalidAtTheirFirstByte) {
  EXPECT_TRUE(fails_with(encode(k(), chars({'a', 0xC0, 0x80})), errc::invalid_utf8, 1));
  EXPECT_TRUE(fails_with(encode(k(), chars({'a', 0xC1, 0xBF})), errc::invalid_utf8, 1));
  EXPECT_TRUE(fails_with(encode(k(), chars({'a', 'b', 0xE0, 0x80, 0x80})), errc::invalid_utf8, 2));
  EXPECT_TRUE(fails_with(encode(k(), chars({0xE0, 0x9F, 0xBF})), errc::invalid_utf8, 0));
  EXPECT_TRUE(fails_with(encode(k(), chars({0xF0, 0x80, 0x80, 0x80})), errc::invalid_utf8, 0));
  EXPECT_TRUE(fails_with(encode(k(), chars({'x', 0xF0, 0x8F, 0xBF, 0xBF})), errc::invalid_utf8, 1));
}

TEST_P(Utf8ToUtf16, EncodedSurrogatesAreInvalid) {
  EXPECT_TRUE(fails_with(encode(k(), chars({0xED, 0xA0, 0x80})), errc::invalid_utf8, 0));
  EXPECT_TRUE(fails_with(encode(k(), chars({'a', 0xED, 0xBF, 0xBF})), errc::invalid_utf8, 1));
  EXPECT_EQ(encode(k(), chars({0xED, 0x9F, 0xBF})).value(), units_le({0xD7FF}));
}

TEST_P(Utf8ToUtf16, CodePointsAbove10FFFFAreInvalid) {
  EXPECT_TRUE(fails_with(encode(k(), chars({0xF4, 0x90, 0x80, 0x80})), errc::invalid_utf8, 0));
  EXPECT_TRUE(fails_with(encode(k(), chars({'a', 0xF5, 0x80, 0x80, 0x80})), errc::invalid_utf8, 1));
  EXPECT_TRUE(fails_with(encode(k(), chars({'a', 'b', 0xFF})), errc::invalid_utf8, 2));
}

TEST_P(Utf8ToUtf16, TruncatedSequencesAreInvalidAtTheirFirstByte) {
  EXPECT_TRUE(fails_with(encode(k(), chars({'a', 0xC3})), errc::invalid_utf8, 1));
  EXPECT_TRUE(fails_with(encode(k(), chars({'a', 'b', 0xE2, 0x82})), errc::invalid_utf8, 2));
  EXPECT_TRUE(fails_with(encode(k(), chars({0xF0, 0x9F, 0x98})), errc::invalid_utf8, 0));
  EXPECT_TRUE(fails_with(encode(k(), chars({0xE2, 0x82, 'x'})), errc::invalid_utf8, 0));
}

TEST_P(Utf8ToUtf16, StrayContinuationByteIsInvalidAtItsOffset) {
  EXPECT_TRUE(fails_with(encode(k(), chars({0x80})), errc::invalid_utf8, 0));
  EXPECT_TRUE(fails_with(encode(k(), chars({'a', 0xC3, 0xA9, 0xBF})), errc::invalid_utf8, 3));
}

TEST_P(Utf8ToUtf16, InvalidByteAtEveryPositionAroundBlockBoundariesIsReportedAtItsOffset) {
  for (const int bad : {0x80, 0xC0, 0xE0, 0xFF}) {
    for (std::size_t n = 1; n <= 200; ++n) {
      for (std::size_t at = 0; at < n; ++at) {
        std::string in(n, 'a');
        in[at] = static_cast<char>(bad);
        ASSERT_TRUE(fails_with(encode(k(), in), errc::invalid_utf8, at))
            << "n=" << n << " at=" << at;
      }
    }
  }
}

TEST_P(Utf8ToUtf16, EveryLengthWithAMultiByteSequenceAtEveryPositionEncodes) {
  for (const char32_t cp : {U'\u00E9', U'\u20AC', U'\U0001F600'}) {
    for (std::size_t n = 1; n <= 150; ++n) {
      for (std::size_t at = 0; at < n; ++at) {
        std::string in;
        std::vector<std::uint8_t> want;
        for (const char32_t c : ascii_with(n, at, cp)) append_utf8(in, c), append_utf16le(want, c);
        ASSERT_EQ(encode(k(), in).value(), want) << "n=" << n << " at=" << at;
      }
    }
  }
}

// Unicode 16.0, 3.9, table 3-8: "U+FFFD for each maximal subpart".
TEST_P(Utf8ToUtf16, ReplacePolicyWritesOneFffdPerMaximalSubpart) {
  const auto in =
      chars({0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62, 0x80, 0x63, 0x80, 0xBF, 0x64});
  EXPECT_EQ(encode(k(), in, policy::replace).value(),
            units_le({0x61, 0xFFFD, 0xFFFD, 0xFFFD, 0x62, 0xFFFD, 0x63, 0xFFFD, 0xFFFD, 0x64}));
  EXPECT_EQ(
      encode(k(), chars({0xE0, 0x80, 0x80, 0xED, 0xA0, 0x80, 0xF4, 0x90}), policy::replace).value(),
      units_le({0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD}));
  EXPECT_EQ(encode(k(), chars({0xF0, 0x9F, 0x98, 'a', 0xC0}), policy::replace).value(),
            units_le({0xFFFD, 'a', 0xFFFD}));
}

TEST_P(Utf8ToUtf16, ShortBufferIsAnErrorAtTheFirstSequenceThatDoesNotFit) {
  std::string in;
  std::vector<std::uint8_t> all;
  std::vector<std::size_t> seq_at, utf16_end;
  for (const char32_t c : ascii_with(90, 70, U'\U0001F600') + U"\u00E9") {
    seq_at.push_back(in.size());
    append_utf8(in, c);
    append_utf16le(all, c);
    utf16_end.push_back(all.size());
  }
  for (std::size_t cap = 0; cap < all.size(); ++cap) {
    std::vector<std::uint8_t> out(cap);
    std::size_t first_missing = 0;
    while (utf16_end[first_missing] <= cap) ++first_missing;
    ASSERT_TRUE(fails_with(k().from_utf8(in, out, policy::strict), errc::buffer_too_small,
                           seq_at[first_missing]))
        << "cap=" << cap;
  }
}

TEST_P(Utf8ToUtf16, RandomValidTextRoundTripsThroughUtf16) {
  std::mt19937 rng(16);
  const kernel& kk = k();
  for (int round = 0; round < 2000; ++round) {
    std::string utf8;
    std::vector<std::uint8_t> want;
    const std::size_t n = rng() % 200;
    for (std::size_t j = 0; j < n; ++j) {
      char32_t cp = 0;
      switch (rng() % 5) {
        case 0:
        case 1: cp = rng() % 0x80; break;
        case 2: cp = 0x80 + rng() % 0x780; break;
        case 3: cp = 0x800 + rng() % 0xF800; break;
        default: cp = 0x10000 + rng() % 0x100000;
      }
      if (cp >= 0xD800 && cp < 0xE000) cp -= 0x800;
      append_utf8(utf8, cp);
      append_utf16le(want, cp);
    }
    const auto wide = encode(kk, utf8);
    ASSERT_EQ(wide.value(), want);
    ASSERT_EQ(decode(kk, *wide).value(), utf8);
  }
}

// --- public API ----------------------------------------------------------------------------

TEST(Utf16Api, BoundsHoldTheWorstCase) {
  static_assert(oxwire::utf16::utf8_bound(2) == 3 && oxwire::utf16::utf16_bound(1) == 2);
  const auto three = units_le({0xFFFF, 0xFFFF});
  EXPECT_EQ(oxwire::utf16::to_utf8(three).value().size(), oxwire::utf16::utf8_bound(4));
  EXPECT_EQ(oxwire::utf16::from_utf8("ab").value().size(), oxwire::utf16::utf16_bound(2));
}

TEST(Utf16Api, AllocatingOverloadsRoundTripAndReportErrors) {
  const auto wide = oxwire::utf16::from_utf8("Gr\u00FC\u00DFe \U0001F600").value();
  EXPECT_EQ(oxwire::utf16::to_utf8(wide).value(), "Gr\u00FC\u00DFe \U0001F600");
  EXPECT_TRUE(fails_with(oxwire::utf16::from_utf8("ok\xC0"), errc::invalid_utf8, 2));
  EXPECT_EQ(oxwire::utf16::from_utf8("ok\xC0", policy::replace).value(),
            units_le({'o', 'k', 0xFFFD}));
}

TEST(Utf16Api, HostChar16StringsDecodeWithByteOffsets) {
  EXPECT_EQ(oxwire::utf16::to_utf8(std::u16string_view(u"caf\u00E9 \U0001F600")).value(),
            "caf\u00E9 \U0001F600");
  const char16_t lone[] = {u'a', 0xDC00, 0};
  EXPECT_TRUE(
      fails_with(oxwire::utf16::to_utf8(std::u16string_view(lone)), errc::lone_surrogate, 2));
  std::string out(3, '\0');
  EXPECT_EQ(oxwire::utf16::to_utf8(std::u16string_view(u"\u20AC"), out).value(), 3u);
}

TEST(Utf16Api, ErrorMessageNamesTheReasonAndOffset) {
  const auto r = oxwire::utf16::to_utf8(units_le({'a', 0xD800, 'b'}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), "lone UTF-16 surrogate (high surrogate without low) at offset 2");
}

// --- AVX2 against the scalar reference -----------------------------------------------------

#if OXWIRE_X86
template <class T>
void expect_same(const oxwire::result<std::size_t>& simd, const oxwire::result<std::size_t>& ref,
                 const T& simd_out, const T& ref_out) {
  ASSERT_EQ(simd.has_value(), ref.has_value())
      << (simd ? ref.error().message() : simd.error().message());
  if (!ref) {
    ASSERT_EQ(simd.error(), ref.error())
        << simd.error().message() << " vs " << ref.error().message();
    ASSERT_STREQ(simd.error().what, ref.error().what);
    return;
  }
  ASSERT_EQ(*simd, *ref);
  ASSERT_TRUE(std::equal(simd_out.begin(), simd_out.begin() + *ref, ref_out.begin()));
}

class Avx2Utf16 : public ::testing::Test {
 protected:
  void SetUp() override {
    if (detail::best_isa() != detail::isa::avx2) GTEST_SKIP() << "CPU lacks AVX2";
  }
};

TEST_F(Avx2Utf16, ToUtf8MatchesScalarOnRandomValidAndInvalidInput) {
  std::mt19937 rng(1600);
  for (int round = 0; round < 20000; ++round) {
    std::vector<std::uint16_t> units;
    const std::size_t n = rng() % 300;
    const unsigned ascii_share = rng() % 101;  // percent
    for (std::size_t j = 0; j < n; ++j) {
      if (rng() % 100 < ascii_share) {
        units.push_back(rng() % 0x80);
        continue;
      }
      switch (rng() % 6) {
        case 0: units.push_back(0x80 + rng() % 0x780); break;
        case 1:
        case 2: units.push_back(0x800 + rng() % 0xF800); break;  // may be a lone surrogate
        case 3: units.push_back(0xD800 + rng() % 0x400); break;
        case 4: units.push_back(0xDC00 + rng() % 0x400); break;
        default: units.push_back(0xD800 + rng() % 0x400), units.push_back(0xDC00 + rng() % 0x400);
      }
    }
    std::vector<std::uint8_t> in;
    for (const auto u : units) in.push_back(static_cast<std::uint8_t>(u)), in.push_back(u >> 8);
    if (rng() % 16 == 0) in.push_back('x');
    const std::size_t bound = oxwire::utf16::utf8_bound(in.size());
    const std::size_t cap = rng() % 4 ? bound : rng() % (bound + 1);
    for (const policy p : {policy::strict, policy::replace}) {
      std::string simd_out(cap, '\0'), ref_out(cap, '\0');
      const auto simd = detail::utf16_to_utf8_avx2(in, simd_out, p);
      const auto ref = detail::utf16_to_utf8_scalar(in, ref_out, p);
      ASSERT_NO_FATAL_FAILURE(expect_same(simd, ref, simd_out, ref_out)) << "round " << round;
    }
  }
}

TEST_F(Avx2Utf16, FromUtf8MatchesScalarOnRandomValidAndInvalidInput) {
  std::mt19937 rng(816);
  for (int round = 0; round < 20000; ++round) {
    std::string in;
    const std::size_t n = rng() % 200;
    const unsigned ascii_share = rng() % 101;
    for (std::size_t j = 0; j < n; ++j) {
      char32_t cp = rng() % 0x80;
      if (rng() % 100 >= ascii_share)
        cp = rng() % 3 ? 0x80 + rng() % 0xD000 : 0x10000 + rng() % 0x100000;
      append_utf8(in, cp);
    }
    for (unsigned faults = rng() % 3; faults > 0 && !in.empty(); --faults)
      in[rng() % in.size()] = static_cast<char>(rng());
    if (rng() % 8 == 0 && !in.empty()) in.pop_back();
    const std::size_t bound = oxwire::utf16::utf16_bound(in.size());
    const std::size_t cap = rng() % 4 ? bound : rng() % (bound + 1);
    for (const policy p : {policy::strict, policy::replace}) {
      std::vector<std::uint8_t> simd_out(cap), ref_out(cap);
      const auto simd = detail::utf8_to_utf16_avx2(in, simd_out, p);
      const auto ref = detail::utf8_to_utf16_scalar(in, ref_out, p);
      ASSERT_NO_FATAL_FAILURE(expect_same(simd, ref, simd_out, ref_out)) << "round " << round;
    }
  }
}
#endif

}  // namespace test_utf16
