// oxwire — Internet mail (RFC 5322 with MIME, RFC 2045-2049) into the MAPI message model the
// server stores (MS-OXCMAIL 2.2 maps headers to properties), parsed with GMime 3.
//
//   auto m = oxwire::server::parse_mime(bytes);            // result<mapi::message>
//   auto subject = m->properties.get(oxwire::mapi::prop::PidTagSubject);
//
// What GMime decodes for us: RFC 2047 encoded words (subject, display names), folded headers,
// transfer encodings (base64, quoted-printable) and body charsets (converted to UTF-8). GMime is
// tolerant and parses almost any bytes as *some* message; this header calls the input "not a
// message" (errc::out_of_range, "RFC 5322 header section") when it is empty or when its header
// section holds no field at all, e.g. text without a "Name: value" line before the first
// empty line. Limits: the input size and the number of MIME parts (errc::limit_exceeded).
//
// Link with pkg-config gmime-3.0.
#pragma once

#include <oxwire/core/bytes.hpp>
#include <oxwire/core/error.hpp>
#include <oxwire/core/filetime.hpp>
#include <oxwire/core/utf16.hpp>
#include <oxwire/gen/mapi/prop_tags.hpp>
#include <oxwire/mapi/message.hpp>

#include <gmime/gmime.h>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oxwire::server {

struct mime_options {
  std::size_t max_size = std::size_t{64} << 20;  // bytes of the whole message
  std::size_t max_parts = 1000;                  // MIME leaf parts
};

namespace detail_mime {

/// GMime needs g_mime_init() once per process before any use.
inline void init_gmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

/// Owner of one GObject reference.
template <class T>
struct gobject_ptr {
  T* p = nullptr;
  explicit gobject_ptr(T* v) : p(v) {}
  gobject_ptr(const gobject_ptr&) = delete;
  gobject_ptr& operator=(const gobject_ptr&) = delete;
  ~gobject_ptr() {
    if (p) g_object_unref(p);
  }
};

/// UTF-8 (GMime's output) as a PtypString value; invalid sequences replaced.
inline std::u16string u16(std::string_view utf8) {
  std::u16string out;
  if (const auto b = utf16::from_utf8(utf8, utf16::policy::replace))
    for (std::size_t i = 0; i + 1 < b->size(); i += 2)
      out.push_back(static_cast<char16_t>((*b)[i] | ((*b)[i + 1] << 8)));
  return out;
}

inline std::string str(const char* s) {
  return s ? std::string(s) : std::string();
}

/// The decoded content of a leaf part (transfer encoding undone, charset untouched).
inline std::vector<std::uint8_t> content_bytes(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (!content) return {};
  gobject_ptr<GMimeStream> out(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, out.p);
  const GByteArray* a = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.p));
  return a ? std::vector<std::uint8_t>(a->data, a->data + a->len) : std::vector<std::uint8_t>();
}

/// A whole MIME object (an attached message/rfc822) as bytes.
inline std::vector<std::uint8_t> object_bytes(GMimeObject* object) {
  gobject_ptr<GMimeStream> out(g_mime_stream_mem_new());
  g_mime_object_write_to_stream(object, nullptr, out.p);
  const GByteArray* a = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.p));
  return a ? std::vector<std::uint8_t>(a->data, a->data + a->len) : std::vector<std::uint8_t>();
}

/// One mailbox of an address header: display name and SMTP address (groups flattened).
struct mailbox {
  std::string name, address;
};

inline void mailboxes(InternetAddressList* list, std::vector<mailbox>& out) {
  if (!list) return;
  const int n = internet_address_list_length(list);
  for (int i = 0; i < n; ++i) {
    InternetAddress* a = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_GROUP(a)) {
      mailboxes(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a)), out);
    } else if (INTERNET_ADDRESS_IS_MAILBOX(a)) {
      out.push_back({str(internet_address_get_name(a)),
                     str(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a)))});
    }
  }
}

inline std::vector<mailbox> mailboxes(GMimeMessage* m, GMimeAddressType type) {
  std::vector<mailbox> out;
  mailboxes(g_mime_message_get_addresses(m, type), out);
  return out;
}

/// MS-OXOMSG 2.2.1.7-2.2.1.9 PidTagDisplayTo/Cc/Bcc: the display names joined by "; ".
inline std::string display_list(const std::vector<mailbox>& list) {
  std::string out;
  for (const auto& b : list)
    (out += out.empty() ? "" : "; ") += b.name.empty() ? b.address : b.name;
  return out;
}

/// Walks the MIME tree collecting the first inline text/plain and text/html bodies and the
/// attachments.
struct walker {
  mapi::message& m;
  const mime_options& opts;
  std::optional<std::string> text, html;
  std::size_t parts = 0;
  bool too_many = false;

  void attach(std::string name, std::string type, std::vector<std::uint8_t> data,
              std::string content_id) {
    mapi::attachment a;
    a.properties.set(mapi::prop::PidTagAttachMethod, 1);  // MS-OXCMSG 2.2.2.9 afByValue
    if (!name.empty()) a.properties.set(mapi::prop::PidTagAttachLongFilename, u16(name));
    a.properties.set(mapi::prop::PidTagAttachMimeTag, u16(type));
    if (!content_id.empty()) a.properties.set(mapi::prop::PidTagAttachContentId, u16(content_id));
    a.properties.set(mapi::prop::PidTagAttachSize, static_cast<std::int32_t>(data.size()));
    a.properties.set(mapi::prop::PidTagAttachDataBinary, std::move(data));
    m.attachments.push_back(std::move(a));
  }

  void visit(GMimeObject* object) {
    if (++parts > opts.max_parts) {
      too_many = true;
      return;
    }
    if (GMIME_IS_MULTIPART(object)) {
      GMimeMultipart* mp = GMIME_MULTIPART(object);
      const int n = g_mime_multipart_get_count(mp);
      for (int i = 0; i < n && !too_many; ++i) visit(g_mime_multipart_get_part(mp, i));
      return;
    }
    GMimeContentType* ct = g_mime_object_get_content_type(object);
    std::string type = "text/plain";
    if (char* t = ct ? g_mime_content_type_get_mime_type(ct) : nullptr) {  // newly allocated
      type = t;
      g_free(t);
    }
    if (GMIME_IS_MESSAGE_PART(object)) {  // a forwarded message: attached whole
      GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
      const std::string subject = inner ? str(g_mime_message_get_subject(inner)) : "";
      attach((subject.empty() ? "message" : subject) + ".eml", "message/rfc822",
             inner ? object_bytes(GMIME_OBJECT(inner)) : std::vector<std::uint8_t>(), "");
      return;
    }
    if (!GMIME_IS_PART(object)) return;
    GMimePart* part = GMIME_PART(object);
    const bool is_text = ct && g_mime_content_type_is_type(ct, "text", "*");
    const bool inline_body =
        is_text && !g_mime_part_is_attachment(part) && !g_mime_part_get_filename(part);
    if (inline_body && GMIME_IS_TEXT_PART(object)) {
      const bool plain = g_mime_content_type_is_type(ct, "text", "plain");
      const bool is_html = g_mime_content_type_is_type(ct, "text", "html");
      if ((plain && !text) || (is_html && !html)) {
        char* s = g_mime_text_part_get_text(GMIME_TEXT_PART(object));  // UTF-8, charset converted
        (plain ? text : html) = str(s);
        g_free(s);
        return;
      }
    }
    std::string name = str(g_mime_part_get_filename(part));
    attach(std::move(name), type, content_bytes(part), str(g_mime_part_get_content_id(part)));
  }
};

}  // namespace detail_mime

/// Parses an RFC 5322 message into the Email class (MS-OXCMAIL 2.2.3): PidTagMessageClass
/// IPM.Note, PidTagSubject, PidTagSender* (Sender, else From) and PidTagSentRepresenting*
/// (From), PidTagDisplayTo/Cc/Bcc with one recipient per To/Cc/Bcc mailbox (PidTagRecipientType
/// 1/2/3), PidTagClientSubmitTime and PidTagMessageDeliveryTime (Date), PidTagInternetMessageId,
/// PidTagBody (first inline text/plain, UTF-8) and PidTagHtml (first inline text/html, UTF-8),
/// other leaf parts and attached messages as attachments (PidTagAttachDataBinary, ...).
///
/// `auto m = parse_mime(bytes); if (!m) log(m.error().message());`
[[nodiscard]] inline result<mapi::message> parse_mime(bytes_view rfc5322,
                                                      const mime_options& opts = {}) {
  using namespace detail_mime;
  namespace prop = mapi::prop;
  if (rfc5322.size() > opts.max_size) return error{errc::limit_exceeded, 0, "MIME message size"};
  if (rfc5322.empty()) return error{errc::out_of_range, 0, "RFC 5322 header section"};
  init_gmime();
  // the memory stream holds a copy of the bytes
  gobject_ptr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(
      reinterpret_cast<const char*>(rfc5322.data()), rfc5322.size()));
  gobject_ptr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.p));
  g_mime_parser_set_format(parser.p, GMIME_FORMAT_MESSAGE);
  gobject_ptr<GMimeMessage> msg(g_mime_parser_construct_message(parser.p, nullptr));
  if (!msg.p) return error{errc::out_of_range, 0, "RFC 5322 header section"};
  GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(msg.p));
  if (!headers || g_mime_header_list_get_count(headers) == 0)
    return error{errc::out_of_range, 0, "RFC 5322 header section"};

  mapi::message m;
  auto& p = m.properties;
  p.set(prop::PidTagMessageClass, u"IPM.Note");
  p.set(prop::PidTagSubject, u16(str(g_mime_message_get_subject(msg.p))));
  const auto from = mailboxes(msg.p, GMIME_ADDRESS_TYPE_FROM);
  auto sender = mailboxes(msg.p, GMIME_ADDRESS_TYPE_SENDER);
  if (sender.empty()) sender = from;
  // MS-OXCMAIL 2.2.3.2.3-2.2.3.2.4: Sender and From
  if (!sender.empty()) {
    p.set(prop::PidTagSenderName, u16(sender[0].name.empty() ? sender[0].address : sender[0].name));
    p.set(prop::PidTagSenderEmailAddress, u16(sender[0].address));
    p.set(prop::PidTagSenderAddressType, u"SMTP");
  }
  if (!from.empty()) {
    p.set(prop::PidTagSentRepresentingName,
          u16(from[0].name.empty() ? from[0].address : from[0].name));
    p.set(prop::PidTagSentRepresentingEmailAddress, u16(from[0].address));
  }
  // MS-OXCMAIL 2.2.3.2.5-2.2.3.2.7: To, Cc, Bcc as recipients of types MAPI_TO/CC/BCC
  const std::pair<GMimeAddressType, const mapi::tagged_property<mapi::PropertyType::PtypString>*>
      lists[] = {{GMIME_ADDRESS_TYPE_TO, &prop::PidTagDisplayTo},
                 {GMIME_ADDRESS_TYPE_CC, &prop::PidTagDisplayCc},
                 {GMIME_ADDRESS_TYPE_BCC, &prop::PidTagDisplayBcc}};
  std::int32_t recipient_type = 1;
  for (const auto& [type, display] : lists) {
    const auto list = mailboxes(msg.p, type);
    if (!list.empty()) p.set(*display, u16(display_list(list)));
    for (const auto& b : list) {
      mapi::recipient r;
      r.properties.set(prop::PidTagRecipientType, recipient_type);
      r.properties.set(prop::PidTagDisplayName, u16(b.name.empty() ? b.address : b.name));
      r.properties.set(prop::PidTagEmailAddress, u16(b.address));
      r.properties.set(prop::PidTagSmtpAddress, u16(b.address));
      r.properties.set(prop::PidTagAddressType, u"SMTP");
      m.recipients.push_back(std::move(r));
    }
    ++recipient_type;
  }
  // MS-OXCMAIL 2.2.3.2.2 Date
  if (GDateTime* date = g_mime_message_get_date(msg.p)) {
    const std::chrono::sys_seconds t{std::chrono::seconds{g_date_time_to_unix(date)}};
    if (const auto ft = to_filetime(t)) {
      p.set(prop::PidTagClientSubmitTime, mapi::filetime{*ft});
      p.set(prop::PidTagMessageDeliveryTime, mapi::filetime{*ft});
    }
  }
  // MS-OXCMAIL 2.2.3.2.9 Message-ID, kept with its angle brackets
  if (const char* id = g_mime_message_get_message_id(msg.p))
    p.set(prop::PidTagInternetMessageId, u16("<" + std::string(id) + ">"));

  walker w{m, opts, {}, {}, 0, false};
  if (GMimeObject* body = g_mime_message_get_mime_part(msg.p)) w.visit(body);
  if (w.too_many) return error{errc::limit_exceeded, 0, "MIME parts"};
  if (w.text) p.set(prop::PidTagBody, u16(*w.text));
  if (w.html) p.set(prop::PidTagHtml, std::vector<std::uint8_t>(w.html->begin(), w.html->end()));
  p.set(prop::PidTagHasAttachments, !m.attachments.empty());
  p.set(prop::PidTagRead, false);
  return m;
}

}  // namespace oxwire::server
