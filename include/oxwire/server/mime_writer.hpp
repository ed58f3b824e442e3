// oxwire — the other direction of server/mime.hpp: an RFC 5322 message (RFC 2045-2049 MIME)
// written from a stored e-mail's MAPI properties with GMime 3 (MS-OXCMAIL 2.2: Subject, From,
// To, Cc, Date, Message-ID; PidTagBody and PidTagHtml as a text/plain + text/html
// multipart/alternative; attachments as base64 parts), and the body text conversions the
// ActiveSync server needs: plain text from HTML (libxml2's HTML parser) and HTML from plain text.
//
//   std::string eml = oxwire::server::compose_mime(bag, attachment_bags);
//   std::string text = oxwire::server::html_to_text("<p>Hi &amp; bye</p>");   // "Hi & bye"
//
// Link with pkg-config gmime-3.0 and libxml-2.0.
#pragma once

#include <oxwire/core/bytes.hpp>
#include <oxwire/core/utf16.hpp>
#include <oxwire/gen/mapi/prop_tags.hpp>
#include <oxwire/mapi/property_bag.hpp>
#include <oxwire/server/mime.hpp>

#include <gmime/gmime.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace oxwire::server {

namespace detail_mime_writer {

/// A string property as UTF-8 ("" when absent).
template <class P>
std::string utf8_of(const mapi::property_bag& bag, const P& p) {
  const auto v = bag.get(p);
  if (!v) return {};
  auto s = utf16::to_utf8(*v, utf16::policy::replace);
  return s ? std::move(*s) : std::string();
}

/// A GMime object written out as bytes.
inline std::string to_string(GMimeObject* object) {
  char* s = g_mime_object_to_string(object, nullptr);
  std::string out = s ? s : "";
  g_free(s);
  return out;
}

/// A text part of this subtype holding UTF-8 text (GMime picks the transfer encoding).
inline GMimeObject* text_part(const char* subtype, const std::string& utf8) {
  GMimeTextPart* t = g_mime_text_part_new_with_subtype(subtype);
  g_mime_text_part_set_text(t, utf8.c_str());
  return GMIME_OBJECT(t);
}

/// An attachment bag (MS-OXCMSG 2.2.2) as a base64 part named by PidTagAttachLongFilename.
inline GMimeObject* attachment_part(const mapi::property_bag& a) {
  const std::string type = utf8_of(a, mapi::prop::PidTagAttachMimeTag);
  GMimeContentType* ct =
      g_mime_content_type_parse(nullptr, type.empty() ? "application/octet-stream" : type.c_str());
  std::string media = g_mime_content_type_get_media_type(ct);
  std::string subtype = g_mime_content_type_get_media_subtype(ct);
  g_object_unref(ct);
  if (media == "multipart") media = "application", subtype = "octet-stream";  // never a leaf
  // RFC 2046 5.2.1: a message/rfc822 body is 7bit, 8bit or binary, never base64
  const bool message = media == "message";
  GMimePart* part = g_mime_part_new_with_type(media.c_str(), subtype.c_str());
  const auto data = a.get(mapi::prop::PidTagAttachDataBinary).value_or(bytes_view{});
  detail_mime::gobject_ptr<GMimeStream> stream(
      g_mime_stream_mem_new_with_buffer(reinterpret_cast<const char*>(data.data()), data.size()));
  detail_mime::gobject_ptr<GMimeDataWrapper> content(
      g_mime_data_wrapper_new_with_stream(stream.p, GMIME_CONTENT_ENCODING_DEFAULT));
  g_mime_part_set_content(part, content.p);
  if (const auto name = utf8_of(a, mapi::prop::PidTagAttachLongFilename); !name.empty())
    g_mime_part_set_filename(part, name.c_str());
  g_mime_part_set_content_encoding(
      part, message ? GMIME_CONTENT_ENCODING_8BIT : GMIME_CONTENT_ENCODING_BASE64);
  return GMIME_OBJECT(part);
}

/// libxml2 needs xmlInitParser() once per process before use from several threads.
inline void init_libxml() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

/// Elements that start and end on a line of their own (HTML block-level, list and table
/// elements); paragraphs and headings also have a blank line around them.
inline int block_kind(std::string_view name) {  // 0 inline, 1 line, 2 paragraph
  static constexpr std::array<std::string_view, 8> paragraphs{"p",  "h1", "h2", "h3",
                                                              "h4", "h5", "h6", "blockquote"};
  static constexpr std::array<std::string_view, 22> lines{
      "div",     "li",      "tr",     "table",  "ul",   "ol",    "pre", "hr",
      "section", "article", "header", "footer", "dl",   "dt",    "dd",  "address",
      "center",  "form",    "nav",    "aside",  "main", "figure"};
  for (const auto p : paragraphs)
    if (p == name) return 2;
  for (const auto l : lines)
    if (l == name) return 1;
  return 0;
}

/// Walks the parsed HTML writing its text: whitespace runs collapsed to one space outside
/// <pre>, <br> and block boundaries as line breaks, script/style/head content dropped.
struct text_walker {
  std::string out;
  bool pending_space = false;

  /// Ends the current line (with a blank line after it for a paragraph), once.
  void line_break(int kind) {
    pending_space = false;
    while (!out.empty() && out.back() == ' ') out.pop_back();
    if (out.empty()) return;
    if (out.back() != '\n') out += '\n';
    if (kind == 2 && !out.ends_with("\n\n")) out += '\n';
  }
  void text(std::string_view s, bool pre) {
    for (const char c : s) {
      if (pre) {
        out += c;
      } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        pending_space = !out.empty() && out.back() != '\n';
      } else {
        if (pending_space) out += ' ';
        pending_space = false;
        out += c;
      }
    }
  }
  void visit(xmlNode* n, bool pre) {
    for (; n; n = n->next) {
      if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        if (n->content) text(reinterpret_cast<const char*>(n->content), pre);
        continue;
      }
      if (n->type != XML_ELEMENT_NODE) continue;
      const std::string_view name = n->name ? reinterpret_cast<const char*>(n->name) : "";
      if (name == "script" || name == "style" || name == "head" || name == "title") continue;
      if (name == "br") {
        out += '\n';
        pending_space = false;
        continue;
      }
      const int kind = block_kind(name);
      if (kind) line_break(kind);
      visit(n->children, pre || name == "pre");
      if (kind) line_break(kind);
    }
  }
};

}  // namespace detail_mime_writer

struct html_text_options {
  std::size_t max_size = std::size_t{16} << 20;  // bytes of HTML converted; the rest is ignored
};

/// Plain text of an HTML body (UTF-8 in, UTF-8 out): tags removed, character references
/// decoded, block elements and <br> as line breaks, script, style and head dropped. libxml2's
/// HTML parser recovers from any input (and bounds its nesting depth), so every input gives text.
[[nodiscard]] inline std::string html_to_text(std::string_view html,
                                              const html_text_options& opts = {}) {
  using namespace detail_mime_writer;
  if (html.size() > opts.max_size) html = html.substr(0, opts.max_size);
  if (html.empty()) return {};
  init_libxml();
  htmlDocPtr doc = htmlReadMemory(html.data(), static_cast<int>(html.size()), nullptr, "UTF-8",
                                  HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                      HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED);
  if (!doc) return {};
  text_walker w;
  w.visit(doc->children, false);
  xmlFreeDoc(doc);
  while (!w.out.empty() && (w.out.back() == '\n' || w.out.back() == ' ')) w.out.pop_back();
  return w.out;
}

/// An HTML document showing plain text: special characters escaped, blank-line-separated
/// paragraphs as <p>, other line breaks as <br>.
[[nodiscard]] inline std::string text_to_html(std::string_view text) {
  std::string out = "<html><body><p>";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r') continue;
    if (c == '\n') {
      std::size_t j = i + 1;
      while (j < text.size() && text[j] == '\r') ++j;
      if (j < text.size() && text[j] == '\n') {  // a blank line ends the paragraph
        out += "</p>\n<p>";
        while (j < text.size() && (text[j] == '\n' || text[j] == '\r')) ++j;
        i = j - 1;
      } else {
        out += "<br>\n";
      }
      continue;
    }
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out + "</p></body></html>";
}

/// An RFC 5322 message of a stored e-mail (MS-OXCMAIL 2.2.3, the direction MAPI to MIME):
/// From (PidTagSentRepresenting*, else PidTagSender*), To/Cc (PidTagDisplayTo/Cc as address
/// lists), Subject, Date (PidTagClientSubmitTime, else PidTagMessageDeliveryTime),
/// Message-ID (PidTagInternetMessageId); the body text/plain (PidTagBody, else text from
/// PidTagHtml), with text/html (PidTagHtml) as a multipart/alternative when present; the
/// attachments after it in a multipart/mixed.
[[nodiscard]] inline std::string compose_mime(const mapi::property_bag& bag,
                                              const std::vector<mapi::property_bag>& attachments) {
  using namespace detail_mime_writer;
  namespace prop = mapi::prop;
  detail_mime::init_gmime();
  detail_mime::gobject_ptr<GMimeMessage> m(g_mime_message_new(FALSE));
  auto from_name = utf8_of(bag, prop::PidTagSentRepresentingName);
  auto from = utf8_of(bag, prop::PidTagSentRepresentingEmailAddress);
  if (from.empty()) {
    from_name = utf8_of(bag, prop::PidTagSenderName);
    from = utf8_of(bag, prop::PidTagSenderEmailAddress);
  }
  if (!from.empty())
    g_mime_message_add_mailbox(m.p, GMIME_ADDRESS_TYPE_FROM, from_name.c_str(), from.c_str());
  const std::pair<GMimeAddressType, const mapi::tagged_property<mapi::PropertyType::PtypString>*>
      lists[] = {{GMIME_ADDRESS_TYPE_TO, &prop::PidTagDisplayTo},
                 {GMIME_ADDRESS_TYPE_CC, &prop::PidTagDisplayCc}};
  for (const auto& [type, display] : lists)
    if (auto s = utf8_of(bag, *display); !s.empty()) {
      std::replace(s.begin(), s.end(), ';', ',');  // "; " joins PidTagDisplayTo (MS-OXOMSG)
      if (InternetAddressList* parsed = internet_address_list_parse(nullptr, s.c_str())) {
        internet_address_list_append(g_mime_message_get_addresses(m.p, type), parsed);
        g_object_unref(parsed);
      }
    }
  const auto subject = utf8_of(bag, prop::PidTagSubject);
  g_mime_message_set_subject(m.p, subject.c_str(), "utf-8");
  auto when = bag.get(prop::PidTagClientSubmitTime);
  if (!when) when = bag.get(prop::PidTagMessageDeliveryTime);
  if (when) {
    const auto secs = std::chrono::floor<std::chrono::seconds>(when->time_point());
    GDateTime* date = g_date_time_new_from_unix_utc(secs.time_since_epoch().count());
    g_mime_message_set_date(m.p, date);
    g_date_time_unref(date);
  }
  if (auto id = utf8_of(bag, prop::PidTagInternetMessageId); !id.empty()) {
    if (id.front() == '<' && id.back() == '>' && id.size() > 2) id = id.substr(1, id.size() - 2);
    g_mime_message_set_message_id(m.p, id.c_str());
  }
  const auto html = bag.get(prop::PidTagHtml);
  const std::string html_text = html ? std::string(oxwire::as_chars(*html)) : "";
  std::string plain = utf8_of(bag, prop::PidTagBody);
  if (!bag.get(prop::PidTagBody) && html) plain = html_to_text(html_text);
  GMimeObject* body = text_part("plain", plain);
  if (html) {
    GMimeMultipart* alt = g_mime_multipart_new_with_subtype("alternative");
    g_mime_multipart_add(alt, body);
    g_object_unref(body);
    GMimeObject* h = text_part("html", html_text);
    g_mime_multipart_add(alt, h);
    g_object_unref(h);
    body = GMIME_OBJECT(alt);
  }
  if (!attachments.empty()) {
    GMimeMultipart* mixed = g_mime_multipart_new_with_subtype("mixed");
    g_mime_multipart_add(mixed, body);
    g_object_unref(body);
    for (const auto& a : attachments) {
      GMimeObject* part = attachment_part(a);
      g_mime_multipart_add(mixed, part);
      g_object_unref(part);
    }
    body = GMIME_OBJECT(mixed);
  }
  g_mime_message_set_mime_part(m.p, body);
  g_object_unref(body);
  return to_string(GMIME_OBJECT(m.p));
}

/// The message with every header field of this name removed from its top-level header section
/// (the Bcc field of a delivered copy); the input unchanged when it does not parse.
[[nodiscard]] inline std::string without_header(std::string_view rfc5322, const char* name) {
  using namespace detail_mime_writer;
  detail_mime::init_gmime();
  detail_mime::gobject_ptr<GMimeStream> stream(
      g_mime_stream_mem_new_with_buffer(rfc5322.data(), rfc5322.size()));
  detail_mime::gobject_ptr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.p));
  detail_mime::gobject_ptr<GMimeMessage> msg(g_mime_parser_construct_message(parser.p, nullptr));
  if (!msg.p) return std::string(rfc5322);
  if (!g_mime_object_remove_header(GMIME_OBJECT(msg.p), name)) return std::string(rfc5322);
  while (g_mime_object_remove_header(GMIME_OBJECT(msg.p), name)) {
  }
  return to_string(GMIME_OBJECT(msg.p));
}

}  // namespace oxwire::server
