// oxwire — the structures MS-OXCROPS fields are made of that the ROP layout table names without
// expanding them (MS-OXCROPS 2.2.3.1.2 LogonTime, 2.2.6.x recipient rows, 2.2.10.1.1
// PermissionData, 2.2.11.1.1.1 RuleData, 2.2.13.3.1.1 MessageReadState, 2.2.13.12.1.1
// LongTermIdRange, 2.2.15.2.1.1 BackoffRop), each with a layout like the generated ROP structs.
// A RecipientRow (MS-OXCDATA 2.8.3) is carried as its RecipientRowSize bytes.
#pragma once

#include <oxwire/core/guid.hpp>
#include <oxwire/mapi/ids.hpp>
#include <oxwire/mapi/restriction_codec.hpp>
#include <oxwire/mapi/value_codec.hpp>
#include <oxwire/rop/any_rop.hpp>
#include <oxwire/rop/error.hpp>
#include <oxwire/rop/layout.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace oxwire::rop {

/// MS-OXCROPS 2.2.3.1.2 LogonTime (RopLogon private-mailbox response).
struct LogonTime {
  std::uint8_t Seconds{}, Minutes{}, Hour{}, DayOfWeek{}, Day{}, Month{};
  std::uint16_t Year{};
  friend bool operator==(const LogonTime&, const LogonTime&) = default;
};

/// MS-OXCROPS 2.2.6.1.2.1 OpenRecipientRow (RopOpenMessage, RopReloadCachedInformation).
struct OpenRecipientRow {
  std::uint8_t RecipientType{};
  std::uint16_t CodePageId{};
  std::uint16_t Reserved{};
  std::uint16_t RecipientRowSize{};
  std::vector<std::uint8_t> RecipientRow{};  // MS-OXCDATA 2.8.3, kept as bytes
  friend bool operator==(const OpenRecipientRow&, const OpenRecipientRow&) = default;
};

/// MS-OXCROPS 2.2.6.6.2.1 ReadRecipientRow (RopReadRecipients).
struct ReadRecipientRow {
  std::uint32_t RowId{};
  std::uint8_t RecipientType{};
  std::uint16_t CodePageId{};
  std::uint16_t Reserved{};
  std::uint16_t RecipientRowSize{};
  std::vector<std::uint8_t> RecipientRow{};  // MS-OXCDATA 2.8.3, kept as bytes
  friend bool operator==(const ReadRecipientRow&, const ReadRecipientRow&) = default;
};

/// MS-OXCROPS 2.2.6.5.1.1 ModifyRecipientRow (RopModifyRecipients); RecipientRowSize 0 deletes.
struct ModifyRecipientRow {
  std::uint32_t RowId{};
  std::uint8_t RecipientType{};
  std::uint16_t RecipientRowSize{};
  std::vector<std::uint8_t> RecipientRow{};  // MS-OXCDATA 2.8.3, kept as bytes
  friend bool operator==(const ModifyRecipientRow&, const ModifyRecipientRow&) = default;
};

/// MS-OXCPERM 2.2.2 PermissionData (RopModifyPermissions).
struct PermissionData {
  std::uint8_t PermissionDataFlags{};
  std::uint16_t PropertyValueCount{};
  std::vector<mapi::tagged_value> PropertyValues{};
  friend bool operator==(const PermissionData&, const PermissionData&) = default;
};

/// MS-OXORULE 2.2.1.3.2 RuleData (RopModifyRules).
struct RuleData {
  std::uint8_t RuleDataFlags{};
  std::uint16_t PropertyValueCount{};
  std::vector<mapi::tagged_value> PropertyValues{};
  friend bool operator==(const RuleData&, const RuleData&) = default;
};

/// MS-OXCROPS 2.2.13.3.1.1 MessageReadState (RopSetReadFlags... RopSetMessageReadFlag lists).
struct MessageReadState {
  std::uint16_t MessageIdSize{};
  std::vector<std::uint8_t> MessageId{};
  std::uint8_t MarkAsRead{};
  friend bool operator==(const MessageReadState&, const MessageReadState&) = default;
};

/// MS-OXCROPS 2.2.13.12.1.1 LongTermIdRange (RopSetLocalReplicaMidsetDeleted).
struct LongTermIdRange {
  mapi::long_term_id MinLongTermId{};
  mapi::long_term_id MaxLongTermId{};
  friend bool operator==(const LongTermIdRange&, const LongTermIdRange&) = default;
};

/// MS-OXCROPS 2.2.15.2.1.1 BackoffRop (RopBackoff).
struct BackoffRop {
  std::uint8_t RopIdBackoff{};
  std::uint32_t Duration{};
  friend bool operator==(const BackoffRop&, const BackoffRop&) = default;
};

namespace detail {
template <class S>
[[nodiscard]] constexpr field plain(const char* name, std::size_t offset, kind k) noexcept {
  static_assert(std::is_standard_layout_v<S>);
  return {.name = name, .offset = static_cast<std::uint32_t>(offset), .kind = k};
}
template <class S>
[[nodiscard]] constexpr field counted(const char* name, std::size_t offset, kind k,
                                      std::int16_t ref) noexcept {
  field f = plain<S>(name, offset, k);
  f.shape = shape::vector;
  f.ref = ref;
  return f;
}
template <class S>
[[nodiscard]] constexpr field sized(const char* name, std::size_t offset, kind k,
                                    std::int16_t ref) noexcept {
  field f = plain<S>(name, offset, k);
  f.ref = ref;
  f.by_size = true;
  return f;
}
}  // namespace detail

template <>
struct layout<LogonTime> {
  static constexpr std::string_view name = "LogonTime";
  static constexpr std::array<field, 7> fields{
      detail::plain<LogonTime>("Seconds", offsetof(LogonTime, Seconds), kind::u8),
      detail::plain<LogonTime>("Minutes", offsetof(LogonTime, Minutes), kind::u8),
      detail::plain<LogonTime>("Hour", offsetof(LogonTime, Hour), kind::u8),
      detail::plain<LogonTime>("DayOfWeek", offsetof(LogonTime, DayOfWeek), kind::u8),
      detail::plain<LogonTime>("Day", offsetof(LogonTime, Day), kind::u8),
      detail::plain<LogonTime>("Month", offsetof(LogonTime, Month), kind::u8),
      detail::plain<LogonTime>("Year", offsetof(LogonTime, Year), kind::u16)};
};
template <>
struct layout<OpenRecipientRow> {
  static constexpr std::string_view name = "OpenRecipientRow";
  static constexpr std::array<field, 5> fields{
      detail::plain<OpenRecipientRow>("RecipientType", offsetof(OpenRecipientRow, RecipientType),
                                      kind::u8),
      detail::plain<OpenRecipientRow>("CodePageId", offsetof(OpenRecipientRow, CodePageId),
                                      kind::u16),
      detail::plain<OpenRecipientRow>("Reserved", offsetof(OpenRecipientRow, Reserved), kind::u16),
      detail::plain<OpenRecipientRow>("RecipientRowSize",
                                      offsetof(OpenRecipientRow, RecipientRowSize), kind::u16),
      detail::sized<OpenRecipientRow>("RecipientRow", offsetof(OpenRecipientRow, RecipientRow),
                                      kind::bytes, 3)};
};
template <>
struct layout<ReadRecipientRow> {
  static constexpr std::string_view name = "ReadRecipientRow";
  static constexpr std::array<field, 6> fields{
      detail::plain<ReadRecipientRow>("RowId", offsetof(ReadRecipientRow, RowId), kind::u32),
      detail::plain<ReadRecipientRow>("RecipientType", offsetof(ReadRecipientRow, RecipientType),
                                      kind::u8),
      detail::plain<ReadRecipientRow>("CodePageId", offsetof(ReadRecipientRow, CodePageId),
                                      kind::u16),
      detail::plain<ReadRecipientRow>("Reserved", offsetof(ReadRecipientRow, Reserved), kind::u16),
      detail::plain<ReadRecipientRow>("RecipientRowSize",
                                      offsetof(ReadRecipientRow, RecipientRowSize), kind::u16),
      detail::sized<ReadRecipientRow>("RecipientRow", offsetof(ReadRecipientRow, RecipientRow),
                                      kind::bytes, 4)};
};
template <>
struct layout<ModifyRecipientRow> {
  static constexpr std::string_view name = "ModifyRecipientRow";
  static constexpr std::array<field, 4> fields{
      detail::plain<ModifyRecipientRow>("RowId", offsetof(ModifyRecipientRow, RowId), kind::u32),
      detail::plain<ModifyRecipientRow>("RecipientType",
                                        offsetof(ModifyRecipientRow, RecipientType), kind::u8),
      detail::plain<ModifyRecipientRow>("RecipientRowSize",
                                        offsetof(ModifyRecipientRow, RecipientRowSize), kind::u16),
      detail::sized<ModifyRecipientRow>("RecipientRow", offsetof(ModifyRecipientRow, RecipientRow),
                                        kind::bytes, 2)};
};
template <>
struct layout<PermissionData> {
  static constexpr std::string_view name = "PermissionData";
  static constexpr std::array<field, 3> fields{
      detail::plain<PermissionData>("PermissionDataFlags",
                                    offsetof(PermissionData, PermissionDataFlags), kind::u8),
      detail::plain<PermissionData>("PropertyValueCount",
                                    offsetof(PermissionData, PropertyValueCount), kind::u16),
      detail::counted<PermissionData>("PropertyValues", offsetof(PermissionData, PropertyValues),
                                      kind::tagged_value, 1)};
};
template <>
struct layout<RuleData> {
  static constexpr std::string_view name = "RuleData";
  static constexpr std::array<field, 3> fields{
      detail::plain<RuleData>("RuleDataFlags", offsetof(RuleData, RuleDataFlags), kind::u8),
      detail::plain<RuleData>("PropertyValueCount", offsetof(RuleData, PropertyValueCount),
                              kind::u16),
      detail::counted<RuleData>("PropertyValues", offsetof(RuleData, PropertyValues),
                                kind::tagged_value, 1)};
};
template <>
struct layout<MessageReadState> {
  static constexpr std::string_view name = "MessageReadState";
  static constexpr std::array<field, 3> fields{
      detail::plain<MessageReadState>("MessageIdSize", offsetof(MessageReadState, MessageIdSize),
                                      kind::u16),
      detail::sized<MessageReadState>("MessageId", offsetof(MessageReadState, MessageId),
                                      kind::bytes, 0),
      detail::plain<MessageReadState>("MarkAsRead", offsetof(MessageReadState, MarkAsRead),
                                      kind::u8)};
};
template <>
struct layout<LongTermIdRange> {
  static constexpr std::string_view name = "LongTermIdRange";
  static constexpr std::array<field, 2> fields{
      detail::plain<LongTermIdRange>("MinLongTermId", offsetof(LongTermIdRange, MinLongTermId),
                                     kind::long_term_id),
      detail::plain<LongTermIdRange>("MaxLongTermId", offsetof(LongTermIdRange, MaxLongTermId),
                                     kind::long_term_id)};
};
template <>
struct layout<BackoffRop> {
  static constexpr std::string_view name = "BackoffRop";
  static constexpr std::array<field, 2> fields{
      detail::plain<BackoffRop>("RopIdBackoff", offsetof(BackoffRop, RopIdBackoff), kind::u8),
      detail::plain<BackoffRop>("Duration", offsetof(BackoffRop, Duration), kind::u32)};
};

}  // namespace oxwire::rop
