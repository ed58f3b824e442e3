// oxwire — reference LZ77/DIRECT2 decoder (MS-OXCRPC 3.1.4.1.1.2): one bitmask bit, one byte at a
// time, exactly as the spec walks the stream. It is the oracle for the fast decoder in
// rpc/lz77.hpp (tests and fuzzers compare both, errors included), not the one to call.
#pragma once

#include <oxwire/core/bytes.hpp>
#include <oxwire/core/error.hpp>
#include <oxwire/rpc/error.hpp>

#include <cstddef>
#include <cstdint>

namespace oxwire::detail {

/// DIRECT2 constants (MS-OXCRPC 3.1.4.1.1.2.2): 3-bit inline length, 13-bit offset - 1.
inline constexpr std::size_t lz77_min_match = 3;
inline constexpr std::size_t lz77_max_distance = 8192;
/// The 2-byte length form holds length - 3, so it only makes sense from 3 + 7 + 15 (the 1-byte
/// form's floor) up: smaller values are rejected as in the spec's decoder.
inline constexpr std::uint32_t lz77_word_min = 7 + 15;
inline constexpr std::size_t lz77_max_match = 0xFFFF + lz77_min_match;

/// Decodes the DIRECT2 stream `in` into exactly `out.size()` bytes (SizeActual); `base` is the
/// absolute offset of in[0] for error offsets.
[[nodiscard]] inline result<void> lz77_decompress_reference(bytes_view in, mutable_bytes out,
                                                            std::size_t base = 0) noexcept {
  using rpc::errc;
  std::size_t ip = 0, op = 0;
  std::uint32_t bitmask = 0;
  unsigned bits = 0;
  std::size_t nibble_at = 0;
  bool nibble_pending = false;
  const auto byte = [&](std::size_t at) { return in[at]; };
  for (;;) {
    if (bits == 0) {
      if (ip == in.size() && op == out.size()) return {};
      if (in.size() - ip < 4) return error{oxwire::errc::truncated, base + ip, "Bitmask"};
      bitmask = std::uint32_t{byte(ip)} | std::uint32_t{byte(ip + 1)} << 8 |
                std::uint32_t{byte(ip + 2)} << 16 | std::uint32_t{byte(ip + 3)} << 24;
      ip += 4;
      bits = 32;
    }
    --bits;
    const bool is_match = (bitmask >> bits) & 1;  // most significant bit first
    if (ip == in.size()) {
      // The end: a match bit with no metadata (the encoder pads with ones), or the output done.
      if (op == out.size()) return {};
      if (is_match) return error{errc::output_short, base + ip, "SizeActual"};
      return error{oxwire::errc::truncated, base + ip, "Literal"};
    }
    if (op == out.size()) return error{errc::trailing_input, base + ip, "SizeActual"};
    if (!is_match) {
      out[op++] = byte(ip++);
      continue;
    }
    const std::size_t at = ip;
    if (in.size() - ip < 2) return error{oxwire::errc::truncated, base + ip, "Metadata"};
    const unsigned metadata = byte(ip) | unsigned{byte(ip + 1)} << 8;
    ip += 2;
    std::size_t length = metadata & 7;
    const std::size_t distance = (metadata >> 3) + 1;
    if (length == 7) {
      unsigned nibble;
      if (!nibble_pending) {
        if (ip == in.size()) return error{oxwire::errc::truncated, base + ip, "MatchLength nibble"};
        nibble_at = ip++;
        nibble = byte(nibble_at) & 15;
        nibble_pending = true;
      } else {
        nibble = byte(nibble_at) >> 4;
        nibble_pending = false;
      }
      length = nibble;
      if (nibble == 15) {
        if (ip == in.size()) return error{oxwire::errc::truncated, base + ip, "MatchLength byte"};
        length = byte(ip++);
        if (length == 255) {
          if (in.size() - ip < 2)
            return error{oxwire::errc::truncated, base + ip, "MatchLength word"};
          const unsigned word = byte(ip) | unsigned{byte(ip + 1)} << 8;
          if (word < lz77_word_min)
            return error{errc::invalid_match_length, base + ip, "MatchLength word"};
          ip += 2;
          length = word - lz77_word_min;
        }
        length += 15;
      }
      length += 7;
    }
    length += lz77_min_match;
    if (distance > op)
      return error{errc::back_reference_before_start, base + at, "Metadata offset"};
    if (length > out.size() - op) return error{errc::output_overflow, base + at, "Metadata length"};
    for (std::size_t i = 0; i < length; ++i, ++op) out[op] = out[op - distance];
  }
}

}  // namespace oxwire::detail
