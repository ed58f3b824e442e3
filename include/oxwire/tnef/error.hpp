// oxwire — error conditions of MS-OXTNEF (TNEF streams: winmail.dat, application/ms-tnef).
#pragma once

#include <oxwire/core/error.hpp>

namespace oxwire::tnef {

/// What the TNEF reader or writer can reject; travels in `oxwire::error` with the byte offset.
/// Truncation (a field cut short) is `oxwire::errc::truncated`; a count larger than the bytes
/// left is `oxwire::mapi::errc::count_too_large`; a named property without a name on writing is
/// `oxwire::mapi::errc::unresolved_named_property`.
enum class errc : int {
  invalid_signature = 1,      // the stream does not start with 0x223E9F78 (MS-OXTNEF 2.1.3.1)
  invalid_level,              // attribute Level neither LVL_MESSAGE nor LVL_ATTACHMENT
  length_past_end,            // attribute Length runs past the end of the stream
  checksum_mismatch,          // attribute Checksum is not the sum of its data bytes mod 65536
  invalid_attribute_length,   // a legacy attribute whose data has the wrong size
  invalid_attribute_value,    // a legacy attribute value the spec does not allow (date, TRP)
  invalid_value_count,        // a single-valued variable-length property with a count other than 1
  unsupported_property_type,  // a property type TNEF does not carry (MS-OXTNEF 2.1.3.4.1)
  invalid_name_kind,          // a PropertyName Kind other than 0 (ID) or 1 (string)
  invalid_size,               // a value size or name length that does not fit its type
  trailing_data,              // bytes left in an attribute after its property list
  nesting_too_deep,           // embedded messages nested past the configured limit
};

/// What each value means, as `error::message()` prints it.
[[nodiscard]] constexpr const char* describe(errc e) noexcept {
  switch (e) {
    case errc::invalid_signature: return "not a TNEF stream (bad signature)";
    case errc::invalid_level: return "invalid attribute level";
    case errc::length_past_end: return "attribute length past the end of the stream";
    case errc::checksum_mismatch: return "attribute checksum mismatch";
    case errc::invalid_attribute_length: return "invalid attribute length";
    case errc::invalid_attribute_value: return "invalid attribute value";
    case errc::invalid_value_count: return "invalid value count";
    case errc::unsupported_property_type: return "property type not carried by TNEF";
    case errc::invalid_name_kind: return "invalid property name kind";
    case errc::invalid_size: return "invalid size";
    case errc::trailing_data: return "data after the property list";
    case errc::nesting_too_deep: return "embedded messages nested too deep";
  }
  return "unknown oxwire.tnef error";
}

namespace detail {
inline constexpr oxwire::detail::enum_category<errc> tnef_category_instance{0x6f78776972650063ULL,
                                                                            "oxwire.tnef"};
}  // namespace detail

[[nodiscard]] inline const boost::system::error_category& tnef_category() noexcept {
  return detail::tnef_category_instance;
}
[[nodiscard]] inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), tnef_category()};
}

}  // namespace oxwire::tnef

template <>
struct boost::system::is_error_code_enum<oxwire::tnef::errc> : std::true_type {};
