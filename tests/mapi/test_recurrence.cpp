// MS-OXOCAL 2.2.1.44 recurrence BLOBs: the spec's section 4 examples byte for byte, round trips
// of every PatternType and OverrideFlags field, every decoder and encoder error, FirstDateTime and
// the expansion of every Gregorian pattern into occurrences.
#include <oxwire/mapi/recurrence.hpp>

#include <gtest/gtest.h>
#include <oxwire_test/assertions.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace test_recurrence {

namespace mapi = oxwire::mapi;
using mapi::AppointmentRecurrencePattern;
using mapi::ExceptionInfo;
using mapi::ExtendedException;
using mapi::pattern_type;
using mapi::recur_frequency;
using mapi::RecurrencePattern;
using oxwire_test::fails_with;
using oxwire_test::from_hex;
using bytes = std::vector<std::uint8_t>;
namespace flag = mapi::override_flag;

// MS-OXOCAL 4.1.1.3 Daily Recurrence BLOB with Exceptions: every three days from 4/7/2011 until
// 5/4/2011, 8:00-8:30 A.M., the instances of 4/19 and 4/22 deleted.
const bytes daily_example = from_hex(
    "043004300A2000000000A0050000E010000000000000212000000A0000000000000002000000A0C1DC0C80D2DC0C"
    "00000000207EDC0C0016DD0C0630000009300000E0010000FE01000000000000000000000000");

// MS-OXOCAL section 4 meeting request with an exception: Monday, Thursday and Friday 10:00-10:30
// A.M., 12 occurrences; the 4/16/2007 instance moved to 11:00 with a new subject and location.
const bytes exception_example = from_hex(
    "043004300B2001000000C0210000010000000000000032000000222000000C0000000000000001000000A096BC0C"
    "01000000A096BC0C8020BC0C20ADBC0C0630000009300000580200007602000001003499BC0C5299BC0CF898BC0C"
    "11002200210053696D706C6520526563757272656E6365207769746820657863657074696F6E7308000700333"
    "42F34313431000000000400000000000000000000003499BC0C5299BC0CF898BC0C2100530069006D0070006C00"
    "6500200052006500630075007200720065006E006300650020007700690074006800200065007800630065007000"
    "740069006F006E0073000700330034002F0034003100340031000000000000000000");

bytes encoded(const AppointmentRecurrencePattern& a) {
  return mapi::encode_appointment_recurrence(a).value();
}

/// `b` with the little-endian T at `at` replaced by `v`.
template <class T>
bytes patched(bytes b, std::size_t at, T v) {
  for (std::size_t i = 0; i < sizeof(T); ++i)
    b.at(at + i) = static_cast<std::uint8_t>(v >> (8 * i));
  return b;
}

/// `b` with `extra` inserted at `at`.
bytes inserted(bytes b, std::size_t at, const bytes& extra) {
  b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), extra.begin(), extra.end());
  return b;
}

TEST(Recurrence, DailyExampleDecodesToTheDocumentedFields) {
  ASSERT_EQ(daily_example.size(), 0x54u);
  const auto a = mapi::decode_appointment_recurrence(daily_example);
  ASSERT_TRUE(a) << a.error().message();
  const RecurrencePattern& p = a->RecurrencePattern;
  EXPECT_EQ(p.ReaderVersion, 0x3004);
  EXPECT_EQ(p.WriterVersion, 0x3004);
  EXPECT_EQ(p.RecurFrequency, recur_frequency::Daily);
  EXPECT_EQ(p.PatternType, pattern_type::Day);
  EXPECT_EQ(p.CalendarType, 0);
  EXPECT_EQ(p.FirstDateTime, 1440u);
  EXPECT_EQ(p.Period, 4320u);
  EXPECT_EQ(p.SlidingFlag, 0u);
  EXPECT_EQ(p.EndType, mapi::end_type::end_after_date);
  EXPECT_EQ(p.OccurrenceCount, 10u);
  EXPECT_EQ(p.FirstDOW, 0u);
  EXPECT_EQ(p.DeletedInstanceDates, (std::vector<std::uint32_t>{0x0CDCC1A0, 0x0CDCD280}));
  EXPECT_TRUE(p.ModifiedInstanceDates.empty());
  EXPECT_EQ(p.StartDate, 0x0CDC7E20u);
  EXPECT_EQ(p.EndDate, 0x0CDD1600u);
  EXPECT_EQ(a->ReaderVersion2, 0x3006u);
  EXPECT_EQ(a->WriterVersion2, 0x3009u);
  EXPECT_EQ(a->StartTimeOffset, 480u);  // 8:00 A.M.
  EXPECT_EQ(a->EndTimeOffset, 510u);    // 8:30 A.M.
  EXPECT_TRUE(a->ExceptionInfo.empty());
  EXPECT_TRUE(a->ExtendedException.empty());
  EXPECT_EQ(encoded(*a), daily_example);
  // MS-OXOCAL 2.2.1.44.1.1: FirstDateTime = StartDate % Period (215,776,800 % 4320 = 1440)
  EXPECT_EQ(mapi::first_date_time(p), 1440u);
  // 4/7/2011 is the start date
  using namespace std::chrono;
  EXPECT_EQ(floor<days>(mapi::recurrence_time(p.StartDate)), sys_days{2011y / April / 7});
}

TEST(Recurrence, ExceptionExampleDecodesToTheDocumentedFields) {
  ASSERT_EQ(exception_example.size(), 0x106u);
  const auto a = mapi::decode_appointment_recurrence(exception_example);
  ASSERT_TRUE(a) << a.error().message();
  const RecurrencePattern& p = a->RecurrencePattern;
  EXPECT_EQ(p.RecurFrequency, recur_frequency::Weekly);
  EXPECT_EQ(p.PatternType, pattern_type::Week);
  EXPECT_EQ(p.FirstDateTime, 0x21C0u);
  EXPECT_EQ(p.Period, 1u);
  EXPECT_EQ(p.DayMask, 0x32u);  // Monday, Thursday, Friday
  EXPECT_EQ(p.Day, 0u);
  EXPECT_EQ(p.EndType, mapi::end_type::end_after_n_occurrences);
  EXPECT_EQ(p.OccurrenceCount, 12u);
  EXPECT_EQ(p.DeletedInstanceDates, (std::vector<std::uint32_t>{0x0CBC96A0}));
  EXPECT_EQ(p.ModifiedInstanceDates, (std::vector<std::uint32_t>{0x0CBC96A0}));
  EXPECT_EQ(p.StartDate, 0x0CBC2080u);
  EXPECT_EQ(p.EndDate, 0x0CBCAD20u);
  EXPECT_EQ(a->StartTimeOffset, 600u);
  EXPECT_EQ(a->EndTimeOffset, 630u);
  ASSERT_EQ(a->ExceptionInfo.size(), 1u);
  const ExceptionInfo& e = a->ExceptionInfo[0];
  EXPECT_EQ(e.StartDateTime, 0x0CBC9934u);
  EXPECT_EQ(e.EndDateTime, 0x0CBC9952u);
  EXPECT_EQ(e.OriginalStartDate, 0x0CBC98F8u);
  EXPECT_EQ(e.OverrideFlags, flag::ARO_SUBJECT | flag::ARO_LOCATION);
  EXPECT_EQ(e.Subject, "Simple Recurrence with exceptions");
  EXPECT_EQ(e.Location, "34/4141");
  ASSERT_EQ(a->ExtendedException.size(), 1u);
  const ExtendedException& x = a->ExtendedException[0];
  EXPECT_EQ(x.ChangeHighlightValue, 0u);
  EXPECT_TRUE(x.ChangeHighlightReserved.empty());
  EXPECT_TRUE(x.ReservedBlockEE1.empty());
  EXPECT_EQ(x.StartDateTime, e.StartDateTime);
  EXPECT_EQ(x.OriginalStartDate, e.OriginalStartDate);
  EXPECT_EQ(x.WideCharSubject, u"Simple Recurrence with exceptions");
  EXPECT_EQ(x.WideCharLocation, u"34/4141");
  EXPECT_EQ(encoded(*a), exception_example);
  EXPECT_EQ(mapi::first_date_time(p), 0x21C0u);  // 2.2.1.44.1.1 weekly
}

TEST(Recurrence, ExpandsTheDailyExampleWithoutItsDeletedInstances) {
  const auto a = mapi::decode_appointment_recurrence(daily_example).value();
  const auto& p = a.RecurrencePattern;
  const auto v = mapi::expand_occurrences(a, 0, 0xFFFFFFFF);
  ASSERT_TRUE(v) << v.error().message();
  // ten instances 4/7 .. 5/4 every three days, 4/19 and 4/22 deleted
  ASSERT_EQ(v->size(), 8u);
  std::vector<std::uint32_t> days;
  for (const auto& o : *v) {
    EXPECT_EQ(o.end - o.start, 30u);
    EXPECT_EQ(o.start, o.original_start);
    EXPECT_EQ(o.exception, nullptr);
    days.push_back((o.start - 480 - p.StartDate) / 1440);
  }
  EXPECT_EQ(days, (std::vector<std::uint32_t>{0, 3, 6, 9, 18, 21, 24, 27}));
  // a window over the second and third instances only
  const auto w = mapi::expand_occurrences(a, p.StartDate + 3 * 1440, p.StartDate + 7 * 1440);
  ASSERT_TRUE(w);
  ASSERT_EQ(w->size(), 2u);
  EXPECT_EQ((*w)[0].start, p.StartDate + 3 * 1440 + 480);
}

TEST(Recurrence, ExpandsTheExceptionExampleWithItsMovedInstance) {
  const auto a = mapi::decode_appointment_recurrence(exception_example).value();
  const auto v = mapi::expand_occurrences(a, 0, 0xFFFFFFFF);
  ASSERT_TRUE(v) << v.error().message();
  ASSERT_EQ(v->size(), 12u);
  const std::uint32_t base = a.RecurrencePattern.StartDate;
  const std::array<std::uint32_t, 12> want_days{0, 3, 4, 7, 10, 11, 14, 17, 18, 21, 24, 25};
  for (std::size_t i = 0; i < 12; ++i) {
    const auto& o = (*v)[i];
    EXPECT_EQ((o.original_start - base) / 1440, want_days[i]) << i;
    // the 4/16 instance (day 21) moved from 10:00 to 11:00
    EXPECT_EQ(o.start - base - want_days[i] * 1440, i == 9 ? 660u : 600u) << i;
    EXPECT_EQ(o.exception, i == 9 ? &a.ExceptionInfo[0] : nullptr);
  }
}

/// A pattern of each PatternType with its PatternTypeSpecific set.
RecurrencePattern pattern_of(pattern_type t) {
  RecurrencePattern p;
  p.PatternType = t;
  p.StartDate = 0x0CDC7E20;  // 4/7/2011
  p.EndType = mapi::end_type::end_after_n_occurrences;
  p.OccurrenceCount = 6;
  p.EndDate = 0x0CE00000;
  switch (t) {
    case pattern_type::Day: p.RecurFrequency = recur_frequency::Daily, p.Period = 2 * 1440; break;
    case pattern_type::Week:
      p.RecurFrequency = recur_frequency::Weekly, p.Period = 2, p.DayMask = 0x22, p.FirstDOW = 1;
      break;
    case pattern_type::Month:
    case pattern_type::HjMonth:
    case pattern_type::MonthEnd:
    case pattern_type::HjMonthEnd:
      p.RecurFrequency = recur_frequency::Monthly, p.Period = 1, p.Day = 31;
      break;
    case pattern_type::MonthNth:
    case pattern_type::HjMonthNth:
      p.RecurFrequency = recur_frequency::Yearly, p.Period = 12, p.DayMask = 0x20, p.N = 5;
      break;
  }
  if (t >= pattern_type::HjMonth) p.CalendarType = 0x0006;  // Hijri
  p.FirstDateTime = mapi::first_date_time(p);
  return p;
}

constexpr std::array all_patterns{pattern_type::Day,        pattern_type::Week,
                                  pattern_type::Month,      pattern_type::MonthNth,
                                  pattern_type::MonthEnd,   pattern_type::HjMonth,
                                  pattern_type::HjMonthNth, pattern_type::HjMonthEnd};

TEST(Recurrence, EveryPatternTypeRoundTrips) {
  for (const auto t : all_patterns) {
    SCOPED_TRACE(static_cast<int>(t));
    RecurrencePattern p = pattern_of(t);
    p.DeletedInstanceDates = {p.StartDate + 1440, p.StartDate + 2 * 1440};
    bytes out;
    oxwire::vector_writer w(out);
    ASSERT_TRUE(mapi::encode(w, p));
    const auto back = mapi::decode_recurrence_pattern(out);
    ASSERT_TRUE(back) << back.error().message();
    EXPECT_EQ(*back, p);
    // PatternTypeSpecific: 0 bytes (Day), 4 (Week, Month*), 8 (MonthNth)
    const std::size_t specific =
        t == pattern_type::Day
            ? 0
            : (t == pattern_type::MonthNth || t == pattern_type::HjMonthNth ? 8 : 4);
    EXPECT_EQ(out.size(), 22 + specific + 12 + 4 + 8 + 4 + 8);
  }
}

TEST(Recurrence, EveryOverrideFieldRoundTrips) {
  AppointmentRecurrencePattern a;
  a.RecurrencePattern = pattern_of(pattern_type::Week);
  a.StartTimeOffset = 600, a.EndTimeOffset = 660;
  const std::uint32_t d0 = a.RecurrencePattern.StartDate;
  a.RecurrencePattern.DeletedInstanceDates = {d0, d0 + 7 * 1440};
  a.RecurrencePattern.ModifiedInstanceDates = {d0, d0 + 7 * 1440};
  ExceptionInfo all{d0 + 700, d0 + 760, d0 + 600, flag::all, "Subj", 1, 15, 1, "Loc", 3, 1, 1, 5};
  ExceptionInfo none{d0 + 7 * 1440 + 500,
                     d0 + 7 * 1440 + 560,
                     d0 + 7 * 1440 + 600,
                     0,
                     {},
                     0,
                     0,
                     0,
                     {},
                     0,
                     0,
                     0,
                     0};
  a.ExceptionInfo = {all, none};
  ExtendedException xa;
  xa.ChangeHighlightValue = 0x7F;
  xa.ChangeHighlightReserved = {1, 2, 3};
  xa.ReservedBlockEE1 = {9};
  xa.StartDateTime = all.StartDateTime, xa.EndDateTime = all.EndDateTime;
  xa.OriginalStartDate = all.OriginalStartDate;
  xa.WideCharSubject = u"Subj \u00E9";
  xa.WideCharLocation = u"Loc";
  xa.ReservedBlockEE2 = {4, 5};
  ExtendedException xn;
  xn.ReservedBlockEE1 = {7, 7};
  a.ExtendedException = {xa, xn};
  a.ReservedBlock1 = {0xAA};
  a.ReservedBlock2 = {0xBB, 0xCC};
  for (const std::uint32_t version : {0x3006u, 0x3008u, 0x3009u}) {
    SCOPED_TRACE(version);
    a.WriterVersion2 = version;
    auto want = a;
    if (version < 0x3009)  // no ChangeHighlight on the wire
      for (auto& x : want.ExtendedException)
        x.ChangeHighlightValue = 0, x.ChangeHighlightReserved = {};
    const bytes out = encoded(a);
    const auto back = mapi::decode_appointment_recurrence(out);
    ASSERT_TRUE(back) << back.error().message();
    EXPECT_EQ(*back, want);
    EXPECT_EQ(encoded(*back), out);
  }
}

TEST(Recurrence, EveryProperPrefixOfTheExamplesFails) {
  for (const bytes* example : {&daily_example, &exception_example}) {
    for (std::size_t n = 0; n < example->size(); ++n) {
      const auto r = mapi::decode_appointment_recurrence({example->data(), n});
      ASSERT_FALSE(r) << n;
      EXPECT_LE(r.error().offset, n);
    }
  }
  EXPECT_TRUE(fails_with(mapi::decode_appointment_recurrence({daily_example.data(), 1}),
                         oxwire::errc::truncated, 0, "ReaderVersion"));
  // the ExceptionInfo subject cut off: its 33 bytes do not fit
  EXPECT_TRUE(fails_with(mapi::decode_appointment_recurrence({exception_example.data(), 110}),
                         oxwire::errc::truncated, 98, "Subject"));
}

TEST(Recurrence, RecurrencePatternErrors) {
  const auto bad = [](const bytes& b) { return mapi::decode_appointment_recurrence(b); };
  const bytes& d = daily_example;
  const bytes& x = exception_example;
  EXPECT_TRUE(fails_with(bad(patched<std::uint16_t>(d, 0, 0x3005)), oxwire::errc::out_of_range, 0,
                         "ReaderVersion"));
  EXPECT_TRUE(fails_with(bad(patched<std::uint16_t>(d, 2, 0x3003)), oxwire::errc::out_of_range, 2,
                         "WriterVersion"));
  EXPECT_TRUE(fails_with(bad(patched<std::uint16_t>(d, 4, 0x2009)), mapi::errc::invalid_kind, 4,
                         "RecurFrequency"));
  EXPECT_TRUE(fails_with(bad(patched<std::uint16_t>(d, 6, 0x0005)), mapi::errc::invalid_kind, 6,
                         "PatternType"));
  // Weekly with PatternType Day is not a combination the spec allows
  EXPECT_TRUE(fails_with(bad(patched<std::uint16_t>(d, 4, 0x200B)), mapi::errc::invalid_kind, 6,
                         "PatternType"));
  EXPECT_TRUE(
      fails_with(bad(patched<std::uint32_t>(d, 14, 0)), oxwire::errc::out_of_range, 14, "Period"));
  EXPECT_TRUE(fails_with(bad(patched<std::uint32_t>(x, 22, 0x80)), mapi::errc::invalid_flag, 22,
                         "PatternTypeSpecific"));
  EXPECT_TRUE(fails_with(bad(patched<std::uint32_t>(x, 22, 0)), mapi::errc::invalid_flag, 22,
                         "PatternTypeSpecific"));
  EXPECT_TRUE(fails_with(bad(patched<std::uint32_t>(d, 22, 0x2024)), mapi::errc::invalid_kind, 22,
                         "EndType"));
  EXPECT_TRUE(fails_with(bad(patched<std::uint32_t>(d, 34, 1000)), mapi::errc::count_too_large, 34,
                         "DeletedInstanceCount"));
  EXPECT_TRUE(fails_with(bad(patched<std::uint32_t>(d, 34, 0xFFFFFFFF)),
                         oxwire::errc::limit_exceeded, 34, "DeletedInstanceCount"));
  EXPECT_TRUE(fails_with(bad(patched<std::uint32_t>(d, 46, 9)), mapi::errc::count_too_large, 46,
                         "ModifiedInstanceCount"));
  EXPECT_TRUE(fails_with(mapi::decode_appointment_recurrence(d, {.max_instance_dates = 1}),
                         oxwire::errc::limit_exceeded, 34, "DeletedInstanceCount"));
  // Month and MonthNth PatternTypeSpecific ranges
  RecurrencePattern m = pattern_of(pattern_type::Month);
  bytes mb;
  oxwire::vector_writer mw(mb);
  ASSERT_TRUE(mapi::encode(mw, m));
  EXPECT_TRUE(fails_with(mapi::decode_recurrence_pattern(patched<std::uint32_t>(mb, 22, 32)),
                         oxwire::errc::out_of_range, 22, "PatternTypeSpecific"));
  EXPECT_TRUE(fails_with(mapi::decode_recurrence_pattern(patched<std::uint32_t>(mb, 22, 0)),
                         oxwire::errc::out_of_range, 22, "PatternTypeSpecific"));
  RecurrencePattern n = pattern_of(pattern_type::MonthNth);
  bytes nb;
  oxwire::vector_writer nw(nb);
  ASSERT_TRUE(mapi::encode(nw, n));
  EXPECT_TRUE(fails_with(mapi::decode_recurrence_pattern(patched<std::uint32_t>(nb, 26, 6)),
                         oxwire::errc::out_of_range, 26, "PatternTypeSpecific"));
  nb.push_back(0);
  EXPECT_TRUE(fails_with(mapi::decode_recurrence_pattern(nb), mapi::errc::invalid_size,
                         nb.size() - 1, "RecurrencePattern trailing bytes"));
}

TEST(Recurrence, AppointmentRecurrencePatternErrors) {
  const auto bad = [](const bytes& b) { return mapi::decode_appointment_recurrence(b); };
  const bytes& d = daily_example;
  const bytes& x = exception_example;
  EXPECT_TRUE(fails_with(bad(patched<std::uint32_t>(d, 58, 0x3005)), oxwire::errc::out_of_range, 58,
                         "ReaderVersion2"));
  EXPECT_TRUE(fails_with(bad(patched<std::uint32_t>(d, 62, 0x3005)), oxwire::errc::out_of_range, 62,
                         "WriterVersion2"));
  EXPECT_TRUE(fails_with(bad(patched<std::uint16_t>(d, 74, 1)), mapi::errc::invalid_size, 74,
                         "ExceptionCount"));
  // ExceptionCount matching ModifiedInstanceCount but more than the bytes left could hold
  {
    bytes b = inserted(patched<std::uint32_t>(d, 46, 2), 50, bytes(8, 0));
    b = patched<std::uint16_t>(b, 82, 2);
    EXPECT_TRUE(fails_with(bad(b), mapi::errc::count_too_large, 82, "ExceptionCount"));
  }
  EXPECT_TRUE(fails_with(bad(patched<std::uint16_t>(x, 92, 0x0411)), mapi::errc::invalid_flag, 92,
                         "OverrideFlags"));
  EXPECT_TRUE(fails_with(bad(patched<std::uint16_t>(x, 94, 0x21)), mapi::errc::invalid_size, 94,
                         "Subject"));
  EXPECT_TRUE(fails_with(bad(patched<std::uint16_t>(x, 131, 7)), mapi::errc::invalid_size, 131,
                         "Location"));
  EXPECT_TRUE(fails_with(bad(patched<std::uint32_t>(d, 76, 9)), mapi::errc::count_too_large, 76,
                         "ReservedBlock1Size"));
  EXPECT_TRUE(fails_with(bad(patched<std::uint32_t>(d, 76, 0x7FFFFFFF)),
                         oxwire::errc::limit_exceeded, 76, "ReservedBlock1Size"));
  EXPECT_TRUE(fails_with(bad(patched<std::uint32_t>(x, 146, 3)), mapi::errc::invalid_size, 146,
                         "ChangeHighlightSize"));
  EXPECT_TRUE(fails_with(bad(patched<std::uint32_t>(x, 146, 0x1000)), mapi::errc::count_too_large,
                         146, "ChangeHighlightSize"));
  EXPECT_TRUE(fails_with(bad(patched<std::uint32_t>(x, 146, 0x7FFFFFFF)),
                         oxwire::errc::limit_exceeded, 146, "ChangeHighlightSize"));
  EXPECT_TRUE(fails_with(bad(patched<std::uint32_t>(x, 154, 0x1000)), mapi::errc::count_too_large,
                         154, "ReservedBlockEE1Size"));
  EXPECT_TRUE(fails_with(bad(patched<std::uint16_t>(x, 170, 0x1000)), mapi::errc::count_too_large,
                         170, "WideCharSubjectLength"));
  EXPECT_TRUE(fails_with(bad(patched<std::uint16_t>(x, 238, 0x1000)), mapi::errc::count_too_large,
                         238, "WideCharLocationLength"));
  EXPECT_TRUE(fails_with(bad(patched<std::uint32_t>(x, 254, 5)), mapi::errc::count_too_large, 254,
                         "ReservedBlockEE2Size"));
  EXPECT_TRUE(fails_with(bad(patched<std::uint32_t>(x, 258, 1)), mapi::errc::count_too_large, 258,
                         "ReservedBlock2Size"));
  bytes trailing = d;
  trailing.push_back(0);
  EXPECT_TRUE(fails_with(bad(trailing), mapi::errc::invalid_size, 84,
                         "AppointmentRecurrencePattern trailing bytes"));
}

TEST(Recurrence, EncoderErrors) {
  auto a = mapi::decode_appointment_recurrence(exception_example).value();
  {
    auto b = a;
    b.RecurrencePattern.Day = 3;  // Week carries no Day
    EXPECT_TRUE(fails_with(mapi::encode_appointment_recurrence(b), oxwire::errc::invalid_argument,
                           0, "PatternTypeSpecific"));
  }
  {
    auto b = a;
    b.ExtendedException.clear();
    EXPECT_TRUE(fails_with(mapi::encode_appointment_recurrence(b), oxwire::errc::invalid_argument,
                           0, "ExceptionCount"));
  }
  {
    auto b = a;
    b.ExceptionInfo[0].OverrideFlags = 0x0800;
    EXPECT_TRUE(fails_with(mapi::encode_appointment_recurrence(b), oxwire::errc::invalid_argument,
                           80, "OverrideFlags"));
  }
  {
    auto b = a;
    b.ExceptionInfo[0].Subject.assign(0xFFFF, 'x');
    EXPECT_TRUE(fails_with(mapi::encode_appointment_recurrence(b), oxwire::errc::invalid_argument,
                           94, "Subject"));
  }
  {
    auto b = a;
    b.ExtendedException[0].WideCharLocation.assign(0x10000, u'x');
    EXPECT_TRUE(fails_with(mapi::encode_appointment_recurrence(b), oxwire::errc::invalid_argument,
                           238, "WideCharLocation"));
  }
  std::array<std::uint8_t, 100> small{};
  oxwire::writer w(small);
  EXPECT_TRUE(fails_with(mapi::encode(w, a), oxwire::errc::buffer_too_small, 98, "Subject"));
}

/// The (day since StartDate, minutes after midnight) of each occurrence.
std::vector<std::uint32_t> days_of(const AppointmentRecurrencePattern& a, std::uint32_t to) {
  std::vector<std::uint32_t> out;
  for (const auto& o : mapi::expand_occurrences(a, 0, to).value())
    out.push_back((o.start - a.RecurrencePattern.StartDate) / 1440);
  return out;
}

TEST(Recurrence, ExpandsEveryGregorianPattern) {
  using namespace std::chrono;
  const auto at = [](sys_days d) { return mapi::recurrence_minutes(d).value(); };
  AppointmentRecurrencePattern a;
  a.StartTimeOffset = 60, a.EndTimeOffset = 120;
  // Day: every 2 days, 6 times, from Thursday 2011-04-07
  a.RecurrencePattern = pattern_of(pattern_type::Day);
  EXPECT_EQ(days_of(a, 0xFFFFFFFF), (std::vector<std::uint32_t>{0, 2, 4, 6, 8, 10}));
  // Week: Monday and Friday every other week, weeks starting on Monday: the 4/8 Friday, then the
  // week of 4/18
  a.RecurrencePattern = pattern_of(pattern_type::Week);
  EXPECT_EQ(days_of(a, 0xFFFFFFFF), (std::vector<std::uint32_t>{1, 11, 15, 25, 29, 39}));
  // Month, Day 31: the last day of short months
  a.RecurrencePattern = pattern_of(pattern_type::Month);
  std::vector<std::uint32_t> want;
  for (const sys_days d : {sys_days{2011y / April / 30}, sys_days{2011y / May / 31},
                           sys_days{2011y / June / 30}, sys_days{2011y / July / 31},
                           sys_days{2011y / August / 31}, sys_days{2011y / September / 30}})
    want.push_back((at(d) - a.RecurrencePattern.StartDate) / 1440);
  EXPECT_EQ(days_of(a, 0xFFFFFFFF), want);
  // MonthEnd: the same dates here
  a.RecurrencePattern = pattern_of(pattern_type::MonthEnd);
  EXPECT_EQ(days_of(a, 0xFFFFFFFF), want);
  // MonthNth yearly: the last Friday of April
  a.RecurrencePattern = pattern_of(pattern_type::MonthNth);
  want.clear();
  for (const sys_days d : {sys_days{2011y / April / Friday[last]}, sys_days{2012y / April / 27},
                           sys_days{2013y / April / 26}})
    want.push_back((at(d) - a.RecurrencePattern.StartDate) / 1440);
  a.RecurrencePattern.OccurrenceCount = 3;
  EXPECT_EQ(days_of(a, 0xFFFFFFFF), want);
  // the first weekday of each month (MonthNth with several days)
  a.RecurrencePattern.RecurFrequency = recur_frequency::Monthly;
  a.RecurrencePattern.Period = 1, a.RecurrencePattern.DayMask = 0x3E, a.RecurrencePattern.N = 1;
  want.clear();
  for (const sys_days d :
       {sys_days{2011y / May / 2}, sys_days{2011y / June / 1}, sys_days{2011y / July / 1}})
    want.push_back((at(d) - a.RecurrencePattern.StartDate) / 1440);
  EXPECT_EQ(days_of(a, 0xFFFFFFFF), want);
  // ending after a date, and never ending within a window
  a.RecurrencePattern = pattern_of(pattern_type::Day);
  a.RecurrencePattern.EndType = mapi::end_type::end_after_date;
  a.RecurrencePattern.EndDate = a.RecurrencePattern.StartDate + 4 * 1440;
  EXPECT_EQ(days_of(a, 0xFFFFFFFF), (std::vector<std::uint32_t>{0, 2, 4}));
  a.RecurrencePattern.EndType = mapi::end_type::never_end;
  a.RecurrencePattern.EndDate = mapi::never_end_date;
  EXPECT_EQ(days_of(a, a.RecurrencePattern.StartDate + 7 * 1440),
            (std::vector<std::uint32_t>{0, 2, 4, 6}));
}

TEST(Recurrence, ExpansionErrors) {
  AppointmentRecurrencePattern a;
  a.RecurrencePattern = pattern_of(pattern_type::HjMonth);
  EXPECT_TRUE(fails_with(mapi::expand_occurrences(a, 0, 0xFFFFFFFF), mapi::errc::invalid_kind, 0,
                         "PatternType"));
  a.RecurrencePattern = pattern_of(pattern_type::Day);
  a.RecurrencePattern.EndType = mapi::end_type::never_end;
  EXPECT_TRUE(fails_with(mapi::expand_occurrences(a, 0, 0xFFFFFFFF, {.max_occurrences = 5}),
                         oxwire::errc::limit_exceeded, 0, "occurrences"));
  EXPECT_TRUE(fails_with(mapi::expand_occurrences(a, 0, 0xFFFFFFFF, {.max_steps = 5}),
                         oxwire::errc::limit_exceeded, 0, "steps"));
  EXPECT_TRUE(mapi::expand_occurrences(a, 0, a.RecurrencePattern.StartDate + 8 * 1440,
                                       {.max_occurrences = 5}));
}

TEST(Recurrence, FirstDateTimeOfMonthlyPatterns) {
  // months from January 1601 to April 2011 (4923) % 12 = 3: April 1601, 90 days in
  RecurrencePattern p = pattern_of(pattern_type::MonthNth);
  EXPECT_EQ(mapi::first_date_time(p), 90u * 1440);
  p.Period = 1;
  EXPECT_EQ(mapi::first_date_time(p), 0u);
}

}  // namespace test_recurrence
