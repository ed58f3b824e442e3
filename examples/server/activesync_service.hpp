// The ActiveSync endpoint (/Microsoft-Server-ActiveSync): MS-ASHTTP request line and headers,
// OPTIONS, and the commands Provision (MS-ASPROV), FolderSync, Sync and Ping (MS-ASCMD). Requests
// are decoded and responses encoded through the library: ashttp.hpp for the HTTP layer, the
// generated models (model_codec.hpp) for bodies that have one, the WBXML tree for the two request
// bodies the models do not cover yet (Provision and Sync requests).
#pragma once

#include "application_data.hpp"
#include "request_tree.hpp"

#include <oxwire/activesync/ashttp.hpp>
#include <oxwire/activesync/model_codec.hpp>
#include <oxwire/gen/activesync/models/foldersync.hpp>
#include <oxwire/gen/activesync/models/foldersync_request.hpp>
#include <oxwire/gen/activesync/models/ping.hpp>
#include <oxwire/gen/activesync/models/ping_request.hpp>
#include <oxwire/gen/activesync/models/provision.hpp>
#include <oxwire/gen/activesync/models/sync.hpp>
#include <oxwire/http/request_parser.hpp>
#include <oxwire/server/store.hpp>
#include <oxwire/wbxml/tree.hpp>

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace oxwire_server {

namespace as = oxwire::activesync;
namespace http = oxwire::http;
using oxwire::server::store;
using oxwire::server::user_id;

/// The versions this server speaks (MS-ASHTTP 2.2.4.1.2.2).
inline constexpr std::array<as::protocol_version, 5> supported_versions{
    as::protocol_version::v12_1, as::protocol_version::v14_0, as::protocol_version::v14_1,
    as::protocol_version::v16_0, as::protocol_version::v16_1};

/// A reply now, or a long poll (Ping): `poll(false)` answers once something changed, and
/// `poll(true)` must answer when the heartbeat has run out.
struct outcome {
  std::optional<http::response> now;
  std::function<std::optional<http::response>(bool expired)> poll;
  std::chrono::seconds heartbeat{0};
};

[[nodiscard]] inline http::response status_only(int status) {
  return {status, {}, {}};
}

/// One authenticated ActiveSync request after its request line and headers were read.
struct as_request {
  user_id user;
  as::request_line line;
  as::protocol_version version;
  const http::request& http;
};

class activesync_service {
 public:
  explicit activesync_service(store& db) : db_(db) {}

  /// OPTIONS (MS-ASHTTP 2.2.4): the versions and commands, no body.
  [[nodiscard]] http::response options() const {
    return {200,
            {{"Allow", "OPTIONS,POST"},
             {"MS-Server-ActiveSync", "16.1"},
             {"MS-ASProtocolVersions", as::protocol_versions_header(supported_versions)},
             {"MS-ASProtocolCommands", commands_header()},
             {"Public", "OPTIONS,POST"}},
            {}};
  }

  /// MS-ASProtocolCommands (MS-ASHTTP 2.2.4.1.2.1): the library's list for our versions, less
  /// the commands this server does not answer yet.
  [[nodiscard]] static std::string commands_header() {
    constexpr std::array<std::string_view, 4> implemented{"Sync", "FolderSync", "Ping",
                                                          "Provision"};
    const std::string all = as::protocol_commands_header(supported_versions);
    std::string out;
    for (std::size_t at = 0; at <= all.size();) {
      const std::size_t comma = std::min(all.find(',', at), all.size());
      const std::string_view cmd = std::string_view(all).substr(at, comma - at);
      if (std::find(implemented.begin(), implemented.end(), cmd) != implemented.end())
        (out += out.empty() ? "" : ",") += cmd;
      at = comma + 1;
    }
    return out;
  }

  /// A POST to the endpoint from user `u`.
  [[nodiscard]] outcome post(user_id u, const http::request& req) {
    std::vector<as::header_field> fields;
    for (const auto& [n, v] : req.headers) fields.emplace_back(n, v);
    const as::request_headers headers(fields);
    auto line = as::parse_query(req.target);
    if (!line) return {status_only(400), {}, {}};
    // MS-ASHTTP 2.2.1.1.1.1: the base64 query carries the version and the policy key itself
    std::optional<as::protocol_version> version = line->ProtocolVersion;
    std::optional<std::uint32_t> policy_key = line->PolicyKey;
    if (!version) {
      auto v = headers.version();
      if (!v) return {status_only(400), {}, {}};
      version = *v;
    }
    if (!policy_key) {
      auto k = headers.policy_key();
      if (!k) return {status_only(400), {}, {}};
      policy_key = *k;
    }
    if (!version || std::find(supported_versions.begin(), supported_versions.end(), *version) ==
                        supported_versions.end())
      return {http::response{
                  400,
                  {{"MS-ASProtocolVersions", as::protocol_versions_header(supported_versions)}},
                  {}},
              {},
              {}};
    const as_request r{u, std::move(*line), *version, req};
    if (r.line.Cmd == "Provision") return {provision(r), {}, {}};
    // MS-ASPROV 3.2.5.1.1: a device without the current policy key is told to provision
    const auto device = db_.device(u, r.line.DeviceId);
    if (device.policy_key == 0 || policy_key != device.policy_key)
      return {status_only(449), {}, {}};
    if (r.line.Cmd == "FolderSync") return {folder_sync(r), {}, {}};
    if (r.line.Cmd == "Sync") return {sync(r), {}, {}};
    if (r.line.Cmd == "Ping") return ping(r);
    return {status_only(501), {}, {}};
  }

 private:
  template <class M>
  static http::response wbxml(const M& m) {
    auto body = as::encode(m);
    if (!body) return status_only(500);
    return {200,
            {{"Content-Type", "application/vnd.ms-sync.wbxml"}},
            std::string(reinterpret_cast<const char*>(body->data()), body->size())};
  }
  static oxwire::bytes_view bytes(const std::string& s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
  }
  static std::uint32_t random_key() {
    std::uint32_t k = 0;
    while (k == 0)
      if (RAND_bytes(reinterpret_cast<unsigned char*>(&k), sizeof k) != 1)
        throw oxwire::server::store_error("RAND_bytes failed");
    return k;
  }

  // --- Provision (MS-ASPROV 3.2.5.1) ---------------------------------------------------------

  http::response provision(const as_request& r) {
    model::Provision out;
    auto doc = wbxml::decode(bytes(r.http.body));
    if (!doc) return status_only(400);
    const tree_view t(*doc);
    const auto root = t.root(tag("Provision", "Provision"));
    const auto policy =
        t.child(t.child(root, tag("Provision", "Policies")), tag("Provision", "Policy"));
    if (t.child(root, tag("Settings", "DeviceInformation")) != tree_view::npos)
      out.DeviceInformation = model::DeviceInformation{.Status = 1};
    if (policy == tree_view::npos) {
      out.Status = 2;  // MS-ASPROV 2.2.2.54.1: protocol error
      return wbxml(out);
    }
    out.Status = 1;
    auto& p = out.Policies.emplace().Policy;
    const auto type = t.text(policy, tag("Provision", "PolicyType"));
    p.PolicyType = type.value_or("");
    if (type != "MS-EAS-Provisioning-WBXML") {
      p.Status = 3;  // MS-ASPROV 2.2.2.54.2: unknown PolicyType
      return wbxml(out);
    }
    auto device = db_.device(r.user, r.line.DeviceId);
    std::string key;
    if (const auto ack = t.text(policy, tag("Provision", "PolicyKey")); !ack) {
      // Phase 1: the policy and a temporary key
      device.pending_policy_key = random_key();
      key = std::to_string(device.pending_policy_key);
      p.Status = 1;
      p.PolicyKey = key;
      auto& doc_out = p.Data.emplace().EASProvisionDoc;
      doc_out.DevicePasswordEnabled = false;
      doc_out.AttachmentsEnabled = true;
      doc_out.AllowSimpleDevicePassword = true;
      doc_out.AllowHTMLEmail = true;
      doc_out.MaxAttachmentSize = model::or_empty<std::uint32_t>{};
    } else if (device.pending_policy_key != 0 && parse_u32(ack) == device.pending_policy_key) {
      // Phase 2: the acknowledged key becomes the final one
      device.policy_key = random_key();
      device.pending_policy_key = 0;
      key = std::to_string(device.policy_key);
      p.Status = 1;
      p.PolicyKey = key;
    } else {
      p.Status = 5;  // MS-ASPROV 2.2.2.54.2: the client acknowledged the wrong policy key
      return wbxml(out);
    }
    db_.set_device(r.user, r.line.DeviceId, device);
    return wbxml(out);
  }

  // --- FolderSync (MS-ASCMD 2.2.1.5) ---------------------------------------------------------

  /// One line per folder: id, parent, name and type, tab-separated, in ServerId order.
  static std::string snapshot(const std::vector<oxwire::server::folder>& folders) {
    std::string s;
    for (const auto& f : folders)
      s += f.server_id + '\t' + f.parent_id + '\t' + f.display_name + '\t' +
           std::to_string(f.type) + '\n';
    return s;
  }
  static std::map<std::string, std::string> by_id(const std::string& snap) {
    std::map<std::string, std::string> m;
    std::size_t at = 0;
    while (at < snap.size()) {
      const auto nl = snap.find('\n', at);
      const std::string line = snap.substr(at, nl - at);
      m.emplace(line.substr(0, line.find('\t')), line);
      at = nl + 1;
    }
    return m;
  }

  http::response folder_sync(const as_request& r) {
    model::FolderSync out;
    auto req = as::decode<model::request::FolderSync>(bytes(r.http.body));
    if (!req) {
      out.Status = 10;  // MS-ASCMD 2.2.3.177.5: incorrectly formatted request
      return wbxml(out);
    }
    auto device = db_.device(r.user, r.line.DeviceId);
    const std::optional<std::uint32_t> key = parse_u32(req->SyncKey);
    if (!key || (*key != 0 && *key != device.folder_sync_key)) {
      out.Status = 9;  // synchronization key mismatch or invalid
      return wbxml(out);
    }
    const auto folders = db_.folders(r.user);
    const std::string now = snapshot(folders);
    const auto before = by_id(*key == 0 ? std::string() : device.folder_snapshot);
    auto& changes = out.Changes.emplace();
    for (const auto& f : folders) {
      const auto it = before.find(f.server_id);
      if (it == before.end())
        changes.Add.push_back({f.server_id, f.parent_id, f.display_name, f.type});
      else if (it->second != by_id(now).at(f.server_id))
        changes.Update.push_back({f.server_id, f.parent_id, f.display_name, f.type});
    }
    const auto after = by_id(now);
    for (const auto& [id, line] : before)
      if (!after.contains(id)) changes.Delete.push_back({id});
    changes.Count = static_cast<std::uint32_t>(changes.Add.size() + changes.Update.size() +
                                               changes.Delete.size());
    if (*key == 0 || *changes.Count > 0) {
      device.folder_sync_key = *key == 0 ? 1 : device.folder_sync_key + 1;
      device.folder_snapshot = now;
      db_.set_device(r.user, r.line.DeviceId, device);
    }
    const std::string new_key = std::to_string(device.folder_sync_key);
    out.Status = 1;
    out.SyncKey = new_key;
    return wbxml(out);
  }

  // --- Sync (MS-ASCMD 2.2.1.21) --------------------------------------------------------------

  struct changes {
    std::vector<const oxwire::server::item*> add, change;
    std::vector<std::string> remove;
  };
  /// What a device lacks of a folder, against what it was sent.
  static changes diff(const std::vector<oxwire::server::item>& items,
                      const oxwire::server::sent_items& sent) {
    changes c;
    std::map<std::string_view, bool> present;
    for (const auto& i : items) {
      present.emplace(i.server_id, true);
      const auto it = sent.find(i.server_id);
      if (it == sent.end())
        c.add.push_back(&i);
      else if (it->second != i.modseq)
        c.change.push_back(&i);
    }
    for (const auto& [id, modseq] : sent)
      if (!present.contains(id)) c.remove.push_back(id);
    return c;
  }

  http::response sync(const as_request& r) {
    model::Sync out;
    // MS-ASCMD 2.2.3.177.17 Status 13: an empty request with no cached one to reuse
    if (r.http.body.empty()) return out.Status = 13, wbxml(out);
    auto doc = wbxml::decode(bytes(r.http.body));
    if (!doc) return status_only(400);
    const tree_view t(*doc);
    const auto root = t.root(tag("AirSync", "Sync"));
    const auto collections =
        t.children(t.child(root, tag("AirSync", "Collections")), tag("AirSync", "Collection"));
    if (collections.empty()) return out.Status = 4, wbxml(out);  // protocol error
    // MS-ASCMD 2.2.3.199: WindowSize 1..512, default 100; under Sync (14.0+) it is a total
    std::uint32_t budget = parse_u32(t.text(root, tag("AirSync", "WindowSize"))).value_or(512);
    budget = std::clamp<std::uint32_t>(budget, 1, 512);
    arena strings;
    std::vector<std::vector<oxwire::server::item>> keep_items;
    auto& list = out.Collections.emplace().Collection;
    for (const auto c : collections) {
      auto& col = list.emplace_back();
      const auto id = t.text(c, tag("AirSync", "CollectionId")).value_or("");
      const auto key = parse_u32(t.text(c, tag("AirSync", "SyncKey")));
      col.CollectionId.push_back(strings.keep(std::string(id)));
      const auto folder = db_.find_folder(r.user, id);
      if (!folder) {
        col.Status.push_back(8);  // object not found
        continue;
      }
      const std::uint32_t current = db_.sync_key(r.user, r.line.DeviceId, id);
      if (!key || (*key != 0 && *key != current)) {
        col.SyncKey.push_back("0");
        col.Status.push_back(3);  // invalid synchronization key
        continue;
      }
      if (*key == 0) {
        // MS-ASCMD 3.1.5.3: the first Sync of a collection only issues a key
        db_.commit_sync(r.user, r.line.DeviceId, id, 1, {});
        col.SyncKey.push_back("1");
        col.Status.push_back(1);
        continue;
      }
      const auto window = std::clamp<std::uint32_t>(
          parse_u32(t.text(c, tag("AirSync", "WindowSize"))).value_or(budget), 1, budget);
      const auto get_changes = t.text(c, tag("AirSync", "GetChanges"));
      const auto& items = keep_items.emplace_back(db_.items(r.user, id));
      std::vector<std::pair<std::string, std::optional<std::int64_t>>> sent;
      if (get_changes != "0") {
        const auto d = diff(items, db_.sent(r.user, r.line.DeviceId, id));
        auto& cmds = col.Commands.emplace_back();
        application_data_writer writer(strings);
        const auto cls = class_of_folder(folder->type);
        std::uint32_t n = 0;
        for (const auto* i : d.add) {
          if (n == window) break;
          auto& add = cmds.Add.emplace_back();
          add.ServerId = i->server_id;
          writer.write(cls, i->props, db_.attachments(r.user, i->server_id), i->server_id,
                       add.ApplicationData);
          sent.emplace_back(i->server_id, i->modseq);
          ++n;
        }
        for (const auto* i : d.change) {
          if (n == window) break;
          auto& change = cmds.Change.emplace_back();
          change.ServerId = i->server_id;
          writer.write(cls, i->props, db_.attachments(r.user, i->server_id), i->server_id,
                       change.ApplicationData);
          sent.emplace_back(i->server_id, i->modseq);
          ++n;
        }
        for (const auto& gone : d.remove) {
          if (n == window) break;
          cmds.Delete.push_back({{}, strings.keep(gone)});
          sent.emplace_back(gone, std::nullopt);
          ++n;
        }
        if (n < d.add.size() + d.change.size() + d.remove.size()) col.MoreAvailable.emplace_back();
        if (n == 0) col.Commands.clear();
        budget -= std::min(budget - 1, n);
      }
      const std::uint32_t next = current + 1;
      db_.commit_sync(r.user, r.line.DeviceId, id, next, sent);
      col.SyncKey.push_back(strings.keep(std::to_string(next)));
      col.Status.push_back(1);
    }
    return wbxml(out);
  }

  // --- Ping (MS-ASCMD 2.2.1.13) --------------------------------------------------------------

  outcome ping(const as_request& r) {
    model::Ping out;
    auto req = as::decode<model::request::Ping>(bytes(r.http.body));
    // MS-ASCMD 2.2.3.84.1: HeartbeatInterval 60..3540 s; outside: Status 5 with the bound
    constexpr std::int64_t min_beat = 60, max_beat = 3540;
    if (!req || !req->Folders || req->Folders->Folder.empty())
      return {(out.Status = 3, wbxml(out)), {}, {}};  // missing parameters
    const std::int64_t beat = req->HeartbeatInterval.value_or(min_beat);
    if (beat < min_beat || beat > max_beat) {
      out.Status = 5;
      out.HeartbeatInterval = beat < min_beat ? min_beat : max_beat;
      return {wbxml(out), {}, {}};
    }
    std::vector<std::string> ids;
    for (const auto& f : req->Folders->Folder) ids.emplace_back(f.Id);
    const user_id u = r.user;
    const std::string device(r.line.DeviceId);
    auto poll = [this, u, device, ids](bool expired) -> std::optional<http::response> {
      model::Ping p;
      std::vector<std::string_view> changed;
      for (const auto& id : ids) {
        if (!db_.find_folder(u, id)) return p.Status = 7, wbxml(p);  // hierarchy out of date
        if (db_.sync_key(u, device, id) == 0) continue;
        const auto items = db_.items(u, id);
        const auto d = diff(items, db_.sent(u, device, id));
        if (!d.add.empty() || !d.change.empty() || !d.remove.empty()) changed.push_back(id);
      }
      if (!changed.empty()) {
        p.Status = 2;  // changes found
        p.Folders = model::Ping_Folders{changed};
        return wbxml(p);
      }
      if (!expired) return std::nullopt;
      p.Status = 1;  // heartbeat expired, nothing changed
      return wbxml(p);
    };
    if (auto now = poll(false)) return {std::move(now), {}, {}};
    return {std::nullopt, std::move(poll), std::chrono::seconds(beat)};
  }

  store& db_;
};

}  // namespace oxwire_server
