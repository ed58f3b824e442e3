// Sync (MS-ASCMD 2.2.1.21) both ways: the client's Add, Change, Delete and Fetch, conflicts,
// then the server's changes within WindowSize, FilterType and BodyPreference. The request is
// read through the generated request model; the whole round runs in one store transaction that
// also records the response, so a key advances only with the answer that carries it and a
// resent request gets that same answer (MS-ASCMD 3.1.5.3).
#pragma once

#include "application_data.hpp"
#include "mail_commands.hpp"
#include "request_tree.hpp"
#include "wire.hpp"

#include <oxwire/gen/activesync/models/sync.hpp>
#include <oxwire/gen/activesync/models/sync_request.hpp>
#include <oxwire/server/store.hpp>

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <deque>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace oxwire_server {

using oxwire::server::store;
using oxwire::server::user_id;

/// A new bag that resolves the store's named properties.
[[nodiscard]] inline mapi::property_bag new_bag() {
  mapi::property_bag b;
  b.names(&oxwire::server::named_properties());
  return b;
}

/// MS-ASCMD 2.2.3.70.1 FilterType: which items of a collection a device keeps. 1..7 are time
/// windows (e-mail by delivery time, appointments by end time, recurring ones always kept), 8
/// keeps incomplete tasks; 0 and other classes keep everything.
struct item_filter {
  item_class cls = item_class::email;
  int type = 0;
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();

  /// The ids of the properties keeps() reads (a folder's items are read with only these).
  [[nodiscard]] static std::span<const std::uint16_t> property_ids() {
    static const auto ids = [] {
      const auto& names = oxwire::server::named_properties();
      return std::array<std::uint16_t, 4>{prop::PidTagMessageDeliveryTime.id,
                                          names.find(prop::PidLidRecurring).value(),
                                          names.find(prop::PidLidAppointmentEndWhole).value(),
                                          names.find(prop::PidLidTaskComplete).value()};
    }();
    return ids;
  }

  /// Whether keeps() looks at properties at all (time windows of e-mail and appointments,
  /// incomplete tasks); when not, a folder's items are read without them.
  [[nodiscard]] bool reads_properties() const {
    if (type == 8) return cls == item_class::tasks;
    return type >= 1 && type <= 7 && (cls == item_class::email || cls == item_class::calendar);
  }

  /// A folder's items as keeps() and the change detection need them.
  [[nodiscard]] std::vector<oxwire::server::item> candidates(oxwire::server::store& db,
                                                             oxwire::server::user_id u,
                                                             std::string_view folder_id) const {
    return reads_properties() ? db.items(u, folder_id, property_ids())
                              : db.item_versions(u, folder_id);
  }

  [[nodiscard]] bool keeps(const mapi::property_bag& bag) const {
    if (type == 8)
      return cls != item_class::tasks || !bag.get(prop::PidLidTaskComplete).value_or(false);
    // 1 day, 3 days, 1 week, 2 weeks, 1 month, 3 months, 6 months
    static constexpr std::array<int, 8> days{0, 1, 3, 7, 14, 31, 92, 183};
    if (type <= 0 || type > 7) return true;
    std::optional<mapi::filetime> t;
    if (cls == item_class::email)
      t = bag.get(prop::PidTagMessageDeliveryTime);
    else if (cls == item_class::calendar && !bag.get(prop::PidLidRecurring).value_or(false))
      t = bag.get(prop::PidLidAppointmentEndWhole);
    if (!t) return true;
    return t->time_point() >= now - std::chrono::days(days[static_cast<std::size_t>(type)]);
  }
};

/// What a device has of a collection as a Sync round leaves it: the store's record under the
/// round's own notes (written with the new key), and the high water it started from.
class device_record {
 public:
  /// `use_high_water` false: the change detection compares the whole folder.
  device_record(store& db, user_id u, std::string_view device, std::string_view collection,
                bool use_high_water = true)
      : db_(db),
        user_(u),
        device_(device),
        collection_(collection),
        high_water_(use_high_water ? db.high_water(u, device, collection) : std::nullopt) {}

  /// The modseq of the version the device has of an item, or nullopt.
  [[nodiscard]] std::optional<std::int64_t> find(std::string_view server_id) const {
    if (const auto it = notes_.find(server_id); it != notes_.end()) return it->second;
    return db_.sent_modseq(user_, device_, collection_, server_id);
  }
  /// Everything the device has.
  [[nodiscard]] oxwire::server::sent_items all() const {
    auto sent = db_.sent(user_, device_, collection_);
    for (const auto& [id, modseq] : notes_) {
      if (modseq)
        sent[id] = *modseq;
      else
        sent.erase(id);
    }
    return sent;
  }
  /// The device now has this version of an item (nullopt: none).
  void note(std::string_view server_id, std::optional<std::int64_t> modseq) {
    notes_.insert_or_assign(std::string(server_id), modseq);
  }
  [[nodiscard]] std::vector<std::pair<std::string, std::optional<std::int64_t>>> notes() const {
    return {notes_.begin(), notes_.end()};
  }
  [[nodiscard]] std::optional<std::int64_t> high_water() const { return high_water_; }

 private:
  store& db_;
  user_id user_;
  std::string_view device_, collection_;
  std::optional<std::int64_t> high_water_;
  std::map<std::string, std::optional<std::int64_t>, std::less<>> notes_;
};

/// What a device lacks of a folder, at most `limit` commands: new and changed items, items gone,
/// and items still there but outside its filter (SoftDelete, MS-ASCMD 2.2.3.168).
struct changes {
  std::vector<oxwire::server::item> add, change;  // ids and modseqs (bags as the filter read)
  std::vector<std::string> remove, soft_delete;
  bool more = false;                       // past `limit` (MoreAvailable, MS-ASCMD 2.2.3.108)
  std::optional<std::int64_t> high_water;  // the device's once it has these (nullopt: unknown)
  [[nodiscard]] std::size_t size() const noexcept {
    return add.size() + change.size() + remove.size() + soft_delete.size();
  }
};

namespace detail_sync {

/// By the folder's change log from the device's high water, in modseq order: what changed
/// since, looked up in the device's record one by one. Stopped early, the new high water is
/// the last entry looked at.
inline void changes_by_log(store& db, user_id u, const device_record& has, std::string_view folder,
                           std::size_t limit, changes& c) {
  std::int64_t cursor = *has.high_water();
  const std::size_t batch = std::min<std::size_t>(limit, 512) + 8;
  for (;;) {
    const auto log = db.changes_since(u, folder, cursor, batch);
    for (const auto& e : log) {
      const auto had = has.find(e.server_id);
      if (e.gone ? had.has_value() : had != e.modseq) {
        if (c.size() == limit) {
          c.more = true;
          c.high_water = cursor;
          return;
        }
        if (e.gone)
          c.remove.push_back(e.server_id);
        else
          (had ? c.change : c.add).push_back({e.server_id, {}, e.modseq});
      }
      cursor = e.modseq;
    }
    if (log.size() < batch) break;
  }
  c.high_water = db.modseq();
}

/// By comparing every item of the folder with the device's record: for filters that look at
/// properties (time windows move without any change), and when the high water is unknown.
inline void changes_by_diff(store& db, user_id u, const device_record& has, std::string_view folder,
                            const item_filter& f, std::size_t limit, changes& c) {
  const auto items = f.candidates(db, u, folder);
  const auto sent = has.all();
  std::set<std::string_view> present;
  changes all;
  for (const auto& i : items) {
    present.insert(i.server_id);
    const auto it = sent.find(i.server_id);
    if (!f.keeps(i.props)) {
      if (it != sent.end()) all.soft_delete.push_back(i.server_id);
    } else if (it == sent.end()) {
      all.add.push_back(i);
    } else if (it->second != i.modseq) {
      all.change.push_back(i);
    }
  }
  for (const auto& [id, modseq] : sent)
    if (!present.contains(id)) all.remove.push_back(id);
  // within the limit: adds first, then changes, deletions, soft deletions
  const auto take = [&](auto& from, auto& to) {
    const std::size_t n = std::min(from.size(), limit - c.size());
    to.assign(std::make_move_iterator(from.begin()), std::make_move_iterator(from.begin() + n));
  };
  take(all.add, c.add);
  take(all.change, c.change);
  take(all.remove, c.remove);
  take(all.soft_delete, c.soft_delete);
  c.more = c.size() < all.size();
  if (!c.more && !f.reads_properties()) c.high_water = db.modseq();
}

}  // namespace detail_sync

/// What a device lacks of a folder under a filter, at most `limit` commands: from the folder's
/// change log when the device's high water is known and the filter reads no property, else by
/// comparing the whole folder.
[[nodiscard]] inline changes changes_for(store& db, user_id u, const device_record& has,
                                         std::string_view folder, const item_filter& f,
                                         std::size_t limit) {
  changes c;
  if (has.high_water() && !f.reads_properties())
    detail_sync::changes_by_log(db, u, has, folder, limit, c);
  else
    detail_sync::changes_by_diff(db, u, has, folder, f, limit, c);
  return c;
}

/// How many changes a device has yet to receive of a folder under a FilterType, counting up to
/// `limit` (GetItemEstimate, MS-ASCMD 2.2.3.63.1; Ping).
[[nodiscard]] inline std::size_t pending_count(
    store& db, user_id u, std::string_view device, const oxwire::server::folder& f, int filter_type,
    std::size_t limit = std::numeric_limits<std::size_t>::max()) {
  // the high water holds for the FilterType the device syncs with
  const device_record has(db, u, device, f.server_id,
                          filter_type == db.filter_type(u, device, f.server_id));
  return changes_for(db, u, has, f.server_id, {class_of_folder(f.type), filter_type}, limit).size();
}

/// The Options that apply to a collection (MS-ASCMD 2.2.3.119.5): the one without
/// a Class, else the first.
[[nodiscard]] inline const model::AirSync_Options* options_for(
    const std::vector<model::AirSync_Options>& all) {
  if (all.empty()) return nullptr;
  const auto it = std::find_if(all.begin(), all.end(),
                               [](const model::AirSync_Options& o) { return o.Class.empty(); });
  return it == all.end() ? &all.front() : &*it;
}

/// One Sync request of one device.
class sync_command {
  using status = oxwire::gen::activesync::SyncStatus;  // MS-ASCMD 2.2.3.177.17

 public:
  /// `version`: from 16.0 a client's e-mail Add and Change are drafts (MS-ASEMAIL 2.2.2.69).
  sync_command(store& db, user_id u, std::string device,
               as::protocol_version version = as::protocol_version::v16_1)
      : db_(db), user_(u), device_(std::move(device)), version_(version) {}

  /// A Sync the server holds until the folders change (MS-ASCMD 3.1.5.4: Wait, 2.2.3.198, or
  /// HeartbeatInterval, 2.2.3.88.2): the request as sent (what a resend repeats) and as used
  /// (with the cached collections, MS-ASCMD 2.2.3.124 Partial).
  struct hold {
    std::string body, effective;
    std::chrono::seconds interval;
  };

  /// Answers now, or says how long to hold the request (`resume` answers it later).
  [[nodiscard]] std::variant<http::response, hold> run(const std::string& body) {
    model::Sync out;
    const auto fail = [&](status s) -> http::response {
      return out.Status = status_value(s), wbxml_response(out, version_);
    };
    // MS-ASCMD 3.1.5.3: a client that lost a response resends its request with the same keys
    if (const auto last = db_.last_sync(user_, device_);
        last && !body.empty() && last->first == body)
      return http::response{200, {{"Content-Type", "application/vnd.ms-sync.wbxml"}}, last->second};
    model::request::Sync req;
    if (!body.empty()) {
      auto decoded = as::decode<model::request::Sync>(bytes_of(body));
      if (!decoded) return fail(status::ProtocolError);
      req = std::move(*decoded);
    }
    // MS-ASCMD 2.2.3.198, 2.2.3.88.2: Wait (1..59 minutes) or HeartbeatInterval (here 60..3540
    // seconds, as for Ping), not both (Status 4); outside its range Status 14 with the bound
    constexpr std::int64_t min_beat = 60, max_beat = 3540, min_wait = 1, max_wait = 59;
    if (req.Wait && req.HeartbeatInterval) return fail(status::ProtocolError);
    const auto limit = [&](std::int64_t v, std::int64_t lo, std::int64_t hi) {
      out.Limit = v < lo ? lo : hi;
      return fail(status::InvalidWaitOrHeartbeatInterval);
    };
    if (req.Wait && (*req.Wait < min_wait || *req.Wait > max_wait))
      return limit(*req.Wait, min_wait, max_wait);
    if (req.HeartbeatInterval &&
        (*req.HeartbeatInterval < min_beat || *req.HeartbeatInterval > max_beat))
      return limit(*req.HeartbeatInterval, min_beat, max_beat);
    // MS-ASCMD 2.2.1.21.1, 2.2.3.124: an empty request, or a Partial one, takes the collections
    // of the last request from the cache (Status 13 when there is none)
    if (body.empty() || req.Partial || !req.Collections) {
      const auto cached = db_.cached_sync(user_, device_);
      if (!cached) return fail(status::IncompleteRequest);
      merge_cached(req, *cached);
      if (!req.Collections || req.Collections->Collection.empty())
        return fail(status::IncompleteRequest);
    }
    auto options = options_only(req);
    if (!options) return fail(status::ServerError);
    if ((req.Wait || req.HeartbeatInterval) && nothing_to_report(req)) {
      db_.set_cached_sync(user_, device_, *options);
      // without commands (nothing_to_report) the request as used is what the cache keeps
      return hold{body, std::move(*options),
                  std::chrono::seconds(req.Wait ? *req.Wait * 60 : *req.HeartbeatInterval)};
    }
    return sync(req, body, *options);
  }

  /// A held Sync again after a change or at the end of its interval: its response once there is
  /// something to report, an empty Sync response (MS-ASCMD 2.2.1.21.2: headers only) when the
  /// interval ran out without, else nullopt.
  [[nodiscard]] std::optional<http::response> resume(const hold& h, bool expired) {
    auto req = as::decode<model::request::Sync>(bytes_of(h.effective));
    if (!req) return status_only(500);
    if (!nothing_to_report(*req)) return sync(*req, h.body, h.effective);
    if (expired) return http::response{200, {}, {}};
    return std::nullopt;
  }

 private:
  /// The Sync round proper: every collection in one transaction that also records the answer
  /// and what a later empty or Partial request reuses (`options`).
  http::response sync(const model::request::Sync& req, const std::string& body,
                      std::string_view options) {
    model::Sync out;
    // MS-ASCMD 2.2.3.199.1: WindowSize 1..512, 100 when absent; under Sync a total
    std::uint32_t budget = std::clamp<std::uint32_t>(req.WindowSize.value_or(100), 1, 512);
    return db_.transaction(
        [&] {
          auto& list = out.Collections.emplace().Collection;
          for (const auto& c : req.Collections->Collection)
            collection(c, list.emplace_back(), budget);
          auto response = wbxml_response(out, version_);
          if (response.status != 200)
            throw oxwire::server::store_error("Sync response does not encode");  // rolls back
          db_.set_last_sync(user_, device_, body, response.body);
          db_.set_cached_sync(user_, device_, options);
          return response;
        },
        oxwire::server::commit_level::state);  // durable if the client changed items
  }

  /// Adds the cached request's collections that `req` does not name, at their current keys
  /// and without commands, and its Wait, HeartbeatInterval and WindowSize where `req` has none.
  void merge_cached(model::request::Sync& req, const std::string& cached) {
    const auto& kept = cached_.emplace_back(cached);
    auto old = as::decode<model::request::Sync>(bytes_of(kept));
    if (!old) return;
    if (!req.Wait && !req.HeartbeatInterval)
      req.Wait = old->Wait, req.HeartbeatInterval = old->HeartbeatInterval;
    if (!req.WindowSize) req.WindowSize = old->WindowSize;
    if (!old->Collections) return;
    auto& list =
        req.Collections ? req.Collections->Collection : req.Collections.emplace().Collection;
    for (auto& c : old->Collections->Collection) {
      if (std::any_of(list.begin(), list.end(),
                      [&](const auto& n) { return n.CollectionId == c.CollectionId; }))
        continue;
      c.SyncKey = strings_.keep(std::to_string(db_.sync_key(user_, device_, c.CollectionId)));
      c.Commands.reset();
      list.push_back(std::move(c));
    }
  }

  /// What a later empty or Partial request reuses: the request's collections with their
  /// options, without commands and Partial (encoded with them set aside, not copied).
  static std::optional<std::string> options_only(model::request::Sync& req) {
    std::vector<std::optional<model::request::Sync_Collections_Collection_Commands>> commands;
    commands.reserve(req.Collections->Collection.size());
    for (auto& c : req.Collections->Collection) commands.push_back(std::exchange(c.Commands, {}));
    const auto partial = std::exchange(req.Partial, {});
    const auto bytes = as::encode(req);
    req.Partial = partial;
    for (std::size_t i = 0; i < commands.size(); ++i)
      req.Collections->Collection[i].Commands = std::move(commands[i]);
    if (!bytes) return std::nullopt;
    return std::string(oxwire::as_chars(*bytes));
  }

  /// True when a Sync of `req` would carry nothing (MS-ASCMD 3.1.5.4): no client commands, and
  /// every collection exists, is past its first key, at the current one, and has no change.
  bool nothing_to_report(const model::request::Sync& req) {
    for (const auto& c : req.Collections->Collection) {
      if (c.Commands) return false;
      const auto folder = db_.find_folder(user_, c.CollectionId);
      const auto key = parse_u32(c.SyncKey);
      if (!folder || !key || *key == 0 || *key != db_.sync_key(user_, device_, c.CollectionId))
        return false;
      if (!c.GetChanges.value_or(true)) continue;
      const auto* options = options_for(c.Options);
      const int filter = options && !options->FilterType.empty()
                             ? options->FilterType.back()
                             : db_.filter_type(user_, device_, c.CollectionId);
      if (pending_count(db_, user_, device_, *folder, filter, 1) > 0) return false;
    }
    return true;
  }

  void collection(const model::request::Sync_Collections_Collection& c,
                  model::Sync_Collections_Collection& col, std::uint32_t& budget) {
    const std::string id(c.CollectionId);
    col.CollectionId.push_back(c.CollectionId);
    const auto folder = db_.find_folder(user_, id);
    if (!folder) return col.Status.push_back(status_value(status::ObjectNotFound));
    const std::uint32_t current = db_.sync_key(user_, device_, id);
    const auto key = parse_u32(c.SyncKey);
    if (!key || (*key != 0 && *key != current)) {
      col.SyncKey.push_back("0");
      return col.Status.push_back(status_value(status::InvalidSyncKey));
    }
    const auto cls = class_of_folder(folder->type);
    const auto* options = options_for(c.Options);
    if (options && !options->FilterType.empty())
      db_.set_filter_type(user_, device_, id, options->FilterType.back());
    if (*key == 0) {
      // MS-ASCMD 3.1.5.3: the first Sync of a collection only issues a key; the device has
      // nothing (high water 0)
      db_.commit_sync(user_, device_, id, 1, {}, 0);
      col.SyncKey.push_back("1");
      return col.Status.push_back(status_value(status::Success));
    }
    device_record has(db_, user_, device_, id);
    application_data_writer writer(strings_, options ? body_options::of(*options) : body_options{},
                                   version_);
    if (c.Commands) {
      // MS-ASCMD 2.2.3.34: Conflict 1 (the default): the server's version wins
      const bool server_wins = !options || options->Conflict.empty() || options->Conflict.back();
      auto& r = col.Responses.emplace_back();
      client_changes(*c.Commands, id, cls, c.DeletesAsMoves.value_or(true), server_wins, has,
                     writer, r);
      if (r == model::Sync_Collections_Collection_Responses{}) col.Responses.clear();
    }
    // A round that sends nothing keeps the high water it started from
    std::optional<std::int64_t> high_water = has.high_water();
    // MS-ASCMD 2.2.3.79: GetChanges defaults to 1 when the SyncKey is not 0
    if (c.GetChanges.value_or(true)) {
      const std::uint32_t window =
          std::clamp<std::uint32_t>(c.WindowSize.value_or(budget), 1, budget);
      const auto d =
          changes_for(db_, user_, has, id, {cls, db_.filter_type(user_, device_, id)}, window);
      high_water = d.high_water;
      // What goes out is read whole; the change detection read only what the filter needs
      auto& cmds = col.Commands.emplace_back();
      const auto send = [&](const oxwire::server::item& i, auto& command) {
        command.ServerId = strings_.keep(i.server_id);
        const auto& bag = bags_.emplace_back(db_.find_item(user_, i.server_id).value().props);
        writer.write(cls, bag, db_.attachments(user_, i.server_id), i.server_id,
                     command.ApplicationData, db_.recipients(user_, i.server_id));
        has.note(i.server_id, i.modseq);
      };
      for (const auto& i : d.add) send(i, cmds.Add.emplace_back());
      for (const auto& i : d.change) send(i, cmds.Change.emplace_back());
      for (const auto& gone : d.remove) {
        cmds.Delete.push_back({{}, strings_.keep(gone)});
        has.note(gone, std::nullopt);
      }
      for (const auto& out : d.soft_delete) {
        cmds.SoftDelete.push_back({strings_.keep(out)});
        has.note(out, std::nullopt);
      }
      if (d.more) col.MoreAvailable.emplace_back();
      if (d.size() == 0) col.Commands.clear();
      budget -= std::min<std::uint32_t>(budget - 1, static_cast<std::uint32_t>(d.size()));
    }
    const std::uint32_t next = current + 1;
    db_.commit_sync(user_, device_, id, next, has.notes(), high_water);
    col.SyncKey.push_back(strings_.keep(std::to_string(next)));
    col.Status.push_back(status_value(status::Success));
  }

  /// Add (ClientId → ServerId), Change, Delete and Fetch of one collection (MS-ASCMD
  /// 2.2.3.7.2, 2.2.3.24.2, 2.2.3.42.2, 2.2.3.67.2), answered in Responses.
  void client_changes(const model::request::Sync_Collections_Collection_Commands& cmds,
                      const std::string& id, item_class cls, bool deletes_as_moves,
                      bool server_wins, device_record& has, application_data_writer& writer,
                      model::Sync_Collections_Collection_Responses& r) {
    const std::string prefix = id + ":";
    const auto find = [&](std::string_view sid) -> std::optional<oxwire::server::item> {
      if (!sid.starts_with(prefix)) return std::nullopt;
      return db_.find_item(user_, sid);
    };
    // MS-ASEMAIL 2.2.2.69: from 16.0 a client adds and changes e-mail as drafts in Drafts and
    // sends them with email2:Send; e-mail it adds elsewhere is kept as it was before 16.0
    const bool drafts = cls == item_class::email && version_ >= as::protocol_version::v16_0;
    const bool in_drafts = drafts && db_.find_folder(user_, id)->type == 3;
    for (const auto& a : cmds.Add) {
      if (drafts && (in_drafts || sends(a))) {
        add_draft(a, id, in_drafts, has, r.Add.emplace_back());
        continue;
      }
      auto bag = new_bag();
      if (!application_data_reader::read(cls, a.ApplicationData, bag)) {
        r.Add.push_back({.Class = {},
                         .ClientId = a.ClientId,
                         .ServerId = {},
                         .Status = status_value(status::ConversionError),
                         .ApplicationData = {}});
        continue;
      }
      const std::string sid = db_.add_item(user_, id, bag);
      if (cls == item_class::calendar)  // MS-ASCAL 2.2.2.4: a meeting's attendees
        if (const auto rows = application_data_reader::attendees(a.ApplicationData, {}))
          db_.set_recipients(user_, sid, *rows);
      has.note(sid, db_.find_item(user_, sid)->modseq);
      r.Add.push_back({.Class = {},
                       .ClientId = a.ClientId,
                       .ServerId = strings_.keep(sid),
                       .Status = status_value(status::Success),
                       .ApplicationData = {}});
    }
    for (const auto& c : cmds.Change) {
      // MS-ASAIRS 2.2.2.25: a 16.x client names one occurrence of a series by InstanceId, and
      // the server answers with it
      const auto instance = instance_of(c);
      const auto fail = [&](status s) {
        r.Change.push_back({{}, c.ServerId, instance, status_value(s)});
      };
      auto it = find(c.ServerId);
      if (!it) {
        fail(status::ObjectNotFound);
        continue;
      }
      // The device changed a version older than the server's: MS-ASCMD 2.2.3.177.17 Status 7,
      // and the server's version goes out with this response's Commands
      if (const auto s = has.find(it->server_id); server_wins && s && *s != it->modseq) {
        fail(status::Conflict);
        continue;
      }
      if (drafts && (in_drafts || sends(c))) {
        if (const auto status = change_draft(*it, c, in_drafts, has))
          r.Change.push_back({{}, c.ServerId, {}, *status});
        continue;
      }
      if (instance && cls == item_class::calendar) {
        if (!application_data_reader::change_occurrence(*instance, c.ApplicationData, it->props)) {
          fail(status::ObjectNotFound);
          continue;
        }
      } else if (!application_data_reader::read(cls, c.ApplicationData, it->props)) {
        fail(status::ConversionError);
        continue;
      } else if (cls == item_class::calendar) {
        if (const auto rows = application_data_reader::attendees(
                c.ApplicationData, db_.recipients(user_, it->server_id)))
          db_.set_recipients(user_, it->server_id, *rows);
      }
      db_.update_item(user_, it->server_id, it->props);
      has.note(it->server_id, db_.find_item(user_, it->server_id)->modseq);
    }
    // MS-ASCMD 2.2.3.44: DeletesAsMoves (default 1) moves deleted items to Deleted Items
    std::optional<std::string> trash;
    for (const auto& f : db_.folders(user_))
      if (f.type == 4) trash = f.server_id;
    for (const auto& d : cmds.Delete) {
      auto it = find(d.ServerId);
      if (!it || (d.InstanceId && cls != item_class::calendar)) {
        r.Delete.push_back({d.ServerId, d.InstanceId, status_value(status::ObjectNotFound)});
        continue;
      }
      // MS-ASAIRS 2.2.2.25: a Delete with InstanceId removes that occurrence, not the series
      if (d.InstanceId) {
        if (!application_data_reader::delete_occurrence(*d.InstanceId, it->props)) {
          r.Delete.push_back({d.ServerId, d.InstanceId, status_value(status::ObjectNotFound)});
          continue;
        }
        db_.update_item(user_, it->server_id, it->props);
        has.note(it->server_id, db_.find_item(user_, it->server_id)->modseq);
        continue;
      }
      if (deletes_as_moves && trash && *trash != id)
        db_.move_item(user_, it->server_id, *trash);
      else
        db_.delete_item(user_, it->server_id);
      has.note(it->server_id, std::nullopt);
    }
    for (const auto& f : cmds.Fetch) {
      auto& out = r.Fetch.emplace_back();
      out.ServerId = f.ServerId;
      const auto it = find(f.ServerId);
      if (!it) {
        out.Status = status_value(status::ObjectNotFound);
        continue;
      }
      out.Status = status_value(status::Success);
      const auto& kept = fetched_.emplace_back(std::move(*it));
      writer.write(cls, kept.props, db_.attachments(user_, kept.server_id), kept.server_id,
                   out.ApplicationData.emplace(), db_.recipients(user_, kept.server_id));
    }
  }

  /// A 16.x client's new e-mail (MS-ASCMD 2.2.3.7.2): a draft saved in Drafts, unsent
  /// (IsDraft, MS-ASEMAIL 2.2.2.42) in a new conversation, its ServerId, ConversationId,
  /// ConversationIndex and each attachment's ClientId with its FileReference (MS-ASAIRS
  /// 2.2.2.14) answered; or, with email2:Send, sent and not kept. Status 6 (MS-ASCMD 2.2.3.177.17:
  /// invalid item) for a Send outside Drafts, or for a Send without a recipient.
  void add_draft(const model::request::Sync_Collections_Collection_Commands_Add& a,
                 const std::string& id, bool in_drafts, device_record& has,
                 model::Sync_Collections_Collection_Responses_Add& out) {
    out.ClientId = a.ClientId;
    out.Status = status_value(status::ConversionError);
    if (!in_drafts) return;
    const auto& d = a.ApplicationData;
    oxwire::mapi::message m;
    m.properties = new_bag();
    auto& bag = m.properties;
    bag.set(prop::PidTagMessageClass, u"IPM.Note");
    if (!application_data_reader::read(item_class::email, d, bag)) return;  // ConversionError
    if (const auto name = db_.user_name(user_)) {
      bag.set(prop::PidTagSenderName, u16_of(*name));
      bag.set(prop::PidTagSenderEmailAddress, u16_of(*name));
    }
    bag.set(prop::PidTagRead, true);
    bag.set(prop::PidTagMessageFlags, mf_unsent);
    new_conversation(bag);
    if (auto rows = application_data_reader::recipients(d, {}, bag))
      for (auto& row : *rows) m.recipients.push_back({std::move(row)});
    for (const auto& list : d.AirSyncBase_Attachments)
      for (const auto& add : list.Add) m.attachments.push_back({attachment_of(add), {}});
    if (sends(a)) {
      if (send(std::move(m))) out.Status = status_value(status::Success);
      return;
    }
    const std::string sid = store_message(db_, user_, id, m);
    has.note(sid, db_.find_item(user_, sid)->modseq);
    out.ServerId = strings_.keep(sid);
    out.Status = status_value(status::Success);
    auto& data = out.ApplicationData.emplace();
    data.ConversationId.push_back({strings_.keep_bytes(*bag.get(prop::PidTagConversationId))});
    data.ConversationIndex.push_back(
        {strings_.keep_bytes(*bag.get(prop::PidTagConversationIndex))});
    if (m.attachments.empty()) return;
    auto& list = data.AirSyncBase_Attachments.emplace_back();
    std::size_t i = 0;
    for (const auto& added : d.AirSyncBase_Attachments)
      for (const auto& add : added.Add) {
        auto& att = list.Attachment.emplace_back();
        att.ClientId = add.ClientId;
        att.FileReference = strings_.keep(sid + ":" + std::to_string(i++));
      }
  }

  /// A 16.x client's Change of a draft: the fields sent replace the stored ones, To/Cc/Bcc
  /// replace its recipients, attachments are deleted by FileReference (MS-ASAIRS 2.2.2.21) and
  /// added (2.2.2.2); with email2:Send it is sent and leaves Drafts. A Change that adds or
  /// deletes attachments is not recorded as the device's, so the item goes back to it with the
  /// new FileReferences. The failure Status (nothing applied): 6 for email2:Send outside Drafts
  /// or a FileReference not of this item; a Send without a recipient saves the draft, Status 6.
  std::optional<std::int64_t> change_draft(
      oxwire::server::item& it,
      const model::request::Sync_Collections_Collection_Commands_Change& c, bool in_drafts,
      device_record& has) {
    if (!in_drafts) return status_value(status::ConversionError);
    const auto& d = c.ApplicationData;
    const auto& sid = it.server_id;
    const auto count = db_.attachments(user_, sid).size();
    std::vector<std::size_t> gone;
    for (const auto& list : d.AirSyncBase_Attachments)
      for (const auto& del : list.Delete) {
        const std::string_view ref = del.FileReference;
        const auto n = ref.size() > sid.size() && ref.starts_with(sid) && ref[sid.size()] == ':'
                           ? parse_u32(ref.substr(sid.size() + 1))
                           : std::nullopt;
        if (!n || *n >= count) return status_value(status::ConversionError);
        gone.push_back(*n);
      }
    if (!application_data_reader::read(item_class::email, d, it.props))
      return status_value(status::ConversionError);
    auto rows = db_.recipients(user_, sid);
    if (auto changed = application_data_reader::recipients(d, rows, it.props)) {
      rows = std::move(*changed);
      db_.set_recipients(user_, sid, rows);
    }
    std::sort(gone.rbegin(), gone.rend());  // from the last, so positions hold
    gone.erase(std::unique(gone.begin(), gone.end()), gone.end());
    for (const auto n : gone) db_.delete_attachment(user_, sid, n);
    bool attachments_changed = !gone.empty();
    for (const auto& list : d.AirSyncBase_Attachments)
      for (const auto& add : list.Add) {
        db_.add_attachment(user_, sid, attachment_of(add));
        attachments_changed = true;
      }
    db_.update_item(user_, sid, it.props);
    if (sends(c)) {
      oxwire::mapi::message m;
      m.properties = it.props;
      for (auto& row : rows) m.recipients.push_back({std::move(row)});
      for (auto& a : db_.attachments(user_, sid)) m.attachments.push_back({std::move(a), {}});
      if (!send(std::move(m))) {
        has.note(sid, db_.find_item(user_, sid)->modseq);
        return status_value(status::ConversionError);
      }
      db_.delete_item(user_, sid);  // the device gets its Delete with the next changes
      return std::nullopt;
    }
    if (!attachments_changed) has.note(sid, db_.find_item(user_, sid)->modseq);
    return std::nullopt;
  }

  /// MS-ASEMAIL 2.2.2.69 email2:Send, a child of Add or Change (MS-ASCMD 2.2.3.7.2, 2.2.3.24.2);
  /// also taken inside ApplicationData, where the XSD set's item choice admits it.
  template <class Command>
  static bool sends(const Command& c) {
    return c.Send || !c.ApplicationData.Send.empty();
  }
  /// MS-ASAIRS 2.2.2.25 InstanceId of a Change, or inside its ApplicationData as the XSD set has
  /// it.
  static std::optional<std::string_view> instance_of(
      const model::request::Sync_Collections_Collection_Commands_Change& c) {
    if (c.InstanceId) return c.InstanceId;
    const auto& in = c.ApplicationData.InstanceId;
    return in.empty() ? std::nullopt : std::optional(in.back());
  }

  /// Sends a draft (MS-ASEMAIL 2.2.2.69) the way SendMail does, a copy in Sent Items; false if
  /// it has no recipient.
  bool send(oxwire::mapi::message m) {
    if (m.recipients.empty()) return false;
    m.properties.erase(prop::PidTagMessageFlags.tag());  // sent: no longer a draft
    m.properties.set(prop::PidTagHasAttachments, !m.attachments.empty());
    deliver_message(db_, user_, m, true);
    return true;
  }

  /// An attachment a client adds (MS-ASAIRS 2.2.2.2) as an attachment bag (MS-OXCMSG 2.2.2).
  static mapi::property_bag attachment_of(const model::Attachments_Add& a) {
    mapi::property_bag b;
    b.set(prop::PidTagAttachMethod, std::int32_t{1});  // MS-OXCMSG 2.2.2.9 afByValue
    b.set(prop::PidTagAttachLongFilename, u16_of(a.DisplayName));
    b.set(prop::PidTagAttachMimeTag, u16_of(a.ContentType));
    if (a.ContentId) b.set(prop::PidTagAttachContentId, u16_of(*a.ContentId));
    if (a.ContentLocation) b.set(prop::PidTagAttachContentLocation, u16_of(*a.ContentLocation));
    // MS-ASAIRS 2.2.2.26.1 IsInline; MS-OXCMSG 2.2.2.18 attRenderedInBody
    if (a.IsInline && (*a.IsInline == "1" || *a.IsInline == "true"))
      b.set(prop::PidTagAttachFlags, std::int32_t{0x4});
    b.set(prop::PidTagAttachSize, static_cast<std::int32_t>(a.Content.data.size()));
    b.set(prop::PidTagAttachDataBinary,
          std::vector<std::uint8_t>(a.Content.data.begin(), a.Content.data.end()));
    return b;
  }

  /// MS-OXOMSG 2.2.1.3 PidTagConversationIndex of a new conversation: 0x01, the high five bytes
  /// of the current FILETIME and a new GUID; PidTagConversationId (2.2.1.2) is that GUID.
  static void new_conversation(mapi::property_bag& bag) {
    std::vector<std::uint8_t> guid(16);
    if (RAND_bytes(guid.data(), static_cast<int>(guid.size())) != 1)
      throw oxwire::server::store_error("RAND_bytes failed");
    const std::uint64_t t = filetime_now().value;
    std::vector<std::uint8_t> index{0x01};
    for (int shift = 56; shift >= 24; shift -= 8)
      index.push_back(static_cast<std::uint8_t>(t >> shift));
    index.insert(index.end(), guid.begin(), guid.end());
    bag.set(prop::PidTagConversationIndex, std::move(index));
    bag.set(prop::PidTagConversationId, std::move(guid));
  }

  store& db_;
  user_id user_;
  std::string device_;
  as::protocol_version version_;
  arena strings_;                   // what the response model points into
  std::deque<std::string> cached_;  // cached requests the merged request points into
  std::deque<mapi::property_bag> bags_;
  std::deque<oxwire::server::item> fetched_;
};

}  // namespace oxwire_server
