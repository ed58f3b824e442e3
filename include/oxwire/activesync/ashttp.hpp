// oxwire — MS-ASHTTP request line: the plain-text and base64-encoded query values (2.2.1.1.1),
// the typed request headers (2.2.1.1.2) and the HTTP OPTIONS response headers (2.2.4.1.2).
//
//   auto q = oxwire::activesync::parse_query(
//       "/Microsoft-Server-ActiveSync?Cmd=Sync&User=bob&DeviceId=ABC&DeviceType=Android");
//   q->Cmd == "Sync"; *q->User == "bob";
//   auto b = oxwire::activesync::parse_query("/Microsoft-Server-ActiveSync?jAAJBAp2MTQwRGV2aWNl"
//                                            "AApTbWFydFBob25l");
//   *b->ProtocolVersion == protocol_version::v14_0; *b->Locale == 0x0409;
//   auto text = oxwire::activesync::encode_base64_query(*b);   // the same target again
//
// Both forms give one `request_line`. The plain form carries no protocol version, locale or
// policy key (they travel in the MS-ASProtocolVersion, Accept-Language and X-MS-PolicyKey
// headers), so a plain query leaves ProtocolVersion, Locale and PolicyKey empty and a base64
// query always sets ProtocolVersion and Locale: `form_of` tells the forms apart.
#pragma once

#include <oxwire/activesync/ashttp_error.hpp>
#include <oxwire/core/base64.hpp>
#include <oxwire/core/bytes.hpp>
#include <oxwire/core/error.hpp>
#include <oxwire/core/reader.hpp>
#include <oxwire/core/writer.hpp>
#include <oxwire/gen/activesync/ashttp.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oxwire::activesync {

/// An ActiveSync protocol version; the value is the base64 query's Protocol version byte
/// (MS-ASHTTP 2.2.1.1.1.1: 121, 140, 141, 160, 161), extended to 25 and 120 for 2.5 and 12.0,
/// which only the plain query (with the MS-ASProtocolVersion header) can carry.
enum class protocol_version : std::uint8_t {
  v2_5 = 25,
  v12_0 = 120,
  v12_1 = 121,
  v14_0 = 140,
  v14_1 = 141,
  v16_0 = 160,
  v16_1 = 161,
};

struct protocol_version_entry {
  protocol_version version;
  std::string_view text;  // MS-ASProtocolVersion header form (2.2.1.1.2.6)
  bool base64;            // allowed in the base64 query (2.2.1.1.1.1)
};

/// Every version, oldest first (the order of the MS-ASProtocolVersions header, 2.2.4.1.2.2).
inline constexpr std::array<protocol_version_entry, 7> protocol_versions{{
    {protocol_version::v2_5, "2.5", false},
    {protocol_version::v12_0, "12.0", false},
    {protocol_version::v12_1, "12.1", true},
    {protocol_version::v14_0, "14.0", true},
    {protocol_version::v14_1, "14.1", true},
    {protocol_version::v16_0, "16.0", true},
    {protocol_version::v16_1, "16.1", true},
}};

/// The row of a version or of its code byte, or nullptr: `find_protocol_version(161)->text`.
[[nodiscard]] constexpr const protocol_version_entry* find_protocol_version(
    std::uint8_t code) noexcept {
  for (const auto& e : protocol_versions)
    if (static_cast<std::uint8_t>(e.version) == code) return &e;
  return nullptr;
}

/// "16.1" for protocol_version::v16_1.
[[nodiscard]] constexpr std::string_view to_string(protocol_version v) noexcept {
  const auto* e = find_protocol_version(static_cast<std::uint8_t>(v));
  return e ? e->text : std::string_view{};
}

/// The version an MS-ASProtocolVersion value names ("14.1"), or nullopt.
[[nodiscard]] constexpr std::optional<protocol_version> parse_protocol_version(
    std::string_view text) noexcept {
  for (const auto& e : protocol_versions)
    if (e.text == text) return e.version;
  return std::nullopt;
}

/// Flags of the Options command parameter (MS-ASHTTP 2.2.1.1.1.1.3).
namespace options_flag {
inline constexpr std::uint8_t SaveInSent = 0x01;
inline constexpr std::uint8_t AcceptMultiPart = 0x02;
inline constexpr std::uint8_t all = SaveInSent | AcceptMultiPart;
}  // namespace options_flag

/// The request line's query value in either form (MS-ASHTTP 2.2.1.1.1).
struct request_line {
  /// Everything before '?': "/Microsoft-Server-ActiveSync", or an absolute URI (2.2.1.1.1).
  std::string path = "/Microsoft-Server-ActiveSync";
  std::optional<protocol_version> ProtocolVersion;  // base64 form only
  /// The command's name; points into gen::activesync::command_codes after a parse.
  std::string_view Cmd;
  std::optional<std::uint16_t> Locale;  // base64 form only: an LCID ([MS-LCID])
  /// Bytes as sent: 1*32(ALPHA / DIGIT) in a plain query, "a string or a GUID" (1 to 255
  /// bytes, often 16 binary bytes) in a base64 query.
  std::string DeviceId;
  std::optional<std::uint32_t> PolicyKey;  // base64 form only (else X-MS-PolicyKey)
  std::string DeviceType;
  std::optional<std::string> User;  // required in a plain query, a parameter in base64
  std::optional<std::string> AttachmentName;
  std::optional<std::string> CollectionId;
  std::optional<std::string> ItemId;
  std::optional<std::string> LongId;
  std::optional<std::string> Occurrence;
  /// options_flag bits. A plain query's SaveInSent=T/F reads as SaveInSent set/clear.
  std::optional<std::uint8_t> Options;

  [[nodiscard]] bool save_in_sent() const noexcept {
    return Options && (*Options & options_flag::SaveInSent);
  }
  [[nodiscard]] bool accept_multipart() const noexcept {
    return Options && (*Options & options_flag::AcceptMultiPart);
  }
  friend bool operator==(const request_line&, const request_line&) = default;
};

enum class query_form { plain, base64 };

/// base64 when ProtocolVersion is set (a base64 query always has one, a plain query never).
[[nodiscard]] inline query_form form_of(const request_line& q) noexcept {
  return q.ProtocolVersion ? query_form::base64 : query_form::plain;
}

/// Limits of parse_query.
struct query_limits {
  std::size_t max_target_size = 16 * 1024;
  /// Plain DeviceId must be 1*32(ALPHA / DIGIT) (2.2.1.1.1.2 ABNF); off: any 1*VCHAR.
  bool strict_device_id = true;
};

namespace detail {

/// The string-valued command parameters: spec name, base64 tag (from the generated table) and
/// member. User is one of them in the base64 form and a fixed part of the plain form.
struct string_parameter {
  std::string_view name;
  std::uint8_t tag;
  std::optional<std::string> request_line::*member;
};

[[nodiscard]] consteval std::uint8_t tag_of(std::string_view name) {
  return gen::activesync::find_parameter_by_name(name)->tag;
}

// MS-ASHTTP 2.2.1.1.1.1.3 and 2.2.1.1.1.2.5; in tag order, the order the encoders write.
inline constexpr std::array<string_parameter, 6> string_parameters{{
    {"AttachmentName", tag_of("AttachmentName"), &request_line::AttachmentName},
    {"CollectionId", tag_of("CollectionId"), &request_line::CollectionId},
    {"ItemId", tag_of("ItemId"), &request_line::ItemId},
    {"LongId", tag_of("LongId"), &request_line::LongId},
    {"Occurrence", tag_of("Occurrence"), &request_line::Occurrence},
    {"User", tag_of("User"), &request_line::User},
}};
inline constexpr std::uint8_t options_tag = tag_of("Options");

[[nodiscard]] constexpr bool is_alpha(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
[[nodiscard]] constexpr bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
[[nodiscard]] constexpr bool is_control(char c) noexcept {
  return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
}
[[nodiscard]] constexpr char lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
/// ABNF quoted strings and HTTP field names compare case-insensitively (RFC 5234 2.3).
[[nodiscard]] constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}
[[nodiscard]] constexpr int hex_value(char c) noexcept {
  if (is_digit(c)) return c - '0';
  const char l = lower(c);
  return l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
}
[[nodiscard]] constexpr std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// A path may hold no space, control character, '?' or '#'.
[[nodiscard]] inline std::optional<std::size_t> bad_path_char(std::string_view path) noexcept {
  for (std::size_t i = 0; i < path.size(); ++i)
    if (path[i] == ' ' || is_control(path[i]) || path[i] == '?' || path[i] == '#') return i;
  return std::nullopt;
}

/// Percent-decodes s (which starts at `base` in the target); raw spaces and control
/// characters, decoded or not, are rejected at the offset of the character that carries them.
[[nodiscard]] inline result<std::string> percent_decode(std::string_view s, std::size_t base) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == ' ' || is_control(c)) return error{ashttp_errc::invalid_character, base + i, "value"};
    if (c == '%') {
      const int hi = i + 2 < s.size() ? hex_value(s[i + 1]) : -1;
      const int lo = hi >= 0 ? hex_value(s[i + 2]) : -1;
      if (lo < 0) return error{ashttp_errc::invalid_percent_encoding, base + i, "value"};
      c = static_cast<char>(hi << 4 | lo);
      if (is_control(c)) return error{ashttp_errc::invalid_character, base + i, "value"};
      i += 2;
    }
    out += c;
  }
  return out;
}

/// RFC 3986 2.3 unreserved characters stay, everything else becomes %XX.
inline void percent_encode(std::string& out, std::string_view s) {
  constexpr char hex[] = "0123456789ABCDEF";
  for (char c : s) {
    if (is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      const auto u = static_cast<unsigned char>(c);
      ((out += '%') += hex[u >> 4]) += hex[u & 15];
    }
  }
}

[[nodiscard]] inline bool has_control(std::string_view s) noexcept {
  return std::any_of(s.begin(), s.end(), is_control);
}

[[nodiscard]] inline bool is_strict_device_id(std::string_view id) noexcept {
  return !id.empty() && id.size() <= 32 &&
         std::all_of(id.begin(), id.end(), [](char c) { return is_alpha(c) || is_digit(c); });
}

/// A plain query holds a '&', or a '=' that is not part of trailing base64 padding.
[[nodiscard]] inline bool looks_plain(std::string_view query) noexcept {
  const std::size_t last = query.find_last_not_of('=');
  return query.find('&') != std::string_view::npos ||
         (last != std::string_view::npos &&
          query.substr(0, last).find('=') != std::string_view::npos);
}

// MS-ASHTTP 2.2.1.1.1.2: plain-text-query = command-spec '&' user-spec '&' device-id-spec '&'
// device-type-spec *('&' parameter-spec). Names match case-insensitively (RFC 5234 quoted
// strings) and in any order; a name given twice, or one 2.2.1.1.1.2.5 does not define, is an
// error. '+' is a literal plus (RFC 3986), not a space.
[[nodiscard]] inline result<request_line> parse_plain(std::string_view target, std::size_t q0,
                                                      const query_limits& limits) {
  request_line q;
  q.path = std::string(target.substr(0, q0 - 1));
  enum : unsigned { seen_cmd = 1, seen_device_id = 2, seen_device_type = 4, seen_save = 8 };
  unsigned seen = 0;          // fixed parameters
  unsigned seen_strings = 0;  // string_parameters by index
  std::size_t b = q0;
  for (;;) {
    const std::size_t amp = target.find('&', b);
    const std::size_t e = amp == std::string_view::npos ? target.size() : amp;
    const std::string_view seg = target.substr(b, e - b);
    const std::size_t eq = seg.find('=');
    if (eq == 0 || eq == std::string_view::npos)
      return error{ashttp_errc::invalid_parameter, b, "parameter-spec"};
    const std::string_view name = seg.substr(0, eq);
    for (std::size_t i = 0; i < name.size(); ++i)
      if (!is_alpha(name[i])) return error{ashttp_errc::invalid_parameter, b + i, "parameter-name"};
    const std::size_t vb = b + eq + 1;
    if (vb == e) return error{ashttp_errc::empty_value, vb, "parameter-value"};
    auto value = percent_decode(target.substr(vb, e - vb), vb);
    if (!value) return value.error();

    auto once = [&](unsigned& set, unsigned bit) {
      const bool dup = set & bit;
      set |= bit;
      return dup;
    };
    if (iequals(name, "Cmd")) {
      if (once(seen, seen_cmd)) return error{ashttp_errc::duplicate_parameter, b, "Cmd"};
      const auto* c = gen::activesync::find_command_by_name(*value);
      if (!c) return error{ashttp_errc::unknown_command, vb, "Cmd"};
      q.Cmd = c->command;
    } else if (iequals(name, "DeviceId")) {
      if (once(seen, seen_device_id)) return error{ashttp_errc::duplicate_parameter, b, "DeviceId"};
      if (limits.strict_device_id && !is_strict_device_id(*value))
        return error{ashttp_errc::invalid_device_id, vb, "DeviceId"};
      q.DeviceId = std::move(*value);
    } else if (iequals(name, "DeviceType")) {
      if (once(seen, seen_device_type))
        return error{ashttp_errc::duplicate_parameter, b, "DeviceType"};
      q.DeviceType = std::move(*value);
    } else if (iequals(name, "SaveInSent")) {  // 2.2.1.1.1.2.5
      if (once(seen, seen_save)) return error{ashttp_errc::duplicate_parameter, b, "SaveInSent"};
      if (*value != "T" && *value != "F")
        return error{ashttp_errc::invalid_save_in_sent, vb, "SaveInSent"};
      q.Options = *value == "T" ? options_flag::SaveInSent : std::uint8_t{0};
    } else {
      const auto p = std::find_if(string_parameters.begin(), string_parameters.end(),
                                  [&](const string_parameter& s) { return iequals(s.name, name); });
      if (p == string_parameters.end())
        return error{ashttp_errc::unknown_parameter, b, "parameter-name"};
      if (once(seen_strings, 1u << (p - string_parameters.begin())))
        return error{ashttp_errc::duplicate_parameter, b, "parameter-name"};
      q.*(p->member) = std::move(*value);
    }
    if (amp == std::string_view::npos) break;
    b = amp + 1;
  }
  if (!(seen & seen_cmd)) return error{ashttp_errc::missing_parameter, target.size(), "Cmd"};
  if (!q.User) return error{ashttp_errc::missing_parameter, target.size(), "User"};
  if (!(seen & seen_device_id))
    return error{ashttp_errc::missing_parameter, target.size(), "DeviceId"};
  if (!(seen & seen_device_type))
    return error{ashttp_errc::missing_parameter, target.size(), "DeviceType"};
  return q;
}

/// Offset in the target of the index-th character of the percent-decoded query (whose escapes
/// are known to be well-formed); the end of the target past its last character.
[[nodiscard]] inline std::size_t target_offset(std::string_view target, std::size_t q0,
                                               std::size_t index) noexcept {
  std::size_t i = q0;
  for (std::size_t n = 0; n < index && i < target.size(); ++n) i += target[i] == '%' ? 3 : 1;
  return std::min(i, target.size());
}

}  // namespace detail

/// Decodes the byte sequence of a base64-encoded query value (MS-ASHTTP 2.2.1.1.1.1), after
/// base64 decoding; error offsets are positions in `bytes`.
[[nodiscard]] inline result<request_line> decode_query_value(bytes_view bytes) {
  namespace gen = gen::activesync;
  request_line q;
  reader in(bytes);
  auto version = in.read<std::uint8_t>("Protocol version");
  if (!version) return version.error();
  const auto* v = find_protocol_version(*version);
  if (!v || !v->base64)  // MS-ASHTTP_R24, R26, R451: 121, 140, 141, 160 or 161
    return error{ashttp_errc::unsupported_protocol_version, 0, "Protocol version"};
  q.ProtocolVersion = v->version;

  auto code = in.read<std::uint8_t>("Command code");
  if (!code) return code.error();
  const auto* c = gen::find_command_by_code(*code);
  if (!c) return error{ashttp_errc::unknown_command, 1, "Command code"};
  q.Cmd = c->command;

  auto locale = in.read<std::uint16_t>("Locale");
  if (!locale) return locale.error();
  q.Locale = *locale;

  // Length-prefixed strings: 1-byte length, then that many bytes.
  auto counted = [&in](const char* length_what, const char* what) -> result<std::string> {
    auto n = in.read<std::uint8_t>(length_what);
    if (!n) return n.error();
    auto b = in.bytes(*n, what);
    if (!b) return b.error();
    return std::string(as_chars(*b));
  };
  const std::size_t device_id_at = in.offset();
  auto device_id = counted("Device ID length", "Device ID");
  if (!device_id) return device_id.error();
  if (device_id->empty())  // MS-ASHTTP_R32
    return error{ashttp_errc::invalid_device_id, device_id_at, "Device ID length"};
  q.DeviceId = std::move(*device_id);

  const std::size_t policy_at = in.offset();
  auto policy_length = in.read<std::uint8_t>("Policy key length");
  if (!policy_length) return policy_length.error();
  if (*policy_length == 4) {
    auto key = in.read<std::uint32_t>("Policy key");
    if (!key) return key.error();
    q.PolicyKey = *key;
  } else if (*policy_length != 0) {  // MS-ASHTTP_R38
    return error{ashttp_errc::invalid_policy_key_length, policy_at, "Policy key length"};
  }

  auto device_type = counted("Device type length", "Device type");
  if (!device_type) return device_type.error();
  q.DeviceType = std::move(*device_type);

  // MS-ASHTTP 2.2.1.1.1.1.1: Encoded Parameter = Tag, Length, Value; to the end of the bytes.
  unsigned seen = 0;  // bit per tag (tags are < 32 once known)
  while (!in.empty()) {
    const std::size_t at = in.offset();
    std::uint8_t tag = 0, length = 0;
    if (auto r = in.read_into("Encoded Parameter", tag, length); !r) return r.error();
    const std::size_t value_at = in.offset();
    auto value = in.bytes(length, "Value");
    if (!value) return value.error();
    const auto* p = std::find_if(detail::string_parameters.begin(), detail::string_parameters.end(),
                                 [tag](const detail::string_parameter& s) { return s.tag == tag; });
    if (tag != detail::options_tag && p == detail::string_parameters.end())
      return error{ashttp_errc::unknown_parameter, at, "Tag"};
    if (seen & (1u << tag)) return error{ashttp_errc::duplicate_parameter, at, "Tag"};
    seen |= 1u << tag;
    if (tag == detail::options_tag) {
      if (length != 1) return error{ashttp_errc::invalid_options, at + 1, "Options length"};
      if ((*value)[0] & ~options_flag::all)
        return error{ashttp_errc::invalid_options, value_at, "Options"};
      q.Options = (*value)[0];
    } else {
      q.*(p->member) = std::string(as_chars(*value));
    }
  }
  return q;
}

/// Parses a request target, `/Microsoft-Server-ActiveSync?Cmd=...` (MS-ASHTTP 2.2.1.1.1.2) or
/// `/Microsoft-Server-ActiveSync?<base64>` (2.2.1.1.1.1). The base64 text may use the standard
/// or the URL alphabet, percent-escapes (%2B, %2F, %3D) and omitted padding. Error offsets are
/// byte offsets in `target`.
[[nodiscard]] inline result<request_line> parse_query(std::string_view target,
                                                      const query_limits& limits = {}) {
  if (target.size() > limits.max_target_size)
    return error{ashttp_errc::target_too_long, limits.max_target_size, "request target"};
  const std::size_t mark = target.find('?');
  if (mark == std::string_view::npos)
    return error{ashttp_errc::missing_query, target.size(), "query value"};
  const std::string_view path = target.substr(0, mark);
  if (path.empty()) return error{ashttp_errc::invalid_path, 0, "path"};
  if (const auto bad = detail::bad_path_char(path))
    return error{ashttp_errc::invalid_path, *bad, "path"};
  const std::size_t q0 = mark + 1;
  const std::string_view query = target.substr(q0);
  if (detail::looks_plain(query)) return detail::parse_plain(target, q0, limits);

  // Base64: undo percent-escapes, pick the alphabet, restore omitted padding.
  auto text = detail::percent_decode(query, q0);
  if (!text) return text.error();
  const bool url = text->find_first_of("-_") != std::string::npos;
  const std::size_t chars = text->size();
  if (chars % 4 > 1 && text->find('=') == std::string::npos) text->append(4 - chars % 4, '=');
  auto bytes = base64::decode(*text, base64::mode::strict,
                              url ? base64::alphabet::url : base64::alphabet::standard);
  if (!bytes) {
    error e = bytes.error();
    e.offset = detail::target_offset(target, q0, e.offset);
    return e;
  }
  auto q = decode_query_value(*bytes);
  if (!q) {
    error e = q.error();
    // byte k starts in base64 character k / 3 * 4 + k % 3; bytes that ran out: the end
    e.offset = e.offset >= bytes->size()
                   ? target.size()
                   : detail::target_offset(target, q0, e.offset / 3 * 4 + e.offset % 3);
    return e;
  }
  q->path = std::string(path);
  return q;
}

/// The byte sequence of a base64-encoded query value (MS-ASHTTP 2.2.1.1.1.1), parameters in tag
/// order. not_representable when ProtocolVersion or Locale is missing, the version is 2.5 or
/// 12.0, DeviceId is empty, or a string is longer than 255 bytes.
[[nodiscard]] inline result<std::vector<std::uint8_t>> encode_query_value(const request_line& q) {
  std::vector<std::uint8_t> out;
  vector_writer w(out);
  const auto* v = q.ProtocolVersion
                      ? find_protocol_version(static_cast<std::uint8_t>(*q.ProtocolVersion))
                      : nullptr;
  if (!v || !v->base64) return error{ashttp_errc::not_representable, 0, "Protocol version"};
  const auto* c = gen::activesync::find_command_by_name(q.Cmd);
  if (!c) return error{ashttp_errc::unknown_command, 1, "Command code"};
  if (!q.Locale) return error{ashttp_errc::not_representable, 2, "Locale"};
  (void)w.write<std::uint8_t>(static_cast<std::uint8_t>(v->version));
  (void)w.write<std::uint8_t>(c->code);
  (void)w.write<std::uint16_t>(*q.Locale);

  auto counted = [&w](std::string_view s, const char* what) -> result<void> {
    if (s.size() > 255) return error{ashttp_errc::not_representable, w.size(), what};
    (void)w.write<std::uint8_t>(static_cast<std::uint8_t>(s.size()));
    (void)w.write_bytes(as_bytes(s));
    return {};
  };
  if (q.DeviceId.empty()) return error{ashttp_errc::not_representable, w.size(), "Device ID"};
  if (auto r = counted(q.DeviceId, "Device ID"); !r) return r.error();
  (void)w.write<std::uint8_t>(q.PolicyKey ? 4 : 0);
  if (q.PolicyKey) (void)w.write<std::uint32_t>(*q.PolicyKey);
  if (auto r = counted(q.DeviceType, "Device type"); !r) return r.error();

  for (const auto& p : detail::string_parameters) {
    if (p.tag > detail::options_tag) break;  // User (8) goes after Options (7)
    if (const auto& s = q.*(p.member)) {
      (void)w.write<std::uint8_t>(p.tag);
      if (auto r = counted(*s, "Value"); !r) return r.error();
    }
  }
  if (q.Options) {
    if (*q.Options & ~options_flag::all)
      return error{ashttp_errc::invalid_options, w.size(), "Options"};
    (void)w.write<std::uint8_t>(detail::options_tag);
    (void)w.write<std::uint8_t>(1);
    (void)w.write<std::uint8_t>(*q.Options);
  }
  for (const auto& p : detail::string_parameters) {
    if (p.tag < detail::options_tag) continue;
    if (const auto& s = q.*(p.member)) {
      (void)w.write<std::uint8_t>(p.tag);
      if (auto r = counted(*s, "Value"); !r) return r.error();
    }
  }
  return out;
}

/// `path?<base64>`: standard alphabet, padded, '+' and '/' escaped as %2B and %2F ('=' stays,
/// as Windows Mail sends it). Fails as encode_query_value does, or with invalid_path.
[[nodiscard]] inline result<std::string> encode_base64_query(const request_line& q) {
  if (q.path.empty()) return error{ashttp_errc::invalid_path, 0, "path"};
  if (const auto bad = detail::bad_path_char(q.path))
    return error{ashttp_errc::invalid_path, *bad, "path"};
  auto bytes = encode_query_value(q);
  if (!bytes) return bytes.error();
  std::string out = q.path + '?';
  for (char c : base64::encode(*bytes)) {
    if (c == '+')
      out += "%2B";
    else if (c == '/')
      out += "%2F";
    else
      out += c;
  }
  return out;
}

/// `path?Cmd=..&User=..&DeviceId=..&DeviceType=..` then the command parameters in tag order and
/// SaveInSent=T/F (MS-ASHTTP 2.2.1.1.1.2); values percent-encoded outside RFC 3986 unreserved.
/// not_representable for what the plain form cannot carry: ProtocolVersion, Locale, PolicyKey
/// (headers instead), the AcceptMultiPart option (MS-ASAcceptMultiPart header instead), an
/// empty or missing User/DeviceType/parameter value, control characters.
[[nodiscard]] inline result<std::string> format_plain_query(const request_line& q) {
  if (q.path.empty()) return error{ashttp_errc::invalid_path, 0, "path"};
  if (const auto bad = detail::bad_path_char(q.path))
    return error{ashttp_errc::invalid_path, *bad, "path"};
  if (q.ProtocolVersion) return error{ashttp_errc::not_representable, 0, "Protocol version"};
  if (q.Locale) return error{ashttp_errc::not_representable, 0, "Locale"};
  if (q.PolicyKey) return error{ashttp_errc::not_representable, 0, "Policy key"};
  if (q.Options && (*q.Options & ~options_flag::SaveInSent))
    return error{ashttp_errc::not_representable, 0, "Options"};
  if (!gen::activesync::find_command_by_name(q.Cmd))
    return error{ashttp_errc::unknown_command, 0, "Cmd"};
  std::string out = q.path;
  auto put = [&out](std::string_view name, std::string_view value) -> result<void> {
    if (value.empty() || detail::has_control(value))
      return error{ashttp_errc::not_representable, out.size(), name.data()};
    out += out.back() == '?' ? "" : "&";
    (out += name) += '=';
    detail::percent_encode(out, value);
    return {};
  };
  out += '?';
  if (auto r = put("Cmd", q.Cmd); !r) return r.error();
  if (!q.User) return error{ashttp_errc::not_representable, out.size(), "User"};
  if (auto r = put("User", *q.User); !r) return r.error();
  if (auto r = put("DeviceId", q.DeviceId); !r) return r.error();
  if (auto r = put("DeviceType", q.DeviceType); !r) return r.error();
  for (const auto& p : detail::string_parameters) {
    if (p.member == &request_line::User) continue;
    if (const auto& s = q.*(p.member))
      if (auto r = put(p.name, *s); !r) return r.error();
  }
  if (q.Options) (void)put("SaveInSent", q.save_in_sent() ? "T" : "F");
  return out;
}

// ---------------------------------------------------------------------------------------------
// Request headers (MS-ASHTTP 2.2.1.1.2)

/// One request header as received: name and value.
using header_field = std::pair<std::string_view, std::string_view>;

/// HTTP Basic credentials (MS-ASHTTP 2.2.1.1.2.2, RFC 7617).
struct basic_credentials {
  std::string user;  // may hold DOMAIN\user or user@domain
  std::string password;
  friend bool operator==(const basic_credentials&, const basic_credentials&) = default;
};

/// A typed view over request headers (names case-insensitive, values trimmed of spaces and
/// tabs). Does not own the fields. Header value errors carry the offset in the trimmed value;
/// duplicate_header carries the index of the second field in the list.
class request_headers {
 public:
  explicit request_headers(std::span<const header_field> fields) noexcept : fields_(fields) {}

  /// The first field of that name: `h.find("Host")`.
  [[nodiscard]] std::optional<std::string_view> find(std::string_view name) const noexcept {
    for (const auto& [n, v] : fields_)
      if (detail::iequals(n, name)) return detail::trim(v);
    return std::nullopt;
  }

  /// The only field of that name; duplicate_header (offset: index of the second) if repeated.
  [[nodiscard]] result<std::optional<std::string_view>> find_unique(std::string_view name) const {
    std::optional<std::string_view> found;
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      if (!detail::iequals(fields_[i].first, name)) continue;
      if (found) return error{ashttp_errc::duplicate_header, i, "header"};
      found = detail::trim(fields_[i].second);
    }
    return found;
  }

  /// MS-ASProtocolVersion (2.2.1.1.2.6): one of "2.5" .. "16.1"; nullopt when absent.
  [[nodiscard]] result<std::optional<protocol_version>> version() const {
    auto v = find_unique("MS-ASProtocolVersion");
    if (!v) return v.error();
    if (!*v) return std::optional<protocol_version>{};
    const auto p = parse_protocol_version(**v);
    if (!p) return error{ashttp_errc::unsupported_protocol_version, 0, "MS-ASProtocolVersion"};
    return std::optional<protocol_version>(*p);
  }

  /// X-MS-PolicyKey (2.2.1.1.2.8): a 32-bit unsigned decimal ([MS-ASPROV] 2.2.2.42).
  [[nodiscard]] result<std::optional<std::uint32_t>> policy_key() const {
    auto v = find_unique("X-MS-PolicyKey");
    if (!v) return v.error();
    if (!*v) return std::optional<std::uint32_t>{};
    const std::string_view s = **v;
    if (s.empty()) return error{ashttp_errc::invalid_header_value, 0, "X-MS-PolicyKey"};
    std::uint64_t key = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (!detail::is_digit(s[i]))
        return error{ashttp_errc::invalid_header_value, i, "X-MS-PolicyKey"};
      key = key * 10 + static_cast<std::uint64_t>(s[i] - '0');
      if (key > 0xFFFFFFFFu) return error{ashttp_errc::invalid_header_value, i, "X-MS-PolicyKey"};
    }
    return std::optional<std::uint32_t>(static_cast<std::uint32_t>(key));
  }

  /// MS-ASAcceptMultiPart (2.2.1.1.2.5): "T" true; "F" or absent false.
  [[nodiscard]] result<bool> accept_multipart() const {
    auto v = find_unique("MS-ASAcceptMultiPart");
    if (!v) return v.error();
    if (!*v || **v == "F") return false;
    if (**v == "T") return true;
    return error{ashttp_errc::invalid_header_value, 0, "MS-ASAcceptMultiPart"};
  }

  /// User-Agent (2.2.1.1.2.7).
  [[nodiscard]] std::optional<std::string_view> user_agent() const noexcept {
    return find("User-Agent");
  }
  /// Content-Type (2.2.1.1.2.3).
  [[nodiscard]] std::optional<std::string_view> content_type() const noexcept {
    return find("Content-Type");
  }
  /// Accept-Language (2.2.1.1.2.1).
  [[nodiscard]] std::optional<std::string_view> accept_language() const noexcept {
    return find("Accept-Language");
  }

  /// Authorization: Basic (2.2.1.1.2.2): nullopt when absent or another scheme (Bearer, ...).
  /// The token is strict base64 of "user:password"; errors at their offset in the value.
  [[nodiscard]] result<std::optional<basic_credentials>> basic() const {
    auto v = find_unique("Authorization");
    if (!v) return v.error();
    if (!*v) return std::optional<basic_credentials>{};
    const std::string_view s = **v;
    const std::size_t sp = std::min(s.find(' '), s.size());
    if (!detail::iequals(s.substr(0, sp), "Basic")) return std::optional<basic_credentials>{};
    const std::size_t at = s.find_first_not_of(' ', sp);
    if (at == std::string_view::npos)
      return error{ashttp_errc::invalid_authorization, s.size(), "Authorization"};
    auto raw = base64::decode(s.substr(at));
    if (!raw) {
      error e = raw.error();
      e.offset += at;
      return e;
    }
    const std::string text(as_chars(*raw));
    const std::size_t colon = text.find(':');
    if (colon == std::string::npos)
      return error{ashttp_errc::invalid_authorization, at, "Authorization"};
    return std::optional<basic_credentials>(
        basic_credentials{text.substr(0, colon), text.substr(colon + 1)});
  }

 private:
  std::span<const header_field> fields_;
};

/// The WBXML media types of MS-ASHTTP 2.2.1.1.2.3 (MS-ASHTTP_R143, R438):
/// "application/vnd.ms-sync.wbxml" or "application/vnd.ms-sync", any case, parameters ignored.
[[nodiscard]] inline bool is_wbxml_content_type(std::string_view value) noexcept {
  const std::string_view type = detail::trim(value.substr(0, value.find(';')));
  return detail::iequals(type, "application/vnd.ms-sync.wbxml") ||
         detail::iequals(type, "application/vnd.ms-sync");
}

// ---------------------------------------------------------------------------------------------
// OPTIONS response headers (MS-ASHTTP 2.2.4.1.2)

/// Bit of `v` in the generated `versions` masks (bit i = entry i of protocol_versions).
[[nodiscard]] constexpr unsigned version_bit(protocol_version v) noexcept {
  unsigned i = 0;
  while (i < protocol_versions.size() && protocol_versions[i].version != v) ++i;
  return i;
}

/// MS-ASProtocolVersions (2.2.4.1.2.2; also X-MS-RP, 2.2.2.1.2.9): the supported versions,
/// oldest first, once each: "2.5,12.0,12.1,14.0,14.1,16.0,16.1".
[[nodiscard]] inline std::string protocol_versions_header(
    std::span<const protocol_version> supported) {
  std::string out;
  for (const auto& e : protocol_versions)
    if (std::find(supported.begin(), supported.end(), e.version) != supported.end())
      (out += out.empty() ? "" : ",") += e.text;
  return out;
}

/// MS-ASProtocolCommands (2.2.4.1.2.1): every command of the generated code table (2.2.1.1.1.1.2)
/// in code order that one of the supported versions has.
[[nodiscard]] inline std::string protocol_commands_header(
    std::span<const protocol_version> supported) {
  unsigned mask = 0;
  for (const auto v : supported) mask |= 1u << version_bit(v);
  std::string out;
  for (const auto& c : gen::activesync::command_codes)
    if (c.versions & mask) (out += out.empty() ? "" : ",") += c.command;
  return out;
}

}  // namespace oxwire::activesync
