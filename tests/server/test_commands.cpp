// oxwire-server over real sockets, the commands beyond synchronization: ItemOperations Fetch of
// an item (BodyPreference) and of an attachment (FileReference, Range), EmptyFolderContents
// (DeleteSubFolders) and Move (MS-ASCMD 2.2.1.10); attachment references confined to the
// authenticated user's own items.
#include "server_harness.hpp"

#include <server/application_data.hpp>

#include <oxwire/gen/activesync/models/foldercreate.hpp>
#include <oxwire/gen/activesync/models/foldercreate_request.hpp>
#include <oxwire/gen/activesync/models/itemoperations.hpp>
#include <oxwire/gen/activesync/models/itemoperations_request.hpp>

namespace test_commands {

using namespace server_harness;

namespace request = model::request;

/// A provisioned device of the test user.
struct device : device_session {
  using device_session::device_session;
  model::ItemOperations item_operations(const request::ItemOperations& r) {
    auto m = decode<model::ItemOperations>(send("ItemOperations", encoded(r)));
    EXPECT_EQ(m.Status, 1);
    return m;
  }
  /// One Fetch; its answer.
  model::ItemOperations_Response_Fetch fetch(const request::ItemOperations_Fetch& f) {
    const auto m = item_operations({.EmptyFolderContents = {}, .Fetch = {f}, .Move = {}});
    if (!m.Response || m.Response->Fetch.size() != 1) {
      ADD_FAILURE() << "no Fetch answer";
      return {};
    }
    return m.Response->Fetch[0];
  }
  model::ItemOperations_Response_Fetch fetch_attachment(
      std::string_view reference, std::optional<std::string_view> range = {}) {
    request::ItemOperations_Fetch f{.Store = "Mailbox", .FileReference = reference};
    if (range) f.Options.emplace().Range = range;
    return fetch(f);
  }
  /// The number of items of a collection a fresh Sync delivers.
  std::size_t count(std::string_view collection) {
    return sync_all(c, policy, collection).first.size();
  }
};

std::string text_of_base64(std::string_view b64) {
  const auto bytes = oxwire::base64::decode(b64);
  EXPECT_TRUE(bytes);
  return bytes ? text_of(*bytes) : std::string();
}

/// A property bag that resolves the store's named properties.
oxwire::mapi::property_bag bag() {
  oxwire::mapi::property_bag b;
  b.names(&oxwire::server::named_properties());
  return b;
}

/// An attachment bag with these bytes.
oxwire::mapi::property_bag attachment_of(const std::string& text) {
  auto a = bag();
  (void)a.set(oxwire::mapi::prop::PidTagAttachMethod, 1);
  (void)a.set(oxwire::mapi::prop::PidTagAttachLongFilename, std::u16string(u"secret.txt"));
  (void)a.set(oxwire::mapi::prop::PidTagAttachDataBinary,
              std::vector<std::uint8_t>(text.begin(), text.end()));
  return a;
}

class Commands : public Server {};

// MS-ASCMD 2.2.3.67.1 Fetch (ItemOperations) of a mailbox item: Class, Properties and the body
// cut as BodyPreference asks (MS-ASAIRS 2.2.2.12); Status 6 for an unknown item, 9 for an
// unknown Store (MS-ASCMD 2.2.3.177.8)
TEST_F(Commands, FetchItemWithBodyPreference) {
  server_process s(dir.path);
  device d(s.http_port);
  request::ItemOperations_Fetch f{.Store = "Mailbox", .CollectionId = "1", .ServerId = "1:2"};
  f.Options.emplace().BodyPreference.push_back({.Type = 1, .TruncationSize = 8});
  const auto r = d.fetch(f);
  EXPECT_EQ(r.Status, 1);
  EXPECT_EQ(r.Class, "Email");
  EXPECT_EQ(r.ServerId, "1:2");
  EXPECT_EQ(r.CollectionId, "1");
  ASSERT_TRUE(r.Properties);
  ASSERT_EQ(r.Properties->Email_Subject.size(), 1u);
  EXPECT_NE(r.Properties->Email_Subject[0].find("#2"), std::string_view::npos);
  ASSERT_EQ(r.Properties->AirSyncBase_Body.size(), 1u);
  EXPECT_EQ(r.Properties->AirSyncBase_Body[0].Data, "Hello,\n\n");
  EXPECT_EQ(r.Properties->AirSyncBase_Body[0].Truncated, true);

  // Without BodyPreference the whole body
  const auto whole = d.fetch({.Store = "Mailbox", .CollectionId = "1", .ServerId = "1:2"});
  ASSERT_TRUE(whole.Properties);
  ASSERT_EQ(whole.Properties->AirSyncBase_Body.size(), 1u);
  EXPECT_GT(whole.Properties->AirSyncBase_Body[0].Data->size(), 8u);

  // A contact through the same path
  const auto contact = d.fetch({.Store = "Mailbox", .CollectionId = "7", .ServerId = "7:1"});
  EXPECT_EQ(contact.Status, 1);
  EXPECT_EQ(contact.Class, "Contacts");
  ASSERT_TRUE(contact.Properties);
  EXPECT_EQ(contact.Properties->FirstName.size(), 1u);

  EXPECT_EQ(d.fetch({.Store = "Mailbox", .CollectionId = "1", .ServerId = "1:9999"}).Status, 6);
  EXPECT_EQ(d.fetch({.Store = "Mailbox", .CollectionId = "2", .ServerId = "1:2"}).Status, 6);
  EXPECT_EQ(d.fetch({.Store = "DocumentLibrary", .ServerId = "1:2"}).Status, 9);
  EXPECT_EQ(d.fetch({.Store = "Mailbox"}).Status, 2);  // neither an item nor an attachment
}

// MS-ASCMD 2.2.3.39.2 Data: the attachment base64-encoded; 2.2.3.143 Range and 2.2.3.184.2
// Total; Status 8 for a range past the end
TEST_F(Commands, FetchAttachmentByFileReference) {
  server_process s(dir.path);
  device d(s.http_port);
  // The reference comes from the item (MS-ASAIRS 2.2.2.24 FileReference)
  const auto item = d.fetch({.Store = "Mailbox", .CollectionId = "1", .ServerId = "1:1"});
  ASSERT_TRUE(item.Properties);
  ASSERT_EQ(item.Properties->AirSyncBase_Attachments.size(), 1u);
  ASSERT_EQ(item.Properties->AirSyncBase_Attachments[0].Attachment.size(), 1u);
  const std::string reference(
      item.Properties->AirSyncBase_Attachments[0].Attachment[0].FileReference);

  const std::string content = "Attachment of message 1\n";
  const auto r = d.fetch_attachment(reference);
  EXPECT_EQ(r.Status, 1);
  EXPECT_EQ(r.FileReference, reference);
  ASSERT_TRUE(r.Properties);
  ASSERT_EQ(r.Properties->Data.size(), 1u);
  EXPECT_EQ(text_of_base64(r.Properties->Data[0]), content);
  EXPECT_EQ(r.Properties->Total, std::vector<std::int64_t>{std::int64_t(content.size())});
  EXPECT_EQ(r.Properties->AirSyncBase_ContentType, std::vector<std::string_view>{"text/plain"});
  EXPECT_TRUE(r.Properties->Range.empty());

  const auto part = d.fetch_attachment(reference, "0-9");
  EXPECT_EQ(part.Status, 1);
  ASSERT_TRUE(part.Properties);
  EXPECT_EQ(part.Properties->Range, std::vector<std::string_view>{"0-9"});
  EXPECT_EQ(text_of_base64(part.Properties->Data.at(0)), content.substr(0, 10));
  // The end is cut to the data
  const auto tail = d.fetch_attachment(reference, "11-9999");
  std::string tail_range = "11-";
  tail_range += std::to_string(content.size() - 1);
  ASSERT_TRUE(tail.Properties);
  EXPECT_EQ(tail.Properties->Range, std::vector<std::string_view>{tail_range});
  EXPECT_EQ(text_of_base64(tail.Properties->Data.at(0)), content.substr(11));

  for (const std::string_view bad : {"100-200", "5-4", "x-1", "1", "-3"}) {
    const auto b = d.fetch_attachment(reference, bad);
    EXPECT_EQ(b.Status, 8) << bad;
    EXPECT_FALSE(b.Properties) << bad;
  }
}

// MS-ASCMD 2.2.3.177.8 Status 15: a reference that is not one the server handed out, or that
// names another user's item, is an invalid attachment ID; nothing leaves the user's mailbox
TEST_F(Commands, AttachmentReferencesStayInTheUsersMailbox) {
  {
    oxwire::server::store db(dir.path / "oxwire.db");
    const auto bob = db.add_user("bob", "other", 1000).value();
    for (const auto* id : {"1", "9"}) {
      auto props = bag();
      db.add_folder(bob, {id, "0", "Inbox", 2, props});
      auto m = bag();
      (void)m.set(oxwire::mapi::prop::PidTagSubject, std::u16string(u"bob's"));
      const auto item = db.add_item(bob, id, m);
      db.add_attachment(bob, item, attachment_of("bob's secret"));
    }
  }
  server_process s(dir.path);
  device d(s.http_port);
  // Bob's "1:1:0" and "9:1:0" exist; Anna's "1:1:0" is her own attachment
  EXPECT_EQ(text_of_base64(d.fetch_attachment("1:1:0").Properties.value().Data.at(0)),
            "Attachment of message 1\n");
  for (const std::string_view bad : {"9:1:0",
                                     "1:1:1",
                                     "1:2:0",
                                     "../../../../etc/passwd",
                                     "1:1:0/../../9:1:0",
                                     "1:1:../0",
                                     "1:1:-1",
                                     "1:1:+0",
                                     "1:1:0 ",
                                     " 1:1:0",
                                     "1:1:4294967296",
                                     "1:1:00000000000",
                                     "1:1",
                                     ":1:0",
                                     "1::0",
                                     "1:1:",
                                     "",
                                     "1:1:0:0",
                                     "bob/9:1:0",
                                     "%2e%2e%2f9:1:0",
                                     "9:1:0\\..",
                                     "1:1:0x0"}) {
    const auto r = d.fetch_attachment(bad);
    EXPECT_EQ(r.Status, 15) << bad;
    EXPECT_FALSE(r.Properties) << bad;
  }
}

// MS-ASCMD 2.2.3.58 EmptyFolderContents: the items go; subfolders only with DeleteSubFolders
// (2.2.3.45); Status 6 for an unknown folder
TEST_F(Commands, EmptyFolderContents) {
  server_process s(dir.path);
  device d(s.http_port);
  const auto hierarchy = decode<model::FolderSync>(d.send("FolderSync", folder_sync_request("0")));
  ASSERT_TRUE(hierarchy.SyncKey);
  const auto created = decode<model::FolderCreate>(d.send(
      "FolderCreate",
      encoded(request::FolderCreate{
          .SyncKey = *hierarchy.SyncKey, .ParentId = "3", .DisplayName = "Old", .Type = 12})));
  ASSERT_EQ(created.Status, 1);
  const std::string sub(created.ServerId.value());
  const std::string key(created.SyncKey.value());
  ASSERT_EQ(d.count("3"), 5u);

  const auto r = d.item_operations(
      {.EmptyFolderContents = {{.CollectionId = "3", .Options = {}}, {.CollectionId = "999"}},
       .Fetch = {},
       .Move = {}});
  ASSERT_TRUE(r.Response);
  ASSERT_EQ(r.Response->EmptyFolderContents.size(), 2u);
  EXPECT_EQ(r.Response->EmptyFolderContents[0].Status, 1);
  EXPECT_EQ(r.Response->EmptyFolderContents[0].CollectionId, "3");
  EXPECT_EQ(r.Response->EmptyFolderContents[1].Status, 6);
  EXPECT_EQ(d.count("3"), 0u);
  // The subfolder is still there: no hierarchy change
  const auto same = decode<model::FolderSync>(d.send("FolderSync", folder_sync_request(key)));
  ASSERT_TRUE(same.Changes);
  EXPECT_EQ(same.Changes->Count, 0u);

  const auto all = d.item_operations(
      {.EmptyFolderContents = {{.CollectionId = "3",
                                .Options =
                                    request::ItemOperations_EmptyFolderContents_Options{
                                        .DeleteSubFolders = model::empty{}}}},
       .Fetch = {},
       .Move = {}});
  EXPECT_EQ(all.Response.value().EmptyFolderContents.at(0).Status, 1);
  const auto gone = decode<model::FolderSync>(d.send("FolderSync", folder_sync_request(key)));
  ASSERT_TRUE(gone.Changes);
  ASSERT_EQ(gone.Changes->Delete.size(), 1u);
  EXPECT_EQ(gone.Changes->Delete[0].ServerId, sub);
}

// MS-ASCMD 2.2.3.117.1 Move (ItemOperations): every item of the conversation to DstFldId;
// Status 6 for an unknown conversation or destination
TEST_F(Commands, MoveConversation) {
  { server_process first(dir.path); }  // creates the demo mailbox
  const std::vector<std::uint8_t> conversation{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                                               0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10};
  {
    oxwire::server::store db(dir.path / "oxwire.db");
    const auto anna = db.find_user(user).value();
    for (const auto* id : {"1:2", "1:3"}) {
      auto it = db.find_item(anna, id).value();
      (void)it.props.set(oxwire::mapi::prop::PidTagConversationId, conversation);
      db.update_item(anna, id, it.props);
    }
  }
  server_process s(dir.path);
  device d(s.http_port);
  const std::size_t inbox = d.count("1"), deleted = d.count("3");
  const std::vector<std::uint8_t> unknown(16, 0xEE);
  const auto r = d.item_operations(
      {.EmptyFolderContents = {},
       .Fetch = {},
       .Move = {{.ConversationId = {conversation}, .DstFldId = "3", .Options = {}},
                {.ConversationId = {unknown}, .DstFldId = "3", .Options = {}},
                {.ConversationId = {conversation}, .DstFldId = "999", .Options = {}}}});
  ASSERT_TRUE(r.Response);
  ASSERT_EQ(r.Response->Move.size(), 3u);
  EXPECT_EQ(r.Response->Move[0].Status, 1);
  EXPECT_EQ(r.Response->Move[0].ConversationId, model::opaque{conversation});
  EXPECT_EQ(r.Response->Move[1].Status, 6);
  EXPECT_EQ(r.Response->Move[2].Status, 6);
  EXPECT_EQ(d.count("1"), inbox - 2);
  EXPECT_EQ(d.count("3"), deleted + 2);
}

// MS-ASCMD 2.2.3.177.8 Status 2: a body that is not an ItemOperations request; OPTIONS lists the
// command (MS-ASHTTP 2.2.4.1.2.1)
TEST_F(Commands, MalformedRequestAndOptions) {
  server_process s(dir.path);
  device d(s.http_port);
  const auto bad = decode<model::ItemOperations>(
      d.send("ItemOperations", wbxml_of(R"(<Sync xmlns="AirSync:"><Collections/></Sync>)")));
  EXPECT_EQ(bad.Status, 2);
  EXPECT_FALSE(bad.Response);
  const auto garbage = decode<model::ItemOperations>(d.send("ItemOperations", "\x03\x01"));
  EXPECT_EQ(garbage.Status, 2);
  const auto o = d.c.send(
      "OPTIONS /Microsoft-Server-ActiveSync HTTP/1.1\r\nHost: x\r\n"
      "Authorization: " +
      basic(user, password) + "\r\n\r\n");
  std::string commands = ",";
  commands += o.header("ms-asprotocolcommands");
  commands += ",";
  EXPECT_NE(commands.find(",ItemOperations,"), std::string::npos);
}

}  // namespace test_commands
