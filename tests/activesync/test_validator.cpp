// ActiveSync schema validator: generated content models, crafted violations (path and offset),
// value types, the shared corpus, and throughput on a large Sync response.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <oxwire/activesync/validator.hpp>
#include <oxwire_test/assertions.hpp>
#include <oxwire_test/requirements.hpp>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "../wbxml/wbxml_test.hpp"
#include "corpus_violations.hpp"

namespace test_validator {

using namespace oxwire::activesync;
using oxwire_test::fails_with;
namespace sc = oxwire::gen::activesync::schema;

// Code pages (MS-ASWBXML 2.1.2.1).
constexpr std::uint8_t AirSync = 0, Email = 2, Calendar = 4, FolderHierarchy = 7,
                       MeetingResponse = 8, Search = 15, AirSyncBase = 17, Settings = 18,
                       ItemOperations = 20, ComposeMail = 21, RightsManagement = 24, Find = 25;

/// Writes WBXML with the header 03 01 6A 00; `at` is the offset of the last tag or string token.
struct doc {
  std::vector<std::uint8_t> b{0x03, 0x01, 0x6A, 0x00};
  std::uint8_t page = 0;
  std::size_t at = 0;

  doc& tag(std::uint8_t pg, std::string_view name, bool content) {
    if (pg != page) b.insert(b.end(), {0x00, pg}), page = pg;
    const auto tok = oxwire::wbxml::find_token(pg, name);
    EXPECT_TRUE(tok) << name;
    at = b.size();
    b.push_back(static_cast<std::uint8_t>(tok.value_or(0) | (content ? 0x40 : 0)));
    return *this;
  }
  doc& open(std::uint8_t pg, std::string_view name) { return tag(pg, name, true); }
  doc& empty(std::uint8_t pg, std::string_view name) { return tag(pg, name, false); }
  doc& text(std::string_view s) {
    at = b.size();
    b.push_back(0x03);
    b.insert(b.end(), s.begin(), s.end());
    b.push_back(0x00);
    return *this;
  }
  doc& close() {
    at = b.size();
    b.push_back(0x01);
    return *this;
  }
  doc& leaf(std::uint8_t pg, std::string_view name, std::string_view s) {
    open(pg, name);
    text_at = b.size();
    return text(s).close();
  }
  std::size_t text_at = 0;  // offset of the STR_I of the last leaf
};

/// The last leaf's STR_I offset: one byte after its tag token.
std::size_t str_at(const doc& d) {
  return d.text_at;
}

struct outcome {
  oxwire::result<void> r;
  std::string path;
};

outcome check(const doc& d, protocol_version v = protocol_version::v14_1,
              validate_options opt = {}) {
  validator val(v, opt);
  auto r = val.run(d.b);
  return {r, std::string(val.path())};
}

/// FolderSync response (MS-ASCMD 2.2.1.5) up to Changes; the caller closes it.
doc folder_sync_head() {
  doc d;
  d.open(FolderHierarchy, "FolderSync").leaf(FolderHierarchy, "Status", "1");
  d.leaf(FolderHierarchy, "SyncKey", "1");
  return d;
}

/// Sync response down to Commands/Add/ApplicationData; the caller adds the item and closes 6.
doc sync_add_head() {
  doc d;
  d.open(AirSync, "Sync").open(AirSync, "Collections").open(AirSync, "Collection");
  d.leaf(AirSync, "SyncKey", "2").leaf(AirSync, "CollectionId", "1").leaf(AirSync, "Status", "1");
  d.open(AirSync, "Commands").open(AirSync, "Add").leaf(AirSync, "ServerId", "1:1");
  d.open(AirSync, "ApplicationData");
  return d;
}
doc& close_n(doc& d, int n) {
  while (n--) d.close();
  return d;
}

// ---------------------------------------------------------------- generated tables

TEST(SchemaTables, RootsModelsAndTransitions) {
  static_assert(sc::find_response_root(0x00 * 64 + 0x05)->command == "Sync");
  static_assert(sc::find_response_root(0x07 * 64 + 0x16)->command == "FolderSync");
  static_assert(!sc::find_response_root(0x02 * 64 + 0x14));  // Email:Subject is no root
  const auto* sync = sc::find_particle(0, 0x00 * 64 + 0x05);
  ASSERT_TRUE(sync);
  // Sync: Status?, (Limit | Collections) — an exclusive choice (SyncResponse.xsd).
  const auto* limit = sc::find_particle(sync->child, 0x00 * 64 + 0x25);
  const auto* collections = sc::find_particle(sync->child, 0x00 * 64 + 0x1C);
  ASSERT_TRUE(limit && collections);
  EXPECT_EQ(limit->choice, collections->choice);
  EXPECT_NE(limit->branch, collections->branch);
  EXPECT_EQ(sc::models[sync->child].path, "Sync");
  // FolderSync: Status (required), SyncKey?, Changes? in this order.
  const auto* fs = sc::find_particle(0, 0x07 * 64 + 0x16);
  const auto* status = sc::find_particle(fs->child, 0x07 * 64 + 0x0C);
  const auto* key = sc::find_particle(fs->child, 0x07 * 64 + 0x12);
  ASSERT_TRUE(status && key);
  EXPECT_LT(status->order, key->order);
  EXPECT_EQ(status->min_occurs, 1);
  EXPECT_NE(sc::models[fs->child].required & (1ULL << status->counter), 0u);
  // The same local name in two namespaces: two different elements with different types.
  const auto& as_status = sc::value_rules[sc::find_particle(0, 0x00 * 64 + 0x0E)->value];
  EXPECT_EQ(as_status.type, sc::value_type::integer);
  // Calendar MeetingStatus is an enumeration (Calendar.xsd).
  const auto& ms = sc::value_rules[sc::find_particle(0, 0x04 * 64 + 0x18)->value];
  EXPECT_EQ(ms.type, sc::value_type::unsigned_byte);
  EXPECT_EQ(ms.enum_count, 9u);
}

// ---------------------------------------------------------------- valid documents

TEST(Validator, FolderSyncResponseValidates) {
  doc d = folder_sync_head();
  d.open(FolderHierarchy, "Changes").leaf(FolderHierarchy, "Count", "1");
  d.open(FolderHierarchy, "Add").leaf(FolderHierarchy, "ServerId", "1");
  d.leaf(FolderHierarchy, "ParentId", "0").leaf(FolderHierarchy, "DisplayName", "Inbox");
  d.leaf(FolderHierarchy, "Type", "2").close().close().close();
  const auto o = check(d);
  EXPECT_TRUE(o.r) << o.r.error().message();
}

TEST(Validator, SyncResponseItemValidates) {
  doc d = sync_add_head();
  d.leaf(Email, "Subject", "hi").leaf(Email, "Read", "1");
  d.leaf(Email, "DateReceived", "2000-12-25T08:35:00.000Z").leaf(Calendar, "MeetingStatus", "3");
  close_n(d, 6);
  const auto o = check(d);
  EXPECT_TRUE(o.r) << o.r.error().message() << " " << o.path;
}

// ---------------------------------------------------------------- structure violations

TEST(Validator, WrongChild) {
  doc d;
  d.open(FolderHierarchy, "FolderSync").leaf(FolderHierarchy, "Status", "1");
  d.open(FolderHierarchy, "Add");
  const std::size_t add = d.at;
  d.close().close();
  const auto o = check(d);
  EXPECT_TRUE(fails_with(o.r, schema_errc::unexpected_element, add, "Add"));
  EXPECT_EQ(o.path, "FolderSync/Add");
}

TEST(Validator, MissingRequiredChildAtEnd) {
  doc d;
  d.open(FolderHierarchy, "FolderSync").leaf(FolderHierarchy, "SyncKey", "1").close();
  const auto o = check(d);
  EXPECT_TRUE(fails_with(o.r, schema_errc::missing_required, d.at, "Status"));
  EXPECT_EQ(o.path, "FolderSync/Status");
}

TEST(Validator, TooManyOccurrences) {
  doc d;
  d.open(FolderHierarchy, "FolderSync").leaf(FolderHierarchy, "Status", "1");
  d.open(FolderHierarchy, "Status");
  const std::size_t second = d.at;
  d.text("1").close().close();
  const auto o = check(d);
  EXPECT_TRUE(fails_with(o.r, schema_errc::too_many, second, "Status"));
  EXPECT_EQ(o.path, "FolderSync/Status");
}

TEST(Validator, OutOfOrderSequenceElement) {
  doc d;
  d.open(FolderHierarchy, "FolderSync").leaf(FolderHierarchy, "SyncKey", "1");
  d.open(FolderHierarchy, "Status");
  const std::size_t status = d.at;
  d.text("1").close().close();
  const auto o = check(d);
  EXPECT_TRUE(fails_with(o.r, schema_errc::out_of_order, status, "Status"));
  EXPECT_EQ(o.path, "FolderSync/Status");
}

TEST(Validator, SecondAlternativeOfExclusiveChoice) {
  doc d;
  d.open(AirSync, "Sync").leaf(AirSync, "Limit", "100");
  d.open(AirSync, "Collections");
  const std::size_t at = d.at;
  d.close().close();
  const auto o = check(d);
  EXPECT_TRUE(fails_with(o.r, schema_errc::choice_conflict, at, "Collections"));
  EXPECT_EQ(o.path, "Sync/Collections");
}

TEST(Validator, ElementFromALaterProtocolVersion) {
  doc d;
  d.open(Find, "Find").leaf(Find, "Status", "1").close();
  const std::size_t find_at = 6;  // after the header and SWITCH_PAGE 25
  const auto o = check(d, protocol_version::v14_1);
  EXPECT_TRUE(fails_with(o.r, schema_errc::not_in_version, find_at, "Find"));
  EXPECT_EQ(o.path, "Find");
  EXPECT_TRUE(check(d, protocol_version::v16_1).r);  // Find exists in 16.1 (MS-ASWBXML 2.1.2.1.26)
}

TEST(Validator, TextInElementOnlyContent) {
  doc d;
  d.open(FolderHierarchy, "FolderSync").text("x");
  const std::size_t at = d.at;
  d.leaf(FolderHierarchy, "Status", "1").close();
  const auto o = check(d);
  EXPECT_TRUE(fails_with(o.r, schema_errc::text_not_allowed, at, "FolderSync"));
  EXPECT_EQ(o.path, "FolderSync");
}

// ---------------------------------------------------------------- value types

TEST(Validator, BadInteger) {
  doc d;
  d.open(FolderHierarchy, "FolderSync").leaf(FolderHierarchy, "Status", "1x").close();
  const auto o = check(d);
  EXPECT_TRUE(fails_with(o.r, schema_errc::invalid_integer, str_at(d), "Status"));
  EXPECT_EQ(o.path, "FolderSync/Status");
}

TEST(Validator, BadEnumerationValueWithFullPath) {
  doc d = sync_add_head();
  d.leaf(Email, "Subject", "hi").leaf(Calendar, "MeetingStatus", "2");
  const std::size_t at = str_at(d);
  close_n(d, 6);
  const auto o = check(d);
  EXPECT_TRUE(fails_with(o.r, schema_errc::not_in_enumeration, at, "MeetingStatus"));
  EXPECT_EQ(o.path,
            "Sync/Collections/Collection/Commands/Add/ApplicationData/Calendar:MeetingStatus");
}

TEST(Validator, BadBooleanAndDateTime) {
  doc b = sync_add_head();
  b.leaf(Email, "Read", "true");
  const std::size_t read_at = str_at(b);
  close_n(b, 6);
  EXPECT_TRUE(fails_with(check(b).r, schema_errc::invalid_boolean, read_at, "Read"));
  doc t = sync_add_head();
  t.leaf(Email, "DateReceived", "2000-12-25 08:35:00Z");
  const std::size_t dt_at = str_at(t);
  close_n(t, 6);
  EXPECT_TRUE(fails_with(check(t).r, schema_errc::invalid_datetime, dt_at, "DateReceived"));
}

TEST(Validator, EmptyLeafOfIntegerType) {
  doc d;
  d.open(FolderHierarchy, "FolderSync").empty(FolderHierarchy, "Status");
  const std::size_t at = d.at;
  d.close();
  EXPECT_TRUE(fails_with(check(d).r, schema_errc::invalid_integer, at, "Status"));
}

TEST(ValueChecks, DateTimeForms) {  // MS-ASDTYPE 2.3
  using detail::is_datetime;
  EXPECT_TRUE(is_datetime("2000-12-25T08:35:00.000Z"));
  EXPECT_TRUE(is_datetime("2000-12-25T08:35:00Z"));
  EXPECT_TRUE(is_datetime("20001225T083500Z"));
  EXPECT_FALSE(is_datetime("2000-13-25T08:35:00Z"));
  EXPECT_FALSE(is_datetime("2000-12-25T08:35:00"));
  EXPECT_FALSE(is_datetime("20001225T0835Z"));
  EXPECT_FALSE(is_datetime("2000-12-25T08:35:00.0Z"));
}

TEST(ValueChecks, IntegersDoublesAndRanges) {
  using detail::parse_integer;
  EXPECT_EQ(parse_integer("-42").value, -42);
  EXPECT_TRUE(parse_integer("99999999999999999999").overflow);
  EXPECT_FALSE(parse_integer("+").ok);
  EXPECT_TRUE(detail::is_double("-1.5E3"));
  EXPECT_FALSE(detail::is_double("1e"));
  const std::uint8_t p[4] = {1, 3, 1, 3};
  EXPECT_TRUE(detail::matches_range("0-99", p));
  EXPECT_FALSE(detail::matches_range("0-1000", p));
}

// ---------------------------------------------------------------- requests (lax) and options

/// Sync request (specs/activesync-requests.json): Options/FilterType is checked: 0..8.
doc sync_request(std::string_view filter) {
  doc d;
  d.open(AirSync, "Sync").open(AirSync, "Collections").open(AirSync, "Collection");
  d.leaf(AirSync, "SyncKey", "1").leaf(AirSync, "CollectionId", "1");
  d.open(AirSync, "Options").leaf(AirSync, "FilterType", filter);
  return close_n(d, 4);
}

TEST(Validator, RequestChecksGlobalDeclarations) {
  validate_options req{.dir = direction::request};
  EXPECT_TRUE(check(sync_request("3"), protocol_version::v14_1, req).r);
  const doc d = sync_request("9");
  const auto o = check(d, protocol_version::v14_1, req);
  ASSERT_FALSE(o.r);
  EXPECT_EQ(o.r.error().code, make_error_code(schema_errc::integer_out_of_range));
  EXPECT_EQ(o.path, "Sync/Collections/Collection/Options/FilterType");
  // The same document as a response: Options is not a child of a response Collection.
  EXPECT_EQ(check(d).r.error().code, make_error_code(schema_errc::unexpected_element));
}

TEST(Validator, RequireSchemaRejectsRequests) {
  // Every command request has a model now; the GetHierarchy response root (folderhierarchy:
  // Folders, 12.1 and older) has none as a request root. Sync has one.
  validate_options req{.dir = direction::request, .require_schema = true};
  doc folders;
  folders.open(FolderHierarchy, "Folders").close();
  EXPECT_TRUE(fails_with(check(folders, protocol_version::v12_1, req).r, schema_errc::no_schema, 6,
                         "Folders"));
  EXPECT_TRUE(check(sync_request("3"), protocol_version::v14_1, req).r);
}

// ---------------------------------------------------------------- cross-element rules

const validate_options as_request{.dir = direction::request};

TEST(SchemaTables, ElementRulesNameTheirElements) {
  for (const auto& r : detail::element_rules) {
    EXPECT_TRUE(r.section.starts_with("MS-ASCMD 2.2.3.")) << r.path;
    EXPECT_TRUE(oxwire::wbxml::find_tag(static_cast<std::uint8_t>(r.parent >> 6), r.parent & 63));
    EXPECT_NE(r.others[0], 0) << r.path;
  }
}

/// MeetingResponse request with UserResponse 1; `ids` adds the identifying children in order.
doc meeting_response(std::initializer_list<std::pair<std::uint8_t, std::string_view>> ids,
                     std::size_t* last_at = nullptr) {
  doc d;
  d.open(MeetingResponse, "MeetingResponse").open(MeetingResponse, "Request");
  d.leaf(MeetingResponse, "UserResponse", "1");
  for (const auto& [page, name] : ids) {
    d.leaf(page, name, "5");
    if (last_at) *last_at = d.text_at - 1;
  }
  close_n(d, 2);
  return d;
}

TEST(ElementRules, MeetingResponseLongIdExcludesCollectionIdAndRequestId) {
  // MS-ASCMD 2.2.3.150.2, 2.2.3.98.2, 2.2.3.151.
  OXWIRE_REQ("MS-ASCMD_R7031", "MS-ASCMD_R7036");
  const auto v = protocol_version::v14_1;
  EXPECT_TRUE(check(meeting_response({{Search, "LongId"}}), v, as_request).r);
  EXPECT_TRUE(
      check(meeting_response({{MeetingResponse, "CollectionId"}, {MeetingResponse, "RequestId"}}),
            v, as_request)
          .r);
  std::size_t at = 0;
  const doc a = meeting_response({{Search, "LongId"}, {MeetingResponse, "CollectionId"}}, &at);
  auto o = check(a, v, as_request);
  EXPECT_TRUE(fails_with(o.r, schema_errc::excluded_by_sibling, at, "CollectionId"));
  EXPECT_EQ(o.path, "MeetingResponse/Request/CollectionId");
  // Either order: the second of the two is reported, here the LongId after a RequestId.
  const doc b = meeting_response({{MeetingResponse, "RequestId"}, {Search, "LongId"}}, &at);
  o = check(b, v, as_request);
  EXPECT_TRUE(fails_with(o.r, schema_errc::excluded_by_sibling, at, "LongId"));
  EXPECT_EQ(o.path, "MeetingResponse/Request/Search:LongId");
}

/// SmartReply or SmartForward request (16.1): ClientId, Source with `source`, then `rest`;
/// `last_at` gets the offset of the last element's tag.
doc compose(std::string_view root, std::initializer_list<std::string_view> source,
            std::initializer_list<std::pair<std::uint8_t, std::string_view>> rest,
            std::size_t* last_at = nullptr) {
  doc d;
  d.open(ComposeMail, root).leaf(ComposeMail, "ClientId", "1").open(ComposeMail, "Source");
  std::size_t at = 0;
  for (const auto name : source) {
    d.open(ComposeMail, name);
    at = d.at;
    d.text("5").close();
  }
  d.close();
  for (const auto& [page, name] : rest) {
    if (name == "SaveInSentItems" || name == "ReplaceMime") {
      d.empty(page, name);
      at = d.at;
    } else {
      d.open(page, name);
      at = d.at;
      if (name == "Body")
        d.leaf(AirSyncBase, "Type", "1").leaf(AirSyncBase, "Data", "x");
      else if (name == "Forwardees")
        d.open(ComposeMail, "Forwardee").leaf(ComposeMail, "Email", "dana@example.com").close();
      else
        d.text("x");
      d.close();
    }
  }
  d.close();
  if (last_at) *last_at = at;
  return d;
}

TEST(ElementRules, SourceLongIdExcludesFolderIdAndItemId) {
  // MS-ASCMD 2.2.3.173, 2.2.3.98.4 (SmartReply and SmartForward share the Source model). No
  // requirement ID: MS-ASCMD_R3243 (an older revision) also names InstanceId, which the current
  // sections allow with LongId (2.2.3.92.2).
  const auto v = protocol_version::v16_1;
  EXPECT_TRUE(check(compose("SmartReply", {"LongId"}, {{ComposeMail, "Mime"}}), v, as_request).r);
  EXPECT_TRUE(
      check(compose("SmartReply", {"FolderId", "ItemId"}, {{ComposeMail, "Mime"}}), v, as_request)
          .r);
  for (const auto root : {"SmartReply", "SmartForward"}) {
    std::size_t at = 0;
    const doc d = compose(root, {"ItemId", "LongId"}, {}, &at);
    const auto o = check(d, v, as_request);
    EXPECT_TRUE(fails_with(o.r, schema_errc::excluded_by_sibling, at, "LongId")) << root;
    EXPECT_EQ(o.path, std::string(root) + "/Source/LongId");
  }
  std::size_t at = 0;
  const auto o = check(compose("SmartReply", {"LongId", "FolderId"}, {}, &at), v, as_request);
  EXPECT_TRUE(fails_with(o.r, schema_errc::excluded_by_sibling, at, "FolderId"));
  EXPECT_EQ(o.path, "SmartReply/Source/FolderId");
}

TEST(ElementRules, SmartForwardForwardeesAndBodyExcludeMimeAndFriends) {
  // MS-ASCMD 2.2.3.169 (16.x): with Forwardees or airsyncbase:Body, no Mime, SaveInSentItems,
  // ReplaceMime or rm:TemplateID; Mime is required only without them (2.2.3.109).
  OXWIRE_REQ("MS-ASCMD_R7176");
  const auto v = protocol_version::v16_1;
  EXPECT_TRUE(
      check(compose("SmartForward", {"LongId"}, {{ComposeMail, "Forwardees"}}), v, as_request).r);
  EXPECT_TRUE(check(compose("SmartForward", {"LongId"},
                            {{AirSyncBase, "Body"}, {ComposeMail, "Forwardees"}}),
                    v, as_request)
                  .r);
  EXPECT_TRUE(check(compose("SmartForward", {"LongId"},
                            {{ComposeMail, "SaveInSentItems"}, {ComposeMail, "Mime"}}),
                    v, as_request)
                  .r);
  const struct {
    std::initializer_list<std::pair<std::uint8_t, std::string_view>> rest;
    const char* what;
    std::string_view path;
  } cases[] = {
      {{{ComposeMail, "Forwardees"}, {ComposeMail, "Mime"}}, "Mime", "SmartForward/Mime"},
      {{{ComposeMail, "Mime"}, {ComposeMail, "Forwardees"}},
       "Forwardees",
       "SmartForward/Forwardees"},
      {{{AirSyncBase, "Body"}, {ComposeMail, "SaveInSentItems"}},
       "SaveInSentItems",
       "SmartForward/SaveInSentItems"},
      {{{ComposeMail, "ReplaceMime"}, {AirSyncBase, "Body"}},
       "Body",
       "SmartForward/AirSyncBase:Body"},
      {{{AirSyncBase, "Body"}, {RightsManagement, "TemplateID"}},
       "TemplateID",
       "SmartForward/RightsManagement:TemplateID"},
  };
  for (const auto& c : cases) {
    const doc d = compose("SmartForward", {"LongId"}, c.rest);
    const auto o = check(d, v, as_request);
    ASSERT_FALSE(o.r) << c.path;
    EXPECT_EQ(o.r.error().code, make_error_code(schema_errc::excluded_by_sibling)) << c.path;
    EXPECT_STREQ(o.r.error().what, c.what);
    EXPECT_EQ(o.path, c.path);
  }
  // The offset is the start of the second element's tag.
  std::size_t at = 0;
  const doc d = compose("SmartForward", {"LongId"},
                        {{AirSyncBase, "Body"}, {ComposeMail, "ReplaceMime"}}, &at);
  EXPECT_TRUE(
      fails_with(check(d, v, as_request).r, schema_errc::excluded_by_sibling, at, "ReplaceMime"));
  // Neither Mime nor Forwardees nor Body: Mime missing at SmartForward's END.
  const doc bare = compose("SmartForward", {"LongId"}, {{ComposeMail, "SaveInSentItems"}});
  const auto o = check(bare, v, as_request);
  EXPECT_TRUE(fails_with(o.r, schema_errc::missing_required, bare.b.size() - 1, "Mime"));
  EXPECT_EQ(o.path, "SmartForward/Mime");
  // SmartReply keeps Mime required by its model (no 16.x exception there).
  EXPECT_EQ(check(compose("SmartReply", {"LongId"}, {}), v, as_request).r.error().code,
            make_error_code(schema_errc::missing_required));
}

TEST(ElementRules, OofMessageAudiencesAreMutuallyExclusive) {
  // MS-ASCMD 2.2.3.123: AppliesToInternal, AppliesToExternalKnown and AppliesToExternalUnknown
  // are mutually exclusive within one OofMessage.
  OXWIRE_REQ("MS-ASCMD_R3517");
  // Settings Oof Set with one OofMessage per audience, or (`together`) one OofMessage with all.
  const auto oof = [](std::initializer_list<std::string_view> audiences, bool together,
                      std::size_t* at) {
    doc d;
    d.open(Settings, "Settings").open(Settings, "Oof").open(Settings, "Set");
    d.leaf(Settings, "OofState", "1");
    if (together) d.open(Settings, "OofMessage");
    for (const auto a : audiences) {
      if (!together) d.open(Settings, "OofMessage");
      d.empty(Settings, a);
      *at = d.at;
      if (!together) d.leaf(Settings, "Enabled", "1").close();
    }
    if (together) d.leaf(Settings, "Enabled", "1").close();
    close_n(d, 3);
    return d;
  };
  std::size_t at = 0;
  EXPECT_TRUE(check(oof({"AppliesToInternal", "AppliesToExternalKnown"}, false, &at),
                    protocol_version::v14_1, as_request)
                  .r);
  for (const auto& [first, second] :
       {std::pair{"AppliesToInternal", "AppliesToExternalKnown"},
        std::pair{"AppliesToExternalUnknown", "AppliesToInternal"},
        std::pair{"AppliesToExternalKnown", "AppliesToExternalUnknown"}}) {
    // Separate OofMessage elements each have their own audience; one may not have two.
    const doc d = oof({first, second}, true, &at);
    const auto o = check(d, protocol_version::v14_1, as_request);
    EXPECT_TRUE(fails_with(o.r, schema_errc::excluded_by_sibling, at, second)) << first;
    EXPECT_EQ(o.path, std::string("Settings/Oof/Set/OofMessage/") + second);
  }
}

TEST(ElementRules, OofMessageAudienceInOneMessageOnly) {
  // MS-ASCMD 2.2.3.123: the same AppliesTo* element in no more than one OofMessage of a Set.
  OXWIRE_REQ("MS-ASCMD_R3526");
  const auto oof = [](std::initializer_list<std::string_view> audiences, std::size_t* at) {
    doc d;
    d.open(Settings, "Settings").open(Settings, "Oof").open(Settings, "Set");
    d.leaf(Settings, "OofState", "1");
    for (const auto a : audiences) {
      d.open(Settings, "OofMessage").empty(Settings, a);
      *at = d.at;
      d.leaf(Settings, "Enabled", "1").close();
    }
    close_n(d, 3);
    return d;
  };
  std::size_t at = 0;
  EXPECT_TRUE(
      check(oof({"AppliesToInternal", "AppliesToExternalKnown", "AppliesToExternalUnknown"}, &at),
            protocol_version::v14_1, as_request)
          .r);
  for (const auto a : {"AppliesToInternal", "AppliesToExternalKnown", "AppliesToExternalUnknown"}) {
    const doc d = oof({a,
                       "AppliesToInternal" == std::string_view(a) ? "AppliesToExternalKnown"
                                                                  : "AppliesToInternal",
                       a},
                      &at);
    const auto o = check(d, protocol_version::v14_1, as_request);
    EXPECT_TRUE(fails_with(o.r, schema_errc::too_many, at, a)) << a;
    EXPECT_EQ(o.path, std::string("Settings/Oof/Set/OofMessage/") + a);
  }
}

TEST(ElementRules, FileReferenceLeavesOnlyRangeInOptions) {
  // MS-ASCMD 2.2.3.8: with an airsyncbase:FileReference in a Fetch, Range is the only valid child
  // of its Options. Fetch's children come in any order: the second of the two clashing is named.
  OXWIRE_REQ("MS-ASCMD_R767");
  // ItemOperations Fetch of an attachment; `options` are Options children (MIMESupport or Range)
  // written before the FileReference when `options_first`.
  const auto fetch = [](std::initializer_list<std::string_view> options, bool options_first,
                        std::size_t* at) {
    doc d;
    d.open(ItemOperations, "ItemOperations").open(ItemOperations, "Fetch");
    d.leaf(ItemOperations, "Store", "Mailbox");
    const auto file_reference = [&] {
      d.leaf(AirSyncBase, "FileReference", "5:1:0");
      *at = d.text_at - 1;
    };
    if (!options_first) file_reference();
    d.open(ItemOperations, "Options");
    for (const auto o : options) {
      if (o == "Range") {
        d.leaf(ItemOperations, "Range", "0-99");
      } else {
        d.leaf(AirSync, "MIMESupport", "2");
        if (!options_first) *at = d.text_at - 1;
      }
    }
    d.close();
    if (options_first) file_reference();
    close_n(d, 2);
    return d;
  };
  const auto v = protocol_version::v14_1;
  std::size_t at = 0;
  EXPECT_TRUE(check(fetch({"Range"}, false, &at), v, as_request).r);
  EXPECT_TRUE(check(fetch({"Range"}, true, &at), v, as_request).r);
  auto o = check(fetch({"Range", "MIMESupport"}, false, &at), v, as_request);
  EXPECT_TRUE(fails_with(o.r, schema_errc::excluded_by_sibling, at, "MIMESupport"));
  EXPECT_EQ(o.path, "ItemOperations/Fetch/Options/AirSync:MIMESupport");
  o = check(fetch({"MIMESupport"}, true, &at), v, as_request);
  EXPECT_TRUE(fails_with(o.r, schema_errc::excluded_by_sibling, at, "FileReference"));
  EXPECT_EQ(o.path, "ItemOperations/Fetch/AirSyncBase:FileReference");
  // Without a FileReference, Options may hold the rest (a Fetch by ServerId).
  doc d;
  d.open(ItemOperations, "ItemOperations").open(ItemOperations, "Fetch");
  d.leaf(ItemOperations, "Store", "Mailbox").leaf(AirSync, "CollectionId", "5");
  d.leaf(AirSync, "ServerId", "5:1").open(ItemOperations, "Options");
  d.leaf(AirSync, "MIMESupport", "2");
  close_n(d, 3);
  EXPECT_TRUE(check(d, v, as_request).r);
}

TEST(Validator, TokenizerErrorsPassThrough) {
  doc d;
  d.open(FolderHierarchy, "FolderSync");  // never closed
  EXPECT_TRUE(fails_with(check(d).r, oxwire::wbxml::errc::truncated_body, d.b.size()));
}

TEST(Validator, NestingBeyondTheStackIsAnError) {
  doc d;
  for (int i = 0; i < 60; ++i) d.open(AirSync, "Collection");
  close_n(d, 60);
  const auto r = check(d, protocol_version::v14_1, {.dir = direction::request}).r;
  EXPECT_TRUE(fails_with(r, oxwire::wbxml::errc::nesting_too_deep, 4 + validator_max_depth));
}

TEST(Validator, FeedingEventsMatchesRun) {
  doc d = sync_add_head();
  d.leaf(Calendar, "MeetingStatus", "2");
  close_n(d, 6);
  validator v(protocol_version::v14_1);
  auto tok = oxwire::wbxml::tokenizer::create(d.b);
  ASSERT_TRUE(tok);
  oxwire::result<void> first{};
  for (;;) {
    auto ev = tok->next();
    ASSERT_TRUE(ev);
    if (ev->kind == oxwire::wbxml::event_kind::eof) break;
    if (auto r = v.feed(*ev); !r && first) first = r;
  }
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error(), validate(d.b, protocol_version::v14_1).error());
  EXPECT_EQ(v.path(),
            "Sync/Collections/Collection/Commands/Add/ApplicationData/Calendar:MeetingStatus");
}

// ---------------------------------------------------------------- the shared corpus

/// Corpus documents that are not XSD-valid, with the reason (checked: each must fail exactly so).
/// MS-ASProtocolVersion of the exchange (its .req.http); Windows Mail sends the version in the
/// base64 query only, which is 16.1 in every trace (syncgw-traces/MANIFEST.md). Horde fixtures
/// use Calendar:Location, which 16.0 replaced by airsyncbase:Location: they are 14.1 documents.
protocol_version version_of(const std::filesystem::path& p) {
  if (p.parent_path().filename() == "horde-fixtures") return protocol_version::v14_1;
  const std::string name = p.filename().string();
  const auto cut = name.find(".re");
  std::ifstream h(p.parent_path() / (name.substr(0, cut) + ".req.http"));
  std::string line;
  static const std::regex header("MS-ASProtocolVersion: ([0-9.]+)", std::regex::icase);
  for (std::smatch m; std::getline(h, line);)
    if (std::regex_search(line, m, header))
      if (auto v = parse_protocol_version(m[1].str())) return *v;
  return protocol_version::v16_1;
}

TEST(ValidatorCorpus, XsdValidDocumentsValidate) {
  OXWIRE_WBXML_CORPUS(files);
  std::size_t valid = 0, strict = 0;
  for (const auto& p : files) {
    const std::string rel = p.parent_path().filename().string() + "/" + p.filename().string();
    validate_options opt;
    // .req. bodies are requests (no XSD: lax); Horde's ApplicationData fragments have no
    // header or command root (lax); syncgw-mimedata holds responses.
    opt.dir = rel.find(".req.") != std::string::npos ? direction::request : direction::response;
    opt.wbxml.fragment = p.parent_path().filename() == "horde-fixtures";
    const auto bytes = oxwire_test::read_file(p);
    validator v(version_of(p), opt);
    const auto r = v.run(bytes);
    if (const auto it = oxwire_test::known_invalid().find(rel);
        it != oxwire_test::known_invalid().end()) {
      ASSERT_FALSE(r) << rel << " validates now: take it off the list";
      EXPECT_EQ(r.error().code, make_error_code(it->second.first)) << rel;
      EXPECT_EQ(v.path(), it->second.second) << rel;
      continue;
    }
    EXPECT_TRUE(r) << rel << ": " << r.error().message() << " at " << v.path();
    ++valid;
    strict += opt.dir == direction::response && !opt.wbxml.fragment;
  }
  EXPECT_GE(valid, 90u);
  EXPECT_GE(strict, 35u);  // responses are checked against their command's full content model
  // Every listed file is in the corpus.
  for (const auto& [rel, _] : oxwire_test::known_invalid())
    EXPECT_TRUE(std::filesystem::exists(corpus_root / rel)) << rel;
}

// ---------------------------------------------------------------- throughput

// A large document validates in one pass (its speed is measured by bench_activesync_models).
TEST(Validator, LargeSyncResponse) {
  doc d;
  d.open(AirSync, "Sync").open(AirSync, "Collections").open(AirSync, "Collection");
  d.leaf(AirSync, "SyncKey", "2").leaf(AirSync, "CollectionId", "1").leaf(AirSync, "Status", "1");
  d.open(AirSync, "Commands");
  for (int i = 0; i < 2000; ++i) {
    d.open(AirSync, "Add").leaf(AirSync, "ServerId", "1:" + std::to_string(i));
    d.open(AirSync, "ApplicationData").leaf(Email, "To", "\"Bob\" <bob@example.com>");
    d.leaf(Email, "From", "alice@example.com").leaf(Email, "Subject", "Quarterly numbers");
    d.leaf(Email, "DateReceived", "2024-01-02T03:04:05.000Z").leaf(Email, "Importance", "1");
    d.leaf(Email, "Read", "0").leaf(Email, "MessageClass", "IPM.Note");
    d.open(0x11, "Body").leaf(0x11, "Type", "1").leaf(0x11, "EstimatedDataSize", "120");
    d.leaf(0x11, "Data", std::string(120, 'x')).close();
    d.close().close();
  }
  close_n(d, 4);
  EXPECT_TRUE(validate(d.b, protocol_version::v16_1));
  // and cut short by three bytes it does not.
  EXPECT_FALSE(validate(std::span(d.b).first(d.b.size() - 3), protocol_version::v16_1));
}

}  // namespace test_validator
