// oxwire-server over real sockets, drafts through Sync (16.0+): a draft saved in Drafts with
// recipients, body and attachments (email2:Send absent), read back by another device (IsDraft,
// To/Cc/Bcc, ConversationId, attachments whose FileReference ItemOperations Fetch takes), edited
// (fields, attachments added and deleted by FileReference), sent (email2:Send: delivered like
// SendMail, a copy in Sent Items, gone from Drafts); the errors (an e-mail Add with Send outside
// Drafts, Send of an item outside Drafts, a FileReference not of the draft, Send without a
// recipient) and a 14.1 client, for which an e-mail Add is stored as it is (MS-ASEMAIL 2.2.2.69).
#include "server_harness.hpp"

#include <server/demo_mailbox.hpp>

#include <oxwire/gen/activesync/models/itemoperations.hpp>
#include <oxwire/gen/activesync/models/itemoperations_request.hpp>
#include <oxwire/gen/activesync/models/sync_request.hpp>
#include <oxwire/gen/mapi/prop_tags.hpp>

#include <oxwire_test/requirements.hpp>

namespace test_drafts {

using namespace server_harness;
namespace request = model::request;
namespace prop = oxwire::mapi::prop;

using add_data = model::Sync_Collections_Collection_Commands_Add_ApplicationData;
using change_data = model::Sync_Collections_Collection_Commands_Change_ApplicationData;

std::string text(const oxwire::mapi::property_bag& b, const auto& p) {
  const auto v = b.get(p);
  return v ? oxwire::utf16::to_utf8(*v).value() : "<absent>";
}

/// An attachment a client adds (MS-ASAIRS 2.2.2.2).
model::Attachments_Add attachment(std::string_view client_id, std::string_view name,
                                  std::string_view content) {
  return {.DisplayName = name,
          .Method = 1,
          .ContentId = {},
          .ContentLocation = {},
          .IsInline = {},
          .ContentType = "text/plain",
          .ClientId = client_id,
          .Content = {oxwire::as_bytes(content)}};
}

/// A provisioned device of anna speaking one protocol version, with its Sync keys; ben (an
/// empty mailbox) is a second user of the store.
struct device : device_session {
  std::map<std::string, std::string> keys;  // CollectionId → SyncKey
  std::string version;
  std::deque<std::string> strings;  // what request models point into

  device(unsigned short port, std::string name, std::string v = "16.1")
      : device_session(port, std::move(name)), version(std::move(v)) {}

  request::Sync_Collections_Collection collection(const std::string& cid) {
    request::Sync_Collections_Collection r;
    r.CollectionId = strings.emplace_back(cid);
    r.SyncKey = strings.emplace_back(keys.contains(cid) ? keys[cid] : "0");
    return r;
  }
  /// One Sync round of one collection; its key advances with the answer.
  model::Sync_Collections_Collection sync(request::Sync_Collections_Collection c) {
    request::Sync s;
    s.WindowSize = 512;
    s.Collections.emplace().Collection.push_back(std::move(c));
    const auto m = decode<model::Sync>(send("Sync", encoded(s), version));
    if (!m.Collections || m.Collections->Collection.size() != 1) {
      ADD_FAILURE() << "no Collection answered";
      return {};
    }
    const auto& col = m.Collections->Collection[0];
    if (!col.SyncKey.empty() && col.Status == std::vector<std::int64_t>{1})
      keys[std::string(col.CollectionId.at(0))] = std::string(col.SyncKey[0]);
    return col;
  }
  /// Primes a collection (key 0) and takes what it has.
  void prime(const std::string& cid) {
    sync(collection(cid));
    sync(collection(cid));
  }
  /// A Sync of one collection carrying one Add.
  model::Sync_Collections_Collection add(const std::string& cid, std::string_view client_id,
                                         add_data d) {
    auto c = collection(cid);
    c.Commands.emplace().Add.push_back({.Class = {}, .ClientId = client_id, .ApplicationData = d});
    return sync(std::move(c));
  }
  /// A Sync of one collection carrying one Change.
  model::Sync_Collections_Collection change(const std::string& cid, std::string_view server_id,
                                            change_data d) {
    auto c = collection(cid);
    c.Commands.emplace().Change.push_back(
        {.Class = {}, .ServerId = server_id, .ApplicationData = d});
    return sync(std::move(c));
  }
  model::ItemOperations_Response_Fetch fetch_attachment(std::string_view reference) {
    const request::ItemOperations r{.EmptyFolderContents = {},
                                    .Fetch = {{.Store = "Mailbox", .FileReference = reference}},
                                    .Move = {}};
    const auto m = decode<model::ItemOperations>(send("ItemOperations", encoded(r), version));
    if (!m.Response || m.Response->Fetch.size() != 1) {
      ADD_FAILURE() << "no Fetch answer";
      return {};
    }
    return m.Response->Fetch[0];
  }
};

/// The store of the running server, opened for a look.
struct mailbox {
  oxwire::server::store db;
  explicit mailbox(const temp_dir& d) : db(d.path / "oxwire.db") {}
  std::vector<oxwire::server::item> items(const std::string& user, const std::string& folder) {
    return db.items(*db.find_user(user), folder);
  }
  std::vector<oxwire::mapi::property_bag> attachments(const std::string& user,
                                                      const std::string& item) {
    return db.attachments(*db.find_user(user), item);
  }
  std::vector<oxwire::mapi::property_bag> recipients(const std::string& user,
                                                     const std::string& item) {
    return db.recipients(*db.find_user(user), item);
  }
  /// The "type:address" of each recipient row.
  std::vector<std::string> addresses(const std::string& user, const std::string& item) {
    std::vector<std::string> out;
    for (const auto& r : recipients(user, item))
      out.push_back(std::to_string(r.get(prop::PidTagRecipientType).value_or(0)) + ":" +
                    text(r, prop::PidTagSmtpAddress));
    return out;
  }
};

void add_ben(const temp_dir& d) {
  oxwire::server::store db(d.path / "oxwire.db");
  oxwire_server::create_demo(db, "ben", "pw", {0, 0, 0, 0, 0, 0, 0, 0});
}

/// The draft the tests save: To ben, Cc carl (not of this server), Bcc anna, two attachments.
add_data new_draft(std::string_view subject) {
  add_data d;
  d.To.push_back("Ben <ben@example.com>");
  d.Cc.push_back("carl@elsewhere.example");
  d.Bcc.push_back("Anna <anna@example.com>");
  d.Email_Subject.push_back(subject);
  d.Email_Importance.push_back(2);
  d.AirSyncBase_Body.push_back({.Type = 1,
                                .EstimatedDataSize = {},
                                .Truncated = {},
                                .Data = "Hello Ben",
                                .Preview = {},
                                .Part = {}});
  auto& list = d.AirSyncBase_Attachments.emplace_back();
  list.Add.push_back(attachment("a1", "one.txt", "first attachment"));
  auto inline_one = attachment("a2", "two.txt", "second attachment");
  inline_one.ContentId = "cid-2";
  inline_one.IsInline = "1";
  list.Add.push_back(inline_one);
  return d;
}

class Drafts : public Server {};

// MS-ASEMAIL 2.2.2.69 (Send absent: saved), 2.2.2.42 IsDraft, MS-ASAIRS 2.2.2.2 Add and
// 2.2.2.14 ClientId → FileReference; another device reads the draft back
TEST_F(Drafts, SaveAndReadBack) {
  OXWIRE_REQ("MS-ASEMAIL_R1384", "MS-ASEMAIL_R1271", "MS-ASAIRS_R1006", "MS-ASAIRS_R1079");
  add_ben(dir);
  server_process s(dir.path);
  device a(s.http_port, "DEVA"), b(s.http_port, "DEVB");
  a.prime("2");
  b.prime("2");  // the three demo drafts

  const auto col = a.add("2", "d1", new_draft("draft-1"));
  ASSERT_EQ(col.Responses.size(), 1u);
  ASSERT_EQ(col.Responses[0].Add.size(), 1u);
  const auto& added = col.Responses[0].Add[0];
  EXPECT_EQ(added.ClientId, "d1");
  EXPECT_EQ(added.Status, 1);
  EXPECT_EQ(added.ServerId, "2:4");
  ASSERT_TRUE(added.ApplicationData);
  const auto& answer = *added.ApplicationData;
  ASSERT_EQ(answer.ConversationId.size(), 1u);
  EXPECT_EQ(answer.ConversationId[0].data.size(), 16u);
  ASSERT_EQ(answer.ConversationIndex.size(), 1u);
  ASSERT_EQ(answer.ConversationIndex[0].data.size(), 22u);  // MS-OXOMSG 2.2.1.3 header block
  EXPECT_EQ(answer.ConversationIndex[0].data[0], 0x01);
  EXPECT_TRUE(std::equal(answer.ConversationId[0].data.begin(), answer.ConversationId[0].data.end(),
                         answer.ConversationIndex[0].data.begin() + 6));
  ASSERT_EQ(answer.AirSyncBase_Attachments.size(), 1u);
  const auto& refs = answer.AirSyncBase_Attachments[0].Attachment;
  ASSERT_EQ(refs.size(), 2u);
  EXPECT_EQ(refs[0].ClientId, "a1");
  EXPECT_EQ(refs[0].FileReference, "2:4:0");
  EXPECT_EQ(refs[1].ClientId, "a2");
  EXPECT_EQ(refs[1].FileReference, "2:4:1");
  EXPECT_TRUE(col.Commands.empty());  // the device has it already

  // Stored: recipient rows (MAPI_TO/CC/BCC), PidTagDisplay*, unsent, two attachment bags
  mailbox m(dir);
  const auto drafts = m.items("anna", "2");
  ASSERT_EQ(drafts.size(), 4u);
  const auto& p = drafts.back().props;
  EXPECT_EQ(text(p, prop::PidTagSubject), "draft-1");
  EXPECT_EQ(text(p, prop::PidTagBody), "Hello Ben");
  EXPECT_EQ(text(p, prop::PidTagDisplayTo), "Ben");
  EXPECT_EQ(text(p, prop::PidTagDisplayCc), "carl@elsewhere.example");
  EXPECT_EQ(text(p, prop::PidTagDisplayBcc), "Anna");
  EXPECT_EQ(p.get(prop::PidTagMessageFlags), 0x8);  // MS-OXCMSG 2.2.1.6 mfUnsent
  EXPECT_EQ(p.get(prop::PidTagImportance), 2);
  EXPECT_EQ(m.addresses("anna", "2:4"),
            (std::vector<std::string>{"1:ben@example.com", "2:carl@elsewhere.example",
                                      "3:anna@example.com"}));
  const auto atts = m.attachments("anna", "2:4");
  ASSERT_EQ(atts.size(), 2u);
  EXPECT_EQ(text(atts[1], prop::PidTagAttachLongFilename), "two.txt");
  EXPECT_EQ(text(atts[1], prop::PidTagAttachContentId), "cid-2");
  EXPECT_EQ(atts[1].get(prop::PidTagAttachFlags), 0x4);  // attRenderedInBody
  EXPECT_EQ(atts[0].get(prop::PidTagAttachFlags), std::nullopt);

  // The other device: IsDraft 1, the recipients as addresses, the conversation, the references
  const auto seen = b.sync(b.collection("2"));
  ASSERT_EQ(seen.Commands.size(), 1u);
  ASSERT_EQ(seen.Commands[0].Add.size(), 1u);
  const auto& got = seen.Commands[0].Add[0];
  EXPECT_EQ(got.ServerId, "2:4");
  const auto& d = got.ApplicationData;
  EXPECT_EQ(d.IsDraft, std::vector<bool>{true});
  EXPECT_EQ(d.To, std::vector<std::string_view>{"\"Ben\" <ben@example.com>"});
  EXPECT_EQ(d.Cc,
            std::vector<std::string_view>{"\"carl@elsewhere.example\" <carl@elsewhere.example>"});
  EXPECT_EQ(d.Bcc, std::vector<std::string_view>{"\"Anna\" <anna@example.com>"});
  EXPECT_EQ(d.Email_Subject, std::vector<std::string_view>{"draft-1"});
  EXPECT_EQ(d.Email_Importance, std::vector<std::uint8_t>{2});
  ASSERT_EQ(d.AirSyncBase_Body.size(), 1u);
  EXPECT_EQ(d.AirSyncBase_Body[0].Data, "Hello Ben");
  ASSERT_EQ(d.ConversationId.size(), 1u);
  EXPECT_EQ(d.ConversationId[0], answer.ConversationId[0]);
  ASSERT_EQ(d.AirSyncBase_Attachments.size(), 1u);
  ASSERT_EQ(d.AirSyncBase_Attachments[0].Attachment.size(), 2u);
  EXPECT_EQ(d.AirSyncBase_Attachments[0].Attachment[1].FileReference, "2:4:1");
  EXPECT_EQ(d.AirSyncBase_Attachments[0].Attachment[1].DisplayName, "two.txt");

  // ItemOperations Fetch takes the FileReference of the Sync response
  const auto fetched = b.fetch_attachment("2:4:1");
  EXPECT_EQ(fetched.Status, 1);
  ASSERT_TRUE(fetched.Properties);
  ASSERT_EQ(fetched.Properties->Data.size(), 1u);
  const auto content = oxwire::base64::decode(fetched.Properties->Data[0]);
  ASSERT_TRUE(content);
  EXPECT_EQ(server_harness::text_of(*content), "second attachment");
}

// A Change replaces the fields sent and keeps the rest; MS-ASAIRS 2.2.2.21 Delete by
// FileReference and 2.2.2.2 Add; the draft comes back to the device with the new references
TEST_F(Drafts, EditFieldsAndAttachments) {
  OXWIRE_REQ("MS-ASAIRS_R1138", "MS-ASAIRS_R1006");
  add_ben(dir);
  server_process s(dir.path);
  device a(s.http_port, "DEVA");
  a.prime("2");
  ASSERT_EQ(a.add("2", "d1", new_draft("draft-1")).Responses.at(0).Add.at(0).ServerId, "2:4");

  change_data ch;
  ch.Email_Subject.push_back("draft-1b");
  ch.To.push_back("ben@example.com, Dora <dora@example.com>");
  auto& list = ch.AirSyncBase_Attachments.emplace_back();
  list.Delete.push_back({"2:4:0"});
  list.Add.push_back(attachment("a3", "three.txt", "third attachment"));
  const auto col = a.change("2", "2:4", ch);
  EXPECT_EQ(col.Status, std::vector<std::int64_t>{1});
  EXPECT_TRUE(col.Responses.empty());  // a Change that succeeds is not answered
  ASSERT_EQ(col.Commands.size(), 1u);
  ASSERT_EQ(col.Commands[0].Change.size(), 1u);
  const auto& back = col.Commands[0].Change[0];
  EXPECT_EQ(back.ServerId, "2:4");
  EXPECT_EQ(back.ApplicationData.Email_Subject, std::vector<std::string_view>{"draft-1b"});
  EXPECT_EQ(back.ApplicationData.To,
            std::vector<std::string_view>{
                "\"ben@example.com\" <ben@example.com>, \"Dora\" <dora@example.com>"});
  ASSERT_EQ(back.ApplicationData.AirSyncBase_Attachments.size(), 1u);
  const auto& now = back.ApplicationData.AirSyncBase_Attachments[0].Attachment;
  ASSERT_EQ(now.size(), 2u);
  EXPECT_EQ(now[0].DisplayName, "two.txt");
  EXPECT_EQ(now[0].FileReference, "2:4:0");
  EXPECT_EQ(now[1].DisplayName, "three.txt");
  EXPECT_EQ(now[1].FileReference, "2:4:1");

  mailbox m(dir);
  const auto p = m.items("anna", "2").back().props;
  EXPECT_EQ(text(p, prop::PidTagSubject), "draft-1b");
  EXPECT_EQ(text(p, prop::PidTagBody), "Hello Ben");  // not sent: kept
  EXPECT_EQ(text(p, prop::PidTagDisplayTo), "ben@example.com; Dora");
  EXPECT_EQ(text(p, prop::PidTagDisplayCc), "carl@elsewhere.example");
  EXPECT_EQ(p.get(prop::PidTagMessageFlags), 0x8);
  EXPECT_EQ(m.addresses("anna", "2:4"),
            (std::vector<std::string>{"1:ben@example.com", "1:dora@example.com",
                                      "2:carl@elsewhere.example", "3:anna@example.com"}));
  // A Change with no attachment edits is the device's own: nothing comes back
  change_data body;
  body.AirSyncBase_Body.push_back({.Type = 1,
                                   .EstimatedDataSize = {},
                                   .Truncated = {},
                                   .Data = "Hello again",
                                   .Preview = {},
                                   .Part = {}});
  const auto quiet = a.change("2", "2:4", body);
  EXPECT_TRUE(quiet.Responses.empty());
  EXPECT_TRUE(quiet.Commands.empty());
  EXPECT_EQ(text(m.items("anna", "2").back().props, prop::PidTagBody), "Hello again");
  // An HTML body (Type 2) replaces the text one
  change_data html;
  html.AirSyncBase_Body.push_back({.Type = 2,
                                   .EstimatedDataSize = {},
                                   .Truncated = {},
                                   .Data = "<p>Hi</p>",
                                   .Preview = {},
                                   .Part = {}});
  EXPECT_TRUE(a.change("2", "2:4", html).Responses.empty());
  const auto h = m.items("anna", "2").back().props;
  EXPECT_FALSE(h.get(prop::PidTagBody));
  const auto stored = h.get(prop::PidTagHtml);
  ASSERT_TRUE(stored);
  EXPECT_EQ(std::string(stored->begin(), stored->end()), "<p>Hi</p>");
}

// A FileReference that is not one of the draft's: Status 6, nothing of the Change applied
TEST_F(Drafts, BadFileReference) {
  add_ben(dir);
  server_process s(dir.path);
  device a(s.http_port, "DEVA");
  a.prime("2");
  ASSERT_EQ(a.add("2", "d1", new_draft("draft-1")).Responses.at(0).Add.at(0).ServerId, "2:4");
  for (const std::string_view ref : {"2:4:2", "2:1:0", "1:1:0", "2:4:x", "2:4"}) {
    change_data ch;
    ch.Email_Subject.push_back("changed");
    ch.AirSyncBase_Attachments.emplace_back().Delete.push_back({ref});
    const auto col = a.change("2", "2:4", ch);
    ASSERT_EQ(col.Responses.size(), 1u) << ref;
    ASSERT_EQ(col.Responses[0].Change.size(), 1u) << ref;
    EXPECT_EQ(col.Responses[0].Change[0].ServerId, "2:4");
    EXPECT_EQ(col.Responses[0].Change[0].Status, 6) << ref;
  }
  mailbox m(dir);
  EXPECT_EQ(text(m.items("anna", "2").back().props, prop::PidTagSubject), "draft-1");
  EXPECT_EQ(m.attachments("anna", "2:4").size(), 2u);
}

// MS-ASEMAIL 2.2.2.69: Send present in a Change: delivered like SendMail (ben's Inbox without
// the Bcc, anna's Inbox as the Bcc recipient, carl dropped), a copy in Sent Items, and the
// draft gone from Drafts: the device gets its Delete
TEST_F(Drafts, SendDraft) {
  OXWIRE_REQ("MS-ASEMAIL_R1384");
  add_ben(dir);
  server_process s(dir.path);
  device a(s.http_port, "DEVA");
  a.prime("2");
  a.prime("4");
  ASSERT_EQ(a.add("2", "d1", new_draft("draft-1")).Responses.at(0).Add.at(0).ServerId, "2:4");
  change_data ch;
  ch.Email_Subject.push_back("sent-1");
  ch.Send.push_back("");
  const auto col = a.change("2", "2:4", ch);
  EXPECT_EQ(col.Status, std::vector<std::int64_t>{1});
  EXPECT_TRUE(col.Responses.empty());
  ASSERT_EQ(col.Commands.size(), 1u);
  ASSERT_EQ(col.Commands[0].Delete.size(), 1u);
  EXPECT_EQ(col.Commands[0].Delete[0].ServerId, "2:4");

  mailbox m(dir);
  EXPECT_EQ(m.items("anna", "2").size(), 3u);  // the demo drafts only
  const auto inbox = m.items("ben", "1");
  ASSERT_EQ(inbox.size(), 1u);
  const auto& p = inbox[0].props;
  EXPECT_EQ(text(p, prop::PidTagSubject), "sent-1");
  EXPECT_EQ(text(p, prop::PidTagBody), "Hello Ben");
  EXPECT_EQ(text(p, prop::PidTagSenderEmailAddress), "anna");
  EXPECT_EQ(p.get(prop::PidTagRead), false);
  EXPECT_EQ(p.get(prop::PidTagMessageFlags), std::nullopt);  // no longer a draft
  EXPECT_FALSE(p.get(prop::PidTagDisplayBcc));
  EXPECT_EQ(m.addresses("ben", inbox[0].server_id),
            (std::vector<std::string>{"1:ben@example.com", "2:carl@elsewhere.example"}));
  EXPECT_EQ(m.attachments("ben", inbox[0].server_id).size(), 2u);
  // anna is the Bcc recipient (by her local part)
  const auto mine = m.items("anna", "1");
  EXPECT_EQ(text(mine.back().props, prop::PidTagSubject), "sent-1");
  // Sent Items: read, the Bcc kept
  const auto sent = m.items("anna", "4");
  ASSERT_EQ(sent.size(), 21u);
  EXPECT_EQ(text(sent.back().props, prop::PidTagSubject), "sent-1");
  EXPECT_EQ(sent.back().props.get(prop::PidTagRead), true);
  EXPECT_EQ(text(sent.back().props, prop::PidTagDisplayBcc), "Anna");
  EXPECT_EQ(m.attachments("anna", sent.back().server_id).size(), 2u);

  // The device sees it in Sent Items on its next Sync, not a draft
  const auto s4 = a.sync(a.collection("4"));
  ASSERT_EQ(s4.Commands.size(), 1u);
  ASSERT_EQ(s4.Commands[0].Add.size(), 1u);
  EXPECT_EQ(s4.Commands[0].Add[0].ApplicationData.Email_Subject,
            std::vector<std::string_view>{"sent-1"});
  EXPECT_TRUE(s4.Commands[0].Add[0].ApplicationData.IsDraft.empty());
  EXPECT_TRUE(s4.Commands[0].Add[0].ApplicationData.Bcc.empty());
}

// Send present in an Add: sent at once, nothing kept in Drafts
TEST_F(Drafts, AddAndSend) {
  add_ben(dir);
  server_process s(dir.path);
  device a(s.http_port, "DEVA");
  a.prime("2");
  auto d = new_draft("sent-at-once");
  d.Send.push_back("");
  const auto col = a.add("2", "d1", d);
  ASSERT_EQ(col.Responses.size(), 1u);
  ASSERT_EQ(col.Responses[0].Add.size(), 1u);
  EXPECT_EQ(col.Responses[0].Add[0].Status, 1);
  EXPECT_FALSE(col.Responses[0].Add[0].ServerId);
  EXPECT_TRUE(col.Commands.empty());
  mailbox m(dir);
  EXPECT_EQ(m.items("anna", "2").size(), 3u);
  ASSERT_EQ(m.items("ben", "1").size(), 1u);
  EXPECT_EQ(text(m.items("ben", "1")[0].props, prop::PidTagSubject), "sent-at-once");
  EXPECT_EQ(text(m.items("anna", "4").back().props, prop::PidTagSubject), "sent-at-once");
}

// Status 6: an e-mail Add with Send outside Drafts (16.x), Send of an item outside Drafts, Send of
// a draft without a recipient (which stays saved)
TEST_F(Drafts, Refusals) {
  add_ben(dir);
  server_process s(dir.path);
  device a(s.http_port, "DEVA");
  a.prime("1");
  a.prime("2");
  auto outside_send = new_draft("not-here");
  outside_send.Send.push_back("");
  const auto outside = a.add("1", "x1", outside_send);
  ASSERT_EQ(outside.Responses.size(), 1u);
  ASSERT_EQ(outside.Responses[0].Add.size(), 1u);
  EXPECT_EQ(outside.Responses[0].Add[0].Status, 6);
  EXPECT_FALSE(outside.Responses[0].Add[0].ServerId);

  change_data send;
  send.Send.push_back("");
  const auto inbox_send = a.change("1", "1:1", send);
  ASSERT_EQ(inbox_send.Responses.size(), 1u);
  ASSERT_EQ(inbox_send.Responses[0].Change.size(), 1u);
  EXPECT_EQ(inbox_send.Responses[0].Change[0].Status, 6);

  add_data lonely;
  lonely.Email_Subject.push_back("nobody");
  ASSERT_EQ(a.add("2", "d2", lonely).Responses.at(0).Add.at(0).ServerId, "2:4");
  const auto no_one = a.change("2", "2:4", send);
  ASSERT_EQ(no_one.Responses.size(), 1u);
  EXPECT_EQ(no_one.Responses[0].Change.at(0).Status, 6);

  mailbox m(dir);
  EXPECT_EQ(m.items("anna", "1").size(), 300u);
  EXPECT_TRUE(m.items("ben", "1").empty());
  EXPECT_EQ(m.items("anna", "4").size(), 20u);
  ASSERT_EQ(m.items("anna", "2").size(), 4u);
  EXPECT_EQ(text(m.items("anna", "2").back().props, prop::PidTagSubject), "nobody");
}

// A 14.1 client: no drafts (MS-ASEMAIL 2.2.2.69 Send is 16.0+): an e-mail Add is stored where it
// is sent, as before, and an email2:Send in it sends nothing
TEST_F(Drafts, Version141AddIsStoredAsBefore) {
  add_ben(dir);
  server_process s(dir.path);
  device a(s.http_port, "DEVA", "14.1");
  a.prime("1");
  add_data d;
  d.Email_Subject.push_back("old-style");
  d.To.push_back("ben@example.com");
  d.Send.push_back("");
  const auto col = a.add("1", "o1", d);
  ASSERT_EQ(col.Responses.size(), 1u);
  ASSERT_EQ(col.Responses[0].Add.size(), 1u);
  EXPECT_EQ(col.Responses[0].Add[0].Status, 1);
  EXPECT_EQ(col.Responses[0].Add[0].ServerId, "1:301");
  EXPECT_FALSE(col.Responses[0].Add[0].ApplicationData);
  mailbox m(dir);
  const auto p = m.items("anna", "1").back().props;
  EXPECT_EQ(text(p, prop::PidTagSubject), "old-style");
  EXPECT_EQ(text(p, prop::PidTagDisplayTo), "ben@example.com");
  EXPECT_EQ(p.get(prop::PidTagMessageFlags), std::nullopt);
  EXPECT_TRUE(m.recipients("anna", "1:301").empty());
  EXPECT_TRUE(m.items("ben", "1").empty());
}

}  // namespace test_drafts
