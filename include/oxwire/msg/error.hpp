// oxwire — error conditions of the Outlook item file format (MS-OXMSG).
#pragma once

#include <oxwire/core/error.hpp>

namespace oxwire::msg {

/// What the MS-OXMSG reader or writer can reject; travels in `oxwire::error` with the offset.
/// Container faults are `oxwire::cfb::errc`, value faults `oxwire::mapi::errc`.
enum class errc : int {
  missing_property_stream = 1,  // a storage without __properties_version1.0 (MS-OXMSG 2.4)
  missing_value_stream,         // a variable length property entry without its stream (2.1.3)
  size_mismatch,                // a property entry Size that disagrees with its stream
  invalid_storage_name,         // a __recip/__attach storage name without 8 hex digits (2.2)
  invalid_named_property,       // a named property entry the mapping streams cannot resolve
  nesting_too_deep,             // embedded messages nested past the configured limit
  too_many_objects,             // more recipients or attachments than the configured limit
  unsupported_object,           // a PtypObject value neither an embedded message nor an OLE storage
  name_stream_mismatch,         // a name to ID mapping stream that disagrees with the entry stream
};

/// What each value means, as `error::message()` prints it.
[[nodiscard]] constexpr const char* describe(errc e) noexcept {
  switch (e) {
    case errc::missing_property_stream: return "missing property stream";
    case errc::missing_value_stream: return "missing property value stream";
    case errc::size_mismatch: return "property size mismatch";
    case errc::invalid_storage_name: return "invalid storage name";
    case errc::invalid_named_property: return "invalid named property entry";
    case errc::nesting_too_deep: return "embedded messages nested too deep";
    case errc::too_many_objects: return "too many recipients or attachments";
    case errc::unsupported_object: return "attachment object is no message or OLE storage";
    case errc::name_stream_mismatch:
      return "property name to property ID mapping stream disagrees with the entry stream";
  }
  return "unknown oxwire.msg error";
}

namespace detail {
inline constexpr oxwire::detail::enum_category<errc> msg_category_instance{0x6f78776972650062ULL,
                                                                           "oxwire.msg"};
}  // namespace detail

[[nodiscard]] inline const boost::system::error_category& msg_category() noexcept {
  return detail::msg_category_instance;
}
[[nodiscard]] inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), msg_category()};
}

}  // namespace oxwire::msg

template <>
struct boost::system::is_error_code_enum<oxwire::msg::errc> : std::true_type {};
