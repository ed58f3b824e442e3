// include/oxwire/server/icalendar.hpp: the meeting of an iCalendar invitation (RFC 5545 VEVENT,
// RFC 5546 METHOD) through libical: times in UTC through their zone, the organizer, the rule in
// the shapes MS-OXOCAL 2.2.1.44.1 patterns hold, and clear errors for everything else.
#include <gtest/gtest.h>

#include <oxwire/server/icalendar.hpp>

#include <chrono>
#include <string>

namespace test_icalendar {

namespace srv = oxwire::server;
using namespace std::chrono;

std::string calendar(const std::string& method, const std::string& event) {
  return "BEGIN:VCALENDAR\r\nPRODID:-//Test//EN\r\nVERSION:2.0\r\n" +
         (method.empty() ? std::string() : "METHOD:" + method + "\r\n") +
         "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n"
         "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
         "END:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\n"
         "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
         "END:DAYLIGHT\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\n" +
         event + "END:VEVENT\r\nEND:VCALENDAR\r\n";
}

sys_seconds utc(int y, unsigned m, unsigned d, int h, int min = 0) {
  return sys_days{year{y} / month{m} / day{d}} + hours{h} + minutes{min};
}

TEST(Icalendar, RequestWithZoneOrganizerAndRule) {
  const auto inv = srv::parse_invitation(calendar(
      "REQUEST",
      "UID:abc-123@example.com\r\nSEQUENCE:2\r\nDTSTAMP:20261201T100000Z\r\n"
      "DTSTART;TZID=Europe/Berlin:20260707T100000\r\nDURATION:PT90M\r\nSUMMARY:Planning\r\n"
      "LOCATION:Room 4\r\nORGANIZER;CN=Anna Berg:MAILTO:anna@example.com\r\n"
      "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20260901T000000Z\r\n"));
  ASSERT_TRUE(inv) << inv.error().message();
  EXPECT_EQ(inv->method, "REQUEST");
  EXPECT_EQ(inv->uid, "abc-123@example.com");
  EXPECT_EQ(inv->summary, "Planning");
  EXPECT_EQ(inv->location, "Room 4");
  EXPECT_EQ(inv->organizer, "anna@example.com");
  EXPECT_EQ(inv->organizer_name, "Anna Berg");
  EXPECT_EQ(inv->start, utc(2026, 7, 7, 8));  // CEST: UTC+2
  EXPECT_EQ(inv->end, utc(2026, 7, 7, 9, 30));
  EXPECT_EQ(inv->stamp, utc(2026, 12, 1, 10));
  EXPECT_EQ(inv->sequence, 2);
  EXPECT_FALSE(inv->all_day);
  ASSERT_TRUE(inv->rule);
  EXPECT_EQ(inv->rule->freq, srv::recurrence_rule::frequency::weekly);
  EXPECT_EQ(inv->rule->interval, 2u);
  EXPECT_EQ(inv->rule->days, 0x02 | 0x08);  // Monday, Wednesday
  EXPECT_EQ(inv->rule->until, utc(2026, 9, 1, 0));
  EXPECT_FALSE(inv->rule->count);
}

// RFC 5545 3.8.5.1 EXDATE: each value (a list or several lines) in UTC through its TZID's zone;
// a zone no VTIMEZONE and no system zone names is an error, and so are too many values
TEST(Icalendar, Exdates) {
  const std::string event =
      "UID:x@example.com\r\nDTSTAMP:20261201T100000Z\r\n"
      "DTSTART;TZID=Europe/Berlin:20261207T100000\r\nDTEND;TZID=Europe/Berlin:20261207T110000\r\n"
      "RRULE:FREQ=WEEKLY;COUNT=10\r\n";
  const auto inv = srv::parse_invitation(
      calendar("REQUEST", event + "EXDATE;TZID=Europe/Berlin:20261214T100000,20261221T100000\r\n"
                                  "EXDATE:20270104T090000Z\r\n"));
  ASSERT_TRUE(inv) << inv.error().message();
  EXPECT_EQ(inv->exdates, (std::vector<sys_seconds>{utc(2026, 12, 14, 9), utc(2026, 12, 21, 9),
                                                    utc(2027, 1, 4, 9)}));
  const auto unknown = srv::parse_invitation(
      calendar("REQUEST", event + "EXDATE;TZID=Nowhere/Else:20261214T100000\r\n"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(std::string(unknown.error().what), "EXDATE TZID");
  const auto many = srv::parse_invitation(
      calendar("REQUEST", event + "EXDATE:20261214T090000Z,20261221T090000Z\r\n"),
      {.max_exdates = 1});
  ASSERT_FALSE(many);
  EXPECT_EQ(many.error().code, make_error_code(oxwire::errc::limit_exceeded));
}

// RFC 5545 3.8.4.4 RECURRENCE-ID: the instance's original start in UTC through its TZID's zone; a
// zone nothing names is an error
TEST(Icalendar, RecurrenceId) {
  const std::string event =
      "UID:x@example.com\r\nDTSTAMP:20261201T100000Z\r\n"
      "DTSTART;TZID=Europe/Berlin:20261207T120000\r\nDTEND;TZID=Europe/Berlin:20261207T130000\r\n";
  const auto inv = srv::parse_invitation(
      calendar("REQUEST", event + "RECURRENCE-ID;TZID=Europe/Berlin:20261207T100000\r\n"));
  ASSERT_TRUE(inv) << inv.error().message();
  EXPECT_EQ(inv->recurrence_id, utc(2026, 12, 7, 9));
  const auto none = srv::parse_invitation(calendar("REQUEST", event));
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->recurrence_id);
  const auto unknown = srv::parse_invitation(
      calendar("REQUEST", event + "RECURRENCE-ID;TZID=Nowhere/Else:20261207T100000\r\n"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(std::string(unknown.error().what), "RECURRENCE-ID");
}

TEST(Icalendar, AllDayCancelAndNthWeekdayRules) {
  const auto inv =
      srv::parse_invitation(calendar("CANCEL",
                                     "UID:x@y\r\nDTSTART;VALUE=DATE:20270101\r\n"
                                     "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=4TH;COUNT=5\r\n"));
  ASSERT_TRUE(inv) << inv.error().message();
  EXPECT_EQ(inv->method, "CANCEL");
  EXPECT_TRUE(inv->all_day);
  EXPECT_EQ(inv->start, utc(2027, 1, 1, 0));
  EXPECT_EQ(inv->end, utc(2027, 1, 2, 0));  // a DATE without DTEND: one day
  ASSERT_TRUE(inv->rule);
  EXPECT_EQ(inv->rule->freq, srv::recurrence_rule::frequency::yearly);
  EXPECT_EQ(inv->rule->month, 11);
  EXPECT_EQ(inv->rule->days, 0x10);  // Thursday
  EXPECT_EQ(inv->rule->position, 4);
  EXPECT_EQ(inv->rule->count, 5u);
  // the last Friday by BYSETPOS
  const auto last = srv::parse_invitation(
      calendar("REQUEST",
               "UID:z\r\nDTSTART:20270129T100000Z\r\nRRULE:FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1\r\n"));
  ASSERT_TRUE(last) << last.error().message();
  EXPECT_EQ(last->rule->position, -1);
  EXPECT_EQ(last->rule->days, 0x20);
}

// RFC 5545 3.8.4.1 ATTENDEE with CN and PARTSTAT (3.2.12); a REPLY (RFC 5546 3.2.3) names the one
// who answers; too many attendees are a clear error
TEST(Icalendar, AttendeesAndTheirAnswers) {
  const auto inv =
      srv::parse_invitation(calendar("REPLY",
                                     "UID:abc-123@example.com\r\nDTSTART:20270101T100000Z\r\n"
                                     "ATTENDEE;CN=Ben;PARTSTAT=ACCEPTED:mailto:ben@example.com\r\n"
                                     "ATTENDEE;PARTSTAT=TENTATIVE:MAILTO:carl@example.com\r\n"
                                     "ATTENDEE;PARTSTAT=DECLINED:mailto:dora@example.com\r\n"
                                     "ATTENDEE;PARTSTAT=DELEGATED:mailto:eve@example.com\r\n"
                                     "ATTENDEE:mailto:finn@example.com\r\n"));
  ASSERT_TRUE(inv) << inv.error().message();
  EXPECT_EQ(inv->method, "REPLY");
  ASSERT_EQ(inv->attendees.size(), 5u);
  EXPECT_EQ(inv->attendees[0].address, "ben@example.com");
  EXPECT_EQ(inv->attendees[0].name, "Ben");
  using srv::participation;
  EXPECT_EQ(inv->attendees[0].status, participation::accepted);
  EXPECT_EQ(inv->attendees[1].address, "carl@example.com");
  EXPECT_EQ(inv->attendees[1].name, "");
  EXPECT_EQ(inv->attendees[1].status, participation::tentative);
  EXPECT_EQ(inv->attendees[2].status, participation::declined);
  EXPECT_EQ(inv->attendees[3].status, participation::other);
  EXPECT_EQ(inv->attendees[4].status, participation::needs_action);
  std::string many;
  for (int i = 0; i < 3; ++i) many += "ATTENDEE:mailto:a" + std::to_string(i) + "@example.com\r\n";
  const auto over = srv::parse_invitation(
      calendar("REQUEST", "UID:a\r\nDTSTART:20270101T100000Z\r\n" + many), {.max_attendees = 2});
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, make_error_code(oxwire::errc::limit_exceeded));
}

TEST(Icalendar, ClearErrors) {
  const auto fails = [](const std::string& text, std::string_view what) {
    const auto inv = srv::parse_invitation(text);
    ASSERT_FALSE(inv) << text;
    EXPECT_EQ(std::string_view(inv.error().what), what) << text;
  };
  fails(calendar("", "UID:a\r\nDTSTART:20270101T100000Z\r\n"), "METHOD");
  fails(calendar("REQUEST", "DTSTART:20270101T100000Z\r\n"), "UID, DTSTART");
  fails(calendar("REQUEST", "UID:a\r\nDTSTART:20270101T100000Z\r\nDTEND:20261231T100000Z\r\n"),
        "DTEND");
  // rules no MS-OXOCAL pattern holds
  for (const char* rule : {"FREQ=HOURLY", "FREQ=DAILY;BYHOUR=9,17", "FREQ=MONTHLY;BYMONTHDAY=1,15",
                           "FREQ=YEARLY;BYWEEKNO=20", "FREQ=MONTHLY;BYDAY=1MO,2TU"})
    fails(calendar("REQUEST",
                   std::string("UID:a\r\nDTSTART:20270101T100000Z\r\nRRULE:") + rule + "\r\n"),
          "RRULE");
  fails(calendar("REQUEST", "UID:a\r\nDTSTART;TZID=../../../etc/passwd:20270101T100000\r\n"),
        "TZID");
  fails("not a calendar", "VCALENDAR");
  fails("", "VCALENDAR");
  const auto big = srv::parse_invitation(std::string(2 << 20, 'x'));
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, make_error_code(oxwire::errc::limit_exceeded));
}

}  // namespace test_icalendar
