// Stored MAPI property bags → Sync ApplicationData (MS-ASEMAIL, MS-ASCNTC, MS-ASCAL, MS-ASTASK,
// MS-ASNOTE), and MS-OXOCAL recurrence BLOBs <-> MS-ASCAL Recurrence and Exceptions.
#pragma once

#include <oxwire/activesync/ashttp.hpp>
#include <oxwire/core/base64.hpp>
#include <oxwire/core/filetime.hpp>
#include <oxwire/core/hex.hpp>
#include <oxwire/core/reader.hpp>
#include <oxwire/core/utf16.hpp>
#include <oxwire/core/writer.hpp>
#include <oxwire/gen/activesync/models/sync.hpp>
#include <oxwire/gen/mapi/prop_lids.hpp>
#include <oxwire/gen/mapi/prop_tags.hpp>
#include <oxwire/mapi/property_bag.hpp>
#include <oxwire/mapi/recurrence.hpp>
#include <oxwire/rtf/best_body.hpp>
#include <oxwire/rtf/compressed.hpp>
#include <oxwire/rtf/deencapsulate.hpp>
#include <oxwire/rtf/encapsulate.hpp>
#include <oxwire/server/icalendar.hpp>
#include <oxwire/server/mime.hpp>
#include <oxwire/server/mime_writer.hpp>
#include <oxwire/server/store.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oxwire_server {

namespace as = oxwire::activesync;
namespace mapi = oxwire::mapi;
namespace model = oxwire::activesync::model;
namespace prop = oxwire::mapi::prop;

/// MS-OXCMSG 2.2.1.6 PidTagMessageFlags: the message is still being composed (a draft).
inline constexpr std::int32_t mf_unsent = 0x00000008;
/// MS-OXOCAL 2.2.4.10.1 PidTagRecipientFlags: the row is the meeting's organizer.
inline constexpr std::int32_t recip_organizer = 0x00000002;

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
  oxwire::bytes_view keep_bytes(oxwire::bytes_view b) {
    return oxwire::as_bytes(keep(std::string(oxwire::as_chars(b))));
  }

 private:
  std::deque<std::string> strings_;
};

// --- MS-OXOCAL 2.2.1.44 recurrences <-> MS-ASCAL 2.2.2.39 Recurrence, 2.2.2.20 Exception ------
// The BLOB's times are minutes since 1601 in the series' time zone; this server keeps them in UTC.

/// An MS-ASDTYPE 2.3 dateTime (either form) in recurrence minutes; nullopt if malformed.
[[nodiscard]] inline std::optional<std::uint32_t> recurrence_minutes_of(std::string_view s) {
  const auto t = model::date_time{s}.parse();
  if (!t) return std::nullopt;
  const auto m = mapi::recurrence_minutes(*t);
  return m ? std::optional(*m) : std::nullopt;
}
[[nodiscard]] inline std::optional<std::uint32_t> recurrence_minutes_of(mapi::filetime t) {
  const auto m = mapi::recurrence_minutes(t.time_point());
  return m ? std::optional(*m) : std::nullopt;
}

/// The AppointmentRecurrencePattern of an MS-ASCAL Recurrence (Type 0 daily, 1 weekly, 2 monthly,
/// 3 monthly on the nth day, 5 yearly, 6 yearly on the nth day) for a series whose first
/// instance runs [start, end) (recurrence minutes); nullopt for values MS-ASCAL does not allow.
/// MS-OXOCAL 2.2.1.44.1: EndDate of a counted series is its last instance's date and
/// OccurrenceCount of a dated one the instances until then; Hijri (CalendarType 6) uses the Hj
/// pattern types.
[[nodiscard]] inline std::optional<mapi::AppointmentRecurrencePattern> recurrence_pattern_of(
    const model::Calendar_Recurrence& r, std::uint32_t start, std::uint32_t end) {
  using namespace std::chrono;
  using mapi::pattern_type;
  using mapi::recur_frequency;
  const std::uint32_t interval = r.Interval.value_or(1);
  if (end < start || interval == 0 || interval > 999) return std::nullopt;
  mapi::AppointmentRecurrencePattern a;
  auto& p = a.RecurrencePattern;
  p.StartDate = start / mapi::minutes_per_day * mapi::minutes_per_day;
  a.StartTimeOffset = start - p.StartDate;
  a.EndTimeOffset = a.StartTimeOffset + (end - start);
  const sys_days day = floor<days>(mapi::recurrence_time(start));
  const std::uint8_t today = static_cast<std::uint8_t>(1u << weekday{day}.c_encoding());
  const auto day_of_month = static_cast<std::uint8_t>(unsigned(year_month_day{day}.day()));
  p.CalendarType = r.CalendarType.value_or(0);
  p.FirstDOW = r.FirstDayOfWeek.value_or(0);
  const bool hijri = p.CalendarType == 6;
  switch (r.Type.value_or(0)) {
    case 0:  // with DayOfWeek: every such day (MS-OXOCAL Daily with PatternType Week)
      p.RecurFrequency = recur_frequency::Daily;
      p.PatternType = r.DayOfWeek ? pattern_type::Week : pattern_type::Day;
      p.Period = r.DayOfWeek ? 1 : interval * mapi::minutes_per_day;
      p.DayMask = r.DayOfWeek.value_or(0);
      break;
    case 1:
      p.RecurFrequency = recur_frequency::Weekly, p.PatternType = pattern_type::Week;
      p.Period = interval, p.DayMask = r.DayOfWeek.value_or(today);
      break;
    case 2:
    case 5:
      p.RecurFrequency = r.Type == 2 ? recur_frequency::Monthly : recur_frequency::Yearly;
      p.PatternType = hijri ? pattern_type::HjMonth : pattern_type::Month;
      p.Period = r.Type == 2 ? interval : 12 * interval;
      p.Day = r.DayOfMonth.value_or(day_of_month);
      break;
    case 3:
    case 6:
      p.RecurFrequency = r.Type == 3 ? recur_frequency::Monthly : recur_frequency::Yearly;
      p.PatternType = hijri ? pattern_type::HjMonthNth : pattern_type::MonthNth;
      p.Period = r.Type == 3 ? interval : 12 * interval;
      p.DayMask = r.DayOfWeek.value_or(today), p.N = r.WeekOfMonth.value_or(1);
      break;
    default: return std::nullopt;
  }
  // MS-ASCAL 2.2.2.29 MonthOfYear: the month a yearly series recurs in, which MS-OXOCAL takes
  // from StartDate (FirstDateTime, 2.2.1.44.1.1): a start in another month moves StartDate to
  // the first day of the next such month
  if ((r.Type == 5 || r.Type == 6) && r.MonthOfYear && !hijri) {
    if (*r.MonthOfYear < 1 || *r.MonthOfYear > 12) return std::nullopt;
    const year_month_day ymd{day};
    const month m{*r.MonthOfYear};
    if (m != ymd.month()) {
      const auto first = sys_days{(m > ymd.month() ? ymd.year() : ymd.year() + years{1}) / m / 1};
      const auto minutes = mapi::recurrence_minutes(first);
      if (!minutes) return std::nullopt;
      p.StartDate = *minutes;
    }
  }
  p.FirstDateTime = mapi::first_date_time(p);
  if (r.Occurrences) {
    p.EndType = mapi::end_type::end_after_n_occurrences, p.OccurrenceCount = *r.Occurrences;
  } else if (r.Until) {
    const auto until = recurrence_minutes_of(*r.Until);
    if (!until) return std::nullopt;
    p.EndType = mapi::end_type::end_after_date;
    p.EndDate = *until / mapi::minutes_per_day * mapi::minutes_per_day;
  } else {
    p.OccurrenceCount = 10;  // what MS-OXOCAL writers put in a series that never ends
  }
  // the encoder and the decoder agree on what is valid: a round trip checks every field
  const auto blob = mapi::encode_appointment_recurrence(a);
  if (!blob || !mapi::decode_appointment_recurrence(*blob)) return std::nullopt;
  if (p.EndType != mapi::end_type::never_end && !hijri) {
    const auto all = mapi::expand_occurrences(
        a, p.StartDate, 0xFFFFFFFF, {.max_occurrences = 0x10000, .max_steps = 10'000'000});
    if (!all || all->empty()) return std::nullopt;
    if (p.EndType == mapi::end_type::end_after_n_occurrences)
      p.EndDate = all->back().original_start / mapi::minutes_per_day * mapi::minutes_per_day;
    else
      p.OccurrenceCount = static_cast<std::uint32_t>(all->size());
  }
  return a;
}

/// The PidLidAppointmentRecur value of an MS-ASCAL Recurrence starting [start, end), or empty:
/// `recurrence_blob({.Type = 1, ...}, start, start + 1h)`.
template <class D>
[[nodiscard]] std::vector<std::uint8_t> recurrence_blob(const model::Calendar_Recurrence& r,
                                                        std::chrono::sys_time<D> start,
                                                        std::chrono::sys_time<D> end) {
  const auto s = mapi::recurrence_minutes(start), e = mapi::recurrence_minutes(end);
  if (!s || !e) return {};
  const auto a = recurrence_pattern_of(r, *s, *e);
  if (!a) return {};
  auto blob = mapi::encode_appointment_recurrence(*a);
  return blob ? std::move(*blob) : std::vector<std::uint8_t>{};
}

/// One occurrence's change: an MS-ASCAL 2.2.2.20 Exception, or a 16.x Sync Change with
/// InstanceId (MS-ASAIRS 2.2.2.25). `original` is the instance's start as the pattern puts it.
struct instance_edit {
  std::uint32_t original = 0;
  bool deleted = false;
  std::optional<std::u16string> subject{}, location{};
  std::optional<std::uint32_t> start{}, end{}, busy_status{};
  std::optional<bool> all_day{};
  bool body = false;
};

/// Applies an edit to a series: a deleted instance is a DeletedInstanceDates entry; a changed
/// one also a ModifiedInstanceDates entry with an ExceptionInfo and an ExtendedException
/// (MS-OXOCAL 2.2.1.44.2, 2.2.1.44.3), exceptions kept in start order with their dates.
inline void apply_instance_edit(mapi::AppointmentRecurrencePattern& a, const instance_edit& e) {
  namespace f = mapi::override_flag;
  auto& p = a.RecurrencePattern;
  const std::uint32_t date = e.original / mapi::minutes_per_day * mapi::minutes_per_day;
  auto& del = p.DeletedInstanceDates;
  if (const auto at = std::lower_bound(del.begin(), del.end(), date);
      at == del.end() || *at != date)
    del.insert(at, date);
  auto it =
      std::find_if(a.ExceptionInfo.begin(), a.ExceptionInfo.end(),
                   [&](const mapi::ExceptionInfo& x) { return x.OriginalStartDate == e.original; });
  auto i = static_cast<std::size_t>(it - a.ExceptionInfo.begin());
  if (e.deleted) {
    if (it != a.ExceptionInfo.end()) {
      a.ExceptionInfo.erase(it);
      a.ExtendedException.erase(a.ExtendedException.begin() + static_cast<std::ptrdiff_t>(i));
    }
  } else {
    if (it == a.ExceptionInfo.end()) {
      const std::uint32_t length = a.EndTimeOffset - a.StartTimeOffset;
      a.ExceptionInfo.push_back({});
      a.ExceptionInfo.back().StartDateTime = e.original;
      a.ExceptionInfo.back().EndDateTime = e.original + length;
      a.ExceptionInfo.back().OriginalStartDate = e.original;
      a.ExtendedException.emplace_back();
    }
    auto& x = a.ExceptionInfo[i];
    auto& w = a.ExtendedException[i];
    // ExceptionInfo strings are 8-bit; the ExtendedException keeps them whole
    const auto narrow = [](const std::u16string& s) {
      std::string out;
      for (const char16_t c : s) out.push_back(c < 0x80 ? static_cast<char>(c) : '?');
      return out;
    };
    x.StartDateTime = e.start.value_or(x.StartDateTime);
    x.EndDateTime = std::max(e.end.value_or(x.EndDateTime), x.StartDateTime);
    if (e.subject)
      x.OverrideFlags |= f::ARO_SUBJECT, x.Subject = narrow(*e.subject),
                                         w.WideCharSubject = *e.subject;
    if (e.location)
      x.OverrideFlags |= f::ARO_LOCATION, x.Location = narrow(*e.location),
                                          w.WideCharLocation = *e.location;
    if (e.busy_status) x.OverrideFlags |= f::ARO_BUSYSTATUS, x.BusyStatus = *e.busy_status;
    if (e.all_day) x.OverrideFlags |= f::ARO_SUBTYPE, x.SubType = *e.all_day;
    if (e.body) x.OverrideFlags |= f::ARO_EXCEPTIONAL_BODY;
    w.StartDateTime = x.StartDateTime, w.EndDateTime = x.EndDateTime;
    w.OriginalStartDate = x.OriginalStartDate;
  }
  std::vector<std::size_t> order(a.ExceptionInfo.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](std::size_t l, std::size_t r) {
    return a.ExceptionInfo[l].StartDateTime < a.ExceptionInfo[r].StartDateTime;
  });
  std::vector<mapi::ExceptionInfo> info;
  std::vector<mapi::ExtendedException> extended;
  p.ModifiedInstanceDates.clear();
  for (const std::size_t k : order) {
    info.push_back(std::move(a.ExceptionInfo[k]));
    extended.push_back(std::move(a.ExtendedException[k]));
    p.ModifiedInstanceDates.push_back(info.back().StartDateTime / mapi::minutes_per_day *
                                      mapi::minutes_per_day);
  }
  a.ExceptionInfo = std::move(info);
  a.ExtendedException = std::move(extended);
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

/// A string property as UTF-8 ("" when absent; unpaired surrogates replaced).
template <class P>
[[nodiscard]] std::string utf8_of(const mapi::property_bag& bag, const P& p) {
  if (const auto s = bag.get(p))
    if (auto u = oxwire::utf16::to_utf8(*s, oxwire::utf16::policy::replace)) return std::move(*u);
  return {};
}

// --- meetings: iCalendar UIDs and rules <-> MS-OXOCAL ------------------------------------------

/// MS-OXOCAL 2.2.1.27 Byte Array ID: what makes a BLOB a Global Object ID.
inline constexpr std::array<std::uint8_t, 16> global_object_id_prefix{
    0x04, 0x00, 0x00, 0x00, 0x82, 0x00, 0xE0, 0x00, 0x74, 0xC5, 0xB7, 0x10, 0x1A, 0x82, 0xE0, 0x08};
/// MS-OXCICAL 2.1.3.1.1.20.26: the Data of an id that carries a UID not made by Outlook.
inline constexpr std::string_view vcal_uid("vCal-Uid\x01\x00\x00\x00", 12);

/// PidLidGlobalObjectId of an iCalendar UID (MS-OXCICAL 2.1.3.1.1.20.26): the UID's bytes when it
/// is a Global Object ID in hex, else an id of the whole series (no instance date) whose Data is
/// "vCal-Uid", 1 and the UID with a NUL.
[[nodiscard]] inline std::vector<std::uint8_t> global_object_id(std::string_view uid,
                                                                mapi::filetime created) {
  if (auto bytes = oxwire::hex::decode(uid);
      bytes && bytes->size() >= 40 &&
      std::equal(global_object_id_prefix.begin(), global_object_id_prefix.end(), bytes->begin()))
    return std::move(*bytes);
  std::vector<std::uint8_t> out(global_object_id_prefix.begin(), global_object_id_prefix.end());
  oxwire::vector_writer w(out);
  const std::uint32_t size = static_cast<std::uint32_t>(vcal_uid.size() + uid.size() + 1);
  (void)w.write<std::uint32_t>(0);  // YH YL M D: the whole series
  (void)w.write<std::uint64_t>(created.value);
  (void)w.write<std::uint64_t>(0);  // X
  (void)w.write<std::uint32_t>(size);
  (void)w.write_bytes(oxwire::as_bytes(vcal_uid));
  (void)w.write_bytes(oxwire::as_bytes(uid));
  (void)w.write<std::uint8_t>(0);
  return out;
}

/// The PidLidGlobalObjectId of one instance of the series `id` names (MS-OXOCAL 2.2.1.27: its
/// date in YH, YL, M, D).
[[nodiscard]] inline std::vector<std::uint8_t> instance_object_id(std::vector<std::uint8_t> id,
                                                                  std::chrono::year_month_day d) {
  const auto y = static_cast<unsigned>(static_cast<int>(d.year()));
  id[16] = static_cast<std::uint8_t>(y >> 8), id[17] = static_cast<std::uint8_t>(y);
  id[18] = static_cast<std::uint8_t>(static_cast<unsigned>(d.month()));
  id[19] = static_cast<std::uint8_t>(static_cast<unsigned>(d.day()));
  return id;
}

/// The iCalendar UID of a PidLidGlobalObjectId: the one a "vCal-Uid" id carries, else the id in
/// upper-case hex (MS-OXCICAL 2.1.3.1.1.20.26 both ways).
[[nodiscard]] inline std::string uid_of(oxwire::bytes_view id) {
  constexpr std::size_t data_at = 40;  // 16 + 4 + 8 + 8 + 4
  if (id.size() > data_at + vcal_uid.size()) {
    const auto data = oxwire::as_chars(id.subspan(data_at));
    if (data.starts_with(vcal_uid)) {
      auto uid = data.substr(vcal_uid.size());
      if (!uid.empty() && uid.back() == '\0') uid.remove_suffix(1);
      return std::string(uid);
    }
  }
  return oxwire::hex::encode(id, true);
}

/// The MS-ASCAL 2.2.2.39 Recurrence of an iCalendar rule (RFC 5545 RRULE) for a series that
/// starts at `start`: days, weeks, months on a day or the n-th weekday, years likewise; UNTIL as
/// a compact dateTime kept in `until`.
[[nodiscard]] inline model::Calendar_Recurrence recurrence_of(
    const oxwire::server::recurrence_rule& rule, std::chrono::sys_seconds start,
    std::string& until) {
  using f = oxwire::server::recurrence_rule::frequency;
  const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(start)};
  const auto weekday = static_cast<std::uint8_t>(
      1u << std::chrono::weekday{std::chrono::floor<std::chrono::days>(start)}.c_encoding());
  model::Calendar_Recurrence r{};
  r.Interval = static_cast<std::uint16_t>(std::min<std::uint32_t>(rule.interval, 999));
  const auto nth = [&] {
    r.DayOfWeek = rule.days ? rule.days : weekday;
    r.WeekOfMonth = static_cast<std::uint8_t>(rule.position < 0 ? 5 : rule.position);
  };
  switch (rule.freq) {
    case f::daily:
      r.Type = 0;
      if (rule.days) r.DayOfWeek = rule.days, r.Interval = 1;  // every such day
      break;
    case f::weekly: r.Type = 1, r.DayOfWeek = rule.days ? rule.days : weekday; break;
    case f::monthly:
      r.Type = rule.position ? 3 : 2;
      if (rule.position)
        nth();
      else
        r.DayOfMonth = static_cast<std::uint8_t>(rule.month_day.value_or(unsigned(day.day())));
      break;
    case f::yearly:
      r.Type = rule.position ? 6 : 5;
      r.MonthOfYear = static_cast<std::uint8_t>(rule.month.value_or(unsigned(day.month())));
      if (rule.position)
        nth();
      else
        r.DayOfMonth = static_cast<std::uint8_t>(rule.month_day.value_or(unsigned(day.day())));
      break;
  }
  if (rule.count)
    r.Occurrences = static_cast<std::uint16_t>(std::min<std::uint32_t>(*rule.count, 999));
  if (rule.until)
    if (const auto ft = oxwire::to_filetime(*rule.until)) {
      until = format_time(mapi::filetime{*ft}, true);
      r.Until = until;
    }
  return r;
}

/// What a client asked of bodies: its BodyPreferences in request order (MS-ASAIRS 2.2.2.12),
/// MIMESupport (MS-ASCMD 2.2.3.110: 0 never, 1 S/MIME only, 2 all) and the Sync MIMETruncation
/// (MS-ASCMD 2.2.3.111) that limits a Type 4 body without a TruncationSize of its own.
struct body_options {
  std::vector<model::BodyPreference> preferences;
  std::uint8_t mime_support = 0;
  std::optional<std::uint32_t> mime_truncation;

  /// The body settings of a Sync, ItemOperations Fetch or Search Options element.
  template <class Options>
  [[nodiscard]] static body_options of(const Options& o) {
    body_options b{o.BodyPreference, 0, std::nullopt};
    if constexpr (requires { o.MIMESupport.value_or(0); })
      b.mime_support = o.MIMESupport.value_or(0);
    else if (!o.MIMESupport.empty())
      b.mime_support = static_cast<std::uint8_t>(o.MIMESupport.back());
    if constexpr (requires { o.MIMETruncation; })
      if (!o.MIMETruncation.empty()) {
        // MS-ASCMD 2.2.3.111: 0 all body text, 1..7 these many characters, 8 no truncation
        static constexpr std::uint32_t sizes[] = {0, 4096, 5120, 7168, 10240, 20480, 51200, 102400};
        if (const auto v = o.MIMETruncation.back(); v < 8) b.mime_truncation = sizes[v];
      }
    return b;
  }
};

/// A body of one type: the whole text, what is sent of it, and whether that is all of it.
struct body_text {
  std::uint8_t type = 1;
  std::string_view whole;
  std::optional<std::string_view> data;  // nullopt: AllOrNone and too long (MS-ASAIRS 2.2.2.3.2)
  bool truncated = false;
};

/// Fills an Add's or a Change's ApplicationData (the same fields, two generated structs) from a
/// stored item and its attachments' bags.
class application_data_writer {
 public:
  /// `version`: the request's protocol version, where an element's value depends on it.
  explicit application_data_writer(arena& a, body_options body = {},
                                   as::protocol_version version = as::protocol_version::v16_1)
      : arena_(a), body_(body), version_(version) {}

  /// `recipients`: the item's recipient rows (store.hpp), the To/Cc/Bcc of a draft.
  template <class D>
  void write(item_class c, const mapi::property_bag& bag,
             const std::vector<mapi::property_bag>& attachments, std::string_view server_id, D& d,
             const std::vector<mapi::property_bag>& recipients = {}) {
    switch (c) {
      case item_class::email: return email(bag, attachments, server_id, d, recipients);
      case item_class::contacts: return contact(bag, d);
      case item_class::calendar: return appointment(bag, server_id, d, recipients);
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
  /// MS-ASAIRS 2.2.2.31 NativeBodyType (1 plain, 2 HTML, 3 RTF) from the MS-OXBBODY best body.
  [[nodiscard]] static std::uint8_t native_body_type(const mapi::property_bag& bag) {
    using oxwire::rtf::body_format;
    const auto best = oxwire::rtf::best_body(
        {.PidTagBody = bag.get(prop::PidTagBody).has_value(),
         .PidTagRtfCompressed = bag.get(prop::PidTagRtfCompressed).has_value(),
         .PidTagHtml = bag.get(prop::PidTagHtml).has_value(),
         .PidTagRtfInSync = bag.get(prop::PidTagRtfInSync),
         .PidTagNativeBody = bag.get(prop::PidTagNativeBody)});
    return best == body_format::html ? 2 : best == body_format::rtf ? 3 : 1;
  }
  /// S/MIME message classes (MS-OXOSMIME: IPM.Note.SMIME, IPM.Note.SMIME.MultipartSigned).
  [[nodiscard]] static bool is_smime(const mapi::property_bag& bag) {
    const auto c = bag.get(prop::PidTagMessageClass);
    constexpr std::u16string_view smime = u"ipm.note.smime";
    if (!c || c->size() < smime.size()) return false;
    for (std::size_t i = 0; i < smime.size(); ++i)
      if (((*c)[i] < 0x80 ? std::tolower((*c)[i]) : (*c)[i]) != smime[i]) return false;
    return true;
  }
  /// The whole text of a body Type (MS-ASAIRS 2.2.2.41.1): 1 plain (PidTagBody, else text of
  /// PidTagHtml), 2 HTML (PidTagHtml, else HTML of PidTagBody), 3 RTF as base64 (MS-ASAIRS
  /// 2.2.2.20.1) of the compressed RTF (PidTagRtfCompressed, else the plain text encapsulated,
  /// MS-OXRTFEX, and compressed, MS-OXRTFCP), 4 MIME of an e-mail (the bytes it arrived as, else
  /// composed from its properties); nullopt when there is none.
  std::optional<std::string_view> body_text_of(std::uint8_t type, const mapi::property_bag& bag,
                                               const std::vector<mapi::property_bag>* attachments) {
    std::vector<std::string_view> plain;
    if (type == 1 || type == 2) put(bag, prop::PidTagBody, plain);
    const auto html = bag.get(prop::PidTagHtml);
    switch (type) {
      case 1:
        if (!plain.empty()) return plain[0];
        if (html) return arena_.keep(oxwire::server::html_to_text(oxwire::as_chars(*html)));
        return std::nullopt;
      case 2:
        if (html) return arena_.keep(std::string(oxwire::as_chars(*html)));
        if (!plain.empty()) return arena_.keep(oxwire::server::text_to_html(plain[0]));
        return std::nullopt;
      case 3: {
        if (const auto rtf = bag.get(prop::PidTagRtfCompressed))
          return arena_.keep(oxwire::base64::encode(*rtf));
        const auto plain = body_text_of(1, bag, attachments);
        if (!plain) return std::nullopt;
        const auto packed =
            oxwire::rtf::compress(oxwire::as_bytes(oxwire::rtf::encapsulate_text(*plain)));
        if (!packed) return std::nullopt;
        return arena_.keep(oxwire::base64::encode(*packed));
      }
      case 4:
        if (!attachments) return std::nullopt;
        if (const auto m = bag.get(oxwire::server::original_mime))
          return arena_.keep(std::string(oxwire::as_chars(*m)));
        return arena_.keep(oxwire::server::compose_mime(bag, *attachments));
      default: return std::nullopt;
    }
  }
  /// A body cut to the preference's TruncationSize (MS-ASAIRS 2.2.2.40.2; a Type 4 body without
  /// one to the Sync MIMETruncation) at a UTF-8 character boundary; with AllOrNone (MS-ASAIRS
  /// 2.2.2.3.2, ignored without a TruncationSize) no Data rather than a cut one.
  [[nodiscard]] body_text cut(const model::BodyPreference& p, std::string_view whole) const {
    auto limit = p.TruncationSize;
    if (!limit && p.Type == 4) limit = body_.mime_truncation;
    body_text t{p.Type, whole, whole, false};
    if (!limit || whole.size() <= *limit) return t;
    t.truncated = true;
    // part of a base64 compressed RTF is no RTF: Type 3 is all or none
    if (p.TruncationSize && (p.AllOrNone.value_or(false) || p.Type == 3))
      return {p.Type, whole, std::nullopt, true};
    std::size_t n = *limit;
    while (n > 0 && (static_cast<unsigned char>(whole[n]) & 0xC0) == 0x80) --n;  // UTF-8 lead
    t.data = whole.substr(0, n);
    return t;
  }
  /// MS-ASAIRS 2.2.2.35.1 Preview: the first `n` characters of the plain text, white space runs
  /// as one space.
  std::string_view preview_of(std::string_view text, std::size_t n) {
    std::string out;
    std::size_t chars = 0;
    bool space = false;
    for (const char ch : text) {
      const auto c = static_cast<unsigned char>(ch);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        space = !out.empty();
        continue;
      }
      if ((c & 0xC0) != 0x80) {  // a character starts: room for it (and the space before)?
        if (chars + (space ? 2 : 1) > n) break;
        if (space) out += ' ', ++chars;
        space = false;
        ++chars;
      }
      out += ch;
    }
    return arena_.keep(std::move(out));
  }
  /// AirSyncBase:Body (MS-ASAIRS 2.2.2.9) as the BodyPreferences ask (MS-ASAIRS 2.2.2.12): of the
  /// types requested that the server gives (1, 2, 3; 4 for e-mail as MIMESupport allows),
  /// MIME when the client takes it, else the item's native type, else the first requested; with
  /// AllOrNone and a body over TruncationSize, the other preference that gives the most body
  /// text (MS-ASAIRS 2.2.2.3.2). No BodyPreference: plain text, whole; none of a type given:
  /// the native type with the first preference's limits. EstimatedDataSize is the whole size
  /// (MS-ASAIRS 2.2.2.23.1).
  void body(const mapi::property_bag& bag, std::vector<model::Body>& out,
            const std::vector<mapi::property_bag>* attachments = nullptr) {
    std::array<std::optional<std::optional<std::string_view>>, 5> cache;
    const auto text = [&](std::uint8_t t) -> std::optional<std::string_view> {
      if (t >= cache.size()) return std::nullopt;
      if (!cache[t]) cache[t] = body_text_of(t, bag, attachments);
      return *cache[t];
    };
    // MS-ASCMD 2.2.3.110: MIME for all messages (2) or for S/MIME ones only (1)
    const bool mime =
        attachments && (body_.mime_support == 2 || (body_.mime_support == 1 && is_smime(bag)));
    const std::uint8_t native = native_body_type(bag);
    std::vector<model::BodyPreference> offered;
    for (const auto& p : body_.preferences)
      if ((p.Type == 1 || p.Type == 2 || p.Type == 3 || (p.Type == 4 && mime)) && text(p.Type))
        offered.push_back(p);
    if (offered.empty()) {  // nothing asked: plain text; nothing given of what was: native
      auto p = body_.preferences.empty() ? model::BodyPreference{} : body_.preferences.front();
      p.Type = body_.preferences.empty() ? 1 : native;
      if (!text(p.Type)) return;
      offered.push_back(p);
    }
    const auto of_type = [&](std::uint8_t t) {
      return std::find_if(offered.begin(), offered.end(),
                          [&](const auto& p) { return p.Type == t; });
    };
    auto first = of_type(4);
    if (first == offered.end()) first = of_type(native);
    if (first == offered.end()) first = offered.begin();
    auto chosen = cut(*first, *text(first->Type));
    auto preference = *first;
    if (!chosen.data)
      for (const auto& p : offered) {
        auto other = cut(p, *text(p.Type));
        if (other.data && other.data->size() > chosen.data.value_or("").size())
          chosen = other, preference = p;
      }
    auto& b = out.emplace_back();
    b.Type = chosen.type;
    b.EstimatedDataSize = static_cast<std::uint32_t>(chosen.whole.size());
    b.Truncated = chosen.truncated;
    b.Data = chosen.data;
    // MS-ASAIRS 2.2.2.35.1: no Preview next to plain text Data
    if (preference.Preview && *preference.Preview > 0 && !(chosen.type == 1 && chosen.data))
      if (const auto plain = text(1)) b.Preview = preview_of(*plain, *preference.Preview);
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

  /// MS-ASEMAIL To, Cc and email2:Bcc: the rows of one PidTagRecipientType as
  /// "Name" <address>, comma-separated; empty if none.
  std::string address_list(const std::vector<mapi::property_bag>& rows, std::int32_t type) {
    std::string out;
    for (const auto& r : rows) {
      if (r.get(prop::PidTagRecipientType).value_or(0) != type) continue;
      std::vector<std::string_view> name, address;
      put(r, prop::PidTagDisplayName, name);
      put(r, prop::PidTagSmtpAddress, address);
      if (address.empty()) continue;
      (out += out.empty() ? "" : ", ") += "\"" + std::string(name.empty() ? address[0] : name[0]) +
                                          "\" <" + std::string(address[0]) + ">";
    }
    return out;
  }

  template <class D>
  void email(const mapi::property_bag& bag, const std::vector<mapi::property_bag>& attachments,
             std::string_view server_id, D& d, const std::vector<mapi::property_bag>& recipients) {
    put(bag, prop::PidTagSubject, d.Email_Subject);
    std::vector<std::string_view> name, address;
    put(bag, prop::PidTagSenderName, name);
    put(bag, prop::PidTagSenderEmailAddress, address);
    if (!address.empty())
      d.From.push_back(arena_.keep("\"" + std::string(name.empty() ? address[0] : name[0]) +
                                   "\" <" + std::string(address[0]) + ">"));
    if (recipients.empty()) {
      put(bag, prop::PidTagDisplayTo, d.To);
    } else {
      if (auto to = address_list(recipients, 1); !to.empty()) d.To.push_back(arena_.keep(to));
      if constexpr (requires { d.Cc; })
        if (auto cc = address_list(recipients, 2); !cc.empty()) d.Cc.push_back(arena_.keep(cc));
      if constexpr (requires { d.Bcc; })  // MS-ASEMAIL email2:Bcc: of drafts only
        if ((bag.get(prop::PidTagMessageFlags).value_or(0) & mf_unsent) != 0)
          if (auto bcc = address_list(recipients, 3); !bcc.empty())
            d.Bcc.push_back(arena_.keep(bcc));
    }
    put(bag, prop::PidTagDisplayTo, d.DisplayTo);
    if constexpr (requires { d.IsDraft; }) {
      // MS-ASEMAIL 2.2.2.42: set by the server, from MS-OXCMSG 2.2.1.6 mfUnsent
      if (const auto flags = bag.get(prop::PidTagMessageFlags))
        d.IsDraft.push_back((*flags & mf_unsent) != 0);
    }
    if constexpr (requires { d.ConversationId; }) {
      // MS-ASEMAIL email2:ConversationId and email2:ConversationIndex
      if (const auto id = bag.get(prop::PidTagConversationId))
        d.ConversationId.push_back({arena_.keep_bytes(*id)});
      if (const auto index = bag.get(prop::PidTagConversationIndex))
        d.ConversationIndex.push_back({arena_.keep_bytes(*index)});
    }
    if (const auto t = time(bag, prop::PidTagMessageDeliveryTime))
      d.DateReceived.push_back({arena_.keep(format_time(*t, false))});
    const auto importance = bag.get(prop::PidTagImportance);
    d.Email_Importance.push_back(static_cast<std::uint8_t>(importance ? *importance : 1));
    d.Read.push_back(bag.get(prop::PidTagRead).value_or(false));
    put(bag, prop::PidTagMessageClass, message_class(d));
    if constexpr (requires { d.MeetingRequest; })
      if (const auto cls = utf8_of(bag, prop::PidTagMessageClass);
          cls.starts_with("IPM.Schedule.Meeting.Request") ||
          cls.starts_with("IPM.Schedule.Meeting.Canceled"))  // (not the responses, .Resp.*)
        meeting_request(bag, d.MeetingRequest.emplace_back());
    body(bag, body_of(d), &attachments);
    d.NativeBodyType.push_back(native_body_type(bag));
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
  void appointment(const mapi::property_bag& bag, std::string_view server_id, D& d,
                   const std::vector<mapi::property_bag>& recipients) {
    put(bag, prop::PidTagSubject, d.Calendar_Subject);
    put(bag, prop::PidLidLocation, d.Calendar_Location);
    const auto start = time(bag, prop::PidLidAppointmentStartWhole);
    const auto end = time(bag, prop::PidLidAppointmentEndWhole);
    if (start) d.StartTime.push_back(arena_.keep(format_time(*start, true)));
    if (end) d.EndTime.push_back(arena_.keep(format_time(*end, true)));
    if (const auto t = time(bag, prop::PidTagLastModificationTime))
      d.DtStamp.push_back(arena_.keep(format_time(*t, true)));
    // a meeting keeps the iCalendar UID of its PidLidGlobalObjectId (MS-ASCAL 2.2.2.46)
    const auto meeting_id = bag.get(prop::PidLidGlobalObjectId);
    d.UID.push_back(
        arena_.keep(meeting_id ? uid_of(*meeting_id) : "oxwire-" + std::string(server_id)));
    d.AllDayEvent.push_back(bag.get(prop::PidLidAppointmentSubType).value_or(false) ? 1 : 0);
    const auto busy = bag.get(prop::PidLidBusyStatus);
    d.BusyStatus.push_back(static_cast<std::uint8_t>(busy ? *busy : 2));
    // MS-ASCAL 2.2.2.28: 0 appointment, 1 meeting, 3 received, 5 and 7 the same canceled; the
    // values of PidLidAppointmentStateFlags (MS-OXOCAL 2.2.1.10)
    d.MeetingStatus.push_back(
        static_cast<std::uint8_t>(bag.get(prop::PidLidAppointmentStateFlags).value_or(0) & 7));
    if (bag.get(prop::PidLidRecurring).value_or(false))
      if (const auto blob = bag.get(prop::PidLidAppointmentRecur))
        if (const auto a = mapi::decode_appointment_recurrence(*blob)) recurrence(*a, d);
    attendees(recipients, d);
    body(bag, body_of(d));
  }

  /// MS-ASCAL 2.2.2.4 Attendees from a meeting's recipient rows (MS-OXOCAL 2.2.4.10), the
  /// organizer's row (recipOrganizer) aside: AttendeeType (2.2.2.6) 1 required, 2 optional, 3
  /// resource as PidTagRecipientType 1, 2, 3; AttendeeStatus (2.2.2.5) as
  /// PidTagRecipientTrackStatus (MS-OXOCAL 2.2.4.10.2), the same values.
  template <class D>
  void attendees(const std::vector<mapi::property_bag>& recipients, D& d) {
    model::Attendees list;
    for (const auto& r : recipients) {
      if (r.get(prop::PidTagRecipientFlags).value_or(0) & recip_organizer) continue;
      auto email = utf8_of(r, prop::PidTagSmtpAddress);
      if (email.empty()) email = utf8_of(r, prop::PidTagEmailAddress);
      if (email.empty()) continue;  // Email is required
      auto name = utf8_of(r, prop::PidTagDisplayName);
      auto& a = list.Attendee.emplace_back();
      a.Email = arena_.keep(email);
      a.Name = arena_.keep(name.empty() ? email : name);
      const auto type = r.get(prop::PidTagRecipientType).value_or(1);
      a.AttendeeType = static_cast<std::uint8_t>(type >= 1 && type <= 3 ? type : 1);
      const auto status = r.get(prop::PidTagRecipientTrackStatus).value_or(0);
      a.AttendeeStatus = static_cast<std::uint8_t>(status >= 2 && status <= 5 ? status : 0);
    }
    if (!list.Attendee.empty()) d.Attendees.push_back(std::move(list));
  }

  /// A recurrence time as an MS-ASDTYPE compact dateTime in the arena.
  std::string_view compact_time(std::uint32_t minutes) {
    const auto ft = oxwire::to_filetime(mapi::recurrence_time(minutes));
    return arena_.keep(format_time(mapi::filetime{ft ? *ft : 0}, true));
  }

  /// MS-ASCAL 2.2.2.39 Recurrence of a stored series.
  model::Calendar_Recurrence recurrence_model(const mapi::AppointmentRecurrencePattern& a) {
    using mapi::pattern_type;
    const auto& p = a.RecurrencePattern;
    model::Calendar_Recurrence r{};
    const bool yearly = p.RecurFrequency == mapi::recur_frequency::Yearly;
    switch (p.PatternType) {
      case pattern_type::Day:
        r.Type = 0, r.Interval = static_cast<std::uint16_t>(p.Period / mapi::minutes_per_day);
        break;
      case pattern_type::Week:
        r.Type = p.RecurFrequency == mapi::recur_frequency::Daily ? 0 : 1;
        r.Interval = static_cast<std::uint16_t>(p.Period);
        r.DayOfWeek = static_cast<std::uint8_t>(p.DayMask);
        break;
      case pattern_type::Month:
      case pattern_type::HjMonth:
      case pattern_type::MonthEnd:  // Day 31: the last day of every month
      case pattern_type::HjMonthEnd:
        r.Type = yearly ? 5 : 2;
        r.DayOfMonth = static_cast<std::uint8_t>(p.Day);
        break;
      case pattern_type::MonthNth:
      case pattern_type::HjMonthNth:
        r.Type = yearly ? 6 : 3;
        r.DayOfWeek = static_cast<std::uint8_t>(p.DayMask);
        r.WeekOfMonth = static_cast<std::uint8_t>(p.N);
        break;
    }
    if (p.PatternType >= pattern_type::Month) {
      r.Interval = static_cast<std::uint16_t>(yearly ? p.Period / 12 : p.Period);
      if (yearly)
        r.MonthOfYear = static_cast<std::uint8_t>(unsigned(std::chrono::year_month_day{
            std::chrono::floor<std::chrono::days>(mapi::recurrence_time(p.StartDate))}
                                                               .month()));
    }
    if (p.EndType == mapi::end_type::end_after_n_occurrences)
      r.Occurrences = static_cast<std::uint16_t>(p.OccurrenceCount);
    else if (p.EndType == mapi::end_type::end_after_date)
      r.Until = compact_time(p.EndDate + a.StartTimeOffset);
    // 14.0+ elements only where they say more than their defaults (Gregorian, Sunday)
    if (p.CalendarType) r.CalendarType = static_cast<std::uint8_t>(p.CalendarType);
    if (p.FirstDOW) r.FirstDayOfWeek = static_cast<std::uint8_t>(p.FirstDOW);
    return r;
  }

  /// MS-ASCAL 2.2.2.39 Recurrence and 2.2.2.19 Exceptions of a stored series: the deleted
  /// instances (Deleted 1) and the modified ones with their changed fields, each named by its
  /// original start as ExceptionStartTime (up to 14.1) and InstanceId (16.x).
  template <class D>
  void recurrence(const mapi::AppointmentRecurrencePattern& a, D& d) {
    namespace f = mapi::override_flag;
    const auto& p = a.RecurrencePattern;
    d.Calendar_Recurrence.push_back(recurrence_model(a));
    if constexpr (requires { d.Exceptions; }) {
      model::Exceptions list;
      for (const std::uint32_t date : p.DeletedInstanceDates) {
        if (list.Exception.size() == 1000) break;  // MS-ASCAL 2.2.2.19: at most 1000
        auto& x = list.Exception.emplace_back();
        const auto it = std::find_if(
            a.ExceptionInfo.begin(), a.ExceptionInfo.end(), [&](const mapi::ExceptionInfo& e) {
              return e.OriginalStartDate / mapi::minutes_per_day * mapi::minutes_per_day == date;
            });
        const std::uint32_t original =
            it == a.ExceptionInfo.end() ? date + a.StartTimeOffset : it->OriginalStartDate;
        x.ExceptionStartTime = x.InstanceId = compact_time(original);
        if (it == a.ExceptionInfo.end()) {
          x.Deleted = 1;
          continue;
        }
        const auto& w = a.ExtendedException[static_cast<std::size_t>(it - a.ExceptionInfo.begin())];
        x.StartTime = compact_time(it->StartDateTime);
        x.EndTime = compact_time(it->EndDateTime);
        const auto utf8 = [&](const std::u16string& wide, const std::string& narrow) {
          auto u = oxwire::utf16::to_utf8(wide, oxwire::utf16::policy::replace);
          return arena_.keep(wide.empty() || !u ? narrow : std::move(*u));
        };
        if (it->OverrideFlags & f::ARO_SUBJECT) x.Subject = utf8(w.WideCharSubject, it->Subject);
        if (it->OverrideFlags & f::ARO_LOCATION)
          x.Calendar_Location = utf8(w.WideCharLocation, it->Location);
        if (it->OverrideFlags & f::ARO_BUSYSTATUS)
          x.BusyStatus = static_cast<std::uint8_t>(it->BusyStatus);
        if (it->OverrideFlags & f::ARO_SUBTYPE) x.AllDayEvent = it->SubType ? 1 : 0;
      }
      if (!list.Exception.empty()) d.Exceptions.push_back(std::move(list));
    }
  }

  /// MS-ASEMAIL 2.2.2.48 MeetingRequest of a meeting request or cancellation (MS-OXOCAL 2.2.6,
  /// IPM.Schedule.Meeting.*): when and where, the organizer, the series' recurrence, the time zone
  /// (UTC: this server keeps times in UTC), and the meeting's id: GlobalObjId (base64
  /// PidLidGlobalObjectId) up to 14.1, calendar:UID from 16.0 (MS-ASEMAIL 2.2.2.38, 2.2.2.79).
  void meeting_request(const mapi::property_bag& bag, model::MeetingRequest& m) {
    const auto when = [&](const auto& p) -> std::optional<model::date_time> {
      if (const auto t = time(bag, p)) return model::date_time{arena_.keep(format_time(*t, false))};
      return std::nullopt;
    };
    m.AllDayEvent = bag.get(prop::PidLidAppointmentSubType).value_or(false) ? 1 : 0;
    m.StartTime = when(prop::PidLidAppointmentStartWhole);
    m.EndTime = when(prop::PidLidAppointmentEndWhole);
    m.DtStamp = when(prop::PidTagClientSubmitTime)
                    .value_or(when(prop::PidTagMessageDeliveryTime).value_or(model::date_time{}));
    std::vector<std::string_view> location, name, address;
    put(bag, prop::PidLidLocation, location);
    if (!location.empty()) {
      m.Email_Location = location[0];                              // up to 14.1
      m.AirSyncBase_Location.emplace().DisplayName = location[0];  // 16.x
    }
    put(bag, prop::PidTagSentRepresentingName, name);
    put(bag, prop::PidTagSentRepresentingEmailAddress, address);
    if (!address.empty())
      m.Organizer = arena_.keep("\"" + std::string(name.empty() ? address[0] : name[0]) + "\" <" +
                                std::string(address[0]) + ">");
    const auto blob = bag.get(prop::PidLidRecurring).value_or(false)
                          ? bag.get(prop::PidLidAppointmentRecur)
                          : std::nullopt;
    std::optional<mapi::AppointmentRecurrencePattern> series;
    if (blob)
      if (auto a = mapi::decode_appointment_recurrence(*blob)) series = std::move(*a);
    // MS-ASEMAIL 2.2.2.41: 1 the master of a series, 3 an exception (one instance, whose
    // original start is RecurrenceId, 2.2.2.62)
    m.InstanceType = series ? 1 : 0;
    if (const auto instance = when(prop::PidLidExceptionReplaceTime); instance && !series)
      m.InstanceType = 3, m.RecurrenceId = instance;
    if (series) {
      const auto r = recurrence_model(*series);
      auto& x = m.Recurrences.emplace().Recurrence;
      x.Type = r.Type.value_or(0), x.Interval = r.Interval.value_or(1), x.Until = r.Until;
      x.Occurrences = r.Occurrences, x.WeekOfMonth = r.WeekOfMonth, x.DayOfMonth = r.DayOfMonth;
      x.DayOfWeek = r.DayOfWeek, x.MonthOfYear = r.MonthOfYear, x.CalendarType = r.CalendarType;
      x.FirstDayOfWeek = r.FirstDayOfWeek;
    }
    m.ResponseRequested = 1;
    m.Sensitivity = 0;
    m.BusyStatus = bag.get(prop::PidLidIntendedBusyStatus).value_or(2);
    // MS-ASDTYPE 2.7.4: a TIME_ZONE_INFORMATION of 172 bytes; all zero is UTC
    static const std::string utc = oxwire::base64::encode(std::vector<std::uint8_t>(172));
    m.TimeZone = utc;
    if (const auto id = bag.get(prop::PidLidGlobalObjectId)) {
      if (version_ >= as::protocol_version::v16_0)
        m.UID = arena_.keep(uid_of(*id));
      else
        m.GlobalObjId = arena_.keep(oxwire::base64::encode(*id));
    }
    m.DisallowNewTimeProposal.push_back(0);
    // MS-ASEMAIL 2.2.2.50: 1 a new request, 0 a cancellation's "silent" kind
    m.MeetingMessageType.push_back(
        utf8_of(bag, prop::PidTagMessageClass) == "IPM.Schedule.Meeting.Request" ? 1 : 0);
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
  as::protocol_version version_;
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
  /// False when the body does not convert (MS-ASCMD 2.2.3.177.17 Status 6): the caller keeps
  /// the item as it was.
  template <class D>
  [[nodiscard]] static bool read(item_class c, const D& d, mapi::property_bag& bag) {
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
        if (!d.AllDayEvent.empty())
          set(bag, prop::PidLidAppointmentSubType, d.AllDayEvent.back() != 0);
        if (!d.MeetingStatus.empty())  // MS-ASCAL 2.2.2.28 as MS-OXOCAL 2.2.1.10 flags
          set(bag, prop::PidLidAppointmentStateFlags, std::int32_t{d.MeetingStatus.back() & 7});
        // MS-ASCAL 2.2.2.46: the meeting's UID as its PidLidGlobalObjectId and, being the
        // series' own, PidLidCleanGlobalObjectId (MS-OXCICAL 2.1.3.1.1.20.26)
        if (!d.UID.empty() && !d.UID.back().empty()) {
          auto id = global_object_id(d.UID.back(), {});
          set(bag, prop::PidLidGlobalObjectId, id);
          set(bag, prop::PidLidCleanGlobalObjectId, std::move(id));
        }
        recurrence(d, bag);
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
    // MS-ASAIRS 2.2.2.9: the client sends its body as Body/Data, plain text (Type 1), for an
    // e-mail HTML (Type 2, kept as UTF-8 PidTagHtml), or RTF (Type 3); the new body replaces
    // the others
    if (!d.AirSyncBase_Body.empty() && d.AirSyncBase_Body.back().Data) {
      const auto& b = d.AirSyncBase_Body.back();
      if (b.Type == 3) return rtf_body(c, *b.Data, bag);
      bag.erase(prop::PidTagRtfCompressed.tag());
      bag.erase(prop::PidTagRtfInSync.tag());
      if (c == item_class::email && b.Type == 2) {
        set(bag, prop::PidTagHtml, std::vector<std::uint8_t>(b.Data->begin(), b.Data->end()));
        bag.erase(prop::PidTagBody.tag());
      } else {
        set(bag, prop::PidTagBody, u16_of(*b.Data));
        if (c == item_class::email) bag.erase(prop::PidTagHtml.tag());
      }
    }
    return true;
  }

  /// An RTF body (MS-ASAIRS 2.2.2.20.1: base64 of compressed RTF, MS-OXRTFCP) kept as
  /// PidTagRtfCompressed, in sync with the text it gives (MS-OXRTFEX: the HTML or text it
  /// encapsulates, else its own text) as PidTagHtml (e-mail) or PidTagBody. False for a body
  /// that is not such RTF (the bag's body is then as it was).
  static bool rtf_body(item_class c, std::string_view data, mapi::property_bag& bag) {
    auto packed = oxwire::base64::decode(data);
    if (!packed) return false;
    const auto raw = oxwire::rtf::decompress(*packed);
    if (!raw) return false;
    const auto text = oxwire::rtf::deencapsulate(*raw, {.native_as_text = true});
    if (!text) return false;
    const bool html = text->format == oxwire::rtf::encapsulated::html;
    if (html && c == item_class::email) {
      bag.erase(prop::PidTagBody.tag());
      set(bag, prop::PidTagHtml,
          std::vector<std::uint8_t>(text->content.begin(), text->content.end()));
    } else {
      bag.erase(prop::PidTagHtml.tag());
      set(bag, prop::PidTagBody,
          u16_of(html ? oxwire::server::html_to_text(text->content) : text->content));
    }
    set(bag, prop::PidTagRtfCompressed, std::move(*packed));
    set(bag, prop::PidTagRtfInSync, true);
    return true;
  }

  /// A calendar item's MS-ASCAL 2.2.2.4 Attendees as its recipient rows (MS-OXOCAL 2.2.4.10),
  /// replacing the attendees of `current` (its organizer's row stays): AttendeeType as
  /// PidTagRecipientType, AttendeeStatus as PidTagRecipientTrackStatus; an attendee sent without
  /// a status keeps the one it had (a response the organizer's calendar recorded). nullopt if the
  /// client sent no Attendees.
  template <class D>
  static std::optional<std::vector<mapi::property_bag>> attendees(
      const D& d, const std::vector<mapi::property_bag>& current) {
    if (d.Attendees.empty()) return std::nullopt;
    std::vector<mapi::property_bag> out;
    std::copy_if(current.begin(), current.end(), std::back_inserter(out), [](const auto& r) {
      return (r.get(prop::PidTagRecipientFlags).value_or(0) & recip_organizer) != 0;
    });
    for (const auto& a : d.Attendees.back().Attendee) {
      mapi::property_bag r;
      const auto email = u16_of(a.Email);
      r.set(prop::PidTagRecipientType, std::int32_t{a.AttendeeType.value_or(1)});
      r.set(prop::PidTagDisplayName, a.Name.empty() ? email : u16_of(a.Name));
      r.set(prop::PidTagSmtpAddress, email);
      r.set(prop::PidTagEmailAddress, email);
      r.set(prop::PidTagAddressType, u"SMTP");
      std::optional<std::int32_t> status;
      if (a.AttendeeStatus) {
        status = *a.AttendeeStatus;
      } else {
        for (const auto& was : current)
          if (was.get(prop::PidTagSmtpAddress) == std::optional<std::u16string_view>(email))
            if (const auto s = was.get(prop::PidTagRecipientTrackStatus)) status = *s;
      }
      if (status) r.set(prop::PidTagRecipientTrackStatus, *status);
      out.push_back(std::move(r));
    }
    return out;
  }

  /// A draft's MS-ASEMAIL To, Cc and email2:Bcc as recipient rows (PidTagRecipientType 1, 2,
  /// 3) and PidTagDisplayTo/Cc/Bcc in `bag`, parsed as the MIME address headers they are
  /// (mime.hpp); a list the client left out keeps its rows of `current`. nullopt if it sent
  /// none of them.
  template <class D>
  static std::optional<std::vector<mapi::property_bag>> recipients(
      const D& d, const std::vector<mapi::property_bag>& current, mapi::property_bag& bag) {
    const std::vector<std::string_view>* lists[] = {&d.To, &d.Cc, &d.Bcc};
    if (std::all_of(std::begin(lists), std::end(lists), [](auto* l) { return l->empty(); }))
      return std::nullopt;
    static constexpr std::string_view names[] = {"To", "Cc", "Bcc"};
    std::string headers;
    for (std::size_t i = 0; i < 3; ++i) {
      if (lists[i]->empty()) continue;
      std::string line(lists[i]->back());
      std::replace_if(
          line.begin(), line.end(), [](char ch) { return ch == '\r' || ch == '\n'; },
          ' ');  // one header line each
      headers += std::string(names[i]) + ": " + line + "\r\n";
    }
    headers += "\r\n";
    const auto parsed = oxwire::server::parse_mime(oxwire::as_bytes(headers));
    const mapi::tagged_property<mapi::PropertyType::PtypString>* display[] = {
        &prop::PidTagDisplayTo, &prop::PidTagDisplayCc, &prop::PidTagDisplayBcc};
    std::vector<mapi::property_bag> out;
    for (std::int32_t type = 1; type <= 3; ++type) {
      const auto of_type = [&](const mapi::property_bag& r) {
        return r.get(prop::PidTagRecipientType).value_or(0) == type;
      };
      const auto i = static_cast<std::size_t>(type - 1);
      if (lists[i]->empty()) {
        std::copy_if(current.begin(), current.end(), std::back_inserter(out), of_type);
        continue;
      }
      bag.erase(display[i]->tag());
      if (!parsed) continue;
      if (const auto v = parsed->properties.get(*display[i]))
        set(bag, *display[i], std::u16string(*v));
      for (const auto& r : parsed->recipients)
        if (of_type(r.properties)) out.push_back(r.properties);
    }
    return out;
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

 public:
  /// MS-ASCMD 16.0 Sync Delete with AirSyncBase:InstanceId (MS-ASAIRS 2.2.2.25): deletes that
  /// occurrence of the stored series only. False if the item is not a series or the InstanceId
  /// is not a dateTime.
  static bool delete_occurrence(std::string_view instance_id, mapi::property_bag& bag) {
    return edit_occurrence(instance_id, bag, [](instance_edit& e) { e.deleted = true; });
  }
  /// MS-ASCMD 16.0 Sync Change with AirSyncBase:InstanceId: the fields sent change that
  /// occurrence only (an exception of the series); the series' own fields and body stay.
  template <class D>
  static bool change_occurrence(std::string_view instance_id, const D& d, mapi::property_bag& bag) {
    return edit_occurrence(instance_id, bag, [&](instance_edit& e) {
      e = edit_of(e.original, false, last(d.Calendar_Subject), last(d.Calendar_Location),
                  last(d.StartTime), last(d.EndTime), last(d.BusyStatus), last(d.AllDayEvent),
                  !d.AirSyncBase_Body.empty() && d.AirSyncBase_Body.back().Data);
    });
  }

  /// Edits the instance of the series in `bag` that starts at `original` (minutes, as the
  /// pattern puts it): `fill` sets what changes. False if the bag holds no series or the series
  /// no such instance.
  template <class F>
  static bool edit_instance(std::uint32_t original, mapi::property_bag& bag, F&& fill) {
    auto a = series(bag);
    if (!a || !is_instance(*a, original)) return false;
    instance_edit e;
    e.original = original;
    fill(e);
    apply_instance_edit(*a, e);
    store_series(*a, bag);
    return true;
  }

 private:
  template <class F>
  static bool edit_occurrence(std::string_view instance_id, mapi::property_bag& bag, F&& fill) {
    const auto original = recurrence_minutes_of(instance_id);
    return original && edit_instance(*original, bag, std::forward<F>(fill));
  }
  /// Whether `original` starts an instance of the series as its pattern puts it, kept or
  /// modified (deleted ones are no longer instances).
  static bool is_instance(const mapi::AppointmentRecurrencePattern& a, std::uint32_t original) {
    for (const auto& x : a.ExceptionInfo)
      if (x.OriginalStartDate == original) return true;
    const auto v = mapi::expand_occurrences(a, original, original + 1);
    return v && std::any_of(v->begin(), v->end(), [&](const mapi::occurrence& o) {
             return !o.exception && o.original_start == original;
           });
  }
  /// The stored series of a recurring appointment, if it has a valid one.
  static std::optional<mapi::AppointmentRecurrencePattern> series(const mapi::property_bag& bag) {
    if (!bag.get(prop::PidLidRecurring).value_or(false)) return std::nullopt;
    const auto blob = bag.get(prop::PidLidAppointmentRecur);
    if (!blob) return std::nullopt;
    auto a = mapi::decode_appointment_recurrence(*blob);
    return a ? std::optional(std::move(*a)) : std::nullopt;
  }
  static void store_series(const mapi::AppointmentRecurrencePattern& a, mapi::property_bag& bag) {
    if (auto blob = mapi::encode_appointment_recurrence(a)) {
      set(bag, prop::PidLidRecurring, true);
      set(bag, prop::PidLidAppointmentRecur, std::move(*blob));
    }
  }
  /// The edit of an occurrence from fields of an Exception or of a Change's ApplicationData.
  static instance_edit edit_of(std::uint32_t original, bool deleted,
                               std::optional<std::string_view> subject,
                               std::optional<std::string_view> location,
                               std::optional<std::string_view> start,
                               std::optional<std::string_view> end,
                               std::optional<std::uint8_t> busy_status,
                               std::optional<std::uint8_t> all_day, bool body) {
    instance_edit e;
    e.original = original, e.deleted = deleted, e.body = body;
    if (subject) e.subject = u16_of(*subject);
    if (location) e.location = u16_of(*location);
    if (start) e.start = recurrence_minutes_of(*start);
    if (end) e.end = recurrence_minutes_of(*end);
    if (busy_status) e.busy_status = *busy_status;
    if (all_day) e.all_day = *all_day != 0;
    return e;
  }
  template <class V>
  static std::optional<typename V::value_type> last(const V& v) {
    return v.empty() ? std::nullopt : std::optional(v.back());
  }
  /// MS-ASCAL 2.2.2.39 Recurrence (a new series pattern, replacing the stored one and its
  /// exceptions) and 2.2.2.19 Exceptions (each Exception edits the occurrence its
  /// ExceptionStartTime, or in 16.x InstanceId, names) into PidLidAppointmentRecur.
  template <class D>
  static void recurrence(const D& d, mapi::property_bag& bag) {
    std::optional<mapi::AppointmentRecurrencePattern> a;
    if (!d.Calendar_Recurrence.empty()) {
      const auto s = bag.get(prop::PidLidAppointmentStartWhole);
      const auto e = bag.get(prop::PidLidAppointmentEndWhole);
      const auto start = s ? recurrence_minutes_of(*s) : std::nullopt;
      const auto end = e ? recurrence_minutes_of(*e) : start;
      if (start && end) a = recurrence_pattern_of(d.Calendar_Recurrence.back(), *start, *end);
      if (!a) return;  // a Recurrence this server cannot store: the series stays as it was
    } else {
      a = series(bag);
      if (!a) return;
    }
    for (const auto& list : d.Exceptions)
      for (const auto& x : list.Exception) {
        const auto id = x.InstanceId ? x.InstanceId : x.ExceptionStartTime;
        const auto original = id ? recurrence_minutes_of(*id) : std::nullopt;
        if (!original) continue;
        apply_instance_edit(*a, edit_of(*original, x.Deleted.value_or(0) != 0, x.Subject,
                                        x.Calendar_Location, x.StartTime, x.EndTime, x.BusyStatus,
                                        x.AllDayEvent, x.Body && x.Body->Data));
      }
    store_series(*a, bag);
  }
  /// An MS-ASDTYPE 2.3 dateTime (either form) as a PtypTime; ignored if malformed.
  template <class P>
  static void time(std::string_view s, const P& p, mapi::property_bag& bag) {
    if (const auto t = model::date_time{s}.parse())
      if (const auto ft = oxwire::to_filetime(*t)) set(bag, p, mapi::filetime{*ft});
  }
};

}  // namespace oxwire_server
