// JSON output helpers shared by the commands that print JSON (msg, tnef, rop).
#pragma once
#include <openssl/evp.h>

#include <cstdint>
#include <cstdio>
#include <oxwire/core/hex.hpp>
#include <string>
#include <string_view>

namespace oxwire_cli::json {

/// `s` as a JSON string literal (RFC 8259 7: quote, backslash and control characters escaped).
inline std::string quote(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

/// SHA-256 (OpenSSL) of `b` in lowercase hex.
inline std::string sha256(oxwire::bytes_view b) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(b.data(), b.size(), md, &n, EVP_sha256(), nullptr);
  return oxwire::hex::encode(oxwire::bytes_view(md, n));
}

/// A 32-bit value as 0x%08X (property tags, error codes).
inline std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08X", v);
  return buf;
}

}  // namespace oxwire_cli::json
