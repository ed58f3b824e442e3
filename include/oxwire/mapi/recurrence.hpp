// oxwire — MS-OXOCAL 2.2.1.44 recurrence BLOBs: RecurrencePattern (2.2.1.44.1), ExceptionInfo
// (2.2.1.44.2), ExtendedException (2.2.1.44.3) and AppointmentRecurrencePattern (2.2.1.44.5, the
// value of PidLidAppointmentRecur), decoded and encoded byte for byte, and the occurrences of a
// series inside a time window.
//
//   auto p = oxwire::mapi::decode_appointment_recurrence(blob);      // result<...Pattern>
//   auto v = oxwire::mapi::expand_occurrences(*p, from, to);         // minutes since 1601
//
// Times are the spec's: minutes since midnight 1601-01-01 in the series' own time zone
// (`recurrence_time` / `recurrence_minutes` convert). Errors:
//   mapi::errc::invalid_kind      RecurFrequency, PatternType or EndType outside 2.2.1.44.1; a
//                                 RecurFrequency / PatternType pair the spec does not allow
//   mapi::errc::invalid_flag      day bits above Saturday; OverrideFlags bits above
//                                 ARO_EXCEPTIONAL_BODY
//   mapi::errc::invalid_size      SubjectLength/LocationLength not SubjectLength2/LocationLength2
//                                 + 1; ChangeHighlightSize < 4; ExceptionCount differing from
//                                 ModifiedInstanceCount; bytes left after the structure
//   mapi::errc::count_too_large   a count or size larger than the bytes left could hold
//   errc::limit_exceeded          a count or size past `recurrence_limits`
//   errc::out_of_range            a version other than the spec's; Period 0; Day outside 1..31;
//                                 N outside 1..5
//   errc::truncated               the input ends inside a field
#pragma once

#include <oxwire/core/bytes.hpp>
#include <oxwire/core/error.hpp>
#include <oxwire/core/filetime.hpp>
#include <oxwire/core/reader.hpp>
#include <oxwire/core/writer.hpp>
#include <oxwire/mapi/error.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace oxwire::mapi {

// --- model ----------------------------------------------------------------------------------

/// MS-OXOCAL 2.2.1.44.1 RecurFrequency.
enum class recur_frequency : std::uint16_t {
  Daily = 0x200A,
  Weekly = 0x200B,
  Monthly = 0x200C,
  Yearly = 0x200D,
};

/// MS-OXOCAL 2.2.1.44.1 PatternType; the Hj* (Hijri) ones are kept as data, not expanded.
enum class pattern_type : std::uint16_t {
  Day = 0x0000,
  Week = 0x0001,
  Month = 0x0002,
  MonthNth = 0x0003,
  MonthEnd = 0x0004,
  HjMonth = 0x000A,
  HjMonthNth = 0x000B,
  HjMonthEnd = 0x000C,
};

/// MS-OXOCAL 2.2.1.44.1 EndType (0xFFFFFFFF is a second spelling of "never end").
enum class end_type : std::uint32_t {
  end_after_date = 0x00002021,
  end_after_n_occurrences = 0x00002022,
  never_end = 0x00002023,
  never_end_legacy = 0xFFFFFFFF,
};

/// MS-OXOCAL 2.2.1.44.2 OverrideFlags.
namespace override_flag {
inline constexpr std::uint16_t ARO_SUBJECT = 0x0001;
inline constexpr std::uint16_t ARO_MEETINGTYPE = 0x0002;
inline constexpr std::uint16_t ARO_REMINDERDELTA = 0x0004;
inline constexpr std::uint16_t ARO_REMINDER = 0x0008;
inline constexpr std::uint16_t ARO_LOCATION = 0x0010;
inline constexpr std::uint16_t ARO_BUSYSTATUS = 0x0020;
inline constexpr std::uint16_t ARO_ATTACHMENT = 0x0040;
inline constexpr std::uint16_t ARO_SUBTYPE = 0x0080;
inline constexpr std::uint16_t ARO_APPTCOLOR = 0x0100;
inline constexpr std::uint16_t ARO_EXCEPTIONAL_BODY = 0x0200;
inline constexpr std::uint16_t all = 0x03FF;
}  // namespace override_flag

/// EndDate of a series that never ends (MS-OXOCAL 2.2.1.44.1: 31 December 4500, 11:59 P.M.).
inline constexpr std::uint32_t never_end_date = 0x5AE980DF;
/// Minutes in a day and a week, the units of Period for Day and of FirstDateTime.
inline constexpr std::uint32_t minutes_per_day = 1440;
inline constexpr std::uint32_t minutes_per_week = 7 * minutes_per_day;

/// MS-OXOCAL 2.2.1.44.1 RecurrencePattern. PatternTypeSpecific is spread over `DayMask`
/// (Week, MonthNth, HjMonthNth: bit 0 Sunday .. bit 6 Saturday), `Day` (Month, MonthEnd, HjMonth,
/// HjMonthEnd) and `N` (MonthNth, HjMonthNth: 1..4, 5 the last); the fields a PatternType does
/// not carry stay 0. DeletedInstanceCount and ModifiedInstanceCount are the vectors' sizes.
struct RecurrencePattern {
  std::uint16_t ReaderVersion = 0x3004;
  std::uint16_t WriterVersion = 0x3004;
  recur_frequency RecurFrequency = recur_frequency::Daily;
  pattern_type PatternType = pattern_type::Day;
  std::uint16_t CalendarType = 0;  // MS-OXOCAL 2.2.1.44.1: 0 default (Gregorian), 1..0x17 others
  std::uint32_t FirstDateTime = 0;
  std::uint32_t Period = 0;  // minutes (Day), weeks (Week) or months (the others)
  std::uint32_t SlidingFlag = 0;
  std::uint32_t DayMask = 0;
  std::uint32_t Day = 0;
  std::uint32_t N = 0;
  end_type EndType = end_type::never_end;
  std::uint32_t OccurrenceCount = 0;
  std::uint32_t FirstDOW = 0;                        // 0 Sunday .. 6 Saturday
  std::vector<std::uint32_t> DeletedInstanceDates;   // midnight of each original instance date
  std::vector<std::uint32_t> ModifiedInstanceDates;  // midnight of each modified instance's date
  std::uint32_t StartDate = 0;
  std::uint32_t EndDate = never_end_date;

  friend bool operator==(const RecurrencePattern&, const RecurrencePattern&) = default;
};

/// MS-OXOCAL 2.2.1.44.2 ExceptionInfo. Each optional field is present on the wire when its
/// ARO_* bit is set in OverrideFlags; Subject and Location are 8-bit strings (the message's code
/// page) whose SubjectLength/LocationLength are size + 1 and SubjectLength2/LocationLength2 size.
struct ExceptionInfo {
  std::uint32_t StartDateTime = 0;
  std::uint32_t EndDateTime = 0;
  std::uint32_t OriginalStartDate = 0;
  std::uint16_t OverrideFlags = 0;
  std::string Subject;
  std::uint32_t MeetingType = 0;
  std::uint32_t ReminderDelta = 0;
  std::uint32_t ReminderSet = 0;
  std::string Location;
  std::uint32_t BusyStatus = 0;
  std::uint32_t Attachment = 0;
  std::uint32_t SubType = 0;
  std::uint32_t AppointmentColor = 0;

  friend bool operator==(const ExceptionInfo&, const ExceptionInfo&) = default;
};

/// MS-OXOCAL 2.2.1.44.3 ExtendedException. ChangeHighlight (ChangeHighlightSize = 4 + the
/// reserved bytes) is on the wire when WriterVersion2 >= 0x3009; StartDateTime, EndDateTime,
/// OriginalStartDate and ReservedBlockEE2 when the ExceptionInfo at the same index has ARO_SUBJECT
/// or ARO_LOCATION; WideCharSubject / WideCharLocation with those bits (lengths in UTF-16 units).
struct ExtendedException {
  std::uint32_t ChangeHighlightValue = 0;
  std::vector<std::uint8_t> ChangeHighlightReserved;
  std::vector<std::uint8_t> ReservedBlockEE1;
  std::uint32_t StartDateTime = 0;
  std::uint32_t EndDateTime = 0;
  std::uint32_t OriginalStartDate = 0;
  std::u16string WideCharSubject;
  std::u16string WideCharLocation;
  std::vector<std::uint8_t> ReservedBlockEE2;

  friend bool operator==(const ExtendedException&, const ExtendedException&) = default;
};

/// MS-OXOCAL 2.2.1.44.5 AppointmentRecurrencePattern, the value of PidLidAppointmentRecur.
/// ExceptionCount is the size of `ExceptionInfo`; `ExtendedException` has the same size.
struct AppointmentRecurrencePattern {
  ::oxwire::mapi::RecurrencePattern RecurrencePattern;
  std::uint32_t ReaderVersion2 = 0x3006;
  std::uint32_t WriterVersion2 = 0x3009;
  std::uint32_t StartTimeOffset = 0;  // minutes after midnight of each instance's date
  std::uint32_t EndTimeOffset = 0;
  std::vector<::oxwire::mapi::ExceptionInfo> ExceptionInfo;
  std::vector<std::uint8_t> ReservedBlock1;
  std::vector<::oxwire::mapi::ExtendedException> ExtendedException;
  std::vector<std::uint8_t> ReservedBlock2;

  friend bool operator==(const AppointmentRecurrencePattern&,
                         const AppointmentRecurrencePattern&) = default;
};

/// What a decoder accepts at most.
struct recurrence_limits {
  std::size_t max_instance_dates = 65536;  // DeletedInstanceCount, ModifiedInstanceCount
  std::size_t max_reserved_block = 65536;  // each reserved block and ChangeHighlight
};

// --- time ------------------------------------------------------------------------------------

/// A recurrence time (minutes since 1601-01-01) as a time point: `recurrence_time(p.StartDate)`.
[[nodiscard]] constexpr std::chrono::sys_time<std::chrono::minutes> recurrence_time(
    std::uint32_t minutes) noexcept {
  return std::chrono::sys_time<std::chrono::minutes>{filetime_epoch} +
         std::chrono::minutes{minutes};
}

/// A time point as recurrence minutes (rounded down); errc::out_of_range outside 1601..10767.
template <class D>
[[nodiscard]] constexpr result<std::uint32_t> recurrence_minutes(
    std::chrono::sys_time<D> t) noexcept {
  const auto m = std::chrono::floor<std::chrono::minutes>(t) -
                 std::chrono::sys_time<std::chrono::minutes>{filetime_epoch};
  if (m.count() < 0 || m.count() > 0xFFFFFFFFLL)
    return error{oxwire::errc::out_of_range, 0, "recurrence time"};
  return static_cast<std::uint32_t>(m.count());
}

/// MS-OXOCAL 2.2.1.44.1.1 FirstDateTime of a pattern from its StartDate, Period, PatternType
/// and FirstDOW: StartDate % Period for Day; the start of StartDate's week (FirstDOW first)
/// modulo Period weeks for Week; otherwise the first day of month number (months from January
/// 1601 to StartDate's month) % Period.
[[nodiscard]] constexpr std::uint32_t first_date_time(const RecurrencePattern& p) noexcept {
  using namespace std::chrono;
  if (p.Period == 0) return 0;
  if (p.PatternType == pattern_type::Day) return p.StartDate % p.Period;
  const sys_days day = filetime_epoch + days{p.StartDate / minutes_per_day};
  if (p.PatternType == pattern_type::Week) {
    const unsigned back = (weekday{day}.c_encoding() + 7 - p.FirstDOW % 7) % 7;
    const auto week_start =
        static_cast<std::uint64_t>((day - days{back} - filetime_epoch).count()) * minutes_per_day;
    return static_cast<std::uint32_t>(week_start % (std::uint64_t{p.Period} * minutes_per_week));
  }
  const year_month_day ymd{day};
  const auto months_since =
      static_cast<std::uint32_t>((int(ymd.year()) - 1601) * 12 + int(unsigned(ymd.month())) - 1);
  const year_month first = year{1601} / January + months{months_since % p.Period};
  return static_cast<std::uint32_t>((sys_days{first / 1} - filetime_epoch).count()) *
         minutes_per_day;
}

// --- decode ----------------------------------------------------------------------------------

namespace detail::recurrence {

[[nodiscard]] constexpr bool known_frequency(std::uint16_t v) noexcept {
  return v >= 0x200A && v <= 0x200D;
}
[[nodiscard]] constexpr bool known_pattern(std::uint16_t v) noexcept {
  return v <= 0x0004 || (v >= 0x000A && v <= 0x000C);
}
[[nodiscard]] constexpr bool known_end(std::uint32_t v) noexcept {
  return (v >= 0x2021 && v <= 0x2023) || v == 0xFFFFFFFF;
}
/// MS-OXOCAL 2.2.1.44.1: Daily goes with Day or Week (every weekday), Weekly with Week, Monthly
/// and Yearly with the month patterns.
[[nodiscard]] constexpr bool allowed(recur_frequency f, pattern_type t) noexcept {
  switch (f) {
    case recur_frequency::Daily: return t == pattern_type::Day || t == pattern_type::Week;
    case recur_frequency::Weekly: return t == pattern_type::Week;
    case recur_frequency::Monthly:
    case recur_frequency::Yearly: return t != pattern_type::Day && t != pattern_type::Week;
  }
  return false;
}
[[nodiscard]] constexpr bool has_day_mask(pattern_type t) noexcept {
  return t == pattern_type::Week || t == pattern_type::MonthNth || t == pattern_type::HjMonthNth;
}
[[nodiscard]] constexpr bool has_day(pattern_type t) noexcept {
  return t == pattern_type::Month || t == pattern_type::MonthEnd || t == pattern_type::HjMonth ||
         t == pattern_type::HjMonthEnd;
}
[[nodiscard]] constexpr bool has_n(pattern_type t) noexcept {
  return t == pattern_type::MonthNth || t == pattern_type::HjMonthNth;
}

/// A u32 that must lie in [lo, hi]: errc::out_of_range at the field otherwise.
[[nodiscard]] inline result<std::uint32_t> read_ranged(reader& in, std::uint32_t lo,
                                                       std::uint32_t hi, const char* what) {
  const std::size_t at = in.offset();
  auto v = in.read<std::uint32_t>(what);
  if (v && (*v < lo || *v > hi)) return error{oxwire::errc::out_of_range, at, what};
  return v;
}

/// A u32 count followed by that many u32 dates.
[[nodiscard]] inline result<std::vector<std::uint32_t>> read_dates(reader& in,
                                                                   const recurrence_limits& lim,
                                                                   const char* count_what,
                                                                   const char* what) {
  const std::size_t at = in.offset();
  auto n = in.read<std::uint32_t>(count_what);
  if (!n) return n.error();
  if (*n > lim.max_instance_dates) return error{oxwire::errc::limit_exceeded, at, count_what};
  if (*n > in.remaining() / 4) return error{errc::count_too_large, at, count_what};
  std::vector<std::uint32_t> out(*n);
  for (auto& d : out) d = in.read<std::uint32_t>(what).value();  // checked just above
  return out;
}

/// A u32 size followed by that many bytes (the reserved blocks).
[[nodiscard]] inline result<std::vector<std::uint8_t>> read_block(reader& in,
                                                                  const recurrence_limits& lim,
                                                                  const char* what) {
  const std::size_t at = in.offset();
  auto n = in.read<std::uint32_t>(what);
  if (!n) return n.error();
  if (*n > lim.max_reserved_block) return error{oxwire::errc::limit_exceeded, at, what};
  if (*n > in.remaining()) return error{errc::count_too_large, at, what};
  const auto b = in.bytes(*n, what).value();
  return std::vector<std::uint8_t>(b.begin(), b.end());
}

/// SubjectLength, SubjectLength2 (= SubjectLength - 1) and the 8-bit string (2.2.1.44.2).
[[nodiscard]] inline result<std::string> read_string8(reader& in, const char* what) {
  const std::size_t at = in.offset();
  std::uint16_t length = 0, length2 = 0;
  if (auto r = in.read_into(what, length, length2); !r) return r.error();
  if (length2 + 1 != length) return error{errc::invalid_size, at, what};
  auto b = in.bytes(length2, what);
  if (!b) return b.error();
  return std::string(b->begin(), b->end());
}

/// A u16 count of UTF-16 units and the units (2.2.1.44.3 WideCharSubject, WideCharLocation).
[[nodiscard]] inline result<std::u16string> read_wide(reader& in, const char* what) {
  const std::size_t at = in.offset();
  auto n = in.read<std::uint16_t>(what);
  if (!n) return n.error();
  if (*n > in.remaining() / 2) return error{errc::count_too_large, at, what};
  std::u16string s(*n, u'\0');
  for (auto& c : s) c = static_cast<char16_t>(in.read<std::uint16_t>(what).value());
  return s;
}

}  // namespace detail::recurrence

/// MS-OXOCAL 2.2.1.44.1 RecurrencePattern from the cursor (bytes after it are left).
[[nodiscard]] inline result<RecurrencePattern> read_recurrence_pattern(
    reader& in, const recurrence_limits& lim = {}) {
  namespace d = detail::recurrence;
  RecurrencePattern p;
  std::size_t at = in.offset();
  if (auto r = in.read_into("ReaderVersion", p.ReaderVersion); !r) return r.error();
  if (p.ReaderVersion != 0x3004) return error{oxwire::errc::out_of_range, at, "ReaderVersion"};
  at = in.offset();
  if (auto r = in.read_into("WriterVersion", p.WriterVersion); !r) return r.error();
  if (p.WriterVersion != 0x3004) return error{oxwire::errc::out_of_range, at, "WriterVersion"};
  at = in.offset();
  auto freq = in.read<std::uint16_t>("RecurFrequency");
  if (!freq) return freq.error();
  if (!d::known_frequency(*freq)) return error{errc::invalid_kind, at, "RecurFrequency"};
  p.RecurFrequency = static_cast<recur_frequency>(*freq);
  at = in.offset();
  auto type = in.read<std::uint16_t>("PatternType");
  if (!type) return type.error();
  if (!d::known_pattern(*type) || !d::allowed(p.RecurFrequency, pattern_type{*type}))
    return error{errc::invalid_kind, at, "PatternType"};
  p.PatternType = static_cast<pattern_type>(*type);
  if (auto r = in.read_into("CalendarType", p.CalendarType); !r) return r.error();
  if (auto r = in.read_into("FirstDateTime", p.FirstDateTime); !r) return r.error();
  auto period = d::read_ranged(in, 1, 0xFFFFFFFF, "Period");
  if (!period) return period.error();
  p.Period = *period;
  if (auto r = in.read_into("SlidingFlag", p.SlidingFlag); !r) return r.error();
  // MS-OXOCAL 2.2.1.44.1.3 .. 2.2.1.44.1.5 PatternTypeSpecific
  if (d::has_day_mask(p.PatternType)) {
    at = in.offset();
    if (auto r = in.read_into("PatternTypeSpecific", p.DayMask); !r) return r.error();
    if (p.DayMask == 0 || p.DayMask > 0x7F)
      return error{errc::invalid_flag, at, "PatternTypeSpecific"};
  }
  if (d::has_day(p.PatternType)) {
    auto day = d::read_ranged(in, 1, 31, "PatternTypeSpecific");
    if (!day) return day.error();
    p.Day = *day;
  }
  if (d::has_n(p.PatternType)) {
    auto n = d::read_ranged(in, 1, 5, "PatternTypeSpecific");
    if (!n) return n.error();
    p.N = *n;
  }
  at = in.offset();
  auto end = in.read<std::uint32_t>("EndType");
  if (!end) return end.error();
  if (!d::known_end(*end)) return error{errc::invalid_kind, at, "EndType"};
  p.EndType = static_cast<end_type>(*end);
  if (auto r = in.read_into("OccurrenceCount", p.OccurrenceCount, p.FirstDOW); !r) return r.error();
  auto deleted = d::read_dates(in, lim, "DeletedInstanceCount", "DeletedInstanceDates");
  if (!deleted) return deleted.error();
  p.DeletedInstanceDates = std::move(*deleted);
  auto modified = d::read_dates(in, lim, "ModifiedInstanceCount", "ModifiedInstanceDates");
  if (!modified) return modified.error();
  p.ModifiedInstanceDates = std::move(*modified);
  if (auto r = in.read_into("StartDate", p.StartDate, p.EndDate); !r) return r.error();
  return p;
}

/// MS-OXOCAL 2.2.1.44.2 ExceptionInfo from the cursor.
[[nodiscard]] inline result<ExceptionInfo> read_exception_info(reader& in) {
  namespace d = detail::recurrence;
  namespace f = override_flag;
  ExceptionInfo e;
  if (auto r = in.read_into("ExceptionInfo", e.StartDateTime, e.EndDateTime, e.OriginalStartDate);
      !r)
    return r.error();
  const std::size_t at = in.offset();
  if (auto r = in.read_into("OverrideFlags", e.OverrideFlags); !r) return r.error();
  if (e.OverrideFlags & ~f::all) return error{errc::invalid_flag, at, "OverrideFlags"};
  const auto u32 = [&](std::uint16_t flag, std::uint32_t& v, const char* what) -> result<void> {
    if (e.OverrideFlags & flag) return in.read_into(what, v);
    return {};
  };
  if (e.OverrideFlags & f::ARO_SUBJECT) {
    auto s = d::read_string8(in, "Subject");
    if (!s) return s.error();
    e.Subject = std::move(*s);
  }
  if (auto r = u32(f::ARO_MEETINGTYPE, e.MeetingType, "MeetingType"); !r) return r.error();
  if (auto r = u32(f::ARO_REMINDERDELTA, e.ReminderDelta, "ReminderDelta"); !r) return r.error();
  if (auto r = u32(f::ARO_REMINDER, e.ReminderSet, "ReminderSet"); !r) return r.error();
  if (e.OverrideFlags & f::ARO_LOCATION) {
    auto s = d::read_string8(in, "Location");
    if (!s) return s.error();
    e.Location = std::move(*s);
  }
  if (auto r = u32(f::ARO_BUSYSTATUS, e.BusyStatus, "BusyStatus"); !r) return r.error();
  if (auto r = u32(f::ARO_ATTACHMENT, e.Attachment, "Attachment"); !r) return r.error();
  if (auto r = u32(f::ARO_SUBTYPE, e.SubType, "SubType"); !r) return r.error();
  if (auto r = u32(f::ARO_APPTCOLOR, e.AppointmentColor, "AppointmentColor"); !r) return r.error();
  return e;
}

/// MS-OXOCAL 2.2.1.44.3 ExtendedException from the cursor, for the ExceptionInfo's
/// `override_flags` and the pattern's `writer_version2`.
[[nodiscard]] inline result<ExtendedException> read_extended_exception(
    reader& in, std::uint16_t override_flags, std::uint32_t writer_version2,
    const recurrence_limits& lim = {}) {
  namespace d = detail::recurrence;
  namespace f = override_flag;
  ExtendedException x;
  if (writer_version2 >= 0x3009) {  // ChangeHighlight (2.2.1.44.4)
    const std::size_t at = in.offset();
    auto size = in.read<std::uint32_t>("ChangeHighlightSize");
    if (!size) return size.error();
    if (*size < 4) return error{errc::invalid_size, at, "ChangeHighlightSize"};
    if (*size - 4 > lim.max_reserved_block)
      return error{oxwire::errc::limit_exceeded, at, "ChangeHighlightSize"};
    if (*size > in.remaining()) return error{errc::count_too_large, at, "ChangeHighlightSize"};
    x.ChangeHighlightValue = in.read<std::uint32_t>().value();
    const auto b = in.bytes(*size - 4).value();
    x.ChangeHighlightReserved.assign(b.begin(), b.end());
  }
  auto ee1 = d::read_block(in, lim, "ReservedBlockEE1Size");
  if (!ee1) return ee1.error();
  x.ReservedBlockEE1 = std::move(*ee1);
  if (!(override_flags & (f::ARO_SUBJECT | f::ARO_LOCATION))) return x;
  if (auto r =
          in.read_into("ExtendedException", x.StartDateTime, x.EndDateTime, x.OriginalStartDate);
      !r)
    return r.error();
  if (override_flags & f::ARO_SUBJECT) {
    auto s = d::read_wide(in, "WideCharSubjectLength");
    if (!s) return s.error();
    x.WideCharSubject = std::move(*s);
  }
  if (override_flags & f::ARO_LOCATION) {
    auto s = d::read_wide(in, "WideCharLocationLength");
    if (!s) return s.error();
    x.WideCharLocation = std::move(*s);
  }
  auto ee2 = d::read_block(in, lim, "ReservedBlockEE2Size");
  if (!ee2) return ee2.error();
  x.ReservedBlockEE2 = std::move(*ee2);
  return x;
}

/// MS-OXOCAL 2.2.1.44.5 AppointmentRecurrencePattern from the cursor.
[[nodiscard]] inline result<AppointmentRecurrencePattern> read_appointment_recurrence(
    reader& in, const recurrence_limits& lim = {}) {
  namespace d = detail::recurrence;
  AppointmentRecurrencePattern a;
  auto p = read_recurrence_pattern(in, lim);
  if (!p) return p.error();
  a.RecurrencePattern = std::move(*p);
  std::size_t at = in.offset();
  if (auto r = in.read_into("ReaderVersion2", a.ReaderVersion2); !r) return r.error();
  if (a.ReaderVersion2 != 0x3006) return error{oxwire::errc::out_of_range, at, "ReaderVersion2"};
  at = in.offset();
  if (auto r = in.read_into("WriterVersion2", a.WriterVersion2); !r) return r.error();
  if (a.WriterVersion2 < 0x3006) return error{oxwire::errc::out_of_range, at, "WriterVersion2"};
  if (auto r = in.read_into("StartTimeOffset", a.StartTimeOffset, a.EndTimeOffset); !r)
    return r.error();
  at = in.offset();
  auto count = in.read<std::uint16_t>("ExceptionCount");
  if (!count) return count.error();
  // MS-OXOCAL 2.2.1.44.5: one ExceptionInfo per modified instance
  if (*count != a.RecurrencePattern.ModifiedInstanceDates.size())
    return error{errc::invalid_size, at, "ExceptionCount"};
  // each ExceptionInfo takes 14 bytes at least
  if (*count > in.remaining() / 14) return error{errc::count_too_large, at, "ExceptionCount"};
  a.ExceptionInfo.reserve(*count);
  for (std::uint16_t i = 0; i < *count; ++i) {
    auto e = read_exception_info(in);
    if (!e) return e.error();
    a.ExceptionInfo.push_back(std::move(*e));
  }
  auto rb1 = d::read_block(in, lim, "ReservedBlock1Size");
  if (!rb1) return rb1.error();
  a.ReservedBlock1 = std::move(*rb1);
  a.ExtendedException.reserve(*count);
  for (const auto& e : a.ExceptionInfo) {
    auto x = read_extended_exception(in, e.OverrideFlags, a.WriterVersion2, lim);
    if (!x) return x.error();
    a.ExtendedException.push_back(std::move(*x));
  }
  auto rb2 = d::read_block(in, lim, "ReservedBlock2Size");
  if (!rb2) return rb2.error();
  a.ReservedBlock2 = std::move(*rb2);
  return a;
}

/// A whole RecurrencePattern BLOB (as PidLidTaskRecurrence holds one); bytes after it are
/// mapi::errc::invalid_size: `auto p = decode_recurrence_pattern(blob);`.
[[nodiscard]] inline result<RecurrencePattern> decode_recurrence_pattern(
    bytes_view b, const recurrence_limits& lim = {}) {
  reader in(b);
  auto p = read_recurrence_pattern(in, lim);
  if (p && !in.empty())
    return error{errc::invalid_size, in.offset(), "RecurrencePattern trailing bytes"};
  return p;
}

/// A whole PidLidAppointmentRecur value; bytes after it are mapi::errc::invalid_size:
/// `auto a = decode_appointment_recurrence(blob);`.
[[nodiscard]] inline result<AppointmentRecurrencePattern> decode_appointment_recurrence(
    bytes_view b, const recurrence_limits& lim = {}) {
  reader in(b);
  auto a = read_appointment_recurrence(in, lim);
  if (a && !in.empty())
    return error{errc::invalid_size, in.offset(), "AppointmentRecurrencePattern trailing bytes"};
  return a;
}

// --- encode ----------------------------------------------------------------------------------

namespace detail::recurrence {

template <class Sink>
[[nodiscard]] result<void> write_dates(basic_writer<Sink>& w, const std::vector<std::uint32_t>& v,
                                       const char* what) {
  if (v.size() > 0xFFFFFFFFu) return error{oxwire::errc::invalid_argument, w.size(), what};
  if (auto r = w.template write<std::uint32_t>(static_cast<std::uint32_t>(v.size()), what); !r)
    return r;
  for (const auto d : v)
    if (auto r = w.template write<std::uint32_t>(d, what); !r) return r;
  return {};
}

template <class Sink>
[[nodiscard]] result<void> write_block(basic_writer<Sink>& w, const std::vector<std::uint8_t>& b,
                                       const char* what) {
  if (b.size() > 0xFFFFFFFFu) return error{oxwire::errc::invalid_argument, w.size(), what};
  if (auto r = w.template write<std::uint32_t>(static_cast<std::uint32_t>(b.size()), what); !r)
    return r;
  return w.write_bytes(b, what);
}

template <class Sink>
[[nodiscard]] result<void> write_string8(basic_writer<Sink>& w, const std::string& s,
                                         const char* what) {
  if (s.size() >= 0xFFFF) return error{oxwire::errc::invalid_argument, w.size(), what};
  const auto n = static_cast<std::uint16_t>(s.size());
  if (auto r = w.template write<std::uint16_t>(static_cast<std::uint16_t>(n + 1), what); !r)
    return r;
  if (auto r = w.template write<std::uint16_t>(n, what); !r) return r;
  return w.write_bytes(oxwire::as_bytes(s), what);
}

template <class Sink>
[[nodiscard]] result<void> write_wide(basic_writer<Sink>& w, const std::u16string& s,
                                      const char* what) {
  if (s.size() > 0xFFFF) return error{oxwire::errc::invalid_argument, w.size(), what};
  if (auto r = w.template write<std::uint16_t>(static_cast<std::uint16_t>(s.size()), what); !r)
    return r;
  for (const char16_t c : s)
    if (auto r = w.template write<std::uint16_t>(c, what); !r) return r;
  return {};
}

}  // namespace detail::recurrence

/// Writes a RecurrencePattern; the PatternTypeSpecific fields its PatternType carries are
/// written, the others must be 0 (errc::invalid_argument), so that decode(encode(p)) == p.
template <class Sink>
[[nodiscard]] result<void> encode(basic_writer<Sink>& w, const RecurrencePattern& p) {
  namespace d = detail::recurrence;
  const auto u16 = [&w](std::uint16_t v, const char* what) {
    return w.template write<std::uint16_t>(v, what);
  };
  const auto u32 = [&w](std::uint32_t v, const char* what) {
    return w.template write<std::uint32_t>(v, what);
  };
  if ((!d::has_day_mask(p.PatternType) && p.DayMask) || (!d::has_day(p.PatternType) && p.Day) ||
      (!d::has_n(p.PatternType) && p.N))
    return error{oxwire::errc::invalid_argument, w.size(), "PatternTypeSpecific"};
  for (auto r : {u16(p.ReaderVersion, "ReaderVersion"), u16(p.WriterVersion, "WriterVersion"),
                 u16(static_cast<std::uint16_t>(p.RecurFrequency), "RecurFrequency"),
                 u16(static_cast<std::uint16_t>(p.PatternType), "PatternType"),
                 u16(p.CalendarType, "CalendarType"), u32(p.FirstDateTime, "FirstDateTime"),
                 u32(p.Period, "Period"), u32(p.SlidingFlag, "SlidingFlag")})
    if (!r) return r;
  if (d::has_day_mask(p.PatternType))
    if (auto r = u32(p.DayMask, "PatternTypeSpecific"); !r) return r;
  if (d::has_day(p.PatternType))
    if (auto r = u32(p.Day, "PatternTypeSpecific"); !r) return r;
  if (d::has_n(p.PatternType))
    if (auto r = u32(p.N, "PatternTypeSpecific"); !r) return r;
  for (auto r : {u32(static_cast<std::uint32_t>(p.EndType), "EndType"),
                 u32(p.OccurrenceCount, "OccurrenceCount"), u32(p.FirstDOW, "FirstDOW"),
                 d::write_dates(w, p.DeletedInstanceDates, "DeletedInstanceDates"),
                 d::write_dates(w, p.ModifiedInstanceDates, "ModifiedInstanceDates"),
                 u32(p.StartDate, "StartDate"), u32(p.EndDate, "EndDate")})
    if (!r) return r;
  return {};
}

/// Writes an ExceptionInfo: the optional fields its OverrideFlags name.
template <class Sink>
[[nodiscard]] result<void> encode(basic_writer<Sink>& w, const ExceptionInfo& e) {
  namespace d = detail::recurrence;
  namespace f = override_flag;
  if (e.OverrideFlags & ~f::all)
    return error{oxwire::errc::invalid_argument, w.size(), "OverrideFlags"};
  const auto u32 = [&](std::uint16_t flag, std::uint32_t v, const char* what) -> result<void> {
    if (flag && !(e.OverrideFlags & flag)) return {};
    return w.template write<std::uint32_t>(v, what);
  };
  const auto str = [&](std::uint16_t flag, const std::string& s, const char* what) {
    return e.OverrideFlags & flag ? d::write_string8(w, s, what) : result<void>{};
  };
  if (auto r = u32(0, e.StartDateTime, "StartDateTime"); !r) return r;
  if (auto r = u32(0, e.EndDateTime, "EndDateTime"); !r) return r;
  if (auto r = u32(0, e.OriginalStartDate, "OriginalStartDate"); !r) return r;
  if (auto r = w.template write<std::uint16_t>(e.OverrideFlags, "OverrideFlags"); !r) return r;
  if (auto r = str(f::ARO_SUBJECT, e.Subject, "Subject"); !r) return r;
  if (auto r = u32(f::ARO_MEETINGTYPE, e.MeetingType, "MeetingType"); !r) return r;
  if (auto r = u32(f::ARO_REMINDERDELTA, e.ReminderDelta, "ReminderDelta"); !r) return r;
  if (auto r = u32(f::ARO_REMINDER, e.ReminderSet, "ReminderSet"); !r) return r;
  if (auto r = str(f::ARO_LOCATION, e.Location, "Location"); !r) return r;
  if (auto r = u32(f::ARO_BUSYSTATUS, e.BusyStatus, "BusyStatus"); !r) return r;
  if (auto r = u32(f::ARO_ATTACHMENT, e.Attachment, "Attachment"); !r) return r;
  if (auto r = u32(f::ARO_SUBTYPE, e.SubType, "SubType"); !r) return r;
  return u32(f::ARO_APPTCOLOR, e.AppointmentColor, "AppointmentColor");
}

/// Writes an ExtendedException for its ExceptionInfo's `override_flags` and `writer_version2`.
template <class Sink>
[[nodiscard]] result<void> encode(basic_writer<Sink>& w, const ExtendedException& x,
                                  std::uint16_t override_flags, std::uint32_t writer_version2) {
  namespace d = detail::recurrence;
  namespace f = override_flag;
  if (writer_version2 >= 0x3009) {
    if (x.ChangeHighlightReserved.size() > 0xFFFFFFFBu)
      return error{oxwire::errc::invalid_argument, w.size(), "ChangeHighlightSize"};
    const auto size = static_cast<std::uint32_t>(4 + x.ChangeHighlightReserved.size());
    if (auto r = w.template write<std::uint32_t>(size, "ChangeHighlightSize"); !r) return r;
    if (auto r = w.template write<std::uint32_t>(x.ChangeHighlightValue, "ChangeHighlightValue");
        !r)
      return r;
    if (auto r = w.write_bytes(x.ChangeHighlightReserved, "ChangeHighlight"); !r) return r;
  }
  if (auto r = d::write_block(w, x.ReservedBlockEE1, "ReservedBlockEE1"); !r) return r;
  if (!(override_flags & (f::ARO_SUBJECT | f::ARO_LOCATION))) return {};
  for (const auto v : {x.StartDateTime, x.EndDateTime, x.OriginalStartDate})
    if (auto r = w.template write<std::uint32_t>(v, "ExtendedException"); !r) return r;
  if (override_flags & f::ARO_SUBJECT)
    if (auto r = d::write_wide(w, x.WideCharSubject, "WideCharSubject"); !r) return r;
  if (override_flags & f::ARO_LOCATION)
    if (auto r = d::write_wide(w, x.WideCharLocation, "WideCharLocation"); !r) return r;
  return d::write_block(w, x.ReservedBlockEE2, "ReservedBlockEE2");
}

/// Writes an AppointmentRecurrencePattern; ExceptionInfo, ExtendedException and
/// ModifiedInstanceDates must have the same size (errc::invalid_argument).
template <class Sink>
[[nodiscard]] result<void> encode(basic_writer<Sink>& w, const AppointmentRecurrencePattern& a) {
  namespace d = detail::recurrence;
  const std::size_t n = a.ExceptionInfo.size();
  if (n > 0xFFFF || a.ExtendedException.size() != n ||
      a.RecurrencePattern.ModifiedInstanceDates.size() != n)
    return error{oxwire::errc::invalid_argument, w.size(), "ExceptionCount"};
  if (auto r = encode(w, a.RecurrencePattern); !r) return r;
  for (const auto v : {a.ReaderVersion2, a.WriterVersion2, a.StartTimeOffset, a.EndTimeOffset})
    if (auto r = w.template write<std::uint32_t>(v, "AppointmentRecurrencePattern"); !r) return r;
  if (auto r = w.template write<std::uint16_t>(static_cast<std::uint16_t>(n), "ExceptionCount"); !r)
    return r;
  for (const auto& e : a.ExceptionInfo)
    if (auto r = encode(w, e); !r) return r;
  if (auto r = d::write_block(w, a.ReservedBlock1, "ReservedBlock1"); !r) return r;
  for (std::size_t i = 0; i < n; ++i)
    if (auto r =
            encode(w, a.ExtendedException[i], a.ExceptionInfo[i].OverrideFlags, a.WriterVersion2);
        !r)
      return r;
  return d::write_block(w, a.ReservedBlock2, "ReservedBlock2");
}

/// The PidLidAppointmentRecur bytes of `a`: `auto blob = encode_appointment_recurrence(a);`.
[[nodiscard]] inline result<std::vector<std::uint8_t>> encode_appointment_recurrence(
    const AppointmentRecurrencePattern& a) {
  std::vector<std::uint8_t> out;
  vector_writer w(out);
  if (auto r = encode(w, a); !r) return r.error();
  return out;
}

// --- occurrences -----------------------------------------------------------------------------

/// One instance of a series: where it is (moved if modified) and where the pattern put it.
struct occurrence {
  std::uint32_t start = 0;                   // minutes since 1601-01-01
  std::uint32_t end = 0;                     //
  std::uint32_t original_start = 0;          // the pattern's start of this instance
  const ExceptionInfo* exception = nullptr;  // the modification, if the instance has one

  friend bool operator==(const occurrence&, const occurrence&) = default;
};

/// How much `expand_occurrences` does at most.
struct expand_limits {
  std::size_t max_occurrences = 1000;  // occurrences returned
  std::size_t max_steps = 1'000'000;   // instances (days, for day masks) walked
};

namespace detail::recurrence {

/// The instance date of a Month, MonthEnd or MonthNth pattern in month `ym` (Day past the
/// month's end is its last day).
[[nodiscard]] inline std::chrono::sys_days month_instance(const RecurrencePattern& p,
                                                          std::chrono::year_month ym) {
  using namespace std::chrono;
  const day month_end = (ym / last).day();
  if (p.PatternType == pattern_type::MonthEnd) return sys_days{ym / month_end};
  if (p.PatternType == pattern_type::Month) return sys_days{ym / std::min(day{p.Day}, month_end)};
  // MonthNth: the N-th day of the month whose weekday is in DayMask, N = 5 the last one
  sys_days found{};
  unsigned seen = 0;
  for (unsigned d = 1; d <= unsigned(month_end); ++d) {
    const sys_days day_d{ym / day{d}};
    if (!((p.DayMask >> weekday{day_d}.c_encoding()) & 1)) continue;
    found = day_d;
    if (++seen == p.N && p.N != 5) break;
  }
  return found;
}

}  // namespace detail::recurrence

/// The occurrences of a series that overlap [from, to) (minutes since 1601), sorted by start:
/// the pattern's instances without the deleted ones (DeletedInstanceDates holds the original
/// dates of deleted and modified instances), plus each modified instance (ExceptionInfo) where
/// it was moved. errc::limit_exceeded past `lim`; mapi::errc::invalid_kind for the Hijri
/// patterns (not expanded). `auto v = expand_occurrences(a, from, to);`
[[nodiscard]] inline result<std::vector<occurrence>> expand_occurrences(
    const AppointmentRecurrencePattern& a, std::uint32_t from, std::uint32_t to,
    const expand_limits& lim = {}) {
  using namespace std::chrono;
  const RecurrencePattern& p = a.RecurrencePattern;
  if (p.PatternType >= pattern_type::HjMonth || p.Period == 0)
    return error{errc::invalid_kind, 0, "PatternType"};
  std::vector<std::uint32_t> deleted = p.DeletedInstanceDates;
  std::sort(deleted.begin(), deleted.end());
  std::vector<occurrence> out;
  const auto overlaps = [&](std::int64_t s, std::int64_t e) {
    return s < to && (e > from || (s == e && s >= from));
  };
  const auto emit = [&](occurrence o) -> result<void> {
    if (out.size() == lim.max_occurrences)
      return error{oxwire::errc::limit_exceeded, 0, "occurrences"};
    out.push_back(o);
    return {};
  };
  const std::int64_t length = std::int64_t{a.EndTimeOffset} - a.StartTimeOffset;
  const bool by_count = p.EndType == end_type::end_after_n_occurrences;
  const std::int64_t last_day = by_count ? std::int64_t{0xFFFFFFFF} : p.EndDate;
  std::uint64_t instances = 0;
  std::size_t steps = 0;
  // visits one candidate day (minutes at midnight); false to stop
  const auto visit = [&](std::int64_t day) -> result<bool> {
    if (++steps > lim.max_steps) return error{oxwire::errc::limit_exceeded, 0, "steps"};
    if (day < std::int64_t{p.StartDate} / minutes_per_day * minutes_per_day) return true;
    const std::int64_t start = day + a.StartTimeOffset;
    if (day > last_day || start >= to || start > 0xFFFFFFFF) return false;
    if (by_count && instances == p.OccurrenceCount) return false;
    ++instances;
    if (std::binary_search(deleted.begin(), deleted.end(), static_cast<std::uint32_t>(day)) ||
        !overlaps(start, start + length))
      return true;
    const auto s = static_cast<std::uint32_t>(start);
    if (auto r = emit(
            {s, static_cast<std::uint32_t>(std::clamp<std::int64_t>(start + length, 0, 0xFFFFFFFF)),
             s, nullptr});
        !r)
      return r.error();
    return true;
  };
  const std::int64_t first = std::int64_t{p.StartDate} / minutes_per_day;  // days since 1601
  const sys_days first_day = filetime_epoch + days{first};
  const auto minutes_of = [](sys_days d) {
    return std::int64_t{(d - filetime_epoch).count()} * minutes_per_day;
  };
  for (std::uint64_t k = 0;; ++k) {
    result<bool> go = true;
    if (p.PatternType == pattern_type::Day) {
      go = visit(std::int64_t{p.StartDate} + std::int64_t(k * p.Period));
    } else if (p.PatternType == pattern_type::Week) {
      // MS-OXOCAL 2.2.1.44.1.2: weeks begin on FirstDOW; every Period-th week from StartDate's
      const unsigned back = (weekday{first_day}.c_encoding() + 7 - p.FirstDOW % 7) % 7;
      const std::uint64_t offset = k * p.Period * 7;  // k <= max_steps: no overflow
      if (first + offset > 0xFFFFFFFFu / minutes_per_day + 7) break;
      const sys_days week = first_day - days{back} + days{std::int64_t(offset)};
      for (unsigned i = 0; i < 7 && go && *go; ++i)
        if ((p.DayMask >> weekday{week + days{i}}.c_encoding()) & 1)
          go = visit(minutes_of(week + days{i}));
        else if (++steps > lim.max_steps)
          go = error{oxwire::errc::limit_exceeded, 0, "steps"};
    } else {
      const std::uint64_t offset = k * p.Period;  // months; k <= max_steps: no overflow
      if (offset > 12 * 9000) break;              // past any 32-bit minute count
      const year_month ym = year_month_day{first_day}.year() / year_month_day{first_day}.month() +
                            months{std::int64_t(offset)};
      go = visit(minutes_of(detail::recurrence::month_instance(p, ym)));
    }
    if (!go) return go.error();
    if (!*go) break;
  }
  for (const auto& e : a.ExceptionInfo)
    if (overlaps(e.StartDateTime, e.EndDateTime))
      if (auto r = emit({e.StartDateTime, e.EndDateTime, e.OriginalStartDate, &e}); !r)
        return r.error();
  std::sort(out.begin(), out.end(),
            [](const occurrence& x, const occurrence& y) { return x.start < y.start; });
  return out;
}

}  // namespace oxwire::mapi
