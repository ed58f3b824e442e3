// oxwire — error conditions of the ROP layer (MS-OXCROPS 2.2: ROP buffers and ROP structs).
#pragma once

#include <oxwire/core/error.hpp>

namespace oxwire::rop {

/// What a ROP decoder or encoder can reject; travels in `oxwire::error` with the offset.
/// Truncation is `oxwire::errc::truncated`; bad MAPI values are `oxwire::mapi::errc`.
enum class errc : int {
  invalid_rop_size = 1,       // RopSize below 2 or past the end of the buffer
  unknown_rop_id,             // a RopId with no request (or response) layout
  handle_table_misaligned,    // the bytes after RopSize are not a whole number of uint32 handles
  handle_index_out_of_range,  // a handle index field at or past the handle table's count
  trailing_bytes,             // bytes left in a sized field after its content
  invalid_string,             // a sized 8-bit string without its terminator, or with one inside
  no_response_variant,        // no response layout of the ROP matches its ReturnValue
  unexpected_response,        // a response whose RopId is not that of the request it answers
  columns_unknown,            // a row whose columns neither the request nor the options give
  count_mismatch,             // (encode) a count or size field that disagrees with its data
  condition_mismatch,         // (encode) a conditional field present where its condition fails
  invalid_value,              // (encode) a RopId field that is not the ROP's, a value too wide
  too_many_rops,              // more ROPs than the configured limit
};

/// What each value means, as `error::message()` prints it.
[[nodiscard]] constexpr const char* describe(errc e) noexcept {
  switch (e) {
    case errc::invalid_rop_size: return "invalid RopSize";
    case errc::unknown_rop_id: return "unknown RopId";
    case errc::handle_table_misaligned: return "handle table not a whole number of handles";
    case errc::handle_index_out_of_range: return "handle index out of range";
    case errc::trailing_bytes: return "trailing bytes";
    case errc::invalid_string: return "invalid string";
    case errc::no_response_variant: return "no response layout for this ReturnValue";
    case errc::unexpected_response: return "response does not match its request";
    case errc::columns_unknown: return "row columns unknown";
    case errc::count_mismatch: return "count or size disagrees with the data";
    case errc::condition_mismatch: return "conditional field disagrees with its condition";
    case errc::invalid_value: return "invalid value";
    case errc::too_many_rops: return "too many ROPs";
  }
  return "unknown oxwire.rop error";
}

namespace detail {
inline constexpr oxwire::detail::enum_category<errc> rop_category_instance{0x6f78776972650051ULL,
                                                                           "oxwire.rop"};
}  // namespace detail

[[nodiscard]] inline const boost::system::error_category& rop_category() noexcept {
  return detail::rop_category_instance;
}
[[nodiscard]] inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), rop_category()};
}

}  // namespace oxwire::rop

template <>
struct boost::system::is_error_code_enum<oxwire::rop::errc> : std::true_type {};
