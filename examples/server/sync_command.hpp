// Sync (MS-ASCMD 2.2.1.21) both ways: the client's Add, Change, Delete and Fetch, conflicts,
// then the server's changes within WindowSize, FilterType and BodyPreference. The request is
// read through the generated request model; the whole round runs in one store transaction that
// also records the response, so a key advances only with the answer that carries it and a
// resent request gets that same answer (MS-ASCMD 3.1.5.3).
#pragma once

#include "application_data.hpp"
#include "request_tree.hpp"
#include "wire.hpp"

#include <oxwire/gen/activesync/models/sync.hpp>
#include <oxwire/gen/activesync/models/sync_request.hpp>
#include <oxwire/server/store.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <deque>
#include <optional>
#include <set>
#include <string>
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

/// What a device lacks of a folder against what it was sent: new and changed items, items gone,
/// and items still there but outside its filter (SoftDelete, MS-ASCMD 2.2.3.168).
struct changes {
  std::vector<const oxwire::server::item*> add, change;
  std::vector<std::string> remove, soft_delete;
  [[nodiscard]] std::size_t size() const noexcept {
    return add.size() + change.size() + remove.size() + soft_delete.size();
  }
};

[[nodiscard]] inline changes diff(const std::vector<oxwire::server::item>& items,
                                  const oxwire::server::sent_items& sent, const item_filter& f) {
  changes c;
  std::set<std::string_view> present;
  for (const auto& i : items) {
    present.insert(i.server_id);
    const auto it = sent.find(i.server_id);
    if (!f.keeps(i.props)) {
      if (it != sent.end()) c.soft_delete.push_back(i.server_id);
    } else if (it == sent.end()) {
      c.add.push_back(&i);
    } else if (it->second != i.modseq) {
      c.change.push_back(&i);
    }
  }
  for (const auto& [id, modseq] : sent)
    if (!present.contains(id)) c.remove.push_back(id);
  return c;
}

/// How many changes a device has yet to receive of a folder under a FilterType (GetItemEstimate,
/// MS-ASCMD 2.2.3.63.1; Ping).
[[nodiscard]] inline std::size_t pending_count(store& db, user_id u, std::string_view device,
                                               const oxwire::server::folder& f, int filter_type) {
  const auto items = db.items(u, f.server_id);
  return diff(items, db.sent(u, device, f.server_id), {class_of_folder(f.type), filter_type})
      .size();
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
 public:
  sync_command(store& db, user_id u, std::string device)
      : db_(db), user_(u), device_(std::move(device)) {}

  [[nodiscard]] http::response run(const std::string& body) {
    model::Sync out;
    // MS-ASCMD 2.2.3.177.17 Status 13: an empty request with no cached one to reuse
    if (body.empty()) return out.Status = 13, wbxml_response(out);
    // MS-ASCMD 3.1.5.3: a client that lost a response resends its request with the same keys
    if (const auto last = db_.last_sync(user_, device_); last && last->first == body)
      return {200, {{"Content-Type", "application/vnd.ms-sync.wbxml"}}, last->second};
    const auto req = as::decode<model::request::Sync>(bytes_of(body));
    if (!req) return out.Status = 4, wbxml_response(out);  // protocol error
    if (!req->Collections) return out.Status = 13, wbxml_response(out);
    // MS-ASCMD 2.2.3.199.1: WindowSize 1..512, 100 when absent; under Sync a total
    std::uint32_t budget = std::clamp<std::uint32_t>(req->WindowSize.value_or(100), 1, 512);
    return db_.transaction([&] {
      auto& list = out.Collections.emplace().Collection;
      for (const auto& c : req->Collections->Collection) collection(c, list.emplace_back(), budget);
      auto response = wbxml_response(out);
      if (response.status != 200)
        throw oxwire::server::store_error("Sync response does not encode");  // rolls back
      db_.set_last_sync(user_, device_, body, response.body);
      return response;
    });
  }

 private:
  using record = std::vector<std::pair<std::string, std::optional<std::int64_t>>>;

  void collection(const model::request::Sync_Collections_Collection& c,
                  model::Sync_Collections_Collection& col, std::uint32_t& budget) {
    const std::string id(c.CollectionId);
    col.CollectionId.push_back(c.CollectionId);
    const auto folder = db_.find_folder(user_, id);
    if (!folder) return col.Status.push_back(8);  // MS-ASCMD 2.2.3.177.17: object not found
    const std::uint32_t current = db_.sync_key(user_, device_, id);
    const auto key = parse_u32(c.SyncKey);
    if (!key || (*key != 0 && *key != current)) {
      col.SyncKey.push_back("0");
      return col.Status.push_back(3);  // invalid synchronization key
    }
    const auto cls = class_of_folder(folder->type);
    const auto* options = options_for(c.Options);
    if (options && !options->FilterType.empty())
      db_.set_filter_type(user_, device_, id, options->FilterType.back());
    if (*key == 0) {
      // MS-ASCMD 3.1.5.3: the first Sync of a collection only issues a key
      db_.commit_sync(user_, device_, id, 1, {});
      col.SyncKey.push_back("1");
      return col.Status.push_back(1);
    }
    auto sent = db_.sent(user_, device_, id);
    record done;
    const auto note = [&](const std::string& sid, std::optional<std::int64_t> modseq) {
      if (modseq)
        sent[sid] = *modseq;
      else
        sent.erase(sid);
      done.emplace_back(sid, modseq);
    };
    application_data_writer writer(
        strings_, options ? body_options::of(options->BodyPreference) : body_options{});
    if (c.Commands) {
      // MS-ASCMD 2.2.3.34: Conflict 1 (the default): the server's version wins
      const bool server_wins = !options || options->Conflict.empty() || options->Conflict.back();
      auto& r = col.Responses.emplace_back();
      client_changes(*c.Commands, id, cls, c.DeletesAsMoves.value_or(true), server_wins, sent, note,
                     writer, r);
      if (r == model::Sync_Collections_Collection_Responses{}) col.Responses.clear();
    }
    // MS-ASCMD 2.2.3.79: GetChanges defaults to 1 when the SyncKey is not 0
    if (c.GetChanges.value_or(true)) {
      const auto& items = items_.emplace_back(db_.items(user_, id));
      const auto d = diff(items, sent, {cls, db_.filter_type(user_, device_, id)});
      const std::uint32_t window =
          std::clamp<std::uint32_t>(c.WindowSize.value_or(budget), 1, budget);
      auto& cmds = col.Commands.emplace_back();
      std::uint32_t n = 0;
      const auto room = [&] { return n < window ? (++n, true) : false; };
      for (const auto* i : d.add) {
        if (!room()) break;
        auto& add = cmds.Add.emplace_back();
        add.ServerId = i->server_id;
        writer.write(cls, i->props, db_.attachments(user_, i->server_id), i->server_id,
                     add.ApplicationData);
        note(i->server_id, i->modseq);
      }
      for (const auto* i : d.change) {
        if (!room()) break;
        auto& change = cmds.Change.emplace_back();
        change.ServerId = i->server_id;
        writer.write(cls, i->props, db_.attachments(user_, i->server_id), i->server_id,
                     change.ApplicationData);
        note(i->server_id, i->modseq);
      }
      for (const auto& gone : d.remove) {
        if (!room()) break;
        cmds.Delete.push_back({{}, strings_.keep(gone)});
        note(gone, std::nullopt);
      }
      for (const auto& out : d.soft_delete) {
        if (!room()) break;
        cmds.SoftDelete.push_back({strings_.keep(out)});
        note(out, std::nullopt);
      }
      if (n < d.size()) col.MoreAvailable.emplace_back();
      if (n == 0) col.Commands.clear();
      budget -= std::min(budget - 1, n);
    }
    const std::uint32_t next = current + 1;
    db_.commit_sync(user_, device_, id, next, done);
    col.SyncKey.push_back(strings_.keep(std::to_string(next)));
    col.Status.push_back(1);
  }

  /// Add (ClientId → ServerId), Change, Delete and Fetch of one collection (MS-ASCMD
  /// 2.2.3.7.2, 2.2.3.24.2, 2.2.3.42.2, 2.2.3.67.2), answered in Responses.
  template <class Note>
  void client_changes(const model::request::Sync_Collections_Collection_Commands& cmds,
                      const std::string& id, item_class cls, bool deletes_as_moves,
                      bool server_wins, const oxwire::server::sent_items& sent, Note& note,
                      application_data_writer& writer,
                      model::Sync_Collections_Collection_Responses& r) {
    const std::string prefix = id + ":";
    const auto find = [&](std::string_view sid) -> std::optional<oxwire::server::item> {
      if (!sid.starts_with(prefix)) return std::nullopt;
      return db_.find_item(user_, sid);
    };
    for (const auto& a : cmds.Add) {
      auto bag = new_bag();
      application_data_reader::read(cls, a.ApplicationData, bag);
      const std::string sid = db_.add_item(user_, id, bag);
      note(sid, db_.find_item(user_, sid)->modseq);
      r.Add.push_back({.Class = {},
                       .ClientId = a.ClientId,
                       .ServerId = strings_.keep(sid),
                       .Status = 1,
                       .ApplicationData = {}});
    }
    for (const auto& c : cmds.Change) {
      auto it = find(c.ServerId);
      if (!it) {
        r.Change.push_back({{}, c.ServerId, {}, 8});  // object not found
        continue;
      }
      // The device changed a version older than the server's: MS-ASCMD 2.2.3.177.17 Status 7,
      // and the server's version goes out with this response's Commands
      if (const auto s = sent.find(it->server_id);
          server_wins && s != sent.end() && s->second != it->modseq) {
        r.Change.push_back({{}, c.ServerId, {}, 7});
        continue;
      }
      application_data_reader::read(cls, c.ApplicationData, it->props);
      db_.update_item(user_, it->server_id, it->props);
      note(it->server_id, db_.find_item(user_, it->server_id)->modseq);
    }
    // MS-ASCMD 2.2.3.44: DeletesAsMoves (default 1) moves deleted items to Deleted Items
    std::optional<std::string> trash;
    for (const auto& f : db_.folders(user_))
      if (f.type == 4) trash = f.server_id;
    for (const auto& d : cmds.Delete) {
      const auto it = find(d.ServerId);
      if (!it) {
        r.Delete.push_back({d.ServerId, {}, 8});
        continue;
      }
      if (deletes_as_moves && trash && *trash != id)
        db_.move_item(user_, it->server_id, *trash);
      else
        db_.delete_item(user_, it->server_id);
      note(it->server_id, std::nullopt);
    }
    for (const auto& f : cmds.Fetch) {
      auto& out = r.Fetch.emplace_back();
      out.ServerId = f.ServerId;
      const auto it = find(f.ServerId);
      if (!it) {
        out.Status = 8;
        continue;
      }
      out.Status = 1;
      const auto& kept = fetched_.emplace_back(std::move(*it));
      writer.write(cls, kept.props, db_.attachments(user_, kept.server_id), kept.server_id,
                   out.ApplicationData.emplace());
    }
  }

  store& db_;
  user_id user_;
  std::string device_;
  arena strings_;  // what the response model points into
  std::deque<std::vector<oxwire::server::item>> items_;
  std::deque<oxwire::server::item> fetched_;
};

}  // namespace oxwire_server
