// guid: registry string form (parse, format, compile-time literals), MS-DTYP 2.3.4.2 wire bytes,
// ordering and hashing.
#include <oxwire/core/guid.hpp>

#include <gtest/gtest.h>
#include <oxwire_test/assertions.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace test_guid {

using oxwire_test::bytes_of;
using oxwire_test::fails_with;

using oxwire::errc;
using oxwire::guid;

constexpr guid PS_PUBLIC_STRINGS = guid::from_string("{00020329-0000-0000-C000-000000000046}");
constexpr guid PSETID_Appointment = guid::from_string("00062002-0000-0000-C000-000000000046");

// MS-OXPROPS 1.3.2: PS_PUBLIC_STRINGS in its packet representation (MS-DTYP 2.3.4.2).
constexpr std::array<std::uint8_t, 16> kPublicStringsWire = {
    0x29, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46};

TEST(Guid, LiteralsAreConstantExpressions) {
  static_assert(PS_PUBLIC_STRINGS.Data1 == 0x00020329);
  static_assert(PS_PUBLIC_STRINGS == guid{0x00020329, 0, 0, {0xC0, 0, 0, 0, 0, 0, 0, 0x46}});
  static_assert(PSETID_Appointment.Data1 == 0x00062002);
  static_assert(guid::parse("{00020329-0000-0000-c000-000000000046}").value() == PS_PUBLIC_STRINGS);
  EXPECT_EQ(PS_PUBLIC_STRINGS.Data4[7], 0x46u);
}

// Whether `guid::from_string(S)` is a constant expression, i.e. whether a table entry with this
// literal compiles.
template <std::size_t N>
struct literal {
  char text[N];
  constexpr literal(const char (&s)[N]) { std::copy_n(s, N, text); }  // implicit on purpose
  constexpr std::string_view view() const { return {text, N - 1}; }
};
template <literal S>
concept compiles_as_guid_literal = requires {
  typename std::integral_constant<std::uint32_t, guid::from_string(S.view()).Data1>;
};

TEST(Guid, BadLiteralsDoNotCompile) {
  static_assert(compiles_as_guid_literal<"{00020329-0000-0000-C000-000000000046}">);
  static_assert(!compiles_as_guid_literal<"{00020329-0000-0000-C000-00000000004G}">);
  static_assert(!compiles_as_guid_literal<"00020329-0000-0000-C000">);
  // At run time the same mistake throws, like result<T>::value().
  const std::string bad = "{00020329-0000-0000-C000-00000000004G}";
  try {
    (void)guid::from_string(bad);
    ADD_FAILURE() << "no exception";
  } catch (const oxwire::decode_error& e) {
    EXPECT_EQ(e.error().code, errc::invalid_guid);
    EXPECT_EQ(e.error().offset, 36u);
  }
}

TEST(Guid, ParsesBracedAndBareFormsOfEitherCase) {
  const guid expected{0x01234567, 0x89AB, 0xCDEF, {0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10}};
  for (std::string_view s :
       {"{01234567-89AB-CDEF-FEDC-BA9876543210}", "01234567-89ab-cdef-fedc-ba9876543210",
        "{01234567-89aB-CdEf-FeDc-bA9876543210}"}) {
    SCOPED_TRACE(s);
    const auto g = guid::parse(s);
    ASSERT_TRUE(g) << g.error().message();
    EXPECT_EQ(*g, expected);
  }
}

TEST(Guid, FormatsUppercaseBracedAndRoundTrips) {
  EXPECT_EQ(PS_PUBLIC_STRINGS.to_string(), "{00020329-0000-0000-C000-000000000046}");
  EXPECT_EQ(guid{}.to_string(), "{00000000-0000-0000-0000-000000000000}");
  for (std::string_view s :
       {"{FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF}", "{6ED8DA90-450B-101B-98DA-00AA003F1305}",
        "{0006200B-0000-0000-C000-000000000046}"}) {
    const auto g = guid::parse(s);
    ASSERT_TRUE(g);
    EXPECT_EQ(g->to_string(), s);
  }
  EXPECT_EQ(guid::parse("6ed8da90-450b-101b-98da-00aa003f1305")->to_string(),
            "{6ED8DA90-450B-101B-98DA-00AA003F1305}");
}

TEST(Guid, RejectsMalformedStringsAtTheOffendingCharacter) {
  struct bad_case {
    std::string_view text;
    std::size_t offset;
    const char* what;
  };
  const bad_case cases[] = {
      {"", 0, "GUID too short"},
      {"{", 1, "GUID too short"},
      {"00020329-0000-0000-C000-00000000004", 35, "GUID too short"},    // one digit short
      {"{00020329-0000-0000-C000-000000000046", 37, "GUID too short"},  // no '}'
      {"00020329-0000-0000-C000-0000000000461", 36, "GUID trailing characters"},
      {"00020329-0000-0000-C000-000000000046}", 36, "GUID trailing characters"},
      {"{00020329-0000-0000-C000-000000000046}}", 38, "GUID trailing characters"},
      {"{00020329-0000-0000-C000-000000000046)", 37, "GUID '}'"},
      {"{00020329-0000-0000-C000-00000000004}", 36, "GUID hex digit"},
      {"0002032G-0000-0000-C000-000000000046", 7, "GUID hex digit"},
      {"00020329-0000-0000-C000-00000000004x", 35, "GUID hex digit"},
      {"00020329_0000-0000-C000-000000000046", 8, "GUID '-'"},
      {"000203290000-0000-C000-000000000046", 8, "GUID '-'"},  // missing dash
      {"00020329-0000-0000-C000000000000046", 23, "GUID '-'"},
      {" {00020329-0000-0000-C000-000000000046}", 0, "GUID hex digit"},
      {"(00020329-0000-0000-C000-000000000046)", 0, "GUID hex digit"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_TRUE(fails_with(guid::parse(c.text), errc::invalid_guid, c.offset, c.what));
  }
}

TEST(Guid, WireBytesOfPS_PUBLIC_STRINGS) {
  std::vector<std::uint8_t> out;
  oxwire::vector_writer w(out);
  ASSERT_TRUE(oxwire::encode(w, PS_PUBLIC_STRINGS));
  EXPECT_TRUE(
      std::equal(out.begin(), out.end(), kPublicStringsWire.begin(), kPublicStringsWire.end()));

  oxwire::reader in(kPublicStringsWire);
  guid g;
  ASSERT_TRUE(oxwire::decode(in, g));
  EXPECT_EQ(g, PS_PUBLIC_STRINGS);
  EXPECT_TRUE(in.empty());
}

TEST(Guid, WireFormRoundTripsAndKeepsFieldOrder) {
  const guid g = guid::from_string("{01234567-89AB-CDEF-0011-223344556677}");
  std::array<std::uint8_t, 16> buf{};
  oxwire::writer w(buf);
  ASSERT_TRUE(oxwire::encode(w, g));
  EXPECT_EQ(buf, (std::array<std::uint8_t, 16>{0x67, 0x45, 0x23, 0x01, 0xAB, 0x89, 0xEF, 0xCD, 0x00,
                                               0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77}));
  oxwire::reader in(buf);
  guid back;
  ASSERT_TRUE(oxwire::decode(in, back));
  EXPECT_EQ(back, g);
}

TEST(Guid, TruncatedWireFormLeavesEverythingUnchanged) {
  oxwire::reader in(oxwire::bytes_view(kPublicStringsWire).first(15), 200);
  guid g = PSETID_Appointment;
  EXPECT_TRUE(
      fails_with(oxwire::decode(in, g, "PropertySet"), errc::truncated, 200, "PropertySet"));
  EXPECT_EQ(g, PSETID_Appointment);
  EXPECT_EQ(in.offset(), 200u);
}

TEST(Guid, FullBufferGetsNoPartialGuid) {
  std::array<std::uint8_t, 20> buf{};
  oxwire::writer w(oxwire::mutable_bytes(buf).first(15));
  EXPECT_TRUE(fails_with(oxwire::encode(w, PS_PUBLIC_STRINGS), errc::buffer_too_small, 0));
  EXPECT_EQ(w.size(), 0u);
  EXPECT_EQ(buf, (std::array<std::uint8_t, 20>{}));
}

TEST(Guid, OrderIsTheOrderOfTheCanonicalStrings) {
  std::vector<guid> guids;
  for (std::string_view s :
       {"{00020329-0000-0000-C000-000000000046}", "{00000001-0000-0000-0000-000000000000}",
        "{00000000-FFFF-FFFF-FFFF-FFFFFFFFFFFF}", "{00000000-0001-0000-0000-000000000000}",
        "{00000000-0000-0001-0000-000000000000}", "{00000000-0000-0000-0000-000000000001}",
        "{00000000-0000-0000-0100-000000000000}", "{01000000-0000-0000-0000-000000000000}",
        "{6ED8DA90-450B-101B-98DA-00AA003F1305}"})
    guids.push_back(guid::parse(s).value());
  std::vector<std::string> strings;
  for (const auto& g : guids) strings.push_back(g.to_string());
  std::sort(guids.begin(), guids.end());
  std::sort(strings.begin(), strings.end());
  for (std::size_t i = 0; i < guids.size(); ++i) EXPECT_EQ(guids[i].to_string(), strings[i]);
  EXPECT_LT(guid{}, PS_PUBLIC_STRINGS);
  EXPECT_NE(PS_PUBLIC_STRINGS, PSETID_Appointment);
}

TEST(Guid, HashSeparatesGuidsThatDifferInOneField) {
  const guid base = PS_PUBLIC_STRINGS;
  std::vector<guid> variants = {base};
  for (int field = 0; field < 11; ++field) {
    guid g = base;
    if (field == 0) g.Data1 ^= 1;
    if (field == 1) g.Data2 ^= 1;
    if (field == 2) g.Data3 ^= 1;
    if (field >= 3) g.Data4[static_cast<std::size_t>(field - 3)] ^= 1;
    variants.push_back(g);
  }
  std::unordered_set<std::size_t> hashes;
  for (const auto& g : variants) hashes.insert(std::hash<guid>{}(g));
  EXPECT_EQ(hashes.size(), variants.size());
  EXPECT_EQ(std::hash<guid>{}(base), std::hash<guid>{}(guid::parse(base.to_string()).value()));
  const std::unordered_set<guid> set(variants.begin(), variants.end());
  EXPECT_EQ(set.size(), variants.size());
  EXPECT_EQ(set.count(PS_PUBLIC_STRINGS), 1u);
}

}  // namespace test_guid
