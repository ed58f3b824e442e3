// oxwire — error conditions of the MS-ASHTTP request line, query value and headers.
#pragma once

#include <oxwire/core/error.hpp>

namespace oxwire::activesync {

/// What the MS-ASHTTP codecs can reject; travels in `oxwire::error`. Offsets are byte offsets in
/// the request target for the query parsers (base64 layout errors too: the offset of the base64
/// character that holds the field's first byte), in the decoded byte sequence for
/// decode_query_value, and in the header value for the header accessors. Truncation of the
/// base64 layout is oxwire::errc::truncated naming the field; base64 text errors are the core
/// base64 codes.
enum class ashttp_errc : int {
  missing_query = 1,             // no '?' in the request target (MS-ASHTTP 2.2.1.1.1)
  invalid_path,                  // empty path, or a space, control character or '#' in it
  target_too_long,               // target longer than query_limits::max_target_size
  invalid_percent_encoding,      // '%' not followed by two hex digits
  invalid_parameter,             // not name=value with a 1*ALPHA name (2.2.1.1.1.2)
  empty_value,                   // name= with nothing after it (values are 1*VCHAR)
  invalid_character,             // a control character in a decoded value
  unknown_parameter,             // a parameter name or tag MS-ASHTTP does not define
  duplicate_parameter,           // a parameter given twice
  missing_parameter,             // Cmd, User, DeviceId or DeviceType absent (plain query)
  unknown_command,               // a command name or code not in 2.2.1.1.1.1.2
  invalid_device_id,             // plain DeviceId not 1*32(ALPHA / DIGIT), or length 0
  invalid_save_in_sent,          // SaveInSent other than T or F (2.2.1.1.1.2.5)
  unsupported_protocol_version,  // a version that is not 2.5 .. 16.1, or not valid here
  invalid_policy_key_length,     // Policy key length other than 0 or 4 (2.2.1.1.1.1)
  invalid_options,               // Options not one byte, or with undefined flag bits
  not_representable,             // encoder: the value cannot be written in this form
  invalid_header_value,          // a request header value outside what its section allows
  duplicate_header,              // a single-valued header given more than once
  invalid_authorization,         // Basic credentials that do not decode to user:password
};

/// What each value means, as `error::message()` prints it.
[[nodiscard]] constexpr const char* describe(ashttp_errc e) noexcept {
  switch (e) {
    case ashttp_errc::missing_query: return "request target has no query";
    case ashttp_errc::invalid_path: return "invalid path";
    case ashttp_errc::target_too_long: return "request target too long";
    case ashttp_errc::invalid_percent_encoding: return "invalid percent-encoding";
    case ashttp_errc::invalid_parameter: return "invalid query parameter";
    case ashttp_errc::empty_value: return "empty parameter value";
    case ashttp_errc::invalid_character: return "control character in a value";
    case ashttp_errc::unknown_parameter: return "unknown parameter";
    case ashttp_errc::duplicate_parameter: return "duplicate parameter";
    case ashttp_errc::missing_parameter: return "missing required parameter";
    case ashttp_errc::unknown_command: return "unknown command";
    case ashttp_errc::invalid_device_id: return "invalid device ID";
    case ashttp_errc::invalid_save_in_sent: return "SaveInSent is neither T nor F";
    case ashttp_errc::unsupported_protocol_version: return "unsupported protocol version";
    case ashttp_errc::invalid_policy_key_length: return "policy key length is neither 0 nor 4";
    case ashttp_errc::invalid_options: return "invalid Options parameter";
    case ashttp_errc::not_representable: return "value not representable in this form";
    case ashttp_errc::invalid_header_value: return "invalid header value";
    case ashttp_errc::duplicate_header: return "header given more than once";
    case ashttp_errc::invalid_authorization: return "invalid Basic credentials";
  }
  return "unknown oxwire.ashttp error";
}

namespace detail {
inline constexpr oxwire::detail::enum_category<ashttp_errc> ashttp_category_instance{
    0x6f78776972650041ULL, "oxwire.ashttp"};
}  // namespace detail

[[nodiscard]] inline const boost::system::error_category& ashttp_category() noexcept {
  return detail::ashttp_category_instance;
}
[[nodiscard]] inline boost::system::error_code make_error_code(ashttp_errc e) noexcept {
  return {static_cast<int>(e), ashttp_category()};
}

}  // namespace oxwire::activesync

template <>
struct boost::system::is_error_code_enum<oxwire::activesync::ashttp_errc> : std::true_type {};
