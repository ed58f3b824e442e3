// oxwire — MS-OXORULE 2.2.5 RuleAction codec (the model and the declarations are in
// rule_action.hpp). Included at the bottom of <oxwire/mapi/value_codec.hpp>, because actions hold
// TaggedPropertyValues and a PtypRuleAction value holds a RuleAction.
#pragma once

#include <oxwire/mapi/restriction_codec.hpp>
#include <oxwire/mapi/value_codec.hpp>

#include <type_traits>
#include <utility>
#include <variant>

namespace oxwire::mapi {

namespace detail {

/// The ActionData alternative that `t` takes (MS-OXORULE 2.2.5.1.2); std::variant_npos for a type
/// MS-OXORULE 2.2.5.1 does not define.
[[nodiscard]] constexpr std::size_t action_data_index(ActionType t, bool wide) noexcept {
  using enum ActionType;
  switch (t) {
    case OP_MOVE:
    case OP_COPY: return wide ? 2 : 1;
    case OP_REPLY:
    case OP_OOF_REPLY: return wide ? 4 : 3;
    case OP_DEFER_ACTION: return 5;
    case OP_BOUNCE: return 6;
    case OP_FORWARD:
    case OP_DELEGATE: return 7;
    case OP_TAG: return 8;
    case OP_DELETE:
    case OP_MARK_AS_READ: return 0;
  }
  return std::variant_npos;
}

/// MS-OXORULE 2.2.5.1.1: only OP_REPLY, OP_OOF_REPLY and OP_FORWARD carry an ActionFlavor.
[[nodiscard]] constexpr bool flavor_allowed(ActionType t, std::uint32_t flavor) noexcept {
  return flavor == 0 || t == ActionType::OP_REPLY || t == ActionType::OP_OOF_REPLY ||
         t == ActionType::OP_FORWARD;
}

[[nodiscard]] constexpr bool is_valid(BounceCode c) noexcept {
  return c == BounceCode::TooLarge || c == BounceCode::CannotDisplay || c == BounceCode::Denied;
}

/// Smallest ActionBlock: ActionLength, ActionType, ActionFlavor, ActionFlags, no ActionData.
[[nodiscard]] constexpr std::size_t min_action_block_size(bool wide) noexcept {
  return (wide ? 4 : 2) + 9;
}

/// A size (16 bits standard, 32 bits extended) and that many bytes, e.g. StoreEIDSize, StoreEID.
[[nodiscard]] inline result<std::vector<std::uint8_t>> read_sized(reader& in, bool wide,
                                                                  const char* size_what,
                                                                  const char* what) {
  auto n = read_count(in, wide, size_what);
  if (!n) [[unlikely]]
    return n.error();
  auto b = in.bytes(*n, what);
  if (!b) [[unlikely]]
    return b.error();
  return std::vector<std::uint8_t>(b->begin(), b->end());
}

template <class Sink>
[[nodiscard]] result<void> write_sized(basic_writer<Sink>& w, const std::vector<std::uint8_t>& b,
                                       bool wide, const char* size_what, const char* what) {
  if (auto ok = write_count(w, b.size(), wide, size_what); !ok) [[unlikely]]
    return ok;
  return w.write_bytes(b, what);
}

/// A count that MUST be greater than zero, checked against what is left like any count.
[[nodiscard]] inline result<std::uint32_t> read_nonzero_count(reader& in, bool wide,
                                                              std::size_t min_size,
                                                              const char* what) {
  const std::size_t at = in.offset();
  auto n = read_count(in, wide, what);
  if (!n) [[unlikely]]
    return n.error();
  if (*n == 0) [[unlikely]]
    return error{oxwire::errc::out_of_range, at, what};
  if (auto ok = check_count(in, *n, min_size, at, what); !ok) [[unlikely]]
    return ok.error();
  return *n;
}

template <class Sink>
[[nodiscard]] result<void> write_nonzero_count(basic_writer<Sink>& w, std::size_t n, bool wide,
                                               const char* what) {
  if (n == 0) [[unlikely]]
    return error{oxwire::errc::out_of_range, w.size(), what};
  return write_count(w, n, wide, what);
}

/// MS-OXORULE 2.2.5.1.2.4.1 RecipientBlockData.
[[nodiscard]] inline result<RecipientBlockData> read_recipient_block(reader& in, bool wide,
                                                                     const value_options& inner) {
  RecipientBlockData b;
  if (auto ok = in.read_into("Reserved", b.Reserved); !ok) [[unlikely]]
    return ok.error();
  auto n = read_nonzero_count(in, wide, min_tagged_value_size, "NoOfProperties");
  if (!n) [[unlikely]]
    return n.error();
  auto vs = read_tagged_values(in, *n, inner, false, "PropertyValues");
  if (!vs) [[unlikely]]
    return vs.error();
  b.PropertyValues = std::move(*vs);
  return b;
}

/// MS-OXORULE 2.2.5.1.2: the ActionData of a `type` block, from the block's own reader.
[[nodiscard]] inline result<ActionData> read_action_data(reader& in, ActionType type, bool wide,
                                                         const value_options& inner) {
  switch (action_data_index(type, wide)) {
    case 0:  // OP_DELETE, OP_MARK_AS_READ: no ActionData (2.2.5.1.2.7)
      return ActionData{};
    case 1: {  // 2.2.5.1.2.1, standard
      MoveCopyActionData d;
      if (auto ok = in.read_into("FolderInThisStore", d.FolderInThisStore); !ok) [[unlikely]]
        return ok.error();
      auto store = read_sized(in, false, "StoreEIDSize", "StoreEID");
      if (!store) [[unlikely]]
        return store.error();
      auto folder = read_sized(in, false, "FolderEIDSize", "FolderEID");
      if (!folder) [[unlikely]]
        return folder.error();
      d.StoreEID = std::move(*store);
      d.FolderEID = std::move(*folder);
      return ActionData{std::move(d)};
    }
    case 2: {  // 2.2.5.1.2.1, extended
      ExtendedMoveCopyActionData d;
      auto store = read_sized(in, true, "StoreEIDSize", "StoreEID");
      if (!store) [[unlikely]]
        return store.error();
      auto folder = read_sized(in, true, "FolderEIDSize", "FolderEID");
      if (!folder) [[unlikely]]
        return folder.error();
      d.StoreEID = std::move(*store);
      d.FolderEID = std::move(*folder);
      return ActionData{std::move(d)};
    }
    case 3: {  // 2.2.5.1.2.2, standard
      ReplyActionData d;
      if (auto ok = in.read_into("ReplyTemplateFID", d.ReplyTemplateFID, d.ReplyTemplateMID); !ok)
          [[unlikely]]
        return ok.error();
      if (auto ok = oxwire::decode(in, d.ReplyTemplateGUID, "ReplyTemplateGUID"); !ok) [[unlikely]]
        return ok.error();
      return ActionData{d};
    }
    case 4: {  // 2.2.5.1.2.2, extended
      ExtendedReplyActionData d;
      auto eid = read_sized(in, true, "MessageEIDSize", "ReplyTemplateMessageEID");
      if (!eid) [[unlikely]]
        return eid.error();
      d.ReplyTemplateMessageEID = std::move(*eid);
      if (auto ok = oxwire::decode(in, d.ReplyTemplateGUID, "ReplyTemplateGUID"); !ok) [[unlikely]]
        return ok.error();
      return ActionData{std::move(d)};
    }
    case 5: {  // 2.2.5.1.2.3: the rest of the block, opaque
      const bytes_view rest = in.rest();
      (void)in.skip(rest.size());
      return ActionData{DeferActionData{{rest.begin(), rest.end()}}};
    }
    case 6: {  // 2.2.5.1.2.5
      const std::size_t at = in.offset();
      std::uint32_t code = 0;
      if (auto ok = in.read_into("BounceCode", code); !ok) [[unlikely]]
        return ok.error();
      const auto c = static_cast<BounceCode>(code);
      if (!is_valid(c)) [[unlikely]]
        return error{errc::invalid_kind, at, "BounceCode"};
      return ActionData{BounceActionData{c}};
    }
    case 7: {  // 2.2.5.1.2.4
      auto n = read_nonzero_count(in, wide, 1 + (wide ? 4 : 2) + min_tagged_value_size,
                                  "RecipientCount");
      if (!n) [[unlikely]]
        return n.error();
      ForwardDelegateActionData d;
      d.RecipientBlocks.reserve(*n);
      for (std::uint32_t i = 0; i < *n; ++i) {
        auto b = read_recipient_block(in, wide, inner);
        if (!b) [[unlikely]]
          return b.error();
        d.RecipientBlocks.push_back(std::move(*b));
      }
      return ActionData{std::move(d)};
    }
    default: {  // 8, OP_TAG: 2.2.5.1.2.6
      auto v = read_tagged_value(in, inner);
      if (!v) [[unlikely]]
        return v.error();
      return ActionData{TagActionData{std::move(*v)}};
    }
  }
}

/// MS-OXORULE 2.2.5.1 ActionBlock. ActionLength must be exactly what the block's fields take:
/// errc::invalid_size at the block otherwise.
[[nodiscard]] inline result<ActionBlock> read_action_block(reader& in, bool wide,
                                                           const value_options& inner) {
  const std::size_t at = in.offset();
  const error length_mismatch{errc::invalid_size, at, "ActionLength"};
  auto len = read_count(in, wide, "ActionLength");
  if (!len) [[unlikely]]
    return len.error();
  auto body = in.sub(*len, "ActionBlock");
  if (!body) [[unlikely]]
    return body.error();
  ActionBlock b;
  const std::size_t type_at = body->offset();
  std::uint8_t type = 0;
  if (auto ok = body->read_into("ActionBlock", type, b.ActionFlavor, b.ActionFlags); !ok)
      [[unlikely]]
    return length_mismatch;
  b.ActionType = static_cast<ActionType>(type);
  if (action_data_index(b.ActionType, wide) == std::variant_npos) [[unlikely]]
    return error{errc::invalid_kind, type_at, "ActionType"};
  if (!flavor_allowed(b.ActionType, b.ActionFlavor)) [[unlikely]]
    return error{errc::invalid_flag, type_at + 1, "ActionFlavor"};
  auto data = read_action_data(*body, b.ActionType, wide, inner);
  if (!data) [[unlikely]] {
    // The block's bytes were all there: running out inside them means ActionLength is short.
    if (data.error().code == oxwire::errc::truncated) return length_mismatch;
    return data.error();
  }
  if (!body->empty()) [[unlikely]]
    return length_mismatch;
  b.ActionData = std::move(*data);
  return b;
}

template <class Sink>
[[nodiscard]] result<void> write_action_data(basic_writer<Sink>& w, const ActionData& data,
                                             bool wide, const value_options& inner) {
  return std::visit(
      [&]<class D>(const D& d) -> result<void> {
        if constexpr (std::is_same_v<D, std::monostate>) {
          return {};
        } else if constexpr (std::is_same_v<D, MoveCopyActionData>) {
          if (auto ok = w.template write<std::uint8_t>(d.FolderInThisStore, "FolderInThisStore");
              !ok) [[unlikely]]
            return ok;
          if (auto ok = write_sized(w, d.StoreEID, false, "StoreEIDSize", "StoreEID"); !ok)
              [[unlikely]]
            return ok;
          return write_sized(w, d.FolderEID, false, "FolderEIDSize", "FolderEID");
        } else if constexpr (std::is_same_v<D, ExtendedMoveCopyActionData>) {
          if (auto ok = write_sized(w, d.StoreEID, true, "StoreEIDSize", "StoreEID"); !ok)
              [[unlikely]]
            return ok;
          return write_sized(w, d.FolderEID, true, "FolderEIDSize", "FolderEID");
        } else if constexpr (std::is_same_v<D, ReplyActionData>) {
          if (auto ok = w.template write<std::uint64_t>(d.ReplyTemplateFID, "ReplyTemplateFID");
              !ok) [[unlikely]]
            return ok;
          if (auto ok = w.template write<std::uint64_t>(d.ReplyTemplateMID, "ReplyTemplateMID");
              !ok) [[unlikely]]
            return ok;
          return oxwire::encode(w, d.ReplyTemplateGUID, "ReplyTemplateGUID");
        } else if constexpr (std::is_same_v<D, ExtendedReplyActionData>) {
          if (auto ok = write_sized(w, d.ReplyTemplateMessageEID, true, "MessageEIDSize",
                                    "ReplyTemplateMessageEID");
              !ok) [[unlikely]]
            return ok;
          return oxwire::encode(w, d.ReplyTemplateGUID, "ReplyTemplateGUID");
        } else if constexpr (std::is_same_v<D, DeferActionData>) {
          return w.write_bytes(d.Data, "ActionData");
        } else if constexpr (std::is_same_v<D, BounceActionData>) {
          if (!is_valid(d.BounceCode)) [[unlikely]]
            return error{errc::invalid_kind, w.size(), "BounceCode"};
          return w.template write<std::uint32_t>(static_cast<std::uint32_t>(d.BounceCode),
                                                 "BounceCode");
        } else if constexpr (std::is_same_v<D, ForwardDelegateActionData>) {
          if (auto ok = write_nonzero_count(w, d.RecipientBlocks.size(), wide, "RecipientCount");
              !ok) [[unlikely]]
            return ok;
          for (const RecipientBlockData& b : d.RecipientBlocks) {
            if (auto ok = w.template write<std::uint8_t>(b.Reserved, "Reserved"); !ok) [[unlikely]]
              return ok;
            if (auto ok = write_nonzero_count(w, b.PropertyValues.size(), wide, "NoOfProperties");
                !ok) [[unlikely]]
              return ok;
            if (auto ok = write_tagged_values(w, b.PropertyValues, inner, false, "PropertyValues");
                !ok) [[unlikely]]
              return ok;
          }
          return {};
        } else {
          static_assert(std::is_same_v<D, TagActionData>);
          return encode_tagged_value(w, *d.TaggedValue, inner);
        }
      },
      data);
}

}  // namespace detail

inline result<rule_actions> decode_rule_actions(reader& in, const value_options& opts) {
  using namespace detail;
  if (opts.depth >= opts.max_depth) [[unlikely]]
    return error{errc::nesting_too_deep, in.offset(), "RuleAction"};
  const bool wide = opts.counts == count_width::extended;
  const value_options inner = opts.nested();
  // MS-OXORULE 2.2.5: NoOfActions (16 bits standard, 32 extended), greater than zero.
  auto n = read_nonzero_count(in, wide, min_action_block_size(wide), "NoOfActions");
  if (!n) [[unlikely]]
    return n.error();
  rule_actions a;
  a.ActionBlocks.reserve(*n);
  for (std::uint32_t i = 0; i < *n; ++i) {
    auto b = read_action_block(in, wide, inner);
    if (!b) [[unlikely]]
      return b.error();
    a.ActionBlocks.push_back(std::move(*b));
  }
  return a;
}

template <class Sink>
result<void> encode_rule_actions(basic_writer<Sink>& w, const rule_actions& a,
                                 const value_options& opts) {
  using namespace detail;
  if (opts.depth >= opts.max_depth) [[unlikely]]
    return error{errc::nesting_too_deep, w.size(), "RuleAction"};
  const bool wide = opts.counts == count_width::extended;
  const value_options inner = opts.nested();
  if (auto ok = write_nonzero_count(w, a.ActionBlocks.size(), wide, "NoOfActions"); !ok)
      [[unlikely]]
    return ok;
  for (const ActionBlock& b : a.ActionBlocks) {
    const std::size_t at = w.size();
    const std::size_t want = action_data_index(b.ActionType, wide);
    if (want == std::variant_npos) [[unlikely]]
      return error{errc::invalid_kind, at, "ActionType"};
    if (b.ActionData.index() != want) [[unlikely]]
      return error{errc::invalid_kind, at, "ActionData"};
    if (!flavor_allowed(b.ActionType, b.ActionFlavor)) [[unlikely]]
      return error{errc::invalid_flag, at, "ActionFlavor"};
    auto len_at = wide ? w.template reserve_at<std::uint32_t>("ActionLength")
                       : w.template reserve_at<std::uint16_t>("ActionLength");
    if (!len_at) [[unlikely]]
      return len_at.error();
    if (auto ok =
            w.template write<std::uint8_t>(static_cast<std::uint8_t>(b.ActionType), "ActionType");
        !ok) [[unlikely]]
      return ok;
    if (auto ok = w.template write<std::uint32_t>(b.ActionFlavor, "ActionFlavor"); !ok) [[unlikely]]
      return ok;
    if (auto ok = w.template write<std::uint32_t>(b.ActionFlags, "ActionFlags"); !ok) [[unlikely]]
      return ok;
    if (auto ok = write_action_data(w, b.ActionData, wide, inner); !ok) [[unlikely]]
      return ok;
    const std::size_t len = w.size() - *len_at - (wide ? 4 : 2);
    if (!wide && len > 0xFFFF) [[unlikely]]
      return error{oxwire::errc::out_of_range, at, "ActionLength"};
    if (auto ok = wide ? w.template patch<std::uint32_t>(*len_at, static_cast<std::uint32_t>(len))
                       : w.template patch<std::uint16_t>(*len_at, static_cast<std::uint16_t>(len));
        !ok) [[unlikely]]
      return ok;
  }
  return {};
}

}  // namespace oxwire::mapi
