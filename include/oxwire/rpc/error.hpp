// oxwire — error conditions of the MS-OXCRPC layer (extended buffers, LZ77/DIRECT2, AUX blocks).
#pragma once

#include <oxwire/core/error.hpp>

namespace oxwire::rpc {

/// What an MS-OXCRPC decoder or encoder can reject; travels in `oxwire::error` with the offset.
/// Truncation (a bitmask, metadata, header or block cut short) is `oxwire::errc::truncated`.
enum class errc : int {
  back_reference_before_start = 1,  // LZ77 match offset reaches before the first output byte
  output_overflow,                  // a literal or match would write past SizeActual
  output_short,                     // the compressed stream ended before SizeActual bytes
  trailing_input,                   // input left after the stream produced SizeActual bytes
  invalid_match_length,             // a 2-byte match length below what the 1-byte form covers
  invalid_version,                  // RPC_HEADER_EXT Version not 0, or an unknown AUX version
  invalid_flags,                    // RPC_HEADER_EXT Flags outside Compressed|XorMagic|Last
  size_mismatch,                    // Size/SizeActual disagree with the flags or the payload
  size_past_end,                    // Size (or an AUX Size) runs past the end of the buffer
  missing_last,                     // an RPC_HEADER_EXT chain ends without the Last flag
  trailing_data,                    // bytes after the RPC_HEADER_EXT that carries Last
  invalid_string_offset,            // an AUX string offset outside its block
};

/// What each value means, as `error::message()` prints it.
[[nodiscard]] constexpr const char* describe(errc e) noexcept {
  switch (e) {
    case errc::back_reference_before_start: return "back-reference before the start";
    case errc::output_overflow: return "output past SizeActual";
    case errc::output_short: return "output shorter than SizeActual";
    case errc::trailing_input: return "input after the end of the compressed stream";
    case errc::invalid_match_length: return "invalid match length";
    case errc::invalid_version: return "invalid version";
    case errc::invalid_flags: return "invalid flags";
    case errc::size_mismatch: return "size mismatch";
    case errc::size_past_end: return "size past the end of the buffer";
    case errc::missing_last: return "chain without Last";
    case errc::trailing_data: return "data after the Last header";
    case errc::invalid_string_offset: return "string offset outside the block";
  }
  return "unknown oxwire.rpc error";
}

namespace detail {
inline constexpr oxwire::detail::enum_category<errc> rpc_category_instance{0x6f78776972650050ULL,
                                                                           "oxwire.rpc"};
}  // namespace detail

[[nodiscard]] inline const boost::system::error_category& rpc_category() noexcept {
  return detail::rpc_category_instance;
}
[[nodiscard]] inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), rpc_category()};
}

}  // namespace oxwire::rpc

template <>
struct boost::system::is_error_code_enum<oxwire::rpc::errc> : std::true_type {};
