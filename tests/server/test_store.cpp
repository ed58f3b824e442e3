// The server's SQLite store: users and password hashes, property bags as blobs, items, device
// state, and that everything survives closing and reopening.
#include <oxwire/gen/mapi/prop_tags.hpp>
#include <oxwire/server/store.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <thread>

namespace server = oxwire::server;
namespace mapi = oxwire::mapi;

namespace test_store {

struct temp_dir {
  std::filesystem::path path;
  temp_dir() {
    path = std::filesystem::temp_directory_path() /
           ("oxwire-store-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(path);
  }
  ~temp_dir() { std::filesystem::remove_all(path); }
};

mapi::property_bag message(std::u16string subject) {
  mapi::property_bag bag;
  bag.names(&server::named_properties());
  bag.set(mapi::prop::PidTagSubject, std::move(subject));
  bag.set(mapi::prop::PidTagImportance, 2);
  bag.set(mapi::prop::PidTagMessageDeliveryTime, mapi::filetime{133'000'000'000'000'000});
  bag.set(mapi::prop::PidTagBody, std::u16string(70'000, u'x'));  // > 64 KiB: 32-bit counts
  EXPECT_TRUE(bag.set(mapi::prop::PidLidLocation, u"Room 1"));
  return bag;
}

TEST(ServerStore, PasswordsAreSaltedPbkdf2) {
  const auto a = server::password_hash::make("secret");
  const auto b = server::password_hash::make("secret");
  EXPECT_GE(a.iterations, 100'000);
  EXPECT_EQ(a.salt.size(), 16u);
  EXPECT_NE(a.salt, b.salt);
  EXPECT_NE(a.hash, b.hash);
  EXPECT_TRUE(a.verify("secret"));
  EXPECT_FALSE(a.verify("Secret"));
  EXPECT_FALSE(a.verify(""));
}

TEST(ServerStore, BagBlobRoundTrip) {
  const auto bag = message(u"Hello");
  auto blob = server::encode_bag(bag);
  ASSERT_TRUE(blob);
  auto back = server::decode_bag(*blob);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, bag);
  EXPECT_EQ(back->get(mapi::prop::PidLidLocation), u"Room 1");
  // truncated and trailing bytes are errors, not partial bags
  blob->pop_back();
  EXPECT_FALSE(server::decode_bag(*blob));
  blob->push_back(0);
  blob->push_back(0);
  EXPECT_FALSE(server::decode_bag(*blob));
  const std::vector<std::uint8_t> huge_count{0xFF, 0xFF, 0xFF, 0xFF};
  EXPECT_FALSE(server::decode_bag(huge_count));
}

TEST(ServerStore, UsersItemsAndStateSurviveReopening) {
  temp_dir dir;
  const auto file = dir.path / "oxwire.db";
  server::user_id anna = 0;
  std::string id1;
  {
    server::store db(file);
    auto u = db.add_user("anna", "pw", 1000);
    ASSERT_TRUE(u);
    anna = *u;
    EXPECT_FALSE(db.add_user("ANNA", "other", 1000));  // names are case-insensitive
    db.add_folder(anna, {"5", "0", "Inbox", 2, {}});
    id1 = db.add_item(anna, "5", message(u"one"));
    const auto id2 = db.add_item(anna, "5", message(u"two"));
    EXPECT_EQ(id1, "5:1");
    EXPECT_EQ(id2, "5:2");
    EXPECT_TRUE(db.delete_item(anna, id2));
    EXPECT_FALSE(db.delete_item(anna, id2));
    EXPECT_THROW(db.add_item(anna, "99", message(u"x")), server::store_error);
    db.set_device(
        anna, "DEV1",
        {.policy_key = 7, .pending_policy_key = 0, .folder_sync_key = 3, .folder_snapshot = ""});
    db.commit_sync(anna, "DEV1", "5", 1, {{id1, 4}});
    db.commit_sync(anna, "DEV1", "5", 2, {{"5:9", 5}, {"5:9", std::nullopt}});
  }
  server::store db(file);
  EXPECT_EQ(db.authenticate("anna", "pw"), anna);
  EXPECT_EQ(db.authenticate("Anna", "pw"), anna);
  EXPECT_FALSE(db.authenticate("anna", "wrong"));
  EXPECT_FALSE(db.authenticate("nobody", "pw"));
  const auto items = db.items(anna, "5");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].server_id, id1);
  EXPECT_EQ(items[0].props.get(mapi::prop::PidTagSubject), u"one");
  const auto modseq = items[0].modseq;
  mapi::property_bag changed = items[0].props;
  changed.set(mapi::prop::PidTagRead, true);
  EXPECT_TRUE(db.update_item(anna, id1, changed));
  EXPECT_GT(db.find_item(anna, id1)->modseq, modseq);
  EXPECT_EQ(db.device(anna, "DEV1").policy_key, 7u);
  EXPECT_EQ(db.device(anna, "DEV1").folder_sync_key, 3u);
  EXPECT_EQ(db.device(anna, "OTHER").policy_key, 0u);
  EXPECT_EQ(db.sync_key(anna, "DEV1", "5"), 2u);
  EXPECT_EQ(db.sent(anna, "DEV1", "5"), (server::sent_items{{id1, 4}}));
  // key 1 starts the collection over
  db.commit_sync(anna, "DEV1", "5", 1, {});
  EXPECT_TRUE(db.sent(anna, "DEV1", "5").empty());
}

TEST(ServerStore, FailedTransactionRollsBack) {
  temp_dir dir;
  server::store db(dir.path / "oxwire.db");
  const auto u = *db.add_user("bob", "pw", 1000);
  db.add_folder(u, {"5", "0", "Inbox", 2, {}});
  EXPECT_THROW(db.transaction([&] {
    db.add_item(u, "5", message(u"lost"));
    throw server::store_error("abort");
  }),
               server::store_error);
  EXPECT_TRUE(db.items(u, "5").empty());
  EXPECT_EQ(db.add_item(u, "5", message(u"kept")), "5:1");
}

// A nested transaction is a savepoint: what it wrote goes when it throws, what the enclosing one
// wrote before and after it stays and is committed
TEST(ServerStore, FailedNestedTransactionRollsBackAlone) {
  temp_dir dir;
  {
    server::store db(dir.path / "oxwire.db");
    const auto u = *db.add_user("bob", "pw", 1000);
    db.add_folder(u, {"5", "0", "Inbox", 2, {}});
    db.transaction(
        [&] {
          db.add_item(u, "5", message(u"before"));
          EXPECT_THROW(db.transaction([&] {
            db.add_item(u, "5", message(u"lost"));
            throw server::store_error("abort");
          }),
                       server::store_error);
          db.add_item(u, "5", message(u"after"));
        },
        server::commit_level::state);
  }
  server::store db(dir.path / "oxwire.db");
  std::vector<std::u16string> subjects;
  for (const auto& it : db.items(*db.find_user("bob"), "5"))
    subjects.emplace_back(it.props.get(mapi::prop::PidTagSubject).value_or(u"?"));
  EXPECT_EQ(subjects, (std::vector<std::u16string>{u"before", u"after"}));
}

// The change detection's read (ids and change counters, no bags) lists what items() lists, in
// the same (insertion) order, whatever order the change counters are in
TEST(ServerStore, ItemVersionsMatchItems) {
  temp_dir dir;
  server::store db(dir.path / "oxwire.db");
  const auto u = *db.add_user("bob", "pw", 1000);
  db.add_folder(u, {"5", "0", "Inbox", 2, {}});
  db.add_folder(u, {"6", "0", "Other", 12, {}});
  std::vector<std::string> ids;
  for (const auto* s : {u"a", u"b", u"c"}) ids.push_back(db.add_item(u, "5", message(s)));
  db.add_item(u, "6", message(u"elsewhere"));
  ASSERT_TRUE(db.update_item(u, ids[0], message(u"a2")));  // the first now has the highest
  const auto whole = db.items(u, "5");
  const auto versions = db.item_versions(u, "5");
  ASSERT_EQ(versions.size(), 3u);
  for (std::size_t i = 0; i < versions.size(); ++i) {
    EXPECT_EQ(versions[i].server_id, ids[i]);
    EXPECT_EQ(versions[i].modseq, whole[i].modseq);
    EXPECT_EQ(versions[i].props.size(), 0u);
  }
  EXPECT_GT(versions[0].modseq, versions[2].modseq);
}

TEST(ServerStore, FoldersMoveAndDeleteWithTheirItems) {
  temp_dir dir;
  server::store db(dir.path / "s.db");
  const auto u = *db.add_user("anna", "pw", 1000);
  db.add_folder(u, {"1", "0", "Inbox", 2, {}});
  db.add_folder(u, {"2", "0", "Deleted Items", 4, {}});
  EXPECT_EQ(db.next_folder_id(u), "3");
  db.add_folder(u, {"3", "1", "Projects", 12, {}});
  db.add_folder(u, {"4", "3", "Old", 12, {}});
  const auto id = db.add_item(u, "1", message(u"moved"));
  mapi::property_bag attachment;
  attachment.set(mapi::prop::PidTagAttachSize, 5);
  db.add_attachment(u, id, attachment);
  const auto before = db.find_item(u, id)->modseq;
  // MoveItems: a new ServerId and modseq in the destination; the attachment follows
  const auto moved = db.move_item(u, id, "3");
  ASSERT_TRUE(moved);
  EXPECT_EQ(*moved, "3:1");
  EXPECT_FALSE(db.find_item(u, id));
  EXPECT_GT(db.find_item(u, *moved)->modseq, before);
  EXPECT_EQ(db.attachments(u, *moved).size(), 1u);
  EXPECT_FALSE(db.move_item(u, id, "2"));      // gone from the source
  EXPECT_FALSE(db.move_item(u, *moved, "9"));  // no such folder
  // Rename and move a folder; delete a folder with its subfolder and items
  EXPECT_TRUE(db.update_folder(u, "3", "0", "Archive"));
  EXPECT_EQ(db.find_folder(u, "3")->display_name, "Archive");
  EXPECT_FALSE(db.update_folder(u, "9", "0", "None"));
  db.add_item(u, "4", message(u"below"));
  db.commit_sync(u, "DEV", "3", 2, {{*moved, 1}});
  db.set_filter_type(u, "DEV", "3", 5);
  EXPECT_EQ(db.filter_type(u, "DEV", "3"), 5);
  EXPECT_EQ(db.filter_type(u, "DEV", "1"), 0);
  EXPECT_TRUE(db.delete_folder(u, "3"));
  EXPECT_FALSE(db.find_folder(u, "3"));
  EXPECT_FALSE(db.find_folder(u, "4"));
  EXPECT_FALSE(db.find_item(u, *moved));
  EXPECT_TRUE(db.items(u, "4").empty());
  EXPECT_EQ(db.sync_key(u, "DEV", "3"), 0u);
  EXPECT_TRUE(db.sent(u, "DEV", "3").empty());
  EXPECT_FALSE(db.delete_folder(u, "3"));
}

TEST(ServerStore, LastSyncAndRecordedItemsSurviveReopening) {
  temp_dir dir;
  {
    server::store db(dir.path / "s.db");
    const auto u = *db.add_user("anna", "pw", 1000);
    EXPECT_FALSE(db.last_sync(u, "DEV"));
    db.set_last_sync(u, "DEV", std::string("req\0uest", 8), "response");
    db.record_sent(u, "DEV", "1", {{"1:1", 7}, {"1:2", 8}});
    db.record_sent(u, "DEV", "1", {{"1:2", std::nullopt}});
  }
  server::store db(dir.path / "s.db");
  const auto u = *db.find_user("anna");
  const auto last = db.last_sync(u, "DEV");
  ASSERT_TRUE(last);
  EXPECT_EQ(last->first, std::string("req\0uest", 8));
  EXPECT_EQ(last->second, "response");
  EXPECT_EQ(db.sent(u, "DEV", "1"), (server::sent_items{{"1:1", 7}}));
}

TEST(ServerStore, ChangeLogHoldsChangesAndTombstonesInModseqOrder) {
  temp_dir dir;
  server::store db(dir.path / "s.db");
  const auto u = *db.add_user("anna", "pw", 1000);
  db.add_folder(u, {"1", "0", "Inbox", 2, {}});
  db.add_folder(u, {"2", "0", "Deleted Items", 4, {}});
  const auto a = db.add_item(u, "1", message(u"a"));
  const auto b = db.add_item(u, "1", message(u"b"));
  const auto c = db.add_item(u, "1", message(u"c"));
  const auto start = db.modseq();
  ASSERT_TRUE(db.update_item(u, a, message(u"a2")));  // a now after c
  ASSERT_TRUE(db.delete_item(u, b));                  // b leaves a tombstone
  const auto moved = db.move_item(u, c, "2");         // c leaves one, arrives in 2
  ASSERT_TRUE(moved);
  const auto log = db.changes_since(u, "1", start, 10);
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].server_id, a);
  EXPECT_FALSE(log[0].gone);
  EXPECT_EQ(log[1].server_id, b);
  EXPECT_TRUE(log[1].gone);
  EXPECT_EQ(log[2].server_id, c);
  EXPECT_TRUE(log[2].gone);
  EXPECT_LT(log[0].modseq, log[1].modseq);
  EXPECT_LT(log[1].modseq, log[2].modseq);
  EXPECT_LE(log[2].modseq, db.modseq());
  // from the start, and limited
  const auto all = db.changes_since(u, "1", 0, 10);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].server_id, a);
  EXPECT_EQ(db.changes_since(u, "1", start, 2).size(), 2u);
  const auto in2 = db.changes_since(u, "2", 0, 10);
  ASSERT_EQ(in2.size(), 1u);
  EXPECT_EQ(in2[0].server_id, *moved);
  EXPECT_FALSE(db.delete_item(u, b));  // twice: no second tombstone
  EXPECT_EQ(db.changes_since(u, "1", start, 10).size(), 3u);

  // a device's high water: unknown until a round sets it; tombstones stay until every
  // collection with a high water is past them
  EXPECT_FALSE(db.high_water(u, "DEV", "1"));
  db.commit_sync(u, "DEV", "1", 1, {}, 0);
  EXPECT_EQ(db.high_water(u, "DEV", "1"), 0);
  db.commit_sync(u, "OTHER", "1", 2, {}, log[1].modseq);
  EXPECT_EQ(db.changes_since(u, "1", start, 10).size(), 3u);  // DEV is at 0
  db.commit_sync(u, "DEV", "1", 2, {}, db.modseq());
  EXPECT_EQ(db.changes_since(u, "1", start, 10).size(), 2u);  // b's passed by both
  db.set_filter_type(u, "OTHER", "1", 0);                     // the same filter: kept
  EXPECT_EQ(db.high_water(u, "OTHER", "1"), log[1].modseq);
  db.set_filter_type(u, "OTHER", "1", 3);  // another filter: unknown again
  EXPECT_FALSE(db.high_water(u, "OTHER", "1"));
  db.commit_sync(u, "DEV", "1", 3, {}, db.modseq());
  EXPECT_EQ(db.changes_since(u, "1", start, 10).size(), 1u);  // only a's change is left
  EXPECT_TRUE(db.delete_folder(u, "2"));
  EXPECT_TRUE(db.changes_since(u, "2", 0, 10).empty());
}

// A device that stops syncing holds tombstones back only for stale_after(): a later round of the
// collection by another device takes its high water (its next Sync compares the whole folder)
// and drops them.
TEST(ServerStore, StaleCollectionsLoseTheirHighWater) {
  using namespace std::chrono;
  temp_dir dir;
  server::store db(dir.path / "s.db");
  EXPECT_EQ(db.stale_after(), days{30});
  const auto u = *db.add_user("anna", "pw", 1000);
  db.add_folder(u, {"1", "0", "Inbox", 2, {}});
  const auto a = db.add_item(u, "1", message(u"a"));
  const sys_seconds t0{seconds{1'800'000'000}};
  db.commit_sync(u, "GONE", "1", 1, {}, db.modseq(), t0);
  db.commit_sync(u, "DEV", "1", 1, {}, db.modseq(), t0);
  const auto before = db.modseq();
  ASSERT_TRUE(db.delete_item(u, a));
  db.commit_sync(u, "DEV", "1", 2, {}, db.modseq(), t0 + days{29});
  EXPECT_EQ(db.changes_since(u, "1", before, 10).size(), 1u);  // GONE has not passed it
  EXPECT_EQ(db.high_water(u, "GONE", "1"), before);
  db.commit_sync(u, "DEV", "1", 3, {}, db.modseq(), t0 + days{31});
  EXPECT_FALSE(db.high_water(u, "GONE", "1"));
  EXPECT_TRUE(db.changes_since(u, "1", before, 10).empty());
  EXPECT_EQ(db.high_water(u, "DEV", "1"), db.modseq());
  EXPECT_EQ(db.sync_key(u, "GONE", "1"), 1u);  // its key stands: it resumes by comparing
}

TEST(ServerStore, StoreWithoutHighWaterColumnIsMigrated) {
  temp_dir dir;
  const auto file = dir.path / "old.db";
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw,
                           "CREATE TABLE collections(user_id INTEGER NOT NULL, device_id TEXT NOT "
                           "NULL, collection_id TEXT NOT NULL, sync_key INTEGER NOT NULL, "
                           "PRIMARY KEY(user_id, device_id, collection_id));"
                           "INSERT INTO collections VALUES(1, 'DEV', '5', 7)",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
  }
  server::store db(file);
  EXPECT_EQ(db.sync_key(1, "DEV", "5"), 7u);
  EXPECT_FALSE(db.high_water(1, "DEV", "5"));  // unknown: the next Sync compares the folder
  db.commit_sync(1, "DEV", "5", 8, {}, 42);
  EXPECT_EQ(db.high_water(1, "DEV", "5"), 42);
}

// The write-ahead log is copied back into the database (by the store's checkpoint thread) once it
// has grown past its limit, without a command waiting for it
TEST(ServerStore, WriteAheadLogIsCheckpointed) {
  temp_dir dir;
  const auto file = dir.path / "s.db";
  server::store db(file);
  const auto u = *db.add_user("anna", "pw", 1000);
  db.add_folder(u, {"1", "0", "Inbox", 2, {}});
  const auto before = std::filesystem::file_size(file);
  for (int i = 0; i < 100; ++i) db.add_item(u, "1", message(u"large"));  // ~70 KB each
  // the database file grows only by checkpoints: wait for one (generously: sanitizer builds)
  for (int i = 0; i < 600 && std::filesystem::file_size(file) < before + 4'000'000; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_GE(std::filesystem::file_size(file), before + 4'000'000);
  EXPECT_EQ(db.items(u, "1").size(), 100u);
}

}  // namespace test_store
