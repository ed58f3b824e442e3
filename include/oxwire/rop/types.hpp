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
#include <optional>
#include <string>
#include <tuple>
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
[[nodiscard]] constexpr field_info plain(kind k) noexcept {
  return {.kind = k};
}
[[nodiscard]] constexpr field_info counted(kind k, std::int16_t ref) noexcept {
  return {.kind = k, .array = true, .ref = ref};
}
[[nodiscard]] constexpr field_info sized(kind k, std::int16_t ref) noexcept {
  return {.kind = k, .ref = ref, .by_size = true};
}
}  // namespace detail

template <>
struct layout<LogonTime> {
  static constexpr std::string_view name = "LogonTime";
  static constexpr std::array<field_info, 7> fields{
      detail::plain(kind::u8), detail::plain(kind::u8), detail::plain(kind::u8),
      detail::plain(kind::u8), detail::plain(kind::u8), detail::plain(kind::u8),
      detail::plain(kind::u16)};
  static constexpr std::tuple members{&LogonTime::Seconds,   &LogonTime::Minutes, &LogonTime::Hour,
                                      &LogonTime::DayOfWeek, &LogonTime::Day,     &LogonTime::Month,
                                      &LogonTime::Year};
  static constexpr std::array<const char*, 7> names{
      {"Seconds", "Minutes", "Hour", "DayOfWeek", "Day", "Month", "Year"}};
};
template <>
struct layout<OpenRecipientRow> {
  static constexpr std::string_view name = "OpenRecipientRow";
  static constexpr std::array<field_info, 5> fields{
      detail::plain(kind::u8), detail::plain(kind::u16), detail::plain(kind::u16),
      detail::plain(kind::u16), detail::sized(kind::bytes, 3)};
  static constexpr std::tuple members{
      &OpenRecipientRow::RecipientType, &OpenRecipientRow::CodePageId, &OpenRecipientRow::Reserved,
      &OpenRecipientRow::RecipientRowSize, &OpenRecipientRow::RecipientRow};
  static constexpr std::array<const char*, 5> names{
      {"RecipientType", "CodePageId", "Reserved", "RecipientRowSize", "RecipientRow"}};
};
template <>
struct layout<ReadRecipientRow> {
  static constexpr std::string_view name = "ReadRecipientRow";
  static constexpr std::array<field_info, 6> fields{
      detail::plain(kind::u32), detail::plain(kind::u8),  detail::plain(kind::u16),
      detail::plain(kind::u16), detail::plain(kind::u16), detail::sized(kind::bytes, 4)};
  static constexpr std::tuple members{&ReadRecipientRow::RowId,
                                      &ReadRecipientRow::RecipientType,
                                      &ReadRecipientRow::CodePageId,
                                      &ReadRecipientRow::Reserved,
                                      &ReadRecipientRow::RecipientRowSize,
                                      &ReadRecipientRow::RecipientRow};
  static constexpr std::array<const char*, 6> names{
      {"RowId", "RecipientType", "CodePageId", "Reserved", "RecipientRowSize", "RecipientRow"}};
};
template <>
struct layout<ModifyRecipientRow> {
  static constexpr std::string_view name = "ModifyRecipientRow";
  static constexpr std::array<field_info, 4> fields{
      detail::plain(kind::u32), detail::plain(kind::u8), detail::plain(kind::u16),
      detail::sized(kind::bytes, 2)};
  static constexpr std::tuple members{
      &ModifyRecipientRow::RowId, &ModifyRecipientRow::RecipientType,
      &ModifyRecipientRow::RecipientRowSize, &ModifyRecipientRow::RecipientRow};
  static constexpr std::array<const char*, 4> names{
      {"RowId", "RecipientType", "RecipientRowSize", "RecipientRow"}};
};
template <>
struct layout<PermissionData> {
  static constexpr std::string_view name = "PermissionData";
  static constexpr std::array<field_info, 3> fields{
      detail::plain(kind::u8), detail::plain(kind::u16), detail::counted(kind::tagged_value, 1)};
  static constexpr std::tuple members{&PermissionData::PermissionDataFlags,
                                      &PermissionData::PropertyValueCount,
                                      &PermissionData::PropertyValues};
  static constexpr std::array<const char*, 3> names{
      {"PermissionDataFlags", "PropertyValueCount", "PropertyValues"}};
};
template <>
struct layout<RuleData> {
  static constexpr std::string_view name = "RuleData";
  static constexpr std::array<field_info, 3> fields{
      detail::plain(kind::u8), detail::plain(kind::u16), detail::counted(kind::tagged_value, 1)};
  static constexpr std::tuple members{&RuleData::RuleDataFlags, &RuleData::PropertyValueCount,
                                      &RuleData::PropertyValues};
  static constexpr std::array<const char*, 3> names{
      {"RuleDataFlags", "PropertyValueCount", "PropertyValues"}};
};
template <>
struct layout<MessageReadState> {
  static constexpr std::string_view name = "MessageReadState";
  static constexpr std::array<field_info, 3> fields{
      detail::plain(kind::u16), detail::sized(kind::bytes, 0), detail::plain(kind::u8)};
  static constexpr std::tuple members{&MessageReadState::MessageIdSize,
                                      &MessageReadState::MessageId, &MessageReadState::MarkAsRead};
  static constexpr std::array<const char*, 3> names{{"MessageIdSize", "MessageId", "MarkAsRead"}};
};
template <>
struct layout<LongTermIdRange> {
  static constexpr std::string_view name = "LongTermIdRange";
  static constexpr std::array<field_info, 2> fields{detail::plain(kind::long_term_id),
                                                    detail::plain(kind::long_term_id)};
  static constexpr std::tuple members{&LongTermIdRange::MinLongTermId,
                                      &LongTermIdRange::MaxLongTermId};
  static constexpr std::array<const char*, 2> names{{"MinLongTermId", "MaxLongTermId"}};
};
template <>
struct layout<BackoffRop> {
  static constexpr std::string_view name = "BackoffRop";
  static constexpr std::array<field_info, 2> fields{detail::plain(kind::u8),
                                                    detail::plain(kind::u32)};
  static constexpr std::tuple members{&BackoffRop::RopIdBackoff, &BackoffRop::Duration};
  static constexpr std::array<const char*, 2> names{{"RopIdBackoff", "Duration"}};
};

}  // namespace oxwire::rop
