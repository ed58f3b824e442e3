// Stored MAPI property bags → Sync ApplicationData (MS-ASEMAIL, MS-ASCNTC, MS-ASCAL, MS-ASTASK,
// MS-ASNOTE), and the weekly MS-OXOCAL recurrence pattern the demo calendar stores.
#pragma once

#include <oxwire/core/reader.hpp>
#include <oxwire/core/utf16.hpp>
#include <oxwire/core/writer.hpp>
#include <oxwire/gen/activesync/models/sync.hpp>
#include <oxwire/gen/mapi/prop_lids.hpp>
#include <oxwire/gen/mapi/prop_tags.hpp>
#include <oxwire/mapi/property_bag.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oxwire_server {

namespace mapi = oxwire::mapi;
namespace model = oxwire::activesync::model;
namespace prop = oxwire::mapi::prop;

/// The Class of a folder's items by its FolderHierarchy Type (MS-ASCMD 2.2.3.186.3).
enum class item_class { email, contacts, calendar, tasks, notes };
[[nodiscard]] constexpr item_class class_of_folder(int type) noexcept {
  switch (type) {
    case 7:
    case 15: return item_class::tasks;
    case 8:
    case 13: return item_class::calendar;
    case 9:
    case 14: return item_class::contacts;
    case 10:
    case 17: return item_class::notes;
    default: return item_class::email;
  }
}

/// Strings the response models point into: they live until the response is encoded.
class arena {
 public:
  std::string_view keep(std::string s) { return strings_.emplace_back(std::move(s)); }

 private:
  std::deque<std::string> strings_;
};

// --- MS-OXOCAL 2.2.1.44.1 RecurrencePattern, weekly, ending after a count ----------------------

/// A weekly pattern: every `period` weeks on the days of `day_mask` (bit 0 Sunday), `count`
/// times. Encodes RecurFrequency 0x200B, PatternType 0x0001, EndType 0x00002022.
struct weekly_recurrence {
  std::uint32_t period = 1;
  std::uint32_t day_mask = 0;
  std::uint32_t count = 0;
  std::uint32_t start_minutes = 0;  // StartDate: minutes since 1601 at midnight of the first day
};

[[nodiscard]] inline std::vector<std::uint8_t> encode_recurrence(const weekly_recurrence& r) {
  std::vector<std::uint8_t> out;
  oxwire::vector_writer w(out);
  const auto u16 = [&](std::uint16_t v) { (void)w.write<std::uint16_t>(v, ""); };
  const auto u32 = [&](std::uint32_t v) { (void)w.write<std::uint32_t>(v, ""); };
  u16(0x3004), u16(0x3004), u16(0x200B), u16(0x0001), u16(0x0000);  // versions, weekly, Gregorian
  u32(0), u32(r.period), u32(0), u32(r.day_mask);  // FirstDateTime, Period, SlidingFlag, days
  u32(0x00002022), u32(r.count), u32(0), u32(0), u32(0);  // EndType, count, FirstDOW, no dates
  u32(r.start_minutes), u32(0x5AE980DF);  // StartDate; EndDate: none (MS-OXOCAL 2.2.1.44.1)
  return out;
}

/// The weekly pattern of a RecurrencePattern, or nullopt for any other (or a malformed) one.
[[nodiscard]] inline std::optional<weekly_recurrence> decode_recurrence(oxwire::bytes_view b) {
  oxwire::reader in(b);
  std::uint16_t h[5];
  for (auto& v : h)
    if (auto x = in.read<std::uint16_t>("RecurrencePattern"); x)
      v = *x;
    else
      return std::nullopt;
  std::uint32_t f[10];
  for (auto& v : f)
    if (auto x = in.read<std::uint32_t>("RecurrencePattern"); x)
      v = *x;
    else
      return std::nullopt;
  if (h[0] != 0x3004 || h[2] != 0x200B || h[3] != 0x0001 || f[4] != 0x00002022 || f[7] || f[8])
    return std::nullopt;
  return weekly_recurrence{f[1], f[3], f[5], 0};
}

// --- values ------------------------------------------------------------------------------

/// MS-ASDTYPE 2.3 dateTime, long form "2009-11-12T10:20:30.000Z" or compact "20091112T102030Z".
[[nodiscard]] inline std::string format_time(mapi::filetime t, bool compact) {
  using namespace std::chrono;
  const auto tp = floor<milliseconds>(t.time_point());
  const auto day = floor<days>(tp);
  const year_month_day ymd{day};
  const hh_mm_ss hms{tp - day};
  char buf[64];
  if (compact)
    std::snprintf(buf, sizeof buf, "%04d%02u%02uT%02d%02d%02dZ", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                  int(hms.minutes().count()), int(hms.seconds().count()));
  else
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                  int(hms.minutes().count()), int(hms.seconds().count()),
                  int(hms.subseconds().count()));
  return buf;
}

/// Fills an Add's or a Change's ApplicationData (the same fields, two generated structs) from a
/// stored item and its attachments' bags.
class application_data_writer {
 public:
  explicit application_data_writer(arena& a) : arena_(a) {}

  template <class D>
  void write(item_class c, const mapi::property_bag& bag,
             const std::vector<mapi::property_bag>& attachments, std::string_view server_id, D& d) {
    switch (c) {
      case item_class::email: return email(bag, attachments, server_id, d);
      case item_class::contacts: return contact(bag, d);
      case item_class::calendar: return appointment(bag, server_id, d);
      case item_class::tasks: return task(bag, d);
      case item_class::notes: return note(bag, d);
    }
  }

 private:
  /// A string property as UTF-8 in the arena, appended to `out` if present.
  template <class P>
  void put(const mapi::property_bag& bag, const P& p, std::vector<std::string_view>& out) {
    if (const auto s = bag.get(p))
      if (auto u = oxwire::utf16::to_utf8(*s, oxwire::utf16::policy::replace))
        out.push_back(arena_.keep(std::move(*u)));
  }
  template <class P>
  std::optional<mapi::filetime> time(const mapi::property_bag& bag, const P& p) {
    if (auto t = bag.get(p)) return *t;
    return std::nullopt;
  }
  /// AirSyncBase:Body (MS-ASAIRS 2.2.2.9) of type 1 (plain text) with the whole PidTagBody.
  void body(const mapi::property_bag& bag, std::vector<model::Body>& out) {
    std::vector<std::string_view> text;
    put(bag, prop::PidTagBody, text);
    if (text.empty()) return;
    out.push_back({.Type = 1,
                   .EstimatedDataSize = static_cast<std::uint32_t>(text[0].size()),
                   .Truncated = false,
                   .Data = text[0],
                   .Preview = {},
                   .Part = {}});
  }

  template <class D>
  void email(const mapi::property_bag& bag, const std::vector<mapi::property_bag>& attachments,
             std::string_view server_id, D& d) {
    put(bag, prop::PidTagSubject, d.Email_Subject);
    std::vector<std::string_view> name, address;
    put(bag, prop::PidTagSenderName, name);
    put(bag, prop::PidTagSenderEmailAddress, address);
    if (!address.empty())
      d.From.push_back(arena_.keep("\"" + std::string(name.empty() ? address[0] : name[0]) +
                                   "\" <" + std::string(address[0]) + ">"));
    put(bag, prop::PidTagDisplayTo, d.To);
    put(bag, prop::PidTagDisplayTo, d.DisplayTo);
    if (const auto t = time(bag, prop::PidTagMessageDeliveryTime))
      d.DateReceived.push_back({arena_.keep(format_time(*t, false))});
    const auto importance = bag.get(prop::PidTagImportance);
    d.Email_Importance.push_back(static_cast<std::uint8_t>(importance ? *importance : 1));
    d.Read.push_back(bag.get(prop::PidTagRead).value_or(false));
    put(bag, prop::PidTagMessageClass, d.Email_MessageClass);
    body(bag, d.AirSyncBase_Body);
    d.NativeBodyType.push_back(1);
    if (attachments.empty()) return;
    auto& list = d.AirSyncBase_Attachments.emplace_back();
    for (std::size_t i = 0; i < attachments.size(); ++i) {
      auto& a = list.Attachment.emplace_back();
      std::vector<std::string_view> file;
      put(attachments[i], prop::PidTagAttachLongFilename, file);
      if (!file.empty()) a.DisplayName = file[0];
      // MS-ASAIRS 2.2.2.24: an opaque reference ItemOperations Fetch takes back
      a.FileReference = arena_.keep(std::string(server_id) + ":" + std::to_string(i));
      a.Method = 1;  // normal attachment
      if (const auto size = attachments[i].get(prop::PidTagAttachSize))
        a.EstimatedDataSize = static_cast<std::uint32_t>(*size);
    }
  }

  template <class D>
  void contact(const mapi::property_bag& bag, D& d) {
    put(bag, prop::PidTagGivenName, d.FirstName);
    put(bag, prop::PidTagSurname, d.LastName);
    put(bag, prop::PidLidFileUnder, d.FileAs);
    put(bag, prop::PidLidEmail1EmailAddress, d.Email1Address);
    put(bag, prop::PidTagCompanyName, d.CompanyName);
    put(bag, prop::PidTagTitle, d.JobTitle);
    put(bag, prop::PidTagMobileTelephoneNumber, d.MobilePhoneNumber);
    put(bag, prop::PidTagBusinessTelephoneNumber, d.BusinessPhoneNumber);
    body(bag, d.AirSyncBase_Body);
  }

  template <class D>
  void appointment(const mapi::property_bag& bag, std::string_view server_id, D& d) {
    put(bag, prop::PidTagSubject, d.Calendar_Subject);
    put(bag, prop::PidLidLocation, d.Calendar_Location);
    const auto start = time(bag, prop::PidLidAppointmentStartWhole);
    const auto end = time(bag, prop::PidLidAppointmentEndWhole);
    if (start) d.StartTime.push_back(arena_.keep(format_time(*start, true)));
    if (end) d.EndTime.push_back(arena_.keep(format_time(*end, true)));
    if (const auto t = time(bag, prop::PidTagLastModificationTime))
      d.DtStamp.push_back(arena_.keep(format_time(*t, true)));
    d.UID.push_back(arena_.keep("oxwire-" + std::string(server_id)));
    d.AllDayEvent.push_back(0);
    const auto busy = bag.get(prop::PidLidBusyStatus);
    d.BusyStatus.push_back(static_cast<std::uint8_t>(busy ? *busy : 2));
    d.MeetingStatus.push_back(0);
    if (bag.get(prop::PidLidRecurring).value_or(false))
      if (const auto blob = bag.get(prop::PidLidAppointmentRecur))
        if (const auto r = decode_recurrence(*blob)) {
          // MS-ASCAL 2.2.2.39: Type 1 weekly, DayOfWeek the same bit mask as MS-OXOCAL
          d.Calendar_Recurrence.push_back({.Type = 1,
                                           .Until = {},
                                           .Occurrences = static_cast<std::uint16_t>(r->count),
                                           .Interval = static_cast<std::uint16_t>(r->period),
                                           .DayOfWeek = static_cast<std::uint8_t>(r->day_mask),
                                           .DayOfMonth = {},
                                           .WeekOfMonth = {},
                                           .MonthOfYear = {},
                                           .CalendarType = {},
                                           .IsLeapMonth = {},
                                           .FirstDayOfWeek = {}});
        }
    body(bag, d.AirSyncBase_Body);
  }

  template <class D>
  void task(const mapi::property_bag& bag, D& d) {
    put(bag, prop::PidTagSubject, d.Tasks_Subject);
    d.Complete.push_back(bag.get(prop::PidLidTaskComplete).value_or(false) ? 1 : 0);
    if (const auto t = time(bag, prop::PidLidTaskDueDate)) {
      d.DueDate.push_back({arena_.keep(format_time(*t, false))});
      d.UtcDueDate.push_back({arena_.keep(format_time(*t, false))});
    }
    if (const auto t = time(bag, prop::PidLidTaskStartDate)) {
      d.StartDate.push_back({arena_.keep(format_time(*t, false))});
      d.UtcStartDate.push_back({arena_.keep(format_time(*t, false))});
    }
    const auto importance = bag.get(prop::PidTagImportance);
    d.Tasks_Importance.push_back(static_cast<std::uint8_t>(importance ? *importance : 1));
    body(bag, d.AirSyncBase_Body);
  }

  template <class D>
  void note(const mapi::property_bag& bag, D& d) {
    put(bag, prop::PidTagSubject, d.Notes_Subject);
    put(bag, prop::PidTagMessageClass, d.Notes_MessageClass);
    if (const auto t = time(bag, prop::PidTagLastModificationTime))
      d.Notes_LastModifiedDate.push_back(arena_.keep(format_time(*t, true)));
    body(bag, d.AirSyncBase_Body);
  }

  arena& arena_;
};

}  // namespace oxwire_server
