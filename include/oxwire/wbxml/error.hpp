// oxwire — error conditions of the WBXML layer (WAP WBXML 1.3 as MS-ASWBXML uses it).
#pragma once

#include <oxwire/core/error.hpp>

namespace oxwire::wbxml {

/// What the WBXML tokenizer, tree builder, encoder or XML writer can reject; travels in
/// `oxwire::error` with the byte offset (input offset for decoders, output offset for encoders).
enum class errc : int {
  truncated_header = 1,    // input ends inside version, public id, charset or string table
  truncated_string,        // STR_I, STR_T index or string-table string without its NUL
  truncated_opaque,        // input ends inside an OPAQUE length
  truncated_body,          // input ends with elements open, before the root, or in SWITCH_PAGE
  mb_uint32_too_long,      // mb_u_int32 with more than 5 bytes (WBXML 1.3 5.1)
  mb_uint32_overflow,      // mb_u_int32 whose value needs more than 32 bits
  unsupported_version,     // version byte whose major version is not 1
  unsupported_charset,     // charset other than 106 (UTF-8), the one ActiveSync sends
  unknown_code_page,       // SWITCH_PAGE to a page MS-ASWBXML 2.1.2.1 does not define
  unknown_token,           // a tag token the code page does not define
  end_without_start,       // END with no element open
  nesting_too_deep,        // more open elements than options::max_depth
  opaque_length_past_end,  // OPAQUE length larger than the bytes left
  invalid_utf8,            // a string that is not well-formed UTF-8
  string_table_offset_out_of_range,  // STR_T or public-id index past the string table
  attributes_not_supported,          // tag with the attribute bit (0x80); MS-ASWBXML 2.1.3
  unsupported_global_token,          // ENTITY, PI, LITERAL*, EXT*; MS-ASWBXML 2.1.3
  content_outside_element,           // a string or opaque data before the root element
  trailing_bytes,                    // anything after the root element
  not_xml_char,                      // text holds a character XML 1.0 cannot represent
};

/// What each value means, as `error::message()` prints it.
[[nodiscard]] constexpr const char* describe(errc e) noexcept {
  switch (e) {
    case errc::truncated_header: return "truncated WBXML header";
    case errc::truncated_string: return "truncated string";
    case errc::truncated_opaque: return "truncated opaque data";
    case errc::truncated_body: return "truncated WBXML body";
    case errc::mb_uint32_too_long: return "mb_u_int32 longer than 5 bytes";
    case errc::mb_uint32_overflow: return "mb_u_int32 overflows 32 bits";
    case errc::unsupported_version: return "unsupported WBXML version";
    case errc::unsupported_charset: return "unsupported charset";
    case errc::unknown_code_page: return "unknown code page";
    case errc::unknown_token: return "unknown tag token";
    case errc::end_without_start: return "END with no element open";
    case errc::nesting_too_deep: return "nesting too deep";
    case errc::opaque_length_past_end: return "opaque length past the end";
    case errc::invalid_utf8: return "invalid UTF-8 in a string";
    case errc::string_table_offset_out_of_range: return "string table offset out of range";
    case errc::attributes_not_supported: return "attributes not supported";
    case errc::unsupported_global_token: return "unsupported global token";
    case errc::content_outside_element: return "content outside an element";
    case errc::trailing_bytes: return "trailing bytes after the root element";
    case errc::not_xml_char: return "character not allowed in XML";
  }
  return "unknown oxwire.wbxml error";
}

namespace detail {
inline constexpr oxwire::detail::enum_category<errc> wbxml_category_instance{0x6f78776972650003ULL,
                                                                             "oxwire.wbxml"};
}  // namespace detail

[[nodiscard]] inline const boost::system::error_category& wbxml_category() noexcept {
  return detail::wbxml_category_instance;
}
[[nodiscard]] inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), wbxml_category()};
}

}  // namespace oxwire::wbxml

template <>
struct boost::system::is_error_code_enum<oxwire::wbxml::errc> : std::true_type {};
