// --demo USER:PASSWORD: a user with a mailbox to sync: the eight default folders (MS-ASCMD
// 2.2.3.186.3 types), a few hundred generated e-mails (every seventh with an attachment),
// contacts, appointments (every fourth recurring weekly), tasks and notes. Deterministic.
// The received and sent e-mails are generated as RFC 5322 messages of six kinds (by i % 6: plain
// text; HTML only; an RFC 2047 encoded-word subject; multipart/alternative; an ISO-8859-1 and a
// windows-1252 quoted-printable body), every seventh with a text attachment and every
// fourteenth of those (i % 14 == 7) with a forwarded message/rfc822 too; what
// oxwire::server::parse_mime makes of them is stored with the bytes themselves (original_mime).
// Drafts are stored as properties only, as a client's Sync Add makes them.
#pragma once

#include "application_data.hpp"

#include <oxwire/core/base64.hpp>
#include <oxwire/gen/mapi/prop_lids.hpp>
#include <oxwire/gen/mapi/prop_tags.hpp>
#include <oxwire/server/mime.hpp>
#include <oxwire/server/store.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace oxwire_server {

struct demo_counts {
  int inbox = 300, sent = 20, drafts = 3, deleted = 5;
  int contacts = 25, appointments = 40, tasks = 15, notes = 10;
};

namespace detail_demo {
inline std::u16string u16(const std::string& s) {
  return {s.begin(), s.end()};
}  // ASCII only
inline mapi::filetime at(std::chrono::sys_seconds t) {
  return {oxwire::to_filetime(t).value()};
}
inline mapi::property_bag bag() {
  mapi::property_bag b;
  b.names(&oxwire::server::named_properties());
  return b;
}

/// Base64 in lines of 76 characters (RFC 2045 6.8), CRLF after each.
inline std::string base64_lines(std::string_view data) {
  const auto b64 = oxwire::base64::encode(oxwire::as_bytes(data));
  std::string out;
  for (std::size_t i = 0; i < b64.size(); i += 76) out += b64.substr(i, 76) + "\r\n";
  return out;
}

/// An RFC 5322 date-time (3.3) in UTC.
inline std::string rfc5322_date(std::chrono::sys_seconds t) {
  using namespace std::chrono;
  static constexpr const char* day_names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d +0000",
                day_names[weekday{day}.c_encoding()], unsigned(ymd.day()),
                month_names[unsigned(ymd.month()) - 1], int(ymd.year()), int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()));
  return buf;
}

/// One demo e-mail's parts: who, what, when, and the kind of MIME (see the file comment).
struct demo_mail {
  std::string from_name, from, to, subject, topic, signer;
  int number = 0;  // 1-based
  std::chrono::sys_seconds date;
};

/// The body part of the demo e-mail `i` (kind i % 6), with its headers.
inline std::string body_part(const demo_mail& m, int kind) {
  const std::string n = std::to_string(m.number);
  const std::string text =
      "Hello,\n\nthis is message " + n + " about " + m.topic + ".\n\nRegards,\n" + m.signer;
  const std::string html =
      "<html><head><style>p { margin: 0 }</style></head><body>\r\n"
      "<p>Hello,</p>\r\n<p>this is message " +
      n + " about <b>" + m.topic + "</b>.</p>\r\n<p>Regards,<br>" + m.signer +
      "</p>\r\n</body></html>\r\n";
  const std::string plain_part =
      "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
      base64_lines(text);
  const std::string html_part =
      "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n" + html;
  switch (kind) {
    case 1: return html_part;
    case 3:
      return "Content-Type: multipart/alternative; boundary=\"alt-" + n + "\"\r\n\r\n--alt-" + n +
             "\r\n" + plain_part + "--alt-" + n + "\r\n" + html_part + "--alt-" + n + "--\r\n";
    case 4:  // ISO-8859-1: "Grüße" is 47 72 FC DF 65
      return "Content-Type: text/plain; charset=ISO-8859-1\r\n"
             "Content-Transfer-Encoding: quoted-printable\r\n\r\nHello,\r\n\r\nthis is message " +
             n + " about " + m.topic + ".\r\n\r\nGr=FC=DFe,\r\n" + m.signer + "\r\n";
    case 5:  // windows-1252: 0x80 the euro sign, 0x96 an en dash
      return "Content-Type: text/plain; charset=windows-1252\r\n"
             "Content-Transfer-Encoding: quoted-printable\r\n\r\nHello,\r\n\r\nthis is message " +
             n + " about " + m.topic + " =96 costs =8012.\r\n\r\nRegards,\r\n" + m.signer + "\r\n";
    default: return plain_part;
  }
}

/// The demo e-mail `i` as RFC 5322 text (CRLF line ends).
inline std::string demo_mime(const demo_mail& m, int i) {
  const std::string n = std::to_string(m.number);
  const int kind = i % 6;
  std::string out = "From: " + m.from_name + " <" + m.from + ">\r\nTo: " + m.to + "\r\n";
  // an RFC 2047 encoded word: the subject with " – Übersicht" (UTF-8) after it
  out += kind == 2 ? "Subject: =?UTF-8?B?" +
                         oxwire::base64::encode(
                             oxwire::as_bytes(m.subject + " \xE2\x80\x93 \xC3\x9C" + "bersicht")) +
                         "?=\r\n"
                   : "Subject: " + m.subject + "\r\n";
  out += "Date: " + rfc5322_date(m.date) + "\r\nMessage-ID: <demo-" + n + "." + std::to_string(i) +
         "@example.com>\r\nMIME-Version: 1.0\r\n";
  if (i % 7 != 0) return out + body_part(m, kind);
  const std::string boundary = "mixed-" + n;
  out += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n--" + boundary +
         "\r\n" + body_part(m, kind) + "--" + boundary + "\r\n" +
         "Content-Type: text/plain; charset=us-ascii\r\n"
         "Content-Disposition: attachment; filename=\"notes-" +
         n +
         ".txt\"\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\n" +
         base64_lines("Attachment of message " + n + "\n");
  if (i % 14 == 7)
    out += "--" + boundary + "\r\nContent-Type: message/rfc822\r\n\r\nFrom: " + m.from +
           "\r\nTo: " + m.to + "\r\nSubject: Earlier note " + n +
           "\r\nDate: " + rfc5322_date(m.date - std::chrono::days(1)) +
           "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
           "The earlier note.\r\n";
  return out + "--" + boundary + "--\r\n";
}
}  // namespace detail_demo

/// Creates `user` with the demo mailbox unless the user exists; true if it was created.
inline bool create_demo(oxwire::server::store& db, std::string_view user, std::string_view password,
                        const demo_counts& n = {}) {
  using namespace std::chrono;
  using namespace detail_demo;
  if (db.find_user(user)) return false;
  const std::array<std::string, 8> first{"Anna", "Ben",   "Chloe", "David",
                                         "Emma", "Farid", "Grace", "Hugo"};
  const std::array<std::string, 8> last{"Meyer",  "Okafor", "Rossi", "Schmidt",
                                        "Tanaka", "Novak",  "Silva", "Dubois"};
  const std::array<std::string, 6> topics{"Quarterly report", "Lunch on Friday?", "Project kickoff",
                                          "Invoice",          "Travel plans",     "Release notes"};
  const sys_seconds base = sys_days{2026y / 1 / 5} + 9h;
  db.transaction([&] {
    const auto u = *db.add_user(user, password);
    // ServerId, display name, Type (MS-ASCMD 2.2.3.186.3)
    const std::array<std::tuple<const char*, const char*, int>, 8> folders{
        {{"1", "Inbox", 2},
         {"2", "Drafts", 3},
         {"3", "Deleted Items", 4},
         {"4", "Sent Items", 5},
         {"5", "Tasks", 7},
         {"6", "Calendar", 8},
         {"7", "Contacts", 9},
         {"8", "Notes", 10}}};
    for (const auto& [id, name, type] : folders) {
      auto props = bag();
      props.set(prop::PidTagDisplayName, u16(name));
      db.add_folder(u, {id, "0", name, type, std::move(props)});
    }
    const auto person = [&](int i) { return first[i % 8] + " " + last[(i / 8) % 8]; };
    const auto address = [&](int i) {
      std::string a = first[i % 8] + "." + last[(i / 8) % 8] + "@example.com";
      for (auto& c : a) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return a;
    };
    // Drafts: properties only, as a client's Sync Add stores them
    const auto draft = [&](int i) {
      auto m = bag();
      m.set(prop::PidTagMessageClass, u"IPM.Note");
      m.set(prop::PidTagSubject, u16(topics[i % 6] + " #" + std::to_string(i + 1)));
      m.set(prop::PidTagSenderName, u16(std::string(user)));
      m.set(prop::PidTagSenderEmailAddress, u16(std::string(user)));
      m.set(prop::PidTagDisplayTo, u16(address(i + 3)));
      m.set(prop::PidTagMessageDeliveryTime, at(base - hours(i * 5)));
      m.set(prop::PidTagRead, i % 3 != 0);
      m.set(prop::PidTagImportance, i % 11 == 0 ? 2 : 1);
      m.set(prop::PidTagBody, u16("Hello,\n\nthis is message " + std::to_string(i + 1) + " about " +
                                  topics[i % 6] + ".\n\nRegards,\n" + std::string(user)));
      m.set(prop::PidTagHasAttachments, false);
      db.add_item(u, "2", m);
    };
    const auto email = [&](const char* folder, int i, bool sent) {
      const demo_mail d{sent ? std::string(user) : person(i),
                        sent ? std::string(user) : address(i),
                        sent ? address(i + 3) : std::string(user),
                        topics[i % 6] + " #" + std::to_string(i + 1),
                        topics[i % 6],
                        sent ? std::string(user) : person(i),
                        i + 1,
                        base - hours(i * 5)};
      const std::string text = demo_mime(d, i);
      auto parsed = oxwire::server::parse_mime(oxwire::as_bytes(text));
      if (!parsed) throw oxwire::server::store_error("demo e-mail: " + parsed.error().message());
      auto m = std::move(parsed->properties);
      m.names(&oxwire::server::named_properties());
      m.set(prop::PidTagRead, i % 3 != 0);
      m.set(prop::PidTagImportance, i % 11 == 0 ? 2 : 1);
      (void)m.set(oxwire::server::original_mime,
                  std::vector<std::uint8_t>(text.begin(), text.end()));
      const auto id = db.add_item(u, folder, m);
      for (const auto& a : parsed->attachments) db.add_attachment(u, id, a.properties);
    };
    for (int i = 0; i < n.inbox; ++i) email("1", i, false);
    for (int i = 0; i < n.drafts; ++i) draft(i);
    for (int i = 0; i < n.deleted; ++i) email("3", i + 1000, false);
    for (int i = 0; i < n.sent; ++i) email("4", i, true);
    for (int i = 0; i < n.tasks; ++i) {
      auto t = bag();
      t.set(prop::PidTagMessageClass, u"IPM.Task");
      t.set(prop::PidTagSubject, u16("Task " + std::to_string(i + 1) + ": " + topics[i % 6]));
      t.set(prop::PidTagImportance, 1);
      (void)t.set(prop::PidLidTaskStartDate, at(base + days(i)));
      (void)t.set(prop::PidLidTaskDueDate, at(base + days(i + 7)));
      (void)t.set(prop::PidLidTaskComplete, i % 4 == 0);
      db.add_item(u, "5", t);
    }
    for (int i = 0; i < n.appointments; ++i) {
      auto a = bag();
      const sys_seconds start = base + days(i) + hours(i % 8);
      a.set(prop::PidTagMessageClass, u"IPM.Appointment");
      a.set(prop::PidTagSubject, u16(topics[i % 6] + " meeting"));
      a.set(prop::PidTagLastModificationTime, at(base));
      (void)a.set(prop::PidLidAppointmentStartWhole, at(start));
      (void)a.set(prop::PidLidAppointmentEndWhole, at(start + 1h));
      (void)a.set(prop::PidLidLocation, u16("Room " + std::to_string(100 + i % 5)));
      (void)a.set(prop::PidLidBusyStatus, 2);
      const bool recurring = i % 4 == 0;
      (void)a.set(prop::PidLidRecurring, recurring);
      if (recurring) {
        const weekday wd{floor<days>(start)};
        // MS-ASCAL 2.2.2.39 Type 1: weekly on the start's weekday, ten times
        (void)a.set(prop::PidLidAppointmentRecur,
                    recurrence_blob({.Type = 1,
                                     .Until = {},
                                     .Occurrences = 10,
                                     .Interval = 1,
                                     .DayOfWeek = static_cast<std::uint8_t>(1u << wd.c_encoding()),
                                     .DayOfMonth = {},
                                     .WeekOfMonth = {},
                                     .MonthOfYear = {},
                                     .CalendarType = {},
                                     .IsLeapMonth = {},
                                     .FirstDayOfWeek = {}},
                                    start, start + 1h));
      }
      db.add_item(u, "6", a);
    }
    for (int i = 0; i < n.contacts; ++i) {
      auto c = bag();
      c.set(prop::PidTagMessageClass, u"IPM.Contact");
      c.set(prop::PidTagGivenName, u16(first[i % 8]));
      c.set(prop::PidTagSurname, u16(last[(i / 8) % 8]));
      c.set(prop::PidTagCompanyName, u16("Example Corp"));
      c.set(prop::PidTagMobileTelephoneNumber, u16("+1 555 01" + std::to_string(10 + i)));
      (void)c.set(prop::PidLidFileUnder, u16(last[(i / 8) % 8] + ", " + first[i % 8]));
      (void)c.set(prop::PidLidEmail1EmailAddress, u16(address(i)));
      db.add_item(u, "7", c);
    }
    for (int i = 0; i < n.notes; ++i) {
      auto note = bag();
      note.set(prop::PidTagMessageClass, u"IPM.StickyNote");
      note.set(prop::PidTagSubject, u16("Note " + std::to_string(i + 1)));
      note.set(prop::PidTagBody, u16("Remember: " + topics[i % 6]));
      note.set(prop::PidTagLastModificationTime, at(base + hours(i)));
      db.add_item(u, "8", note);
    }
  });
  return true;
}

}  // namespace oxwire_server
