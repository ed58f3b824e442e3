// MS-OXCDATA 2.11 property values and the structures built from them: spec examples byte for
// byte, a round trip for every property type in both COUNT widths, and every rejection.
#include <gtest/gtest.h>

#include <oxwire/core/hex.hpp>
#include <oxwire/mapi/value_codec.hpp>
#include <oxwire_test/assertions.hpp>

#include <iterator>
#include <random>
#include <vector>

namespace test_value {

using namespace oxwire;
using namespace oxwire::mapi;
using errc = oxwire::mapi::errc;
using enum PropertyType;
using oxwire_test::bytes_of;

using oxwire_test::from_hex;

template <class F>
std::vector<std::uint8_t> encoded(F&& f) {
  std::vector<std::uint8_t> out;
  vector_writer w(out);
  EXPECT_TRUE(f(w));
  return out;
}

// One owned sample per property type that carries a value (restrictions and rule actions have
// their own tests).
std::vector<property_value> samples() {
  std::vector<property_value> v;
  v.push_back(property_value{});
  v.push_back(property_value::make<PtypInteger16>(-2));
  v.push_back(property_value::make<PtypInteger32>(0x12345678));
  v.push_back(property_value::make<PtypFloating32>(1.5f));
  v.push_back(property_value::make<PtypFloating64>(-2.25));
  v.push_back(property_value::make<PtypCurrency>({123456}));
  v.push_back(property_value::make<PtypFloatingTime>({5.25}));
  v.push_back(property_value::make<PtypErrorCode>(ErrorCode{0x8004010F}));
  v.push_back(property_value::make<PtypBoolean>(true));
  v.push_back(property_value::make<PtypInteger64>(-1));
  v.push_back(property_value::make<PtypString>(u"Hello World \U0001F600"));
  v.push_back(property_value::make<PtypString8>("plain"));
  v.push_back(property_value::make<PtypTime>({128894976000000000}));
  v.push_back(
      property_value::make<PtypGuid>(guid::from_string("{00062008-0000-0000-C000-000000000046}")));
  v.push_back(property_value::make<PtypServerId>({1, 0x0100000000000001, 0, 0, {}}));
  v.push_back(property_value::make<PtypServerId>({0, 0, 0, 0, {9, 8, 7}}));
  v.push_back(property_value::make<PtypBinary>({0x00, 0xFF, 0x10}));
  v.push_back(property_value::make<PtypObject>({0x01}));
  v.push_back(property_value::make<PtypMultipleInteger16>({1, -1}));
  v.push_back(property_value::make<PtypMultipleInteger32>({1, 2, 3}));
  v.push_back(property_value::make<PtypMultipleFloating32>({0.5f}));
  v.push_back(property_value::make<PtypMultipleFloating64>({0.25, 1e300}));
  v.push_back(property_value::make<PtypMultipleCurrency>({{1}, {-1}}));
  v.push_back(property_value::make<PtypMultipleFloatingTime>({{1.0}}));
  v.push_back(property_value::make<PtypMultipleInteger64>({1LL << 40}));
  v.push_back(property_value::make<PtypMultipleString>({u"a", u"", u"\u00e9t\u00e9"}));
  v.push_back(property_value::make<PtypMultipleString8>({"x", ""}));
  v.push_back(property_value::make<PtypMultipleTime>({{1}, {2}}));
  v.push_back(property_value::make<PtypMultipleGuid>(
      {guid{}, guid::from_string("{00020329-0000-0000-C000-000000000046}")}));
  v.push_back(property_value::make<PtypMultipleBinary>({{1, 2}, {}}));
  v.push_back(property_value::make<PtypMultipleInteger32>({}));
  return v;
}

class RoundTrip : public ::testing::TestWithParam<count_width> {};

TEST_P(RoundTrip, EveryTypeThroughViewsAndBack) {
  const value_options opts{.counts = GetParam()};
  for (const property_value& v : samples()) {
    SCOPED_TRACE(static_cast<int>(v.type()));
    const auto bytes = encoded([&](auto& w) { return encode_value(w, v, opts); });
    reader in(bytes);
    auto d = decode_value(in, v.type(), opts);
    ASSERT_TRUE(d) << d.error().message();
    EXPECT_TRUE(in.empty());
    EXPECT_EQ(to_owned(*d), v);
    // The view encodes to the same bytes without going through the owned form.
    EXPECT_EQ(encoded([&](auto& w) { return encode_value(w, *d, opts); }), bytes);

    // Typed and tagged forms carry the type on the wire.
    const auto typed = encoded([&](auto& w) { return encode_typed_value(w, v, opts); });
    reader tin(typed);
    auto t = decode_typed_value(tin, opts);
    ASSERT_TRUE(t);
    EXPECT_EQ(to_owned(*t), v);
    const tagged_value tv{property_tag::make(0x6001, v.type()), v};
    const auto tagged = encoded([&](auto& w) { return encode_tagged_value(w, tv, opts); });
    reader gin(tagged);
    auto g = decode_tagged_value(gin, opts);
    ASSERT_TRUE(g);
    EXPECT_EQ(to_owned(*g), tv);

    // Every strict prefix of a value that has bytes is an error, never a partial value.
    for (std::size_t n = 0; n < tagged.size(); ++n) {
      reader cut(bytes_view(tagged).first(n));
      auto r = decode_tagged_value(cut, opts);
      ASSERT_FALSE(r) << "prefix " << n;
      EXPECT_LE(r.error().offset, n);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(CountWidths, RoundTrip,
                         ::testing::Values(count_width::rop, count_width::extended));

// MS-OXCPRPT 4.3.1: the PropertyValues of the RopSetProperties request in "Setting Properties".
TEST(SpecExample, SetPropertiesValuesByteForByte) {
  const auto buffer = from_hex(
      "0A 00 00 24 00 02 00 1F 00 3D 00 00 00 1F 00 1D"
      "0E 48 00 65 00 6C 00 6C 00 6F 00 20 00 57 00 6F"
      "00 72 00 6C 00 64 00 00 00");
  reader in(bytes_view(buffer).subspan(7), 7);
  auto subject_prefix = decode_tagged_value(in);
  ASSERT_TRUE(subject_prefix);
  EXPECT_EQ(subject_prefix->tag, property_tag{0x003D001F});  // PidTagSubjectPrefix
  EXPECT_EQ(subject_prefix->value.get_if<PtypString>()->units(), 0u);
  auto normalized = decode_tagged_value(in);
  ASSERT_TRUE(normalized);
  EXPECT_EQ(normalized->tag, property_tag{0x0E1D001F});  // PidTagNormalizedSubject
  EXPECT_EQ(normalized->value.get_if<PtypString>()->to_u16string(), u"Hello World");
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(in.offset(), buffer.size());

  // Built from owned values, the same 36 - 2 bytes come out.
  const std::vector<tagged_value> values{
      {property_tag{0x003D001F}, property_value::make<PtypString>(u"")},
      {property_tag{0x0E1D001F}, property_value::make<PtypString>(u"Hello World")}};
  const auto out = encoded([&](auto& w) {
    for (const auto& v : values)
      if (!encode_tagged_value(w, v)) return false;
    return true;
  });
  EXPECT_EQ(out, std::vector<std::uint8_t>(buffer.begin() + 7, buffer.end()));
}

TEST(Layout, CountWidthsFollowTheContext) {
  // MS-OXCDATA 2.11.1.1: PtypBinary byte counts are 16 bits in ROP buffers, 32 in extended rules;
  // PtypMultiple value counts are 32 bits in both.
  const auto bin = property_value::make<PtypBinary>({0xAB});
  EXPECT_EQ(encoded([&](auto& w) { return encode_value(w, bin); }), from_hex("01 00 AB"));
  EXPECT_EQ(
      encoded([&](auto& w) { return encode_value(w, bin, {.counts = count_width::extended}); }),
      from_hex("01 00 00 00 AB"));
  const auto mv = property_value::make<PtypMultipleBinary>({{0xAB}});
  EXPECT_EQ(encoded([&](auto& w) { return encode_value(w, mv); }),
            from_hex("01 00 00 00 01 00 AB"));
  const auto mvi = property_value::make<PtypMultipleInteger16>({1, 2});
  EXPECT_EQ(encoded([&](auto& w) { return encode_value(w, mvi); }),
            from_hex("02 00 00 00 01 00 02 00"));
}

TEST(Layout, ScalarsStringsAndServerIds) {
  EXPECT_EQ(
      encoded([](auto& w) { return encode_value(w, property_value::make<PtypString>(u"Hi")); }),
      from_hex("48 00 69 00 00 00"));
  EXPECT_EQ(
      encoded([](auto& w) { return encode_value(w, property_value::make<PtypString8>("Hi")); }),
      from_hex("48 69 00"));
  EXPECT_EQ(
      encoded([](auto& w) { return encode_value(w, property_value::make<PtypBoolean>(true)); }),
      from_hex("01"));
  // MS-OXCDATA 2.11.1.4: COUNT 21, Ours 1, folder ID, message ID, instance.
  EXPECT_EQ(encoded([](auto& w) {
              return encode_value(
                  w, property_value::make<PtypServerId>({1, 0x0807060504030201, 0, 7, {}}));
            }),
            from_hex("15 00 01 01 02 03 04 05 06 07 08 00 00 00 00 00 00 00 00 07 00 00 00"));
}

TEST(Reject, UnknownAndValuelessTypes) {
  const auto typed = from_hex("99 00 00");
  reader in(typed);
  EXPECT_TRUE(oxwire_test::fails_with(decode_typed_value(in), errc::unknown_property_type, 0));
  reader in2(typed);
  EXPECT_TRUE(
      oxwire_test::fails_with(decode_value(in2, PtypUnspecified), errc::type_has_no_value, 0));
  const auto tagged = from_hex("34 12 01 00 00");
  reader in3(tagged);
  EXPECT_TRUE(oxwire_test::fails_with(decode_tagged_value(in3), errc::unknown_property_type, 0));
}

TEST(Reject, CountsLargerThanTheBytesLeft) {
  const auto mv = from_hex("FF FF FF FF 01 00 00 00");
  reader in(mv);
  EXPECT_TRUE(
      oxwire_test::fails_with(decode_value(in, PtypMultipleInteger32), errc::count_too_large, 0));
  reader in2(mv);
  EXPECT_TRUE(
      oxwire_test::fails_with(decode_value(in2, PtypMultipleString), errc::count_too_large, 0));
  const auto bin = from_hex("10 00 01 02");
  reader in3(bin);
  EXPECT_TRUE(oxwire_test::fails_with(decode_value(in3, PtypBinary), oxwire::errc::truncated, 2));
  const auto rows = from_hex("FF FF 00");
  reader in4(rows);
  const property_tag cols[] = {property_tag{0x0E080003}};
  EXPECT_TRUE(
      oxwire_test::fails_with(decode_property_row_set(in4, cols), errc::count_too_large, 0));
}

TEST(Reject, BadStrings) {
  // No terminator within the bytes (an odd byte count cannot hold one).
  const auto odd = from_hex("41 00 42");
  reader in(odd);
  EXPECT_TRUE(oxwire_test::fails_with(decode_value(in, PtypString), oxwire::errc::truncated, 0));
  // A lone high surrogate at byte 2.
  const auto lone = from_hex("41 00 00 D8 42 00 00 00");
  reader in2(lone);
  EXPECT_TRUE(
      oxwire_test::fails_with(decode_value(in2, PtypString), oxwire::errc::lone_surrogate, 2));
  // A lone low surrogate.
  const auto low = from_hex("00 DC 00 00");
  reader in3(low);
  EXPECT_TRUE(
      oxwire_test::fails_with(decode_value(in3, PtypString), oxwire::errc::lone_surrogate, 0));
  // A valid pair passes.
  const auto pair = from_hex("3D D8 00 DE 00 00");
  reader in4(pair);
  EXPECT_TRUE(decode_value(in4, PtypString));
  // An embedded NUL cannot be encoded.
  std::vector<std::uint8_t> out;
  vector_writer w(out);
  EXPECT_FALSE(encode_value(w, property_value::make<PtypString>(std::u16string(u"a\0b", 3))));
}

TEST(Reject, BooleansAndFlags) {
  const auto two = from_hex("02");
  reader in(two);
  EXPECT_TRUE(oxwire_test::fails_with(decode_value(in, PtypBoolean), errc::invalid_boolean, 0));
  const auto flag = from_hex("05 00 00 00 00");
  reader in2(flag);
  EXPECT_TRUE(
      oxwire_test::fails_with(decode_flagged_value(in2, PtypInteger32), errc::invalid_flag, 0));
  const auto server_id = from_hex("02 00 02 00");
  reader in3(server_id);
  EXPECT_TRUE(oxwire_test::fails_with(decode_value(in3, PtypServerId), errc::invalid_flag, 2));
  const auto short_id = from_hex("03 00 01 00 00");
  reader in4(short_id);
  EXPECT_TRUE(oxwire_test::fails_with(decode_value(in4, PtypServerId), oxwire::errc::truncated, 3));
}

TEST(Flagged, PresentAbsentAndError) {
  // MS-OXCDATA 2.11.5: 0x00 value, 0x01 nothing, 0x0A a PtypErrorCode.
  const auto bytes = from_hex("00 2A 00 00 00 01 0A 0F 01 04 80");
  reader in(bytes);
  auto a = decode_flagged_value(in, PtypInteger32);
  auto b = decode_flagged_value(in, PtypInteger32);
  auto c = decode_flagged_value(in, PtypInteger32);
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(*a->value.get_if<PtypInteger32>(), 42);
  EXPECT_EQ(b->flag, value_flag::absent);
  EXPECT_EQ(b->value.type(), PtypNull);
  EXPECT_EQ(c->flag, value_flag::error);
  EXPECT_EQ(*c->value.get_if<PtypErrorCode>(), ErrorCode{0x8004010F});
  EXPECT_EQ(encoded([&](auto& w) {
              return encode_flagged_value(w, *a) && encode_flagged_value(w, *b) &&
                     encode_flagged_value(w, *c);
            }),
            bytes);
  // 2.11.6 with the type in front.
  const auto with_type = from_hex("1F 00 00 41 00 00 00");
  reader in2(with_type);
  auto d = decode_flagged_value_with_type(in2);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->type, PtypString);
  EXPECT_EQ(encoded([&](auto& w) { return encode_flagged_value_with_type(w, *d); }), with_type);
}

TEST(Row, StandardAndFlaggedWithUnspecifiedColumns) {
  // MS-OXCDATA 2.8.1: PtypUnspecified columns carry their type.
  const property_tag cols[] = {property_tag{0x0037001F}, property_tag{0x0E080003},
                               property_tag{0x30070000}};
  const auto standard = from_hex("00 41 00 00 00 10 00 00 00 0B 00 01");
  reader in(standard);
  auto row = decode_property_row(in, cols);
  ASSERT_TRUE(row) << row.error().message();
  EXPECT_EQ(row->Flag, row_flag::standard);
  ASSERT_EQ(row->ValueArray.size(), 3u);
  EXPECT_EQ(row->ValueArray[2].type, PtypBoolean);
  EXPECT_EQ(encoded([&](auto& w) { return encode_property_row(w, *row, cols); }), standard);

  const auto flagged = from_hex("01 00 41 00 00 00 0A 0F 01 04 80 0B 00 01");
  reader in2(flagged);
  auto frow = decode_property_row(in2, cols);
  ASSERT_TRUE(frow) << frow.error().message();
  EXPECT_EQ(frow->ValueArray[1].flag, value_flag::error);
  EXPECT_EQ(frow->ValueArray[2].flag, value_flag::absent);
  EXPECT_EQ(frow->ValueArray[2].type, PtypBoolean);
  const property_row owned = to_owned(*frow);
  EXPECT_EQ(encoded([&](auto& w) { return encode_property_row(w, owned, cols); }), flagged);

  // A row set of the two.
  std::vector<std::uint8_t> set = from_hex("02 00");
  set.insert(set.end(), standard.begin(), standard.end());
  set.insert(set.end(), flagged.begin(), flagged.end());
  reader in3(set);
  auto rows = decode_property_row_set(in3, cols);
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->size(), 2u);
  EXPECT_EQ(encoded([&](auto& w) {
              return encode_property_row_set(w, std::span<const property_row_view>(*rows), cols);
            }),
            set);

  const auto bad_flag = from_hex("02");
  reader in4(bad_flag);
  EXPECT_TRUE(oxwire_test::fails_with(decode_property_row(in4, cols), errc::invalid_flag, 0));
  // A value whose type is not its column's cannot be encoded.
  property_row wrong = to_owned(*row);
  wrong.ValueArray[1] = {PtypInteger64, value_flag::present,
                         property_value::make<PtypInteger64>(1)};
  std::vector<std::uint8_t> out;
  vector_writer w(out);
  EXPECT_TRUE(oxwire_test::fails_with(encode_property_row(w, wrong, cols), errc::type_mismatch, 5));
}

TEST(Tags, ArraysAndProblems) {
  const auto tags = from_hex("02 00 1F 00 37 00 03 00 08 0E");
  reader in(tags);
  auto t = decode_property_tags(in);
  ASSERT_TRUE(t);
  EXPECT_EQ((*t)[0].id(), 0x0037);
  EXPECT_EQ((*t)[1].type(), PtypInteger32);
  EXPECT_EQ(encoded([&](auto& w) { return encode_property_tags(w, *t); }), tags);

  // MS-OXCDATA 2.7: Index, PropertyTag, ErrorCode.
  const auto problems = from_hex("01 00 03 00 1F 00 37 00 0F 01 04 80");
  reader in2(problems);
  auto p = decode_property_problems(in2);
  ASSERT_TRUE(p);
  EXPECT_EQ((*p)[0].Index, 3);
  EXPECT_EQ((*p)[0].PropertyTag, property_tag{0x0037001F});
  EXPECT_EQ((*p)[0].ErrorCode, ErrorCode{0x8004010F});
  EXPECT_EQ(encoded([&](auto& w) { return encode_property_problems(w, *p); }), problems);
  const auto short_problems = from_hex("02 00 03 00 1F 00 37 00 0F 01 04 80");
  reader in3(short_problems);
  EXPECT_TRUE(oxwire_test::fails_with(decode_property_problems(in3), errc::count_too_large, 0));
}

TEST(Names, LidNameAndNone) {
  // MS-OXCDATA 2.6.1; the GUID is PSETID_Common in wire order.
  const std::string common = "08 20 06 00 00 00 00 00 C0 00 00 00 00 00 00 46";
  const auto lid = from_hex("00" + common + "01 85 00 00");
  reader in(lid);
  auto n = decode_property_name(in);
  ASSERT_TRUE(n);
  EXPECT_EQ(n->Kind, name_kind::lid);
  EXPECT_EQ(n->LID, 0x8501u);
  EXPECT_EQ(n->GUID, guid::from_string("{00062008-0000-0000-C000-000000000046}"));
  EXPECT_EQ(encoded([&](auto& w) { return encode_property_name(w, *n); }), lid);

  const auto name = from_hex("01" + common + "06 41 00 42 00 00 00");
  reader in2(name);
  auto m = decode_property_name(in2);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->Name, u"AB");
  EXPECT_EQ(encoded([&](auto& w) { return encode_property_name(w, *m); }), name);

  const auto none = from_hex("FF" + common);
  reader in3(none);
  auto z = decode_property_name(in3);
  ASSERT_TRUE(z);
  EXPECT_EQ(z->Kind, name_kind::none);

  const auto odd = from_hex("01" + common + "05 41 00 42 00 00");
  reader in4(odd);
  EXPECT_TRUE(oxwire_test::fails_with(decode_property_name(in4), errc::invalid_size, 17));
  const auto kind = from_hex("02" + common);
  reader in5(kind);
  EXPECT_TRUE(oxwire_test::fails_with(decode_property_name(in5), errc::invalid_kind, 0));
}

TEST(Nested, RestrictionValuesKeepTheirCountWidth) {
  // An AndRestriction of one ExistRestriction (MS-OXCDATA 2.12.1, 2.12.9) as a PtypRestriction
  // value: RestrictCount is 16 bits in ROP buffers and 32 bits in extended rules.
  for (const auto& [bytes, counts] : std::vector<std::pair<std::string, count_width>>{
           {"FD 00 01 60  00 01 00  08 1F 00 37 00", count_width::rop},
           {"FD 00 01 60  00 01 00 00 00  08 1F 00 37 00", count_width::extended}}) {
    const auto b = from_hex(bytes);
    const value_options opts{.counts = counts};
    reader in(b);
    auto v = decode_tagged_value(in, opts);
    ASSERT_TRUE(v) << v.error().message();
    EXPECT_TRUE(in.empty());
    const tagged_value owned = to_owned(*v);
    ASSERT_NE(owned.value.get_if<PtypRestriction>(), nullptr);
    EXPECT_EQ(encoded([&](auto& w) { return encode_tagged_value(w, owned, opts); }), b);
    EXPECT_EQ(encoded([&](auto& w) { return encode_tagged_value(w, *v, opts); }), b);
  }
}

// The string scan's vector path agrees with the scalar reference: every NUL position, with and
// without surrogates before and after it, at every alignment and length up to 40 units.
TEST(Utf16Scan, VectorPathMatchesScalarReference) {
  std::mt19937 rng(42);
  const std::uint16_t pool[] = {0x0041, 0x00E9, 0x4E2D, 0xD83D, 0xDE00, 0x0000, 0xFFFF, 0x0100};
  for (int round = 0; round < 20000; ++round) {
    const std::size_t n = rng() % 41;
    std::vector<std::uint8_t> b(2 * n + 1);  // an odd trailing byte is never part of a unit
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint16_t u = pool[rng() % std::size(pool)];
      b[2 * i] = static_cast<std::uint8_t>(u);
      b[2 * i + 1] = static_cast<std::uint8_t>(u >> 8);
    }
    const auto ref = oxwire::mapi::detail::scan_utf16z_scalar(b.data(), n);
    EXPECT_EQ(oxwire::mapi::detail::scan_utf16z(b.data(), n), ref) << "round " << round;
  }
}

TEST(TypedString, EveryStringType) {
  // MS-OXCDATA 2.11.7.
  for (const auto& [bytes, type] : std::vector<std::pair<std::string, string_type>>{
           {"00", string_type::none},
           {"01", string_type::empty},
           {"02 48 69 00", string_type::string8},
           {"03 48 69 00", string_type::reduced_unicode},
           {"04 48 00 69 00 00 00", string_type::unicode}}) {
    const auto b = from_hex(bytes);
    reader in(b);
    auto s = decode_typed_string(in);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->StringType, type);
    EXPECT_TRUE(in.empty());
    EXPECT_EQ(encoded([&](auto& w) { return encode_typed_string(w, *s); }), b);
  }
  const auto bad = from_hex("05");
  reader in(bad);
  EXPECT_TRUE(oxwire_test::fails_with(decode_typed_string(in), errc::invalid_kind, 0));
}

}  // namespace test_value
