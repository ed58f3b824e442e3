// oxwire — how a ROP struct is laid out on the wire: the field table that the generated headers
// (include/oxwire/gen/rop/) and rop/types.hpp give for every struct, read by rop/codec.hpp.
//
//   static_assert(oxwire::rop::layout<oxwire::rop::request::RopLogon>::ropid == 0xFE);
#pragma once

#include <oxwire/mapi/property_tag.hpp>

#include <bitset>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <tuple>
#include <type_traits>

namespace oxwire::rop {

/// The wire form of one field (MS-OXCROPS 2.2 field types; MS-OXCDATA for the MAPI ones).
enum class kind : std::uint8_t {
  u8,
  u16,
  u32,
  u64,
  i32,
  u48,           // 6 bytes little-endian, in a std::uint64_t
  guid,          // MS-OXCDATA 2.11.1 GUID
  bytes,         // raw bytes, length in the `ref` field
  rest,          // raw bytes up to the end of the ROP list (RopBufferTooSmall, RopNotify)
  asciiz,        // NUL-terminated 8-bit string
  sized_asciiz,  // NUL-terminated 8-bit string whose length (0 = none) is in the `ref` field
  flex_string,   // UTF-16LE or 8-bit NUL-terminated string, chosen by `utf16()`
  tag,           // MS-OXCDATA 2.9 PropertyTag
  tagged_value,  // MS-OXCDATA 2.11.4 TaggedPropertyValue
  typed_string,  // MS-OXCDATA 2.11.7 TypedString
  problem,       // MS-OXCDATA 2.7 PropertyProblem
  restriction,   // MS-OXCDATA 2.12 restriction, byte length (0 = none) in the `ref` field
  long_term_id,  // MS-OXCDATA 2.2.1.3.1 LongTermID
  name,          // MS-OXCDATA 2.6.1 PropertyName
  sort_order,    // MS-OXCDATA 2.13.1 SortOrder
  row,           // MS-OXCDATA 2.8.1 PropertyRow of the columns `columns` names
  nested,        // a struct with a layout of its own (rop/types.hpp)
};

/// Where a row's columns come from.
enum class columns_from : std::uint8_t {
  none,
  request,  // the request's PropertyTags (RopGetPropertiesSpecific)
  table,    // the table's columns, set by RopSetColumns (RopQueryRows, RopFindRow, RopExpandRow)
  fixed,    // layout<S>::columns (RopGetReceiveFolderTable)
};

/// One field of a layout.
struct field_info {
  rop::kind kind = kind::u8;
  bool array = false;        // std::vector of `kind` (count or byte size in `ref`)
  std::uint8_t fixed = 0;    // std::array of `fixed` elements
  std::int16_t ref = -1;     // index of the field holding the count or byte size
  bool by_size = false;      // `ref` holds a byte size, not an element count
  bool conditional = false;  // std::optional; layout<S>::present(i, s, ctx) decides
  bool utf16 = false;        // flex_string: layout<S>::utf16(i, s) decides
  bool handle = false;       // an index into the Server object handle table (MS-OXCROPS 2.2.1)
  columns_from columns = columns_from::none;
  std::int64_t value = -1;  // the constant the field holds (RopId), or -1
};

/// Specialised for every ROP struct: name, variant, ropid, `fields`, and the member pointers
/// `members` and spec names `names` of the fields in wire order (see gen/rop/).
template <class S>
struct layout;

/// A type that has a layout.
template <class S>
concept laid_out = requires {
  layout<S>::fields;
};

/// What decoding one ROP needs besides its bytes: the state that MS-OXCROPS conditions refer to.
struct context {
  /// LogonIds known to be public-folders logons (RopLogon LogonFlags without Private 0x01);
  /// every other LogonId is taken as a private-mailbox logon.
  std::bitset<256> public_logons{};
  /// The columns of the row fields of the ROP being decoded; nullopt when unknown.
  std::optional<std::span<const mapi::property_tag>> columns{};
  /// Handles in the buffer's handle table; handle index fields must be below it.
  std::uint32_t handle_count = 0xFFFFFFFF;

  [[nodiscard]] constexpr bool private_logon(std::uint8_t logon_id) const noexcept {
    return !public_logons[logon_id];
  }
};

namespace detail {

/// A field's value for a condition: an absent optional reads as 0.
template <class T>
[[nodiscard]] constexpr std::uint64_t val(const T& v) noexcept {
  if constexpr (requires { v.has_value(); })
    return v ? static_cast<std::uint64_t>(*v) : 0;
  else
    return static_cast<std::uint64_t>(v);
}

/// Member I of a ROP struct (layout<S>::members): `member<2>(rop) = 7;`.
template <std::size_t I, class S>
[[nodiscard]] constexpr auto& member(S& s) noexcept {
  return s.*std::get<I>(layout<std::remove_const_t<S>>::members);
}

/// Name of member I (the spec's field name): `member_name<2, request::RopLogon>()`.
template <std::size_t I, class S>
[[nodiscard]] constexpr const char* member_name() noexcept {
  return layout<S>::names[I];
}

}  // namespace detail

}  // namespace oxwire::rop
