// MS-OXORULE 2.2.5 RuleAction: decode, encode, both rule kinds and every error path.
#include <oxwire/core/hex.hpp>
#include <oxwire/mapi/value_codec.hpp>
#include <oxwire_test/assertions.hpp>
#include <oxwire_test/requirements.hpp>

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace test_rule_action {

using namespace oxwire::mapi;
using oxwire::error;
using oxwire::reader;
using oxwire::result;
using oxwire::vector_writer;

using oxwire_test::from_hex;

constexpr value_options standard{};
constexpr value_options extended{.counts = count_width::extended};

constexpr property_tag PidTagDisplayName{0x3001001F};
constexpr property_tag PidTagEmailAddress{0x3003001F};
constexpr property_tag PidTagRecipientType{0x0C150003};
constexpr property_tag PidTagImportance{0x00170003};
constexpr property_tag PidTagSubject{0x0037001F};
constexpr property_tag PidTagRuleActions{0x668000FE};

tagged_value str(property_tag t, std::u16string s) {
  return {t, property_value::make<PropertyType::PtypString>(std::move(s))};
}
tagged_value i32(property_tag t, std::int32_t v) {
  return {t, property_value::make<PropertyType::PtypInteger32>(v)};
}

std::vector<std::uint8_t> encode(const rule_actions& a, const value_options& o = standard) {
  std::vector<std::uint8_t> out;
  vector_writer w(out);
  encode_rule_actions(w, a, o).value();
  return out;
}
result<rule_actions> decode(const std::vector<std::uint8_t>& b, const value_options& o = standard) {
  reader in(b);
  auto r = decode_rule_actions(in, o);
  if (r && !in.empty()) return error{errc::invalid_size, in.offset(), "trailing bytes"};
  return r;
}

// A standard rule that moves the message to a folder of the user's mailbox (MS-OXORULE
// 2.2.5.1.2.1: FolderInThisStore 1, any StoreEID, a ServerEid for FolderEID), then marks it read.
const char* const move_then_read = R"(
  02 00                              # NoOfActions 2
  24 00 01 00 00 00 00 00 00 00 00   # ActionLength 36, OP_MOVE, ActionFlavor 0, ActionFlags 0
  01 01 00 00                        #   FolderInThisStore 1, StoreEIDSize 1, StoreEID
  15 00 01                           #   FolderEIDSize 21, ServerEid: Ours 1
  01 00 00 00 0e 8e df 36            #     FolderId
  00 00 00 00 00 00 00 00 00 00 00 00  #   MessageId, Instance
  09 00 0b 00 00 00 00 00 00 00 00   # ActionLength 9, OP_MARK_AS_READ, no ActionData
)";

TEST(RuleAction, DecodesAStandardMoveFieldByField) {
  OXWIRE_REQ("MS-OXORULE_R230", "MS-OXORULE_R943", "MS-OXORULE_R231", "MS-OXORULE_R235",
             "MS-OXORULE_R236", "MS-OXORULE_R294", "MS-OXORULE_R297", "MS-OXORULE_R300",
             "MS-OXORULE_R346");
  const auto bytes = from_hex(move_then_read);
  auto a = decode(bytes);
  ASSERT_TRUE(a) << a.error().message();
  ASSERT_EQ(a->ActionBlocks.size(), 2u);
  const ActionBlock& move = a->ActionBlocks[0];
  EXPECT_EQ(move.ActionType, ActionType::OP_MOVE);
  const auto& d = std::get<MoveCopyActionData>(move.ActionData);
  EXPECT_EQ(d.FolderInThisStore, 1);
  EXPECT_EQ(d.StoreEID, std::vector<std::uint8_t>{0x00});
  ASSERT_EQ(d.FolderEID.size(), 21u);
  EXPECT_EQ(d.FolderEID[0], 0x01);
  EXPECT_EQ(a->ActionBlocks[1].ActionType, ActionType::OP_MARK_AS_READ);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(a->ActionBlocks[1].ActionData));
  EXPECT_EQ(encode(*a), bytes);
}

// A forward to one recipient with the three properties MS-OXORULE 2.2.5.1.2.4.1 requires.
const char* const forward = R"(
  01 00                              # NoOfActions 1
  2a 00 07 01 00 00 00 00 00 00 00   # ActionLength 42, OP_FORWARD, ActionFlavor PR, ActionFlags 0
  01 00                              #   RecipientCount 1
  00 03 00                           #   Reserved, NoOfProperties 3
  1f 00 01 30 41 00 00 00            #     PidTagDisplayName "A"
  1f 00 03 30 61 00 40 00 62 00 00 00  #   PidTagEmailAddress "a@b"
  03 00 15 0c 01 00 00 00            #     PidTagRecipientType 1 (To)
)";

TEST(RuleAction, DecodesAForwardWithRecipientProperties) {
  OXWIRE_REQ("MS-OXORULE_R322", "MS-OXORULE_R1003", "MS-OXORULE_R328", "MS-OXORULE_R1006",
             "MS-OXORULE_R274", "MS-OXORULE_R275");
  const auto bytes = from_hex(forward);
  auto a = decode(bytes);
  ASSERT_TRUE(a) << a.error().message();
  const ActionBlock& b = a->ActionBlocks.at(0);
  EXPECT_EQ(b.ActionType, ActionType::OP_FORWARD);
  EXPECT_EQ(b.ActionFlavor, static_cast<std::uint32_t>(ForwardFlavor::PR));
  const auto& f = std::get<ForwardDelegateActionData>(b.ActionData);
  ASSERT_EQ(f.RecipientBlocks.size(), 1u);
  const auto& props = f.RecipientBlocks[0].PropertyValues;
  ASSERT_EQ(props.size(), 3u);
  EXPECT_EQ(props[0], str(PidTagDisplayName, u"A"));
  EXPECT_EQ(props[1], str(PidTagEmailAddress, u"a@b"));
  EXPECT_EQ(props[2], i32(PidTagRecipientType, 1));
  EXPECT_EQ(encode(*a), bytes);
}

/// One block of every ActionType, with the ActionData form of the rule kind.
rule_actions every_type(bool wide) {
  const oxwire::guid template_id =
      oxwire::guid::from_string("{6D5F1C40-3B1A-4C7E-9B52-1A2B3C4D5E6F}");
  const ActionData move = wide ? ActionData{ExtendedMoveCopyActionData{{0x01}, {0x00, 0x01, 0x02}}}
                               : ActionData{MoveCopyActionData{0, {0x0A, 0x0B}, {0x0C}}};
  const ActionData reply =
      wide ? ActionData{ExtendedReplyActionData{std::vector<std::uint8_t>(70, 0x5A), template_id}}
           : ActionData{ReplyActionData{0x0102030405060708, 0x1112131415161718, template_id}};
  const RecipientBlockData to{0x01, {str(PidTagDisplayName, u"Bo"), i32(PidTagRecipientType, 1)}};
  rule_actions a;
  using enum ActionType;
  a.ActionBlocks = {
      {OP_MOVE, 0, 0x11223344, move},
      {OP_COPY, 0, 0, move},
      {OP_REPLY, static_cast<std::uint32_t>(ReplyFlavor::NS), 0, reply},
      {OP_OOF_REPLY, static_cast<std::uint32_t>(ReplyFlavor::ST), 0, reply},
      {OP_DEFER_ACTION, 0, 0, DeferActionData{{0xDE, 0xAD, 0xBE, 0xEF}}},
      {OP_BOUNCE, 0, 0, BounceActionData{BounceCode::TooLarge}},
      {OP_FORWARD, static_cast<std::uint32_t>(ForwardFlavor::AT), 0,
       ForwardDelegateActionData{{to, to}}},
      {OP_DELEGATE, 0, 0, ForwardDelegateActionData{{to}}},
      {OP_TAG, 0, 0, TagActionData{i32(PidTagImportance, 2)}},
      {OP_DELETE, 0, 0, {}},
      {OP_MARK_AS_READ, 0, 0, {}},
  };
  return a;
}

TEST(RuleAction, EveryActionTypeRoundTripsInBothRuleKinds) {
  OXWIRE_REQ("MS-OXORULE_R245", "MS-OXORULE_R292", "MS-OXORULE_R955", "MS-OXORULE_R966",
             "MS-OXORULE_R970", "MS-OXORULE_R975", "MS-OXORULE_R989", "MS-OXORULE_R992",
             "MS-OXORULE_R995", "MS-OXORULE_R997", "MS-OXORULE_R318", "MS-OXORULE_R320",
             "MS-OXORULE_R338", "MS-OXORULE_R339", "MS-OXORULE_R739", "MS-OXORULE_R944",
             "MS-OXORULE_R945", "MS-OXORULE_R948", "MS-OXORULE_R949");
  for (const bool wide : {false, true}) {
    const value_options& o = wide ? extended : standard;
    const rule_actions a = every_type(wide);
    const auto bytes = encode(a, o);
    auto back = decode(bytes, o);
    ASSERT_TRUE(back) << back.error().message();
    EXPECT_EQ(*back, a);
    EXPECT_EQ(encode(*back, o), bytes);
    // NoOfActions and the first ActionLength are 4 bytes wide in extended rules, 2 in standard.
    if (wide) {
      EXPECT_EQ(std::vector(bytes.begin(), bytes.begin() + 4), from_hex("0b 00 00 00"));
      EXPECT_EQ(bytes[8], 0x01);  // ActionType after a 4-byte ActionLength
    } else {
      EXPECT_EQ(std::vector(bytes.begin(), bytes.begin() + 2), from_hex("0b 00"));
      EXPECT_EQ(bytes[4], 0x01);
    }
  }
}

TEST(RuleAction, ExtendedMoveAndReplyLayouts) {
  rule_actions a;
  a.ActionBlocks = {{ActionType::OP_COPY, 0, 0, ExtendedMoveCopyActionData{{0x01}, {0x02, 0x03}}}};
  EXPECT_EQ(encode(a, extended), from_hex(R"(
    01 00 00 00  14 00 00 00  02 00 00 00 00 00 00 00 00
    01 00 00 00 01  02 00 00 00 02 03)"));
  const oxwire::guid g = oxwire::guid::from_string("{00000001-0002-0003-0405-060708090A0B}");
  a.ActionBlocks = {{ActionType::OP_REPLY, 0, 0, ExtendedReplyActionData{{0xEE}, g}}};
  EXPECT_EQ(encode(a, extended), from_hex(R"(
    01 00 00 00  1e 00 00 00  03 00 00 00 00 00 00 00 00
    01 00 00 00 ee  01 00 00 00 02 00 03 00 04 05 06 07 08 09 0a 0b)"));
}

TEST(RuleAction, ActionLengthMustMatchTheBlock) {
  OXWIRE_REQ("MS-OXORULE_R236");
  // One byte too many: OP_DELETE has no ActionData.
  EXPECT_TRUE(oxwire_test::fails_with(decode(from_hex("01 00 0a 00 0a 00 00 00 00 00 00 00 00 ff")),
                                      errc::invalid_size, 2, "ActionLength"));
  // Too short for the fixed fields, and too short for OP_BOUNCE's BounceCode.
  EXPECT_TRUE(oxwire_test::fails_with(decode(from_hex("01 00 04 00 0a 00 00 00 00 00 00 00 00")),
                                      errc::invalid_size, 2, "ActionLength"));
  EXPECT_TRUE(oxwire_test::fails_with(
      decode(from_hex("01 00 0b 00 06 00 00 00 00 00 00 00 00 0d 00 00 00")), errc::invalid_size, 2,
      "ActionLength"));
  // Longer than what is left.
  EXPECT_TRUE(oxwire_test::fails_with(decode(from_hex("01 00 20 00 0a 00 00 00 00 00 00 00 00")),
                                      oxwire::errc::truncated, 4, "ActionBlock"));
  // A second block is checked at its own offset.
  auto bytes = from_hex(move_then_read);
  bytes[40] = 0x0A;  // the OP_MARK_AS_READ block claims ten bytes
  bytes.push_back(0);
  EXPECT_TRUE(oxwire_test::fails_with(decode(bytes), errc::invalid_size, 40, "ActionLength"));
}

TEST(RuleAction, EachMalformedFieldIsNamedAtItsOffset) {
  OXWIRE_REQ("MS-OXORULE_R232", "MS-OXORULE_R273", "MS-OXORULE_R324", "MS-OXORULE_R331",
             "MS-OXORULE_R340");
  EXPECT_TRUE(oxwire_test::fails_with(decode(from_hex("00 00")), oxwire::errc::out_of_range, 0,
                                      "NoOfActions"));
  EXPECT_TRUE(oxwire_test::fails_with(decode(from_hex("00 00 00 00"), extended),
                                      oxwire::errc::out_of_range, 0, "NoOfActions"));
  EXPECT_TRUE(oxwire_test::fails_with(decode(from_hex("ff ff 09 00 0a 00 00 00 00 00 00 00 00")),
                                      errc::count_too_large, 0, "NoOfActions"));
  EXPECT_TRUE(oxwire_test::fails_with(decode(from_hex("01 00 09 00 0c 00 00 00 00 00 00 00 00")),
                                      errc::invalid_kind, 4, "ActionType"));
  EXPECT_TRUE(oxwire_test::fails_with(decode(from_hex("01 00 09 00 00 00 00 00 00 00 00 00 00")),
                                      errc::invalid_kind, 4, "ActionType"));
  EXPECT_TRUE(oxwire_test::fails_with(decode(from_hex("01 00 09 00 0a 01 00 00 00 00 00 00 00")),
                                      errc::invalid_flag, 5, "ActionFlavor"));
  EXPECT_TRUE(oxwire_test::fails_with(
      decode(from_hex("01 00 0d 00 06 00 00 00 00 00 00 00 00 0e 00 00 00")), errc::invalid_kind,
      13, "BounceCode"));
  EXPECT_TRUE(
      oxwire_test::fails_with(decode(from_hex("01 00 0b 00 07 00 00 00 00 00 00 00 00 00 00")),
                              oxwire::errc::out_of_range, 13, "RecipientCount"));
  EXPECT_TRUE(oxwire_test::fails_with(
      decode(from_hex("01 00 12 00 08 00 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 00")),
      oxwire::errc::out_of_range, 16, "NoOfProperties"));
  EXPECT_TRUE(oxwire_test::fails_with(
      decode(from_hex("01 00 0f 00 08 00 00 00 00 00 00 00 00 05 00 00 00 00 00 00")),
      errc::count_too_large, 13, "RecipientCount"));
  // An OP_TAG value of a type MS-OXCDATA does not define.
  EXPECT_TRUE(oxwire_test::fails_with(
      decode(from_hex("01 00 0d 00 09 00 00 00 00 00 00 00 00 77 00 17 00")),
      errc::unknown_property_type, 13, "PropertyTag"));
}

TEST(RuleAction, EveryTruncationIsAnError) {
  for (const bool wide : {false, true}) {
    const value_options& o = wide ? extended : standard;
    const auto bytes = encode(every_type(wide), o);
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      reader in(oxwire::bytes_view(bytes).first(n));
      auto d = decode_rule_actions(in, o);
      ASSERT_FALSE(d) << "cut at " << n;
      EXPECT_LE(d.error().offset, n);
    }
  }
  for (const char* sample : {move_then_read, forward}) {
    const auto bytes = from_hex(sample);
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      reader in(oxwire::bytes_view(bytes).first(n));
      EXPECT_FALSE(decode_rule_actions(in)) << n;
    }
  }
}

TEST(RuleAction, TheEncoderRejectsWhatTheDecoderWould) {
  std::vector<std::uint8_t> out;
  vector_writer w(out);
  const auto rejects = [&](const rule_actions& a, auto code, std::size_t at, const char* what,
                           const value_options& o = standard) {
    out.clear();
    return oxwire_test::fails_with(encode_rule_actions(w, a, o), code, at, what);
  };
  EXPECT_TRUE(rejects({}, oxwire::errc::out_of_range, 0, "NoOfActions"));
  // The ActionData form must be the one of the ActionType and the rule kind.
  EXPECT_TRUE(rejects({{{ActionType::OP_BOUNCE, 0, 0, {}}}}, errc::invalid_kind, 2, "ActionData"));
  EXPECT_TRUE(rejects({{{ActionType::OP_MOVE, 0, 0, ExtendedMoveCopyActionData{}}}},
                      errc::invalid_kind, 2, "ActionData"));
  EXPECT_TRUE(rejects({{{ActionType::OP_MOVE, 0, 0, MoveCopyActionData{}}}}, errc::invalid_kind, 4,
                      "ActionData", extended));
  EXPECT_TRUE(
      rejects({{{static_cast<ActionType>(0x0C), 0, 0, {}}}}, errc::invalid_kind, 2, "ActionType"));
  EXPECT_TRUE(
      rejects({{{ActionType::OP_DELETE, 1, 0, {}}}}, errc::invalid_flag, 2, "ActionFlavor"));
  EXPECT_TRUE(
      rejects({{{ActionType::OP_BOUNCE, 0, 0, BounceActionData{static_cast<BounceCode>(1)}}}},
              errc::invalid_kind, 13, "BounceCode"));
  EXPECT_TRUE(rejects({{{ActionType::OP_FORWARD, 0, 0, ForwardDelegateActionData{}}}},
                      oxwire::errc::out_of_range, 13, "RecipientCount"));
  EXPECT_TRUE(rejects(
      {{{ActionType::OP_DELEGATE, 0, 0, ForwardDelegateActionData{{RecipientBlockData{}}}}}},
      oxwire::errc::out_of_range, 16, "NoOfProperties"));
  // ActionLength is 16 bits in standard rules; the same block fits an extended rule.
  const rule_actions big{{{ActionType::OP_DEFER_ACTION, 0, 0,
                           DeferActionData{std::vector<std::uint8_t>(0x10000, 0)}}}};
  EXPECT_TRUE(rejects(big, oxwire::errc::out_of_range, 2, "ActionLength"));
  out.clear();
  ASSERT_TRUE(encode_rule_actions(w, big, extended));
  EXPECT_EQ(decode(out, extended).value(), big);
}

TEST(RuleAction, NestedValuesCountTowardsTheDepthLimit) {
  // OP_TAG with a PtypRestriction value: the restriction is one level below the RuleAction.
  const rule_actions a{
      {{ActionType::OP_TAG, 0, 0,
        TagActionData{tagged_value{property_tag{0x667900FD},
                                   property_value::make<PropertyType::PtypRestriction>(
                                       restriction{ExistRestriction{PidTagSubject}})}}}}};
  const auto bytes = encode(a);
  value_options o;
  o.max_depth = 2;
  EXPECT_EQ(decode(bytes, o).value(), a);
  o.max_depth = 1;
  EXPECT_TRUE(oxwire_test::fails_with(decode(bytes, o), errc::nesting_too_deep, 17, "Restriction"));
  o.max_depth = 0;
  EXPECT_TRUE(oxwire_test::fails_with(decode(bytes, o), errc::nesting_too_deep, 0, "RuleAction"));
}

TEST(RuleAction, IsAPropertyValueType) {
  OXWIRE_REQ("MS-OXORULE_R105", "MS-OXORULE_R107");
  const auto body = from_hex(forward);
  std::vector<std::uint8_t> bytes = from_hex("fe 00 80 66");
  bytes.insert(bytes.end(), body.begin(), body.end());
  reader in(bytes);
  auto v = decode_tagged_value(in);
  ASSERT_TRUE(v) << v.error().message();
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(v->tag, PidTagRuleActions);
  const auto* e = v->value.get_if<PropertyType::PtypRuleAction>();
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(std::ranges::equal(e->bytes, body));
  const tagged_value owned = to_owned(*v);
  EXPECT_EQ(**owned.value.get_if<PropertyType::PtypRuleAction>(), decode(body).value());
  std::vector<std::uint8_t> out;
  vector_writer w(out);
  ASSERT_TRUE(encode_tagged_value(w, owned));
  EXPECT_EQ(out, bytes);
}

}  // namespace test_rule_action
