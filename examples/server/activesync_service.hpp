// The ActiveSync endpoint (/Microsoft-Server-ActiveSync): MS-ASHTTP request line and headers,
// OPTIONS, and the commands Provision (MS-ASPROV), FolderSync, FolderCreate, FolderUpdate,
// FolderDelete, Sync (sync_command.hpp), GetItemEstimate, MoveItems, Ping, ItemOperations
// (item_operations.hpp), SendMail, SmartReply, SmartForward and MeetingResponse
// (mail_commands.hpp) (MS-ASCMD). Requests
// are decoded and responses encoded through the library: ashttp.hpp for the HTTP layer, the
// generated models (model_codec.hpp) for bodies, the WBXML tree for the Provision request.
#pragma once

#include "application_data.hpp"
#include "item_operations.hpp"
#include "mail_commands.hpp"
#include "request_tree.hpp"
#include "resolve_commands.hpp"
#include "search_commands.hpp"
#include "settings_commands.hpp"
#include "sync_command.hpp"
#include "wire.hpp"

#include <oxwire/activesync/ashttp.hpp>
#include <oxwire/activesync/model_codec.hpp>
#include <oxwire/gen/activesync/models/foldercreate.hpp>
#include <oxwire/gen/activesync/models/foldercreate_request.hpp>
#include <oxwire/gen/activesync/models/folderdelete.hpp>
#include <oxwire/gen/activesync/models/folderdelete_request.hpp>
#include <oxwire/gen/activesync/models/foldersync.hpp>
#include <oxwire/gen/activesync/models/foldersync_request.hpp>
#include <oxwire/gen/activesync/models/folderupdate.hpp>
#include <oxwire/gen/activesync/models/folderupdate_request.hpp>
#include <oxwire/gen/activesync/models/getitemestimate.hpp>
#include <oxwire/gen/activesync/models/getitemestimate_request.hpp>
#include <oxwire/gen/activesync/models/moveitems.hpp>
#include <oxwire/gen/activesync/models/moveitems_request.hpp>
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
#include <variant>
#include <vector>

namespace oxwire_server {

using oxwire::gen::activesync::FolderCreateStatus;
using oxwire::gen::activesync::FolderDeleteStatus;
using oxwire::gen::activesync::FolderSyncStatus;
using oxwire::gen::activesync::FolderUpdateStatus;
using oxwire::gen::activesync::GetItemEstimateStatus;
using oxwire::gen::activesync::MoveItemsStatus;
using oxwire::gen::activesync::PingStatus;
using oxwire::gen::activesync::ProvisionPolicyStatus;
using oxwire::gen::activesync::ProvisionStatus;
using oxwire::gen::activesync::SettingsOperationStatus;

/// The versions this server speaks (MS-ASHTTP 2.2.4.1.2.2).
inline constexpr std::array<as::protocol_version, 5> supported_versions{
    as::protocol_version::v12_1, as::protocol_version::v14_0, as::protocol_version::v14_1,
    as::protocol_version::v16_0, as::protocol_version::v16_1};

/// A reply now, or a long poll (Ping): `poll(false)` answers once something changed, and
/// `poll(true)` must answer when the heartbeat has run out. The listener asks `poll` again
/// whenever a change of `user`'s mailbox commits (store::on_change), not on a clock.
struct outcome {
  std::optional<http::response> now;
  std::function<std::optional<http::response>(bool expired)> poll;
  std::chrono::seconds heartbeat{0};
  user_id user = 0;
};

/// One authenticated ActiveSync request after its request line and headers were read.
struct as_request {
  user_id user;
  as::request_line line;
  as::protocol_version version;
  const http::request& http;
  oxwire::server::device_state device;  // as stored when the request came
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
    constexpr std::array<std::string_view, 20> implemented{"Sync",
                                                           "FolderSync",
                                                           "FolderCreate",
                                                           "FolderUpdate",
                                                           "FolderDelete",
                                                           "GetItemEstimate",
                                                           "MoveItems",
                                                           "Ping",
                                                           "ItemOperations",
                                                           "Provision",
                                                           "Search",
                                                           "Find",
                                                           "SendMail",
                                                           "SmartReply",
                                                           "SmartForward",
                                                           "MeetingResponse",
                                                           "Settings",
                                                           "GetAttachment",
                                                           "ResolveRecipients",
                                                           "ValidateCert"};
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
    // one transaction per command: its reads share one snapshot (a read transaction per
    // statement was a fifth of a FolderSync's time), its writes commit together
    return db_.transaction(
        [&] {
          auto device = db_.device(u, line->DeviceId);
          return command({u, std::move(*line), *version, req, std::move(device)}, *policy_key);
        },
        oxwire::server::commit_level::state);  // durable if a command changed user data
  }

 private:
  outcome command(const as_request& r, std::uint32_t policy_key) {
    const auto u = r.user;
    const auto& req = r.http;
    if (r.line.Cmd == "Provision") return {provision(r), {}, {}};
    // MS-ASPROV 3.2.5.1.1: a device without the current policy key is told to provision
    if (r.device.policy_key == 0 || policy_key != r.device.policy_key)
      return {status_only(449), {}, {}};
    if (r.line.Cmd == "FolderSync") return {folder_sync(r), {}, {}};
    if (r.line.Cmd == "FolderCreate") return {folder_create(r), {}, {}};
    if (r.line.Cmd == "FolderUpdate") return {folder_update(r), {}, {}};
    if (r.line.Cmd == "FolderDelete") return {folder_delete(r), {}, {}};
    if (r.line.Cmd == "Sync") return sync(r);
    if (r.line.Cmd == "GetItemEstimate") return {get_item_estimate(r), {}, {}};
    if (r.line.Cmd == "MoveItems") return {move_items(r), {}, {}};
    if (r.line.Cmd == "Ping") return ping(r);
    if (r.line.Cmd == "ItemOperations")
      return {item_operations(db_, u, r.version).run(req.body), {}, {}};
    if (r.line.Cmd == "Search")
      return {search_commands(db_, u, r.version).search(req.body), {}, {}};
    if (r.line.Cmd == "Find" && r.version >= as::protocol_version::v16_1)
      return {search_commands(db_, u, r.version).find(req.body), {}, {}};
    if (r.line.Cmd == "Settings")
      return {settings_command(db_, u, r.line.DeviceId, r.version).run(req.body), {}, {}};
    if (r.line.Cmd == "ResolveRecipients")
      return {resolve_command(db_, u, r.version).run(req.body), {}, {}};
    if (r.line.Cmd == "ValidateCert") return {validate_cert(req.body, r.version), {}, {}};
    if (r.line.Cmd == "GetAttachment")
      return {get_attachment(db_, u, r.version, r.line.AttachmentName), {}, {}};
    if (r.line.Cmd == "SendMail" || r.line.Cmd == "SmartReply" || r.line.Cmd == "SmartForward")
      return {mail_commands(db_, u, r.line.DeviceId, r.version).compose(r.line.Cmd, r.line, req),
              {},
              {}};
    if (r.line.Cmd == "MeetingResponse")
      return {mail_commands(db_, u, r.line.DeviceId, r.version).meeting_response(req), {}, {}};
    return {status_only(501), {}, {}};
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
    auto doc = wbxml::decode(bytes_of(r.http.body));
    if (!doc) return status_only(400);
    const tree_view t(*doc);
    const auto root = t.root(tag("Provision", "Provision"));
    const auto policy =
        t.child(t.child(root, tag("Provision", "Policies")), tag("Provision", "Policy"));
    if (t.child(root, tag("Settings", "DeviceInformation")) != tree_view::npos)
      out.DeviceInformation =
          model::DeviceInformation{.Status = status_value(SettingsOperationStatus::Success)};
    if (policy == tree_view::npos) {
      out.Status = status_value(ProvisionStatus::ProtocolError);  // MS-ASPROV 2.2.2.54.2
      return wbxml_response(out, r.version);
    }
    out.Status = status_value(ProvisionStatus::Success);
    auto& p = out.Policies.emplace().Policy;
    const auto type = t.text(policy, tag("Provision", "PolicyType"));
    p.PolicyType = type.value_or("");
    if (type != "MS-EAS-Provisioning-WBXML") {
      p.Status = status_value(ProvisionPolicyStatus::UnknownPolicyType);  // MS-ASPROV 2.2.2.54.1
      return wbxml_response(out, r.version);
    }
    auto device = r.device;
    std::string key;
    if (const auto ack = t.text(policy, tag("Provision", "PolicyKey")); !ack) {
      // Phase 1: the policy and a temporary key
      device.pending_policy_key = random_key();
      key = std::to_string(device.pending_policy_key);
      p.Status = status_value(ProvisionPolicyStatus::Success);
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
      p.Status = status_value(ProvisionPolicyStatus::Success);
      p.PolicyKey = key;
    } else {
      p.Status = status_value(ProvisionPolicyStatus::WrongPolicyKey);  // MS-ASPROV 2.2.2.54.1
      return wbxml_response(out, r.version);
    }
    db_.set_device(r.user, r.line.DeviceId, device);
    return wbxml_response(out, r.version);
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
    auto req = as::decode<model::request::FolderSync>(bytes_of(r.http.body));
    if (!req) {
      out.Status = status_value(FolderSyncStatus::MalformedRequest);  // MS-ASCMD 2.2.3.177.5
      return wbxml_response(out, r.version);
    }
    auto device = r.device;
    const std::optional<std::uint32_t> key = parse_u32(req->SyncKey);
    if (!key || (*key != 0 && *key != device.folder_sync_key)) {
      out.Status = status_value(FolderSyncStatus::InvalidSyncKey);
      return wbxml_response(out, r.version);
    }
    const auto folders = db_.folders(r.user);
    const std::string now = snapshot(folders);
    auto& changes = out.Changes.emplace();
    changes.Count = 0;
    std::map<std::string, std::string> before, after;  // Delete's ServerIds point into `before`
    if (*key == 0 || now != device.folder_snapshot) {  // (the usual case: nothing changed)
      before = by_id(*key == 0 ? std::string() : device.folder_snapshot);
      after = by_id(now);
      for (const auto& f : folders) {
        const auto it = before.find(f.server_id);
        if (it == before.end())
          changes.Add.push_back({f.server_id, f.parent_id, f.display_name, f.type});
        else if (it->second != after.at(f.server_id))
          changes.Update.push_back({f.server_id, f.parent_id, f.display_name, f.type});
      }
      for (const auto& [id, line] : before)
        if (!after.contains(id)) changes.Delete.push_back({id});
      changes.Count = static_cast<std::uint32_t>(changes.Add.size() + changes.Update.size() +
                                                 changes.Delete.size());
      // (a snapshot that differs only in its order is stored again without a new key)
      if (*key == 0 || *changes.Count > 0)
        device.folder_sync_key = *key == 0 ? 1 : device.folder_sync_key + 1;
      device.folder_snapshot = now;
      db_.set_device(r.user, r.line.DeviceId, device);
    }
    const std::string new_key = std::to_string(device.folder_sync_key);
    out.Status = status_value(FolderSyncStatus::Success);
    out.SyncKey = new_key;
    return wbxml_response(out, r.version);
  }

  // --- FolderCreate, FolderUpdate, FolderDelete (MS-ASCMD 2.2.1.3, 2.2.1.6, 2.2.1.4) ----------

  /// Default folders (MS-ASCMD 2.2.3.186.3 Type 2..11, 19): not renamed, moved or deleted.
  static bool special(int type) { return (type >= 2 && type <= 11) || type == 19; }

  /// The folder and its descendants.
  static std::vector<std::string> subtree(const std::vector<oxwire::server::folder>& all,
                                          std::string_view id) {
    std::vector<std::string> out{std::string(id)};
    for (std::size_t i = 0; i < out.size(); ++i)
      for (const auto& f : all)
        if (f.parent_id == out[i]) out.push_back(f.server_id);
    return out;
  }

  /// A folder command changed the hierarchy: the device that made the change has it already,
  /// so only that change enters its snapshot (other devices' changes still reach it through
  /// FolderSync), and its hierarchy key advances. The new key.
  std::string hierarchy_changed(const as_request& r, oxwire::server::device_state& device,
                                const std::vector<std::string>& ids) {
    auto lines = by_id(device.folder_snapshot);
    const auto now = by_id(snapshot(db_.folders(r.user)));
    for (const auto& id : ids)
      if (const auto it = now.find(id); it != now.end())
        lines[id] = it->second;
      else
        lines.erase(id);
    device.folder_snapshot.clear();
    for (const auto& [id, line] : lines) device.folder_snapshot += line + '\n';
    ++device.folder_sync_key;
    db_.set_device(r.user, r.line.DeviceId, device);
    return std::to_string(device.folder_sync_key);
  }

  /// Decodes a folder command and checks its hierarchy key; Status 10 (malformed) or 9 (key)
  /// of MS-ASCMD 2.2.3.177.3/4/6 on failure.
  template <class Request>
  std::variant<Request, std::int64_t> folder_request(const as_request& r,
                                                     oxwire::server::device_state& device) {
    // The three tables give these two failures the same values
    static_assert(status_value(FolderCreateStatus::MalformedRequest) ==
                      status_value(FolderUpdateStatus::MalformedRequest) &&
                  status_value(FolderUpdateStatus::MalformedRequest) ==
                      status_value(FolderDeleteStatus::MalformedRequest) &&
                  status_value(FolderCreateStatus::InvalidSyncKey) ==
                      status_value(FolderUpdateStatus::InvalidSyncKey) &&
                  status_value(FolderUpdateStatus::InvalidSyncKey) ==
                      status_value(FolderDeleteStatus::InvalidSyncKey));
    auto req = as::decode<Request>(bytes_of(r.http.body));
    if (!req) return status_value(FolderCreateStatus::MalformedRequest);
    device = db_.device(r.user, r.line.DeviceId);
    const auto key = parse_u32(req->SyncKey);
    if (!key || *key == 0 || *key != device.folder_sync_key)
      return status_value(FolderCreateStatus::InvalidSyncKey);
    return *req;
  }

  http::response folder_create(const as_request& r) {
    model::FolderCreate out;
    oxwire::server::device_state device;
    return db_.transaction([&] {
      auto req = folder_request<model::request::FolderCreate>(r, device);
      if (auto* status = std::get_if<std::int64_t>(&req))
        return out.Status = *status, wbxml_response(out, r.version);
      const auto& q = std::get<0>(req);
      // MS-ASCMD 2.2.3.186.2: user-created folders are Type 1 or 12..17
      if ((q.Type != 1 && (q.Type < 12 || q.Type > 17)) || q.DisplayName.empty())
        return out.Status = status_value(FolderCreateStatus::MalformedRequest),
               wbxml_response(out, r.version);
      const auto all = db_.folders(r.user);
      const auto parent = std::find_if(all.begin(), all.end(),
                                       [&](const auto& f) { return f.server_id == q.ParentId; });
      using enum FolderCreateStatus;
      if (q.ParentId != "0" && parent == all.end())
        return out.Status = status_value(ParentFolderNotFound), wbxml_response(out, r.version);
      if (parent != all.end() && parent->type == 19)  // the Recipient information folder
        return out.Status = status_value(SpecialParentFolder), wbxml_response(out, r.version);
      for (const auto& f : all)
        if (f.parent_id == q.ParentId && f.display_name == q.DisplayName)
          return out.Status = status_value(FolderExists), wbxml_response(out, r.version);
      oxwire::server::folder f{db_.next_folder_id(r.user), std::string(q.ParentId),
                               std::string(q.DisplayName), q.Type, new_bag()};
      f.props.set(prop::PidTagDisplayName, u16_of(q.DisplayName));
      db_.add_folder(r.user, f);
      const std::string key = hierarchy_changed(r, device, {f.server_id});
      out.Status = status_value(Success);
      out.SyncKey = key;
      out.ServerId = f.server_id;
      return wbxml_response(out, r.version);
    });
  }

  http::response folder_update(const as_request& r) {
    model::FolderUpdate out;
    oxwire::server::device_state device;
    return db_.transaction([&] {
      auto req = folder_request<model::request::FolderUpdate>(r, device);
      if (auto* status = std::get_if<std::int64_t>(&req))
        return out.Status = *status, wbxml_response(out, r.version);
      const auto& q = std::get<0>(req);
      using enum FolderUpdateStatus;
      if (q.DisplayName.empty())
        return out.Status = status_value(MalformedRequest), wbxml_response(out, r.version);
      const auto all = db_.folders(r.user);
      const auto find = [&](std::string_view id) {
        return std::find_if(all.begin(), all.end(),
                            [&](const auto& f) { return f.server_id == id; });
      };
      const auto self = find(q.ServerId);
      if (self == all.end())
        return out.Status = status_value(FolderNotFound), wbxml_response(out, r.version);
      if (self->type == 19)
        return out.Status = status_value(RecipientInformationFolder),
               wbxml_response(out, r.version);
      if (special(self->type))
        return out.Status = status_value(FolderExistsOrSpecialFolder),
               wbxml_response(out, r.version);
      // The new parent must exist and not be the folder or one below it
      const auto below = subtree(all, q.ServerId);
      if ((q.ParentId != "0" && find(q.ParentId) == all.end()) ||
          std::find(below.begin(), below.end(), q.ParentId) != below.end())
        return out.Status = status_value(ParentFolderNotFound), wbxml_response(out, r.version);
      for (const auto& f : all)
        if (f.server_id != q.ServerId && f.parent_id == q.ParentId &&
            f.display_name == q.DisplayName)
          return out.Status = status_value(FolderExistsOrSpecialFolder),
                 wbxml_response(out, r.version);
      db_.update_folder(r.user, q.ServerId, q.ParentId, q.DisplayName);
      const std::string key = hierarchy_changed(r, device, {std::string(q.ServerId)});
      out.Status = status_value(Success);
      out.SyncKey = key;
      return wbxml_response(out, r.version);
    });
  }

  http::response folder_delete(const as_request& r) {
    model::FolderDelete out;
    oxwire::server::device_state device;
    return db_.transaction([&] {
      auto req = folder_request<model::request::FolderDelete>(r, device);
      if (auto* status = std::get_if<std::int64_t>(&req))
        return out.Status = *status, wbxml_response(out, r.version);
      const auto& q = std::get<0>(req);
      const auto all = db_.folders(r.user);
      const auto self = std::find_if(all.begin(), all.end(),
                                     [&](const auto& f) { return f.server_id == q.ServerId; });
      using enum FolderDeleteStatus;
      if (self == all.end())
        return out.Status = status_value(FolderNotFound), wbxml_response(out, r.version);
      if (special(self->type))
        return out.Status = status_value(SpecialFolder), wbxml_response(out, r.version);
      const auto doomed = subtree(all, q.ServerId);
      db_.delete_folder(r.user, q.ServerId);
      const std::string key = hierarchy_changed(r, device, doomed);
      out.Status = status_value(Success);
      out.SyncKey = key;
      return wbxml_response(out, r.version);
    });
  }

  // --- GetItemEstimate (MS-ASCMD 2.2.1.9) ----------------------------------------------------

  http::response get_item_estimate(const as_request& r) {
    model::GetItemEstimate out;
    const auto req = as::decode<model::request::GetItemEstimate>(bytes_of(r.http.body));
    if (!req) return out.Status = malformed_status(r.http.body), wbxml_response(out, r.version);
    const std::string device(r.line.DeviceId);
    for (const auto& c : req->Collections.Collection) {
      using enum GetItemEstimateStatus;  // MS-ASCMD 2.2.3.177.7
      auto& resp = out.Response.emplace_back();
      resp.Collection.emplace().CollectionId = c.CollectionId;
      const auto folder = db_.find_folder(r.user, c.CollectionId);
      if (!folder) {
        resp.Status = status_value(InvalidCollection);
        continue;
      }
      const std::uint32_t current = db_.sync_key(r.user, device, c.CollectionId);
      const auto key = parse_u32(c.SyncKey);
      if (current == 0 || key == 0u) {
        resp.Status = status_value(SyncStateNotPrimed);
        continue;
      }
      if (key != current) {
        resp.Status = status_value(InvalidSyncKey);
        continue;
      }
      // FilterType: the 12.1 element, else Options (14.0+), else what the last Sync set
      int filter = db_.filter_type(r.user, device, c.CollectionId);
      if (const auto* o = options_for(c.Options); c.FilterType)
        filter = *c.FilterType;
      else if (o && !o->FilterType.empty())
        filter = o->FilterType.back();
      resp.Status = status_value(Success);
      resp.Collection->Estimate =
          static_cast<std::int64_t>(pending_count(db_, r.user, device, *folder, filter));
    }
    return wbxml_response(out, r.version);
  }

  // --- MoveItems (MS-ASCMD 2.2.1.12) ---------------------------------------------------------

  http::response move_items(const as_request& r) {
    model::MoveItems out;
    const auto req = as::decode<model::request::MoveItems>(bytes_of(r.http.body));
    if (!req) return out.Status = malformed_status(r.http.body), wbxml_response(out, r.version);
    arena strings;
    const std::string device(r.line.DeviceId);
    return db_.transaction([&] {
      for (const auto& m : req->Move) {
        using enum MoveItemsStatus;  // MS-ASCMD 2.2.3.177.10
        auto& resp = out.Response.emplace_back();
        resp.SrcMsgId = m.SrcMsgId;
        const bool in_source = m.SrcMsgId.starts_with(std::string(m.SrcFldId) + ":") &&
                               db_.find_folder(r.user, m.SrcFldId) &&
                               db_.find_item(r.user, m.SrcMsgId);
        if (!in_source) {
          resp.Status = status_value(InvalidSource);
          continue;
        }
        if (m.SrcFldId == m.DstFldId) {
          resp.Status = status_value(SameSourceAndDestination);
          continue;
        }
        const auto moved = db_.move_item(r.user, m.SrcMsgId, m.DstFldId);
        if (!moved) {
          resp.Status = status_value(InvalidDestination);
          continue;
        }
        // The device moved the item itself: it has it in the destination, not in the source
        db_.record_sent(r.user, device, m.SrcFldId, {{std::string(m.SrcMsgId), std::nullopt}});
        db_.record_sent(r.user, device, m.DstFldId,
                        {{*moved, db_.find_item(r.user, *moved)->modseq}});
        resp.Status = status_value(Success);
        resp.DstMsgId = strings.keep(*moved);
      }
      return wbxml_response(out, r.version);
    });
  }

  // --- Sync (MS-ASCMD 2.2.1.21; sync_command.hpp) ---------------------------------------------

  /// Answered now, or held as a long poll like Ping while Wait or HeartbeatInterval asks for it.
  outcome sync(const as_request& r) {
    const std::string device(r.line.DeviceId);
    auto now = sync_command(db_, r.user, device, r.version).run(r.http.body);
    if (auto* answer = std::get_if<http::response>(&now)) return {std::move(*answer), {}, {}};
    auto held = std::get<sync_command::hold>(std::move(now));
    const auto interval = held.interval;
    auto poll = [this, u = r.user, device, v = r.version,
                 h = std::move(held)](bool expired) -> std::optional<http::response> {
      return sync_command(db_, u, device, v).resume(h, expired);
    };
    return {std::nullopt, std::move(poll), interval, r.user};
  }

  // --- Ping (MS-ASCMD 2.2.1.13) --------------------------------------------------------------

  outcome ping(const as_request& r) {
    model::Ping out;
    auto req = as::decode<model::request::Ping>(bytes_of(r.http.body));
    // MS-ASCMD 2.2.3.84.1: HeartbeatInterval 60..3540 s; outside: Status 5 with the bound
    constexpr std::int64_t min_beat = 60, max_beat = 3540;
    if (!req || !req->Folders || req->Folders->Folder.empty())
      return {(out.Status = status_value(PingStatus::MissingParameters),
               wbxml_response(out, r.version)),
              {},
              {}};
    const std::int64_t beat = req->HeartbeatInterval.value_or(min_beat);
    if (beat < min_beat || beat > max_beat) {
      out.Status = status_value(PingStatus::InvalidHeartbeatInterval);
      out.HeartbeatInterval = beat < min_beat ? min_beat : max_beat;
      return {wbxml_response(out, r.version), {}, {}};
    }
    std::vector<std::string> ids;
    for (const auto& f : req->Folders->Folder) ids.emplace_back(f.Id);
    const user_id u = r.user;
    const std::string device(r.line.DeviceId);
    auto poll = [this, u, device, ids,
                 v = r.version](bool expired) -> std::optional<http::response> {
      model::Ping p;
      std::vector<std::string_view> changed;
      for (const auto& id : ids) {
        const auto folder = db_.find_folder(u, id);
        if (!folder)
          return p.Status = status_value(PingStatus::FolderSyncRequired), wbxml_response(p, v);
        if (db_.sync_key(u, device, id) == 0) continue;
        if (pending_count(db_, u, device, *folder, db_.filter_type(u, device, id), 1) > 0)
          changed.push_back(id);
      }
      if (!changed.empty()) {
        p.Status = status_value(PingStatus::ChangesFound);
        p.Folders = model::Ping_Folders{changed};
        return wbxml_response(p, v);
      }
      if (!expired) return std::nullopt;
      p.Status = status_value(PingStatus::HeartbeatExpired);
      return wbxml_response(p, v);
    };
    if (auto now = poll(false)) return {std::move(now), {}, {}};
    return {std::nullopt, std::move(poll), std::chrono::seconds(beat), u};
  }

  store& db_;
};

}  // namespace oxwire_server
