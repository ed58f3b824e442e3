// oxwire-server over real sockets: the Body of e-mail as the client asks (MS-ASAIRS 2.2.2.12
// BodyPreference: Type 1 plain, 2 HTML, 4 MIME; TruncationSize, AllOrNone, Preview;
// NativeBodyType 2.2.2.31), MIME as MIMESupport allows (MS-ASCMD 2.2.3.110) and MIMETruncation
// cuts it (MS-ASCMD 2.2.3.111), and the demo mailbox built from RFC 5322 messages. The demo
// inbox (examples/server/demo_mailbox.hpp): 1:1 plain text with an attachment, 1:2 HTML only,
// 1:3 an encoded-word subject, 1:4 multipart/alternative, 1:5 ISO-8859-1, 1:6 windows-1252,
// 1:8 an attachment and a message/rfc822; the drafts (2:n) were never MIME.
#include "server_harness.hpp"

#include <oxwire_test/requirements.hpp>

#include <server/demo_mailbox.hpp>

#include <oxwire/core/base64.hpp>
#include <oxwire/gen/activesync/models/itemoperations.hpp>
#include <oxwire/gen/activesync/models/itemoperations_request.hpp>
#include <oxwire/gen/activesync/models/sendmail_request.hpp>
#include <oxwire/gen/activesync/models/sync.hpp>
#include <oxwire/gen/activesync/models/sync_request.hpp>
#include <oxwire/rtf.hpp>
#include <oxwire/server/mime.hpp>
#include <oxwire/server/mime_writer.hpp>

namespace test_bodies {

using namespace server_harness;

namespace request = model::request;
namespace prop = oxwire::mapi::prop;

/// A provisioned device of the test user fetching items with body options.
struct device : device_session {
  using device_session::device_session;
  /// The Fetch answer of one item with these preferences and MIMESupport.
  model::ItemOperations_Response_Fetch fetch(std::string_view server_id,
                                             std::vector<model::BodyPreference> prefs,
                                             std::optional<std::uint8_t> mime_support = {}) {
    request::ItemOperations_Fetch f{.Store = "Mailbox", .ServerId = server_id};
    auto& o = f.Options.emplace();
    o.BodyPreference = std::move(prefs);
    o.MIMESupport = mime_support;
    const auto m = decode<model::ItemOperations>(send(
        "ItemOperations",
        encoded(request::ItemOperations{.EmptyFolderContents = {}, .Fetch = {f}, .Move = {}})));
    if (!m.Response || m.Response->Fetch.size() != 1) {
      ADD_FAILURE() << "no Fetch answer";
      return {};
    }
    return m.Response->Fetch[0];
  }
  /// The one Body of a fetched item (a failure when there is not exactly one).
  model::Body body(std::string_view server_id, std::vector<model::BodyPreference> prefs,
                   std::optional<std::uint8_t> mime_support = {}) {
    const auto r = fetch(server_id, std::move(prefs), mime_support);
    if (!r.Properties || r.Properties->AirSyncBase_Body.size() != 1) {
      ADD_FAILURE() << "no Body in " << server_id;
      return {};
    }
    return r.Properties->AirSyncBase_Body[0];
  }
};

std::string str(std::optional<std::string_view> s) {
  return s ? std::string(*s) : std::string();
}

std::string utf8(const oxwire::mapi::property_bag& bag, const auto& p) {
  const auto v = bag.get(p);
  if (!v) return {};
  auto s = oxwire::utf16::to_utf8(*v, oxwire::utf16::policy::replace);
  return s ? *s : std::string();
}

/// A binary property's bytes (empty when absent).
std::vector<std::uint8_t> bytes_of(const oxwire::mapi::property_bag& bag, const auto& p) {
  const auto v = bag.get(p);
  return v ? std::vector<std::uint8_t>(v->begin(), v->end()) : std::vector<std::uint8_t>();
}

/// A Type 4 body parsed back into properties.
oxwire::mapi::message parsed(const model::Body& b) {
  EXPECT_EQ(b.Type, 4);
  const auto text = str(b.Data);
  auto m = oxwire::server::parse_mime(oxwire::as_bytes(text));
  EXPECT_TRUE(m) << text;
  return m ? std::move(*m) : oxwire::mapi::message{};
}

const std::string smime_bytes =
    "From: Anna <anna.meyer@example.com>\r\nTo: test\r\nSubject: Signed\r\nMIME-Version: 1.0\r\n"
    "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; "
    "boundary=\"s\"\r\n\r\n--s\r\nContent-Type: text/plain\r\n\r\nSigned text\r\n--s\r\n"
    "Content-Type: application/pkcs7-signature; name=smime.p7s\r\n"
    "Content-Transfer-Encoding: base64\r\n\r\nAAAA\r\n--s--\r\n";

/// The demo mailbox of the test user, plus an S/MIME message as 1:301.
class Bodies : public Server {
 protected:
  void SetUp() override {
    oxwire::server::store db(dir.path / "oxwire.db");
    ASSERT_TRUE(oxwire_server::create_demo(db, user, password));
    const auto u = db.find_user(user).value();
    auto m = oxwire::server::parse_mime(oxwire::as_bytes(smime_bytes)).value().properties;
    m.names(&oxwire::server::named_properties());
    m.set(prop::PidTagMessageClass, u"IPM.Note.SMIME.MultipartSigned");
    (void)m.set(oxwire::server::original_mime,
                std::vector<std::uint8_t>(smime_bytes.begin(), smime_bytes.end()));
    ASSERT_EQ(db.add_item(u, "1", m), "1:301");
  }
};

// MS-ASAIRS 2.2.2.41.1 Type 1, 2 and 4 alone; NativeBodyType from the MS-OXBBODY best body
TEST_F(Bodies, EachTypeAlone) {
  OXWIRE_REQ("MS-ASAIRS_R312");
  OXWIRE_REQ("MS-ASAIRS_R1385");
  server_process s(dir.path);
  device d(s.http_port);
  const auto plain = d.body("1:4", {{.Type = 1}});
  EXPECT_EQ(plain.Type, 1);
  EXPECT_EQ(str(plain.Data), "Hello,\n\nthis is message 4 about Invoice.\n\nRegards,\nDavid Meyer");
  EXPECT_EQ(plain.Truncated, false);
  EXPECT_EQ(plain.EstimatedDataSize, plain.Data->size());
  const auto html = d.body("1:4", {{.Type = 2}});
  EXPECT_EQ(html.Type, 2);
  EXPECT_NE(str(html.Data).find("<b>Invoice</b>"), std::string::npos);
  const auto mime = d.body("1:4", {{.Type = 4}}, 2);
  EXPECT_EQ(mime.Type, 4);
  const auto m = parsed(mime);
  EXPECT_EQ(utf8(m.properties, prop::PidTagSubject), "Invoice #4");
  EXPECT_TRUE(m.properties.get(prop::PidTagHtml));
  // NativeBodyType: HTML for a multipart/alternative or HTML-only mail, plain for plain text
  EXPECT_EQ(d.fetch("1:4", {{.Type = 1}}).Properties->NativeBodyType, std::vector<std::uint8_t>{2});
  EXPECT_EQ(d.fetch("1:2", {{.Type = 1}}).Properties->NativeBodyType, std::vector<std::uint8_t>{2});
  EXPECT_EQ(d.fetch("1:1", {{.Type = 1}}).Properties->NativeBodyType, std::vector<std::uint8_t>{1});
}

// MS-ASAIRS 2.2.2.3.2: of several BodyPreferences the one of the native type; MIME when the
// client takes it
TEST_F(Bodies, SeveralPreferences) {
  OXWIRE_REQ("MS-ASAIRS_R148");
  server_process s(dir.path);
  device d(s.http_port);
  EXPECT_EQ(d.body("1:2", {{.Type = 1}, {.Type = 2}}).Type, 2);  // HTML only: native HTML
  EXPECT_EQ(d.body("1:1", {{.Type = 2}, {.Type = 1}}).Type, 1);  // plain: native plain
  EXPECT_EQ(d.body("1:1", {{.Type = 1}, {.Type = 2}, {.Type = 4}}, 2).Type, 4);
  EXPECT_EQ(d.body("1:1", {{.Type = 3}}).Type, 3);               // RTF made from the text: Rtf3
  EXPECT_EQ(d.body("1:1", {{.Type = 3}, {.Type = 1}}).Type, 1);  // plain: native plain
  // without BodyPreference: plain text, whole
  const auto none = d.body("1:2", {});
  EXPECT_EQ(none.Type, 1);
  EXPECT_EQ(none.Truncated, false);
}

/// The text of a Type 3 body: base64 of compressed RTF (MS-OXRTFCP) that encapsulates it.
std::string rtf_text(const model::Body& b) {
  EXPECT_EQ(b.Type, 3);
  const auto packed = oxwire::base64::decode(str(b.Data));
  if (!packed) return "(not base64)";
  const auto raw = oxwire::rtf::decompress(*packed);
  if (!raw) return "(not compressed RTF)";
  const auto doc = oxwire::rtf::deencapsulate(*raw, {.native_as_text = true});
  return doc ? doc->content : "(not RTF)";
}

/// Every line break as CRLF.
std::string crlf(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s[i] == '\n')
      out += "\r\n";
    else if (s[i] != '\r' || i + 1 == s.size() || s[i + 1] != '\n')
      out += s[i];
  return out;
}

// MS-ASAIRS 2.2.2.20.1 Data of Type 3: base64 of the compressed RTF, here the plain text
// encapsulated (MS-OXRTFEX \fromtext); a TruncationSize it exceeds gives no Data (part of a
// compressed stream is no RTF)
TEST_F(Bodies, RtfType3) {
  OXWIRE_REQ("MS-ASAIRS_R174");
  server_process s(dir.path);
  device d(s.http_port);
  for (const auto* id : {"1:1", "1:2", "1:4", "1:5"}) {
    const auto plain = d.body(id, {{.Type = 1}});
    const auto rtf = d.body(id, {{.Type = 3}});
    EXPECT_EQ(rtf_text(rtf), crlf(str(plain.Data))) << id;
    EXPECT_EQ(rtf.EstimatedDataSize, rtf.Data->size());
  }
  const auto cut = d.body("1:1", {{.Type = 3, .TruncationSize = 16}});
  EXPECT_EQ(cut.Type, 3);
  EXPECT_EQ(cut.Truncated, true);
  EXPECT_FALSE(cut.Data);
}

// MS-ASAIRS 2.2.2.40.2 TruncationSize per type, 2.2.2.39.1 Truncated, 2.2.2.23.1
// EstimatedDataSize the whole size
TEST_F(Bodies, TruncationPerType) {
  OXWIRE_REQ("MS-ASAIRS_R276");
  OXWIRE_REQ("MS-ASAIRS_R198");
  server_process s(dir.path);
  device d(s.http_port);
  const auto whole_html = str(d.body("1:2", {{.Type = 2}}).Data);
  const auto html = d.body("1:2", {{.Type = 2, .TruncationSize = 20}});
  EXPECT_EQ(str(html.Data), whole_html.substr(0, 20));
  EXPECT_EQ(html.Truncated, true);
  EXPECT_EQ(html.EstimatedDataSize, whole_html.size());
  const auto whole_mime = str(d.body("1:4", {{.Type = 4}}, 2).Data);
  const auto mime = d.body("1:4", {{.Type = 4, .TruncationSize = 100}}, 2);
  EXPECT_EQ(str(mime.Data), whole_mime.substr(0, 100));
  EXPECT_EQ(mime.Truncated, true);
  EXPECT_EQ(mime.EstimatedDataSize, whole_mime.size());
  const auto plain = d.body("1:2", {{.Type = 1, .TruncationSize = 8}});
  EXPECT_EQ(str(plain.Data), "Hello,\n\n");
  // A cut never splits a UTF-8 character: "Grüße" of 1:5 (ü is two bytes at offset 34)
  const auto latin = str(d.body("1:5", {{.Type = 1}}).Data);
  const auto at = latin.find("Gr\xC3\xBC");
  ASSERT_NE(at, std::string::npos) << latin;
  EXPECT_EQ(str(d.body("1:5", {{.Type = 1, .TruncationSize = std::uint32_t(at + 3)}}).Data),
            latin.substr(0, at + 2));
}

// MS-ASAIRS 2.2.2.3.2 AllOrNone: no cut body of that type; the other preference instead
TEST_F(Bodies, AllOrNone) {
  OXWIRE_REQ("MS-ASAIRS_R73");
  OXWIRE_REQ("MS-ASAIRS_R74");
  server_process s(dir.path);
  device d(s.http_port);
  const auto none = d.body("1:4", {{.Type = 2, .TruncationSize = 10, .AllOrNone = true}});
  EXPECT_EQ(none.Type, 2);
  EXPECT_FALSE(none.Data);
  EXPECT_EQ(none.Truncated, true);
  EXPECT_GT(none.EstimatedDataSize.value_or(0), 10u);
  const auto other = d.body("1:4", {{.Type = 2, .TruncationSize = 10, .AllOrNone = true},
                                    {.Type = 1, .TruncationSize = 1000}});
  EXPECT_EQ(other.Type, 1);
  EXPECT_EQ(other.Truncated, false);
  EXPECT_NE(str(other.Data).find("message 4"), std::string::npos);
  const auto fits = d.body("1:4", {{.Type = 2, .TruncationSize = 100000, .AllOrNone = true}});
  EXPECT_EQ(fits.Type, 2);
  EXPECT_EQ(fits.Truncated, false);
  EXPECT_TRUE(fits.Data);
  // without TruncationSize AllOrNone is ignored
  EXPECT_EQ(d.body("1:4", {{.Type = 2, .AllOrNone = true}}).Truncated, false);
}

// MS-ASAIRS 2.2.2.35.1/2.2.2.35.4 Preview: the plain text's first characters, not next to
// plain text Data
TEST_F(Bodies, Preview) {
  OXWIRE_REQ("MS-ASAIRS_R264");
  server_process s(dir.path);
  device d(s.http_port);
  const auto html = d.body("1:4", {{.Type = 2, .Preview = 20}});
  EXPECT_EQ(html.Type, 2);
  EXPECT_EQ(str(html.Preview), "Hello, this is messa");
  EXPECT_FALSE(d.body("1:4", {{.Type = 1, .Preview = 20}}).Preview);
  const auto cut =
      d.body("1:4", {{.Type = 1, .TruncationSize = 5, .AllOrNone = true, .Preview = 6}});
  EXPECT_FALSE(cut.Data);
  EXPECT_EQ(str(cut.Preview), "Hello,");
  // characters, not bytes: "Grüße" of 1:5
  const auto latin = d.body("1:5", {{.Type = 2, .Preview = 255}});
  EXPECT_NE(str(latin.Preview)
                .find("Gr\xC3\xBC\xC3\x9F"
                      "e,"),
            std::string::npos);
}

// Plain text from an HTML-only mail; HTML from a plain-only one
TEST_F(Bodies, Conversions) {
  server_process s(dir.path);
  device d(s.http_port);
  EXPECT_EQ(str(d.body("1:2", {{.Type = 1}}).Data),
            "Hello,\n\nthis is message 2 about Lunch on Friday?.\n\nRegards,\nBen Meyer");
  const auto html = str(d.body("1:1", {{.Type = 2}}).Data);
  EXPECT_TRUE(html.starts_with("<html><body><p>Hello,</p>\n<p>this is message 1")) << html;
  EXPECT_EQ(oxwire::server::html_to_text(html),
            "Hello,\n\nthis is message 1 about Quarterly report.\n\nRegards,\nAnna Meyer");
  EXPECT_EQ(oxwire::server::text_to_html("a < b & \"c\""),
            "<html><body><p>a &lt; b &amp; &quot;c&quot;</p></body></html>");
  EXPECT_EQ(oxwire::server::html_to_text(
                "<div>x&nbsp;&amp;&#x263A;<script>bad()</script><style>p{}</style>  y</div>"
                "<ul><li>one</li><li>two</li></ul><pre>a\n  b</pre>"),
            "x\xC2\xA0&\xE2\x98\xBA y\none\ntwo\na\n  b");
  EXPECT_EQ(oxwire::server::html_to_text(""), "");
  EXPECT_EQ(oxwire::server::html_to_text("a < b"), "a < b");
  // the explicit cap: HTML past max_size is not converted
  EXPECT_EQ(oxwire::server::html_to_text("<p>abcdef</p>", {.max_size = 6}), "abc");
}

// MIME as it arrived (the demo's RFC 5322 text) and composed for mail that never was MIME
TEST_F(Bodies, MimeOfMimeBornAndComposedMail) {
  OXWIRE_REQ("MS-ASCMD_R3409");
  server_process s(dir.path);
  device d(s.http_port);
  const auto encoded_word = parsed(d.body("1:3", {{.Type = 4}}, 2));
  EXPECT_EQ(utf8(encoded_word.properties, prop::PidTagSubject),
            "Project kickoff #3 \xE2\x80\x93 \xC3\x9C"
            "bersicht");
  const auto raw = str(d.body("1:3", {{.Type = 4}}, 2).Data);
  EXPECT_NE(raw.find("Subject: =?UTF-8?B?"), std::string::npos);  // the original bytes
  const auto draft = parsed(d.body("2:1", {{.Type = 4}}, 2));
  EXPECT_EQ(utf8(draft.properties, prop::PidTagSubject), "Quarterly report #1");
  EXPECT_NE(utf8(draft.properties, prop::PidTagBody).find("this is message 1 about"),
            std::string::npos);
  EXPECT_EQ(utf8(draft.properties, prop::PidTagDisplayTo), "david.meyer@example.com");
  // composed with its attachment: 1:1's own bytes came as MIME, so compose directly
  oxwire::mapi::property_bag bag;
  bag.set(prop::PidTagSubject, u"Composed \u00e9");
  bag.set(prop::PidTagBody, u"Body text");
  const std::string h = "<p>Body <b>text</b></p>";
  bag.set(prop::PidTagHtml, std::vector<std::uint8_t>(h.begin(), h.end()));
  oxwire::mapi::property_bag a;
  a.set(prop::PidTagAttachLongFilename, u"f.bin");
  a.set(prop::PidTagAttachDataBinary, std::vector<std::uint8_t>{0, 1, 2, 255});
  const auto eml = oxwire::server::compose_mime(bag, {a});
  const auto back = oxwire::server::parse_mime(oxwire::as_bytes(eml));
  ASSERT_TRUE(back) << eml;
  EXPECT_EQ(utf8(back->properties, prop::PidTagSubject), "Composed \xC3\xA9");
  EXPECT_EQ(utf8(back->properties, prop::PidTagBody), "Body text");
  EXPECT_TRUE(back->properties.get(prop::PidTagHtml));
  ASSERT_EQ(back->attachments.size(), 1u);
  EXPECT_EQ(bytes_of(back->attachments[0].properties, prop::PidTagAttachDataBinary),
            (std::vector<std::uint8_t>{0, 1, 2, 255}));
}

// MS-ASCMD 2.2.3.110.1 MIMESupport 0 never, 1 S/MIME only, 2 every message
TEST_F(Bodies, MimeSupport) {
  OXWIRE_REQ("MS-ASCMD_R3363");
  OXWIRE_REQ("MS-ASCMD_R3364");
  OXWIRE_REQ("MS-ASCMD_R3365");
  server_process s(dir.path);
  device d(s.http_port);
  EXPECT_EQ(d.body("1:301", {{.Type = 4}}, 0).Type, 1);
  EXPECT_EQ(d.body("1:301", {{.Type = 4}}).Type, 1);  // absent: 0
  const auto smime = d.body("1:301", {{.Type = 4}}, 1);
  EXPECT_EQ(smime.Type, 4);
  EXPECT_EQ(str(smime.Data), smime_bytes);
  EXPECT_EQ(d.body("1:1", {{.Type = 4}}, 1).Type, 1);  // not S/MIME: the regular body
  EXPECT_EQ(d.body("1:1", {{.Type = 4}, {.Type = 2}}, 1).Type, 2);
  EXPECT_EQ(d.body("1:1", {{.Type = 4}}, 2).Type, 4);
  EXPECT_EQ(d.body("1:301", {{.Type = 4}}, 2).Type, 4);
}

// MS-ASCMD 2.2.3.111 MIMETruncation in Sync Options cuts a Type 4 body without TruncationSize
TEST_F(Bodies, SyncMimeTruncation) {
  OXWIRE_REQ("MS-ASCMD_R3415");
  server_process s(dir.path);
  device d(s.http_port);
  const auto pull = [&](std::optional<std::uint8_t> truncation, std::optional<std::uint32_t> size) {
    model::request::Sync first;
    auto& c0 = first.Collections.emplace().Collection.emplace_back();
    c0.SyncKey = "0";
    c0.CollectionId = "2";
    const auto primed = decode<model::Sync>(d.send("Sync", encoded(first)));
    const auto key = std::string(primed.Collections.value().Collection.at(0).SyncKey.at(0));
    model::request::Sync next;
    auto& c = next.Collections.emplace().Collection.emplace_back();
    c.SyncKey = key;
    c.CollectionId = "2";
    auto& o = c.Options.emplace_back();
    o.MIMESupport.push_back(2);
    if (truncation) o.MIMETruncation.push_back(*truncation);
    o.BodyPreference.push_back({.Type = 4, .TruncationSize = size});
    const auto r = decode<model::Sync>(d.send("Sync", encoded(next)));
    std::vector<model::Body> bodies;
    for (const auto& cmds : r.Collections.value().Collection.at(0).Commands)
      for (const auto& a : cmds.Add)
        bodies.insert(bodies.end(), a.ApplicationData.AirSyncBase_Body.begin(),
                      a.ApplicationData.AirSyncBase_Body.end());
    return bodies;
  };
  const auto cut = pull(0, {});
  ASSERT_EQ(cut.size(), 3u);
  for (const auto& b : cut) {
    EXPECT_EQ(b.Type, 4);
    EXPECT_EQ(b.Truncated, true);
    EXPECT_EQ(str(b.Data), "");
    EXPECT_GT(b.EstimatedDataSize.value_or(0), 0u);
  }
  for (const auto& b : pull(8, {})) EXPECT_EQ(b.Truncated, false);       // 8: the whole MIME
  for (const auto& b : pull(1, {})) EXPECT_EQ(b.Truncated, false);       // 4,096: shorter
  for (const auto& b : pull(0, 50)) EXPECT_EQ(str(b.Data).size(), 50u);  // TruncationSize wins
}

// SendMail keeps the bytes sent: the Sent Items copy's Type 4 body is them; the Inbox copy of
// a local recipient has no Bcc field
TEST_F(Bodies, SendMailKeepsTheMime) {
  server_process s(dir.path);
  device d(s.http_port);
  const std::string mime = "From: " + user + "\r\nTo: " + user + "\r\nBcc: hidden@example.com\r\n" +
                           "Subject: kept\r\nMIME-Version: 1.0\r\n"
                           "Content-Type: text/plain; charset=utf-8\r\n\r\nAs sent.\r\n";
  request::SendMail m;
  m.ClientId = "bodies-1";
  m.SaveInSentItems = model::empty{};
  m.Mime = model::opaque{oxwire::as_bytes(mime)};
  EXPECT_EQ(d.send("SendMail", encoded(m)).status, 200);
  EXPECT_EQ(str(d.body("4:21", {{.Type = 4}}, 2).Data), mime);
  const auto inbox = str(d.body("1:302", {{.Type = 4}}, 2).Data);
  EXPECT_EQ(inbox.find("Bcc:"), std::string::npos) << inbox;
  EXPECT_NE(inbox.find("Subject: kept"), std::string::npos);
}

// The demo mailbox holds the varied kinds, each stored with its MIME; drafts without
TEST_F(Bodies, DemoMailboxKinds) {
  oxwire::server::store db(dir.path / "oxwire.db");
  const auto u = db.find_user(user).value();
  const auto inbox = db.items(u, "1");
  ASSERT_EQ(inbox.size(), 301u);
  const auto& html_only = inbox[1].props;
  EXPECT_FALSE(html_only.get(prop::PidTagBody));
  EXPECT_TRUE(html_only.get(prop::PidTagHtml));
  EXPECT_TRUE(inbox[3].props.get(prop::PidTagBody));
  EXPECT_TRUE(inbox[3].props.get(prop::PidTagHtml));
  EXPECT_EQ(utf8(inbox[2].props, prop::PidTagSubject),
            "Project kickoff #3 \xE2\x80\x93 \xC3\x9C"
            "bersicht");
  EXPECT_NE(utf8(inbox[4].props, prop::PidTagBody)
                .find("Gr\xC3\xBC\xC3\x9F"
                      "e"),
            std::string::npos);
  EXPECT_NE(utf8(inbox[5].props, prop::PidTagBody)
                .find("\xE2\x80\x93 costs \xE2\x82\xAC"
                      "12"),
            std::string::npos);
  const auto with_message = db.attachments(u, inbox[7].server_id);
  ASSERT_EQ(with_message.size(), 2u);
  EXPECT_EQ(utf8(with_message[1], prop::PidTagAttachMimeTag), "message/rfc822");
  EXPECT_EQ(db.attachments(u, inbox[0].server_id).size(), 1u);
  EXPECT_TRUE(db.attachments(u, inbox[1].server_id).empty());
  for (const auto& it : inbox) EXPECT_TRUE(it.props.get(oxwire::server::original_mime));
  for (const auto& it : db.items(u, "2")) EXPECT_FALSE(it.props.get(oxwire::server::original_mime));
  // deterministic: a second mailbox is the same bytes
  oxwire::server::store other(dir.path / "other.db");
  ASSERT_TRUE(oxwire_server::create_demo(other, user, password));
  const auto again = other.items(other.find_user(user).value(), "1");
  ASSERT_EQ(again.size(), 300u);
  EXPECT_EQ(bytes_of(again[5].props, oxwire::server::original_mime),
            bytes_of(inbox[5].props, oxwire::server::original_mime));
}

}  // namespace test_bodies
