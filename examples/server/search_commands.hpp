// Search (MS-ASCMD 2.2.1.16) of the mailbox and of the GAL, and Find (MS-ASCMD 2.2.1.2, 16.1)
// with the same matcher: a query tree of Class, CollectionId, FreeText, GreaterThan/LessThan on
// email:DateReceived and ConversationId (14.0+), evaluated over the user's items; the GAL is the
// users of this server. Requests are read through the generated request models and answers
// written through the response models.
#pragma once

#include "application_data.hpp"
#include "request_tree.hpp"
#include "wire.hpp"

#include <oxwire/activesync/ashttp.hpp>
#include <oxwire/gen/activesync/models/find.hpp>
#include <oxwire/gen/activesync/models/find_request.hpp>
#include <oxwire/gen/activesync/models/search.hpp>
#include <oxwire/gen/activesync/models/search_request.hpp>
#include <oxwire/server/store.hpp>
#include <oxwire/wbxml/tree.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oxwire_server {

/// MS-ASCMD 2.2.3.177.13 Status (Search): of the Search element, of Store and of gal:Picture.
using oxwire::gen::activesync::SearchPictureStatus;
using oxwire::gen::activesync::SearchStatus;
using oxwire::gen::activesync::SearchStoreStatus;
/// MS-ASCMD 2.2.3.177.2 Status (Find).
using oxwire::gen::activesync::FindStatus;

/// Bounds of a query (a client cannot make the server walk an unbounded tree).
struct search_limits {
  std::size_t max_depth = 8;      // nested And/Or
  std::size_t max_terms = 64;     // Class, CollectionId, FreeText, ... over the whole query
  std::size_t max_results = 100;  // one Range (MS-ASCMD 2.2.3.143.3: at most 100 rows)
};

/// A Range "m-n" (MS-ASCMD 2.2.3.143.3 and 2.2.3.143.1): zero-based, inclusive, cut to `max`
/// rows. Default 0-99. nullopt if malformed.
[[nodiscard]] inline std::optional<std::pair<std::size_t, std::size_t>> search_range(
    std::optional<std::string_view> range, std::size_t max) {
  if (!range) return std::pair<std::size_t, std::size_t>{0, max - 1};
  const auto dash = range->find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto first = parse_u32(range->substr(0, dash));
  const auto last = parse_u32(range->substr(dash + 1));
  if (!first || !last || *first > *last) return std::nullopt;
  return std::pair<std::size_t, std::size_t>{*first,
                                             std::min<std::size_t>(*last, *first + max - 1)};
}

/// ASCII lower case (the matcher is case-insensitive for ASCII letters only).
[[nodiscard]] inline std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

/// The directory matcher of the GAL (Search, Find) and of ResolveRecipients: `value` begins with
/// `query`, ASCII case-insensitive.
[[nodiscard]] inline bool name_matches(std::string_view query, std::string_view value) {
  return lower(value).starts_with(lower(query));
}

/// One stored item as the matcher sees it.
struct search_candidate {
  const oxwire::server::item* it = nullptr;
  std::string folder_id;
  std::vector<std::string> scopes;  // the folder and, with DeepTraversal, its ancestors
  item_class cls = item_class::email;
  std::string text;  // lower-cased searchable text
  std::optional<std::chrono::sys_time<std::chrono::milliseconds>> received;
  std::vector<std::uint8_t> conversation;
};

/// The one query matcher of Search and Find: a node (Query, And) holds when all its terms hold,
/// an Or node when one does. Several Class or several CollectionId values of one node are
/// alternatives (an item has one class and one folder). FreeText holds when every
/// blank-separated word occurs in the item's subject, body, sender, recipients or contact and
/// location fields (ASCII case-insensitive). GreaterThan/LessThan compare email:DateReceived
/// (MS-ASCMD 2.2.3.79, 2.2.3.94); items without one do not match.
class query_matcher {
 public:
  query_matcher(as::protocol_version v, search_limits limits) : version_(v), limits_(limits) {}

  /// MS-ASCMD 2.2.3.177.13 Store Status of a mailbox query: Success when it can be evaluated.
  [[nodiscard]] std::int64_t check(const model::Query& q) {
    terms_ = 0;
    return check(q, 0, true);
  }

  [[nodiscard]] static bool matches(const model::Query& q, const search_candidate& c,
                                    bool any = false) {
    const auto one_of = [](const auto& values, auto&& pred) {
      return values.empty() || std::any_of(values.begin(), values.end(), pred);
    };
    std::vector<bool> terms;
    if (!q.Class.empty())
      terms.push_back(
          one_of(q.Class, [&](std::string_view v) { return v == class_name_of(c.cls); }));
    if (!q.CollectionId.empty())
      terms.push_back(one_of(q.CollectionId, [&](std::string_view v) {
        return std::find(c.scopes.begin(), c.scopes.end(), v) != c.scopes.end();
      }));
    for (const auto& t : q.FreeText) terms.push_back(free_text(t, c.text));
    for (const auto& g : q.GreaterThan) terms.push_back(c.received && *c.received > *time(g.Value));
    for (const auto& l : q.LessThan) terms.push_back(c.received && *c.received < *time(l.Value));
    for (const auto& id : q.ConversationId)
      terms.push_back(
          std::equal(id.data.begin(), id.data.end(), c.conversation.begin(), c.conversation.end()));
    for (const auto& a : q.And) terms.push_back(matches(a, c, false));
    for (const auto& o : q.Or) terms.push_back(matches(o, c, true));
    return any ? std::find(terms.begin(), terms.end(), true) != terms.end()
               : std::find(terms.begin(), terms.end(), false) == terms.end();
  }

 private:
  static std::optional<std::chrono::sys_time<std::chrono::milliseconds>> time(std::string_view v) {
    const auto t = model::date_time{v}.parse();
    if (!t) return std::nullopt;
    return *t;
  }
  static bool free_text(std::string_view query, const std::string& text) {
    const std::string q = lower(query);
    for (std::size_t at = 0; at < q.size();) {
      const auto end = std::min(q.find(' ', at), q.size());
      if (end > at && text.find(q.substr(at, end - at)) == std::string::npos) return false;
      at = end + 1;
    }
    return true;
  }

  std::int64_t check(const model::Query& q, std::size_t depth, bool root) {
    using st = SearchStoreStatus;
    if (depth > limits_.max_depth) return status_value(st::TooComplex);
    // MS-ASCMD 2.2.3.63.2 EqualTo and Query text are for DocumentLibrary and GAL stores only
    if (!q.EqualTo.empty() || !q.text.empty()) return status_value(st::InvalidRequest);
    // MS-ASCMD 2.2.3.35.1 ConversationId: protocol 14.0 and later
    if (!q.ConversationId.empty() && version_ < as::protocol_version::v14_0)
      return status_value(st::InvalidRequest);
    constexpr std::array<std::string_view, 5> classes{"Email", "Contacts", "Calendar", "Tasks",
                                                      "Notes"};
    for (const auto& c : q.Class)
      if (std::find(classes.begin(), classes.end(), c) == classes.end())
        return status_value(st::InvalidRequest);
    const auto dated = [&](const auto& cmp) {
      // MS-ASCMD 2.2.3.79/2.2.3.94: the element compared is email:DateReceived
      return std::all_of(cmp.begin(), cmp.end(), [](const auto& x) {
        return x.DateReceived.size() == 1 && time(x.Value).has_value();
      });
    };
    if (!dated(q.GreaterThan) || !dated(q.LessThan)) return status_value(st::InvalidRequest);
    terms_ += q.Class.size() + q.CollectionId.size() + q.FreeText.size() + q.GreaterThan.size() +
              q.LessThan.size() + q.ConversationId.size() + q.And.size() + q.Or.size();
    if (terms_ > limits_.max_terms) return status_value(st::TooComplex);
    if (terms_ == 0 || (!root && q.Class.empty() && q.CollectionId.empty() && q.FreeText.empty() &&
                        q.GreaterThan.empty() && q.LessThan.empty() && q.ConversationId.empty() &&
                        q.And.empty() && q.Or.empty()))
      return status_value(st::InvalidRequest);  // an empty query or an empty And/Or
    for (const auto* list : {&q.And, &q.Or})
      for (const auto& sub : *list)
        if (const auto s = check(sub, depth + 1, false); s != status_value(st::Success)) return s;
    return status_value(st::Success);
  }

  as::protocol_version version_;
  search_limits limits_;
  std::size_t terms_ = 0;
};

/// The user's items that match a query, newest DateReceived first, and the GAL entries whose
/// name begins with a prefix: the lookups Search and Find share.
class search_engine {
 public:
  search_engine(store& db, user_id u) : db_(db), user_(u) {}

  /// Candidates of every folder; `deep`: a folder is also in the scope of its ancestors
  /// (MS-ASCMD 2.2.3.46 DeepTraversal).
  std::vector<search_candidate> mailbox(const model::Query& q, bool deep) {
    folders_ = db_.folders(user_);
    items_.clear();
    std::vector<search_candidate> out;
    for (const auto& f : folders_) {
      auto& kept = items_.emplace_back(db_.items(user_, f.server_id));
      for (const auto& it : kept) {
        search_candidate c{&it, f.server_id, {f.server_id}, class_of_folder(f.type), {}, {}, {}};
        for (std::string_view p = f.parent_id; deep && p != "0";) {
          const auto parent = std::find_if(folders_.begin(), folders_.end(),
                                           [&](const auto& x) { return x.server_id == p; });
          if (parent == folders_.end() || c.scopes.size() > folders_.size()) break;
          c.scopes.push_back(parent->server_id);
          p = parent->parent_id;
        }
        describe(it.props, c);
        if (query_matcher::matches(q, c)) out.push_back(std::move(c));
      }
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const search_candidate& a, const search_candidate& b) {
                       using time = std::chrono::sys_time<std::chrono::milliseconds>;
                       return a.received.value_or(time{}) > b.received.value_or(time{});
                     });
    return out;
  }

  /// Users whose name begins with `prefix` (ASCII case-insensitive).
  std::vector<std::string> gal(std::string_view prefix) {
    std::vector<std::string> out;
    for (auto& name : db_.user_names())
      if (name_matches(prefix, name)) out.push_back(std::move(name));
    return out;
  }

 private:
  /// The body's text: PidTagBody, or for HTML-only mail the text of PidTagHtml (libxml2).
  static std::string body_text(const mapi::property_bag& bag) {
    if (auto s = utf8_of(bag, prop::PidTagBody); !s.empty()) return s;
    if (const auto html = bag.get(prop::PidTagHtml))
      return oxwire::server::html_to_text(oxwire::as_chars(*html));
    return {};
  }
  static void describe(const mapi::property_bag& bag, search_candidate& c) {
    for (const auto& s :
         {utf8_of(bag, prop::PidTagSubject), body_text(bag), utf8_of(bag, prop::PidTagSenderName),
          utf8_of(bag, prop::PidTagSenderEmailAddress), utf8_of(bag, prop::PidTagDisplayTo),
          utf8_of(bag, prop::PidTagGivenName), utf8_of(bag, prop::PidTagSurname),
          utf8_of(bag, prop::PidLidEmail1EmailAddress), utf8_of(bag, prop::PidTagCompanyName),
          utf8_of(bag, prop::PidLidLocation)})
      if (!s.empty()) (c.text += lower(s)) += '\n';
    if (c.cls == item_class::email)
      if (const auto t = bag.get(prop::PidTagMessageDeliveryTime))
        c.received = std::chrono::floor<std::chrono::milliseconds>(t->time_point());
    if (const auto id = bag.get(prop::PidTagConversationId))
      c.conversation.assign(id->begin(), id->end());
  }

  store& db_;
  user_id user_;
  std::vector<oxwire::server::folder> folders_;
  std::deque<std::vector<oxwire::server::item>> items_;
};

/// One Search or Find request of one user.
class search_commands {
 public:
  search_commands(store& db, user_id u, as::protocol_version v, search_limits limits = {})
      : db_(db), user_(u), version_(v), limits_(limits), engine_(db, u) {}

  // --- Search (MS-ASCMD 2.2.1.16) ------------------------------------------------------------

  [[nodiscard]] http::response search(const std::string& body) {
    model::Search out;
    const auto req = as::decode<model::request::Search>(bytes_of(body));
    if (!req) return out.Status = malformed_status(body), wbxml_response(out, version_);
    out.Status = status_value(SearchStatus::Success);
    auto& store = out.Response.emplace().Store;
    const auto& q = req->Store;
    const auto* options = q.Options ? &*q.Options : nullptr;
    const auto range = search_range(
        options && !options->Range.empty() ? std::optional(options->Range.back()) : std::nullopt,
        limits_.max_results);
    // MS-ASCMD 2.2.3.110.2 Name (Search): Mailbox, Document Library or GAL
    if (!range)
      store.Status = status_value(SearchStoreStatus::InvalidRequest);
    else if (q.Name == "Mailbox")
      search_mailbox(q.Query, options, *range, store);
    else if (q.Name == "GAL")
      search_gal(q.Query, options, *range, store);
    else
      // Document Library: no UNC/SharePoint access here
      store.Status = status_value(SearchStoreStatus::InvalidRequest);
    return wbxml_response(out, version_);
  }

  // --- Find (MS-ASCMD 2.2.1.2) ---------------------------------------------------------------

  [[nodiscard]] http::response find(const std::string& body) {
    using st = FindStatus;
    model::Find out;
    const auto req = as::decode<model::request::Find>(bytes_of(body));
    if (!req) return out.Status = malformed_status(body), wbxml_response(out, version_);
    out.Status = status_value(st::Success);
    auto& resp = out.Response.emplace();
    const auto& e = req->ExecuteSearch;
    const auto* options = e.MailBoxSearchCriterion && e.MailBoxSearchCriterion->Options
                              ? &*e.MailBoxSearchCriterion->Options
                          : e.GalSearchCriterion && e.GalSearchCriterion->Options
                              ? &*e.GalSearchCriterion->Options
                              : nullptr;
    const auto range = search_range(options ? options->Range : std::nullopt, limits_.max_results);
    if (!range || e.MailBoxSearchCriterion.has_value() == e.GalSearchCriterion.has_value())
      return resp.Status = status_value(st::InvalidRequest), wbxml_response(out, version_);
    if (e.MailBoxSearchCriterion) {
      resp.Store = "Mailbox";
      // The Find criterion is the Search query And(FreeText, Class?, CollectionId?)
      const auto& c = e.MailBoxSearchCriterion->Query;
      model::Query q;
      q.FreeText.push_back(c.FreeText);
      if (c.Class) q.Class.push_back(*c.Class);
      if (c.CollectionId) q.CollectionId.push_back(*c.CollectionId);
      if (c.FreeText.empty() || (c.CollectionId && !db_.find_folder(user_, *c.CollectionId)))
        return resp.Status = status_value(st::InvalidRequest), wbxml_response(out, version_);
      const auto all = engine_.mailbox(q, options && options->DeepTraversal);
      resp.Total = static_cast<std::int64_t>(all.size());
      for (std::size_t i = range->first; i <= range->second && i < all.size(); ++i) {
        auto& r = resp.Result.emplace_back();
        r.Class = class_name_of(all[i].cls);
        r.ServerId = all[i].it->server_id;
        r.CollectionId = strings_.keep(all[i].folder_id);
        find_properties(*all[i].it, r.Properties);
      }
    } else {
      resp.Store = "GAL";
      const auto users = engine_.gal(e.GalSearchCriterion->Query);
      if (e.GalSearchCriterion->Query.empty())
        return resp.Status = status_value(st::InvalidRequest), wbxml_response(out, version_);
      resp.Total = static_cast<std::int64_t>(users.size());
      for (std::size_t i = range->first; i <= range->second && i < users.size(); ++i) {
        auto& p = resp.Result.emplace_back().Properties;
        gal_properties(strings_.keep(users[i]), options && options->Picture, p);
      }
    }
    if (!resp.Result.empty())
      resp.Range = strings_.keep(std::to_string(range->first) + "-" +
                                 std::to_string(range->first + resp.Result.size() - 1));
    resp.Status = status_value(st::Success);
    return wbxml_response(out, version_);
  }

 private:
  /// Range and Total of a Store answer (MS-ASCMD 2.2.3.143.3, 2.2.3.184.3).
  template <class Rows>
  void page(const Rows& rows, std::pair<std::size_t, std::size_t> range,
            model::Search_Response_Store& store, auto&& row) {
    store.Total = static_cast<std::int64_t>(rows.size());
    for (std::size_t i = range.first; i <= range.second && i < rows.size(); ++i)
      row(rows[i], store.Result.emplace_back());
    if (!store.Result.empty())
      store.Range = strings_.keep(std::to_string(range.first) + "-" +
                                  std::to_string(range.first + store.Result.size() - 1));
    store.Status = status_value(SearchStoreStatus::Success);
  }

  void search_mailbox(const model::Query& q, const model::Search_Options* options,
                      std::pair<std::size_t, std::size_t> range,
                      model::Search_Response_Store& store) {
    query_matcher m(version_, limits_);
    if (const auto s = m.check(q); s != status_value(SearchStoreStatus::Success))
      return void(store.Status = s);
    // Every CollectionId named must be one of the user's folders
    const auto folders = db_.folders(user_);
    bool known = true;
    const auto visit = [&](const auto& self, const model::Query& n) -> void {
      for (const auto& id : n.CollectionId)
        known = known && std::any_of(folders.begin(), folders.end(),
                                     [&](const auto& f) { return f.server_id == id; });
      for (const auto& a : n.And) self(self, a);
      for (const auto& o : n.Or) self(self, o);
    };
    visit(visit, q);
    if (!known) return void(store.Status = status_value(SearchStoreStatus::InvalidRequest));
    // Options: BodyPreference and MIMESupport shape Body; RebuildResults has nothing to rebuild
    // (no cache is kept)
    const auto body = options ? body_options::of(*options) : body_options{};
    const auto all = engine_.mailbox(q, options && !options->DeepTraversal.empty());
    page(all, range, store, [&](const search_candidate& c, model::Search_Response_Store_Result& r) {
      r.Class = class_name_of(c.cls);
      r.LongId = c.it->server_id;  // MS-ASCMD 2.2.3.96: ItemOperations and Smart* take it back
      r.CollectionId = strings_.keep(c.folder_id);
      application_data_writer(strings_, body, version_)
          .write(c.cls, c.it->props, db_.attachments(user_, c.it->server_id), c.it->server_id,
                 r.Properties.emplace(), db_.recipients(user_, c.it->server_id));
    });
  }

  void search_gal(const model::Query& q, const model::Search_Options* options,
                  std::pair<std::size_t, std::size_t> range, model::Search_Response_Store& store) {
    // MS-ASCMD 2.2.3.139.3 Query (Search): for the GAL, the text to match
    if (q.text.empty() || !q.And.empty() || !q.Or.empty() || !q.FreeText.empty())
      return void(store.Status = status_value(SearchStoreStatus::InvalidRequest));
    const bool picture = options && !options->Picture.empty();
    page(engine_.gal(q.text), range, store,
         [&](const std::string& name, model::Search_Response_Store_Result& r) {
           gal_properties(strings_.keep(name), picture, r.Properties.emplace());
         });
  }

  /// GAL entry of a user: the login name is the display name, alias and address (the server
  /// keeps no directory attributes). Pictures are not stored: Picture Status 173 (MS-ASCMD
  /// 2.2.3.177.13, no photo) when asked for.
  static void gal_properties(std::string_view name, bool picture, auto& p) {
    if constexpr (requires { p.GAL_DisplayName; }) {
      p.GAL_DisplayName.push_back(name);
      p.GAL_Alias.push_back(name);
      p.EmailAddress.push_back(name);
      if (picture)
        p.GAL_Picture.push_back(
            {.Status = status_value(SearchPictureStatus::NoPicture), .Data = {}});
    } else {
      p.DisplayName.push_back(name);
      p.Alias.push_back(name);
      p.EmailAddress.push_back(name);
      if (picture)
        p.Picture.push_back({.Status = status_value(SearchPictureStatus::NoPicture), .Data = {}});
    }
  }

  /// Find's Properties of a mailbox item (MS-ASCMD 2.2.3.139.1).
  void find_properties(const oxwire::server::item& it, model::Find_Response_Result_Properties& p) {
    model::Search_Response_Store_Result_Properties full;
    application_data_writer(strings_, {}, version_)
        .write(item_class::email, it.props, {}, it.server_id, full);
    p.DateReceived = full.DateReceived;
    p.DisplayTo = full.DisplayTo;
    p.Importance = full.Email_Importance;
    p.Subject = full.Email_Subject;
    p.Read = full.Read;
    p.From = full.From;
    p.HasAttachments.push_back(it.props.get(prop::PidTagHasAttachments).value_or(false));
  }

  store& db_;
  user_id user_;
  as::protocol_version version_;
  search_limits limits_;
  search_engine engine_;
  arena strings_;
};

}  // namespace oxwire_server
