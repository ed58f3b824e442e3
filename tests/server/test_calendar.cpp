// oxwire-server over real sockets, calendar recurrences: a client adds series of every MS-ASCAL
// 2.2.2.39 Recurrence Type and another device reads them back; MS-ASCAL 2.2.2.19/2.2.2.20
// Exceptions (deleted and modified occurrences) both ways; MS-ASCMD 16.1 Sync Change with
// AirSyncBase:InstanceId (MS-ASAIRS 2.2.2.25) changing one occurrence and an Exception with
// InstanceId deleting another. The stored PidLidAppointmentRecur is checked with the library's
// MS-OXOCAL codec and its occurrence expansion.
#include "server_harness.hpp"

#include <server/application_data.hpp>

#include <oxwire/gen/activesync/models/sync_request.hpp>
#include <oxwire/mapi/recurrence.hpp>
#include <oxwire_test/requirements.hpp>

namespace test_calendar {

using namespace server_harness;
namespace mapi = oxwire::mapi;

using collection_request = model::request::Sync_Collections_Collection;
using add_data = model::Sync_Collections_Collection_Commands_Add_ApplicationData;

const std::string calendar = "6";  // the demo mailbox's Calendar folder

/// One provisioned device speaking one protocol version.
struct device : device_session {
  std::map<std::string, std::string> keys;  // CollectionId → SyncKey
  std::string version;

  device(unsigned short port, std::string name, std::string v)
      : device_session(port, std::move(name)), version(std::move(v)) {}

  collection_request collection() {
    collection_request r;
    r.CollectionId = calendar;
    r.SyncKey = keys.contains(calendar) ? keys[calendar] : std::string_view("0");
    return r;
  }
  model::Sync sync(collection_request col) {
    model::request::Sync s;
    s.WindowSize = 100;
    s.Collections.emplace().Collection.push_back(std::move(col));
    auto r = decode<model::Sync>(send("Sync", encoded(s), version));
    const auto& c = r.Collections.value().Collection.at(0);
    EXPECT_EQ(c.Status, std::vector<std::int64_t>{1});
    keys[calendar] = std::string(c.SyncKey.at(0));
    return r;
  }
  /// Primes the calendar and pulls it whole: the Adds.
  std::vector<model::Sync_Collections_Collection_Commands_Add> pull() {
    if (!keys.contains(calendar)) sync(collection());
    std::vector<model::Sync_Collections_Collection_Commands_Add> adds;
    for (int round = 0; round < 20; ++round) {
      const auto s = sync(collection());
      const auto& col = s.Collections->Collection.at(0);
      for (const auto& cmds : col.Commands)
        adds.insert(adds.end(), cmds.Add.begin(), cmds.Add.end());
      if (col.MoreAvailable.empty()) break;
    }
    return adds;
  }
  /// Adds appointments; their ServerIds in order.
  std::vector<std::string> add(const std::vector<add_data>& items) {
    if (!keys.contains(calendar)) sync(collection());  // MS-ASCMD: no Commands at SyncKey 0
    auto c = collection();
    auto& cmds = c.Commands.emplace();
    std::deque<std::string> ids;
    for (std::size_t i = 0; i < items.size(); ++i) {
      auto& a = cmds.Add.emplace_back();
      a.ClientId = ids.emplace_back(std::to_string(i + 1));
      a.ApplicationData = items[i];
    }
    const auto r = sync(c);
    std::vector<std::string> out;
    for (const auto& resp : r.Collections->Collection.at(0).Responses)
      for (const auto& a : resp.Add) {
        EXPECT_EQ(a.Status, 1);
        out.emplace_back(a.ServerId.value_or(""));
      }
    return out;
  }
  void change(std::string_view server_id,
              const model::Sync_Collections_Collection_Commands_Change_ApplicationData& data,
              std::optional<std::string_view> instance = {}) {
    auto c = collection();
    auto& ch = c.Commands.emplace().Change.emplace_back();
    ch.ServerId = server_id;
    ch.ApplicationData = data;
    ch.InstanceId = instance;
    const auto r = sync(c);
    for (const auto& resp : r.Collections->Collection.at(0).Responses)
      EXPECT_TRUE(resp.Change.empty());  // only failed changes are answered
  }
  /// The Responses of a Sync that sends `cmds`.
  std::vector<model::Sync_Collections_Collection_Responses> send_commands(
      model::request::Sync_Collections_Collection_Commands cmds) {
    auto c = collection();
    c.Commands = std::move(cmds);
    return sync(c).Collections->Collection.at(0).Responses;
  }
};

/// A series from 2026-03-02 (a Monday) 09:00 to 10:00 UTC.
add_data series(std::string_view subject, const model::Calendar_Recurrence& r) {
  add_data d;
  d.Calendar_Subject.push_back(subject);
  d.StartTime.push_back("20260302T090000Z");
  d.EndTime.push_back("20260302T100000Z");
  d.Calendar_Recurrence.push_back(r);
  return d;
}

const model::Sync_Collections_Collection_Commands_Add* find(
    const std::vector<model::Sync_Collections_Collection_Commands_Add>& adds,
    std::string_view subject) {
  for (const auto& a : adds)
    if (!a.ApplicationData.Calendar_Subject.empty() &&
        a.ApplicationData.Calendar_Subject[0] == subject)
      return &a;
  return nullptr;
}
/// The result points into `adds`: never a temporary.
void find(std::vector<model::Sync_Collections_Collection_Commands_Add>&&,
          std::string_view) = delete;

/// The stored PidLidAppointmentRecur of an item, decoded by the library.
mapi::AppointmentRecurrencePattern stored(const temp_dir& dir, const std::string& server_id) {
  oxwire::server::store db(dir.path / "oxwire.db");
  const auto anna = db.find_user(user).value();
  const auto it = db.find_item(anna, server_id).value();
  EXPECT_TRUE(it.props.get(mapi::prop::PidLidRecurring).value_or(false));
  const auto blob = it.props.get(mapi::prop::PidLidAppointmentRecur);
  EXPECT_TRUE(blob);
  if (!blob) return {};
  auto a = mapi::decode_appointment_recurrence(*blob);
  EXPECT_TRUE(a) << a.error().message();
  return a ? *a : mapi::AppointmentRecurrencePattern{};
}

/// Recurrence minutes of a compact dateTime.
std::uint32_t at(std::string_view compact) {
  return oxwire_server::recurrence_minutes_of(compact).value();
}

class Calendar : public Server {};

model::Calendar_Recurrence recurrence(std::uint8_t type) {
  model::Calendar_Recurrence r{};
  r.Type = type;
  r.Interval = 1;
  return r;
}

/// Weekly on Mondays, five times: from 2026-03-02 with series() below.
model::Calendar_Recurrence five_mondays() {
  auto r = recurrence(1);
  r.DayOfWeek = 0x02, r.Occurrences = 5;
  return r;
}

// MS-ASCAL 2.2.2.39 Recurrence of every Type, stored as MS-OXOCAL 2.2.1.44.5 and read back
TEST_F(Calendar, EveryRecurrenceTypeRoundTrips) {
  OXWIRE_REQ("MS-ASCAL_R396", "MS-ASCAL_R397");
  std::vector<std::pair<std::string, model::Calendar_Recurrence>> cases;
  auto r = recurrence(0);
  r.Interval = 2, r.Occurrences = 5;
  cases.emplace_back("daily", r);
  r = recurrence(1);
  r.DayOfWeek = 0x0A, r.Until = "20260331T090000Z", r.FirstDayOfWeek = 1;
  cases.emplace_back("weekly", r);
  r = recurrence(2);
  r.DayOfMonth = 15, r.Occurrences = 3;
  cases.emplace_back("monthly", r);
  r = recurrence(3);
  r.Interval = 2, r.DayOfWeek = 0x20, r.WeekOfMonth = 5, r.Occurrences = 4;
  cases.emplace_back("monthly nth", r);
  r = recurrence(5);
  r.DayOfMonth = 2, r.MonthOfYear = 3, r.Occurrences = 3;
  cases.emplace_back("yearly", r);
  r = recurrence(6);
  r.DayOfWeek = 0x02, r.WeekOfMonth = 1, r.MonthOfYear = 3, r.Occurrences = 2;
  cases.emplace_back("yearly nth", r);
  // MS-ASCAL 2.2.2.29: a MonthOfYear other than the start's month (July, November)
  r = recurrence(5);
  r.DayOfMonth = 4, r.MonthOfYear = 7, r.Occurrences = 2;
  cases.emplace_back("yearly in July", r);
  r = recurrence(6);
  r.DayOfWeek = 0x10, r.WeekOfMonth = 4, r.MonthOfYear = 11, r.Occurrences = 2;
  cases.emplace_back("yearly nth in November", r);

  std::vector<std::string> ids;
  {
    server_process s(dir.path);
    device a(s.http_port, "DEVA", "16.1"), b(s.http_port, "DEVB", "14.1");
    std::vector<add_data> items;
    for (const auto& [name, rec] : cases) items.push_back(series(name, rec));
    ids = a.add(items);
    ASSERT_EQ(ids.size(), cases.size());
    const auto adds = b.pull();
    for (const auto& [name, rec] : cases) {
      SCOPED_TRACE(name);
      const auto* add = find(adds, name);
      ASSERT_NE(add, nullptr);
      ASSERT_EQ(add->ApplicationData.Calendar_Recurrence.size(), 1u);
      EXPECT_EQ(add->ApplicationData.Calendar_Recurrence[0], rec);
    }
  }
  using mapi::pattern_type;
  using mapi::recur_frequency;
  const std::uint32_t start = at("20260302T000000Z");
  const struct {
    recur_frequency frequency;
    pattern_type type;
    std::uint32_t period;
    std::vector<std::string_view> instances;
  } want[] = {
      {recur_frequency::Daily,
       pattern_type::Day,
       2880,
       {"20260302T090000Z", "20260304T090000Z", "20260306T090000Z", "20260308T090000Z",
        "20260310T090000Z"}},
      {recur_frequency::Weekly,
       pattern_type::Week,
       1,
       {"20260302T090000Z", "20260304T090000Z", "20260309T090000Z", "20260311T090000Z",
        "20260316T090000Z", "20260318T090000Z", "20260323T090000Z", "20260325T090000Z",
        "20260330T090000Z"}},
      {recur_frequency::Monthly,
       pattern_type::Month,
       1,
       {"20260315T090000Z", "20260415T090000Z", "20260515T090000Z"}},
      {recur_frequency::Monthly,
       pattern_type::MonthNth,
       2,
       {"20260327T090000Z", "20260529T090000Z", "20260731T090000Z", "20260925T090000Z"}},
      {recur_frequency::Yearly,
       pattern_type::Month,
       12,
       {"20260302T090000Z", "20270302T090000Z", "20280302T090000Z"}},
      {recur_frequency::Yearly,
       pattern_type::MonthNth,
       12,
       {"20260302T090000Z", "20270301T090000Z"}},
      {recur_frequency::Yearly, pattern_type::Month, 12, {"20260704T090000Z", "20270704T090000Z"}},
      {recur_frequency::Yearly,
       pattern_type::MonthNth,
       12,
       {"20261126T090000Z", "20271125T090000Z"}},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].first);
    const auto a = stored(dir, ids[i]);
    EXPECT_EQ(a.RecurrencePattern.RecurFrequency, want[i].frequency);
    EXPECT_EQ(a.RecurrencePattern.PatternType, want[i].type);
    EXPECT_EQ(a.RecurrencePattern.Period, want[i].period);
    // a yearly series in another month starts on the first day of it
    const auto month = cases[i].second.MonthOfYear.value_or(3);
    EXPECT_EQ(a.RecurrencePattern.StartDate,
              month == 3 ? start : at(month == 7 ? "20260701T000000Z" : "20261101T000000Z"));
    EXPECT_EQ(a.StartTimeOffset, 540u);
    EXPECT_EQ(a.EndTimeOffset, 600u);
    EXPECT_EQ(a.RecurrencePattern.FirstDateTime, mapi::first_date_time(a.RecurrencePattern));
    const auto occurrences = mapi::expand_occurrences(a, start, 0xFFFFFFFF);
    ASSERT_TRUE(occurrences);
    std::vector<std::uint32_t> got, expected;
    for (const auto& o : *occurrences) got.push_back(o.start);
    for (const auto t : want[i].instances) expected.push_back(at(t));
    EXPECT_EQ(got, expected);
    // MS-OXOCAL 2.2.1.44.1: the last instance's date of a counted series (a dated one keeps
    // its Until date), and the count of a dated series
    EXPECT_EQ(a.RecurrencePattern.EndDate,
              cases[i].second.Until ? at("20260331T000000Z") : expected.back() / 1440 * 1440);
    EXPECT_EQ(a.RecurrencePattern.OccurrenceCount, expected.size());
  }
}

/// The series' occurrence of 9 March changed ("Just this one") and that of 16 March deleted, as
/// a 16.1 device gets them in Exceptions.
void expect_changed_and_deleted(const std::vector<model::Exceptions_Exception>& got) {
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].InstanceId, "20260309T090000Z");
  EXPECT_FALSE(got[0].ExceptionStartTime);  // up to 14.1 only (MS-ASWBXML 2.1.2.1)
  EXPECT_EQ(got[0].Subject, "Just this one");
  EXPECT_FALSE(got[0].Deleted);
  EXPECT_EQ(got[1].InstanceId, "20260316T090000Z");
  EXPECT_EQ(got[1].Deleted, 1);
}

/// The same in the stored series: two of its five instances out, one of them an exception.
mapi::AppointmentRecurrencePattern stored_changed_and_deleted(const temp_dir& dir,
                                                              const std::string& server_id) {
  auto a = stored(dir, server_id);
  EXPECT_EQ(a.RecurrencePattern.DeletedInstanceDates,
            (std::vector<std::uint32_t>{at("20260309T000000Z"), at("20260316T000000Z")}));
  EXPECT_EQ(a.ExceptionInfo.size(), 1u);
  EXPECT_EQ(mapi::expand_occurrences(a, 0, 0xFFFFFFFF).value().size(), 4u);
  return a;
}

model::Exceptions_Exception exception_at(std::string_view original, bool instance_id) {
  model::Exceptions_Exception x{};
  (instance_id ? x.InstanceId : x.ExceptionStartTime) = original;
  return x;
}

// MS-ASCAL 2.2.2.19 Exceptions, 2.2.2.20 Exception: a deleted and a modified occurrence
TEST_F(Calendar, ExceptionsBothWays) {
  OXWIRE_REQ("MS-ASCAL_R225", "MS-ASCAL_R233");
  std::string id;
  {
    server_process s(dir.path);
    device a(s.http_port, "DEVA", "14.1"), b(s.http_port, "DEVB", "14.1");
    auto d = series("with exceptions", five_mondays());
    auto& list = d.Exceptions.emplace_back();
    auto deleted = exception_at("20260309T090000Z", false);
    deleted.Deleted = 1;
    list.Exception.push_back(deleted);
    auto moved = exception_at("20260316T090000Z", false);
    moved.Subject = "Moved";
    moved.Calendar_Location = "Room 7";
    moved.StartTime = "20260317T100000Z";
    moved.EndTime = "20260317T110000Z";
    moved.BusyStatus = 1;
    list.Exception.push_back(moved);
    id = a.add({d}).at(0);

    const auto pulled = b.pull();
    const auto* add = find(pulled, "with exceptions");
    ASSERT_NE(add, nullptr);
    ASSERT_EQ(add->ApplicationData.Exceptions.size(), 1u);
    const auto& got = add->ApplicationData.Exceptions[0].Exception;
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].Deleted, 1);
    EXPECT_EQ(got[0].ExceptionStartTime, "20260309T090000Z");
    EXPECT_FALSE(got[0].InstanceId);  // MS-ASWBXML 2.1.2.1: 16.0+ only, not for this 14.1 device
    EXPECT_FALSE(got[0].Subject);
    EXPECT_FALSE(got[1].Deleted);
    EXPECT_EQ(got[1].ExceptionStartTime, "20260316T090000Z");
    EXPECT_EQ(got[1].Subject, "Moved");
    EXPECT_EQ(got[1].Calendar_Location, "Room 7");
    EXPECT_EQ(got[1].StartTime, "20260317T100000Z");
    EXPECT_EQ(got[1].EndTime, "20260317T110000Z");
    EXPECT_EQ(got[1].BusyStatus, 1);
  }
  const auto a = stored(dir, id);
  const auto& p = a.RecurrencePattern;
  EXPECT_EQ(p.DeletedInstanceDates,
            (std::vector<std::uint32_t>{at("20260309T000000Z"), at("20260316T000000Z")}));
  EXPECT_EQ(p.ModifiedInstanceDates, std::vector<std::uint32_t>{at("20260317T000000Z")});
  ASSERT_EQ(a.ExceptionInfo.size(), 1u);
  namespace f = mapi::override_flag;
  EXPECT_EQ(a.ExceptionInfo[0].OverrideFlags, f::ARO_SUBJECT | f::ARO_LOCATION | f::ARO_BUSYSTATUS);
  EXPECT_EQ(a.ExceptionInfo[0].Subject, "Moved");
  EXPECT_EQ(a.ExceptionInfo[0].OriginalStartDate, at("20260316T090000Z"));
  EXPECT_EQ(a.ExtendedException.at(0).WideCharSubject, u"Moved");
  EXPECT_EQ(a.ExtendedException.at(0).WideCharLocation, u"Room 7");
  std::vector<std::uint32_t> starts;
  for (const auto& o : mapi::expand_occurrences(a, 0, 0xFFFFFFFF).value())
    starts.push_back(o.start);
  EXPECT_EQ(starts, (std::vector<std::uint32_t>{at("20260302T090000Z"), at("20260317T100000Z"),
                                                at("20260323T090000Z"), at("20260330T090000Z")}));
}

// MS-ASCMD 16.1: a Change with InstanceId changes one occurrence; an Exception with InstanceId
// and Deleted deletes another; the series keeps its own subject
TEST_F(Calendar, InstanceIdChangesAndDeletesOneOccurrence) {
  std::string id;
  {
    server_process s(dir.path);
    device a(s.http_port, "DEVA", "16.1"), b(s.http_port, "DEVB", "16.1");
    id = a.add({series("series", five_mondays())}).at(0);
    const auto pulled = b.pull();
    ASSERT_NE(find(pulled, "series"), nullptr);

    model::Sync_Collections_Collection_Commands_Change_ApplicationData one;
    one.InstanceId.push_back("20260309T090000Z");
    one.Calendar_Subject.push_back("Just this one");
    a.change(id, one);
    model::Sync_Collections_Collection_Commands_Change_ApplicationData gone;
    auto deleted = exception_at("20260316T090000Z", true);
    deleted.Deleted = 1;
    gone.Exceptions.emplace_back().Exception.push_back(deleted);
    a.change(id, gone);

    const auto s2 = b.sync(b.collection());
    const auto& col = s2.Collections->Collection.at(0);
    ASSERT_EQ(col.Commands.size(), 1u);
    ASSERT_EQ(col.Commands[0].Change.size(), 1u);
    const auto& data = col.Commands[0].Change[0].ApplicationData;
    EXPECT_EQ(data.Calendar_Subject, std::vector<std::string_view>{"series"});
    ASSERT_EQ(data.Exceptions.size(), 1u);
    expect_changed_and_deleted(data.Exceptions[0].Exception);
  }
  const auto a = stored_changed_and_deleted(dir, id);
  ASSERT_EQ(a.ExceptionInfo.size(), 1u);
  EXPECT_EQ(a.ExceptionInfo[0].Subject, "Just this one");
  EXPECT_EQ(a.ExceptionInfo[0].StartDateTime, at("20260309T090000Z"));
  EXPECT_EQ(a.ExceptionInfo[0].EndDateTime, at("20260309T100000Z"));
}

// MS-ASAIRS 2.2.2.25: InstanceId as a child of the Change and of the Delete (MS-ASCMD 2.2.3.24.2,
// 2.2.3.42.2). The changed occurrence gets its own subject and an exceptional body while the
// series keeps its body; the deleted one leaves the series; an InstanceId that names no
// instance gets Status 8 with the InstanceId in the response.
TEST_F(Calendar, InstanceIdOfTheChangeAndTheDeleteActsOnOneOccurrence) {
  OXWIRE_REQ("MS-ASAIRS_R1178");
  const auto body = [](std::string_view text) {
    model::Body b;
    b.Type = 1, b.Data = text;
    return b;
  };
  std::string id;
  {
    server_process s(dir.path);
    device a(s.http_port, "DEVA", "16.1"), b(s.http_port, "DEVB", "16.1");
    auto d = series("series", five_mondays());
    d.AirSyncBase_Body.push_back(body("series body"));
    id = a.add({d}).at(0);
    const auto pulled = b.pull();
    ASSERT_NE(find(pulled, "series"), nullptr);

    model::Sync_Collections_Collection_Commands_Change_ApplicationData one;
    one.Calendar_Subject.push_back("Just this one");
    one.AirSyncBase_Body.push_back(body("its own"));
    a.change(id, one, "20260309T090000Z");

    model::request::Sync_Collections_Collection_Commands cmds;
    cmds.Delete.push_back({.Class = {}, .ServerId = id, .InstanceId = "20260316T090000Z"});
    cmds.Delete.push_back({.Class = {}, .ServerId = id, .InstanceId = "20260310T090000Z"});
    auto& bad = cmds.Change.emplace_back();
    bad.ServerId = id, bad.InstanceId = "20260309T093000Z";
    bad.ApplicationData.Calendar_Subject.push_back("no such instance");
    const auto responses = a.send_commands(cmds);
    ASSERT_EQ(responses.size(), 1u);
    ASSERT_EQ(responses[0].Delete.size(), 1u);
    EXPECT_EQ(responses[0].Delete[0].InstanceId, "20260310T090000Z");
    EXPECT_EQ(responses[0].Delete[0].Status, 8);
    ASSERT_EQ(responses[0].Change.size(), 1u);
    EXPECT_EQ(responses[0].Change[0].InstanceId, "20260309T093000Z");
    EXPECT_EQ(responses[0].Change[0].Status, 8);

    const auto s2 = b.sync(b.collection());
    const auto& col = s2.Collections->Collection.at(0);
    ASSERT_EQ(col.Commands.size(), 1u);
    ASSERT_EQ(col.Commands[0].Change.size(), 1u);
    EXPECT_TRUE(col.Commands[0].Delete.empty());  // the series stays
    const auto& data = col.Commands[0].Change[0].ApplicationData;
    EXPECT_EQ(data.Calendar_Subject, std::vector<std::string_view>{"series"});
    ASSERT_EQ(data.AirSyncBase_Body.size(), 1u);
    EXPECT_EQ(data.AirSyncBase_Body[0].Data, "series body");
    ASSERT_EQ(data.Exceptions.size(), 1u);
    expect_changed_and_deleted(data.Exceptions[0].Exception);
  }
  const auto a = stored_changed_and_deleted(dir, id);
  ASSERT_EQ(a.ExceptionInfo.size(), 1u);
  EXPECT_EQ(a.ExceptionInfo[0].OverrideFlags & mapi::override_flag::ARO_EXCEPTIONAL_BODY,
            mapi::override_flag::ARO_EXCEPTIONAL_BODY);
}

}  // namespace test_calendar
