// ItemOperations (MS-ASCMD 2.2.1.10): Fetch of a mailbox item (with BodyPreference) or of an
// attachment by FileReference, EmptyFolderContents (with DeleteSubFolders) and Move of a
// conversation. The request is read through its generated model and the answer written through
// the response model; attachment data is the base64 string MS-ASCMD 2.2.3.39.2 specifies.
#pragma once

#include "application_data.hpp"
#include "request_tree.hpp"
#include "sync_command.hpp"
#include "wire.hpp"

#include <oxwire/core/base64.hpp>
#include <oxwire/gen/activesync/models/itemoperations.hpp>
#include <oxwire/gen/activesync/models/itemoperations_request.hpp>
#include <oxwire/server/store.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace oxwire_server {

/// MS-ASCMD 2.2.3.177.8 Status (ItemOperations).
using oxwire::gen::activesync::ItemOperationsStatus;

/// A FileReference this server hands out (application_data.hpp, MS-ASAIRS 2.2.2.24): the item's
/// ServerId "<folder>:<n>" and the attachment's number, "<folder>:<n>:<i>", all decimal. Anything
/// else (path separators, dots, signs, other users' names) is not a reference at all; it is
/// resolved only against the authenticated user's own items, never against a file system.
struct file_reference {
  std::string item_id;
  std::uint32_t number = 0;

  [[nodiscard]] static std::optional<file_reference> parse(std::string_view s) {
    const auto first = s.find(':');
    const auto last = s.rfind(':');
    if (first == std::string_view::npos || first == last) return std::nullopt;
    const auto folder = parse_u32(s.substr(0, first));
    const auto item = parse_u32(s.substr(first + 1, last - first - 1));
    const auto number = parse_u32(s.substr(last + 1));
    if (!folder || !item || !number) return std::nullopt;
    return file_reference{std::string(s.substr(0, last)), *number};
  }
};

/// ItemOperations Range (MS-ASCMD 2.2.3.143.1): "first-last", zero-based and inclusive, of
/// `total` bytes; `last` is cut to the end of the data. nullopt if malformed or past the end.
[[nodiscard]] inline std::optional<std::pair<std::size_t, std::size_t>> byte_range(
    std::string_view range, std::size_t total) {
  const auto dash = range.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto first = parse_u32(range.substr(0, dash));
  const auto last = parse_u32(range.substr(dash + 1));
  if (!first || !last || *first > *last || *first >= total) return std::nullopt;
  return std::pair<std::size_t, std::size_t>{*first, std::min<std::size_t>(*last, total - 1)};
}

/// One ItemOperations request of one user.
class item_operations {
 public:
  item_operations(store& db, user_id u, as::protocol_version v) : db_(db), user_(u), version_(v) {}

  [[nodiscard]] http::response run(const std::string& body) {
    using st = ItemOperationsStatus;
    model::ItemOperations out;
    const auto req = as::decode<model::request::ItemOperations>(bytes_of(body));
    if (!req) return out.Status = status_value(st::ProtocolError), wbxml_response(out, version_);
    return db_.transaction([&] {
      auto& resp = out.Response.emplace();
      for (const auto& m : req->Move) resp.Move.push_back(move(m));
      for (const auto& e : req->EmptyFolderContents) resp.EmptyFolderContents.push_back(empty(e));
      for (const auto& f : req->Fetch) resp.Fetch.push_back(fetch(f));
      out.Status = status_value(st::Success);
      return wbxml_response(out, version_);
    });
  }

 private:
  // --- Fetch (MS-ASCMD 2.2.3.67.1) -----------------------------------------------------------

  model::ItemOperations_Response_Fetch fetch(const model::request::ItemOperations_Fetch& f) {
    using st = ItemOperationsStatus;
    model::ItemOperations_Response_Fetch r;
    r.CollectionId = f.CollectionId;
    r.ServerId = f.ServerId;
    r.FileReference = f.FileReference;
    // MS-ASCMD 2.2.3.168.1 Store: only the mailbox is served here (no document libraries)
    if (f.Store != "Mailbox") return r.Status = status_value(st::UnknownStore), r;
    // Exactly one of an item or an attachment (MS-ASCMD 2.2.3.67.1: one FileReference per Fetch)
    if (f.FileReference.has_value() == f.ServerId.has_value() || f.LongId || f.LinkId)
      return r.Status = status_value(st::ProtocolError), r;
    const auto* options = f.Options ? &*f.Options : nullptr;
    if (f.FileReference) return attachment(*f.FileReference, options, r);
    const auto it = db_.find_item(user_, *f.ServerId);
    const auto folder_id = f.ServerId->substr(0, f.ServerId->find(':'));
    if (!it || (f.CollectionId && *f.CollectionId != folder_id))
      return r.Status = status_value(st::ObjectNotFound), r;
    const auto folder = db_.find_folder(user_, folder_id);
    if (!folder) return r.Status = status_value(st::ObjectNotFound), r;
    const auto c = class_of_folder(folder->type);
    r.CollectionId = strings_.keep(std::string(folder_id));
    r.Class = class_name_of(c);
    application_data_writer(strings_, options ? body_options::of(*options) : body_options{},
                            version_)
        .write(c, it->props, db_.attachments(user_, it->server_id), it->server_id,
               r.Properties.emplace(), db_.recipients(user_, it->server_id));
    r.Status = status_value(st::Success);
    return r;
  }

  /// An attachment's bytes, base64 in Properties/Data (MS-ASCMD 2.2.3.39.2), with its
  /// ContentType, the Range sent and the Total size (MS-ASCMD 2.2.3.184.2).
  model::ItemOperations_Response_Fetch attachment(
      std::string_view reference, const model::request::ItemOperations_Fetch_Options* options,
      model::ItemOperations_Response_Fetch& r) {
    using st = ItemOperationsStatus;
    const auto ref = file_reference::parse(reference);
    if (!ref) return r.Status = status_value(st::InvalidAttachment), r;
    const auto all = db_.attachments(user_, ref->item_id);
    if (ref->number >= all.size()) return r.Status = status_value(st::InvalidAttachment), r;
    const auto& a = all[ref->number];
    const auto data = a.get(prop::PidTagAttachDataBinary);
    const oxwire::bytes_view bytes =
        data ? oxwire::bytes_view(data->data(), data->size()) : oxwire::bytes_view();
    auto& p = r.Properties.emplace();
    std::vector<std::string_view> mime;
    if (const auto tag = a.get(prop::PidTagAttachMimeTag))
      if (auto u = oxwire::utf16::to_utf8(*tag, oxwire::utf16::policy::replace))
        p.AirSyncBase_ContentType.push_back(strings_.keep(std::move(*u)));
    p.Total.push_back(static_cast<std::int64_t>(bytes.size()));
    std::size_t first = 0, count = bytes.size();
    if (options && options->Range) {
      const auto range = byte_range(*options->Range, bytes.size());
      if (!range) {
        r.Properties.reset();
        return r.Status = status_value(st::InvalidByteRange), r;
      }
      first = range->first;
      count = range->second - range->first + 1;
      p.Range.push_back(
          strings_.keep(std::to_string(range->first) + "-" + std::to_string(range->second)));
    }
    p.Data.push_back(strings_.keep(oxwire::base64::encode(bytes.subspan(first, count))));
    r.Status = status_value(st::Success);
    return r;
  }

  // --- EmptyFolderContents (MS-ASCMD 2.2.3.58) -----------------------------------------------

  /// Deletes the folder's items, and its subfolders with DeleteSubFolders (MS-ASCMD 2.2.3.45).
  model::ItemOperations_Response_EmptyFolderContents empty(
      const model::request::ItemOperations_EmptyFolderContents& e) {
    using st = ItemOperationsStatus;
    model::ItemOperations_Response_EmptyFolderContents r{.Status = status_value(st::Success),
                                                         .CollectionId = e.CollectionId};
    if (!db_.find_folder(user_, e.CollectionId))
      return r.Status = status_value(st::ObjectNotFound), r;
    for (const auto& it : db_.items(user_, e.CollectionId)) db_.delete_item(user_, it.server_id);
    if (e.Options && e.Options->DeleteSubFolders)
      for (const auto& f : db_.folders(user_))
        if (f.parent_id == e.CollectionId) db_.delete_folder(user_, f.server_id);
    return r;
  }

  // --- Move (MS-ASCMD 2.2.3.117.1) -----------------------------------------------------------

  /// Moves every item of the conversation (PidTagConversationId, MS-OXOMSG 2.2.1.2) to DstFldId.
  model::ItemOperations_Response_Move move(const model::request::ItemOperations_Move& m) {
    using st = ItemOperationsStatus;
    model::ItemOperations_Response_Move r{.Status = status_value(st::Success),
                                          .ConversationId = m.ConversationId};
    if (!db_.find_folder(user_, m.DstFldId)) return r.Status = status_value(st::ObjectNotFound), r;
    const auto& id = m.ConversationId.data;
    std::size_t moved = 0;
    for (const auto& f : db_.folders(user_))
      for (const auto& it : db_.items(user_, f.server_id)) {
        const auto c = it.props.get(prop::PidTagConversationId);
        if (!c || !std::equal(c->begin(), c->end(), id.begin(), id.end())) continue;
        ++moved;
        if (f.server_id != m.DstFldId) db_.move_item(user_, it.server_id, m.DstFldId);
      }
    if (moved == 0) r.Status = status_value(st::ObjectNotFound);
    return r;
  }

  store& db_;
  user_id user_;
  as::protocol_version version_;
  arena strings_;
};

}  // namespace oxwire_server
