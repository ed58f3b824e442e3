// oxwire — error conditions of the MAPI layer (MS-OXCDATA, MS-OXPROPS, MS-OXORULE structures).
#pragma once

#include <oxwire/core/error.hpp>

namespace oxwire::mapi {

/// What a MAPI decoder or encoder can reject; travels in `oxwire::error` with the byte offset.
enum class errc : int {
  unknown_property_type = 1,  // a type code that MS-OXCDATA 2.11.1 does not define
  type_has_no_value,          // PtypUnspecified where a value must follow
  type_mismatch,              // a value whose type differs from its tag's
  invalid_flag,               // a flag byte outside the values the structure allows
  invalid_kind,               // a kind/type selector outside the values the structure allows
  invalid_boolean,            // PtypBoolean other than 0 or 1 (MS-OXCDATA 2.11.1)
  count_too_large,            // a count larger than the bytes left could hold
  nesting_too_deep,           // restriction or rule nesting past the configured limit
  invalid_size,               // a size field that disagrees with the structure
  unknown_property,           // a name, alias or tag with no entry in MS-OXPROPS
  unresolved_named_property,  // a named property the name-to-id map does not hold
};

/// What each value means, as `error::message()` prints it.
[[nodiscard]] constexpr const char* describe(errc e) noexcept {
  switch (e) {
    case errc::unknown_property_type: return "unknown property type";
    case errc::type_has_no_value: return "property type has no value";
    case errc::type_mismatch: return "property type mismatch";
    case errc::invalid_flag: return "invalid flag";
    case errc::invalid_kind: return "invalid kind";
    case errc::invalid_boolean: return "invalid boolean";
    case errc::count_too_large: return "count larger than the bytes left";
    case errc::nesting_too_deep: return "nesting too deep";
    case errc::invalid_size: return "invalid size";
    case errc::unknown_property: return "unknown property";
    case errc::unresolved_named_property: return "unresolved named property";
  }
  return "unknown oxwire.mapi error";
}

namespace detail {
inline constexpr oxwire::detail::enum_category<errc> mapi_category_instance{0x6f78776972650002ULL,
                                                                            "oxwire.mapi"};
}  // namespace detail

[[nodiscard]] inline const boost::system::error_category& mapi_category() noexcept {
  return detail::mapi_category_instance;
}
[[nodiscard]] inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), mapi_category()};
}

}  // namespace oxwire::mapi

template <>
struct boost::system::is_error_code_enum<oxwire::mapi::errc> : std::true_type {};
