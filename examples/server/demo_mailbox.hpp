// --demo USER:PASSWORD: a user with a mailbox to sync: the eight default folders (MS-ASCMD
// 2.2.3.186.3 types), a few hundred generated e-mails (every seventh with an attachment),
// contacts, appointments (every fourth recurring weekly), tasks and notes. Deterministic.
#pragma once

#include "application_data.hpp"

#include <oxwire/gen/mapi/prop_lids.hpp>
#include <oxwire/gen/mapi/prop_tags.hpp>
#include <oxwire/server/store.hpp>

#include <array>
#include <chrono>
#include <cstdint>
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
    const auto email = [&](const char* folder, int i, bool sent) {
      auto m = bag();
      m.set(prop::PidTagMessageClass, u"IPM.Note");
      m.set(prop::PidTagSubject, u16(topics[i % 6] + " #" + std::to_string(i + 1)));
      m.set(prop::PidTagSenderName, u16(sent ? std::string(user) : person(i)));
      m.set(prop::PidTagSenderEmailAddress, u16(sent ? std::string(user) : address(i)));
      m.set(prop::PidTagDisplayTo, u16(sent ? address(i + 3) : std::string(user)));
      m.set(prop::PidTagMessageDeliveryTime, at(base - hours(i * 5)));
      m.set(prop::PidTagRead, i % 3 != 0);
      m.set(prop::PidTagImportance, i % 11 == 0 ? 2 : 1);
      m.set(prop::PidTagBody, u16("Hello,\n\nthis is message " + std::to_string(i + 1) + " about " +
                                  topics[i % 6] + ".\n\nRegards,\n" + person(i)));
      const bool attach = i % 7 == 0;
      m.set(prop::PidTagHasAttachments, attach);
      const auto id = db.add_item(u, folder, m);
      if (!attach) return;
      const std::string text = "Attachment of message " + std::to_string(i + 1) + "\n";
      auto a = bag();
      a.set(prop::PidTagAttachMethod, 1);
      a.set(prop::PidTagAttachLongFilename, u16("notes-" + std::to_string(i + 1) + ".txt"));
      a.set(prop::PidTagAttachMimeTag, u"text/plain");
      a.set(prop::PidTagAttachSize, static_cast<std::int32_t>(text.size()));
      a.set(prop::PidTagAttachDataBinary, std::vector<std::uint8_t>(text.begin(), text.end()));
      db.add_attachment(u, id, a);
    };
    for (int i = 0; i < n.inbox; ++i) email("1", i, false);
    for (int i = 0; i < n.drafts; ++i) email("2", i, true);
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
        const auto minutes =
            floor<std::chrono::minutes>(floor<days>(start) - sys_days{1601y / 1 / 1});
        (void)a.set(prop::PidLidAppointmentRecur,
                    encode_recurrence({1, 1u << wd.c_encoding(), 10,
                                       static_cast<std::uint32_t>(minutes.count())}));
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
