// oxwire — the meeting an iCalendar invitation carries (RFC 5545 VEVENT in a text/calendar part
// with a METHOD, RFC 5546 iTIP), parsed with libical, as the facts a meeting request needs: who
// organizes it, when and where it is, its UID and sequence, its recurrence rule and the instances
// EXDATE takes out of it, or the one instance (RECURRENCE-ID) it is about.
//
//   auto inv = oxwire::server::parse_invitation(ics_text);   // result<invitation>
//   if (inv && inv->method == "REQUEST") ... inv->start, inv->rule->freq ...
//
// Times come as UTC: a DTSTART with a TZID is converted through that zone (its VTIMEZONE in the
// calendar, else the system's zone database; a TZID that looks like a path is errc::out_of_range),
// a floating time is taken as UTC, a DATE starts an all-day event at 00:00 UTC. A recurrence rule
// is kept only in the shapes an Exchange recurrence can hold (MS-OXOCAL 2.2.1.44.1: daily, weekly
// on days, monthly on a day or on the n-th weekday, yearly likewise); another rule is
// errc::out_of_range ("RRULE"), as are a calendar without a METHOD or a VEVENT, a VEVENT without
// UID or DTSTART, an end before the start, and an EXDATE whose TZID names no zone. Limits: the
// input size and the number of EXDATE values (errc::limit_exceeded).
// libical reports errors inside the component instead of failing; any it reports makes the input
// errc::out_of_range too.
//
// Link with pkg-config libical.
#pragma once

#include <oxwire/core/error.hpp>

#include <libical/ical.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oxwire::server {

/// RFC 5545 3.3.10 RRULE in the shapes MS-OXOCAL 2.2.1.44.1 patterns can hold.
struct recurrence_rule {
  enum class frequency : std::uint8_t { daily, weekly, monthly, yearly };
  frequency freq = frequency::daily;
  std::uint32_t interval = 1;
  std::optional<std::uint32_t> count;             // COUNT
  std::optional<std::chrono::sys_seconds> until;  // UNTIL
  std::uint8_t days = 0;                          // BYDAY weekdays: bit 0 Sunday .. bit 6 Saturday
  int position = 0;              // the n-th of those days (1..4, -1 the last), 0: every
  std::optional<int> month_day;  // BYMONTHDAY (1..31)
  std::optional<int> month;      // BYMONTH (1..12)
};

/// The meeting of an iTIP message.
/// RFC 5545 3.2.12 PARTSTAT of an attendee.
enum class participation { needs_action, accepted, tentative, declined, other };

/// RFC 5545 3.8.4.1 ATTENDEE: the address without "mailto:", its CN and PARTSTAT.
struct attendee {
  std::string address, name;
  participation status = participation::needs_action;
};

struct invitation {
  std::string method;  // RFC 5546 METHOD: REQUEST, CANCEL, REPLY, ...
  std::string uid, summary, location, description;
  std::string organizer, organizer_name;  // the address without "mailto:", and its CN
  std::chrono::sys_seconds start{}, end{}, stamp{};
  bool all_day = false;  // DTSTART is a DATE
  std::int32_t sequence = 0;
  std::optional<recurrence_rule> rule;
  std::vector<std::chrono::sys_seconds> exdates;  // EXDATE: instances taken out of the series
  std::optional<std::chrono::sys_seconds> recurrence_id;  // RECURRENCE-ID: one instance only
  std::vector<attendee> attendees;  // a REPLY has the one who answers (RFC 5546 3.2.3)
};

struct icalendar_options {
  std::size_t max_size = std::size_t{1} << 20;  // bytes of the calendar text
  std::size_t max_exdates = 1000;               // EXDATE values
  std::size_t max_attendees = 1000;             // ATTENDEE properties
};

namespace detail_ical {

inline void init() {
  static std::once_flag once;
  std::call_once(once, [] { icalerror_set_errors_are_fatal(0); });  // never abort() on input
}

struct component_free {
  void operator()(icalcomponent* c) const noexcept { icalcomponent_free(c); }
};

inline std::string str(const char* s) {
  return s ? std::string(s) : std::string();
}

inline std::chrono::sys_seconds utc(const icaltimetype& t) {
  return std::chrono::sys_seconds{
      std::chrono::seconds{icaltime_as_timet_with_zone(t, t.is_date ? nullptr : t.zone)}};
}

inline error bad(const char* what) {
  return error{errc::out_of_range, 0, what};
}

/// The time of property `p` in the zone its TZID names: a VTIMEZONE of `root`, else a zone the
/// system knows (libical resolves DTSTART and DTEND itself, not EXDATE or RECURRENCE-ID). nullopt
/// for a TZID that names no zone.
inline std::optional<icaltimetype> zoned(icalcomponent* root, icalproperty* p, icaltimetype t) {
  icalparameter* tz = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
  if (!tz || t.is_date) return t;
  const char* id = icalparameter_get_tzid(tz);
  icaltimezone* zone = id ? icalcomponent_get_timezone(root, id) : nullptr;
  if (!zone && id) zone = icaltimezone_get_builtin_timezone(id);
  if (!zone) return std::nullopt;
  return icaltime_set_timezone(&t, zone);
}

inline result<recurrence_rule> rule_of(const icalrecurrencetype& r) {
  recurrence_rule out;
  using f = recurrence_rule::frequency;
  switch (r.freq) {
    case ICAL_DAILY_RECURRENCE: out.freq = f::daily; break;
    case ICAL_WEEKLY_RECURRENCE: out.freq = f::weekly; break;
    case ICAL_MONTHLY_RECURRENCE: out.freq = f::monthly; break;
    case ICAL_YEARLY_RECURRENCE: out.freq = f::yearly; break;
    default: return bad("RRULE");
  }
  if (r.interval < 1 || r.count < 0) return bad("RRULE");
  out.interval = static_cast<std::uint32_t>(r.interval);
  if (r.count > 0) out.count = static_cast<std::uint32_t>(r.count);
  if (!icaltime_is_null_time(r.until)) out.until = utc(r.until);
  // what an Exchange pattern cannot say: time parts, year days, week numbers, several months
  // or month days, a set position and a BYDAY ordinal at once
  const auto none = [](const short* v) { return v[0] == ICAL_RECURRENCE_ARRAY_MAX; };
  if (!none(r.by_second) || !none(r.by_minute) || !none(r.by_hour) || !none(r.by_year_day) ||
      !none(r.by_week_no))
    return bad("RRULE");
  if (!none(r.by_month_day)) {
    if (r.by_month_day[1] != ICAL_RECURRENCE_ARRAY_MAX || r.by_month_day[0] < 1)
      return bad("RRULE");
    out.month_day = r.by_month_day[0];
  }
  if (!none(r.by_month)) {
    if (r.by_month[1] != ICAL_RECURRENCE_ARRAY_MAX) return bad("RRULE");
    out.month = icalrecurrencetype_month_month(r.by_month[0]);
  }
  for (int i = 0; i < ICAL_BY_DAY_SIZE && r.by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; ++i) {
    const int weekday = icalrecurrencetype_day_day_of_week(r.by_day[i]);  // 1 Sunday .. 7
    const int n = icalrecurrencetype_day_position(r.by_day[i]);
    if (weekday < 1 || weekday > 7 || (n != 0 && out.position != 0 && n != out.position))
      return bad("RRULE");
    out.days = static_cast<std::uint8_t>(out.days | (1u << (weekday - 1)));
    if (n != 0) out.position = n;
  }
  if (!none(r.by_set_pos)) {
    if (r.by_set_pos[1] != ICAL_RECURRENCE_ARRAY_MAX || out.position != 0) return bad("RRULE");
    out.position = r.by_set_pos[0];
  }
  if (out.position < -1 || out.position > 4 || (out.position != 0 && out.days == 0) ||
      (out.position != 0 && out.month_day))
    return bad("RRULE");
  return out;
}

/// An ORGANIZER or ATTENDEE value without its "mailto:".
inline std::string address(const char* value) {
  std::string who = str(value);
  if (who.size() >= 7 && (who.compare(0, 7, "mailto:") == 0 || who.compare(0, 7, "MAILTO:") == 0))
    who.erase(0, 7);
  return who;
}

/// The CN parameter of a property, or "".
inline std::string cn(icalproperty* p) {
  icalparameter* cn = icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER);
  return cn ? str(icalparameter_get_cn(cn)) : std::string();
}

}  // namespace detail_ical

/// The first VEVENT of an iCalendar object with its METHOD (RFC 5546 3.2).
[[nodiscard]] inline result<invitation> parse_invitation(std::string_view ics,
                                                         const icalendar_options& opt = {}) {
  if (ics.size() > opt.max_size) return error{errc::limit_exceeded, 0, "iCalendar size"};
  detail_ical::init();
  const std::string text(ics);  // libical reads a NUL-terminated string
  std::unique_ptr<icalcomponent, detail_ical::component_free> root(
      icalparser_parse_string(text.c_str()));
  if (!root || icalcomponent_isa(root.get()) != ICAL_VCALENDAR_COMPONENT)
    return detail_ical::bad("VCALENDAR");
  if (icalcomponent_count_errors(root.get()) > 0) return detail_ical::bad("iCalendar syntax");
  const icalproperty_method method = icalcomponent_get_method(root.get());
  if (method == ICAL_METHOD_NONE || method == ICAL_METHOD_X) return detail_ical::bad("METHOD");
  icalcomponent* ev = icalcomponent_get_first_component(root.get(), ICAL_VEVENT_COMPONENT);
  if (!ev) return detail_ical::bad("VEVENT");
  invitation out;
  out.method = detail_ical::str(icalproperty_method_to_string(method));
  out.uid = detail_ical::str(icalcomponent_get_uid(ev));
  out.summary = detail_ical::str(icalcomponent_get_summary(ev));
  out.location = detail_ical::str(icalcomponent_get_location(ev));
  out.description = detail_ical::str(icalcomponent_get_description(ev));
  // a TZID that no VTIMEZONE defines is looked up in the system's zone files by name: no path
  for (const auto kind : {ICAL_DTSTART_PROPERTY, ICAL_DTEND_PROPERTY, ICAL_EXDATE_PROPERTY,
                          ICAL_RECURRENCEID_PROPERTY})
    for (icalproperty* p = icalcomponent_get_first_property(ev, kind); p;
         p = icalcomponent_get_next_property(ev, kind))
      if (icalparameter* tz = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER)) {
        const std::string id = detail_ical::str(icalparameter_get_tzid(tz));
        if (id.find("..") != std::string::npos || id.starts_with('/'))
          return detail_ical::bad("TZID");
      }
  const icaltimetype start = icalcomponent_get_dtstart(ev);
  if (out.uid.empty() || icaltime_is_null_time(start)) return detail_ical::bad("UID, DTSTART");
  out.all_day = start.is_date;
  out.start = detail_ical::utc(start);
  const icaltimetype end = icalcomponent_get_dtend(ev);  // from DURATION when there is no DTEND
  out.end = icaltime_is_null_time(end)
                ? out.start + (out.all_day ? std::chrono::days{1} : std::chrono::seconds{0})
                : detail_ical::utc(end);
  if (out.end < out.start) return detail_ical::bad("DTEND");
  const icaltimetype stamp = icalcomponent_get_dtstamp(ev);
  out.stamp = icaltime_is_null_time(stamp) ? out.start : detail_ical::utc(stamp);
  out.sequence = icalcomponent_get_sequence(ev);
  if (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY)) {
    out.organizer = detail_ical::address(icalproperty_get_organizer(p));
    out.organizer_name = detail_ical::cn(p);
  }
  for (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY); p;
       p = icalcomponent_get_next_property(ev, ICAL_ATTENDEE_PROPERTY)) {
    if (out.attendees.size() >= opt.max_attendees)
      return error{errc::limit_exceeded, 0, "ATTENDEE count"};
    auto& a = out.attendees.emplace_back();
    a.address = detail_ical::address(icalproperty_get_attendee(p));
    a.name = detail_ical::cn(p);
    if (icalparameter* ps = icalproperty_get_first_parameter(p, ICAL_PARTSTAT_PARAMETER)) {
      switch (icalparameter_get_partstat(ps)) {
        case ICAL_PARTSTAT_NEEDSACTION: a.status = participation::needs_action; break;
        case ICAL_PARTSTAT_ACCEPTED: a.status = participation::accepted; break;
        case ICAL_PARTSTAT_TENTATIVE: a.status = participation::tentative; break;
        case ICAL_PARTSTAT_DECLINED: a.status = participation::declined; break;
        default: a.status = participation::other; break;
      }
    }
  }
  if (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY)) {
    auto rule = detail_ical::rule_of(icalproperty_get_rrule(p));
    if (!rule) return rule.error();
    out.rule = *rule;
  }
  // RFC 5545 3.8.4.4 RECURRENCE-ID: the original start of the one instance this is about
  if (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_RECURRENCEID_PROPERTY)) {
    const auto id = detail_ical::zoned(root.get(), p, icalproperty_get_recurrenceid(p));
    if (!id || icaltime_is_null_time(*id)) return detail_ical::bad("RECURRENCE-ID");
    out.recurrence_id = detail_ical::utc(*id);
  }
  // RFC 5545 3.8.5.1 EXDATE, in the zone its TZID names
  for (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_EXDATE_PROPERTY); p;
       p = icalcomponent_get_next_property(ev, ICAL_EXDATE_PROPERTY)) {
    if (out.exdates.size() >= opt.max_exdates)
      return error{errc::limit_exceeded, 0, "EXDATE count"};
    const icaltimetype t = icalproperty_get_exdate(p);
    if (icaltime_is_null_time(t)) return detail_ical::bad("EXDATE");
    const auto at = detail_ical::zoned(root.get(), p, t);
    if (!at) return detail_ical::bad("EXDATE TZID");
    out.exdates.push_back(detail_ical::utc(*at));
  }
  return out;
}

}  // namespace oxwire::server
