// oxwire — error conditions of compressed RTF (MS-OXRTFCP) and RTF de-encapsulation (MS-OXRTFEX).
#pragma once

#include <oxwire/core/error.hpp>

namespace oxwire::rtf {

/// What an MS-OXRTFCP or MS-OXRTFEX decoder can reject; travels in `oxwire::error` with the offset.
/// Truncation (header, control byte, token cut short, or no end reference) is
/// `oxwire::errc::truncated`; a configured limit (output size, group depth) is
/// `oxwire::errc::limit_exceeded`.
enum class errc : int {
  invalid_comptype = 1,   // COMPTYPE neither 'LZFu' nor 'MELA'
  size_past_end,          // COMPSIZE runs past the end of the input
  size_mismatch,          // COMPSIZE below 12, or RAWSIZE impossible for a MELA stream
  trailing_data,          // bytes after the COMPSIZE + 4 the header declares
  crc_mismatch,           // CRC differs from the CRC of the CONTENTS bytes
  output_overflow,        // a literal or reference would write past RAWSIZE
  output_short,           // the end reference came before RAWSIZE bytes were written
  unbalanced_group,       // '}' without '{', or a group left open at the end
  invalid_control_word,   // a control word too long, a parameter with too many digits
  invalid_hex_escape,     // \' not followed by two hex digits
  not_encapsulated,       // no \fromhtml1 or \fromtext in the RTF header
  unsupported_code_page,  // a code page iconv does not know, for bytes that need it
};

/// What each value means, as `error::message()` prints it.
[[nodiscard]] constexpr const char* describe(errc e) noexcept {
  switch (e) {
    case errc::invalid_comptype: return "invalid COMPTYPE";
    case errc::size_past_end: return "size past the end of the input";
    case errc::size_mismatch: return "size mismatch";
    case errc::trailing_data: return "data after the compressed RTF";
    case errc::crc_mismatch: return "CRC mismatch";
    case errc::output_overflow: return "output past RAWSIZE";
    case errc::output_short: return "output shorter than RAWSIZE";
    case errc::unbalanced_group: return "unbalanced group";
    case errc::invalid_control_word: return "invalid control word";
    case errc::invalid_hex_escape: return "invalid hex escape";
    case errc::not_encapsulated: return "not encapsulated HTML or text";
    case errc::unsupported_code_page: return "unsupported code page";
  }
  return "unknown oxwire.rtf error";
}

namespace detail {
inline constexpr oxwire::detail::enum_category<errc> rtf_category_instance{0x6f78776972650060ULL,
                                                                           "oxwire.rtf"};
}  // namespace detail

[[nodiscard]] inline const boost::system::error_category& rtf_category() noexcept {
  return detail::rtf_category_instance;
}
[[nodiscard]] inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), rtf_category()};
}

}  // namespace oxwire::rtf

template <>
struct boost::system::is_error_code_enum<oxwire::rtf::errc> : std::true_type {};
