// Typed ActiveSync models (gen/activesync/models/*.hpp) through the generic codec
// (activesync/model_codec.hpp): the syncgw corpus responses decoded, checked by hand against
// wbxml2xml and encoded back; generated instances of every model round-tripped; every error.
#include <oxwire/activesync/model_codec.hpp>
#include <oxwire/activesync/validator.hpp>
#include <oxwire/gen/activesync/models/foldercreate_request.hpp>
#include <oxwire/gen/activesync/models/folderdelete_request.hpp>
#include <oxwire/gen/activesync/models/foldersync.hpp>
#include <oxwire/gen/activesync/models/foldersync_request.hpp>
#include <oxwire/gen/activesync/models/folderupdate_request.hpp>
#include <oxwire/gen/activesync/models/getitemestimate.hpp>
#include <oxwire/gen/activesync/models/itemoperations.hpp>
#include <oxwire/gen/activesync/models/ping.hpp>
#include <oxwire/gen/activesync/models/ping_request.hpp>
#include <oxwire/gen/activesync/models/provision.hpp>
#include <oxwire/gen/activesync/models/search.hpp>
#include <oxwire/gen/activesync/models/settings.hpp>
#include <oxwire/gen/activesync/models/sync.hpp>

#include <boost/hana/concat.hpp>

#include <map>
#include <string>

#include "../wbxml/wbxml_test.hpp"
#include "model_test.hpp"

namespace test_models {

namespace as = oxwire::activesync;
namespace model = oxwire::activesync::model;
namespace hana = boost::hana;
using oxwire::activesync::schema_errc;
using oxwire_test::bytes_of;
using oxwire_test::fails_with;

std::vector<std::uint8_t> doc(std::string_view body) {
  std::vector<std::uint8_t> b{0x03, 0x01, 0x6A, 0x00};  // WBXML 1.3, unknown id, UTF-8
  for (char c : body) b.push_back(static_cast<std::uint8_t>(c));
  return b;
}

TEST(Models, CorpusResponsesDecodeAndEncodeBack) {
  OXWIRE_WBXML_CORPUS(files);
  using fn = ::testing::AssertionResult (*)(const std::vector<std::uint8_t>&, bool&);
  const std::map<std::string, fn> by_command = {
      {"Sync", &oxwire_test::model_round_trip<model::Sync>},
      {"FolderSync", &oxwire_test::model_round_trip<model::FolderSync>},
      {"Provision", &oxwire_test::model_round_trip<model::Provision>},
      {"Settings", &oxwire_test::model_round_trip<model::Settings>},
      {"ItemOperations", &oxwire_test::model_round_trip<model::ItemOperations>},
      {"Ping", &oxwire_test::model_round_trip<model::Ping>},
      {"Search", &oxwire_test::model_round_trip<model::Search>},
      {"GetItemEstimate", &oxwire_test::model_round_trip<model::GetItemEstimate>},
  };
  std::size_t decoded = 0, canonical_count = 0, rejected = 0;
  for (const auto& f : files) {
    const std::string name = f.filename().string();
    if (f.parent_path().filename() != "syncgw-traces" || !name.ends_with(".resp.wbxml")) continue;
    const std::string command =
        name.substr(name.rfind('-') + 1, name.size() - name.rfind('-') - 1 - 11);
    const auto it = by_command.find(command);
    if (it == by_command.end()) continue;
    const auto in = oxwire_test::read_file(f);
    bool canonical = false;
    const auto r = it->second(in, canonical);
    // Known XSD deviations of the syncgw server, rejected like the validator rejects them:
    // Provision responses with <settings:DeviceInformation><provision:Status> (no such child in
    // Settings.xsd) and a Settings RightsManagementInformation/Get without its required
    // RightsManagementTemplates.
    if (command == "Provision" && !r) {
      EXPECT_STREQ(r.message(), "decode: element not allowed here (DeviceInformation) at offset 12")
          << name;
      ++rejected;
      continue;
    }
    if (name == "754-R66-Settings.resp.wbxml") {
      EXPECT_FALSE(r);
      ++rejected;
      continue;
    }
    EXPECT_TRUE(r) << name;
    ++decoded;
    canonical_count += canonical;
  }
  std::cout << "decoded " << decoded << " corpus responses, " << canonical_count
            << " encoded back byte for byte, " << rejected << " rejected as non-schema\n";
  EXPECT_EQ(decoded, 38u);
  EXPECT_EQ(rejected, 13u);
  EXPECT_GT(canonical_count, 0u);
}

TEST(Models, FolderSyncResponseFieldsByHand) {
  OXWIRE_WBXML_CORPUS(files);
  // wbxml2xml -l ACTIVESYNC 754-R75-FolderSync.resp.wbxml: Status 1, SyncKey 1, Count 1, one Add
  // (C1, 0, Default, 8).
  const auto in =
      oxwire_test::read_file(corpus_root / "syncgw-traces/754-R75-FolderSync.resp.wbxml");
  auto fs = as::decode<model::FolderSync>(in);
  ASSERT_TRUE(fs) << fs.error().message();
  EXPECT_EQ(fs->Status, 1);
  EXPECT_EQ(fs->SyncKey, "1");
  ASSERT_TRUE(fs->Changes);
  EXPECT_EQ(fs->Changes->Count, 1u);
  ASSERT_EQ(fs->Changes->Add.size(), 1u);
  EXPECT_EQ(fs->Changes->Add[0].ServerId, "C1");
  EXPECT_EQ(fs->Changes->Add[0].ParentId, "0");
  EXPECT_EQ(fs->Changes->Add[0].DisplayName, "Default");
  EXPECT_EQ(fs->Changes->Add[0].Type, 8);
}

TEST(Models, SyncResponseFieldsByHand) {
  OXWIRE_WBXML_CORPUS(files);
  // wbxml2xml -l ACTIVESYNC 800-R173-Sync.resp.wbxml: the first Add is M9 with an event.ics
  // attachment of 698 bytes, received 2019-12-24T19:25:59.000Z, InternetCPID 65001.
  const auto in = oxwire_test::read_file(corpus_root / "syncgw-traces/800-R173-Sync.resp.wbxml");
  auto sync = as::decode<model::Sync>(in);
  ASSERT_TRUE(sync) << sync.error().message();
  EXPECT_EQ(sync->Status, 1);
  ASSERT_TRUE(sync->Collections);
  const auto& c = sync->Collections->Collection.at(0);
  // SyncResponse.xsd makes Collection a repeated xs:choice: every child is a vector.
  EXPECT_EQ(c.SyncKey.at(0), "3");
  EXPECT_EQ(c.CollectionId.at(0), "M1");
  const auto& add = c.Commands.at(0).Add.at(0);
  EXPECT_EQ(add.ServerId, "M9");
  const auto& d = add.ApplicationData;
  ASSERT_EQ(d.Email_Subject.size(), 1u);
  EXPECT_EQ(d.Email_Subject[0], "Sie wurden zu \xC2\xBBMeeting\xC2\xAB eingeladen");
  ASSERT_EQ(d.DateReceived.size(), 1u);
  auto t = d.DateReceived[0].parse();
  ASSERT_TRUE(t);
  EXPECT_EQ(t->time_since_epoch().count(), 1577215559000);
  ASSERT_EQ(d.InternetCPID.size(), 1u);
  EXPECT_EQ(d.InternetCPID[0], "65001");
  ASSERT_EQ(d.AirSyncBase_Attachments.size(), 1u);
  ASSERT_EQ(d.AirSyncBase_Attachments[0].Attachment.size(), 1u);
  EXPECT_EQ(d.AirSyncBase_Attachments[0].Attachment[0].EstimatedDataSize, 698u);
  EXPECT_EQ(d.AirSyncBase_Attachments[0].Attachment[0].DisplayName, "event.ics");
}

TEST(Models, EveryModelRoundTripsGeneratedInstances) {
  const auto all = hana::concat(
      hana::concat(hana::concat(model::sync_models, model::foldersync_models),
                   hana::concat(model::provision_models, model::settings_models)),
      hana::concat(
          hana::concat(hana::concat(model::itemoperations_models, model::ping_models),
                       hana::concat(model::search_models, model::getitemestimate_models)),
          hana::concat(hana::concat(model::foldersync_request_models, model::ping_request_models),
                       hana::concat(model::foldercreate_request_models,
                                    hana::concat(model::folderdelete_request_models,
                                                 model::folderupdate_request_models)))));
  std::size_t count = 0;
  hana::for_each(all, [&](auto t) {
    using T = typename decltype(t)::type;
    EXPECT_TRUE(oxwire_test::generated_round_trip<T>());
    ++count;
  });
  EXPECT_GT(count, 60u);
}

TEST(Models, FolderSyncRequestBytes) {
  // MS-ASCMD 2.2.1.5: <FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>.
  auto bytes = as::encode(model::request::FolderSync{.SyncKey = "0"});
  ASSERT_TRUE(bytes);
  EXPECT_EQ(*bytes, doc(std::string_view("\x00\x07\x56\x52\x03\x30\x00\x01\x01", 9)));
  auto back = as::decode<model::request::FolderSync>(*bytes);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->SyncKey, "0");
}

// MS-ASWBXML 2.1.2.1: airsyncbase:InstanceId exists from 16.0 only. Encoded for 14.1 the
// response leaves it out and validates for 14.1; encoded for 16.1, or for every version, it
// keeps it, and that document is not valid 14.1.
TEST(Models, EncodingForAVersionLeavesOutTheElementsItLacks) {
  model::Sync s;
  auto& col = s.Collections.emplace().Collection.emplace_back();
  col.SyncKey.push_back("2");
  col.CollectionId.push_back("1");
  col.Status.push_back(1);
  col.Responses.emplace_back().Delete.push_back(
      {.ServerId = "1:1", .InstanceId = "20260309T090000Z", .Status = 8});
  const auto for_version = [&](std::optional<as::protocol_version> v) {
    auto bytes = as::encode(s, {.wbxml = {}, .version = v});
    EXPECT_TRUE(bytes);
    return bytes ? *bytes : std::vector<std::uint8_t>{};
  };
  const auto old_client = for_version(as::protocol_version::v14_1);
  const auto back = as::decode<model::Sync>(old_client);
  ASSERT_TRUE(back) << back.error().message();
  const auto& del = back->Collections->Collection.at(0).Responses.at(0).Delete.at(0);
  EXPECT_EQ(del.ServerId, "1:1");
  EXPECT_FALSE(del.InstanceId);
  EXPECT_EQ(del.Status, 8);
  EXPECT_TRUE(as::validate(old_client, as::protocol_version::v14_1, {}));

  const auto every = for_version(std::nullopt);
  EXPECT_EQ(for_version(as::protocol_version::v16_1), every);
  EXPECT_EQ(as::decode<model::Sync>(every).value(), s);
  const auto invalid = as::validate(every, as::protocol_version::v14_1, {});
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().code, make_error_code(as::schema_errc::not_in_version));
}

TEST(Models, PingRequestRoundTrip) {
  model::request::Ping p;
  p.HeartbeatInterval = 480;
  p.Folders.emplace().Folder = {{"5", "Email"}, {"1", "Calendar"}};
  auto bytes = as::encode(p);
  ASSERT_TRUE(bytes);
  auto back = as::decode<model::request::Ping>(*bytes);
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(*back, p);
}

// FolderSync response bodies: 00 07 switches to FolderHierarchy; 56 FolderSync, 4C Status,
// 52 SyncKey, 4E Changes, 4F Add, 48 ServerId, 49 ParentId, 47 DisplayName, 4A Type.
TEST(Models, Errors) {
  using E = schema_errc;
  // Wrong root: Sync (AirSync 0x45) where FolderSync is expected.
  EXPECT_TRUE(fails_with(as::decode<model::FolderSync>(doc(std::string_view("\x45\x01", 2))),
                         E::unexpected_element, 4, "FolderSync"));
  // A child FolderSync does not have (ServerId).
  EXPECT_TRUE(fails_with(
      as::decode<model::FolderSync>(doc(std::string_view("\x00\x07\x56\x48\x01\x01", 6))),
      E::unexpected_element, 7, "FolderSync"));
  // Status twice.
  EXPECT_TRUE(fails_with(as::decode<model::FolderSync>(doc(std::string_view(
                             "\x00\x07\x56\x4C\x03\x31\x00\x01\x4C\x03\x31\x00\x01\x01", 14))),
                         E::too_many, 12, "Status"));
  // Status (required) missing: reported at FolderSync's END.
  EXPECT_TRUE(fails_with(as::decode<model::FolderSync>(
                             doc(std::string_view("\x00\x07\x56\x52\x03\x31\x00\x01\x01", 9))),
                         E::missing_required, 12, "Status"));
  // Text in element content.
  EXPECT_TRUE(fails_with(
      as::decode<model::FolderSync>(doc(std::string_view("\x00\x07\x56\x03\x31\x00\x01", 7))),
      E::text_not_allowed, 7, "FolderSync"));
  // Not an integer; out of the member's range (Count is unsignedInt).
  EXPECT_TRUE(fails_with(
      as::decode<model::FolderSync>(doc(std::string_view("\x00\x07\x56\x4C\x03x\x00\x01\x01", 9))),
      E::invalid_integer, 8, "Status"));
  EXPECT_TRUE(
      fails_with(as::decode<model::FolderSync>(doc(std::string_view(
                     "\x00\x07\x56\x4C\x03\x31\x00\x01\x4E\x57\x03-1\x00\x01\x01\x01", 18))),
                 E::integer_out_of_range, 14, "Count"));
  // A leaf with a child element; a leaf with two strings.
  EXPECT_TRUE(fails_with(
      as::decode<model::FolderSync>(doc(std::string_view("\x00\x07\x56\x4C\x4C\x01\x01\x01", 8))),
      E::unexpected_element, 8, "Status"));
  EXPECT_TRUE(fails_with(as::decode<model::FolderSync>(doc(std::string_view(
                             "\x00\x07\x56\x4C\x03\x31\x00\x03\x31\x00\x01\x01", 12))),
                         E::text_not_allowed, 11, "Status"));
  // Truncated input: the tokenizer's error comes through.
  auto t = as::decode<model::FolderSync>(doc(std::string_view("\x00\x07\x56\x4C\x03\x31", 6)));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, oxwire::wbxml::errc::truncated_string);
  // Boolean other than 0/1 (Settings EnableOutboundSMS is an unsignedByte; Ping has none: use a
  // generated Provision EASProvisionDoc boolean through the element decoder).
  std::vector<std::uint8_t> b = doc(std::string_view("\x00\x0E\x4D\x4E\x03\x32\x00\x01\x01", 9));
  auto tok = oxwire::wbxml::tokenizer::create(b);
  auto start = tok->next();
  EXPECT_TRUE(fails_with(as::decode<model::EASProvisionDoc>(*tok, *start), E::invalid_boolean, 8,
                         "DevicePasswordEnabled"));
}

TEST(Models, DateTimeParse) {
  const model::date_time a{"2009-11-12T10:20:30.123Z"}, b{"20091112T102030Z"};
  ASSERT_TRUE(a.parse());
  ASSERT_TRUE(b.parse());
  EXPECT_EQ((*a.parse() - *b.parse()).count(), 123);
  for (std::string_view bad : {"2009-13-12T10:20:30.123Z", "2009-11-12 10:20:30.123Z", "x",
                               "20091112T102030", "2009-02-30T10:20:30.000Z"})
    EXPECT_FALSE(model::date_time{bad}.parse()) << bad;
}

}  // namespace test_models
