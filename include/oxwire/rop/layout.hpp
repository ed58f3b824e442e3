// oxwire — how a ROP struct is laid out on the wire: the field table that the generated headers
// (include/oxwire/gen/rop/) and rop/types.hpp give for every struct, read by the one table
// interpreter of rop/codec.hpp. A field is plain data (kind, shape, member offset, the indices
// of the fields holding its count or size and its condition, spec name), so decoding or encoding
// a struct instantiates nothing per field.
//
//   static_assert(oxwire::rop::layout<oxwire::rop::request::RopLogon>::ropid == 0xFE);
//   for (const field& f : layout<request::RopLogon>::fields) std::puts(f.name);
#pragma once

#include <oxwire/mapi/property_tag.hpp>

#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

namespace oxwire::rop {

/// The wire form of one value (MS-OXCROPS 2.2 field types; MS-OXCDATA for the MAPI ones).
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
  flex_string,   // UTF-16LE or 8-bit NUL-terminated string, chosen by the `utf16` condition
  tag,           // MS-OXCDATA 2.9 PropertyTag
  tagged_value,  // MS-OXCDATA 2.11.4 TaggedPropertyValue
  typed_string,  // MS-OXCDATA 2.11.7 TypedString
  problem,       // MS-OXCDATA 2.7 PropertyProblem
  restriction,   // MS-OXCDATA 2.12 restriction, byte length (0 = none) in the `ref` field
  long_term_id,  // MS-OXCDATA 2.2.1.3.1 LongTermID
  name,          // MS-OXCDATA 2.6.1 PropertyName
  sort_order,    // MS-OXCDATA 2.13.1 SortOrder
  row,           // MS-OXCDATA 2.8.1 PropertyRow of the columns `columns` names
  nested,        // a struct with a layout of its own (rop/types.hpp), `field::nested`
};

/// How the values of a field are held: one, a std::vector (count or byte size in `ref`), or a
/// std::array of `fixed` elements.
enum class shape : std::uint8_t { one, vector, array };

/// Where a row's columns come from.
enum class columns_from : std::uint8_t {
  none,
  request,  // the request's PropertyTags (RopGetPropertiesSpecific)
  table,    // the table's columns, set by RopSetColumns (RopQueryRows, RopFindRow, RopExpandRow)
  fixed,    // field::fixed_columns (RopGetReceiveFolderTable)
};

/// One test of a condition on an earlier field (an absent optional reads as 0), or on the
/// logon the ROP's LogonId names.
struct term {
  enum op_t : std::uint8_t { none, eq, ne, any_bit, no_bit, public_logon, private_logon };
  op_t op = none;
  std::int16_t field = -1;
  std::uint64_t constant = 0;
};

/// A conjunction of up to two terms; no terms is true.
struct condition {
  std::array<term, 2> terms{};
};

struct struct_info;

/// One field of a layout.
struct field {
  const char* name = "";     // the spec's field name
  std::uint32_t offset = 0;  // offsetof the member (the structs are standard-layout)
  rop::kind kind = kind::u8;
  rop::shape shape = shape::one;
  std::uint8_t fixed = 0;    // shape::array: the element count
  bool conditional = false;  // held in a std::optional; `present` decides
  std::int16_t ref = -1;     // index of the field holding the count or byte size
  bool by_size = false;      // `ref` holds a byte size, not an element count
  bool handle = false;       // an index into the Server object handle table (MS-OXCROPS 2.2.1)
  columns_from columns = columns_from::none;
  std::int64_t value = -1;  // the constant the field holds (RopId), or -1
  condition present{};      // conditional: when the field is on the wire
  condition utf16{};        // flex_string: when it is UTF-16 (else 8-bit)
  std::span<const mapi::property_tag> fixed_columns{};  // columns_from::fixed
  const struct_info* nested = nullptr;                  // kind::nested: the element's layout
};

/// A struct's layout as the interpreter reads it, with the std::vector operations a vector of
/// it needs (kind::nested).
struct struct_info {
  std::string_view name;
  std::string_view variant;  // "request", a response variant, or empty for rop/types.hpp
  std::uint8_t ropid = 0;    // the ROP's RopId (its request's, for a response)
  std::span<const field> fields;
  std::size_t (*vector_size)(const void* v) = nullptr;
  const void* (*vector_data)(const void* v) = nullptr;
  void* (*vector_resize)(void* v, std::size_t n) = nullptr;  // -> the first element
  std::size_t element_size = 0;
};

/// Specialised for every ROP struct: name, variant, ropid and `fields` in wire order (see
/// gen/rop/).
template <class S>
struct layout;

/// A type that has a layout.
template <class S>
concept laid_out = requires {
  layout<S>::fields;
};

namespace detail {

template <class S>
[[nodiscard]] std::size_t vector_size_of(const void* v) noexcept {
  return static_cast<const std::vector<S>*>(v)->size();
}
template <class S>
[[nodiscard]] const void* vector_data_of(const void* v) noexcept {
  return static_cast<const std::vector<S>*>(v)->data();
}
template <class S>
[[nodiscard]] void* vector_resize_of(void* v, std::size_t n) {
  auto& vec = *static_cast<std::vector<S>*>(v);
  vec.resize(n);
  return vec.data();
}

}  // namespace detail

template <laid_out S>
[[nodiscard]] consteval std::string_view variant_of() noexcept {
  if constexpr (requires { layout<S>::variant; })
    return layout<S>::variant;
  else
    return {};
}

template <laid_out S>
[[nodiscard]] consteval std::uint8_t ropid_of() noexcept {
  if constexpr (requires { layout<S>::ropid; })
    return layout<S>::ropid;
  else
    return 0;
}

/// The table of S: `info<request::RopLogon>.fields[6].name == "LogonFlags"`.
template <laid_out S>
inline constexpr struct_info info{layout<S>::name, variant_of<S>(), ropid_of<S>(),
                                  layout<S>::fields};

/// The table of S with the std::vector<S> operations, for the structs fields nest (kind::nested).
template <laid_out S>
inline constexpr struct_info element_info{layout<S>::name,
                                          variant_of<S>(),
                                          ropid_of<S>(),
                                          layout<S>::fields,
                                          &detail::vector_size_of<S>,
                                          &detail::vector_data_of<S>,
                                          &detail::vector_resize_of<S>,
                                          sizeof(S)};

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

}  // namespace oxwire::rop
