// Property bags: typed access checked by the compiler, access by tag checked at run time, named
// properties through a store's name-to-id map.
#include <gtest/gtest.h>

#include <oxwire/mapi.hpp>
#include <oxwire_test/assertions.hpp>

namespace test_property_bag {

using namespace oxwire;
using namespace oxwire::mapi;
using enum PropertyType;
using errc = oxwire::mapi::errc;

// The generated constants (MS-OXPROPS), through the umbrella header.
using prop::PidLidReminderDelta;
using prop::PidNameKeywords;
using prop::PidTagHasAttachments;
using prop::PidTagImportance;
using prop::PidTagSubject;

// The README's first lines.
static_assert(prop::PidTagSubject.tag() == property_tag{0x0037001F});
static_assert(find_property("PR_SUBJECT_W") == find_property("PidTagSubject"));

TEST(PropertyBag, TypedGetAndSet) {
  property_bag bag;
  EXPECT_FALSE(bag.get(PidTagSubject));
  bag.set(PidTagSubject, u"Hello");
  bag.set(PidTagImportance, 2);
  bag.set(PidTagHasAttachments, true);
  static_assert(
      std::is_same_v<decltype(bag.get(PidTagSubject)), std::optional<std::u16string_view>>);
  static_assert(std::is_same_v<decltype(bag.get(PidTagImportance)), std::optional<std::int32_t>>);
  EXPECT_EQ(bag.get(PidTagSubject), u"Hello");
  EXPECT_EQ(bag.get(PidTagImportance), 2);
  EXPECT_EQ(bag.get(PidTagHasAttachments), true);
  EXPECT_EQ(bag.size(), 3u);
  bag.set(PidTagImportance, 1);  // replaces
  EXPECT_EQ(bag.get(PidTagImportance), 1);
  EXPECT_EQ(bag.size(), 3u);
  // Tags come out sorted.
  const auto tags = bag.tags();
  EXPECT_TRUE(std::ranges::is_sorted(tags));
}

TEST(PropertyBag, ByTagWithRunTimeTypeCheck) {
  property_bag bag;
  EXPECT_TRUE(bag.set(property_tag{0x0E080003}, property_value::make<PtypInteger32>(1024)));
  EXPECT_TRUE(oxwire_test::fails_with(
      bag.set(property_tag{0x0E080003}, property_value::make<PtypString>(u"x")),
      errc::type_mismatch, 0));
  ASSERT_NE(bag.find(property_tag{0x0E080003}), nullptr);
  EXPECT_EQ(bag.find(property_tag{0x0E080014}), nullptr);  // same id, other type
  ASSERT_NE(bag.find_id(0x0E08), nullptr);
  EXPECT_EQ(bag.find_id(0x0E08)->tag, property_tag{0x0E080003});
  // A PtypString8 subject is not returned as PtypString.
  EXPECT_TRUE(bag.set(property_tag{0x0037001E}, property_value::make<PtypString8>("narrow")));
  EXPECT_FALSE(bag.get(PidTagSubject));
  EXPECT_TRUE(bag.erase(property_tag{0x0037001E}));
  EXPECT_FALSE(bag.erase(property_tag{0x0037001E}));
}

TEST(PropertyBag, NamedPropertiesThroughTheMap) {
  property_bag bag;
  // Without a map, named properties cannot be resolved.
  EXPECT_TRUE(oxwire_test::fails_with(bag.set(PidLidReminderDelta, 15),
                                      errc::unresolved_named_property, 0));
  named_property_map map;
  map.add({name_kind::lid, PidLidReminderDelta.set, 0x8501, {}}, 0x8003);
  map.add({name_kind::name, PidNameKeywords.set, 0, u"Keywords"}, 0x8004);
  bag.names(&map);
  EXPECT_TRUE(bag.set(PidLidReminderDelta, 15));
  EXPECT_TRUE(bag.set(PidNameKeywords, {u"red", u"urgent"}));
  EXPECT_EQ(bag.get(PidLidReminderDelta), 15);
  EXPECT_NE(bag.find(property_tag{0x80030003}), nullptr);  // stored under the store's id
  const auto kw = bag.get(PidNameKeywords);
  ASSERT_TRUE(kw);
  ASSERT_EQ(kw->size(), 2u);
  EXPECT_EQ((*kw)[1], u"urgent");
  EXPECT_EQ(map.name_of(0x8004)->Name, u"Keywords");
  EXPECT_EQ(map.find(PidLidReminderDelta.set, 0x8502u), std::nullopt);
}

TEST(PropertyBag, FromDecodedRowAndBack) {
  const property_tag cols[] = {PidTagSubject.tag(), PidTagImportance.tag(),
                               property_tag{0x0E1B0000}};
  // Flagged row: subject present, importance an error, PtypUnspecified column typed as boolean.
  const std::vector<std::uint8_t> bytes{0x01, 0x00, 0x48, 0x00, 0x69, 0x00, 0x00, 0x00, 0x0A,
                                        0x0F, 0x01, 0x04, 0x80, 0x0B, 0x00, 0x00, 0x01};
  reader in(bytes);
  auto row = decode_property_row(in, cols);
  ASSERT_TRUE(row) << row.error().message();
  const property_bag bag = property_bag::from_row(cols, *row);
  EXPECT_EQ(bag.size(), 2u);  // the error value is left out
  EXPECT_EQ(bag.get(PidTagSubject), u"Hi");
  EXPECT_FALSE(bag.get(PidTagImportance));
  EXPECT_EQ(bag.get(PidTagHasAttachments), true);

  // The bag's own row encodes and decodes to the same bag.
  const auto tags = bag.tags();
  std::vector<std::uint8_t> out;
  vector_writer w(out);
  ASSERT_TRUE(encode_property_row(w, bag.to_row(), tags));
  reader again(out);
  auto row2 = decode_property_row(again, tags);
  ASSERT_TRUE(row2);
  EXPECT_EQ(property_bag::from_row(tags, *row2), bag);
}

}  // namespace test_property_bag
