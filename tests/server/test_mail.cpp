// oxwire-server over real sockets, the mail commands (examples/server/mail_commands.hpp):
// SendMail (WBXML with opaque or string Mime, the 12.1 raw MIME form, duplicate ClientId, bad
// MIME), SmartReply and SmartForward with and without ReplaceMime, MeetingResponse (with
// SendResponse), invitations as meeting requests with their updates, cancellations and instances
// reaching the attendee's calendar, and a SendMail encoded by libwbxml's xml2wbxml.
#include <oxwire/gen/activesync/models/sync_request.hpp>
#include "server_harness.hpp"

#include <server/demo_mailbox.hpp>

#include <oxwire/core/base64.hpp>
#include <oxwire/gen/activesync/models/itemoperations.hpp>
#include <oxwire/gen/activesync/models/itemoperations_request.hpp>
#include <oxwire/gen/activesync/models/meetingresponse.hpp>
#include <oxwire/gen/activesync/models/meetingresponse_request.hpp>
#include <oxwire/gen/activesync/models/sendmail.hpp>
#include <oxwire/gen/activesync/models/sendmail_request.hpp>
#include <oxwire/gen/activesync/models/smartforward.hpp>
#include <oxwire/gen/activesync/models/smartforward_request.hpp>
#include <oxwire/gen/activesync/models/smartreply.hpp>
#include <oxwire/gen/activesync/models/smartreply_request.hpp>
#include <oxwire/gen/activesync/models/sync_request.hpp>
#include <oxwire/gen/mapi/prop_lids.hpp>
#include <oxwire_test/requirements.hpp>

#include <tuple>

namespace test_mail {

using namespace server_harness;
namespace request = model::request;
namespace prop = oxwire::mapi::prop;

/// A MIME message from anna.
std::string mime(const std::string& to, const std::string& subject, const std::string& body,
                 const std::string& extra = "") {
  return "From: Anna <anna@example.com>\r\nTo: " + to + "\r\n" + extra + "Subject: " + subject +
         "\r\nDate: Tue, 01 Dec 2026 10:00:00 +0000\r\nMessage-ID: <" + subject +
         "@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n";
}

oxwire::bytes_view bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::string text(const oxwire::mapi::property_bag& b, const auto& p) {
  const auto v = b.get(p);
  return v ? oxwire::utf16::to_utf8(*v).value() : "<absent>";
}

/// A provisioned device of anna, with ben (an empty mailbox) as a second user of the store.
struct mail_server {
  temp_dir& dir;
  server_process s;
  client c;
  std::uint32_t policy = 0;
  explicit mail_server(temp_dir& d) : dir(d), s((add_ben(d), d.path)), c(s.http_port) {
    policy = provision(c);
  }
  static void add_ben(temp_dir& d) {
    oxwire::server::store db(d.path / "oxwire.db");
    oxwire_server::create_demo(db, "ben", "pw", {0, 0, 0, 0, 0, 0, 0, 0});
  }
  reply send(std::string_view cmd, const std::string& body, std::string_view device = "DEV1") {
    return c.send(post(cmd, body, policy, basic(user, password), device));
  }
  /// A compose command's failure Status (nullopt: it succeeded with an empty 200).
  template <class M>
  std::optional<std::int64_t> status(std::string_view cmd, const std::string& body) {
    const auto r = send(cmd, body);
    if (r.status == 200 && r.body.empty()) return std::nullopt;
    return decode<M>(r).Status.value_or(-1);
  }
  /// The items of a folder of a user, read from the store.
  std::vector<oxwire::server::item> items(const std::string& name, const std::string& folder) {
    oxwire::server::store db(dir.path / "oxwire.db");
    return db.items(*db.find_user(name), folder);
  }
  std::vector<oxwire::mapi::property_bag> attachments(const std::string& name,
                                                      const std::string& item) {
    oxwire::server::store db(dir.path / "oxwire.db");
    return db.attachments(*db.find_user(name), item);
  }
  /// The subjects of a user's folder.
  std::vector<std::string> subjects(const std::string& name, const std::string& folder) {
    std::vector<std::string> out;
    for (const auto& i : items(name, folder)) out.push_back(text(i.props, prop::PidTagSubject));
    return out;
  }
};

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

class Mail : public Server {};

// MS-ASCMD 2.2.1.17: opaque Mime; delivered to local To/Cc recipients' Inboxes (Bcc line removed),
// a copy in Sent Items (SaveInSentItems, 2.2.3.151), the non-local recipient dropped
TEST_F(Mail, SendMailDeliversAndSavesInSentItems) {
  mail_server m(dir);
  const std::string msg = mime("Ben <ben@example.com>", "hello-ben", "Hi Ben, grüße",
                               "Cc: anna@other.example\r\nBcc: carl@elsewhere.example\r\n");
  const auto r = m.send("SendMail", encoded(request::SendMail{.ClientId = "c1",
                                                              .AccountId = {},
                                                              .SaveInSentItems = model::empty{},
                                                              .Mime = {bytes(msg)},
                                                              .TemplateID = {}}));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
  const auto inbox = m.items("ben", "1");
  ASSERT_EQ(inbox.size(), 1u);
  const auto& p = inbox[0].props;
  EXPECT_EQ(text(p, prop::PidTagSubject), "hello-ben");
  EXPECT_EQ(text(p, prop::PidTagBody), "Hi Ben, grüße\r\n");
  EXPECT_EQ(text(p, prop::PidTagSenderEmailAddress), "anna@example.com");
  EXPECT_EQ(text(p, prop::PidTagDisplayTo), "Ben");
  EXPECT_FALSE(p.get(prop::PidTagDisplayBcc));
  EXPECT_EQ(p.get(prop::PidTagRead), false);
  // anna is a Cc recipient by her local part (other domain): her Inbox has it, through Sync
  const auto [adds, key] = sync_all(m.c, m.policy, "1");
  EXPECT_EQ(adds.size(), 301u);
  bool found = false;
  for (const auto& a : adds)
    found = found || (!a.ApplicationData.Email_Subject.empty() &&
                      a.ApplicationData.Email_Subject[0] == "hello-ben");
  EXPECT_TRUE(found);
  const auto sent = m.items("anna", "4");
  ASSERT_EQ(sent.size(), 21u);  // 20 demo items
  EXPECT_EQ(text(sent.back().props, prop::PidTagSubject), "hello-ben");
  EXPECT_EQ(text(sent.back().props, prop::PidTagDisplayBcc), "carl@elsewhere.example");
  EXPECT_EQ(sent.back().props.get(prop::PidTagRead), true);
}

// No SaveInSentItems: no copy; the same ClientId again from the same device: Status 118
// MessagePreviouslySent (MS-ASCMD 2.2.2), from another device: sent
TEST_F(Mail, DuplicateClientIdPerDevice) {
  mail_server m(dir);
  const auto send_mail = [](const std::string& client_id, const std::string& subject) {
    const std::string msg = mime("ben@example.com", subject, "text");
    return encoded(request::SendMail{.ClientId = client_id,
                                     .AccountId = {},
                                     .SaveInSentItems = {},
                                     .Mime = {bytes(msg)},
                                     .TemplateID = {}});
  };
  EXPECT_EQ(m.status<model::SendMail>("SendMail", send_mail("dup", "first")), std::nullopt);
  EXPECT_EQ(m.status<model::SendMail>("SendMail", send_mail("dup", "second")), 118);
  const auto dev2 = provision(m.c, "DEV2");
  const auto other =
      m.c.send(post("SendMail", send_mail("dup", "third"), dev2, basic(user, password), "DEV2"));
  EXPECT_EQ(other.status, 200);
  EXPECT_EQ(other.body, "");
  EXPECT_EQ(m.subjects("ben", "1"), (std::vector<std::string>{"first", "third"}));
  EXPECT_EQ(m.items("anna", "4").size(), 20u);
}

// Status 107 InvalidMIME, 119 MessageHasNoRecipient, 102 for a body that is not the request
TEST_F(Mail, SendMailFailures) {
  mail_server m(dir);
  const auto send = [&](const std::string& mime_text) {
    return m.status<model::SendMail>(
        "SendMail", encoded(request::SendMail{.ClientId = mime_text.substr(0, 8) + "x",
                                              .AccountId = {},
                                              .SaveInSentItems = {},
                                              .Mime = {bytes(mime_text)},
                                              .TemplateID = {}}));
  };
  EXPECT_EQ(send("\r\n\r\nno headers"), 107);
  EXPECT_EQ(send(""), 107);
  EXPECT_EQ(send("From: anna@example.com\r\nSubject: nobody\r\n\r\nx"), 119);
  EXPECT_EQ(m.status<model::SendMail>("SendMail", "not wbxml"), 102);
  EXPECT_TRUE(m.items("ben", "1").empty());
}

// Mime as a WBXML inline string (STR_I) rather than OPAQUE, written by the library's encoder
TEST_F(Mail, StringMime) {
  mail_server m(dir);
  std::vector<std::uint8_t> out;
  oxwire::vector_writer w(out);
  oxwire::wbxml::basic_encoder e(w);
  ASSERT_TRUE(e.header());
  ASSERT_TRUE(e.start(0x15, 0x05, true));                           // ComposeMail:SendMail
  ASSERT_TRUE(e.text_element(0x15, 0x11, std::string_view("s1")));  // ClientId
  ASSERT_TRUE(
      e.text_element(0x15, 0x10, std::string_view(mime("ben@example.com", "as-string", "str"))));
  ASSERT_TRUE(e.end());
  EXPECT_EQ(m.status<model::SendMail>("SendMail", text_of(out)), std::nullopt);
  EXPECT_EQ(m.subjects("ben", "1"), std::vector<std::string>{"as-string"});
}

/// A 12.1 request: the MIME as the body (MS-ASCMD 2.2.1.17, MS-ASHTTP 2.2.1.1.1.2).
std::string post_12_1(std::string_view cmd, const std::string& query, const std::string& body,
                      std::uint32_t key) {
  return "POST /Microsoft-Server-ActiveSync?Cmd=" + std::string(cmd) +
         "&User=anna&DeviceId=DEV1&DeviceType=Test" + query +
         " HTTP/1.1\r\nHost: localhost\r\nMS-ASProtocolVersion: 12.1\r\n"
         "Content-Type: message/rfc822\r\nAuthorization: " +
         basic(user, password) + "\r\nX-MS-PolicyKey: " + std::to_string(key) +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

TEST_F(Mail, RawMimeForm12_1) {
  mail_server m(dir);
  auto r = m.c.send(
      post_12_1("SendMail", "&SaveInSent=T", mime("ben@example.com", "raw", "12.1"), m.policy));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(m.subjects("ben", "1"), std::vector<std::string>{"raw"});
  EXPECT_TRUE(contains(m.subjects("anna", "4"), "raw"));
  // 12.1 SmartReply: the source in the query, the original appended
  r = m.c.send(post_12_1("SmartReply", "&ItemId=1:2&CollectionId=1",
                         mime("ben@example.com", "raw-reply", "Reply"), m.policy));
  EXPECT_EQ(r.status, 200);
  const auto inbox = m.items("ben", "1");
  ASSERT_EQ(inbox.size(), 2u);
  EXPECT_NE(text(inbox[1].props, prop::PidTagBody).find("this is message 2"), std::string::npos);
  // before 14.0 failures are HTTP statuses (MS-ASCMD 2.2.2): InvalidMIME has none, so 500
  EXPECT_EQ(m.c.send(post_12_1("SendMail", "", "\r\n\r\nnothing", m.policy)).status, 500);
  EXPECT_EQ(m.c.send(post_12_1("SmartReply", "&ItemId=1:9999&CollectionId=1",
                               mime("ben@example.com", "x", "y"), m.policy))
                .status,
            500);
}

// The ids are literals: the request's string_views point into them after the call.
request::SmartReply smart_reply(std::string_view client_id, std::string_view item,
                                const std::string& msg, bool replace) {
  request::SmartReply r;
  r.ClientId = client_id;
  r.Source.FolderId = "1";
  r.Source.ItemId = item;
  if (replace) r.ReplaceMime = model::empty{};
  r.Mime = {bytes(msg)};
  return r;
}

// MS-ASCMD 2.2.1.20: without ReplaceMime the original body follows the reply; with it the MIME
// is the whole message; Status 150 ItemNotFound for an unknown or misplaced source
TEST_F(Mail, SmartReply) {
  mail_server m(dir);
  const std::string a = mime("ben@example.com", "re-1", "My answer");
  EXPECT_EQ(m.status<model::SmartReply>("SmartReply", encoded(smart_reply("r1", "1:2", a, false))),
            std::nullopt);
  const std::string b = mime("ben@example.com", "re-2", "Only this");
  EXPECT_EQ(m.status<model::SmartReply>("SmartReply", encoded(smart_reply("r2", "1:2", b, true))),
            std::nullopt);
  const auto inbox = m.items("ben", "1");
  ASSERT_EQ(inbox.size(), 2u);
  const auto quoted = text(inbox[0].props, prop::PidTagBody);
  EXPECT_TRUE(quoted.starts_with("My answer\r\n")) << quoted;
  EXPECT_NE(quoted.find("-----Original Message-----"), std::string::npos);
  EXPECT_NE(quoted.find("this is message 2 about"), std::string::npos);
  EXPECT_EQ(text(inbox[1].props, prop::PidTagBody), "Only this\r\n");
  EXPECT_TRUE(m.attachments("ben", inbox[0].server_id).empty());  // a reply has none

  EXPECT_EQ(
      m.status<model::SmartReply>("SmartReply", encoded(smart_reply("r3", "1:9999", a, false))),
      150);
  EXPECT_EQ(m.status<model::SmartReply>("SmartReply", encoded(smart_reply("r4", "4:1", a, false))),
            150);  // in folder 4, not 1
  auto by_long_id = smart_reply("r5", "", a, false);
  by_long_id.Source = {.FolderId = {}, .ItemId = {}, .LongId = "1:3", .InstanceId = {}};
  EXPECT_EQ(m.status<model::SmartReply>("SmartReply", encoded(by_long_id)), std::nullopt);
}

// MS-ASCMD 2.2.1.19: SmartForward without ReplaceMime forwards the original's attachments too
TEST_F(Mail, SmartForward) {
  mail_server m(dir);
  const auto forward = [&](const std::string& id, bool replace) {
    request::SmartForward f;
    f.ClientId = id;
    f.Source.FolderId = "1";
    f.Source.ItemId = "1:1";  // demo message 1 has an attachment
    if (replace) f.ReplaceMime = model::empty{};
    const std::string msg = mime("ben@example.com", "fwd-" + id, "FYI");
    f.Mime = model::opaque{bytes(msg)};
    return m.status<model::SmartForward>("SmartForward", encoded(f));
  };
  EXPECT_EQ(forward("f1", false), std::nullopt);
  EXPECT_EQ(forward("f2", true), std::nullopt);
  const auto inbox = m.items("ben", "1");
  ASSERT_EQ(inbox.size(), 2u);
  EXPECT_NE(text(inbox[0].props, prop::PidTagBody).find("this is message 1 about"),
            std::string::npos);
  const auto att = m.attachments("ben", inbox[0].server_id);
  ASSERT_EQ(att.size(), 1u);
  EXPECT_EQ(text(att[0], prop::PidTagAttachLongFilename), "notes-1.txt");
  EXPECT_EQ(inbox[0].props.get(prop::PidTagHasAttachments), true);
  EXPECT_EQ(text(inbox[1].props, prop::PidTagBody), "FYI\r\n");
  EXPECT_TRUE(m.attachments("ben", inbox[1].server_id).empty());
  EXPECT_EQ(forward("f1", false), 118);  // the same ClientId again
}

/// A meeting request in anna's Inbox, added to the store directly; its ServerId.
std::string add_meeting_request(temp_dir& dir, const std::string& subject) {
  oxwire::server::store db(dir.path / "oxwire.db");
  auto b = oxwire_server::detail_demo::bag();
  b.set(prop::PidTagMessageClass, u"IPM.Schedule.Meeting.Request");
  b.set(prop::PidTagSubject, oxwire_server::u16_of(subject));
  const auto at = [](int h) {
    return oxwire::mapi::filetime{
        oxwire::to_filetime(std::chrono::sys_days{std::chrono::year{2026} / 12 / 3} +
                            std::chrono::hours{h})
            .value()};
  };
  EXPECT_TRUE(b.set(prop::PidLidAppointmentStartWhole, at(10)));
  EXPECT_TRUE(b.set(prop::PidLidAppointmentEndWhole, at(11)));
  EXPECT_TRUE(b.set(prop::PidLidLocation, u"Room 7"));
  return db.add_item(*db.find_user(user), "1", b);
}

// MS-ASCMD 2.2.1.11: accept and tentative put an appointment in the Calendar (CalendarId),
// decline does not; every answered request leaves the Inbox for Deleted Items; Status 2 for an
// item that is not a meeting request
TEST_F(Mail, MeetingResponse) {
  mail_server m(dir);
  const auto accept = add_meeting_request(dir, "planning");
  const auto decline = add_meeting_request(dir, "boring");
  const auto tentative = add_meeting_request(dir, "maybe");
  request::MeetingResponse req;
  const std::vector<std::pair<std::string, int>> answers{
      {accept, 1}, {decline, 3}, {tentative, 2}, {"1:1", 1}};
  for (const auto& [id, answer] : answers)
    req.Request.push_back({.UserResponse = static_cast<std::uint8_t>(answer),
                           .CollectionId = "1",
                           .RequestId = id,
                           .LongId = {},
                           .InstanceId = {},
                           .SendResponse = {}});
  const auto r = decode<model::MeetingResponse>(m.send("MeetingResponse", encoded(req)));
  ASSERT_EQ(r.Result.size(), 4u);
  EXPECT_EQ(r.Result[0].Status, 1);
  EXPECT_EQ(r.Result[0].RequestId, accept);
  ASSERT_TRUE(r.Result[0].CalendarId);
  EXPECT_EQ(r.Result[1].Status, 1);
  EXPECT_FALSE(r.Result[1].CalendarId);
  EXPECT_EQ(r.Result[2].Status, 1);
  ASSERT_TRUE(r.Result[2].CalendarId);
  EXPECT_EQ(r.Result[3].Status, 2);  // demo message 1 is an IPM.Note

  oxwire::server::store db(dir.path / "oxwire.db");
  const auto anna = *db.find_user(user);
  const auto appointment = db.find_item(anna, *r.Result[0].CalendarId);
  ASSERT_TRUE(appointment);
  EXPECT_TRUE(r.Result[0].CalendarId->starts_with("6:"));
  EXPECT_EQ(text(appointment->props, prop::PidTagMessageClass), "IPM.Appointment");
  EXPECT_EQ(text(appointment->props, prop::PidTagSubject), "planning");
  EXPECT_EQ(appointment->props.get(prop::PidLidBusyStatus), 2);
  EXPECT_EQ(text(appointment->props, prop::PidLidLocation), "Room 7");
  EXPECT_EQ(db.find_item(anna, *r.Result[2].CalendarId)->props.get(prop::PidLidBusyStatus), 1);
  for (const auto& id : {accept, decline, tentative}) EXPECT_FALSE(db.find_item(anna, id));
  std::vector<std::string> deleted;
  for (const auto& i : db.items(anna, "3")) deleted.push_back(text(i.props, prop::PidTagSubject));
  EXPECT_TRUE(contains(deleted, "planning") && contains(deleted, "boring"));
  EXPECT_TRUE(db.find_item(anna, "1:1"));

  // a meeting already in the Calendar: its BusyStatus changes in place, or it goes (decline)
  request::MeetingResponse on_calendar;
  const std::vector<std::pair<std::string, int>> calendar_answers{{"6:1", 2}, {"6:2", 3}};
  for (const auto& [id, answer] : calendar_answers)  // RequestId points into these strings
    on_calendar.Request.push_back({.UserResponse = static_cast<std::uint8_t>(answer),
                                   .CollectionId = "6",
                                   .RequestId = id,
                                   .LongId = {},
                                   .InstanceId = {},
                                   .SendResponse = {}});
  const auto cal = decode<model::MeetingResponse>(m.send("MeetingResponse", encoded(on_calendar)));
  ASSERT_EQ(cal.Result.size(), 2u);
  EXPECT_EQ(cal.Result[0].Status, 1);
  EXPECT_EQ(cal.Result[0].CalendarId, "6:1");
  EXPECT_EQ(db.find_item(anna, "6:1")->props.get(prop::PidLidBusyStatus), 1);
  EXPECT_EQ(cal.Result[1].Status, 1);
  EXPECT_FALSE(cal.Result[1].CalendarId);
  EXPECT_FALSE(db.find_item(anna, "6:2"));

  // the same request again: it has left the Inbox
  const auto again = decode<model::MeetingResponse>(m.send("MeetingResponse", encoded(req)));
  ASSERT_EQ(again.Result.size(), 4u);
  EXPECT_EQ(again.Result[0].Status, 2);
}

/// An invitation as calendar programs mail it (RFC 6047 iMIP): text and a text/calendar part
/// with METHOD:REQUEST, a monthly meeting on the first Monday from 2026-12-07 10:00 Berlin time,
/// three times, but not on 2027-01-04 (EXDATE).
std::string invitation_mime(const std::string& to) {
  return "From: Anna <anna@example.com>\r\nTo: " + to +
         "\r\nSubject: Planning\r\nDate: Tue, 01 Dec 2026 10:00:00 +0000\r\n"
         "Message-ID: <planning@example.com>\r\nMIME-Version: 1.0\r\n"
         "Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n--b1\r\n"
         "Content-Type: text/plain; charset=utf-8\r\n\r\nLet us plan.\r\n--b1\r\n"
         "Content-Type: text/calendar; charset=utf-8; method=REQUEST\r\n\r\n"
         "BEGIN:VCALENDAR\r\nPRODID:-//Test//EN\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n"
         "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n"
         "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
         "END:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\n"
         "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
         "END:DAYLIGHT\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:abc-123@example.com\r\n"
         "SEQUENCE:2\r\nDTSTAMP:20261201T100000Z\r\n"
         "DTSTART;TZID=Europe/Berlin:20261207T100000\r\nDTEND;TZID=Europe/"
         "Berlin:20261207T110000\r\n"
         "SUMMARY:Planning\r\nLOCATION:Room 4\r\nORGANIZER;CN=Anna:mailto:anna@example.com\r\n"
         "RRULE:FREQ=MONTHLY;BYDAY=1MO;COUNT=3\r\nEXDATE;TZID=Europe/Berlin:20270104T100000\r\n"
         "END:VEVENT\r\nEND:VCALENDAR\r\n--b1--\r\n";
}

/// ben's device BEN1, provisioned; its policy key.
std::uint32_t provision_ben(client& c) {
  const auto ben = basic("ben", "pw");
  const auto r1 = decode<model::Provision>(
      c.send(post("Provision", wbxml_of(provision_request), {}, ben, "BEN1")));
  const auto r2 = decode<model::Provision>(
      c.send(post("Provision", provision_ack(*r1.Policies->Policy.PolicyKey), {}, ben, "BEN1")));
  return static_cast<std::uint32_t>(std::stoul(std::string(*r2.Policies->Policy.PolicyKey)));
}

/// ben answers the meeting request `id` of his Inbox (1 accept, 2 tentative, 3 decline).
model::MeetingResponse accept_request(
    client& c, std::uint32_t key, std::string_view id, std::uint8_t answer = 1,
    std::optional<request::MeetingResponse_Request_SendResponse> send = {},
    std::string_view version = "16.1") {
  request::MeetingResponse accept;
  accept.Request.push_back({.UserResponse = answer,
                            .CollectionId = "1",
                            .RequestId = id,
                            .LongId = {},
                            .InstanceId = {},
                            .SendResponse = send});
  return decode<model::MeetingResponse>(
      c.send(post("MeetingResponse", encoded(accept), key, basic("ben", "pw"), "BEN1", version)));
}

/// The HTTP status of a SendMail of `msg` (no copy in Sent Items).
int send_mime(mail_server& m, std::string_view client_id, const std::string& msg) {
  return m
      .send("SendMail", encoded(request::SendMail{.ClientId = client_id,
                                                  .AccountId = {},
                                                  .SaveInSentItems = {},
                                                  .Mime = {bytes(msg)},
                                                  .TemplateID = {}}))
      .status;
}

// MS-OXCICAL: an iCalendar REQUEST in mail is a meeting request (MS-OXOCAL 2.2.6) whose
// MS-ASEMAIL 2.2.2.48 MeetingRequest has its times (UTC), place, organizer and recurrence, and
// its id as GlobalObjId up to 14.1 and as calendar:UID from 16.0; accepting it puts the series
// in the Calendar (MS-ASCMD 2.2.1.11)
TEST_F(Mail, InvitationBecomesAMeetingRequest) {
  mail_server m(dir);
  ASSERT_EQ(send_mime(m, "inv1", invitation_mime("Ben <ben@example.com>")), 200);
  const auto inbox = m.items("ben", "1");
  ASSERT_EQ(inbox.size(), 1u);
  const auto& p = inbox[0].props;
  EXPECT_EQ(text(p, prop::PidTagMessageClass), "IPM.Schedule.Meeting.Request");
  EXPECT_EQ(text(p, prop::PidLidLocation), "Room 4");
  EXPECT_EQ(p.get(prop::PidLidAppointmentSequence), 2);
  EXPECT_TRUE(m.attachments("ben", inbox[0].server_id).empty());  // the .ics is no attachment
  const auto id = p.get(prop::PidLidGlobalObjectId);
  ASSERT_TRUE(id);
  EXPECT_EQ(oxwire_server::uid_of(*id), "abc-123@example.com");

  // ben's device, 14.1 and 16.1
  client c(m.s.http_port);
  const auto ben = basic("ben", "pw");
  const auto key = provision_ben(c);
  const auto fetch = [&](std::string_view version) {
    request::ItemOperations_Fetch f{.Store = "Mailbox", .ServerId = inbox[0].server_id};
    f.CollectionId = "1";
    const auto r = decode<model::ItemOperations>(c.send(
        post("ItemOperations",
             encoded(request::ItemOperations{.EmptyFolderContents = {}, .Fetch = {f}, .Move = {}}),
             key, ben, "BEN1", version)));
    EXPECT_TRUE(r.Response && r.Response->Fetch.size() == 1 && r.Response->Fetch[0].Properties &&
                r.Response->Fetch[0].Properties->MeetingRequest.size() == 1);
    return r.Response ? r.Response->Fetch.at(0).Properties->MeetingRequest.at(0)
                      : model::MeetingRequest{};
  };
  const auto old = fetch("14.1");
  EXPECT_EQ(old.StartTime->text, "2026-12-07T09:00:00.000Z");  // 10:00 CET
  EXPECT_EQ(old.EndTime->text, "2026-12-07T10:00:00.000Z");
  EXPECT_EQ(old.Email_Location, "Room 4");
  EXPECT_NE(old.Organizer.value_or("").find("anna@example.com"), std::string_view::npos);
  EXPECT_EQ(old.InstanceType, 1);
  ASSERT_TRUE(old.Recurrences);
  EXPECT_EQ(old.Recurrences->Recurrence.Type, 3);  // monthly on the n-th weekday
  EXPECT_EQ(old.Recurrences->Recurrence.WeekOfMonth, 1);
  EXPECT_EQ(old.Recurrences->Recurrence.DayOfWeek, 2);  // Monday
  EXPECT_EQ(old.Recurrences->Recurrence.Occurrences, 3);
  ASSERT_TRUE(old.GlobalObjId);
  EXPECT_EQ(oxwire::base64::decode(*old.GlobalObjId).value(),
            std::vector<std::uint8_t>(id->begin(), id->end()));
  EXPECT_FALSE(old.UID);
  EXPECT_EQ(oxwire::base64::decode(old.TimeZone).value().size(), 172u);
  EXPECT_EQ(old.MeetingMessageType, std::vector<std::uint8_t>{1});
  const auto now = fetch("16.1");
  EXPECT_EQ(now.UID, "abc-123@example.com");
  EXPECT_FALSE(now.GlobalObjId);
  EXPECT_FALSE(now.Email_Location);
  ASSERT_TRUE(now.AirSyncBase_Location);
  EXPECT_EQ(now.AirSyncBase_Location->DisplayName, "Room 4");

  // accepted: the series is in ben's Calendar
  const auto r = accept_request(c, key, inbox[0].server_id);
  ASSERT_EQ(r.Result.size(), 1u);
  EXPECT_EQ(r.Result[0].Status, 1);
  ASSERT_TRUE(r.Result[0].CalendarId);
  oxwire::server::store db(dir.path / "oxwire.db");
  const auto appointment = db.find_item(*db.find_user("ben"), *r.Result[0].CalendarId);
  ASSERT_TRUE(appointment);
  const auto blob = appointment->props.get(prop::PidLidAppointmentRecur);
  ASSERT_TRUE(blob);
  const auto series = oxwire::mapi::decode_appointment_recurrence(*blob).value();
  std::vector<std::string> starts;
  for (const auto& o : oxwire::mapi::expand_occurrences(series, 0, 0xFFFFFFFF).value())
    starts.push_back(oxwire_server::format_time(
        {oxwire::to_filetime(oxwire::mapi::recurrence_time(o.start)).value()}, true));
  EXPECT_EQ(starts, (std::vector<std::string>{"20261207T090000Z", "20270201T090000Z"}));  // EXDATE
}

/// The invitation sent to ben again, changed: each (from, to) replaced, the METHOD set.
std::string changed_invitation(const std::string& method,
                               std::initializer_list<std::pair<std::string, std::string>> edits) {
  auto msg = invitation_mime("ben@example.com");
  const auto replace = [&](const std::string& from, const std::string& to) {
    const auto at = msg.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) msg.replace(at, from.size(), to);
  };
  for (const auto& [from, to] : edits) replace(from, to);
  replace("METHOD:REQUEST", "METHOD:" + method);
  replace("method=REQUEST", "method=" + method);
  return msg;
}

/// The invitation sent to ben and accepted on his device: its policy key and his calendar item.
std::pair<std::uint32_t, std::string> accepted_invitation(mail_server& m, client& c) {
  EXPECT_EQ(send_mime(m, "inv1", invitation_mime("ben@example.com")), 200);
  const auto key = provision_ben(c);
  const auto r = accept_request(c, key, m.items("ben", "1").at(0).server_id);
  const bool ok = r.Result.size() == 1 && r.Result[0].CalendarId;
  EXPECT_TRUE(ok);
  return {key, ok ? std::string(*r.Result[0].CalendarId) : std::string()};
}

// MS-OXOCAL 2.2.1.1, 2.2.1.10, 2.2.1.28: an update of a meeting ben accepted moves his calendar
// item, one older than it changes nothing, a cancellation marks it canceled and frees the time;
// his device sees it with the invitation's UID and MeetingStatus 7 (MS-ASCAL 2.2.2.28, 2.2.2.46)
TEST_F(Mail, MeetingUpdatesAndCancellationsReachTheCalendar) {
  OXWIRE_REQ("MS-ASCAL_R314");
  mail_server m(dir);
  client c(m.s.http_port);
  const auto [key, id] = accepted_invitation(m, c);
  const auto calendar_item = [&, id = id] {
    oxwire::server::store db(dir.path / "oxwire.db");
    return db.find_item(*db.find_user("ben"), id).value().props;
  };
  const auto start = [&] {
    return oxwire_server::format_time(*calendar_item().get(prop::PidLidAppointmentStartWhole),
                                      true);
  };
  const auto resend = [&](std::string_view client_id, int sequence, const std::string& method,
                          const std::string& room) {
    return send_mime(
        m, client_id,
        changed_invitation(method, {{"SEQUENCE:2", "SEQUENCE:" + std::to_string(sequence)},
                                    {"Berlin:20261207T100000", "Berlin:20261207T140000"},
                                    {"Berlin:20261207T110000", "Berlin:20261207T150000"},
                                    {"LOCATION:Room 4", "LOCATION:" + room}}));
  };
  EXPECT_EQ(start(), "20261207T090000Z");

  ASSERT_EQ(resend("upd", 3, "REQUEST", "Room 5"), 200);
  EXPECT_EQ(start(), "20261207T130000Z");
  EXPECT_EQ(text(calendar_item(), prop::PidLidLocation), "Room 5");
  EXPECT_EQ(calendar_item().get(prop::PidLidAppointmentSequence), 3);
  EXPECT_EQ(calendar_item().get(prop::PidLidBusyStatus), 2);  // still accepted

  ASSERT_EQ(resend("old", 1, "REQUEST", "Room 9"), 200);  // out of date
  EXPECT_EQ(text(calendar_item(), prop::PidLidLocation), "Room 5");

  ASSERT_EQ(resend("cancel", 4, "CANCEL", "Room 5"), 200);
  const auto canceled = calendar_item();
  EXPECT_EQ(canceled.get(prop::PidLidAppointmentStateFlags), 7);
  EXPECT_EQ(canceled.get(prop::PidLidBusyStatus), 0);

  const auto ben = basic("ben", "pw");
  std::string calendar;
  {
    oxwire::server::store db(dir.path / "oxwire.db");
    for (const auto& f : db.folders(*db.find_user("ben")))
      if (f.type == 8) calendar = f.server_id;
  }
  c.send(post("Sync", sync_request(calendar, "0"), key, ben, "BEN1"));
  const auto s =
      decode<model::Sync>(c.send(post("Sync", sync_request(calendar, "1", 100), key, ben, "BEN1")));
  ASSERT_TRUE(s.Collections && s.Collections->Collection.size() == 1 &&
              s.Collections->Collection[0].Commands.size() == 1);
  const auto& adds = s.Collections->Collection[0].Commands[0].Add;
  ASSERT_EQ(adds.size(), 1u);
  EXPECT_EQ(adds[0].ApplicationData.MeetingStatus, std::vector<std::uint8_t>{7});
  EXPECT_EQ(adds[0].ApplicationData.BusyStatus, std::vector<std::uint8_t>{0});
  ASSERT_EQ(adds[0].ApplicationData.UID.size(), 1u);
  EXPECT_EQ(adds[0].ApplicationData.UID[0], "abc-123@example.com");
}

// RFC 5545 RECURRENCE-ID: an update or cancellation of one instance of a meeting ben accepted
// changes or deletes that instance of his series (an exception, MS-OXOCAL 2.2.1.44.2; the request
// names it by PidLidExceptionReplaceTime, 2.2.10.2.5, and an id with its date, 2.2.1.27)
TEST_F(Mail, InstanceUpdatesAndCancellations) {
  OXWIRE_REQ("MS-ASEMAIL_R495");
  mail_server m(dir);
  client c(m.s.http_port);
  const auto [key, calendar_id] = accepted_invitation(m, c);
  const auto instance = [&](std::string_view client_id, const std::string& method,
                            const std::string& original, const std::string& start,
                            const std::string& end) {
    return send_mime(m, client_id,
                     changed_invitation(method, {{"RRULE:FREQ=MONTHLY;BYDAY=1MO;COUNT=3\r\n", ""},
                                                 {"EXDATE;TZID=Europe/Berlin:20270104T100000",
                                                  "RECURRENCE-ID;TZID=Europe/Berlin:" + original},
                                                 {"SEQUENCE:2", "SEQUENCE:3"},
                                                 {"Berlin:20261207T100000", "Berlin:" + start},
                                                 {"Berlin:20261207T110000", "Berlin:" + end},
                                                 {"LOCATION:Room 4", "LOCATION:Room 7"}}));
  };
  ASSERT_EQ(instance("moved", "REQUEST", "20261207T100000", "20261207T120000", "20261207T130000"),
            200);
  const auto request = m.items("ben", "1").back().props;
  EXPECT_EQ(request.get(prop::PidLidExceptionReplaceTime),
            oxwire::mapi::filetime{
                oxwire::to_filetime(std::chrono::sys_days{std::chrono::year{2026} / 12 / 7} +
                                    std::chrono::hours{9})
                    .value()});
  const auto id = request.get(prop::PidLidGlobalObjectId);
  ASSERT_TRUE(id && id->size() > 20);
  EXPECT_EQ(std::vector<std::uint8_t>(id->begin() + 16, id->begin() + 20),
            (std::vector<std::uint8_t>{0x07, 0xEA, 12, 7}));  // the instance's date
  // ben's device sees a request for one instance (MS-ASEMAIL 2.2.2.39 InstanceType 3, the
  // instance of a series; 2.2.2.61 RecurrenceId, its original start in UTC), in 14.1 and 16.1
  const auto inbox = m.items("ben", "1");  // the views below point into it
  for (const std::string_view version : {"14.1", "16.1"}) {
    SCOPED_TRACE(version);
    request::ItemOperations_Fetch f{.Store = "Mailbox", .ServerId = inbox.back().server_id};
    f.CollectionId = "1";
    const auto r = decode<model::ItemOperations>(c.send(
        post("ItemOperations",
             encoded(request::ItemOperations{.EmptyFolderContents = {}, .Fetch = {f}, .Move = {}}),
             key, basic("ben", "pw"), "BEN1", version)));
    ASSERT_TRUE(r.Response && r.Response->Fetch.size() == 1 && r.Response->Fetch[0].Properties &&
                r.Response->Fetch[0].Properties->MeetingRequest.size() == 1);
    const auto& mr = r.Response->Fetch[0].Properties->MeetingRequest[0];
    EXPECT_EQ(mr.InstanceType, 3);
    ASSERT_TRUE(mr.RecurrenceId);
    EXPECT_EQ(mr.RecurrenceId->text, "2026-12-07T09:00:00.000Z");  // 10:00 in Berlin
    ASSERT_TRUE(mr.StartTime);
    EXPECT_EQ(mr.StartTime->text, "2026-12-07T11:00:00.000Z");  // moved to 12:00
  }
  ASSERT_EQ(instance("gone", "CANCEL", "20270201T100000", "20270201T100000", "20270201T110000"),
            200);

  oxwire::server::store db(dir.path / "oxwire.db");
  const auto appointment = db.find_item(*db.find_user("ben"), calendar_id);
  ASSERT_TRUE(appointment);
  const auto series = oxwire::mapi::decode_appointment_recurrence(
                          *appointment->props.get(prop::PidLidAppointmentRecur))
                          .value();
  const auto all = oxwire::mapi::expand_occurrences(series, 0, 0xFFFFFFFF).value();
  ASSERT_EQ(all.size(), 1u);  // 2027-01-04 by EXDATE, 2027-02-01 canceled
  EXPECT_EQ(oxwire_server::format_time(
                {oxwire::to_filetime(oxwire::mapi::recurrence_time(all[0].start)).value()}, true),
            "20261207T110000Z");
  ASSERT_TRUE(all[0].exception);
}

// MS-ASCMD 2.2.1.11, 2.2.3.163: a 16.x SendResponse mails the answer to the organizer as a Meeting
// Response object (MS-OXOCAL 3.1.4.8.4) with its body, a copy in Sent Items; before 16.0 the
// client mails it itself and the server sends nothing
TEST_F(Mail, SendResponseMailsTheOrganizer) {
  OXWIRE_REQ("MS-ASCMD_R6062", "MS-ASCMD_R7115");
  mail_server m(dir);
  ASSERT_EQ(send_mime(m, "inv1", invitation_mime("ben@example.com")), 200);
  ASSERT_EQ(send_mime(m, "inv2", invitation_mime("ben@example.com")), 200);
  client c(m.s.http_port);
  const auto key = provision_ben(c);
  const auto requests = m.items("ben", "1");
  ASSERT_EQ(requests.size(), 2u);
  request::MeetingResponse_Request_SendResponse send;
  send.Body = model::Body{.Type = 1, .Data = "Count me in"};
  const auto before = m.items("anna", "1").size();
  ASSERT_EQ(accept_request(c, key, requests[0].server_id, 2, send, "14.1").Result.at(0).Status, 1);
  EXPECT_EQ(m.items("anna", "1").size(), before);
  ASSERT_EQ(accept_request(c, key, requests[1].server_id, 2, send).Result.at(0).Status, 1);
  const auto inbox = m.items("anna", "1");
  ASSERT_EQ(inbox.size(), before + 1);
  const auto& reply = inbox.back().props;
  EXPECT_EQ(text(reply, prop::PidTagMessageClass), "IPM.Schedule.Meeting.Resp.Tent");
  EXPECT_EQ(text(reply, prop::PidTagSubject), "Tentative: Planning");
  EXPECT_EQ(text(reply, prop::PidTagBody), "Count me in");
  EXPECT_EQ(text(reply, prop::PidTagSenderEmailAddress), "ben");
  EXPECT_EQ(reply.get(prop::PidLidAppointmentSequence), 2);
  const auto id = reply.get(prop::PidLidGlobalObjectId);
  ASSERT_TRUE(id);
  EXPECT_TRUE(std::ranges::equal(*id, *requests[1].props.get(prop::PidLidGlobalObjectId)));
  EXPECT_TRUE(contains(m.subjects("ben", "4"), "Tentative: Planning"));  // Sent Items
}

// The organizer's side: a meeting a device adds with its UID and Attendees (MS-ASCAL 2.2.2.4)
// keeps them; an attendee's response delivered to the organizer is recorded on that attendee's
// row (MS-OXOCAL 2.2.4.10.2) and reaches the organizer's device as its AttendeeStatus (2.2.2.5),
// whether it came as a MeetingResponse's SendResponse or as an iCalendar REPLY in mail
TEST_F(Mail, OrganizerCalendarRecordsAttendeeResponses) {
  OXWIRE_REQ("MS-ASCAL_R98011", "MS-ASCAL_R10411", "MS-ASCAL_R11311", "MS-ASCAL_R569");
  mail_server m(dir);
  device_session anna(m.s.http_port, "ANNA2");
  const auto sync = [&](std::string_view key,
                        std::optional<request::Sync_Collections_Collection_Commands> cmds = {}) {
    request::Sync s;
    auto& c = s.Collections.emplace().Collection.emplace_back();
    c.CollectionId = "6";  // the demo mailbox's Calendar
    c.SyncKey = key;
    c.Commands = std::move(cmds);
    return decode<model::Sync>(anna.send("Sync", encoded(s)));
  };
  sync("0");
  request::Sync_Collections_Collection_Commands cmds;
  auto& add = cmds.Add.emplace_back();
  add.ClientId = "m1";
  auto& d = add.ApplicationData;
  d.Calendar_Subject.push_back("Planning");
  d.StartTime.push_back("20261207T090000Z");
  d.EndTime.push_back("20261207T100000Z");
  d.UID.push_back("abc-123@example.com");  // the invitation's UID
  d.MeetingStatus.push_back(1);
  auto& list = d.Attendees.emplace_back();
  for (const auto& [email, name, type] :
       {std::tuple{"ben@example.com", "Ben", 1}, std::tuple{"carl@example.com", "Carl", 2}}) {
    auto& a = list.Attendee.emplace_back();
    a.Email = email;
    a.Name = name;
    a.AttendeeType = static_cast<std::uint8_t>(type);
  }
  const auto added = sync("1", cmds);
  const auto sid = added.Collections.value().Collection.at(0).Responses.at(0).Add.at(0).ServerId;
  ASSERT_TRUE(sid);
  // ben answers the invitation: tentatively, with a response to anna
  ASSERT_EQ(send_mime(m, "inv1", invitation_mime("ben@example.com")), 200);
  client c(m.s.http_port);
  const auto key = provision_ben(c);
  ASSERT_EQ(accept_request(c, key, m.items("ben", "1").at(0).server_id, 2,
                           request::MeetingResponse_Request_SendResponse{})
                .Result.at(0)
                .Status,
            1);
  // anna's device gets the meeting again with ben's answer; carl has not answered
  const auto r = sync("2");
  const auto& change = r.Collections.value().Collection.at(0).Commands.at(0).Change.at(0);
  EXPECT_EQ(change.ServerId, *sid);
  ASSERT_EQ(change.ApplicationData.Attendees.size(), 1u);
  const auto& attendees = change.ApplicationData.Attendees[0].Attendee;
  ASSERT_EQ(attendees.size(), 2u);
  EXPECT_EQ(attendees[0].Email, "ben@example.com");
  EXPECT_EQ(attendees[0].Name, "Ben");
  EXPECT_EQ(attendees[0].AttendeeType, 1);
  EXPECT_EQ(attendees[0].AttendeeStatus, 2);  // tentative
  EXPECT_EQ(attendees[1].Email, "carl@example.com");
  EXPECT_EQ(attendees[1].AttendeeType, 2);
  EXPECT_EQ(attendees[1].AttendeeStatus, 0);  // response unknown
  EXPECT_EQ(change.ApplicationData.UID.at(0), "abc-123@example.com");

  // ben changes his mind with an iCalendar REPLY sent as mail (as many devices answer): accepted
  const std::string reply =
      "From: Ben <ben@example.com>\r\nTo: anna@example.com\r\nSubject: Accepted: Planning\r\n"
      "MIME-Version: 1.0\r\nContent-Type: text/calendar; charset=utf-8; method=REPLY\r\n\r\n"
      "BEGIN:VCALENDAR\r\nPRODID:-//Test//EN\r\nVERSION:2.0\r\nMETHOD:REPLY\r\n"
      "BEGIN:VEVENT\r\nUID:abc-123@example.com\r\nSEQUENCE:2\r\nDTSTAMP:20261202T100000Z\r\n"
      "DTSTART:20261207T090000Z\r\nORGANIZER:mailto:anna@example.com\r\n"
      "ATTENDEE;CN=Ben;PARTSTAT=ACCEPTED:mailto:ben@example.com\r\nEND:VEVENT\r\n"
      "END:VCALENDAR\r\n";
  const auto sent = c.send(post("SendMail",
                                encoded(request::SendMail{.ClientId = "reply1",
                                                          .AccountId = {},
                                                          .SaveInSentItems = {},
                                                          .Mime = {bytes(reply)},
                                                          .TemplateID = {}}),
                                key, basic("ben", "pw"), "BEN1"));
  ASSERT_EQ(sent.status, 200);
  EXPECT_EQ(text(m.items("anna", "1").back().props, prop::PidTagMessageClass),
            "IPM.Schedule.Meeting.Resp.Pos");
  const auto again = sync("3");
  const auto& changed = again.Collections.value().Collection.at(0).Commands.at(0).Change.at(0);
  EXPECT_EQ(changed.ApplicationData.Attendees.at(0).Attendee.at(0).AttendeeStatus, 3);
  EXPECT_EQ(changed.ApplicationData.Attendees.at(0).Attendee.at(1).AttendeeStatus, 0);
}

// An invitation this server cannot hold as a meeting (an RRULE by the hour) stays mail with
// its .ics attached
TEST_F(Mail, InvitationWithAnUnsupportedRuleStaysMail) {
  mail_server m(dir);
  std::string msg = invitation_mime("ben@example.com");
  msg.replace(msg.find("RRULE:FREQ=MONTHLY;BYDAY=1MO;COUNT=3"), 36, "RRULE:FREQ=HOURLY;COUNT=3");
  ASSERT_EQ(send_mime(m, "inv2", msg), 200);
  const auto inbox = m.items("ben", "1");
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_EQ(text(inbox[0].props, prop::PidTagMessageClass), "IPM.Note");
  const auto attached = m.attachments("ben", inbox[0].server_id);
  ASSERT_EQ(attached.size(), 1u);
  EXPECT_EQ(text(attached[0], prop::PidTagAttachMimeTag), "text/calendar");
}

// A SendMail request encoded by libwbxml. libwbxml's ComposeMail code page spells the element
// "MIME" (token 0x10) and takes its XML text as base64, which it writes as OPAQUE
TEST_F(Mail, SendMailEncodedByLibwbxml) {
  const auto mime_text =
      oxwire::base64::encode(bytes(mime("ben@example.com", "libwbxml", "encoded elsewhere")));
  const auto body =
      libwbxml_of(dir.path, R"(<SendMail xmlns="ComposeMail:"><ClientId>lib1</ClientId>)"
                            "<SaveInSentItems/><MIME>" +
                                mime_text + "</MIME></SendMail>");
  if (!body) GTEST_SKIP() << no_xml2wbxml;
  mail_server m(dir);
  EXPECT_EQ(m.status<model::SendMail>("SendMail", *body), std::nullopt);
  EXPECT_EQ(m.subjects("ben", "1"), std::vector<std::string>{"libwbxml"});
  EXPECT_TRUE(contains(m.subjects("anna", "4"), "libwbxml"));
}

}  // namespace test_mail
