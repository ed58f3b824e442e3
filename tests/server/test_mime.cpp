// RFC 5322/MIME messages into the server's MAPI message model (include/oxwire/server/mime.hpp):
// encoded words, folded headers, charsets, multipart/alternative and multipart/mixed with a
// base64 attachment, address lists, and what is not a message.
#include <oxwire/gen/mapi/prop_tags.hpp>
#include <oxwire/server/mime.hpp>

#include <gtest/gtest.h>

#include <string>

namespace test_mime {

namespace prop = oxwire::mapi::prop;
using oxwire::server::parse_mime;

oxwire::result<oxwire::mapi::message> parse(const std::string& s,
                                            const oxwire::server::mime_options& o = {}) {
  return parse_mime({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}, o);
}

/// A string property as UTF-8 ("<absent>" if missing).
template <class P>
std::string text(const oxwire::mapi::property_bag& b, const P& p) {
  const auto v = b.get(p);
  if (!v) return "<absent>";
  return oxwire::utf16::to_utf8(*v).value();
}

TEST(Mime, EncodedWordsAndFoldedHeaders) {
  const auto m = parse(
      "From: =?iso-8859-1?Q?J=F6rg_M=FCller?= <joerg@example.com>\r\n"
      "To: \"Ben Okafor\" <ben@example.com>,\r\n"
      "  =?utf-8?B?0JDQvdC90LA=?= <anna@example.org>\r\n"
      "Cc: carl@example.net\r\n"
      "Subject: =?utf-8?B?R3LDvMOfZSBhdXMg?=\r\n"
      " =?utf-8?Q?K=C3=B6ln?=\r\n"
      "Date: Tue, 01 Dec 2026 10:00:00 +0100\r\n"
      "Message-ID: <abc.123@example.com>\r\n"
      "\r\n"
      "Hi\r\n");
  ASSERT_TRUE(m) << m.error().message();
  const auto& p = m->properties;
  EXPECT_EQ(text(p, prop::PidTagSubject), "Grüße aus Köln");
  EXPECT_EQ(text(p, prop::PidTagMessageClass), "IPM.Note");
  EXPECT_EQ(text(p, prop::PidTagSenderName), "Jörg Müller");
  EXPECT_EQ(text(p, prop::PidTagSenderEmailAddress), "joerg@example.com");
  EXPECT_EQ(text(p, prop::PidTagSentRepresentingName), "Jörg Müller");
  EXPECT_EQ(text(p, prop::PidTagSentRepresentingEmailAddress), "joerg@example.com");
  EXPECT_EQ(text(p, prop::PidTagDisplayTo), "Ben Okafor; Анна");
  EXPECT_EQ(text(p, prop::PidTagDisplayCc), "carl@example.net");
  EXPECT_EQ(text(p, prop::PidTagInternetMessageId), "<abc.123@example.com>");
  // 2026-12-01T09:00:00Z
  const auto t = p.get(prop::PidTagClientSubmitTime);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->value, oxwire::to_filetime(std::chrono::sys_days{std::chrono::year{2026} / 12 / 1} +
                                          std::chrono::hours{9})
                          .value());
  EXPECT_EQ(p.get(prop::PidTagMessageDeliveryTime), t);
  ASSERT_EQ(m->recipients.size(), 3u);
  const auto& r1 = m->recipients[1].properties;
  EXPECT_EQ(r1.get(prop::PidTagRecipientType), 1);
  EXPECT_EQ(text(r1, prop::PidTagDisplayName), "Анна");
  EXPECT_EQ(text(r1, prop::PidTagSmtpAddress), "anna@example.org");
  EXPECT_EQ(m->recipients[2].properties.get(prop::PidTagRecipientType), 2);  // MAPI_CC
  EXPECT_EQ(text(p, prop::PidTagBody), "Hi\r\n");
  EXPECT_EQ(p.get(prop::PidTagHasAttachments), false);
}

// RFC 5322 3.6.3: Bcc recipients become MAPI_BCC; Sender is the sender, From the represented
TEST(Mime, SenderAndBcc) {
  const auto m = parse(
      "From: Boss <boss@example.com>\nSender: assistant@example.com\n"
      "Bcc: secret@example.com\nSubject: x\n\nbody\n");
  ASSERT_TRUE(m);
  EXPECT_EQ(text(m->properties, prop::PidTagSenderEmailAddress), "assistant@example.com");
  EXPECT_EQ(text(m->properties, prop::PidTagSentRepresentingName), "Boss");
  EXPECT_EQ(text(m->properties, prop::PidTagDisplayBcc), "secret@example.com");
  ASSERT_EQ(m->recipients.size(), 1u);
  EXPECT_EQ(m->recipients[0].properties.get(prop::PidTagRecipientType), 3);
}

TEST(Mime, NonUtf8CharsetBodyIsConverted) {
  const auto m = parse(
      "From: a@example.com\nSubject: Latin-1\nMIME-Version: 1.0\n"
      "Content-Type: text/plain; charset=iso-8859-1\n"
      "Content-Transfer-Encoding: quoted-printable\n\n"
      "Gr=FC=DFe, sch=F6ne W=FCnsche\n");
  ASSERT_TRUE(m);
  EXPECT_EQ(text(m->properties, prop::PidTagBody), "Grüße, schöne Wünsche\n");

  const std::string koi8 =
      "From: a@example.com\nContent-Type: text/plain; charset=koi8-r\n\n\xF0\xD2\xC9\xD7\xC5\xD4";
  const auto k = parse(koi8);
  ASSERT_TRUE(k);
  EXPECT_EQ(text(k->properties, prop::PidTagBody), "Привет");
}

TEST(Mime, MultipartAlternative) {
  const auto m = parse(
      "From: a@example.com\nTo: b@example.com\nSubject: alt\nMIME-Version: 1.0\n"
      "Content-Type: multipart/alternative; boundary=\"XX\"\n\n"
      "preamble\n--XX\nContent-Type: text/plain; charset=utf-8\n\nplain text\n"
      "--XX\nContent-Type: text/html; charset=utf-8\n\n<p>html text</p>\n--XX--\n");
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_EQ(text(m->properties, prop::PidTagBody), "plain text");
  const auto html = m->properties.get(prop::PidTagHtml);
  ASSERT_TRUE(html);
  EXPECT_EQ(std::string(html->begin(), html->end()), "<p>html text</p>");
  EXPECT_TRUE(m->attachments.empty());
}

TEST(Mime, MultipartMixedWithBase64Attachment) {
  const auto m = parse(
      "From: a@example.com\nTo: b@example.com\nSubject: report\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=b1\n\n"
      "--b1\nContent-Type: multipart/alternative; boundary=b2\n\n"
      "--b2\nContent-Type: text/plain\n\nSee attached.\n--b2\nContent-Type: text/html\n\n"
      "<b>See attached.</b>\n--b2--\n"
      "--b1\nContent-Type: application/pdf; name=\"report.pdf\"\n"
      "Content-Disposition: attachment; filename=\"report.pdf\"\n"
      "Content-Transfer-Encoding: base64\nContent-ID: <part1@x>\n\n"
      "JVBERi0xLjQKJcOkw7zDtsOfCg==\n"
      "--b1\nContent-Type: text/plain; name=notes.txt\n"
      "Content-Disposition: attachment; filename*=utf-8''N%C3%B6tes.txt\n\nsome notes\n"
      "--b1--\n");
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_EQ(text(m->properties, prop::PidTagBody), "See attached.");
  EXPECT_EQ(m->properties.get(prop::PidTagHasAttachments), true);
  ASSERT_EQ(m->attachments.size(), 2u);
  const auto& a = m->attachments[0].properties;
  EXPECT_EQ(text(a, prop::PidTagAttachLongFilename), "report.pdf");
  EXPECT_EQ(text(a, prop::PidTagAttachMimeTag), "application/pdf");
  EXPECT_EQ(text(a, prop::PidTagAttachContentId), "part1@x");
  const std::string pdf = "%PDF-1.4\n%\xC3\xA4\xC3\xBC\xC3\xB6\xC3\x9F\n";
  const auto data = a.get(prop::PidTagAttachDataBinary);
  ASSERT_TRUE(data);
  EXPECT_EQ(std::string(data->begin(), data->end()), pdf);
  EXPECT_EQ(a.get(prop::PidTagAttachSize), static_cast<std::int32_t>(pdf.size()));
  EXPECT_EQ(a.get(prop::PidTagAttachMethod), 1);
  // a text part with a filename is an attachment, not the body; RFC 2231 name decoded
  EXPECT_EQ(text(m->attachments[1].properties, prop::PidTagAttachLongFilename), "Nötes.txt");
}

TEST(Mime, AttachedMessageIsKeptWhole) {
  const auto m = parse(
      "From: a@example.com\nSubject: Fwd\nContent-Type: multipart/mixed; boundary=q\n\n"
      "--q\nContent-Type: text/plain\n\nforwarding\n--q\nContent-Type: message/rfc822\n\n"
      "From: c@example.com\nSubject: inner\n\ninner body\n--q--\n");
  ASSERT_TRUE(m);
  ASSERT_EQ(m->attachments.size(), 1u);
  const auto& a = m->attachments[0].properties;
  EXPECT_EQ(text(a, prop::PidTagAttachLongFilename), "inner.eml");
  EXPECT_EQ(text(a, prop::PidTagAttachMimeTag), "message/rfc822");
  const auto data = a.get(prop::PidTagAttachDataBinary);
  ASSERT_TRUE(data);
  const auto inner = parse(std::string(data->begin(), data->end()));
  ASSERT_TRUE(inner);
  EXPECT_EQ(text(inner->properties, prop::PidTagSubject), "inner");
  EXPECT_EQ(text(inner->properties, prop::PidTagBody),
            "inner body");  // CRLF before --q: the delimiter
}

// A message without Subject, Date, Message-ID or body: those properties are absent or empty
TEST(Mime, MinimalMessage) {
  const auto m = parse("From: a@example.com\n");
  ASSERT_TRUE(m);
  EXPECT_EQ(text(m->properties, prop::PidTagSubject), "");
  EXPECT_FALSE(m->properties.get(prop::PidTagClientSubmitTime));
  EXPECT_FALSE(m->properties.get(prop::PidTagInternetMessageId));
  EXPECT_TRUE(m->recipients.empty());
}

// Not a message: empty input, or no header field before the body
TEST(Mime, GarbageIsAnError) {
  for (const std::string& bad : {std::string(), std::string("\n\nbody only"),
                                 std::string("no header line at all\x01\x02\xFF\n\nmore"),
                                 std::string(": no name\n\nx"), std::string(4096, '\0')}) {
    const auto m = parse(bad);
    ASSERT_FALSE(m) << bad;
    EXPECT_EQ(m.error().code, oxwire::errc::out_of_range);
    EXPECT_STREQ(m.error().what, "RFC 5322 header section");
  }
}

TEST(Mime, Limits) {
  const std::string msg =
      "From: a@example.com\nContent-Type: multipart/mixed; boundary=z\n\n"
      "--z\n\none\n--z\n\ntwo\n--z\n\nthree\n--z--\n";
  ASSERT_TRUE(parse(msg));
  const auto size = parse(msg, {.max_size = 10, .max_parts = 1000});
  ASSERT_FALSE(size);
  EXPECT_EQ(size.error().code, oxwire::errc::limit_exceeded);
  const auto parts = parse(msg, {.max_size = 1 << 20, .max_parts = 3});
  ASSERT_FALSE(parts);
  EXPECT_EQ(parts.error().code, oxwire::errc::limit_exceeded);
  EXPECT_STREQ(parts.error().what, "MIME parts");
}

}  // namespace test_mime
