// oxwire-server over real sockets, the client's side of synchronization: Sync Add/Change/
// Delete/Fetch with conflicts, retries, WindowSize, FilterType and BodyPreference (MS-ASCMD
// 2.2.1.21); FolderCreate/FolderUpdate/FolderDelete seen by another device's FolderSync;
// GetItemEstimate; MoveItems; two devices on one mailbox with a Ping woken by the other.
#include "server_harness.hpp"

#include <server/application_data.hpp>

#include <oxwire/core/base64.hpp>
#include <oxwire/gen/activesync/models/foldercreate.hpp>
#include <oxwire/gen/activesync/models/foldercreate_request.hpp>
#include <oxwire/gen/activesync/models/folderdelete.hpp>
#include <oxwire/gen/activesync/models/folderdelete_request.hpp>
#include <oxwire/gen/activesync/models/folderupdate.hpp>
#include <oxwire/gen/activesync/models/folderupdate_request.hpp>
#include <oxwire/gen/activesync/models/getitemestimate.hpp>
#include <oxwire/gen/activesync/models/getitemestimate_request.hpp>
#include <oxwire/gen/activesync/models/moveitems.hpp>
#include <oxwire/gen/activesync/models/moveitems_request.hpp>
#include <oxwire/gen/activesync/models/sync_request.hpp>
#include <oxwire/rtf.hpp>

#include <algorithm>
#include <set>

namespace test_sync_client {

using namespace server_harness;

using collection_request = model::request::Sync_Collections_Collection;

/// One provisioned device of the test user with its own keys.
struct device : device_session {
  std::map<std::string, std::string> keys;  // CollectionId → SyncKey
  std::string hierarchy = "0";
  std::deque<std::string> strings;  // what request models point into

  using device_session::device_session;
  std::string_view keep(std::string s) { return strings.emplace_back(std::move(s)); }

  /// A Collection element at this device's key.
  collection_request collection(const std::string& cid) {
    collection_request r;
    r.CollectionId = keep(cid);
    r.SyncKey = keep(keys.contains(cid) ? keys[cid] : "0");
    return r;
  }
  /// One Sync round of these collections; the keys advance with the answer.
  model::Sync sync(std::vector<collection_request> cols, std::optional<std::uint16_t> window = {}) {
    model::request::Sync s;
    s.WindowSize = window;
    s.Collections.emplace().Collection = std::move(cols);
    return note(decode<model::Sync>(send("Sync", encoded(s))));
  }
  model::Sync note(model::Sync s) {
    if (s.Collections)
      for (const auto& col : s.Collections->Collection)
        if (!col.SyncKey.empty() && !col.CollectionId.empty() &&
            col.Status == std::vector<std::int64_t>{1})
          keys[std::string(col.CollectionId[0])] = std::string(col.SyncKey[0]);
    return s;
  }
  /// Primes a collection and pulls it whole; the Adds.
  std::vector<model::Sync_Collections_Collection_Commands_Add> pull(
      const std::string& cid, const std::vector<model::AirSync_Options>& options = {}) {
    std::vector<model::Sync_Collections_Collection_Commands_Add> adds;
    if (!keys.contains(cid)) sync({collection(cid)});
    for (int round = 0; round < 20; ++round) {
      auto c = collection(cid);
      c.Options = options;
      const auto s = sync({c}, 100);
      const auto& col = s.Collections->Collection.at(0);
      for (const auto& cmds : col.Commands)
        adds.insert(adds.end(), cmds.Add.begin(), cmds.Add.end());
      if (col.MoreAvailable.empty()) break;
    }
    return adds;
  }
  /// Adds a note to collection `cid` in one Sync round, with `body` as its AirSyncBase:Body.
  model::Sync add_note(const std::string& cid, std::string_view subject,
                       std::optional<model::Body> body = {}) {
    auto c = collection(cid);
    auto& add = c.Commands.emplace().Add.emplace_back();
    add.ClientId = keep(std::string(subject));
    add.ApplicationData.Notes_Subject.push_back(subject);
    if (body) add.ApplicationData.AirSyncBase_Body.push_back(*body);
    return sync({c});
  }
  model::FolderSync folder_sync() {
    const auto f = decode<model::FolderSync>(send("FolderSync", folder_sync_request(hierarchy)));
    if (f.SyncKey) hierarchy = std::string(*f.SyncKey);
    return f;
  }
};

model::AirSync_Options filter(std::uint8_t type) {
  model::AirSync_Options o;
  o.FilterType.push_back(type);
  return o;
}

const model::Sync_Collections_Collection& only(const model::Sync& s) {
  return s.Collections.value().Collection.at(0);
}

class SyncClient : public Server {};

// MS-ASCMD 2.2.3.7.2 Add, 2.2.3.24.2 Change, 2.2.3.42.2 Delete, 2.2.3.67.2 Fetch
TEST_F(SyncClient, AddChangeDeleteFetch) {
  server_process s(dir.path);
  device a(s.http_port, "DEVA"), b(s.http_port, "DEVB");
  ASSERT_EQ(a.pull("7").size(), 25u);
  ASSERT_EQ(b.pull("7").size(), 25u);

  auto c = a.collection("7");
  auto& cmds = c.Commands.emplace();
  auto& add = cmds.Add.emplace_back();
  add.ClientId = "client-1";
  add.ApplicationData.FirstName.push_back("Zoe");
  add.ApplicationData.Email1Address.push_back("zoe@example.com");
  auto& change = cmds.Change.emplace_back();
  change.ServerId = "7:1";
  change.ApplicationData.FirstName.push_back("Annabel");
  cmds.Change.emplace_back().ServerId = "7:999";
  cmds.Delete.push_back({{}, "7:2"});
  cmds.Delete.push_back({{}, "7:999"});
  cmds.Fetch.push_back({"7:3"});
  cmds.Fetch.push_back({"1:1"});  // not of this collection
  const auto r = a.sync({c});
  const auto& col = only(r);
  EXPECT_EQ(col.Status, std::vector<std::int64_t>{1});
  ASSERT_EQ(col.Responses.size(), 1u);
  const auto& resp = col.Responses[0];
  ASSERT_EQ(resp.Add.size(), 1u);
  EXPECT_EQ(resp.Add[0].ClientId, "client-1");
  EXPECT_EQ(resp.Add[0].ServerId, "7:26");
  EXPECT_EQ(resp.Add[0].Status, 1);
  // Only the failed Change and Delete are answered (Status 8: object not found)
  ASSERT_EQ(resp.Change.size(), 1u);
  EXPECT_EQ(resp.Change[0].ServerId, "7:999");
  EXPECT_EQ(resp.Change[0].Status, 8);
  ASSERT_EQ(resp.Delete.size(), 1u);
  EXPECT_EQ(resp.Delete[0].Status, 8);
  ASSERT_EQ(resp.Fetch.size(), 2u);
  EXPECT_EQ(resp.Fetch[0].Status, 1);
  ASSERT_TRUE(resp.Fetch[0].ApplicationData);
  EXPECT_EQ(resp.Fetch[0].ApplicationData->FirstName.at(0), "Chloe");
  EXPECT_EQ(resp.Fetch[1].Status, 8);
  // Nothing the device sent comes back to it
  EXPECT_TRUE(col.Commands.empty());

  // The other device gets the Add, the Change and the Delete
  const auto other = b.sync({b.collection("7")});
  ASSERT_EQ(only(other).Commands.size(), 1u);
  const auto& seen = only(other).Commands[0];
  ASSERT_EQ(seen.Add.size(), 1u);
  EXPECT_EQ(seen.Add[0].ServerId, "7:26");
  EXPECT_EQ(seen.Add[0].ApplicationData.FirstName.at(0), "Zoe");
  ASSERT_EQ(seen.Change.size(), 1u);
  EXPECT_EQ(seen.Change[0].ApplicationData.FirstName.at(0), "Annabel");
  ASSERT_EQ(seen.Delete.size(), 1u);
  EXPECT_EQ(seen.Delete[0].ServerId, "7:2");

  // DeletesAsMoves (default 1) put 7:2 into Deleted Items; with 0 the item is gone for good
  EXPECT_EQ(a.pull("3").size(), 6u);  // 5 demo items and 7:2
  auto gone = a.collection("7");
  gone.DeletesAsMoves = false;
  gone.Commands.emplace().Delete.push_back({{}, "7:4"});
  EXPECT_TRUE(only(a.sync({gone})).Responses.empty());
  const auto trash = a.sync({a.collection("3")});
  EXPECT_TRUE(only(trash).Commands.empty());
}

// MS-ASCMD 2.2.3.34 Conflict: by default the server's version wins (Status 7) and is sent
TEST_F(SyncClient, ConflictServerWins) {
  server_process s(dir.path);
  device a(s.http_port, "DEVA"), b(s.http_port, "DEVB");
  a.pull("7");
  b.pull("7");
  auto ca = a.collection("7");
  auto& ch = ca.Commands.emplace().Change.emplace_back();
  ch.ServerId = "7:5";
  ch.ApplicationData.FirstName.push_back("FromA");
  EXPECT_TRUE(only(a.sync({ca})).Responses.empty());

  auto cb = b.collection("7");
  auto& chb = cb.Commands.emplace().Change.emplace_back();
  chb.ServerId = "7:5";
  chb.ApplicationData.FirstName.push_back("FromB");
  const auto rb = b.sync({cb});
  ASSERT_EQ(only(rb).Responses.size(), 1u);
  ASSERT_EQ(only(rb).Responses[0].Change.size(), 1u);
  EXPECT_EQ(only(rb).Responses[0].Change[0].Status, 7);
  ASSERT_EQ(only(rb).Commands.size(), 1u);
  ASSERT_EQ(only(rb).Commands[0].Change.size(), 1u);
  EXPECT_EQ(only(rb).Commands[0].Change[0].ApplicationData.FirstName.at(0), "FromA");

  // Conflict 0: the client's version replaces the server's
  auto cb2 = b.collection("7");
  cb2.Options.emplace_back().Conflict.push_back(0);
  auto& chb2 = cb2.Commands.emplace().Change.emplace_back();
  chb2.ServerId = "7:5";
  chb2.ApplicationData.FirstName.push_back("FromB");
  ASSERT_TRUE(only(b.sync({cb2})).Responses.empty());
  const auto ra = a.sync({a.collection("7")});
  ASSERT_EQ(only(ra).Commands.size(), 1u);
  EXPECT_EQ(only(ra).Commands[0].Change.at(0).ApplicationData.FirstName.at(0), "FromB");
}

// MS-ASCMD 3.1.5.3: a request resent with the previous SyncKey gets the same answer; nothing
// is added twice
TEST_F(SyncClient, ResentRequestGetsTheSameAnswer) {
  server_process s(dir.path);
  device a(s.http_port, "DEVA"), b(s.http_port, "DEVB");
  a.pull("8");
  b.pull("8");
  model::request::Sync req;
  auto c = a.collection("8");
  auto& add = c.Commands.emplace().Add.emplace_back();
  add.ClientId = "n1";
  add.ApplicationData.Notes_Subject.push_back("written twice");
  req.Collections.emplace().Collection.push_back(c);
  const std::string body = encoded(req);
  const auto first = a.send("Sync", body);
  const auto again = a.send("Sync", body);
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, again.body);
  const auto r = a.note(decode<model::Sync>(again));
  EXPECT_EQ(only(r).Responses.at(0).Add.at(0).ServerId, "8:11");
  EXPECT_EQ(b.pull("8").size(), 1u);
  // The next key works on
  EXPECT_EQ(only(a.sync({a.collection("8")})).Status, std::vector<std::int64_t>{1});
  // and the previous one, now that the request differs, is refused (Status 3)
  auto stale = a.collection("8");
  stale.SyncKey = "2";
  EXPECT_EQ(only(a.sync({stale})).Status, std::vector<std::int64_t>{3});
}

// MS-ASCMD 2.2.3.199: WindowSize defaults to 100; MS-ASAIRS 2.2.2.40.2 TruncationSize
TEST_F(SyncClient, WindowSizeDefaultAndBodyTruncation) {
  server_process s(dir.path);
  device a(s.http_port, "DEVA");
  a.sync({a.collection("1")});
  auto c = a.collection("1");
  auto& pref = c.Options.emplace_back().BodyPreference.emplace_back();
  pref.Type = 1;
  pref.TruncationSize = 10;
  const auto r = a.sync({c});  // no WindowSize anywhere
  ASSERT_EQ(only(r).Commands.size(), 1u);
  EXPECT_EQ(only(r).Commands[0].Add.size(), 100u);
  EXPECT_EQ(only(r).MoreAvailable.size(), 1u);
  const auto& body = only(r).Commands[0].Add[0].ApplicationData.AirSyncBase_Body.at(0);
  EXPECT_EQ(body.Truncated, true);
  ASSERT_TRUE(body.Data);
  EXPECT_EQ(*body.Data, "Hello,\n\nth");
  EXPECT_GT(body.EstimatedDataSize.value_or(0), 10u);
  // AllOrNone: no Data at all rather than a cut one
  auto all = a.collection("1");
  auto& p2 = all.Options.emplace_back().BodyPreference.emplace_back();
  p2.Type = 1;
  p2.TruncationSize = 10;
  p2.AllOrNone = true;
  const auto r2 = a.sync({all}, 1);
  const auto& b2 = only(r2).Commands.at(0).Add.at(0).ApplicationData.AirSyncBase_Body.at(0);
  EXPECT_EQ(b2.Truncated, true);
  EXPECT_FALSE(b2.Data);
}

// MS-ASCMD 2.2.3.70.1 FilterType: a time window for e-mail; items leaving it are SoftDeleted
TEST_F(SyncClient, FilterTypeWindowAndSoftDelete) {
  server_process s(dir.path);
  device a(s.http_port, "DEVA"), b(s.http_port, "DEVB");
  a.sync({a.collection("1")});
  auto c = a.collection("1");
  auto& cmds = c.Commands.emplace();
  const std::string stamp = oxwire_server::format_time(
      {oxwire::to_filetime(std::chrono::system_clock::now()).value()}, false);
  auto& fresh = cmds.Add.emplace_back();
  fresh.ClientId = "fresh";
  fresh.ApplicationData.Email_Subject.push_back("fresh");
  fresh.ApplicationData.DateReceived.push_back({stamp});
  auto& old = cmds.Add.emplace_back();
  old.ClientId = "old";
  old.ApplicationData.Email_Subject.push_back("old");
  old.ApplicationData.DateReceived.push_back({"2020-01-01T00:00:00.000Z"});
  a.sync({c});
  // One week: the fresh message only (the demo mail is from January 2026 and before)
  const auto week = b.pull("1", {filter(3)});
  ASSERT_EQ(week.size(), 1u);
  EXPECT_EQ(week[0].ApplicationData.Email_Subject.at(0), "fresh");
  // No filter: the rest arrives; a week again: everything else leaves with SoftDelete
  EXPECT_EQ(b.pull("1", {filter(0)}).size(), 301u);
  auto back = b.collection("1");
  back.Options.push_back(filter(3));
  const auto r = b.sync({back}, 500);
  ASSERT_EQ(only(r).Commands.size(), 1u);
  EXPECT_EQ(only(r).Commands[0].SoftDelete.size(), 301u);
  EXPECT_TRUE(only(r).Commands[0].Delete.empty());
}

// The change log (store tombstones and high water) across windowed rounds: what another device
// changed and deleted while this one was halfway through reaches it once, in the right command
TEST_F(SyncClient, ChangesDuringAWindowedSyncArriveOnce) {
  server_process s(dir.path);
  device a(s.http_port, "DEVA"), b(s.http_port, "DEVB");
  ASSERT_EQ(b.pull("7").size(), 25u);
  a.sync({a.collection("7")});
  const auto first = a.sync({a.collection("7")}, 10);
  ASSERT_EQ(only(first).Commands.at(0).Add.size(), 10u);
  ASSERT_EQ(only(first).MoreAvailable.size(), 1u);
  std::set<std::string> has;
  for (const auto& add : only(first).Commands[0].Add) has.insert(std::string(add.ServerId));
  ASSERT_TRUE(has.contains("7:1") && has.contains("7:2") && !has.contains("7:15"));
  // B deletes one A has and one it has not got yet, changes one of each
  auto c = b.collection("7");
  auto& cmds = c.Commands.emplace();
  cmds.Delete.push_back({{}, "7:1"});
  cmds.Delete.push_back({{}, "7:20"});
  for (const char* sid : {"7:2", "7:15"}) {
    auto& change = cmds.Change.emplace_back();
    change.ServerId = sid;
    change.ApplicationData.FirstName.push_back(b.keep(std::string("Changed ") + sid));
  }
  ASSERT_EQ(only(b.sync({c})).Status, std::vector<std::int64_t>{1});
  std::vector<std::string> adds, changes, deletes;
  for (int round = 0; round < 10; ++round) {
    const auto r = a.sync({a.collection("7")}, 10);
    for (const auto& got : only(r).Commands) {
      for (const auto& add : got.Add) {
        adds.emplace_back(add.ServerId);
        if (add.ServerId == "7:15") {
          EXPECT_EQ(add.ApplicationData.FirstName.at(0), "Changed 7:15");
        }
      }
      for (const auto& change : got.Change) {
        changes.emplace_back(change.ServerId);
        EXPECT_EQ(change.ApplicationData.FirstName.at(0), "Changed 7:2");
      }
      for (const auto& gone : got.Delete) deletes.emplace_back(gone.ServerId);
    }
    if (only(r).MoreAvailable.empty()) break;
  }
  EXPECT_EQ(adds.size(), 14u);  // 7:11..7:25 but 7:20, 7:15 as it is now
  EXPECT_EQ(std::count(adds.begin(), adds.end(), "7:15"), 1);
  EXPECT_EQ(std::count(adds.begin(), adds.end(), "7:20"), 0);
  EXPECT_EQ(changes, std::vector<std::string>{"7:2"});
  EXPECT_EQ(deletes, std::vector<std::string>{"7:1"});
  for (const auto& id : adds) EXPECT_TRUE(has.insert(id).second) << id << " sent twice";
  // Nothing more
  EXPECT_TRUE(only(a.sync({a.collection("7")})).Commands.empty());
}

// MS-ASCMD 2.2.1.3 FolderCreate, 2.2.1.6 FolderUpdate, 2.2.1.4 FolderDelete and their Status
// codes (2.2.3.177.3, 2.2.3.177.6, 2.2.3.177.4); the other device's FolderSync reports them
TEST_F(SyncClient, FolderCommandsReachTheOtherDevice) {
  server_process s(dir.path);
  device a(s.http_port, "DEVA"), b(s.http_port, "DEVB");
  ASSERT_EQ(a.folder_sync().Status, 1);
  ASSERT_EQ(b.folder_sync().Status, 1);
  const auto create = [&](std::string_view parent, std::string_view name, std::uint8_t type = 12) {
    return decode<model::FolderCreate>(
        a.send("FolderCreate",
               encoded(model::request::FolderCreate{a.keep(a.hierarchy), parent, name, type})));
  };
  const auto made = create("1", "Projects");
  ASSERT_EQ(made.Status, 1);
  EXPECT_EQ(made.ServerId, "9");
  EXPECT_EQ(made.SyncKey, "2");
  a.hierarchy = std::string(*made.SyncKey);
  EXPECT_EQ(create("1", "Projects").Status, 2);    // the name exists
  EXPECT_EQ(create("77", "Elsewhere").Status, 5);  // no such parent
  EXPECT_EQ(create("1", "Typed", 2).Status, 10);   // not a user folder type
  const auto stale = decode<model::FolderCreate>(
      a.send("FolderCreate", encoded(model::request::FolderCreate{"1", "0", "Stale", 12})));
  EXPECT_EQ(stale.Status, 9);
  // The device that made it is not told again; the other one is
  EXPECT_EQ(a.folder_sync().Changes.value().Count, 0u);
  const auto seen = b.folder_sync();
  ASSERT_EQ(seen.Changes.value().Add.size(), 1u);
  EXPECT_EQ(seen.Changes->Add[0].ServerId, "9");
  EXPECT_EQ(seen.Changes->Add[0].DisplayName, "Projects");
  EXPECT_EQ(seen.Changes->Add[0].ParentId, "1");

  const auto update = [&](std::string_view id, std::string_view parent, std::string_view name) {
    return decode<model::FolderUpdate>(
        a.send("FolderUpdate",
               encoded(model::request::FolderUpdate{a.keep(a.hierarchy), id, parent, name})));
  };
  EXPECT_EQ(update("1", "0", "Post").Status, 2);   // a special folder
  EXPECT_EQ(update("99", "0", "None").Status, 4);  // no such folder
  EXPECT_EQ(update("9", "9", "Loop").Status, 5);   // under itself
  const auto renamed = update("9", "0", "Archive");
  ASSERT_EQ(renamed.Status, 1);
  a.hierarchy = std::string(renamed.SyncKey.value());
  const auto seen2 = b.folder_sync();
  ASSERT_EQ(seen2.Changes.value().Update.size(), 1u);
  EXPECT_EQ(seen2.Changes->Update[0].DisplayName, "Archive");
  EXPECT_EQ(seen2.Changes->Update[0].ParentId, "0");

  const auto remove = [&](std::string_view id) {
    return decode<model::FolderDelete>(
        a.send("FolderDelete", encoded(model::request::FolderDelete{a.keep(a.hierarchy), id})));
  };
  EXPECT_EQ(remove("1").Status, 3);   // a special folder
  EXPECT_EQ(remove("99").Status, 4);  // no such folder
  const auto removed = remove("9");
  ASSERT_EQ(removed.Status, 1);
  const auto seen3 = b.folder_sync();
  ASSERT_EQ(seen3.Changes.value().Delete.size(), 1u);
  EXPECT_EQ(seen3.Changes->Delete[0].ServerId, "9");
  // A malformed body: Status 10
  EXPECT_EQ(decode<model::FolderDelete>(a.send("FolderDelete", "\x03\x01")).Status, 10);
}

// MS-ASCMD 2.2.1.9 GetItemEstimate and its Status codes (2.2.3.177.7)
TEST_F(SyncClient, GetItemEstimate) {
  server_process s(dir.path);
  device a(s.http_port, "DEV1");  // the harness's device, for sync_all
  const auto estimate = [&](std::string_view cid, std::optional<std::string_view> key) {
    model::request::GetItemEstimate g;
    auto& c = g.Collections.Collection.emplace_back();
    c.CollectionId = cid;
    c.SyncKey = key;
    const auto r = decode<model::GetItemEstimate>(a.send("GetItemEstimate", encoded(g)));
    return r.Response.empty() ? model::GetItemEstimate_Response{} : r.Response[0];
  };
  EXPECT_EQ(estimate("1", "0").Status, 3);  // not primed
  a.sync({a.collection("1")});
  const auto e = estimate("1", "1");
  EXPECT_EQ(e.Status, 1);
  EXPECT_EQ(e.Collection.value().Estimate, 300);
  EXPECT_EQ(estimate("1", "7").Status, 4);   // wrong key
  EXPECT_EQ(estimate("99", "1").Status, 2);  // no such collection
  const auto [mail, last] = sync_all(a.c, a.policy, "1");
  EXPECT_EQ(mail.size(), 300u);
  EXPECT_EQ(estimate("1", last).Collection.value().Estimate, 0);
  // Undecodable: common status 102 (MS-ASCMD 2.2.2)
  EXPECT_EQ(decode<model::GetItemEstimate>(a.send("GetItemEstimate", "\x03")).Status, 102);
}

// MS-ASCMD 2.2.1.12 MoveItems: DstMsgId and Status (2.2.3.177.10)
TEST_F(SyncClient, MoveItems) {
  server_process s(dir.path);
  device a(s.http_port, "DEVA"), b(s.http_port, "DEVB");
  a.pull("1");
  b.pull("1");
  b.pull("4");
  model::request::MoveItems m;
  m.Move.push_back({"1:1", "1", "4"});
  m.Move.push_back({"1:1", "1", "4"});   // already moved
  m.Move.push_back({"1:2", "1", "99"});  // no destination
  m.Move.push_back({"1:3", "1", "1"});   // same folder
  m.Move.push_back({"4:1", "1", "4"});   // not in that source
  const auto r = decode<model::MoveItems>(a.send("MoveItems", encoded(m)));
  ASSERT_EQ(r.Response.size(), 5u);
  EXPECT_EQ(r.Response[0].Status, 3);
  EXPECT_EQ(r.Response[0].DstMsgId, "4:21");
  EXPECT_EQ(r.Response[1].Status, 1);
  EXPECT_EQ(r.Response[2].Status, 2);
  EXPECT_EQ(r.Response[3].Status, 4);
  EXPECT_EQ(r.Response[4].Status, 1);
  // The mover is not told of its own move; the other device sees a Delete and an Add
  EXPECT_TRUE(only(a.sync({a.collection("1")})).Commands.empty());
  const auto inbox = b.sync({b.collection("1")});
  EXPECT_EQ(only(inbox).Commands.at(0).Delete.at(0).ServerId, "1:1");
  const auto sent = b.sync({b.collection("4")});
  EXPECT_EQ(only(sent).Commands.at(0).Add.at(0).ServerId, "4:21");
}

// Two devices on one mailbox: device A's Sync wakes device B's Ping, and B's next Sync has it
TEST_F(SyncClient, ChangeThroughOneDeviceWakesThePingOfAnother) {
  server_process s(dir.path);
  device a(s.http_port, "DEVA"), b(s.http_port, "DEVB");
  a.pull("8");
  b.pull("8");
  model::request::Ping p;
  p.HeartbeatInterval = 120;
  p.Folders.emplace().Folder.push_back({.Id = "8", .Class = "Notes"});
  const std::string ping = encoded(p);
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    a.add_note("8", "from A");
  });
  const auto started = std::chrono::steady_clock::now();
  const auto raw = b.send("Ping", ping);
  writer.join();  // A's thread is done with the shared reply list before B decodes
  const auto woke = decode<model::Ping>(raw);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30));
  EXPECT_EQ(woke.Status, 2);
  ASSERT_TRUE(woke.Folders);
  EXPECT_EQ(woke.Folders->Folder, std::vector<std::string_view>{"8"});
  const auto got = b.sync({b.collection("8")});
  ASSERT_EQ(only(got).Commands.size(), 1u);
  EXPECT_EQ(only(got).Commands[0].Add.at(0).ApplicationData.Notes_Subject.at(0), "from A");
}

// MS-ASCMD 3.1.5.4, 2.2.3.198 Wait: a Sync with nothing to report is held until another device
// changes one of its folders, then answered with that change
TEST_F(SyncClient, WaitHoldsTheSyncUntilAChange) {
  server_process s(dir.path);
  device a(s.http_port, "DEVA"), b(s.http_port, "DEVB");
  a.pull("8");
  b.pull("8");
  model::request::Sync held;
  held.Wait = 1;  // minute
  held.Collections.emplace().Collection.push_back(b.collection("8"));
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    a.add_note("8", "while B waits");
  });
  const auto started = std::chrono::steady_clock::now();
  const auto raw = b.send("Sync", encoded(held));
  writer.join();
  EXPECT_GT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(700));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30));
  const auto got = b.note(decode<model::Sync>(raw));
  ASSERT_EQ(only(got).Commands.size(), 1u);
  EXPECT_EQ(only(got).Commands[0].Add.at(0).ApplicationData.Notes_Subject.at(0), "while B waits");
}

// MS-ASCMD 2.2.1.21.1 empty request, 2.2.3.124 Partial: the collections of the last request come
// from the server's cache at their current keys; with no cache, Status 13
TEST_F(SyncClient, EmptyAndPartialRequestsUseTheCachedCollections) {
  server_process s(dir.path);
  device a(s.http_port, "DEVA"), b(s.http_port, "DEVB");
  EXPECT_EQ(decode<model::Sync>(b.send("Sync", "")).Status, 13);
  a.pull("8");
  b.pull("7");
  b.pull("8");
  b.sync({b.collection("7"), b.collection("8")});  // the request the server caches
  a.add_note("8", "first");
  const auto empty = b.note(decode<model::Sync>(b.send("Sync", "")));
  ASSERT_TRUE(empty.Collections);
  ASSERT_EQ(empty.Collections->Collection.size(), 2u);
  for (const auto& col : empty.Collections->Collection) {
    EXPECT_EQ(col.Status, std::vector<std::int64_t>{1});
    if (col.CollectionId.at(0) != "8") continue;
    ASSERT_EQ(col.Commands.size(), 1u);
    EXPECT_EQ(col.Commands[0].Add.at(0).ApplicationData.Notes_Subject.at(0), "first");
  }
  a.add_note("8", "second");
  model::request::Sync partial;
  partial.Partial.emplace();
  partial.Collections.emplace().Collection.push_back(b.collection("7"));
  const auto merged = b.note(decode<model::Sync>(b.send("Sync", encoded(partial))));
  ASSERT_TRUE(merged.Collections);
  ASSERT_EQ(merged.Collections->Collection.size(), 2u);
  const auto& eight = merged.Collections->Collection[1];
  EXPECT_EQ(eight.CollectionId.at(0), "8");
  EXPECT_EQ(eight.Status, std::vector<std::int64_t>{1});
  ASSERT_EQ(eight.Commands.size(), 1u);
  EXPECT_EQ(eight.Commands[0].Add.at(0).ApplicationData.Notes_Subject.at(0), "second");
}

// MS-ASCMD 2.2.3.198 Wait 1..59, 2.2.3.88.2 HeartbeatInterval (60..3540 here): outside, Status
// 14 with the bound in Limit; both in one request, Status 4
TEST_F(SyncClient, WaitAndHeartbeatIntervalBounds) {
  server_process s(dir.path);
  device b(s.http_port, "DEVB");
  b.pull("8");
  const auto answer = [&](std::optional<std::uint8_t> wait, std::optional<std::uint16_t> beat) {
    model::request::Sync r;
    r.Wait = wait, r.HeartbeatInterval = beat;
    r.Collections.emplace().Collection.push_back(b.collection("8"));
    return decode<model::Sync>(b.send("Sync", encoded(r)));
  };
  const auto zero = answer(0, {});
  EXPECT_EQ(zero.Status, 14);
  EXPECT_EQ(zero.Limit, 1);
  const auto hour = answer(60, {});
  EXPECT_EQ(hour.Status, 14);
  EXPECT_EQ(hour.Limit, 59);
  const auto short_beat = answer({}, 30);
  EXPECT_EQ(short_beat.Status, 14);
  EXPECT_EQ(short_beat.Limit, 60);
  EXPECT_EQ(answer(5, 300).Status, 4);
}

// MS-ASAIRS 2.2.2.9 Body of Type 3 from the client (base64 of compressed RTF): kept as it came
// for RTF readers, its text for the others
TEST_F(SyncClient, RtfBodyFromTheClient) {
  server_process s(dir.path);
  device a(s.http_port, "DEVA"), b(s.http_port, "DEVB");
  a.pull("8");
  const std::string text = "Agenda:\r\n\t1. budget {draft}\r\n\t2. caf\xC3\xA9";
  const auto packed = oxwire::rtf::compress(oxwire::as_bytes(oxwire::rtf::encapsulate_text(text)));
  ASSERT_TRUE(packed);
  const std::string data = oxwire::base64::encode(*packed);
  model::Body body;
  body.Type = 3, body.Data = data;
  a.add_note("8", "with RTF", body);
  const auto with = [](std::uint8_t type) {
    model::AirSync_Options o;
    o.BodyPreference.push_back({.Type = type});
    return std::vector<model::AirSync_Options>{o};
  };
  const auto find_body =
      [](const std::vector<model::Sync_Collections_Collection_Commands_Add>& adds)
      -> std::optional<model::Body> {
    for (const auto& x : adds)
      if (x.ApplicationData.Notes_Subject == std::vector<std::string_view>{"with RTF"} &&
          x.ApplicationData.AirSyncBase_Body.size() == 1)
        return x.ApplicationData.AirSyncBase_Body[0];
    return std::nullopt;
  };
  const auto plain = find_body(b.pull("8", with(1)));
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->Type, 1);
  EXPECT_EQ(plain->Data, text);
  device c3(s.http_port, "DEVC");
  const auto rtf = find_body(c3.pull("8", with(3)));
  ASSERT_TRUE(rtf);
  EXPECT_EQ(rtf->Type, 3);
  EXPECT_EQ(rtf->Data, data);

  // MS-ASCMD 2.2.3.177.17 Status 6: a Type 3 body that is not base64 of compressed RTF is an
  // error in client/server conversion, and nothing is stored
  for (const std::string& bad :
       {std::string("not base64!"), oxwire::base64::encode(oxwire::as_bytes("plain bytes"))}) {
    body.Data = bad;
    const auto r = a.add_note("8", "bad RTF", body);
    ASSERT_TRUE(r.Collections && only(r).Responses.size() == 1 &&
                only(r).Responses[0].Add.size() == 1);
    EXPECT_EQ(only(r).Responses[0].Add[0].Status, 6) << bad;
    EXPECT_FALSE(only(r).Responses[0].Add[0].ServerId);
  }
  for (const auto& x : b.pull("8"))
    EXPECT_NE(x.ApplicationData.Notes_Subject, std::vector<std::string_view>{"bad RTF"});
}

}  // namespace test_sync_client
