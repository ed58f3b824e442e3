// MS-OXCDATA 2.12 restrictions and 2.13 sort orders: decode, encode, limits and every error path.
#include <oxwire/core/hex.hpp>
#include <oxwire/mapi/value_codec.hpp>
#include <oxwire_test/assertions.hpp>
#include <oxwire_test/requirements.hpp>

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace test_restriction {

using namespace oxwire::mapi;
using oxwire::error;
using oxwire::reader;
using oxwire::result;
using oxwire::vector_writer;
using oxwire_test::bytes_of;

using oxwire_test::from_hex;

constexpr value_options rop{};
constexpr value_options ext{.counts = count_width::extended};

constexpr property_tag PidTagSubject{0x0037001F};       // PtypString
constexpr property_tag PidTagMessageFlags{0x0E070003};  // PtypInteger32
constexpr property_tag PidTagMessageSize{0x0E080003};   // PtypInteger32
constexpr property_tag PidTagImportance{0x00170003};    // PtypInteger32
constexpr property_tag PidTagDisplayTo{0x0E04001F};     // PtypString
constexpr property_tag PidTagEmailAddress{0x3003001F};  // PtypString
constexpr property_tag PidTagMessageRecipients{0x0E12000D};
constexpr property_tag PidTagRuleCondition{0x667900FD};  // PtypRestriction

tagged_value tv(property_tag tag, property_value v) {
  return {tag, std::move(v)};
}
tagged_value str(property_tag tag, std::u16string s) {
  return tv(tag, property_value::make<PropertyType::PtypString>(std::move(s)));
}
tagged_value i32(property_tag tag, std::int32_t v) {
  return tv(tag, property_value::make<PropertyType::PtypInteger32>(v));
}

std::vector<std::uint8_t> encode(const restriction& r, const value_options& o = rop) {
  std::vector<std::uint8_t> out;
  vector_writer w(out);
  encode_restriction(w, r, o).value();
  return out;
}

result<restriction> decode(const std::vector<std::uint8_t>& b, const value_options& o = rop) {
  reader in(b);
  return decode_restriction(in, o);
}

// AND( CONTENT(FL_SUBSTRING | FL_IGNORECASE, PidTagSubject, "Hi"), NOT( EXIST(PidTagSubject) ) )
// in a ROP buffer (16-bit RestrictCount), laid out field by field from MS-OXCDATA 2.12.
const char* const nested_rop = R"(
  00 02 00                         # AndRestriction, RestrictCount 2
  03 01 00 01 00 1f 00 37 00       # ContentRestriction FL_SUBSTRING FL_IGNORECASE PropertyTag
  1f 00 37 00 48 00 69 00 00 00    #   TaggedValue PidTagSubject "Hi"
  02                               # NotRestriction
  08 1f 00 37 00                   #   ExistRestriction PidTagSubject
)";

restriction nested_model() {
  ContentRestriction content{FuzzyLevelLow::FL_SUBSTRING, FuzzyLevelHigh::FL_IGNORECASE,
                             PidTagSubject, str(PidTagSubject, u"Hi")};
  return {
      AndRestriction{{restriction{content},
                      restriction{NotRestriction{restriction{ExistRestriction{PidTagSubject}}}}}}};
}

TEST(Restriction, DecodesANestedSampleFieldByField) {
  OXWIRE_REQ("MS-OXCDATA_R510", "MS-OXCDATA_R468", "MS-OXCDATA_R469");
  const auto bytes = from_hex(nested_rop);
  reader in(bytes);
  auto r = decode_restriction(in);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(r->RestrictType(), RestrictType::AndRestriction);
  const auto& a = std::get<AndRestriction>(r->value);
  ASSERT_EQ(a.Restricts.size(), 2u);
  const auto& c = std::get<ContentRestriction>(a.Restricts[0].value);
  EXPECT_EQ(c.FuzzyLevelLow, FuzzyLevelLow::FL_SUBSTRING);
  EXPECT_EQ(c.FuzzyLevelHigh, FuzzyLevelHigh::FL_IGNORECASE);
  EXPECT_EQ(c.PropertyTag, PidTagSubject);
  EXPECT_EQ(*c.TaggedValue->value.get_if<PropertyType::PtypString>(), u"Hi");
  const auto& n = std::get<NotRestriction>(a.Restricts[1].value);
  EXPECT_EQ(std::get<ExistRestriction>(n.Restriction->value).PropTag, PidTagSubject);
  EXPECT_EQ(*r, nested_model());
  EXPECT_EQ(encode(*r), bytes);
}

TEST(Restriction, ExtendedRulesWidenRestrictCountAndBinaryCounts) {
  // MS-OXCDATA 2.12.1.1 / 2.11.1.1: 32-bit RestrictCount and PtypBinary COUNT in extended rules.
  const restriction r{OrRestriction{{restriction{
      PropertyRestriction{RelOp::RELOP_EQ, property_tag{0x0FFF0102},
                          tv(property_tag{0x0FFF0102},
                             property_value::make<PropertyType::PtypBinary>({0xAA, 0xBB}))}}}}};
  EXPECT_EQ(encode(r, ext),
            from_hex("01 01 00 00 00  04 04 02 01 ff 0f  02 01 ff 0f 02 00 00 00 aa bb"));
  EXPECT_EQ(encode(r, rop), from_hex("01 01 00  04 04 02 01 ff 0f  02 01 ff 0f 02 00 aa bb"));
  EXPECT_EQ(decode(encode(r, ext), ext).value(), r);
  // The same bytes read with the wrong width do not decode to the same thing.
  auto wrong = decode(encode(r, ext), rop);
  EXPECT_TRUE(!wrong || *wrong != r);
}

/// One restriction of every kind, each nesting a child where the kind has one.
std::vector<restriction> every_kind() {
  const restriction leaf{ExistRestriction{PidTagSubject}};
  std::vector<restriction> v;
  v.push_back({AndRestriction{{leaf, leaf}}});
  v.push_back({OrRestriction{{}}});
  v.push_back({NotRestriction{leaf}});
  v.push_back({ContentRestriction{FuzzyLevelLow::FL_PREFIX,
                                  FuzzyLevelHigh::FL_IGNORENONSPACE | FuzzyLevelHigh::FL_LOOSE,
                                  property_tag{0x0E04101F}, str(PidTagDisplayTo, u"Ann")}});
  v.push_back({PropertyRestriction{RelOp::RELOP_MEMBER_OF_DL, PidTagEmailAddress,
                                   str(PidTagEmailAddress, u"dl@example.com")}});
  v.push_back({ComparePropertiesRestriction{RelOp::RELOP_GE, PidTagMessageSize, PidTagImportance}});
  v.push_back({BitMaskRestriction{BitmapRelOp::BMR_NEZ, PidTagMessageFlags, 0x00000001}});
  v.push_back({SizeRestriction{RelOp::RELOP_LT, PidTagSubject, 4096}});
  v.push_back({ExistRestriction{PidTagImportance}});
  v.push_back({SubObjectRestriction{PidTagMessageRecipients, leaf}});
  v.push_back({CommentRestriction{{i32(PidTagImportance, 2), str(PidTagSubject, u"note")}, leaf}});
  v.push_back({CommentRestriction{{}, std::nullopt}});
  v.push_back({CountRestriction{10, leaf}});
  // A restriction inside a PtypRestriction value inside a restriction (MS-OXORULE conditions).
  v.push_back({PropertyRestriction{
      RelOp::RELOP_EQ, PidTagRuleCondition,
      tv(PidTagRuleCondition, property_value::make<PropertyType::PtypRestriction>(leaf))}});
  return v;
}

TEST(Restriction, EveryKindRoundTripsInBothWidths) {
  for (const value_options& o : {rop, ext}) {
    std::size_t kinds = 0;
    for (const restriction& r : every_kind()) {
      const auto bytes = encode(r, o);
      EXPECT_EQ(bytes[0], static_cast<std::uint8_t>(r.RestrictType()));
      reader in(bytes);
      auto back = decode_restriction(in, o);
      ASSERT_TRUE(back) << back.error().message();
      EXPECT_TRUE(in.empty());
      EXPECT_EQ(*back, r) << "RestrictType " << int(bytes[0]);
      EXPECT_EQ(encode(*back, o), bytes);
      kinds |= std::size_t{1} << bytes[0];
    }
    EXPECT_EQ(kinds, 0xFFFu);  // all twelve RestrictTypes
  }
}

TEST(Restriction, CommentRestrictionCountIsOneByteInBothWidths) {
  const restriction r{CommentRestriction{{i32(PidTagImportance, 1)}, std::nullopt}};
  EXPECT_EQ(encode(r, rop), from_hex("0a 01  03 00 17 00 01 00 00 00  00"));
  EXPECT_EQ(encode(r, ext), from_hex("0a 01  03 00 17 00 01 00 00 00  00"));
}

/// `levels` restrictions: levels - 1 NotRestrictions around an ExistRestriction.
std::vector<std::uint8_t> nots(std::size_t levels) {
  std::vector<std::uint8_t> b(levels - 1, 0x02);
  for (std::uint8_t x : {0x08, 0x1f, 0x00, 0x37, 0x00}) b.push_back(x);
  return b;
}

TEST(Restriction, NestingIsLimitedTo255LevelsByDefault) {
  EXPECT_TRUE(decode(nots(255)));
  // The 256th level starts at byte 255.
  EXPECT_TRUE(
      oxwire_test::fails_with(decode(nots(256)), errc::nesting_too_deep, 255, "Restriction"));
  EXPECT_TRUE(
      oxwire_test::fails_with(decode(nots(100000)), errc::nesting_too_deep, 255, "Restriction"));
}

TEST(Restriction, NestingLimitIsAParameter) {
  value_options o;
  o.max_depth = 3;
  EXPECT_TRUE(decode(nots(3), o));
  EXPECT_TRUE(oxwire_test::fails_with(decode(nots(4), o), errc::nesting_too_deep, 3));
  // A restriction inside a PtypRestriction value counts as one level deeper.
  const restriction inner{PropertyRestriction{
      RelOp::RELOP_EQ, PidTagRuleCondition,
      tv(PidTagRuleCondition, property_value::make<PropertyType::PtypRestriction>(
                                  restriction{ExistRestriction{PidTagSubject}}))}};
  const auto bytes = encode(inner);
  o.max_depth = 2;
  EXPECT_TRUE(decode(bytes, o));
  o.max_depth = 1;
  EXPECT_TRUE(oxwire_test::fails_with(decode(bytes, o), errc::nesting_too_deep,
                                      10));  // after RestrictType..tag
  // The encoder keeps the same limit.
  std::vector<std::uint8_t> out;
  vector_writer w(out);
  EXPECT_TRUE(oxwire_test::fails_with(encode_restriction(w, inner, o), errc::nesting_too_deep, 10));
}

TEST(Restriction, NestingThroughPtypRestrictionValuesIsLimitedToo) {
  // `levels` PropertyRestrictions, each comparing PidTagRuleCondition with the next one as a
  // PtypRestriction value, around an ExistRestriction: 10 bytes a level.
  const auto chain = [](std::size_t levels) {
    std::vector<std::uint8_t> b;
    for (std::size_t i = 0; i < levels; ++i)
      for (std::uint8_t x : {0x04, 0x04, 0xfd, 0x00, 0x79, 0x66, 0xfd, 0x00, 0x79, 0x66})
        b.push_back(x);
    for (std::uint8_t x : {0x08, 0x1f, 0x00, 0x37, 0x00}) b.push_back(x);
    return b;
  };
  const auto ok = chain(254);
  reader in(ok);
  auto r = decode_restriction(in);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(encode(*r), ok);
  EXPECT_TRUE(
      oxwire_test::fails_with(decode(chain(255)), errc::nesting_too_deep, 2550, "Restriction"));
  EXPECT_TRUE(
      oxwire_test::fails_with(decode(chain(5000)), errc::nesting_too_deep, 2550, "Restriction"));
}

TEST(Restriction, EveryTruncationIsAnError) {
  for (const value_options& o : {rop, ext}) {
    for (const restriction& r : every_kind()) {
      const auto bytes = encode(r, o);
      for (std::size_t n = 0; n < bytes.size(); ++n) {
        const std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + n);
        auto d = decode(cut, o);
        ASSERT_FALSE(d) << "RestrictType " << int(bytes[0]) << " cut at " << n;
        EXPECT_LE(d.error().offset, n);
      }
    }
  }
}

TEST(Restriction, CountsLargerThanTheInputFailBeforeAllocating) {
  // RestrictCount 0xFFFF with 5 bytes left: at least 3 bytes per restriction in ROP buffers.
  EXPECT_TRUE(oxwire_test::fails_with(decode(from_hex("00 ff ff 08 1f 00 37 00")),
                                      errc::count_too_large, 1, "RestrictCount"));
  EXPECT_TRUE(oxwire_test::fails_with(decode(from_hex("01 ff ff ff ff 08 1f 00 37 00"), ext),
                                      errc::count_too_large, 1, "RestrictCount"));
  // TaggedValuesCount 3 with 8 bytes left: at least 4 bytes per TaggedPropertyValue.
  EXPECT_TRUE(oxwire_test::fails_with(decode(from_hex("0a 03 03 00 17 00 01 00 00 00")),
                                      errc::count_too_large, 1, "TaggedValuesCount"));
}

TEST(Restriction, EachMalformedFieldIsNamedAtItsOffset) {
  EXPECT_TRUE(
      oxwire_test::fails_with(decode(from_hex("0c")), errc::invalid_kind, 0, "RestrictType"));
  EXPECT_TRUE(
      oxwire_test::fails_with(decode(from_hex("ff")), errc::invalid_kind, 0, "RestrictType"));
  EXPECT_TRUE(oxwire_test::fails_with(decode(from_hex("04 06 03 00 17 00 03 00 17 00 01 00 00 00")),
                                      errc::invalid_kind, 1, "RelOp"));
  EXPECT_TRUE(oxwire_test::fails_with(decode(from_hex("05 65 03 00 17 00 03 00 08 0e")),
                                      errc::invalid_kind, 1, "RelOp"));
  EXPECT_TRUE(oxwire_test::fails_with(decode(from_hex("07 07 1f 00 37 00 00 00 00 00")),
                                      errc::invalid_kind, 1, "RelOp"));
  EXPECT_TRUE(oxwire_test::fails_with(decode(from_hex("06 02 03 00 07 0e 01 00 00 00")),
                                      errc::invalid_kind, 1, "BitmapRelOp"));
  EXPECT_TRUE(
      oxwire_test::fails_with(decode(from_hex("03 03 00 00 00 1f 00 37 00 1f 00 37 00 00 00")),
                              errc::invalid_kind, 1, "FuzzyLevelLow"));
  EXPECT_TRUE(
      oxwire_test::fails_with(decode(from_hex("03 00 00 08 00 1f 00 37 00 1f 00 37 00 00 00")),
                              errc::invalid_flag, 3, "FuzzyLevelHigh"));
  // ContentRestriction: PropertyTag PtypString, TaggedValue PtypInteger32.
  EXPECT_TRUE(oxwire_test::fails_with(
      decode(from_hex("03 00 00 00 00 1f 00 37 00 03 00 17 00 01 00 00 00")), errc::type_mismatch,
      9, "TaggedValue"));
  // BitMaskRestriction on a PtypString property.
  EXPECT_TRUE(oxwire_test::fails_with(decode(from_hex("06 00 1f 00 37 00 01 00 00 00")),
                                      errc::type_mismatch, 2, "PropTag"));
  // SubObjectRestriction on something other than recipients or attachments.
  EXPECT_TRUE(oxwire_test::fails_with(decode(from_hex("09 0d 00 14 0e 08 1f 00 37 00")),
                                      errc::invalid_kind, 1, "Subobject"));
  // CommentRestriction: a multi-valued comment; RestrictionPresent neither 0 nor 1.
  EXPECT_TRUE(oxwire_test::fails_with(decode(from_hex("0a 01 03 10 09 37 00 00 00 00 00")),
                                      errc::type_mismatch, 2, "TaggedValues"));
  EXPECT_TRUE(oxwire_test::fails_with(decode(from_hex("0a 00 02 08 1f 00 37 00")),
                                      errc::invalid_boolean, 2, "RestrictionPresent"));
  // A TaggedValue of an undefined type, and of PtypUnspecified.
  EXPECT_TRUE(oxwire_test::fails_with(decode(from_hex("04 04 03 00 17 00 99 00 17 00")),
                                      errc::unknown_property_type, 6));
  EXPECT_TRUE(oxwire_test::fails_with(decode(from_hex("04 04 03 00 17 00 00 00 17 00")),
                                      errc::type_has_no_value, 10));
  // A PtypBoolean comparand other than 0 or 1 comes from the value codec.
  EXPECT_TRUE(oxwire_test::fails_with(decode(from_hex("04 04 0b 00 1b 0e 0b 00 1b 0e 02")),
                                      errc::invalid_boolean, 10));
}

TEST(Restriction, TheEncoderRejectsWhatTheDecoderWould) {
  std::vector<std::uint8_t> out;
  vector_writer w(out);
  const auto rejects = [&](const restriction& r, auto code, std::size_t at, const char* what,
                           const value_options& o = rop) {
    out.clear();
    return oxwire_test::fails_with(encode_restriction(w, r, o), code, at, what);
  };
  EXPECT_TRUE(rejects({SizeRestriction{static_cast<RelOp>(9), PidTagSubject, 1}},
                      errc::invalid_kind, 1, "RelOp"));
  EXPECT_TRUE(rejects({BitMaskRestriction{BitmapRelOp::BMR_EQZ, PidTagSubject, 1}},
                      errc::type_mismatch, 2, "PropTag"));
  EXPECT_TRUE(rejects({SubObjectRestriction{PidTagSubject, restriction{}}}, errc::invalid_kind, 1,
                      "Subobject"));
  EXPECT_TRUE(rejects({ContentRestriction{FuzzyLevelLow::FL_FULLSTRING, FuzzyLevelHigh{0x10},
                                          PidTagSubject, str(PidTagSubject, u"x")}},
                      errc::invalid_flag, 3, "FuzzyLevelHigh"));
  EXPECT_TRUE(rejects({ContentRestriction{FuzzyLevelLow::FL_FULLSTRING, FuzzyLevelHigh{},
                                          PidTagSubject, i32(PidTagImportance, 1)}},
                      errc::type_mismatch, 9, "TaggedValue"));
  // A TaggedValue whose value disagrees with its own tag (the value codec's check).
  EXPECT_TRUE(rejects(
      {PropertyRestriction{RelOp::RELOP_EQ, PidTagSubject, tv(PidTagSubject, property_value{})}},
      errc::type_mismatch, 6, "TaggedPropertyValue"));
  CommentRestriction many;
  many.TaggedValues.assign(256, i32(PidTagImportance, 0));
  EXPECT_TRUE(rejects({many}, oxwire::errc::out_of_range, 1, "TaggedValuesCount"));
  AndRestriction wide;
  wide.Restricts.resize(0x10000);
  EXPECT_TRUE(rejects({wide}, oxwire::errc::out_of_range, 1, "RestrictCount"));
  out.clear();
  EXPECT_TRUE(encode_restriction(w, restriction{wide}, ext));  // 32-bit RestrictCount fits
  EXPECT_EQ(decode(out, ext).value(), restriction{wide});
}

TEST(Restriction, IsAPropertyValueType) {
  // MS-OXORULE 2.2.1.3.1.9: PidTagRuleCondition is a PtypRestriction.
  OXWIRE_REQ("MS-OXORULE_R104");
  const auto body = from_hex(nested_rop);
  std::vector<std::uint8_t> bytes = from_hex("fd 00 79 66");
  bytes.insert(bytes.end(), body.begin(), body.end());
  reader in(bytes);
  auto v = decode_tagged_value(in);
  ASSERT_TRUE(v) << v.error().message();
  EXPECT_TRUE(in.empty());
  const auto* e = v->value.get_if<PropertyType::PtypRestriction>();
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(std::ranges::equal(e->bytes, body));
  const tagged_value owned = to_owned(*v);
  EXPECT_EQ(**owned.value.get_if<PropertyType::PtypRestriction>(), nested_model());
  std::vector<std::uint8_t> out;
  vector_writer w(out);
  ASSERT_TRUE(encode_tagged_value(w, owned));
  EXPECT_EQ(out, bytes);
}

// MS-OXCDATA 2.13: a categorized sort (MS-OXCTABL 2.2.2.3.1): by PidTagDisplayTo as a category,
// categories ordered by their latest PidTagMessageDeliveryTime, rows by that time descending.
const char* const sort_set = R"(
  03 00 01 00 01 00     # SortOrderCount 3, CategorizedCount 1, ExpandedCount 1
  1f 00 04 0e 00        # PtypString PidTagDisplayTo, Ascending
  40 00 06 0e 04        # PtypTime PidTagMessageDeliveryTime, MaximumCategory
  40 00 06 0e 01        # PtypTime PidTagMessageDeliveryTime, Descending
)";

TEST(SortOrder, DecodesAndEncodesACategorizedSortOrderSet) {
  OXWIRE_REQ("MS-OXCTABL_R60", "MS-OXCTABL_R61", "MS-OXCTABL_R69", "MS-OXCTABL_R78");
  const auto bytes = from_hex(sort_set);
  reader in(bytes);
  auto s = decode_sort_order_set(in);
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(s->CategorizedCount, 1);
  EXPECT_EQ(s->ExpandedCount, 1);
  ASSERT_EQ(s->Sorts.size(), 3u);
  EXPECT_EQ(s->Sorts[0], (SortOrder{PropertyType::PtypString, 0x0E04, Order::Ascending}));
  EXPECT_EQ(s->Sorts[1], (SortOrder{PropertyType::PtypTime, 0x0E06, Order::MaximumCategory}));
  EXPECT_EQ(s->Sorts[2].Order, Order::Descending);
  std::vector<std::uint8_t> out;
  vector_writer w(out);
  ASSERT_TRUE(encode_sort_order_set(w, *s));
  EXPECT_EQ(out, bytes);
}

TEST(SortOrder, CountsAreChecked) {
  OXWIRE_REQ("MS-OXCTABL_R63", "MS-OXCTABL_R65");
  const auto set = [](std::string_view d) {
    const auto b = from_hex(d);
    reader in(b);
    return decode_sort_order_set(in);
  };
  EXPECT_TRUE(set("00 00 00 00 00 00"));
  EXPECT_TRUE(oxwire_test::fails_with(set("01 00 02 00 00 00 1f 00 37 00 00"),
                                      oxwire::errc::out_of_range, 2, "CategorizedCount"));
  EXPECT_TRUE(oxwire_test::fails_with(set("01 00 00 00 01 00 1f 00 37 00 00"),
                                      oxwire::errc::out_of_range, 4, "ExpandedCount"));
  EXPECT_TRUE(oxwire_test::fails_with(set("ff ff 00 00 00 00 1f 00 37 00 00"),
                                      errc::count_too_large, 0, "SortOrderCount"));
  EXPECT_TRUE(oxwire_test::fails_with(set("01 00 00 00 00 00 1f 00 37 00 02"), errc::invalid_kind,
                                      10, "Order"));
  // MaximumCategory only right after the category sorts, and only in a categorized sort.
  EXPECT_TRUE(oxwire_test::fails_with(set("01 00 00 00 00 00 40 00 06 0e 04"), errc::invalid_kind,
                                      10, "Order"));
  EXPECT_TRUE(oxwire_test::fails_with(set("02 00 01 00 00 00 1f 00 04 0e 04 40 00 06 0e 00"),
                                      errc::invalid_kind, 10, "Order"));
  EXPECT_TRUE(oxwire_test::fails_with(set("02 00 01 00 00"), oxwire::errc::truncated, 4));
  const auto bytes = from_hex(sort_set);
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    reader in(oxwire::bytes_view(bytes).first(n));
    EXPECT_FALSE(decode_sort_order_set(in)) << n;
  }
  // The encoder refuses the same sets.
  std::vector<std::uint8_t> out;
  vector_writer w(out);
  EXPECT_TRUE(oxwire_test::fails_with(encode_sort_order_set(w, SortOrderSet{2, 0, {}}),
                                      oxwire::errc::out_of_range, 2, "CategorizedCount"));
  EXPECT_TRUE(oxwire_test::fails_with(
      encode_sort_order_set(
          w, SortOrderSet{0, 0, {{PropertyType::PtypTime, 0x0E06, Order::MaximumCategory}}}),
      errc::invalid_kind, 10, "Order"));
  EXPECT_TRUE(out.empty());
}

// Found by fuzz.restriction: eight children in 38 bytes (seven empty And and one empty
// CommentRestriction, 3 bytes) are enough, so the count check must not assume 5 bytes per child.
TEST(Restriction, SmallestChildIsThreeBytesInEitherWidth) {
  std::vector<std::uint8_t> b{0x01, 0x08, 0x00, 0x00, 0x00};  // OrRestriction, RestrictCount 8
  for (int i = 0; i < 7; ++i) b.insert(b.end(), {0x00, 0x00, 0x00, 0x00, 0x00});
  b.insert(b.end(), {0x0A, 0x00, 0x00});  // CommentRestriction: no values, no restriction
  oxwire::reader in(b);
  auto r = decode_restriction(in, ext);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_TRUE(in.empty());
  std::vector<std::uint8_t> out;
  oxwire::vector_writer w(out);
  ASSERT_TRUE(encode_restriction(w, *r, ext));
  EXPECT_EQ(out, b);
}

}  // namespace test_restriction
