// oxwire — a small strict incremental HTTP/1.1 request parser (RFC 9112) and a response writer.
//
//   oxwire::http::request_parser p;                 // limits: line, header count and bytes, body
//   auto used = p.parse(bytes);                      // feed any split; returns bytes consumed
//   if (!used) return reply(400);                    // error: condition, field, offset
//   if (p.done()) { handle(p.get()); p.reset(); }    // bytes after *used belong to the next
//   request
//
// Strict: every line ends with CRLF; no obs-fold; a field name is a token; Content-Length is
// 1*DIGIT (repeats must agree); Transfer-Encoding is "chunked" alone and never beside
// Content-Length (RFC 9112 6.3: a request smuggling vector). Chunk extensions are skipped,
// trailer fields counted against the header limits and dropped.
#pragma once

#include <oxwire/core/error.hpp>
#include <oxwire/http/error.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oxwire::http {

/// Limits of request_parser; a request that reaches one is rejected with its errc.
struct limits {
  std::size_t max_line = 8 * 1024;           // request line, header line, chunk-size line
  std::size_t max_headers = 100;             // header fields (and, separately, trailer fields)
  std::size_t max_header_bytes = 64 * 1024;  // request line + header section
  std::size_t max_body = 32 * 1024 * 1024;   // decoded body bytes
};

/// One parsed request. Header names keep their case; `find` compares case-insensitively.
struct request {
  std::string method;
  std::string target;
  int minor_version = 1;  // HTTP/1.<minor_version>
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool keep_alive = true;  // RFC 9112 9.3: 1.1 unless "close", 1.0 only with "keep-alive"

  /// The first field of that name, value without surrounding whitespace.
  [[nodiscard]] std::optional<std::string_view> find(std::string_view name) const noexcept;
};

namespace detail {
[[nodiscard]] constexpr char lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
[[nodiscard]] constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}
/// RFC 9110 5.6.2 tchar.
[[nodiscard]] constexpr bool is_tchar(char c) noexcept {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}
[[nodiscard]] constexpr bool is_ows(char c) noexcept {
  return c == ' ' || c == '\t';
}
[[nodiscard]] constexpr std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}
[[nodiscard]] constexpr int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
/// Whether a comma-separated token list (Connection) holds `token`.
[[nodiscard]] constexpr bool list_has(std::string_view list, std::string_view token) noexcept {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    if (iequals(trim(list.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}
}  // namespace detail

inline std::optional<std::string_view> request::find(std::string_view name) const noexcept {
  for (const auto& [n, v] : headers)
    if (detail::iequals(n, name)) return std::string_view(v);
  return std::nullopt;
}

/// Parses one request at a time from bytes fed in any split. `parse` consumes up to the end of
/// the current request and no further, so pipelined requests stay in the caller's buffer.
class request_parser {
 public:
  explicit request_parser(const limits& l = {}) : limits_(l) {}

  /// Consumes bytes of the current request from `data`; the count consumed, or the error
  /// (offsets count from the request's first byte). After an error the parser stays failed
  /// until reset(): the connection cannot be resynchronised.
  [[nodiscard]] result<std::size_t> parse(std::string_view data);

  /// The request line and headers are parsed (get() has them); the body may still be coming.
  [[nodiscard]] bool headers_done() const noexcept {
    return state_ != state::request_line && state_ != state::header;
  }
  /// A whole request has been parsed; get() holds it.
  [[nodiscard]] bool done() const noexcept { return state_ == state::done; }
  [[nodiscard]] request& get() noexcept { return req_; }
  /// Forgets the current request (and an error) for the next one on the connection.
  void reset() {
    req_ = request{};
    state_ = state::request_line;
    line_.clear();
    offset_ = header_bytes_ = remaining_ = trailers_ = 0;
    failed_.reset();
  }

 private:
  enum class state {
    request_line,
    header,
    body,
    chunk_size,
    chunk_data,
    chunk_crlf,
    trailer,
    done
  };

  error fail(errc e, std::size_t at, const char* what) {
    failed_ = error{e, at, what};
    return *failed_;
  }
  /// The line a line-state consumes, without CRLF: nullopt while incomplete.
  result<std::optional<std::string>> take_line(std::string_view data, std::size_t& i);
  result<void> on_request_line(std::string_view line, std::size_t at);
  result<void> on_header(std::string_view line, std::size_t at, bool trailer);
  result<void> end_of_headers(std::size_t at);
  result<void> on_chunk_size(std::string_view line, std::size_t at);

  limits limits_;
  request req_;
  state state_ = state::request_line;
  std::string line_;              // bytes of the line being read, CR included once seen
  std::size_t offset_ = 0;        // bytes of this request consumed so far
  std::size_t header_bytes_ = 0;  // request line + header section so far
  std::uint64_t remaining_ = 0;   // body bytes (Content-Length) or chunk bytes still to come
  std::size_t trailers_ = 0;      // trailer fields seen
  std::optional<error> failed_;
};

inline result<std::optional<std::string>> request_parser::take_line(std::string_view data,
                                                                    std::size_t& i) {
  while (i < data.size()) {
    const char c = data[i];
    const std::size_t at = offset_ + i;
    ++i;
    if (!line_.empty() && line_.back() == '\r') {
      if (c != '\n') return fail(errc::bad_line_ending, at, "CRLF");
      line_.pop_back();
      std::optional<std::string> out(std::move(line_));
      line_.clear();
      return out;
    }
    if (c == '\n') return fail(errc::bad_line_ending, at, "CRLF");
    if (line_.size() >= limits_.max_line && c != '\r') return fail(errc::line_too_long, at, "line");
    line_.push_back(c);
  }
  return std::optional<std::string>{};
}

inline result<void> request_parser::on_request_line(std::string_view line, std::size_t at) {
  // RFC 9112 3: method SP request-target SP HTTP-version
  const std::size_t sp1 = line.find(' ');
  const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || sp1 == 0 || sp2 == sp1 + 1)
    return fail(errc::bad_request_line, at, "request-line");
  const std::string_view method = line.substr(0, sp1);
  const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  for (std::size_t k = 0; k < method.size(); ++k)
    if (!detail::is_tchar(method[k])) return fail(errc::bad_request_line, at + k, "method");
  for (std::size_t k = 0; k < target.size(); ++k)
    if (static_cast<unsigned char>(target[k]) <= 0x20 || target[k] == 0x7F)
      return fail(errc::bad_request_line, at + sp1 + 1 + k, "request-target");
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' ||
      version[5] < '0' || version[5] > '9' || version[7] < '0' || version[7] > '9')
    return fail(errc::bad_request_line, at + sp2 + 1, "HTTP-version");
  if (version[5] != '1' || version[7] > '1')
    return fail(errc::unsupported_version, at + sp2 + 1, "HTTP-version");
  req_.method = method;
  req_.target = target;
  req_.minor_version = version[7] - '0';
  return {};
}

inline result<void> request_parser::on_header(std::string_view line, std::size_t at, bool trailer) {
  // RFC 9112 5: field-name ":" OWS field-value OWS; obs-fold (5.2) is rejected.
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0)
    return fail(errc::bad_header, at, "field-name");
  for (std::size_t k = 0; k < colon; ++k)
    if (!detail::is_tchar(line[k])) return fail(errc::bad_header, at + k, "field-name");
  const std::string_view value = detail::trim(line.substr(colon + 1));
  for (std::size_t k = 0; k < value.size(); ++k) {
    const auto c = static_cast<unsigned char>(value[k]);
    if ((c < 0x20 && c != '\t') || c == 0x7F)
      return fail(errc::bad_header, at + (value.data() - line.data()) + k, "field-value");
  }
  if (trailer) {
    if (++trailers_ > limits_.max_headers) return fail(errc::too_many_headers, at, "trailer");
    return {};
  }
  if (req_.headers.size() >= limits_.max_headers)
    return fail(errc::too_many_headers, at, "header field");
  req_.headers.emplace_back(line.substr(0, colon), value);
  return {};
}

inline result<void> request_parser::end_of_headers(std::size_t at) {
  // Errors here are at `at`, the empty line that ends the header section.
  std::optional<std::uint64_t> length;
  bool chunked = false;
  for (const auto& [name, value] : req_.headers) {
    if (detail::iequals(name, "Content-Length")) {
      // RFC 9112 6.3: 1*DIGIT; repeated fields must agree
      if (value.empty()) return fail(errc::bad_content_length, at, "Content-Length");
      std::uint64_t n = 0;
      for (char c : value) {
        if (c < '0' || c > '9') return fail(errc::bad_content_length, at, "Content-Length");
        if (n > (UINT64_MAX - 9) / 10) return fail(errc::bad_content_length, at, "Content-Length");
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
      }
      if (length && *length != n) return fail(errc::bad_content_length, at, "Content-Length");
      length = n;
    } else if (detail::iequals(name, "Transfer-Encoding")) {
      if (chunked || !detail::iequals(value, "chunked"))
        return fail(errc::unsupported_transfer_encoding, at, "Transfer-Encoding");
      chunked = true;
    }
  }
  if (chunked && length) return fail(errc::conflicting_length, at, "Transfer-Encoding");
  const auto connection = req_.find("Connection");
  req_.keep_alive = req_.minor_version == 1
                        ? !(connection && detail::list_has(*connection, "close"))
                        : connection && detail::list_has(*connection, "keep-alive");
  if (chunked) {
    state_ = state::chunk_size;
  } else if (length && *length > 0) {
    if (*length > limits_.max_body) return fail(errc::body_too_large, at, "Content-Length");
    req_.body.reserve(static_cast<std::size_t>(*length));
    remaining_ = *length;
    state_ = state::body;
  } else {
    state_ = state::done;  // RFC 9112 6.3: no Content-Length and no chunked: no body
  }
  return {};
}

inline result<void> request_parser::on_chunk_size(std::string_view line, std::size_t at) {
  // RFC 9112 7.1: chunk-size [ chunk-ext ] CRLF
  std::uint64_t n = 0;
  std::size_t k = 0;
  for (; k < line.size(); ++k) {
    const int d = detail::hex_digit(line[k]);
    if (d < 0) break;
    if (n > (limits_.max_body >> 4)) return fail(errc::body_too_large, at + k, "chunk-size");
    n = n * 16 + static_cast<unsigned>(d);
  }
  if (k == 0) return fail(errc::bad_chunk_size, at, "chunk-size");
  const std::string_view rest = detail::trim(line.substr(k));
  if (!rest.empty() && rest.front() != ';') return fail(errc::bad_chunk_size, at + k, "chunk-ext");
  if (n > limits_.max_body - req_.body.size()) return fail(errc::body_too_large, at, "chunk-size");
  if (n == 0) {
    state_ = state::trailer;
  } else {
    remaining_ = n;
    state_ = state::chunk_data;
  }
  return {};
}

inline result<std::size_t> request_parser::parse(std::string_view data) {
  if (failed_) return *failed_;
  std::size_t i = 0;
  while (i < data.size() && state_ != state::done) {
    switch (state_) {
      case state::body:
      case state::chunk_data: {
        const std::size_t n =
            static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, data.size() - i));
        req_.body.append(data.substr(i, n));
        i += n;
        remaining_ -= n;
        if (remaining_ == 0) state_ = state_ == state::body ? state::done : state::chunk_crlf;
        break;
      }
      case state::chunk_crlf: {
        const std::size_t at = offset_ + i;
        const char want = line_.empty() ? '\r' : '\n';
        if (data[i++] != want) return fail(errc::bad_chunk, at, "chunk-data CRLF");
        if (want == '\r') {
          line_.push_back('\r');
        } else {
          line_.clear();
          state_ = state::chunk_size;
        }
        break;
      }
      default: {
        const std::size_t start = offset_ + i - line_.size();
        const std::size_t before = i;
        auto line = take_line(data, i);
        if (!line) return line.error();
        const bool in_head = state_ == state::request_line || state_ == state::header;
        if (in_head) {
          const std::size_t room = limits_.max_header_bytes - header_bytes_;
          header_bytes_ += i - before;
          if (header_bytes_ > limits_.max_header_bytes)
            return fail(errc::headers_too_large, offset_ + before + room, "header section");
        }
        if (!*line) break;
        const std::string_view text = **line;
        result<void> r;
        if (state_ == state::request_line) {
          // RFC 9112 2.2: empty lines before the request line are ignored
          if (text.empty()) break;
          r = on_request_line(text, start);
          state_ = state::header;
        } else if (state_ == state::header) {
          r = text.empty() ? end_of_headers(start) : on_header(text, start, false);
        } else if (state_ == state::chunk_size) {
          r = on_chunk_size(text, start);
        } else if (text.empty()) {  // trailer section ends
          state_ = state::done;
        } else {
          r = on_header(text, start, true);
        }
        if (!r) return r.error();
      }
    }
  }
  offset_ += i;
  return i;
}

// ---------------------------------------------------------------------------------------------
// Responses

/// RFC 9110 15: the reason phrase of the status codes the server sends.
[[nodiscard]] constexpr std::string_view reason_phrase(int status) noexcept {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 431: return "Request Header Fields Too Large";
    case 449: return "Retry With";  // MS-ASHTTP 3.2.5.1
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
  }
  return "Unknown";
}

/// One response: status, header fields (no Content-Length or Connection: write adds them).
struct response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

/// The bytes of `r`: status line, its fields, Content-Length, Connection: close when the
/// connection ends after it, then the body. `auto bytes = write(r, req.keep_alive);`
[[nodiscard]] inline std::string write(const response& r, bool keep_alive) {
  std::string out = "HTTP/1.1 ";
  out += std::to_string(r.status);
  out += ' ';
  out += reason_phrase(r.status);
  out += "\r\n";
  for (const auto& [name, value] : r.headers) ((((out += name) += ": ") += value) += "\r\n");
  out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  if (!keep_alive) out += "Connection: close\r\n";
  out += "\r\n";
  return out += r.body;
}

/// The HTTP status a parse error maps to (RFC 9110 15.5, 15.6).
[[nodiscard]] inline int status_of(const error& e) noexcept {
  if (e.code == make_error_code(errc::unsupported_version)) return 505;
  if (e.code == make_error_code(errc::unsupported_transfer_encoding)) return 501;
  if (e.code == make_error_code(errc::body_too_large)) return 413;
  if (e.code == make_error_code(errc::headers_too_large) ||
      e.code == make_error_code(errc::too_many_headers) ||
      e.code == make_error_code(errc::line_too_long))
    return 431;
  return 400;
}

}  // namespace oxwire::http
