// oxwire — error conditions of the HTTP/1.1 request parser (RFC 9112) the reference server uses.
#pragma once

#include <oxwire/core/error.hpp>

namespace oxwire::http {

/// What the request parser can reject; travels in `oxwire::error` with the offset in the request
/// (bytes from its first byte).
enum class errc : int {
  bad_request_line = 1,  // not `method SP request-target SP HTTP-version CRLF`
  unsupported_version,   // an HTTP version other than 1.0 and 1.1 (answer 505)
  bad_line_ending,       // a bare LF or CR where CRLF must stand
  bad_header,            // no colon, an empty or invalid field name, or obs-fold
  bad_content_length,    // not 1*DIGIT, different repeated values, or too large for 64 bits
  conflicting_length,    // Transfer-Encoding and Content-Length together (RFC 9112 6.3)
  unsupported_transfer_encoding,  // a transfer coding other than a lone "chunked" (answer 501)
  bad_chunk_size,                 // chunk-size not 1*HEXDIG, or too large
  bad_chunk,                      // chunk data not followed by CRLF
  line_too_long,                  // a request, header, chunk-size or trailer line over the limit
  too_many_headers,               // more header (or trailer) fields than the limit
  headers_too_large,              // the header section over its byte limit
  body_too_large,                 // Content-Length or the chunks over the body limit (answer 413)
};

/// What each value means, as `error::message()` prints it.
[[nodiscard]] constexpr const char* describe(errc e) noexcept {
  switch (e) {
    case errc::bad_request_line: return "malformed request line";
    case errc::unsupported_version: return "unsupported HTTP version";
    case errc::bad_line_ending: return "line not ended by CRLF";
    case errc::bad_header: return "malformed header field";
    case errc::bad_content_length: return "invalid Content-Length";
    case errc::conflicting_length: return "Transfer-Encoding with Content-Length";
    case errc::unsupported_transfer_encoding: return "unsupported Transfer-Encoding";
    case errc::bad_chunk_size: return "invalid chunk size";
    case errc::bad_chunk: return "chunk data not followed by CRLF";
    case errc::line_too_long: return "line too long";
    case errc::too_many_headers: return "too many header fields";
    case errc::headers_too_large: return "header section too large";
    case errc::body_too_large: return "body too large";
  }
  return "unknown oxwire.http error";
}

namespace detail {
inline constexpr oxwire::detail::enum_category<errc> http_category_instance{0x6f78776972650070ULL,
                                                                            "oxwire.http"};
}  // namespace detail

[[nodiscard]] inline const boost::system::error_category& http_category() noexcept {
  return detail::http_category_instance;
}
[[nodiscard]] inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), http_category()};
}

}  // namespace oxwire::http

template <>
struct boost::system::is_error_code_enum<oxwire::http::errc> : std::true_type {};
