// Property lookup by name, alternate name, tag, LID and string name over the generated MS-OXPROPS
// list and the non-spec list, and the generated per-property constants.
#include <gtest/gtest.h>

#include <vector>

#include <oxwire/gen/mapi/prop_lids.hpp>
#include <oxwire/gen/mapi/prop_names.hpp>
#include <oxwire/gen/mapi/prop_nonspec.hpp>
#include <oxwire/gen/mapi/prop_tags.hpp>
#include <oxwire/mapi/property_lookup.hpp>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

namespace test_property_lookup {

namespace gen = oxwire::gen::mapi;
namespace prop = oxwire::mapi::prop;
namespace propset = oxwire::mapi::propset;
using oxwire::guid;
using oxwire::mapi::find_named_property;
using oxwire::mapi::find_properties;
using oxwire::mapi::find_property;
using oxwire::mapi::property_entry;
using oxwire::mapi::property_tag;
using oxwire::mapi::PropertyType;

// Lookups work in constant expressions.
static_assert(find_property("PidTagSubject")->id == 0x0037);
static_assert(find_property("PR_SUBJECT_W")->canonical == "PidTagSubject");
static_assert(find_property(property_tag{0x0037001E})->canonical == "PidTagSubject");
static_assert(find_named_property(propset::PSETID_Common, 0x8501u)->canonical ==
              "PidLidReminderDelta");
static_assert(find_named_property(propset::PS_PUBLIC_STRINGS, "Keywords")->canonical ==
              "PidNameKeywords");
static_assert(find_property("PidTagAcknowledgementMode")->nonspec);
static_assert(!find_property("PidTagNoSuchProperty"));
static_assert(prop::PidTagSubject.tag() == property_tag{0x0037001F});
static_assert(decltype(prop::PidTagSubject)::type == PropertyType::PtypString);
static_assert(oxwire::mapi::property_set_name(propset::PSETID_Common) == "PSETID_Common");

bool lists(const oxwire::mapi::property_matches& m, const property_entry& e) {
  for (std::size_t i = 0; i < m.size(); ++i)
    if (&m[i] == &e) return true;
  return false;
}

// Every row of both lists, by its canonical name and by each alternate.
template <std::size_t N>
void check_names(const std::array<property_entry, N>& rows, bool nonspec) {
  for (const auto& e : rows) {
    SCOPED_TRACE(std::string(e.canonical));
    EXPECT_EQ(e.nonspec, nonspec);
    // Canonical names are unique over both lists: the lookup returns this row itself.
    EXPECT_EQ(find_property(e.canonical), &e);
    for (auto alt : gen::alternates_of(e)) {
      SCOPED_TRACE(std::string(alt));
      const auto m = find_properties(alt);
      EXPECT_TRUE(lists(m, e));
      // The first match is the spec row, if any lists the name, and it lists the name.
      const property_entry* first = find_property(alt);
      ASSERT_NE(first, nullptr);
      EXPECT_EQ(first, &m[0]);
      EXPECT_TRUE(first->canonical == alt || std::ranges::find(gen::alternates_of(*first), alt) !=
                                                 gen::alternates_of(*first).end());
      if (nonspec && !m.spec.empty()) {
        EXPECT_FALSE(first->nonspec);
      }
    }
  }
}

TEST(PropertyLookup, EveryCanonicalAndAlternateNameResolves) {
  check_names(gen::properties, false);
  check_names(gen::properties_nonspec, true);
}

// Every PidTag row by its own tag; a different type of the same id still resolves to a row
// with that id.
template <std::size_t N>
void check_tags(const std::array<property_entry, N>& rows) {
  for (const auto& e : rows) {
    if (e.kind != "tag") continue;
    SCOPED_TRACE(std::string(e.canonical));
    const auto tag = oxwire::mapi::tag_of(e);
    ASSERT_TRUE(tag);
    const property_entry* got = find_property(*tag);
    ASSERT_NE(got, nullptr);
    EXPECT_EQ(got->id, e.id);
    EXPECT_EQ(got->type_code, e.type_code);
    // Only rows sharing (id, type) can be returned in place of this one (README: 5 such pairs
    // in the spec list, a few more across the lists); the spec row wins.
    if (got != &e) {
      EXPECT_TRUE(!got->nonspec || e.nonspec);
    }
    const property_entry* other = find_property(tag->with_type(PropertyType::PtypUnspecified));
    ASSERT_NE(other, nullptr);
    EXPECT_EQ(other->id, e.id);
  }
}

TEST(PropertyLookup, EveryTagResolves) {
  check_tags(gen::properties);
  check_tags(gen::properties_nonspec);
}

// Every PidLid and PidName row by (property set GUID, LID) or (GUID, name).
template <std::size_t N>
void check_named(const std::array<property_entry, N>& rows) {
  for (const auto& e : rows) {
    if (e.kind == "tag") continue;
    SCOPED_TRACE(std::string(e.canonical));
    const auto set = oxwire::mapi::property_set_guid(e.propset);
    if (!set) {
      // Only PSETID_Appointment2 (openchange's PidNameTimeZone) has no GUID in the tables.
      EXPECT_EQ(e.propset, "PSETID_Appointment2");
      continue;
    }
    const property_entry* got =
        e.kind == "lid" ? find_named_property(*set, e.id) : find_named_property(*set, e.name);
    ASSERT_NE(got, nullptr);
    EXPECT_EQ(got->propset, e.propset);
    if (e.kind == "lid")
      EXPECT_EQ(got->id, e.id);
    else
      EXPECT_EQ(got->name, e.name);
    if (got != &e) {
      EXPECT_TRUE(!got->nonspec || e.nonspec);
    }
  }
}

TEST(PropertyLookup, EveryNamedPropertyResolves) {
  check_named(gen::properties);
  check_named(gen::properties_nonspec);
}

// MS-OXPROPS 2.1054 (checked on the spec page): id 0x0037, PtypString 0x001F, defined in
// MS-OXCMSG 2.2.1.46, alternates PR_SUBJECT, PR_SUBJECT_A, ptagSubject, PR_SUBJECT_W, ...
TEST(PropertyLookup, PidTagSubject) {
  const property_entry* e = find_property("PidTagSubject");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->kind, "tag");
  EXPECT_EQ(e->id, 0x0037u);
  EXPECT_EQ(e->type, "PtypString");
  EXPECT_EQ(e->type_code, 0x001F);
  EXPECT_EQ(e->defining_ref, "MS-OXCMSG section 2.2.1.46");
  EXPECT_FALSE(e->nonspec);
  for (auto alt : {"PR_SUBJECT", "PR_SUBJECT_A", "ptagSubject", "PR_SUBJECT_W",
                   "urn:schemas:httpmail:subject"})
    EXPECT_EQ(find_property(alt), e) << alt;
  EXPECT_EQ(find_property(property_tag{0x0037001F}), e);
  EXPECT_EQ(find_property(property_tag{0x0037001E}), e);  // PtypString8
  EXPECT_EQ(find_property(property_tag{0x0037201F}), e);  // MultiValueInstance bit
  EXPECT_EQ(prop::PidTagSubject.id, 0x0037);
  EXPECT_EQ(prop::PidTagSubject.canonical, "PidTagSubject");
  EXPECT_EQ(prop::PidTagSubject.tag().value, 0x0037001Fu);
}

// MS-OXPROPS 2.218: PSETID_Common {00062008-0000-0000-C000-000000000046}, LID 0x00008501,
// PtypInteger32, alternate dispidReminderDelta.
TEST(PropertyLookup, PidLidReminderDelta) {
  const guid common = guid::from_string("{00062008-0000-0000-C000-000000000046}");
  EXPECT_EQ(propset::PSETID_Common, common);
  EXPECT_EQ(oxwire::mapi::property_set_guid("PSETID_Common"), common);
  const property_entry* e = find_named_property(common, 0x8501u);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->canonical, "PidLidReminderDelta");
  EXPECT_EQ(e->kind, "lid");
  EXPECT_EQ(e->propset, "PSETID_Common");
  EXPECT_EQ(e->type, "PtypInteger32");
  EXPECT_EQ(find_property("dispidReminderDelta"), e);
  EXPECT_EQ(prop::PidLidReminderDelta.set, common);
  EXPECT_EQ(prop::PidLidReminderDelta.lid, 0x8501u);
  EXPECT_TRUE(prop::PidLidReminderDelta.by_lid());
  static_assert(decltype(prop::PidLidReminderDelta)::type == PropertyType::PtypInteger32);
  // The LID in another set is another property (or none).
  EXPECT_EQ(find_named_property(propset::PSETID_Address, 0x8501u), nullptr);
}

// MS-OXPROPS 2.451 / MS-OXCMSG 2.2.1.17: PS_PUBLIC_STRINGS {00020329-...}, name "Keywords",
// PtypMultipleString.
TEST(PropertyLookup, PidNameKeywords) {
  const guid ps_public_strings = guid::from_string("{00020329-0000-0000-C000-000000000046}");
  const property_entry* e = find_named_property(ps_public_strings, "Keywords");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->canonical, "PidNameKeywords");
  EXPECT_EQ(e->type, "PtypMultipleString");
  EXPECT_EQ(prop::PidNameKeywords.set, ps_public_strings);
  EXPECT_EQ(prop::PidNameKeywords.name, "Keywords");
  EXPECT_FALSE(prop::PidNameKeywords.by_lid());
  static_assert(decltype(prop::PidNameKeywords)::type == PropertyType::PtypMultipleString);
  EXPECT_EQ(find_named_property(ps_public_strings, "keywords"), nullptr);  // case-sensitive
}

TEST(PropertyLookup, SharedAlternateListsEveryOwnerSpecFirst) {
  // MS-OXPROPS gives urn:schemas:calendar:locationurl to two PidName entries.
  const auto m = find_properties("urn:schemas:calendar:locationurl");
  ASSERT_EQ(m.spec.size(), 2u);
  EXPECT_EQ(m[0].canonical, "PidNameCalendarLocationUrl");
  EXPECT_EQ(m[1].canonical, "PidNameLocationUrl");
  EXPECT_EQ(find_property("urn:schemas:calendar:locationurl"), &m[0]);
  // PR_ENTRYID is a spec alternate (PidTagEntryId) and a non-spec one: the spec row comes first.
  const auto entry_id = find_properties("PR_ENTRYID");
  ASSERT_FALSE(entry_id.spec.empty());
  ASSERT_FALSE(entry_id.nonspec.empty());
  EXPECT_EQ(find_property("PR_ENTRYID")->canonical, "PidTagEntryId");
  EXPECT_FALSE(find_property("PR_ENTRYID")->nonspec);
}

TEST(PropertyLookup, NonSpecRowsAreMarked) {
  const property_entry* e = find_property("PidTagAcknowledgementMode");
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(e->nonspec);
  EXPECT_EQ(e->area, "");
  EXPECT_EQ(prop::nonspec::PidTagAcknowledgementMode.id, e->id);
}

// The source prints three alternates twice without a separator; specs/import_specs.py corrects
// them.
TEST(PropertyLookup, CorrectedAlternatesResolve) {
  for (const auto& [alternate, canonical] :
       std::vector<std::pair<std::string_view, std::string_view>>{
           {"http://schemas.microsoft.com/exchange/outlookmessageclass", "PidTagMessageClass"},
           {"http://schemas.microsoft.com/exchange/outlookfolderclass", "PidTagContainerClass"},
           {"urn:schemas:contacts:businesshomepage", "PidTagBusinessHomePage"}}) {
    const auto* p = oxwire::mapi::find_property(alternate);
    ASSERT_NE(p, nullptr) << alternate;
    EXPECT_EQ(p->canonical, canonical);
  }
}

TEST(PropertyLookup, UnknownNamesTagsAndSetsFail) {
  using namespace std::string_view_literals;
  for (std::string_view name : {""sv, "PidTag"sv, "PidTagSubjectX"sv, "pidtagsubject"sv,
                                "PR_SUBJECT "sv, "PR_SUBJECT\0"sv, "urn:schemas:httpmail:"sv})
    EXPECT_EQ(find_property(name), nullptr) << name;
  EXPECT_TRUE(find_properties("nothing").empty());
  // No PidTag entry has id 0x0000 or 0xFFFF.
  EXPECT_EQ(find_property(property_tag{0x0000001F}), nullptr);
  EXPECT_EQ(find_property(property_tag{0xFFFF0003}), nullptr);
  const guid unknown = guid::from_string("{01234567-89AB-CDEF-0123-456789ABCDEF}");
  EXPECT_EQ(find_named_property(unknown, 0x8501u), nullptr);
  EXPECT_EQ(find_named_property(unknown, "Keywords"), nullptr);
  EXPECT_EQ(find_named_property(propset::PS_PUBLIC_STRINGS, ""), nullptr);
  EXPECT_EQ(oxwire::mapi::property_set_name(unknown), "");
  EXPECT_FALSE(oxwire::mapi::property_set_guid("PSETID_Nothing"));
  // A long name (bigger than any key) still hashes and misses.
  EXPECT_EQ(find_property(std::string(100000, 'P')), nullptr);
}

TEST(PropertyLookup, PropertySetsRoundTrip) {
  for (const auto& s : gen::property_sets) {
    EXPECT_EQ(oxwire::mapi::property_set_guid(s.name), s.guid);
    EXPECT_EQ(oxwire::mapi::property_set_name(s.guid), s.name);
  }
}

// The generated constants agree with the table rows (spot checks; the headers are generated
// from the same JSON).
TEST(PropertyLookup, ConstantsMatchTheTable) {
  const property_entry* e = find_property("PidTagMessageClass");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(prop::PidTagMessageClass.id, e->id);
  EXPECT_EQ(static_cast<std::uint16_t>(decltype(prop::PidTagMessageClass)::type), e->type_code);
  EXPECT_EQ(prop::PidLidAppointmentRecur.set, propset::PSETID_Appointment);
  EXPECT_EQ(find_property(prop::PidLidAppointmentRecur.canonical)->id,
            prop::PidLidAppointmentRecur.lid);
}

}  // namespace test_property_lookup
