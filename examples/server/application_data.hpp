// Stored MAPI property bags → Sync ApplicationData (MS-ASEMAIL, MS-ASCNTC, MS-ASCAL, MS-ASTASK,
// MS-ASNOTE), and the weekly MS-OXOCAL recurrence pattern the demo calendar stores.
#pragma once

#include <oxwire/core/filetime.hpp>
#include <oxwire/core/reader.hpp>
#include <oxwire/core/utf16.hpp>
#include <oxwire/core/writer.hpp>
#include <oxwire/gen/activesync/models/sync.hpp>
#include <oxwire/gen/mapi/prop_lids.hpp>
#include <oxwire/gen/mapi/prop_tags.hpp>
#include <oxwire/mapi/property_bag.hpp>

#include <algorithm>
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

/// The MS-ASCMD Class name of an item class (airsync:Class, 2.2.3.27).
[[nodiscard]] constexpr std::string_view class_name_of(item_class c) noexcept {
  switch (c) {
    case item_class::email: return "Email";
    case item_class::contacts: return "Contacts";
    case item_class::calendar: return "Calendar";
    case item_class::tasks: return "Tasks";
    case item_class::notes: return "Notes";
  }
  return {};
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

/// What a client asked of bodies (MS-ASAIRS 2.2.2.12 BodyPreference): the stored body is plain
/// text (Type 1), sent whole or cut to TruncationSize bytes (MS-ASAIRS 2.2.2.40.2) at a UTF-8
/// character boundary; AllOrNone (MS-ASAIRS 2.2.2.4) sends no Data rather than a cut one.
struct body_options {
  std::optional<std::uint32_t> truncation_size;
  bool all_or_none = false;

  /// The preference for Type 1, else the first one (we have no other type to offer).
  [[nodiscard]] static body_options of(const std::vector<model::BodyPreference>& prefs) {
    if (prefs.empty()) return {};
    const auto it = std::find_if(prefs.begin(), prefs.end(),
                                 [](const model::BodyPreference& p) { return p.Type == 1; });
    const auto& p = it == prefs.end() ? prefs.front() : *it;
    return {p.TruncationSize, p.AllOrNone.value_or(false)};
  }
};

/// Fills an Add's or a Change's ApplicationData (the same fields, two generated structs) from a
/// stored item and its attachments' bags.
class application_data_writer {
 public:
  explicit application_data_writer(arena& a, body_options body = {}) : arena_(a), body_(body) {}

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
  /// AirSyncBase:Body (MS-ASAIRS 2.2.2.9) of type 1 (plain text) from PidTagBody, truncated as
  /// body_options says, with EstimatedDataSize the whole size (MS-ASAIRS 2.2.2.23.1).
  void body(const mapi::property_bag& bag, std::vector<model::Body>& out) {
    std::vector<std::string_view> text;
    put(bag, prop::PidTagBody, text);
    if (text.empty()) return;
    std::string_view data = text[0];
    const bool truncated = body_.truncation_size && data.size() > *body_.truncation_size;
    if (truncated) {
      std::size_t n = body_.all_or_none ? 0 : *body_.truncation_size;
      while (n > 0 && (static_cast<unsigned char>(data[n]) & 0xC0) == 0x80) --n;  // UTF-8 lead
      data = data.substr(0, n);
    }
    out.push_back({.Type = 1,
                   .EstimatedDataSize = static_cast<std::uint32_t>(text[0].size()),
                   .Truncated = truncated,
                   .Data = truncated && body_.all_or_none ? std::optional<std::string_view>{}
                                                          : std::optional(data),
                   .Preview = {},
                   .Part = {}});
  }
  /// Email:MessageClass, named apart from Notes:MessageClass only where both namespaces occur.
  template <class D>
  static auto& message_class(D& d) {
    if constexpr (requires { d.Email_MessageClass; })
      return d.Email_MessageClass;
    else
      return d.MessageClass;
  }
  /// Fields the Search response's Properties names apart (Contacts:FirstName next to
  /// GAL:FirstName; AirSyncBase:Body without an Email:Body next to it).
  template <class D>
  static auto& first_name(D& d) {
    if constexpr (requires { d.Contacts_FirstName; })
      return d.Contacts_FirstName;
    else
      return d.FirstName;
  }
  template <class D>
  static auto& last_name(D& d) {
    if constexpr (requires { d.Contacts_LastName; })
      return d.Contacts_LastName;
    else
      return d.LastName;
  }
  template <class D>
  static auto& body_of(D& d) {
    if constexpr (requires { d.AirSyncBase_Body; })
      return d.AirSyncBase_Body;
    else
      return d.Body;
  }
  template <class D>
  static auto& attachments_of(D& d) {
    if constexpr (requires { d.AirSyncBase_Attachments; })
      return d.AirSyncBase_Attachments;
    else
      return d.Attachments;
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
    put(bag, prop::PidTagMessageClass, message_class(d));
    body(bag, body_of(d));
    d.NativeBodyType.push_back(1);
    if (attachments.empty()) return;
    auto& list = attachments_of(d).emplace_back();
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
    put(bag, prop::PidTagGivenName, first_name(d));
    put(bag, prop::PidTagSurname, last_name(d));
    put(bag, prop::PidLidFileUnder, d.FileAs);
    put(bag, prop::PidLidEmail1EmailAddress, d.Email1Address);
    put(bag, prop::PidTagCompanyName, d.CompanyName);
    put(bag, prop::PidTagTitle, d.JobTitle);
    put(bag, prop::PidTagMobileTelephoneNumber, d.MobilePhoneNumber);
    put(bag, prop::PidTagBusinessTelephoneNumber, d.BusinessPhoneNumber);
    body(bag, body_of(d));
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
    body(bag, body_of(d));
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
    body(bag, body_of(d));
  }

  template <class D>
  void note(const mapi::property_bag& bag, D& d) {
    // The Fetch response's ApplicationData (SyncResponse.xsd) has no Notes elements
    if constexpr (requires { d.Notes_Subject; }) {
      put(bag, prop::PidTagSubject, d.Notes_Subject);
      put(bag, prop::PidTagMessageClass, d.Notes_MessageClass);
      if (const auto t = time(bag, prop::PidTagLastModificationTime))
        d.Notes_LastModifiedDate.push_back(arena_.keep(format_time(*t, true)));
    }
    body(bag, body_of(d));
  }

  arena& arena_;
  body_options body_;
};

// --- client changes ----------------------------------------------------------------------

/// UTF-8 as a host UTF-16 string (invalid sequences replaced).
[[nodiscard]] inline std::u16string u16_of(std::string_view utf8) {
  const auto b = oxwire::utf16::from_utf8(utf8, oxwire::utf16::policy::replace);
  std::u16string out;
  if (b)
    for (std::size_t i = 0; i + 1 < b->size(); i += 2)
      out.push_back(static_cast<char16_t>((*b)[i] | ((*b)[i + 1] << 8)));
  return out;
}

/// Stores a client's Add or Change ApplicationData (Sync request, MS-ASCMD 2.2.3.11) into a
/// bag: each element present replaces its property, the others are kept.
class application_data_reader {
 public:
  template <class D>
  static void read(item_class c, const D& d, mapi::property_bag& bag) {
    switch (c) {
      case item_class::email:
        text(d.Email_Subject, prop::PidTagSubject, bag);
        text(d.To, prop::PidTagDisplayTo, bag);
        text(d.Email_MessageClass, prop::PidTagMessageClass, bag);
        if (!d.Read.empty()) set(bag, prop::PidTagRead, bool(d.Read.back()));
        if (!d.Email_Importance.empty())
          set(bag, prop::PidTagImportance, std::int32_t{d.Email_Importance.back()});
        if (!d.DateReceived.empty())
          time(d.DateReceived.back().text, prop::PidTagMessageDeliveryTime, bag);
        break;
      case item_class::contacts:
        text(d.FirstName, prop::PidTagGivenName, bag);
        text(d.LastName, prop::PidTagSurname, bag);
        text(d.FileAs, prop::PidLidFileUnder, bag);
        text(d.Email1Address, prop::PidLidEmail1EmailAddress, bag);
        text(d.CompanyName, prop::PidTagCompanyName, bag);
        text(d.JobTitle, prop::PidTagTitle, bag);
        text(d.MobilePhoneNumber, prop::PidTagMobileTelephoneNumber, bag);
        text(d.BusinessPhoneNumber, prop::PidTagBusinessTelephoneNumber, bag);
        break;
      case item_class::calendar:
        text(d.Calendar_Subject, prop::PidTagSubject, bag);
        text(d.Calendar_Location, prop::PidLidLocation, bag);
        if (!d.StartTime.empty()) time(d.StartTime.back(), prop::PidLidAppointmentStartWhole, bag);
        if (!d.EndTime.empty()) time(d.EndTime.back(), prop::PidLidAppointmentEndWhole, bag);
        if (!d.BusyStatus.empty())
          set(bag, prop::PidLidBusyStatus, std::int32_t{d.BusyStatus.back()});
        break;
      case item_class::tasks:
        text(d.Tasks_Subject, prop::PidTagSubject, bag);
        if (!d.Complete.empty()) set(bag, prop::PidLidTaskComplete, d.Complete.back() != 0);
        if (!d.DueDate.empty()) time(d.DueDate.back().text, prop::PidLidTaskDueDate, bag);
        if (!d.StartDate.empty()) time(d.StartDate.back().text, prop::PidLidTaskStartDate, bag);
        if (!d.Tasks_Importance.empty())
          set(bag, prop::PidTagImportance, std::int32_t{d.Tasks_Importance.back()});
        break;
      case item_class::notes:
        text(d.Notes_Subject, prop::PidTagSubject, bag);
        text(d.Notes_MessageClass, prop::PidTagMessageClass, bag);
        break;
    }
    // MS-ASAIRS 2.2.2.9: the client sends its body as Body/Data
    if (!d.AirSyncBase_Body.empty() && d.AirSyncBase_Body.back().Data)
      set(bag, prop::PidTagBody, u16_of(*d.AirSyncBase_Body.back().Data));
  }

 private:
  template <class P>
  static void set(mapi::property_bag& bag, const P& p, auto v) {
    if constexpr (requires { bag.set(p, v).has_value(); })
      (void)bag.set(p, std::move(v));
    else
      bag.set(p, std::move(v));
  }
  template <class P>
  static void text(const std::vector<std::string_view>& v, const P& p, mapi::property_bag& bag) {
    if (!v.empty()) set(bag, p, u16_of(v.back()));
  }
  /// An MS-ASDTYPE 2.3 dateTime (either form) as a PtypTime; ignored if malformed.
  template <class P>
  static void time(std::string_view s, const P& p, mapi::property_bag& bag) {
    if (const auto t = model::date_time{s}.parse())
      if (const auto ft = oxwire::to_filetime(*t)) set(bag, p, mapi::filetime{*ft});
  }
};

}  // namespace oxwire_server
