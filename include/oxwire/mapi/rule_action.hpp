// oxwire — MS-OXORULE 2.2.5 RuleAction (the value of PidTagRuleActions, and the RuleActionsBuffer
// of PidTagExtendedRuleMessageActions): the model and the codec declarations (definitions in
// rule_action_codec.hpp, included by <oxwire/mapi/value_codec.hpp>).
//
//   reader in(bytes);
//   rule_actions a = decode_rule_actions(in).value();     // standard rule: 16-bit counts
//   for (const ActionBlock& b : a.ActionBlocks)
//     if (b.ActionType == ActionType::OP_BOUNCE) ...
//   encode_rule_actions(w, a, {.counts = count_width::extended});   // as an extended rule
//
// EntryIDs inside action data are kept as their raw bytes (see <oxwire/mapi/entryid.hpp>).
#pragma once

#include <oxwire/core/guid.hpp>
#include <oxwire/core/reader.hpp>
#include <oxwire/core/writer.hpp>
#include <oxwire/mapi/restriction.hpp>
#include <oxwire/mapi/value.hpp>

#include <cstdint>
#include <variant>
#include <vector>

namespace oxwire::mapi {

/// MS-OXORULE 2.2.5.1 ActionType.
enum class ActionType : std::uint8_t {
  OP_MOVE = 0x01,
  OP_COPY = 0x02,
  OP_REPLY = 0x03,
  OP_OOF_REPLY = 0x04,
  OP_DEFER_ACTION = 0x05,
  OP_BOUNCE = 0x06,
  OP_FORWARD = 0x07,
  OP_DELEGATE = 0x08,
  OP_TAG = 0x09,
  OP_DELETE = 0x0A,
  OP_MARK_AS_READ = 0x0B,
};

/// MS-OXORULE 2.2.5.1.1 ActionFlavor bits of OP_FORWARD.
enum class ForwardFlavor : std::uint32_t {
  PR = 0x00000001,  // preserve sender information, mark as auto-forwarded
  NC = 0x00000002,  // forward without changes
  AT = 0x00000004,  // forward as an attachment
  TM = 0x00000008,  // forward as an SMS text message
};

/// MS-OXORULE 2.2.5.1.1 ActionFlavor bits of OP_REPLY and OP_OOF_REPLY.
enum class ReplyFlavor : std::uint32_t {
  NS = 0x00000001,  // do not send to the message sender
  ST = 0x00000002,  // use fixed server-defined text
};

/// MS-OXORULE 2.2.5.1.2.1 OP_MOVE / OP_COPY ActionData, standard rules.
struct MoveCopyActionData {
  std::uint8_t FolderInThisStore = 1;
  std::vector<std::uint8_t> StoreEID;   // Store Object EntryID; StoreEIDSize is its size
  std::vector<std::uint8_t> FolderEID;  // ServerEid if FolderInThisStore; FolderEIDSize
  friend bool operator==(const MoveCopyActionData&, const MoveCopyActionData&) = default;
};

/// MS-OXORULE 2.2.5.1.2.1 OP_MOVE / OP_COPY ActionData, extended rules (32-bit sizes, no
/// FolderInThisStore: the folder is always in the user's mailbox).
struct ExtendedMoveCopyActionData {
  std::vector<std::uint8_t> StoreEID;   // unused by the protocol, any non-null value
  std::vector<std::uint8_t> FolderEID;  // Folder EntryID
  friend bool operator==(const ExtendedMoveCopyActionData&,
                         const ExtendedMoveCopyActionData&) = default;
};

/// MS-OXORULE 2.2.5.1.2.2 OP_REPLY / OP_OOF_REPLY ActionData, standard rules.
struct ReplyActionData {
  std::uint64_t ReplyTemplateFID = 0;  // Folder ID, as its 8 bytes little-endian
  std::uint64_t ReplyTemplateMID = 0;  // Message ID, likewise
  oxwire::guid ReplyTemplateGUID{};
  friend bool operator==(const ReplyActionData&, const ReplyActionData&) = default;
};

/// MS-OXORULE 2.2.5.1.2.2 OP_REPLY / OP_OOF_REPLY ActionData, extended rules.
struct ExtendedReplyActionData {
  std::vector<std::uint8_t> ReplyTemplateMessageEID;  // Message EntryID; MessageEIDSize
  oxwire::guid ReplyTemplateGUID{};
  friend bool operator==(const ExtendedReplyActionData&, const ExtendedReplyActionData&) = default;
};

/// MS-OXORULE 2.2.5.1.2.3 OP_DEFER_ACTION ActionData: client-defined bytes, opaque to the server.
struct DeferActionData {
  std::vector<std::uint8_t> Data;
  friend bool operator==(const DeferActionData&, const DeferActionData&) = default;
};

/// MS-OXORULE 2.2.5.1.2.5 BounceCode values.
enum class BounceCode : std::uint32_t {
  TooLarge = 0x0000000D,       // rejected because it was too large
  CannotDisplay = 0x0000001F,  // rejected because it cannot be displayed to the user
  Denied = 0x00000026,         // delivery denied for other reasons
};

/// MS-OXORULE 2.2.5.1.2.5 OP_BOUNCE ActionData.
struct BounceActionData {
  mapi::BounceCode BounceCode = mapi::BounceCode::Denied;
  friend bool operator==(const BounceActionData&, const BounceActionData&) = default;
};

/// MS-OXORULE 2.2.5.1.2.4.1 RecipientBlockData; NoOfProperties is PropertyValues.size() (> 0).
struct RecipientBlockData {
  std::uint8_t Reserved = 0;
  std::vector<basic_tagged_value<owned>> PropertyValues;
  friend bool operator==(const RecipientBlockData&, const RecipientBlockData&) = default;
};

/// MS-OXORULE 2.2.5.1.2.4 OP_FORWARD / OP_DELEGATE ActionData; RecipientCount is
/// RecipientBlocks.size() (> 0).
struct ForwardDelegateActionData {
  std::vector<RecipientBlockData> RecipientBlocks;
  friend bool operator==(const ForwardDelegateActionData&,
                         const ForwardDelegateActionData&) = default;
};

/// MS-OXORULE 2.2.5.1.2.6 OP_TAG ActionData: one TaggedPropertyValue.
struct TagActionData {
  boxed_tagged_value TaggedValue;
  friend bool operator==(const TagActionData&, const TagActionData&) = default;
};

/// MS-OXORULE 2.2.5.1.2 ActionData; which alternative an ActionType takes is fixed (and for
/// OP_MOVE/OP_COPY/OP_REPLY/OP_OOF_REPLY depends on the rule kind). OP_DELETE and OP_MARK_AS_READ
/// have no data (std::monostate, MS-OXORULE 2.2.5.1.2.7).
using ActionData = std::variant<std::monostate, MoveCopyActionData, ExtendedMoveCopyActionData,
                                ReplyActionData, ExtendedReplyActionData, DeferActionData,
                                BounceActionData, ForwardDelegateActionData, TagActionData>;

/// MS-OXORULE 2.2.5.1 ActionBlock; ActionLength (16 bits standard, 32 bits extended) is computed.
struct ActionBlock {
  mapi::ActionType ActionType = mapi::ActionType::OP_DELETE;
  std::uint32_t ActionFlavor = 0;  // ForwardFlavor / ReplyFlavor bits; 0 for other types
  std::uint32_t ActionFlags = 0;   // client-defined
  mapi::ActionData ActionData;
  friend bool operator==(const ActionBlock&, const ActionBlock&) = default;
};

/// MS-OXORULE 2.2.5 RuleAction; NoOfActions (16 bits standard, 32 extended) is
/// ActionBlocks.size() (> 0).
struct rule_actions {
  std::vector<ActionBlock> ActionBlocks;
  friend bool operator==(const rule_actions&, const rule_actions&) = default;
};

/// MS-OXORULE 2.2.5 RuleAction; `opts.counts` is count_width::rop for standard rules and
/// count_width::extended for extended rules: `decode_rule_actions(in)`.
[[nodiscard]] inline result<rule_actions> decode_rule_actions(reader& in,
                                                              const value_options& opts = {});

/// Writes `a` in the form `decode_rule_actions` reads: `encode_rule_actions(w, a)`.
template <class Sink>
[[nodiscard]] result<void> encode_rule_actions(basic_writer<Sink>& w, const rule_actions& a,
                                               const value_options& opts = {});

}  // namespace oxwire::mapi
