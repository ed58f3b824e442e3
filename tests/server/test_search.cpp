// oxwire-server over real sockets: Search (MS-ASCMD 2.2.1.16) of the demo mailbox and of the GAL,
// and Find (MS-ASCMD 2.2.1.2), with the Status codes of MS-ASCMD 2.2.3.177.13 and 2.2.3.177.2.
// The demo inbox (examples/server/demo_mailbox.hpp) holds 300 e-mails, one in six about
// "Invoice", delivered every 5 h back from 2026-01-05T09:00Z.
#include "server_harness.hpp"

#include <oxwire/gen/activesync/models/find.hpp>
#include <oxwire/gen/activesync/models/find_request.hpp>
#include <oxwire/gen/activesync/models/foldercreate.hpp>
#include <oxwire/gen/activesync/models/foldercreate_request.hpp>
#include <oxwire/gen/activesync/models/moveitems.hpp>
#include <oxwire/gen/activesync/models/moveitems_request.hpp>
#include <oxwire/gen/activesync/models/search.hpp>
#include <oxwire/gen/activesync/models/search_request.hpp>
#include <oxwire/gen/activesync/models/settings.hpp>
#include <oxwire/gen/activesync/models/settings_request.hpp>

namespace test_search {

using namespace server_harness;

namespace request = model::request;

/// A provisioned device of the test user.
struct device : device_session {
  using device_session::device_session;
  model::Search search(const request::Search& s, std::string_view version = "16.1") {
    return decode<model::Search>(send("Search", encoded(s), version));
  }
  /// The Store answer of a Search that succeeded as a whole (Search Status 1).
  model::Search_Response_Store store(const request::Search& s, std::string_view version = "16.1") {
    const auto m = search(s, version);
    EXPECT_EQ(m.Status, 1);
    if (!m.Response) {
      ADD_FAILURE() << "no Response";
      return {};
    }
    return m.Response->Store;
  }
  model::Find find(const request::Find& f) { return decode<model::Find>(send("Find", encoded(f))); }
};

/// Search of the mailbox: And(Class Email, CollectionId, FreeText) with Options.
request::Search mailbox(std::string_view free_text, std::string_view collection = "1") {
  model::Query a;
  a.Class.push_back("Email");
  a.CollectionId.push_back(collection);
  a.FreeText.push_back(free_text);
  request::Search s;
  s.Store.Name = "Mailbox";
  s.Store.Query.And.push_back(a);
  return s;
}

std::string subject_of(const model::Search_Response_Store_Result& r) {
  return r.Properties && !r.Properties->Email_Subject.empty()
             ? std::string(r.Properties->Email_Subject[0])
             : std::string();
}

class Search : public Server {};

// MS-ASCMD 2.2.3.155.2 Result: Class, LongId, CollectionId and Properties of each match, newest
// first; 2.2.3.184.3 Total and 2.2.3.143.3 Range (default 0-99)
TEST_F(Search, MailboxFreeTextWithRangeAndTotal) {
  server_process s(dir.path);
  device d(s.http_port);
  const auto all = d.store(mailbox("invoice"));
  EXPECT_EQ(all.Status, 1);
  EXPECT_EQ(all.Total, 50);
  EXPECT_EQ(all.Range, "0-49");
  ASSERT_EQ(all.Result.size(), 50u);
  EXPECT_EQ(subject_of(all.Result[0]), "Invoice #4");  // the newest
  EXPECT_EQ(subject_of(all.Result[1]), "Invoice #10");
  for (const auto& r : all.Result) {
    EXPECT_EQ(r.Class, "Email");
    EXPECT_EQ(r.CollectionId, "1");
    ASSERT_TRUE(r.LongId);
    EXPECT_TRUE(r.LongId->starts_with("1:"));
    EXPECT_NE(subject_of(r).find("Invoice"), std::string::npos);
  }

  auto ranged = mailbox("Invoice");
  ranged.Store.Options.emplace().Range.push_back("45-60");
  const auto tail = d.store(ranged);
  EXPECT_EQ(tail.Total, 50);
  EXPECT_EQ(tail.Range, "45-49");
  ASSERT_EQ(tail.Result.size(), 5u);
  EXPECT_EQ(subject_of(tail.Result[0]), subject_of(all.Result[45]));

  // Every word must occur; no match: Total 0, no Range
  EXPECT_EQ(d.store(mailbox("invoice regards")).Total, 50);
  const auto none = d.store(mailbox("invoice zebra"));
  EXPECT_EQ(none.Status, 1);
  EXPECT_EQ(none.Total, 0);
  EXPECT_TRUE(none.Result.empty());
  EXPECT_FALSE(none.Range);

  // Without Class and CollectionId every folder: inbox 50, Sent Items 3 e-mails, 2 tasks,
  // 7 appointments and 2 notes mention "Invoice"
  request::Search every;
  every.Store.Name = "Mailbox";
  every.Store.Query.And.emplace_back().FreeText.push_back("Invoice");
  every.Store.Options.emplace().Range.push_back("0-99");
  const auto wide = d.store(every);
  EXPECT_EQ(wide.Total, 64);
  std::map<std::string, int> classes;
  for (const auto& r : wide.Result) ++classes[std::string(r.Class.value_or(""))];
  EXPECT_EQ(classes["Email"], 53);
  EXPECT_EQ(classes["Tasks"], 2);
  EXPECT_EQ(classes["Calendar"], 7);
  EXPECT_EQ(classes["Notes"], 2);
}

// MS-ASCMD 2.2.3.73 FreeText matches the body's text, an HTML-only body's too: every demo e-mail
// of the inbox, whatever its MIME (plain, HTML only, alternative, 8-bit charsets), says "Hello"
TEST_F(Search, MailboxFreeTextFindsTheTextOfHtmlOnlyBodies) {
  server_process s(dir.path);
  device d(s.http_port);
  const auto inbox = sync_all(d.c, d.policy, "1").first;
  ASSERT_GT(inbox.size(), 6u);
  EXPECT_EQ(d.store(mailbox("hello")).Total, static_cast<std::int64_t>(inbox.size()));
}

// MS-ASCMD 2.2.3.79 GreaterThan and 2.2.3.94 LessThan on email:DateReceived; 2.2.3.125 Or
TEST_F(Search, MailboxDateRangeAndOr) {
  server_process s(dir.path);
  device d(s.http_port);
  auto q = mailbox("");
  q.Store.Query.And[0].FreeText.clear();
  q.Store.Query.And[0].GreaterThan.push_back(
      {.DateReceived = {{}}, .Value = "2026-01-04T00:00:00.000Z"});
  EXPECT_EQ(d.store(q).Total, 7);  // 09:00 back to 03:00 the day before, every 5 h
  q.Store.Query.And[0].LessThan.push_back(
      {.DateReceived = {{}}, .Value = "2026-01-05T00:00:00.000Z"});
  EXPECT_EQ(d.store(q).Total, 5);  // 23:00 back to 03:00 the day before

  auto either = mailbox("");
  either.Store.Query.And[0].FreeText.clear();
  auto& o = either.Store.Query.And[0].Or.emplace_back();
  o.FreeText = {"Invoice", "Lunch"};
  EXPECT_EQ(d.store(either).Total, 100);
}

// MS-ASAIRS 2.2.2.12 BodyPreference shapes the Body of each result (MS-ASCMD 2.2.3.13.3)
TEST_F(Search, MailboxBodyPreference) {
  server_process s(dir.path);
  device d(s.http_port);
  auto q = mailbox("Invoice");
  auto& o = q.Store.Options.emplace();
  o.Range.push_back("0-0");
  o.BodyPreference.push_back({.Type = 1, .TruncationSize = 8});
  const auto r = d.store(q);
  ASSERT_EQ(r.Result.size(), 1u);
  ASSERT_TRUE(r.Result[0].Properties);
  ASSERT_EQ(r.Result[0].Properties->Body.size(), 1u);
  EXPECT_EQ(r.Result[0].Properties->Body[0].Data, "Hello,\n\n");
  EXPECT_EQ(r.Result[0].Properties->Body[0].Truncated, true);
}

// MS-ASCMD 2.2.3.46 DeepTraversal: the subfolders of CollectionId are searched too
TEST_F(Search, MailboxDeepTraversal) {
  server_process s(dir.path);
  device d(s.http_port);
  const auto fs = decode<model::FolderSync>(d.send("FolderSync", folder_sync_request("0")));
  const auto sub = decode<model::FolderCreate>(
      d.send("FolderCreate",
             encoded(request::FolderCreate{
                 .SyncKey = *fs.SyncKey, .ParentId = "1", .DisplayName = "Archive", .Type = 12})));
  ASSERT_EQ(sub.Status, 1);
  const std::string sub_id(*sub.ServerId);
  // "Invoice #4" is 1:4 (the fourth inbox item)
  const auto moved = decode<model::MoveItems>(d.send(
      "MoveItems",
      encoded(request::MoveItems{{{.SrcMsgId = "1:4", .SrcFldId = "1", .DstFldId = sub_id}}})));
  ASSERT_EQ(moved.Response.at(0).Status, 3);
  EXPECT_EQ(d.store(mailbox("Invoice")).Total, 49);
  auto deep = mailbox("Invoice");
  deep.Store.Options.emplace().DeepTraversal.emplace_back();
  const auto r = d.store(deep);
  EXPECT_EQ(r.Total, 50);
  ASSERT_FALSE(r.Result.empty());
  EXPECT_EQ(r.Result[0].CollectionId, sub_id);
  EXPECT_EQ(d.store(mailbox("Invoice", sub_id)).Total, 1);
}

// MS-ASCMD 2.2.3.177.13: Store Status 2 for requests this store cannot take, 8 for a query too
// complex; the common Status 102/103 (MS-ASCMD 2.2.2) for a body that is not a Search request
TEST_F(Search, StatusCodes) {
  server_process s(dir.path);
  device d(s.http_port);
  const auto status = [&](const request::Search& q, std::string_view version = "16.1") {
    return d.store(q, version).Status;
  };
  auto equal_to = mailbox("Invoice");
  equal_to.Store.Query.And[0].EqualTo.push_back({.LinkId = "x", .Value = "y"});
  EXPECT_EQ(status(equal_to), 2);  // EqualTo is for Document Library searches
  auto bad_class = mailbox("Invoice");
  bad_class.Store.Query.And[0].Class[0] = "Journal";
  EXPECT_EQ(status(bad_class), 2);
  EXPECT_EQ(status(mailbox("Invoice", "99")), 2);  // no such folder
  request::Search empty;
  empty.Store.Name = "Mailbox";
  EXPECT_EQ(status(empty), 2);
  auto bad_range = mailbox("Invoice");
  bad_range.Store.Options.emplace().Range.push_back("9-1");
  EXPECT_EQ(status(bad_range), 2);
  auto bad_date = mailbox("Invoice");
  bad_date.Store.Query.And[0].GreaterThan.push_back({.DateReceived = {{}}, .Value = "yesterday"});
  EXPECT_EQ(status(bad_date), 2);
  auto conversation = mailbox("Invoice");
  static constexpr std::uint8_t id[] = {1, 2, 3};
  conversation.Store.Query.And[0].ConversationId.push_back({.data = id});
  EXPECT_EQ(status(conversation, "12.1"), 2);  // ConversationId: 14.0 and later
  EXPECT_EQ(status(conversation, "14.0"), 1);
  auto library = mailbox("Invoice");
  library.Store.Name = "Document Library";
  EXPECT_EQ(status(library), 2);

  // Nested deeper than the limit (8): too complex
  request::Search deep;
  deep.Store.Name = "Mailbox";
  model::Query q;
  q.FreeText.push_back("Invoice");
  for (int i = 0; i < 10; ++i) {
    model::Query outer;
    outer.And.push_back(std::move(q));
    q = std::move(outer);
  }
  deep.Store.Query = q;
  EXPECT_EQ(status(deep), 8);
  request::Search wide = mailbox("Invoice");
  wide.Store.Query.And[0].FreeText.assign(100, "x");
  EXPECT_EQ(status(wide), 8);

  EXPECT_EQ(decode<model::Search>(d.send("Search", "not wbxml")).Status, 102);
  EXPECT_EQ(decode<model::Search>(d.send("Search", folder_sync_request("0"))).Status, 103);
}

// MS-ASCMD 2.2.3.168.3 Store Name GAL: the users of this server by name prefix, Range, and
// Picture answered with Status 173 (no photo stored)
TEST_F(Search, Gal) {
  server_process s(dir.path);
  device d(s.http_port);
  request::Search g;
  g.Store.Name = "GAL";
  g.Store.Query.text = "AN";
  const auto r = d.store(g);
  EXPECT_EQ(r.Status, 1);
  EXPECT_EQ(r.Total, 1);
  ASSERT_EQ(r.Result.size(), 1u);
  ASSERT_TRUE(r.Result[0].Properties);
  EXPECT_EQ(r.Result[0].Properties->GAL_DisplayName, std::vector<std::string_view>{"anna"});
  EXPECT_EQ(r.Result[0].Properties->EmailAddress, std::vector<std::string_view>{"anna"});
  EXPECT_TRUE(r.Result[0].Properties->GAL_Picture.empty());

  g.Store.Options.emplace().Picture.emplace_back();
  const auto p = d.store(g);
  ASSERT_EQ(p.Result.size(), 1u);
  ASSERT_EQ(p.Result[0].Properties->GAL_Picture.size(), 1u);
  EXPECT_EQ(p.Result[0].Properties->GAL_Picture[0].Status, 173);

  g.Store.Query.text = "bob";
  EXPECT_EQ(d.store(g).Total, 0);
  g.Store.Query.text = "";
  EXPECT_EQ(d.store(g).Status, 2);
}

// A Search request encoded by libwbxml's xml2wbxml (code pages switched by xmlns)
TEST_F(Search, RequestEncodedByLibwbxml) {
  const auto body =
      libwbxml_of(dir.path, R"(<Search xmlns="Search:"><Store><Name>Mailbox</Name><Query><And>)"
                            R"(<Class xmlns="AirSync:">Email</Class>)"
                            R"(<CollectionId xmlns="AirSync:">1</CollectionId>)"
                            R"(<FreeText>Invoice</FreeText></And></Query>)"
                            R"(<Options><Range>0-4</Range></Options></Store></Search>)");
  if (!body) GTEST_SKIP() << no_xml2wbxml;
  server_process s(dir.path);
  device d(s.http_port);
  const auto m = decode<model::Search>(d.send("Search", *body));
  EXPECT_EQ(m.Status, 1);
  ASSERT_TRUE(m.Response);
  EXPECT_EQ(m.Response->Store.Status, 1);
  EXPECT_EQ(m.Response->Store.Total, 50);
  EXPECT_EQ(m.Response->Store.Result.size(), 5u);
}

class Find : public Server {};

// MS-ASCMD 2.2.1.2 Find (16.1): the mailbox criterion through the Search matcher, the GAL
// criterion, Range/Total, Status 2 (MS-ASCMD 2.2.3.177.2) for an invalid request
TEST_F(Find, MailboxAndGal) {
  server_process s(dir.path);
  device d(s.http_port);
  request::Find f{.SearchId = "1", .ExecuteSearch = {}};
  auto& m = f.ExecuteSearch.MailBoxSearchCriterion.emplace();
  m.Query = {.FreeText = "invoice", .Class = "Email", .CollectionId = "1"};
  m.Options.emplace().Range = "0-4";
  const auto r = d.find(f);
  EXPECT_EQ(r.Status, 1);
  ASSERT_TRUE(r.Response);
  EXPECT_EQ(r.Response->Status, 1);
  EXPECT_EQ(r.Response->Store, "Mailbox");
  EXPECT_EQ(r.Response->Total, 50);
  EXPECT_EQ(r.Response->Range, "0-4");
  ASSERT_EQ(r.Response->Result.size(), 5u);
  EXPECT_EQ(r.Response->Result[0].ServerId, "1:4");
  EXPECT_EQ(r.Response->Result[0].CollectionId, "1");
  EXPECT_EQ(r.Response->Result[0].Properties.Subject, std::vector<std::string_view>{"Invoice #4"});
  EXPECT_EQ(r.Response->Result[0].Properties.HasAttachments, std::vector<bool>{false});

  request::Find g{.SearchId = "2", .ExecuteSearch = {}};
  g.ExecuteSearch.GalSearchCriterion.emplace().Query = "Ann";
  const auto gal = d.find(g);
  ASSERT_TRUE(gal.Response);
  EXPECT_EQ(gal.Response->Status, 1);
  EXPECT_EQ(gal.Response->Total, 1);
  ASSERT_EQ(gal.Response->Result.size(), 1u);
  EXPECT_EQ(gal.Response->Result[0].Properties.DisplayName, std::vector<std::string_view>{"anna"});

  // Both criteria, an unknown folder, an empty FreeText: Status 2
  auto both = f;
  both.ExecuteSearch.GalSearchCriterion = g.ExecuteSearch.GalSearchCriterion;
  EXPECT_EQ(d.find(both).Response->Status, 2);
  auto unknown = f;
  unknown.ExecuteSearch.MailBoxSearchCriterion->Query.CollectionId = "99";
  EXPECT_EQ(d.find(unknown).Response->Status, 2);
  auto blank = f;
  blank.ExecuteSearch.MailBoxSearchCriterion->Query.FreeText = "";
  EXPECT_EQ(d.find(blank).Response->Status, 2);
  // Find is a 16.1 command (MS-ASCMD 2.2.1.2)
  EXPECT_EQ(d.send("Find", encoded(f), "14.1").status, 501);
}

class Settings : public Server {};

// MS-ASCMD 2.2.3.118 Oof: Set with OofState 2, StartTime/EndTime and one message per audience,
// persisted and read back by Get; Status 5/6/2 (MS-ASCMD 2.2.3.177.15) for a time-based Oof
// without times, with StartTime after EndTime, and a message without its audience
TEST_F(Settings, OofSetAndGet) {
  server_process s(dir.path);
  device d(s.http_port);
  const auto settings = [&](const request::Settings& r) {
    return decode<model::Settings>(d.send("Settings", encoded(r)));
  };
  // The Set request, changed by `f` for the failure cases (built afresh each time: g++ 12 sees
  // a copy of the filled request as maybe-uninitialized).
  const auto oof_set = [](auto f) {
    request::Settings set;
    auto& o = set.Oof.emplace().Set.emplace();
    o.OofState = 2;
    o.StartTime = model::date_time{"2026-07-01T00:00:00.000Z"};
    o.EndTime = model::date_time{"2026-07-15T00:00:00.000Z"};
    auto& internal = o.OofMessage.emplace_back();
    internal.AppliesToInternal.emplace();
    internal.Enabled = "1";
    internal.ReplyMessage = "Away until the 15th";
    internal.BodyType = "Text";
    auto& unknown = o.OofMessage.emplace_back();
    unknown.AppliesToExternalUnknown.emplace();
    unknown.Enabled = "0";
    f(o);
    return set;
  };
  const auto r = settings(oof_set([](auto&) {}));
  EXPECT_EQ(r.Status, 1);
  ASSERT_TRUE(r.Oof);
  EXPECT_EQ(r.Oof->Status, 1);

  request::Settings get;
  get.Oof.emplace().Get.emplace().BodyType = "Text";
  const auto g = settings(get);
  ASSERT_TRUE(g.Oof && g.Oof->Get);
  EXPECT_EQ(g.Oof->Get->OofState, 2);
  EXPECT_EQ(g.Oof->Get->StartTime, model::date_time{"2026-07-01T00:00:00.000Z"});
  EXPECT_EQ(g.Oof->Get->EndTime, model::date_time{"2026-07-15T00:00:00.000Z"});
  ASSERT_EQ(g.Oof->Get->OofMessage.size(), 2u);
  EXPECT_TRUE(g.Oof->Get->OofMessage[0].AppliesToInternal);
  EXPECT_EQ(g.Oof->Get->OofMessage[0].Enabled, "1");
  EXPECT_EQ(g.Oof->Get->OofMessage[0].ReplyMessage, "Away until the 15th");
  EXPECT_EQ(g.Oof->Get->OofMessage[0].BodyType, "Text");
  EXPECT_TRUE(g.Oof->Get->OofMessage[1].AppliesToExternalUnknown);
  EXPECT_EQ(g.Oof->Get->OofMessage[1].Enabled, "0");

  EXPECT_EQ(settings(oof_set([](auto& o) { o.EndTime.reset(); })).Oof->Status, 5);
  EXPECT_EQ(settings(oof_set([](auto& o) { std::swap(o.StartTime, o.EndTime); })).Oof->Status, 6);
  // a message for no audience
  EXPECT_EQ(
      settings(oof_set([](auto& o) { o.OofMessage.at(0).AppliesToInternal.reset(); })).Oof->Status,
      2);
  get.Oof->Get->BodyType = "RTF";
  EXPECT_EQ(settings(get).Oof->Status, 2);
  // The failed Sets changed nothing
  get.Oof->Get->BodyType = "HTML";
  EXPECT_EQ(settings(get).Oof->Get->OofState, 2);

  // Malformed body: the common Status 102 (MS-ASCMD 2.2.2)
  EXPECT_EQ(decode<model::Settings>(d.send("Settings", "junk")).Status, 102);
}

// MS-ASCMD 2.2.3.52 DeviceInformation Set, 2.2.3.188 UserInformation Get (EmailAddresses up to
// 14.0, Accounts from 14.1), DevicePassword Set and RightsManagementInformation Get
TEST_F(Settings, DeviceAndUserInformation) {
  server_process s(dir.path);
  device d(s.http_port);
  request::Settings r;
  auto& info = r.DeviceInformation.emplace().Set;
  info.Model = "Test phone";
  info.IMEI = "123456789012345";
  info.FriendlyName = "Anna's phone";
  info.OS = "TestOS 1";
  r.UserInformation.emplace();
  r.DevicePassword.emplace().Set.Password = "recovery";
  r.RightsManagementInformation.emplace();
  const auto m = decode<model::Settings>(d.send("Settings", encoded(r)));
  EXPECT_EQ(m.Status, 1);
  ASSERT_TRUE(m.DeviceInformation);
  EXPECT_EQ(m.DeviceInformation->Status, 1);
  ASSERT_TRUE(m.DevicePassword);
  EXPECT_EQ(m.DevicePassword->Status, 1);
  ASSERT_TRUE(m.RightsManagementInformation);
  EXPECT_EQ(m.RightsManagementInformation->Status, 1);
  EXPECT_TRUE(m.RightsManagementInformation->Get.RightsManagementTemplates.RightsManagementTemplate
                  .empty());
  ASSERT_TRUE(m.UserInformation && m.UserInformation->Get);
  ASSERT_TRUE(m.UserInformation->Get->Accounts);
  const auto& a = m.UserInformation->Get->Accounts->Account.at(0);
  ASSERT_TRUE(a.EmailAddresses);
  EXPECT_EQ(a.EmailAddresses->PrimarySmtpAddress, "anna");

  request::Settings old;
  old.UserInformation.emplace();
  const auto o = decode<model::Settings>(d.send("Settings", encoded(old), "14.0"));
  ASSERT_TRUE(o.UserInformation && o.UserInformation->Get);
  EXPECT_FALSE(o.UserInformation->Get->Accounts);
  ASSERT_TRUE(o.UserInformation->Get->EmailAddresses);
  EXPECT_EQ(o.UserInformation->Get->EmailAddresses->SMTPAddress,
            std::vector<std::string_view>{"anna"});
}

// A Settings request encoded by libwbxml's xml2wbxml
TEST_F(Settings, RequestEncodedByLibwbxml) {
  const auto body =
      libwbxml_of(dir.path, R"(<Settings xmlns="Settings:"><Oof><Set><OofState>1</OofState>)"
                            R"(</Set></Oof><UserInformation><Get/></UserInformation></Settings>)");
  if (!body) GTEST_SKIP() << no_xml2wbxml;
  server_process s(dir.path);
  device d(s.http_port);
  const auto m = decode<model::Settings>(d.send("Settings", *body));
  EXPECT_EQ(m.Status, 1);
  ASSERT_TRUE(m.Oof);
  EXPECT_EQ(m.Oof->Status, 1);
  ASSERT_TRUE(m.UserInformation);
  EXPECT_EQ(m.UserInformation->Status, 1);
}

class GetAttachment : public Server {};

// MS-ASCMD 2.2.1.8 GetAttachment (12.1): the raw bytes and Content-Type of the attachment the
// FileReference names; 500 for an unknown one; 501 from 14.0 on
TEST_F(GetAttachment, RawBytesByFileReference) {
  server_process s(dir.path);
  device d(s.http_port);
  const auto get = [&](std::string_view name, std::string_view version) {
    std::string r = post("GetAttachment", "", d.policy);
    const std::string at = "&DeviceType=Test";
    r.insert(r.find(at) + at.size(), "&AttachmentName=" + std::string(name));
    const std::string header = "MS-ASProtocolVersion: ";
    r.replace(r.find(header) + header.size(), 4, version);
    return d.c.send(r);
  };
  // Inbox item 1:1 has one attachment (demo_mailbox.hpp), FileReference 1:1:0
  const auto ok = get("1:1:0", "12.1");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.header("content-type"), "text/plain");
  EXPECT_EQ(ok.body, "Attachment of message 1\n");
  EXPECT_EQ(get("1:1:1", "12.1").status, 500);  // no second attachment
  EXPECT_EQ(get("1:2:0", "12.1").status, 500);  // item without attachments
  EXPECT_EQ(get("..%2F1:1:0", "12.1").status, 500);
  EXPECT_EQ(get("1:1:0", "14.0").status, 501);
}

}  // namespace test_search
