// oxwire — LZ77 compression with DIRECT2 encoding, as MS-OXCRPC 3.1.4.1.1.2 applies it to
// extended-buffer payloads flagged Compressed.
//
// The stream is a 32-bit little-endian bitmask, read from its most significant bit, followed by
// the 32 items it describes (0: one literal byte, 1: 2 bytes of metadata), then the next
// bitmask. Metadata is (offset - 1) << 3 | (length - 3); length 7 in the low 3 bits means "10 or
// more": the rest of the length is in a nibble that two such matches share (the low nibble of a
// new byte for the first, the high nibble of that byte for the second), then 15 in the nibble
// adds a byte, and 255 in the byte adds a 16-bit word holding length - 3 (MS-OXCRPC
// 3.1.4.1.1.2.2). The encoder fills the unused bits of the last bitmask with ones, so the stream
// ends at a match bit with no metadata left.
//
//   std::vector<std::uint8_t> packed = oxwire::rpc::lz77_compress(payload);
//   std::vector<std::uint8_t> plain(size_actual);
//   if (auto r = oxwire::rpc::lz77_decompress(packed, plain); !r) ... r.error().message() ...
#pragma once

#include <oxwire/core/bytes.hpp>
#include <oxwire/core/error.hpp>
#include <oxwire/core/reader.hpp>  // oxwire::detail::load_le, oxwire::detail::store_le
#include <oxwire/detail/lz77_scalar.hpp>
#include <oxwire/rpc/error.hpp>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

namespace oxwire::rpc {

/// Decompresses the DIRECT2 stream `in` into exactly `out.size()` bytes (the header's
/// SizeActual), never writing past `out`. `base_offset` is the absolute offset of in[0], so
/// errors point into the whole extended buffer. Errors: errc::truncated (bitmask, literal,
/// metadata or length bytes cut short), back_reference_before_start, output_overflow (a match or
/// literal past SizeActual), output_short (the stream ended early), trailing_input,
/// invalid_match_length; each at its input offset.
///   `std::vector<std::uint8_t> out(size_actual); auto r = lz77_decompress(payload, out, 8);`
[[nodiscard]] inline result<void> lz77_decompress(bytes_view in, mutable_bytes out,
                                                  std::size_t base_offset = 0) noexcept {
  const std::uint8_t* const ib = in.data();
  const std::uint8_t* const ie = ib + in.size();
  const std::uint8_t* ip = ib;
  std::uint8_t* const ob = out.data();
  std::uint8_t* const oe = ob + out.size();
  std::uint8_t* op = ob;
  const auto at = [&](const std::uint8_t* p) {
    return base_offset + static_cast<std::size_t>(p - ib);
  };
  const auto truncated = [&](const char* what) {
    return error{oxwire::errc::truncated, at(ip), what};
  };
  std::uint32_t flags = 0;               // the next bit is bit 31
  unsigned bits = 0;                     // bits of `flags` not yet used
  const std::uint8_t* nibble = nullptr;  // the shared length byte whose high nibble is unused
  for (;;) {
    if (bits == 0) {
      if (ip == ie && op == oe) return {};
      if (ie - ip < 4) return truncated("Bitmask");
      flags = oxwire::detail::load_le<std::uint32_t>(ip);
      ip += 4;
      bits = 32;
    }
    // A run of literals: the leading zero bits, copied at once.
    if (const unsigned run =
            std::min<unsigned>(static_cast<unsigned>(std::countl_zero(flags)), bits)) {
      const std::size_t in_left = static_cast<std::size_t>(ie - ip);
      const std::size_t out_left = static_cast<std::size_t>(oe - op);
      if (run > in_left || run > out_left) {
        const std::size_t k = std::min(in_left, out_left);
        if (k) std::memcpy(op, ip, k);
        op += k, ip += k;
        if (ip == ie) {
          if (op == oe) return {};
          return truncated("Literal");
        }
        return error{errc::trailing_input, at(ip), "SizeActual"};
      }
      if (in_left >= 32 && out_left >= 32) {  // a fixed-size copy the compiler inlines
        std::memcpy(op, ip, 16);
        std::memcpy(op + 16, ip + 16, 16);
      } else {
        std::memcpy(op, ip, run);
      }
      op += run, ip += run;
      flags = run == 32 ? 0 : flags << run;
      bits -= run;
      if (bits == 0) continue;
    }
    // A match bit.
    flags <<= 1;
    --bits;
    if (ip == ie) {
      if (op == oe) return {};
      return error{errc::output_short, at(ip), "SizeActual"};
    }
    if (op == oe) return error{errc::trailing_input, at(ip), "SizeActual"};
    const std::uint8_t* const metadata_at = ip;
    if (ie - ip < 2) return truncated("Metadata");
    const unsigned metadata = oxwire::detail::load_le<std::uint16_t>(ip);
    ip += 2;
    std::size_t length = metadata & 7;
    const std::size_t distance = (metadata >> 3) + 1;
    if (length == 7) {
      unsigned n;
      if (!nibble) {
        if (ip == ie) return truncated("MatchLength nibble");
        nibble = ip++;
        n = *nibble & 15u;
      } else {
        n = *nibble >> 4;
        nibble = nullptr;
      }
      length = n;
      if (n == 15) {
        if (ip == ie) return truncated("MatchLength byte");
        length = *ip++;
        if (length == 255) {
          if (ie - ip < 2) return truncated("MatchLength word");
          const unsigned word = oxwire::detail::load_le<std::uint16_t>(ip);
          if (word < oxwire::detail::lz77_word_min)
            return error{errc::invalid_match_length, at(ip), "MatchLength word"};
          ip += 2;
          length = word - oxwire::detail::lz77_word_min;
        }
        length += 15;
      }
      length += 7;
    }
    length += oxwire::detail::lz77_min_match;
    if (distance > static_cast<std::size_t>(op - ob))
      return error{errc::back_reference_before_start, at(metadata_at), "Metadata offset"};
    if (length > static_cast<std::size_t>(oe - op))
      return error{errc::output_overflow, at(metadata_at), "Metadata length"};
    const std::uint8_t* src = op - distance;
    std::uint8_t* const end = op + length;
    if (static_cast<std::size_t>(oe - end) >= 16) {
      // Word copies that may run up to 15 bytes past `end`, inside `out`; later items overwrite
      // them. A distance under 8 is widened to a multiple of itself >= 8 after the first 8 bytes.
      if (distance == 1) {  // a run of one byte
        const std::uint8_t v = op[-1];
        do {
          std::memset(op, v, 16);
          op += 16;
        } while (op < end);
        op = end;
        continue;
      }
      if (distance < 8) {
        // The first 8 bytes from the `distance` bytes before op (no load waits on a store).
        std::uint8_t pattern[8];
        for (std::size_t k = 0, j = 0; k < 8; ++k) {
          pattern[k] = src[j];
          if (++j == distance) j = 0;
        }
        std::memcpy(op, pattern, 8);
        op += 8;
        if (op >= end) {
          op = end;
          continue;
        }
        // The smallest multiple of the distance that is >= 8 repeats the same bytes.
        constexpr std::uint8_t widened[8] = {0, 8, 8, 9, 8, 10, 12, 14};
        src = op - widened[distance];
      }
      if (static_cast<std::size_t>(op - src) >= 16) {
        do {
          std::memcpy(op, src, 16);
          op += 16, src += 16;
        } while (op < end);
      } else {
        do {
          std::memcpy(op, src, 8);
          op += 8, src += 8;
        } while (op < end);
      }
      op = end;
    } else {
      while (op < end) *op++ = *src++;
    }
  }
}

/// `lz77_decompress` into a new vector of `size_actual` bytes:
/// `auto plain = lz77_decompress(payload, header.SizeActual);`.
[[nodiscard]] inline result<std::vector<std::uint8_t>> lz77_decompress(
    bytes_view in, std::size_t size_actual, std::size_t base_offset = 0) {
  std::vector<std::uint8_t> out(size_actual);
  if (auto r = lz77_decompress(in, out, base_offset); !r) return r.error();
  return out;
}

/// Match finder settings of the encoder.
struct lz77_options {
  /// Candidates tried per position along the hash chain (1 = a plain hash table); more finds
  /// longer matches at a higher cost.
  unsigned max_chain = 16;
};

/// The largest output `lz77_compress` can make for n input bytes: every item costs at most the
/// bytes it stands for, plus a 4-byte bitmask per 32 items and the final one.
[[nodiscard]] constexpr std::size_t lz77_compress_bound(std::size_t n) noexcept {
  return n + 4 * (n / 32 + 2);
}

/// Appends the DIRECT2 encoding of `in` to `out` (greedy parse, hash-chain match finder over the
/// 8192-byte window): `lz77_compress(payload, out);`. Positions are 32-bit: past 2 GiB of input
/// the rest goes out as literals (still a valid stream).
inline void lz77_compress(bytes_view in, std::vector<std::uint8_t>& out,
                          const lz77_options& options = {}) {
  const std::size_t n = in.size();
  const std::uint8_t* const s = in.data();
  const std::size_t start = out.size();
  out.resize(start + lz77_compress_bound(n));
  std::uint8_t* const ob = out.data() + start;
  std::uint8_t* op = ob;

  std::uint8_t* flags_at = op;  // where the bitmask being filled goes
  op += 4;
  std::uint32_t flags = 0;
  unsigned flag_count = 0;
  std::uint8_t* nibble = nullptr;  // the shared length byte with a free high nibble
  // The bitmask bit goes after the item's bytes: a full bitmask is followed by the next one's slot.
  const auto push_flag = [&](std::uint32_t bit) {
    flags = flags << 1 | bit;
    if (++flag_count == 32) {
      oxwire::detail::store_le<std::uint32_t>(flags_at, flags);
      flags_at = op;
      op += 4;
      flags = 0;
      flag_count = 0;
    }
  };

  constexpr std::size_t window = oxwire::detail::lz77_max_distance;
  const unsigned hash_bits = std::clamp<unsigned>(static_cast<unsigned>(std::bit_width(n)), 8, 15);
  std::vector<std::int32_t> head(std::size_t{1} << hash_bits, -1);
  std::vector<std::int32_t> prev(std::min(window, std::bit_ceil(std::max<std::size_t>(n, 1))), -1);
  const std::size_t prev_mask = prev.size() - 1;
  const auto hash = [&](std::size_t i) {
    const std::uint32_t v =
        std::uint32_t{s[i]} | std::uint32_t{s[i + 1]} << 8 | std::uint32_t{s[i + 2]} << 16;
    return (v * 2654435761u) >> (32 - hash_bits);
  };
  const auto insert = [&](std::size_t i) {
    const auto h = hash(i);
    prev[i & prev_mask] = head[h];
    head[h] = static_cast<std::int32_t>(i);
  };
  const auto match_length = [&](std::size_t a, std::size_t b, std::size_t max) {
    std::size_t k = 0;
    for (; k + 8 <= max; k += 8) {
      const std::uint64_t x = oxwire::detail::load_le<std::uint64_t>(s + a + k) ^
                              oxwire::detail::load_le<std::uint64_t>(s + b + k);
      if (x) return k + static_cast<std::size_t>(std::countr_zero(x)) / 8;
    }
    while (k < max && s[a + k] == s[b + k]) ++k;
    return k;
  };

  const std::size_t searchable = std::min<std::size_t>(n, std::numeric_limits<std::int32_t>::max());
  std::size_t i = 0;
  while (i < n) {
    std::size_t best = 0, best_distance = 0;
    if (i < searchable && searchable - i >= oxwire::detail::lz77_min_match) {
      const std::size_t max = std::min(n - i, oxwire::detail::lz77_max_match);
      std::int32_t candidate = head[hash(i)];
      for (unsigned chain = options.max_chain; candidate >= 0 && chain; --chain) {
        const auto c = static_cast<std::size_t>(candidate);
        if (i - c > window) break;
        if (s[c + best] == s[i + best]) {
          const std::size_t len = match_length(c, i, max);
          if (len > best) {
            best = len;
            best_distance = i - c;
            if (len == max) break;
          }
        }
        candidate = prev[c & prev_mask];
        if (candidate >= static_cast<std::int32_t>(c)) break;  // a slot reused by a newer position
      }
      insert(i);
    }
    if (best < oxwire::detail::lz77_min_match) {
      *op++ = s[i++];
      push_flag(0);
      continue;
    }
    // MS-OXCRPC 3.1.4.1.1.2.2: metadata, then the shared nibble, the byte and the word as needed.
    std::size_t rest = best - oxwire::detail::lz77_min_match;
    const auto offset_bits = static_cast<std::uint16_t>((best_distance - 1) << 3);
    if (rest < 7) {
      oxwire::detail::store_le<std::uint16_t>(op, static_cast<std::uint16_t>(offset_bits | rest));
      op += 2;
    } else {
      oxwire::detail::store_le<std::uint16_t>(op, static_cast<std::uint16_t>(offset_bits | 7));
      op += 2;
      rest -= 7;
      const auto n4 = static_cast<std::uint8_t>(std::min<std::size_t>(rest, 15));
      if (!nibble) {
        nibble = op;
        *op++ = n4;
      } else {
        *nibble = static_cast<std::uint8_t>(*nibble | n4 << 4);
        nibble = nullptr;
      }
      if (rest >= 15) {
        rest -= 15;
        if (rest < 255) {
          *op++ = static_cast<std::uint8_t>(rest);
        } else {
          *op++ = 255;
          oxwire::detail::store_le<std::uint16_t>(
              op, static_cast<std::uint16_t>(rest + oxwire::detail::lz77_word_min));
          op += 2;
        }
      }
    }
    push_flag(1);
    const std::size_t end = i + best;
    for (++i; i < end; ++i)
      if (i + oxwire::detail::lz77_min_match <= searchable) insert(i);
  }
  // The unused bits of the last bitmask are ones: the decoder stops at a match bit with no input.
  const unsigned unused = 32 - flag_count;
  const auto fill = static_cast<std::uint32_t>((std::uint64_t{1} << unused) - 1);
  oxwire::detail::store_le<std::uint32_t>(
      flags_at, static_cast<std::uint32_t>((std::uint64_t{flags} << unused) | fill));
  out.resize(start + static_cast<std::size_t>(op - ob));
}

/// The DIRECT2 encoding of `in` as a new vector: `auto packed = lz77_compress(payload);`.
[[nodiscard]] inline std::vector<std::uint8_t> lz77_compress(bytes_view in,
                                                             const lz77_options& options = {}) {
  std::vector<std::uint8_t> out;
  lz77_compress(in, out, options);
  return out;
}

}  // namespace oxwire::rpc
