// oxwire — error conditions of MS-OXOAB (offline address book files).
#pragma once

#include <oxwire/core/error.hpp>

namespace oxwire::oab {

/// What the OAB reader or writer can reject; travels in `oxwire::error` with the byte offset.
/// Truncation is `oxwire::errc::truncated`, a configured limit `oxwire::errc::limit_exceeded`, a
/// count larger than the bytes left `oxwire::mapi::errc::count_too_large`, a PtypBoolean byte
/// other than 0 or 1 `oxwire::mapi::errc::invalid_boolean`.
enum class errc : int {
  invalid_version = 1,        // OAB_HDR ulVersion is not 0x00000020 (MS-OXOAB 2.9.1)
  unsupported_property_type,  // an OAB_PROP_REC type outside the MS-OXOAB 2.9.4 list
  duplicate_property,         // the same property tag twice in one OAB_PROP_TABLE
  invalid_record_size,        // cbSize too small for its fixed parts, or past the end of the file
  invalid_presence_bits,      // unused bits in the last presenceBitArray byte set (2.9.5)
  missing_primary_key,        // a record without a value for a primary-key property (2.9.4)
  invalid_integer,            // an integer encoding whose first byte is 0x80 or above 0x84
  empty_value,                // a zero-length string encoded instead of marked absent (2.9.6)
  trailing_data,              // bytes left in a record after its values, or after the last record
  property_not_in_table,      // writing: a record holds a property its OAB_PROP_TABLE lacks
  embedded_nul,               // writing: a string with a 0x00 inside (2.9.6.3)
  invalid_compressed_header,  // LZX_HDR / PATCH_HDR version or sizes the spec does not allow
  invalid_block,              // an LZX_BLK / PATCH_BLK header the spec does not allow
  checksum_mismatch,          // a block's or the file's CRC-32 differs from its data
  decompression_failed,       // libmspack rejected the compressed data
};

/// What each value means, as `error::message()` prints it.
[[nodiscard]] constexpr const char* describe(errc e) noexcept {
  switch (e) {
    case errc::invalid_version: return "not an OAB version 4 full details file (bad ulVersion)";
    case errc::unsupported_property_type: return "property type not allowed in an OAB";
    case errc::duplicate_property: return "property listed twice in a property table";
    case errc::invalid_record_size: return "invalid record size";
    case errc::invalid_presence_bits: return "unused presence bits set";
    case errc::missing_primary_key: return "primary-key property missing from a record";
    case errc::invalid_integer: return "invalid integer encoding";
    case errc::empty_value: return "empty value encoded";
    case errc::trailing_data: return "trailing data";
    case errc::property_not_in_table: return "property not in the property table";
    case errc::embedded_nul: return "string with an embedded NUL";
    case errc::invalid_compressed_header: return "invalid compressed OAB header";
    case errc::invalid_block: return "invalid compressed OAB block";
    case errc::checksum_mismatch: return "CRC-32 mismatch";
    case errc::decompression_failed: return "decompression failed";
  }
  return "unknown oxwire.oab error";
}

namespace detail {
inline constexpr oxwire::detail::enum_category<errc> oab_category_instance{0x6f78776972650064ULL,
                                                                           "oxwire.oab"};
}  // namespace detail

[[nodiscard]] inline const boost::system::error_category& oab_category() noexcept {
  return detail::oab_category_instance;
}
[[nodiscard]] inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), oab_category()};
}

}  // namespace oxwire::oab

template <>
struct boost::system::is_error_code_enum<oxwire::oab::errc> : std::true_type {};
