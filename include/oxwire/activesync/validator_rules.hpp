// oxwire — cross-element rules of the ActiveSync schema validator: the MS-ASCMD statements of the
// form "if X is present, Y MUST NOT be present" (and the one "Y is required unless X", the one
// "with X, Y may only hold Z" and the one "no X in two Ys") that the content-model tables of
// gen/activesync/schema.hpp cannot express.
//
//   for (const auto& r : oxwire::activesync::detail::element_rules) std::cout << r.section;
//
// A rule applies to the children of one element (its `parent` key) whose content model has a
// particle for the rule's `element` (only_children, once_among: also to their children);
// validator.hpp checks it as elements arrive (at the second of two that clash, with its path and
// offset) and at the parent's END (required_unless).
#pragma once

#include <oxwire/wbxml/codepages.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace oxwire::activesync::detail {

/// What a rule says about `element` among the children of `parent`.
enum class rule_kind : std::uint8_t {
  excludes,         // `element` and any of `others` MUST NOT both be children
  required_unless,  // `element` is required unless one of `others` is a child
  only_children,    // with `element` a child, the child others[0] holds only others[1..]
  once_among,       // `element` in at most one of the others[0] children
};

struct element_rule {
  std::string_view path;  // where it applies, spelled like validator::path()
  std::uint16_t parent;   // code page * 64 + token of the parent element
  std::uint16_t element;
  std::array<std::uint16_t, 4> others;  // 0 = unused slot
  rule_kind kind;
  std::string_view section;  // the MS-ASCMD section that states it
};

/// The key of a tag by code page and name; a misspelt name does not compile.
consteval std::uint16_t tag_key(std::uint8_t page, std::string_view name) {
  const auto token = wbxml::find_token(page, name);
  if (!token) throw "oxwire: no such tag on this code page";
  return static_cast<std::uint16_t>(page * 64 + *token);
}

namespace tags {
// Code pages (MS-ASWBXML 2.1.2.1): 8 MeetingResponse, 15 Search, 17 AirSyncBase, 18 Settings,
// 20 ItemOperations, 21 ComposeMail, 24 RightsManagement.
inline constexpr std::uint16_t MeetingResponse_Request = tag_key(8, "Request"),
                               MeetingResponse_CollectionId = tag_key(8, "CollectionId"),
                               MeetingResponse_RequestId = tag_key(8, "RequestId"),
                               Search_LongId = tag_key(15, "LongId"),
                               AirSyncBase_Body = tag_key(17, "Body"),
                               Settings_OofMessage = tag_key(18, "OofMessage"),
                               AppliesToInternal = tag_key(18, "AppliesToInternal"),
                               AppliesToExternalKnown = tag_key(18, "AppliesToExternalKnown"),
                               AppliesToExternalUnknown = tag_key(18, "AppliesToExternalUnknown"),
                               SmartForward = tag_key(21, "SmartForward"),
                               Source = tag_key(21, "Source"), FolderId = tag_key(21, "FolderId"),
                               ItemId = tag_key(21, "ItemId"),
                               ComposeMail_LongId = tag_key(21, "LongId"),
                               Mime = tag_key(21, "Mime"),
                               SaveInSentItems = tag_key(21, "SaveInSentItems"),
                               ReplaceMime = tag_key(21, "ReplaceMime"),
                               Forwardees = tag_key(21, "Forwardees"),
                               TemplateID = tag_key(24, "TemplateID"),
                               FileReference = tag_key(17, "FileReference"),
                               Settings_Set = tag_key(18, "Set"),
                               ItemOperations_Fetch = tag_key(20, "Fetch"),
                               ItemOperations_Options = tag_key(20, "Options"),
                               ItemOperations_Range = tag_key(20, "Range");
}  // namespace tags

/// The rules, one statement each.
inline constexpr std::array<element_rule, 11> element_rules{{
    {"MeetingResponse/Request",
     tags::MeetingResponse_Request,
     tags::Search_LongId,
     {tags::MeetingResponse_CollectionId, tags::MeetingResponse_RequestId},
     rule_kind::excludes,
     "MS-ASCMD 2.2.3.150.2, 2.2.3.98.2"},
    {"SmartForward/Source, SmartReply/Source",
     tags::Source,
     tags::ComposeMail_LongId,
     {tags::FolderId, tags::ItemId},
     rule_kind::excludes,
     "MS-ASCMD 2.2.3.173, 2.2.3.98.4"},
    {"SmartForward",
     tags::SmartForward,
     tags::Forwardees,
     {tags::Mime, tags::SaveInSentItems, tags::ReplaceMime, tags::TemplateID},
     rule_kind::excludes,
     "MS-ASCMD 2.2.3.169"},
    {"SmartForward",
     tags::SmartForward,
     tags::AirSyncBase_Body,
     {tags::Mime, tags::SaveInSentItems, tags::ReplaceMime, tags::TemplateID},
     rule_kind::excludes,
     "MS-ASCMD 2.2.3.169"},
    {"SmartForward",
     tags::SmartForward,
     tags::Mime,
     {tags::Forwardees, tags::AirSyncBase_Body},
     rule_kind::required_unless,
     "MS-ASCMD 2.2.3.109, 2.2.3.169"},
    {"Settings/Oof/Set/OofMessage",
     tags::Settings_OofMessage,
     tags::AppliesToInternal,
     {tags::AppliesToExternalKnown, tags::AppliesToExternalUnknown},
     rule_kind::excludes,
     "MS-ASCMD 2.2.3.123"},
    {"Settings/Oof/Set/OofMessage",
     tags::Settings_OofMessage,
     tags::AppliesToExternalKnown,
     {tags::AppliesToExternalUnknown},
     rule_kind::excludes,
     "MS-ASCMD 2.2.3.123"},
    {"ItemOperations/Fetch",
     tags::ItemOperations_Fetch,
     tags::FileReference,
     {tags::ItemOperations_Options, tags::ItemOperations_Range},
     rule_kind::only_children,
     "MS-ASCMD 2.2.3.8"},
    {"Settings/Oof/Set",
     tags::Settings_Set,
     tags::AppliesToInternal,
     {tags::Settings_OofMessage},
     rule_kind::once_among,
     "MS-ASCMD 2.2.3.123"},
    {"Settings/Oof/Set",
     tags::Settings_Set,
     tags::AppliesToExternalKnown,
     {tags::Settings_OofMessage},
     rule_kind::once_among,
     "MS-ASCMD 2.2.3.123"},
    {"Settings/Oof/Set",
     tags::Settings_Set,
     tags::AppliesToExternalUnknown,
     {tags::Settings_OofMessage},
     rule_kind::once_among,
     "MS-ASCMD 2.2.3.123"},
}};

/// Two bits a rule in validator frames: 2r = `element` seen, 2r + 1 = one of `others` seen.
using rule_bits = std::uint32_t;
static_assert(element_rules.size() * 2 <= sizeof(rule_bits) * 8);

/// Whether `key` is one of the rule's `others`.
[[nodiscard]] constexpr bool is_other(const element_rule& r, std::uint16_t key) noexcept {
  for (const auto o : r.others)
    if (o && o == key) return true;
  return false;
}

}  // namespace oxwire::activesync::detail
