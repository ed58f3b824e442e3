// oxwire — the reference server's store on SQLite: users with PBKDF2 password hashes, folders and
// items as MAPI property bags, and per-device ActiveSync state (policy key, FolderSync and Sync
// keys with what each device has been sent).
//
//   oxwire::server::store db(data_dir / "oxwire.db");       // created on first open
//   db.add_user("anna", "secret");
//   auto user = db.authenticate("anna", "secret");          // std::optional<user_id>
//
// Durability: WAL journal and every write in one transaction; a transaction that changed user
// data is synced to disk before it returns, so what the server acknowledged survives kill -9 and
// power loss; sync bookkeeping alone (commit_level::state) survives kill -9. SQLite and OpenSSL
// failures throw store_error (they are environment failures, not input errors); the server answers
// 500 for them.
#pragma once

#include <oxwire/core/reader.hpp>
#include <oxwire/core/writer.hpp>
#include <oxwire/gen/mapi/prop_lids.hpp>
#include <oxwire/mapi/property_bag.hpp>
#include <oxwire/mapi/value_codec.hpp>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <vector>

namespace oxwire::server {

/// A SQLite or OpenSSL failure.
struct store_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using user_id = std::int64_t;

// ---------------------------------------------------------------------------------------------
// Property bags as blobs

/// The RFC 5322 bytes an e-mail arrived as (SendMail, local delivery, the demo data), returned
/// as an MS-ASAIRS 2.2.2.41.1 Type 4 (MIME) body. MS-OXPROPS has no property for a whole
/// message (PidTagMimeSkeleton holds only what was not converted), so it is a PS_PUBLIC_STRINGS
/// named property of this server's own.
inline constexpr mapi::named_property<mapi::PropertyType::PtypBinary> original_mime{
    mapi::propset::PS_PUBLIC_STRINGS, 0, "oxwire-original-mime", "original_mime"};

/// The named properties the server stores, with the ids the store gives them (MS-OXCPRPT
/// 3.1.4.2: 0x8000 and up, in this order). Fixed, so every bag in every store reads the same.
inline const mapi::named_property_map& named_properties() {
  static const mapi::named_property_map map = [] {
    mapi::named_property_map m;
    std::uint16_t id = 0x8000;
    const auto add = [&](const auto& p) { m.add({mapi::name_kind::lid, p.set, p.lid, {}}, id++); };
    add(mapi::prop::PidLidAppointmentStartWhole);
    add(mapi::prop::PidLidAppointmentEndWhole);
    add(mapi::prop::PidLidLocation);
    add(mapi::prop::PidLidRecurring);
    add(mapi::prop::PidLidAppointmentRecur);
    add(mapi::prop::PidLidTaskDueDate);
    add(mapi::prop::PidLidTaskComplete);
    add(mapi::prop::PidLidEmail1EmailAddress);
    add(mapi::prop::PidLidBusyStatus);
    add(mapi::prop::PidLidFileUnder);
    add(mapi::prop::PidLidTaskStartDate);
    m.add({mapi::name_kind::name, original_mime.set, 0, u"oxwire-original-mime"}, id++);
    // meeting requests (MS-OXOCAL 2.2.1, 2.2.6); append only: stored bags hold these ids
    add(mapi::prop::PidLidAppointmentSubType);
    add(mapi::prop::PidLidAppointmentSequence);
    add(mapi::prop::PidLidIntendedBusyStatus);
    add(mapi::prop::PidLidGlobalObjectId);
    add(mapi::prop::PidLidCleanGlobalObjectId);
    add(mapi::prop::PidLidAppointmentStateFlags);
    add(mapi::prop::PidLidExceptionReplaceTime);
    return m;
  }();
  return map;
}

/// A bag as a blob: a 32-bit count, then that many MS-OXCDATA 2.11.4 TaggedPropertyValues with
/// 32-bit counts (count_width::extended: bodies and attachments exceed 64 KiB).
[[nodiscard]] inline result<std::vector<std::uint8_t>> encode_bag(const mapi::property_bag& bag) {
  std::vector<std::uint8_t> out;
  vector_writer w(out);
  const mapi::value_options opts{.counts = mapi::count_width::extended};
  if (auto r = w.write<std::uint32_t>(static_cast<std::uint32_t>(bag.size()), "count"); !r)
    return r.error();
  for (const auto& v : bag)
    if (auto r = mapi::encode_tagged_value(w, v, opts); !r) return r.error();
  return out;
}

/// The bag of a blob encode_bag wrote; named properties resolve through named_properties().
/// With `only` not empty, just the properties of those ids (the rest is walked, not copied).
[[nodiscard]] inline result<mapi::property_bag> decode_bag(
    bytes_view blob, std::span<const std::uint16_t> only = {}) {
  reader in(blob);
  const mapi::value_options opts{.counts = mapi::count_width::extended};
  auto n = in.read<std::uint32_t>("count");
  if (!n) return n.error();
  if (*n > blob.size() / 4) return error{oxwire::errc::limit_exceeded, 0, "count"};
  mapi::property_bag bag;
  bag.names(&named_properties());
  for (std::uint32_t i = 0; i < *n; ++i) {
    auto v = mapi::decode_tagged_value(in, opts);
    if (!v) return v.error();
    if (!only.empty() && std::find(only.begin(), only.end(), v->tag.id()) == only.end()) continue;
    if (auto r = bag.set(v->tag, mapi::to_owned(v->value)); !r) return r.error();
  }
  if (in.remaining() != 0) return error{oxwire::errc::out_of_range, in.offset(), "trailing bytes"};
  return bag;
}

// ---------------------------------------------------------------------------------------------
// Passwords

/// PBKDF2-HMAC-SHA-256 (RFC 8018 5.2) with a per-user random salt.
struct password_hash {
  static constexpr int default_iterations = 100'000;
  std::vector<std::uint8_t> salt;
  std::vector<std::uint8_t> hash;
  int iterations = default_iterations;

  [[nodiscard]] static std::vector<std::uint8_t> derive(std::string_view password,
                                                        const std::vector<std::uint8_t>& salt,
                                                        int iterations) {
    std::vector<std::uint8_t> out(32);
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                          static_cast<int>(salt.size()), iterations, EVP_sha256(),
                          static_cast<int>(out.size()), out.data()) != 1)
      throw store_error("PKCS5_PBKDF2_HMAC failed");
    return out;
  }
  [[nodiscard]] static password_hash make(std::string_view password,
                                          int iterations = default_iterations) {
    password_hash h;
    h.salt.resize(16);
    if (RAND_bytes(h.salt.data(), static_cast<int>(h.salt.size())) != 1)
      throw store_error("RAND_bytes failed");
    h.iterations = iterations;
    h.hash = derive(password, h.salt, iterations);
    return h;
  }
  /// Constant-time comparison of the derived key.
  [[nodiscard]] bool verify(std::string_view password) const {
    const auto d = derive(password, salt, iterations);
    return d.size() == hash.size() && CRYPTO_memcmp(d.data(), hash.data(), d.size()) == 0;
  }
};

// ---------------------------------------------------------------------------------------------
// SQLite

namespace detail {
/// The store's SQLite connection and the statements it has prepared, kept for reuse by the address
/// of their SQL literal (SQLITE_PREPARE_PERSISTENT): a request runs a handful of the same few dozen
/// queries, and parsing them again each time was a quarter of a FolderSync's server time.
class connection {
 public:
  connection() = default;
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;
  ~connection() {
    for (auto& [sql, free] : idle_)
      for (auto* s : free) sqlite3_finalize(s);
    sqlite3_close(db_);
  }
  operator sqlite3*() const { return db_; }  // NOLINT: the handle for sqlite3_* calls
  sqlite3** handle() { return &db_; }

  /// An idle statement for `sql`, or a new one (a statement in use is never handed out twice).
  sqlite3_stmt* take(const char* sql) {
    if (const auto it = idle_.find(sql); it != idle_.end() && !it->second.empty()) {
      auto* s = it->second.back();
      it->second.pop_back();
      return s;
    }
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
      throw store_error(std::string("sqlite prepare: ") + sqlite3_errmsg(db_));
    return s;
  }
  /// Takes back a statement of `take`, reset (its read transaction ends here) and unbound.
  void give_back(const char* sql, sqlite3_stmt* s) {
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    idle_[sql].push_back(s);
  }

 private:
  sqlite3* db_ = nullptr;
  // by literal: hashing and comparing the SQL text on every statement showed in profiles
  std::unordered_map<const char*, std::vector<sqlite3_stmt*>> idle_;
};

/// One prepared statement, borrowed from the connection; binds by position from 1, steps, reads
/// columns from 0. `sql` outlives the statement (a literal).
class statement {
 public:
  statement(connection& db, const char* sql) : db_(db), c_(db), sql_(sql), s_(db.take(sql)) {}
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  ~statement() { c_.give_back(sql_, s_); }

  statement& bind(int i, std::int64_t v) { return check(sqlite3_bind_int64(s_, i, v)); }
  /// NULL when empty.
  statement& bind(int i, std::optional<std::int64_t> v) {
    return v ? bind(i, *v) : check(sqlite3_bind_null(s_, i));
  }
  statement& bind(int i, std::string_view v) {
    return check(sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  }
  statement& bind(int i, bytes_view v) {
    return check(sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  }
  /// true while a row is available.
  bool step() {
    const int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw store_error(std::string("sqlite step: ") + sqlite3_errmsg(db_));
  }
  [[nodiscard]] std::int64_t integer(int c) const { return sqlite3_column_int64(s_, c); }
  [[nodiscard]] std::string text(int c) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, c));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, c)))
             : std::string();
  }
  [[nodiscard]] std::vector<std::uint8_t> blob(int c) const {
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(s_, c));
    return p ? std::vector<std::uint8_t>(p, p + sqlite3_column_bytes(s_, c))
             : std::vector<std::uint8_t>();
  }
  /// The column's bytes in place: valid until the next step().
  [[nodiscard]] bytes_view blob_view(int c) const {
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(s_, c));
    return p ? bytes_view(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, c))) : bytes_view();
  }
  [[nodiscard]] bool is_null(int c) const { return sqlite3_column_type(s_, c) == SQLITE_NULL; }

 private:
  statement& check(int rc) {
    if (rc != SQLITE_OK) throw store_error(std::string("sqlite bind: ") + sqlite3_errmsg(db_));
    return *this;
  }
  sqlite3* db_;
  connection& c_;
  const char* sql_;
  sqlite3_stmt* s_;
};

/// Copies the write-ahead log back into the database from a thread of its own with its own
/// connection once the log has grown past `pages` pages. SQLite's automatic checkpoint runs inside
/// the commit that crosses the line, and its fsyncs (milliseconds here) stalled that request and
/// every one queued behind it. PASSIVE: it never waits for the serving connection, which goes on
/// writing; an unfinished checkpoint is taken up at the next one.
class checkpointer {
 public:
  checkpointer(const std::filesystem::path& file, sqlite3* serving, int pages = 1000)
      : pages_(pages) {
    if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
            SQLITE_OK ||
        // a connection that has not read the database yet does not know it is in WAL mode
        sqlite3_exec(db_, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr) != SQLITE_OK) {
      sqlite3_close(db_);
      throw store_error("sqlite open " + file.string() + " for checkpoints");
    }
    thread_ = std::thread([this] { run(); });
    sqlite3_wal_hook(serving, &checkpointer::committed, this);  // replaces the automatic one
  }
  checkpointer(const checkpointer&) = delete;
  checkpointer& operator=(const checkpointer&) = delete;
  ~checkpointer() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
    sqlite3_close(db_);
  }

 private:
  /// SQLite's wal hook: after each commit, with the log's size in pages.
  static int committed(void* self, sqlite3*, const char*, int pages) {
    auto& c = *static_cast<checkpointer*>(self);
    if (pages >= c.pages_) {
      {
        std::lock_guard lock(c.mutex_);
        c.due_ = true;
      }
      c.wake_.notify_one();
    }
    return SQLITE_OK;
  }
  void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return due_ || stop_; });
      if (stop_) return;
      due_ = false;
      lock.unlock();
      sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      lock.lock();
    }
  }

  sqlite3* db_ = nullptr;
  int pages_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool due_ = false, stop_ = false;
  std::thread thread_;
};
}  // namespace detail

/// One folder of a mailbox (MS-ASCMD 2.2.3.186.3 Type values in `type`).
struct folder {
  std::string server_id;
  std::string parent_id;  // "0": top level (MS-ASCMD 2.2.3.134.2)
  std::string display_name;
  int type = 0;
  mapi::property_bag props;
};

/// One item of a folder: its ServerId ("<folder>:<n>"), properties and change counter.
struct item {
  std::string server_id;
  mapi::property_bag props;
  std::int64_t modseq = 0;
};

/// What a device has of one collection: ServerId → modseq sent.
using sent_items = std::map<std::string, std::int64_t>;

/// One entry of a folder's change log: an item added, changed or moved in at `modseq`, or one
/// deleted or moved out then (`gone`).
struct change_entry {
  std::string server_id;
  std::int64_t modseq = 0;
  bool gone = false;
};

/// Per-device state of one user (MS-ASPROV policy key, MS-ASCMD FolderSync key).
struct device_state {
  std::uint32_t policy_key = 0;          // acknowledged (phase 2); 0: not provisioned
  std::uint32_t pending_policy_key = 0;  // sent in phase 1, not yet acknowledged
  std::uint32_t folder_sync_key = 0;
  std::string folder_snapshot;  // the hierarchy as of folder_sync_key, for change detection
};

/// How a transaction's COMMIT reaches the disk. Every change a client or a user made (items,
/// folders, settings, users) is `durable`: fsync'ed before the command is answered. `state` is for
/// sync bookkeeping alone (SyncKeys, what a device was sent, policy keys, cached requests): it
/// survives a crash of the process; after a power loss a device may hold a newer key than the
/// store and is told to resynchronise (MS-ASCMD Status 3 / FolderSync 9), losing nothing. A
/// transaction that changed user data commits durably whatever its level.
enum class commit_level { durable, state };

/// The store. Thread-safe: one connection behind a mutex (the server is single-threaded anyway).
class store {
 public:
  explicit store(const std::filesystem::path& file) {
    // NOMUTEX: the store's own mutex serializes every call (SQLite's took a lock per column read)
    if (sqlite3_open_v2(file.c_str(), db_.handle(),
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK)
      throw store_error("sqlite open " + file.string() + ": " +
                        (db_ ? sqlite3_errmsg(db_) : "out of memory"));
    sqlite3_busy_timeout(db_, 5000);
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=NORMAL");  // commit() syncs what must be durable
    exec("PRAGMA foreign_keys=ON");
    transaction([&] {
      exec(
          "CREATE TABLE IF NOT EXISTS users(id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL "
          "COLLATE NOCASE, salt BLOB NOT NULL, hash BLOB NOT NULL, iterations INTEGER NOT NULL)");
      exec(
          "CREATE TABLE IF NOT EXISTS folders(user_id INTEGER NOT NULL REFERENCES users(id), "
          "server_id TEXT NOT NULL, parent_id TEXT NOT NULL, display_name TEXT NOT NULL, "
          "type INTEGER NOT NULL, props BLOB NOT NULL, next_item INTEGER NOT NULL DEFAULT 1, "
          "PRIMARY KEY(user_id, server_id))");
      exec(
          "CREATE TABLE IF NOT EXISTS items(user_id INTEGER NOT NULL, folder_id TEXT NOT NULL, "
          "server_id TEXT NOT NULL, props BLOB NOT NULL, modseq INTEGER NOT NULL, "
          "PRIMARY KEY(user_id, server_id), "
          "FOREIGN KEY(user_id, folder_id) REFERENCES folders(user_id, server_id))");
      // a folder's items and their change counters without the rows (and their large bags)
      exec(
          "CREATE INDEX IF NOT EXISTS items_by_folder ON items(user_id, folder_id, modseq, "
          "server_id)");
      exec(
          "CREATE TABLE IF NOT EXISTS devices(user_id INTEGER NOT NULL REFERENCES users(id), "
          "device_id TEXT NOT NULL, policy_key INTEGER NOT NULL DEFAULT 0, pending_policy_key "
          "INTEGER NOT NULL DEFAULT 0, folder_sync_key INTEGER NOT NULL DEFAULT 0, "
          "folder_snapshot TEXT NOT NULL DEFAULT '', PRIMARY KEY(user_id, device_id)) WITHOUT "
          "ROWID");
      exec(
          "CREATE TABLE IF NOT EXISTS collections(user_id INTEGER NOT NULL, device_id TEXT NOT "
          "NULL, collection_id TEXT NOT NULL, sync_key INTEGER NOT NULL, high_water INTEGER, "
          "synced_at INTEGER, PRIMARY KEY(user_id, device_id, collection_id)) WITHOUT ROWID");
      // stores made before the change log: their collections start with an unknown high water
      if (!has_column("collections", "high_water"))
        exec("ALTER TABLE collections ADD COLUMN high_water INTEGER");
      // and before the age limit: their collections count as synced until they next are
      if (!has_column("collections", "synced_at"))
        exec("ALTER TABLE collections ADD COLUMN synced_at INTEGER");
      // items deleted or moved out of a folder, for the Deletes of change-log Syncs; kept until
      // every device's collection with a high water is past them
      exec(
          "CREATE TABLE IF NOT EXISTS tombstones(user_id INTEGER NOT NULL, folder_id TEXT NOT "
          "NULL, server_id TEXT NOT NULL, modseq INTEGER NOT NULL, "
          "PRIMARY KEY(user_id, folder_id, modseq)) WITHOUT ROWID");
      exec(
          "CREATE TABLE IF NOT EXISTS device_items(user_id INTEGER NOT NULL, device_id TEXT NOT "
          "NULL, collection_id TEXT NOT NULL, server_id TEXT NOT NULL, modseq INTEGER NOT NULL, "
          "PRIMARY KEY(user_id, device_id, collection_id, server_id)) WITHOUT ROWID");
      exec(
          "CREATE TABLE IF NOT EXISTS attachments(user_id INTEGER NOT NULL, item_id TEXT NOT "
          "NULL, num INTEGER NOT NULL, props BLOB NOT NULL, PRIMARY KEY(user_id, item_id, num), "
          "FOREIGN KEY(user_id, item_id) REFERENCES items(user_id, server_id) ON DELETE CASCADE)");
      exec(
          "CREATE TABLE IF NOT EXISTS recipients(user_id INTEGER NOT NULL, item_id TEXT NOT "
          "NULL, num INTEGER NOT NULL, props BLOB NOT NULL, PRIMARY KEY(user_id, item_id, num), "
          "FOREIGN KEY(user_id, item_id) REFERENCES items(user_id, server_id) ON DELETE CASCADE)");
      exec(
          "CREATE TABLE IF NOT EXISTS collection_filters(user_id INTEGER NOT NULL, device_id "
          "TEXT NOT NULL, collection_id TEXT NOT NULL, filter_type INTEGER NOT NULL, "
          "PRIMARY KEY(user_id, device_id, collection_id)) WITHOUT ROWID");
      // sync bookkeeping rewritten by every Sync: clustered on its key (WITHOUT ROWID) or
      // updated in place, so a round dirties one page per table in the write-ahead log, not two
      exec(
          "CREATE TABLE IF NOT EXISTS last_sync(user_id INTEGER NOT NULL, device_id TEXT NOT "
          "NULL, request BLOB NOT NULL, response BLOB NOT NULL, PRIMARY KEY(user_id, device_id))");
      exec(
          "CREATE TABLE IF NOT EXISTS sync_cache(user_id INTEGER NOT NULL, device_id TEXT NOT "
          "NULL, request BLOB NOT NULL, PRIMARY KEY(user_id, device_id)) WITHOUT ROWID");
      exec(
          "CREATE TABLE IF NOT EXISTS user_settings(user_id INTEGER NOT NULL REFERENCES "
          "users(id), name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(user_id, name))");
      exec(
          "CREATE TABLE IF NOT EXISTS counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL) "
          "WITHOUT ROWID");
      exec("INSERT OR IGNORE INTO counters VALUES('modseq', 0)");
    });
    checkpoints_.emplace(file, db_);
  }
  store(const store&) = delete;
  store& operator=(const store&) = delete;
  ~store() = default;

  /// Runs `f` in one transaction (BEGIN IMMEDIATE ... COMMIT); rolls back if it throws. A nested
  /// call is a savepoint of the enclosing transaction: rolled back alone if it throws, committed
  /// with the outermost one, which is durable if any of them asked for it.
  template <class F>
  std::invoke_result_t<F&> transaction(F&& f, commit_level level = commit_level::durable) {
    std::lock_guard lock(mutex_);
    const int enclosing = depth_;
    run(enclosing == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT nested");
    depth_ = enclosing + 1;
    durable_ = durable_ || level == commit_level::durable;
    const auto finish = [&] {
      depth_ = enclosing;
      if (enclosing > 0) return run("RELEASE nested");
      commit(std::exchange(durable_, false) ? commit_level::durable : commit_level::state);
      committed();
    };
    try {
      if constexpr (std::is_void_v<std::invoke_result_t<F&>>) {
        f();
        finish();
      } else {
        auto r = f();
        finish();
        return r;
      }
    } catch (...) {
      depth_ = enclosing;
      if (enclosing > 0) {
        sqlite3_exec(db_, "ROLLBACK TO nested; RELEASE nested", nullptr, nullptr, nullptr);
      } else {
        durable_ = false;
        changed_.clear();
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      }
      throw;
    }
  }

  /// Called after each commit once per user whose folders or items it changed (the server
  /// wakes that user's waiting Pings, MS-ASCMD 2.2.1.13). Not called for rolled-back work.
  void on_change(std::function<void(user_id)> f) { on_change_ = std::move(f); }

  // --- users ---------------------------------------------------------------------------------

  /// Creates a user; nullopt if the name is taken.
  std::optional<user_id> add_user(std::string_view name, std::string_view password,
                                  int iterations = password_hash::default_iterations) {
    const auto h = password_hash::make(password, iterations);
    return transaction([&]() -> std::optional<user_id> {
      if (find_user(name)) return std::nullopt;
      detail::statement s(db_, "INSERT INTO users(name, salt, hash, iterations) VALUES(?,?,?,?)");
      s.bind(1, name).bind(2, bytes_view(h.salt)).bind(3, bytes_view(h.hash));
      s.bind(4, std::int64_t{h.iterations}).step();
      return sqlite3_last_insert_rowid(db_);
    });
  }

  [[nodiscard]] std::optional<user_id> find_user(std::string_view name) {
    detail::statement s(db_, "SELECT id FROM users WHERE name = ?");
    s.bind(1, name);
    if (!s.step()) return std::nullopt;
    return s.integer(0);
  }

  /// The user whose password this is, or nullopt (unknown user or wrong password: the same
  /// answer, and a PBKDF2 run either way so the timing does not tell them apart).
  [[nodiscard]] std::optional<user_id> authenticate(std::string_view name,
                                                    std::string_view password) {
    password_hash h;
    std::optional<user_id> id;
    {
      std::lock_guard lock(mutex_);
      detail::statement s(db_, "SELECT id, salt, hash, iterations FROM users WHERE name = ?");
      s.bind(1, name);
      if (s.step()) {
        id = s.integer(0);
        h.salt = s.blob(1);
        h.hash = s.blob(2);
        h.iterations = static_cast<int>(s.integer(3));
      }
    }
    if (!id) {
      h.salt.assign(16, 0);
      (void)password_hash::derive(password, h.salt, password_hash::default_iterations);
      return std::nullopt;
    }
    return h.verify(password) ? id : std::nullopt;
  }

  // --- folders and items ---------------------------------------------------------------------

  void add_folder(user_id u, const folder& f) {
    auto blob = encode_bag(f.props).value();
    transaction([&] {
      changed_.insert(u);
      detail::statement s(db_,
                          "INSERT INTO folders(user_id, server_id, parent_id, display_name, type, "
                          "props) VALUES(?,?,?,?,?,?)");
      s.bind(1, u).bind(2, f.server_id).bind(3, f.parent_id).bind(4, f.display_name);
      s.bind(5, std::int64_t{f.type}).bind(6, bytes_view(blob)).step();
    });
  }

  [[nodiscard]] std::vector<folder> folders(user_id u) {
    std::lock_guard lock(mutex_);
    detail::statement s(db_,
                        "SELECT server_id, parent_id, display_name, type, props FROM folders "
                        "WHERE user_id = ? ORDER BY CAST(server_id AS INTEGER)");
    s.bind(1, u);
    std::vector<folder> out;
    while (s.step()) out.push_back(folder_of(s));
    return out;
  }

  /// A ServerId for a new folder: one past the highest numeric one (MS-ASCMD 2.2.3.151.1).
  [[nodiscard]] std::string next_folder_id(user_id u) {
    std::lock_guard lock(mutex_);
    detail::statement s(db_,
                        "SELECT COALESCE(MAX(CAST(server_id AS INTEGER)), 0) + 1 FROM folders "
                        "WHERE user_id = ?");
    s.bind(1, u).step();
    return std::to_string(s.integer(0));
  }

  /// Moves and renames a folder; false if it does not exist.
  bool update_folder(user_id u, std::string_view server_id, std::string_view parent_id,
                     std::string_view display_name) {
    return transaction([&] {
      changed_.insert(u);
      detail::statement s(db_,
                          "UPDATE folders SET parent_id = ?, display_name = ? WHERE user_id = ? "
                          "AND server_id = ?");
      s.bind(1, parent_id).bind(2, display_name).bind(3, u).bind(4, server_id).step();
      return sqlite3_changes(db_) > 0;
    });
  }

  /// Deletes a folder with its subfolders, their items and every device's state of them.
  bool delete_folder(user_id u, std::string_view server_id) {
    return transaction([&] {
      changed_.insert(u);
      std::vector<std::string> doomed{std::string(server_id)};
      for (std::size_t i = 0; i < doomed.size(); ++i) {
        detail::statement c(db_,
                            "SELECT server_id FROM folders WHERE user_id = ? AND parent_id = ?");
        c.bind(1, u).bind(2, doomed[i]);
        while (c.step()) doomed.push_back(c.text(0));
      }
      bool found = false;
      for (const auto& id : doomed) {
        for (const char* sql : {"DELETE FROM items WHERE user_id = ? AND folder_id = ?",
                                "DELETE FROM tombstones WHERE user_id = ? AND folder_id = ?",
                                "DELETE FROM collections WHERE user_id = ? AND collection_id = ?",
                                "DELETE FROM device_items WHERE user_id = ? AND collection_id = ?",
                                "DELETE FROM folders WHERE user_id = ? AND server_id = ?"}) {
          detail::statement d(db_, sql);
          d.bind(1, u).bind(2, id).step();
        }
        found = found || sqlite3_changes(db_) > 0;
      }
      return found;
    });
  }

  [[nodiscard]] std::optional<folder> find_folder(user_id u, std::string_view server_id) {
    std::lock_guard lock(mutex_);
    detail::statement s(db_,
                        "SELECT server_id, parent_id, display_name, type, props FROM folders "
                        "WHERE user_id = ? AND server_id = ?");
    s.bind(1, u).bind(2, server_id);
    if (!s.step()) return std::nullopt;
    return folder_of(s);
  }

  /// Stores a new item in a folder and returns its ServerId ("<folder>:<n>").
  std::string add_item(user_id u, std::string_view folder_id, const mapi::property_bag& props) {
    auto blob = encode_bag(props).value();
    return transaction([&] {
      changed_.insert(u);
      detail::statement n(db_,
                          "UPDATE folders SET next_item = next_item + 1 WHERE user_id = ? AND "
                          "server_id = ? RETURNING next_item - 1");
      n.bind(1, u).bind(2, folder_id);
      if (!n.step()) throw store_error("no such folder");
      const std::string id = std::string(folder_id) + ":" + std::to_string(n.integer(0));
      while (n.step()) {
      }
      detail::statement s(
          db_, "INSERT INTO items(user_id, folder_id, server_id, props, modseq) VALUES(?,?,?,?,?)");
      s.bind(1, u).bind(2, folder_id).bind(3, id).bind(4, bytes_view(blob));
      s.bind(5, next_modseq()).step();
      return id;
    });
  }

  /// Replaces an item's properties; false if it does not exist.
  bool update_item(user_id u, std::string_view server_id, const mapi::property_bag& props) {
    auto blob = encode_bag(props).value();
    return transaction([&] {
      changed_.insert(u);
      detail::statement s(db_,
                          "UPDATE items SET props = ?, modseq = ? WHERE user_id = ? AND "
                          "server_id = ?");
      s.bind(1, bytes_view(blob)).bind(2, next_modseq()).bind(3, u).bind(4, server_id).step();
      return sqlite3_changes(db_) > 0;
    });
  }

  /// Deletes an item (a tombstone stays in its folder's change log); false if it does not exist.
  bool delete_item(user_id u, std::string_view server_id) {
    return transaction([&] {
      changed_.insert(u);
      detail::statement s(db_,
                          "DELETE FROM items WHERE user_id = ? AND server_id = ? RETURNING "
                          "folder_id");
      s.bind(1, u).bind(2, server_id);
      if (!s.step()) return false;
      const std::string folder_id = s.text(0);
      while (s.step()) {
      }
      detail::statement t(db_, "INSERT INTO tombstones VALUES(?,?,?,?)");
      t.bind(1, u).bind(2, folder_id).bind(3, server_id).bind(4, next_modseq()).step();
      return true;
    });
  }

  /// Moves an item to another folder under a new ServerId (with a new modseq, its attachments
  /// following); nullopt if the item or the folder does not exist.
  std::optional<std::string> move_item(user_id u, std::string_view server_id,
                                       std::string_view folder_id) {
    return transaction([&]() -> std::optional<std::string> {
      const auto it = find_item(u, server_id);
      if (!it || !find_folder(u, folder_id)) return std::nullopt;
      const std::string id = add_item(u, folder_id, it->props);
      detail::statement a(db_,
                          "UPDATE attachments SET item_id = ? WHERE user_id = ? AND item_id = ?");
      a.bind(1, id).bind(2, u).bind(3, server_id).step();
      detail::statement r(db_,
                          "UPDATE recipients SET item_id = ? WHERE user_id = ? AND item_id = ?");
      r.bind(1, id).bind(2, u).bind(3, server_id).step();
      delete_item(u, server_id);
      return id;
    });
  }

  /// The items of a folder in ServerId order.
  /// The items of a folder; with `only` not empty, their bags hold just those property ids
  /// (a Sync's change detection reads four properties of every item, not their bodies).
  [[nodiscard]] std::vector<item> items(user_id u, std::string_view folder_id,
                                        std::span<const std::uint16_t> only = {}) {
    std::lock_guard lock(mutex_);
    detail::statement s(db_,
                        "SELECT server_id, props, modseq FROM items WHERE user_id = ? AND "
                        "folder_id = ? ORDER BY rowid");
    s.bind(1, u).bind(2, folder_id);
    std::vector<item> out;
    while (s.step())
      out.push_back({s.text(0), decode_bag(s.blob_view(1), only).value(), s.integer(2)});
    return out;
  }

  /// The items of a folder with their change counters and empty bags (from an index: the
  /// change detection of a Sync without a filter reads no property).
  [[nodiscard]] std::vector<item> item_versions(user_id u, std::string_view folder_id) {
    std::lock_guard lock(mutex_);
    // in rowid (insertion) order like items(), sorted here: SQLite's ORDER BY took a temporary
    // b-tree and twice the time of the search
    detail::statement s(db_,
                        "SELECT rowid, server_id, modseq FROM items INDEXED BY items_by_folder "
                        "WHERE user_id = ? AND folder_id = ?");
    s.bind(1, u).bind(2, folder_id);
    std::vector<std::pair<std::int64_t, item>> rows;
    while (s.step()) rows.emplace_back(s.integer(0), item{s.text(1), {}, s.integer(2)});
    std::sort(rows.begin(), rows.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<item> out;
    out.reserve(rows.size());
    for (auto& [rowid, i] : rows) {
      i.props.names(&named_properties());
      out.push_back(std::move(i));
    }
    return out;
  }

  /// A folder's change log after `since` in modseq order, at most `limit` entries: its items
  /// changed since (`gone` false) and the tombstones of those that left it.
  [[nodiscard]] std::vector<change_entry> changes_since(user_id u, std::string_view folder_id,
                                                        std::int64_t since, std::size_t limit) {
    std::lock_guard lock(mutex_);
    detail::statement s(db_,
                        "SELECT server_id, modseq, 0 FROM items INDEXED BY items_by_folder WHERE "
                        "user_id = ?1 AND folder_id = ?2 AND modseq > ?3 UNION ALL SELECT "
                        "server_id, modseq, 1 FROM tombstones WHERE user_id = ?1 AND folder_id = "
                        "?2 AND modseq > ?3 ORDER BY 2 LIMIT ?4");
    s.bind(1, u).bind(2, folder_id).bind(3, since);
    s.bind(4, static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX)));
    std::vector<change_entry> out;
    while (s.step()) out.push_back({s.text(0), s.integer(1), s.integer(2) != 0});
    return out;
  }

  /// The store's change counter: every item change and tombstone so far has a modseq up to it.
  [[nodiscard]] std::int64_t modseq() {
    std::lock_guard lock(mutex_);
    detail::statement s(db_, "SELECT value FROM counters WHERE name = 'modseq'");
    if (!s.step()) throw store_error("modseq counter missing");
    return s.integer(0);
  }

  [[nodiscard]] std::optional<item> find_item(user_id u, std::string_view server_id) {
    std::lock_guard lock(mutex_);
    detail::statement s(db_,
                        "SELECT server_id, props, modseq FROM items WHERE user_id = ? AND "
                        "server_id = ?");
    s.bind(1, u).bind(2, server_id);
    if (!s.step()) return std::nullopt;
    return item{s.text(0), decode_bag(s.blob_view(1)).value(), s.integer(2)};
  }

  /// Adds an attachment (a bag of PidTagAttach* properties) to an item; its number, from 0.
  std::int64_t add_attachment(user_id u, std::string_view item_id,
                              const mapi::property_bag& props) {
    auto blob = encode_bag(props).value();
    return transaction([&] {
      detail::statement n(db_,
                          "SELECT COALESCE(MAX(num) + 1, 0) FROM attachments WHERE user_id = ? "
                          "AND item_id = ?");
      n.bind(1, u).bind(2, item_id).step();
      const std::int64_t num = n.integer(0);
      detail::statement s(db_, "INSERT INTO attachments VALUES(?,?,?,?)");
      s.bind(1, u).bind(2, item_id).bind(3, num).bind(4, bytes_view(blob)).step();
      return num;
    });
  }

  /// The attachments of an item in number order.
  [[nodiscard]] std::vector<mapi::property_bag> attachments(user_id u, std::string_view item_id) {
    return rows_of(u, item_id,
                   "SELECT props FROM attachments WHERE user_id = ? AND item_id = ? ORDER BY num");
  }

  /// Deletes the attachment at this position (in number order) of an item; false if none.
  bool delete_attachment(user_id u, std::string_view item_id, std::size_t position) {
    return transaction([&] {
      detail::statement s(db_,
                          "DELETE FROM attachments WHERE user_id = ?1 AND item_id = ?2 AND num = "
                          "(SELECT num FROM attachments WHERE user_id = ?1 AND item_id = ?2 "
                          "ORDER BY num LIMIT 1 OFFSET ?3)");
      s.bind(1, u).bind(2, item_id).bind(3, static_cast<std::int64_t>(position)).step();
      return sqlite3_changes(db_) > 0;
    });
  }

  /// Replaces the recipients of an item (bags of PidTagRecipientType, PidTagDisplayName,
  /// PidTagSmtpAddress, ..., MS-OXCMSG 2.2.1.42 recipient rows), kept in this order.
  void set_recipients(user_id u, std::string_view item_id,
                      const std::vector<mapi::property_bag>& rows) {
    std::vector<std::vector<std::uint8_t>> blobs;
    for (const auto& r : rows) blobs.push_back(encode_bag(r).value());
    transaction([&] {
      detail::statement d(db_, "DELETE FROM recipients WHERE user_id = ? AND item_id = ?");
      d.bind(1, u).bind(2, item_id).step();
      for (std::size_t i = 0; i < blobs.size(); ++i) {
        detail::statement s(db_, "INSERT INTO recipients VALUES(?,?,?,?)");
        s.bind(1, u).bind(2, item_id).bind(3, static_cast<std::int64_t>(i));
        s.bind(4, bytes_view(blobs[i])).step();
      }
    });
  }

  /// The recipients of an item in order (none for items stored without them).
  [[nodiscard]] std::vector<mapi::property_bag> recipients(user_id u, std::string_view item_id) {
    return rows_of(u, item_id,
                   "SELECT props FROM recipients WHERE user_id = ? AND item_id = ? ORDER BY num");
  }

  // --- device state --------------------------------------------------------------------------

  [[nodiscard]] device_state device(user_id u, std::string_view device_id) {
    std::lock_guard lock(mutex_);
    detail::statement s(db_,
                        "SELECT policy_key, pending_policy_key, folder_sync_key, folder_snapshot "
                        "FROM devices WHERE user_id = ? AND device_id = ?");
    s.bind(1, u).bind(2, device_id);
    if (!s.step()) return {};
    return {static_cast<std::uint32_t>(s.integer(0)), static_cast<std::uint32_t>(s.integer(1)),
            static_cast<std::uint32_t>(s.integer(2)), s.text(3)};
  }

  void set_device(user_id u, std::string_view device_id, const device_state& d) {
    transaction(
        [&] {
          detail::statement s(db_,
                              "INSERT OR REPLACE INTO devices(user_id, device_id, policy_key, "
                              "pending_policy_key, folder_sync_key, folder_snapshot) "
                              "VALUES(?,?,?,?,?,?)");
          s.bind(1, u).bind(2, device_id).bind(3, std::int64_t{d.policy_key});
          s.bind(4, std::int64_t{d.pending_policy_key}).bind(5, std::int64_t{d.folder_sync_key});
          s.bind(6, d.folder_snapshot).step();
        },
        commit_level::state);
  }

  /// The current Sync key of a collection on a device (0: never synced).
  [[nodiscard]] std::uint32_t sync_key(user_id u, std::string_view device_id,
                                       std::string_view collection_id) {
    std::lock_guard lock(mutex_);
    detail::statement s(db_,
                        "SELECT sync_key FROM collections WHERE user_id = ? AND device_id = ? "
                        "AND collection_id = ?");
    s.bind(1, u).bind(2, device_id).bind(3, collection_id);
    return s.step() ? static_cast<std::uint32_t>(s.integer(0)) : 0;
  }

  /// How long a device's collection keeps its high water without a Sync (commit_sync): 30 days
  /// unless set.
  [[nodiscard]] std::chrono::seconds stale_after() const noexcept { return stale_after_; }
  void stale_after(std::chrono::seconds s) noexcept { stale_after_ = s; }

  /// The modseq up to which a device has every change of a collection (nullopt: unknown, the
  /// next Sync compares the whole folder).
  [[nodiscard]] std::optional<std::int64_t> high_water(user_id u, std::string_view device_id,
                                                       std::string_view collection_id) {
    std::lock_guard lock(mutex_);
    detail::statement s(db_,
                        "SELECT high_water FROM collections WHERE user_id = ? AND device_id = ? "
                        "AND collection_id = ?");
    s.bind(1, u).bind(2, device_id).bind(3, collection_id);
    if (!s.step() || s.is_null(0)) return std::nullopt;
    return s.integer(0);
  }

  /// The modseq of the version of an item a device was sent, or nullopt if it has none.
  [[nodiscard]] std::optional<std::int64_t> sent_modseq(user_id u, std::string_view device_id,
                                                        std::string_view collection_id,
                                                        std::string_view server_id) {
    std::lock_guard lock(mutex_);
    detail::statement s(db_,
                        "SELECT modseq FROM device_items WHERE user_id = ? AND device_id = ? AND "
                        "collection_id = ? AND server_id = ?");
    s.bind(1, u).bind(2, device_id).bind(3, collection_id).bind(4, server_id);
    if (!s.step()) return std::nullopt;
    return s.integer(0);
  }

  /// What the device has been sent of a collection.
  [[nodiscard]] sent_items sent(user_id u, std::string_view device_id,
                                std::string_view collection_id) {
    std::lock_guard lock(mutex_);
    detail::statement s(db_,
                        "SELECT server_id, modseq FROM device_items WHERE user_id = ? AND "
                        "device_id = ? AND collection_id = ?");
    s.bind(1, u).bind(2, device_id).bind(3, collection_id);
    sent_items out;
    while (s.step()) out.emplace(s.text(0), s.integer(1));
    return out;
  }

  /// The FilterType a device last asked for on a collection (MS-ASCMD 2.2.3.70.1; 0: none).
  /// Sync Options persist until the client sends new ones (MS-ASCMD 2.2.3.119.5).
  [[nodiscard]] int filter_type(user_id u, std::string_view device_id,
                                std::string_view collection_id) {
    std::lock_guard lock(mutex_);
    detail::statement s(db_,
                        "SELECT filter_type FROM collection_filters WHERE user_id = ? AND "
                        "device_id = ? AND collection_id = ?");
    s.bind(1, u).bind(2, device_id).bind(3, collection_id);
    return s.step() ? static_cast<int>(s.integer(0)) : 0;
  }

  /// A new FilterType makes the collection's high water unknown (what the old one left out is
  /// older than it).
  void set_filter_type(user_id u, std::string_view device_id, std::string_view collection_id,
                       int filter_type) {
    if (this->filter_type(u, device_id, collection_id) == filter_type) return;
    transaction(
        [&] {
          detail::statement s(db_, "INSERT OR REPLACE INTO collection_filters VALUES(?,?,?,?)");
          s.bind(1, u).bind(2, device_id).bind(3, collection_id).bind(4, std::int64_t{filter_type});
          s.step();
          detail::statement h(db_,
                              "UPDATE collections SET high_water = NULL WHERE user_id = ? AND "
                              "device_id = ? AND collection_id = ?");
          h.bind(1, u).bind(2, device_id).bind(3, collection_id).step();
        },
        commit_level::state);
  }

  /// The last Sync request of a device and the response it got (MS-ASCMD 3.1.5.3: a client
  /// that lost the response resends the request with the same keys).
  [[nodiscard]] std::optional<std::pair<std::string, std::string>> last_sync(
      user_id u, std::string_view device_id) {
    std::lock_guard lock(mutex_);
    detail::statement s(db_,
                        "SELECT request, response FROM last_sync WHERE user_id = ? AND "
                        "device_id = ?");
    s.bind(1, u).bind(2, device_id);
    if (!s.step()) return std::nullopt;
    const auto text = [&](int c) {
      const auto b = s.blob(c);
      return std::string(b.begin(), b.end());
    };
    return std::pair{text(0), text(1)};
  }

  void set_last_sync(user_id u, std::string_view device_id, std::string_view request,
                     std::string_view response) {
    const auto blob = [](std::string_view v) {
      return bytes_view(reinterpret_cast<const std::uint8_t*>(v.data()), v.size());
    };
    transaction(
        [&] {
          detail::statement s(db_,
                              "INSERT INTO last_sync VALUES(?,?,?,?) ON CONFLICT DO UPDATE SET "
                              "request = excluded.request, response = excluded.response");
          s.bind(1, u).bind(2, device_id).bind(3, blob(request)).bind(4, blob(response)).step();
        },
        commit_level::state);
  }

  /// The collections and options of a device's last Sync request, as the server used it
  /// (MS-ASCMD 2.2.1.21.1 empty and 2.2.3.124 Partial requests reuse them).
  [[nodiscard]] std::optional<std::string> cached_sync(user_id u, std::string_view device_id) {
    std::lock_guard lock(mutex_);
    detail::statement s(db_, "SELECT request FROM sync_cache WHERE user_id = ? AND device_id = ?");
    s.bind(1, u).bind(2, device_id);
    if (!s.step()) return std::nullopt;
    const auto b = s.blob(0);
    return std::string(b.begin(), b.end());
  }

  void set_cached_sync(user_id u, std::string_view device_id, std::string_view request) {
    transaction(
        [&] {
          detail::statement s(db_,
                              "INSERT INTO sync_cache VALUES(?,?,?) ON CONFLICT DO UPDATE SET "
                              "request = excluded.request WHERE request IS NOT excluded.request");
          s.bind(1, u).bind(2, device_id).bind(3, as_bytes(request)).step();
        },
        commit_level::state);
  }

  /// Records a Sync round at time `at`: the new key, what the device now has (nullopt modseq:
  /// deleted) and its high water (see high_water()). A key of 1 starts over (SyncKey 0 resets
  /// the collection, MS-ASCMD 2.2.3.166.4). The same collection of devices that have not synced
  /// it for stale_after() loses its high water (their next Sync compares the whole folder); then
  /// the tombstones every collection with a high water is past are dropped, so that a device that
  /// never comes back holds none for longer than that.
  void commit_sync(user_id u, std::string_view device_id, std::string_view collection_id,
                   std::uint32_t new_key,
                   const std::vector<std::pair<std::string, std::optional<std::int64_t>>>& sent,
                   std::optional<std::int64_t> high_water = std::nullopt,
                   std::chrono::sys_seconds at =
                       std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())) {
    transaction(
        [&] {
          if (new_key == 1) {
            detail::statement d(db_,
                                "DELETE FROM device_items WHERE user_id = ? AND device_id = ? AND "
                                "collection_id = ?");
            d.bind(1, u).bind(2, device_id).bind(3, collection_id).step();
          }
          detail::statement k(db_,
                              "INSERT OR REPLACE INTO collections(user_id, device_id, "
                              "collection_id, sync_key, high_water, synced_at) "
                              "VALUES(?,?,?,?,?,?)");
          const std::int64_t now = at.time_since_epoch().count();
          k.bind(1, u).bind(2, device_id).bind(3, collection_id).bind(4, std::int64_t{new_key});
          k.bind(5, high_water).bind(6, now).step();
          record_sent(u, device_id, collection_id, sent);
          detail::statement stale(db_,
                                  "UPDATE collections SET high_water = NULL WHERE user_id = ? "
                                  "AND collection_id = ? AND high_water IS NOT NULL AND "
                                  "synced_at < ?");
          stale.bind(1, u).bind(2, collection_id).bind(3, now - stale_after_.count()).step();
          // a collection without a high water compares the whole folder: it needs none
          detail::statement p(db_,
                              "DELETE FROM tombstones WHERE user_id = ?1 AND folder_id = ?2 AND "
                              "modseq <= COALESCE((SELECT MIN(high_water) FROM collections WHERE "
                              "user_id = ?1 AND collection_id = ?2), (SELECT value FROM counters "
                              "WHERE name = 'modseq'))");
          p.bind(1, u).bind(2, collection_id).step();
        },
        commit_level::state);
  }

  /// Records what a device now has of a collection without a new key (MoveItems: the device
  /// moved the item itself).
  void record_sent(user_id u, std::string_view device_id, std::string_view collection_id,
                   const std::vector<std::pair<std::string, std::optional<std::int64_t>>>& sent) {
    transaction(
        [&] {
          for (const auto& [id, modseq] : sent) {
            if (modseq) {
              detail::statement s(db_, "INSERT OR REPLACE INTO device_items VALUES(?,?,?,?,?)");
              s.bind(1, u).bind(2, device_id).bind(3, collection_id).bind(4, id).bind(5, *modseq);
              s.step();
            } else {
              detail::statement s(
                  db_,
                  "DELETE FROM device_items WHERE user_id = ? AND device_id = ? AND "
                  "collection_id = ? AND server_id = ?");
              s.bind(1, u).bind(2, device_id).bind(3, collection_id).bind(4, id).step();
            }
          }
        },
        commit_level::state);
  }

  // --- directory and per-user settings (MS-ASCMD Search GAL, Settings) -------------------------

  /// Every user name, in name order (the GAL of MS-ASCMD 2.2.3.168.3 Store Name "GAL").
  [[nodiscard]] std::vector<std::string> user_names() {
    std::lock_guard lock(mutex_);
    detail::statement s(db_, "SELECT name FROM users ORDER BY name");
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.text(0));
    return out;
  }

  /// The name of a user, or nullopt.
  [[nodiscard]] std::optional<std::string> user_name(user_id u) {
    std::lock_guard lock(mutex_);
    detail::statement s(db_, "SELECT name FROM users WHERE id = ?");
    s.bind(1, u);
    if (!s.step()) return std::nullopt;
    return s.text(0);
  }

  /// A named setting of a user (Oof state, a device's DeviceInformation, ...), or nullopt.
  [[nodiscard]] std::optional<std::string> user_setting(user_id u, std::string_view name) {
    std::lock_guard lock(mutex_);
    detail::statement s(db_, "SELECT value FROM user_settings WHERE user_id = ? AND name = ?");
    s.bind(1, u).bind(2, name);
    if (!s.step()) return std::nullopt;
    return s.text(0);
  }

  void set_user_setting(user_id u, std::string_view name, std::string_view value) {
    transaction([&] {
      detail::statement s(db_, "INSERT OR REPLACE INTO user_settings VALUES(?,?,?)");
      s.bind(1, u).bind(2, name).bind(3, value).step();
    });
  }

  // --- sent mail (SendMail, SmartReply, SmartForward) ----------------------------------------

  /// Records that a device sent the message with this ClientId; false if it had already
  /// (MS-ASCMD 2.2.3.27: the client's unique id of a message, against sending it twice).
  bool claim_client_id(user_id u, std::string_view device_id, std::string_view client_id) {
    return transaction([&] {
      exec(
          "CREATE TABLE IF NOT EXISTS client_ids(user_id INTEGER NOT NULL, device_id TEXT NOT "
          "NULL, client_id TEXT NOT NULL, PRIMARY KEY(user_id, device_id, client_id))");
      detail::statement s(db_, "INSERT OR IGNORE INTO client_ids VALUES(?,?,?)");
      s.bind(1, u).bind(2, device_id).bind(3, client_id).step();
      return sqlite3_changes(db_) > 0;
    });
  }

 private:
  /// A statement without rows, prepared once (BEGIN, COMMIT, savepoints run on every request).
  void run(const char* sql) { detail::statement(db_, sql).step(); }
  void exec(const char* sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
      std::string m = msg ? msg : "?";
      sqlite3_free(msg);
      throw store_error(std::string("sqlite: ") + m + " in " + sql);
    }
  }
  /// The bags `sql` selects for an item (its attachments or recipients), in order.
  std::vector<mapi::property_bag> rows_of(user_id u, std::string_view item_id, const char* sql) {
    std::lock_guard lock(mutex_);
    detail::statement s(db_, sql);
    s.bind(1, u).bind(2, item_id);
    std::vector<mapi::property_bag> out;
    while (s.step()) out.push_back(decode_bag(s.blob_view(0)).value());
    return out;
  }
  /// COMMIT; then, unless the transaction is sync bookkeeping that changed no user's data, the
  /// WAL is synced to disk before the caller answers (what synchronous=FULL would do at every
  /// commit; SQLite cannot change its level inside a transaction, and whether a Sync changed
  /// anything is known only at its end).
  void commit(commit_level level) {
    run("COMMIT");
    if (level == commit_level::state && changed_.empty()) return;
    sqlite3_file* wal = nullptr;
    if (sqlite3_file_control(db_, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) != SQLITE_OK ||
        wal == nullptr || wal->pMethods == nullptr ||
        wal->pMethods->xSync(wal, SQLITE_SYNC_NORMAL) != SQLITE_OK)
      throw store_error("sqlite: the write-ahead log could not be synced");
  }
  /// Hands the users the committed transaction changed to on_change.
  void committed() {
    std::set<user_id> users;
    users.swap(changed_);
    if (on_change_)
      for (const auto u : users) on_change_(u);
  }
  /// The folder of a row of server_id, parent_id, display_name, type, props.
  [[nodiscard]] static folder folder_of(const detail::statement& s) {
    return {s.text(0), s.text(1), s.text(2), static_cast<int>(s.integer(3)),
            decode_bag(s.blob_view(4)).value()};
  }
  [[nodiscard]] bool has_column(const char* table, const char* column) {
    detail::statement s(db_, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?");
    s.bind(1, table).bind(2, column);
    return s.step();
  }
  std::int64_t next_modseq() {
    detail::statement s(db_,
                        "UPDATE counters SET value = value + 1 WHERE name = 'modseq' "
                        "RETURNING value");
    if (!s.step()) throw store_error("modseq counter missing");
    const auto v = s.integer(0);
    while (s.step()) {
    }
    return v;
  }

  detail::connection db_;
  std::recursive_mutex mutex_;
  int depth_ = 0;
  bool durable_ = false;       // a transaction of the open one asked for commit_level::durable
  std::set<user_id> changed_;  // by the open transaction
  std::function<void(user_id)> on_change_;
  std::chrono::seconds stale_after_ = std::chrono::days{30};
  std::optional<detail::checkpointer> checkpoints_;  // after db_: stopped before it closes
};

}  // namespace oxwire::server
