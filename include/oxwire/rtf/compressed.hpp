// oxwire — compressed RTF (MS-OXRTFCP), the format of PidTagRtfCompressed.
//
// A 16-byte header (COMPSIZE, RAWSIZE, COMPTYPE, CRC; MS-OXRTFCP 2.1.3.1.1) and CONTENTS: raw RTF
// ('MELA') or LZFu ('LZFu'): runs of one CONTROL byte, read from its least significant bit, and
// the 8 tokens it describes (0: a literal byte, 1: a big-endian reference word, 12 bits of
// dictionary offset and 4 bits of length - 2). The dictionary is a 4096-byte ring preloaded with
// 207 bytes of common RTF (MS-OXRTFCP 3.1.1.1.2); a reference whose offset equals the write
// position ends the stream.
//
//   auto rtf = oxwire::rtf::decompress(bytes);         // result<std::vector<std::uint8_t>>
//   auto packed = oxwire::rtf::compress(rtf_text);     // result<std::vector<std::uint8_t>>
//
// The CRC (MS-OXRTFCP 3.1.3.2) is the standard CRC-32 started at 0 without the final XOR, taken
// from libdeflate (core/crc32.hpp): this header is header-only, so the program links libdeflate.
#pragma once

#include <oxwire/core/bytes.hpp>
#include <oxwire/core/crc32.hpp>
#include <oxwire/core/error.hpp>
#include <oxwire/core/reader.hpp>
#include <oxwire/core/writer.hpp>
#include <oxwire/rtf/error.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace oxwire::rtf {

/// COMPTYPE values (MS-OXRTFCP 2.1.3.1.1).
inline constexpr std::uint32_t COMPRESSED = 0x75465A4C;    // "LZFu"
inline constexpr std::uint32_t UNCOMPRESSED = 0x414C454D;  // "MELA"

/// The header of PidTagRtfCompressed (MS-OXRTFCP 2.1.3.1.1). COMPSIZE counts the CONTENTS plus
/// the 12 header bytes after COMPSIZE itself.
struct Header {
  std::uint32_t COMPSIZE = 0;
  std::uint32_t RAWSIZE = 0;
  std::uint32_t COMPTYPE = COMPRESSED;
  std::uint32_t CRC = 0;
  friend bool operator==(const Header&, const Header&) = default;
};
inline constexpr std::size_t header_size = 16;

/// The 207 bytes the dictionary starts with (MS-OXRTFCP 3.1.1.1.2).
inline constexpr std::string_view initial_dictionary =
    "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern "
    "\\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0"
    "\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";
static_assert(initial_dictionary.size() == 207);

/// Reads the 16-byte header: `auto h = decode_header(in);`. Checks only COMPTYPE
/// (errc::invalid_comptype at offset 8); sizes are checked by `decompress`.
[[nodiscard]] inline result<Header> decode_header(reader& in) noexcept {
  Header h;
  const std::size_t at = in.offset();
  if (auto r = in.read_into("Header", h.COMPSIZE, h.RAWSIZE, h.COMPTYPE, h.CRC); !r)
    return r.error();
  if (h.COMPTYPE != COMPRESSED && h.COMPTYPE != UNCOMPRESSED)
    return error{errc::invalid_comptype, at + 8, "COMPTYPE"};
  return h;
}

/// Writes the 16-byte header: `encode_header(w, {.COMPSIZE = n + 12, ...})`.
template <class Sink>
[[nodiscard]] result<void> encode_header(basic_writer<Sink>& w, const Header& h) {
  for (const std::uint32_t v : {h.COMPSIZE, h.RAWSIZE, h.COMPTYPE, h.CRC})
    if (auto r = w.template write<std::uint32_t>(v, "Header"); !r) return r;
  return {};
}

struct decompress_options {
  /// Largest output accepted; a larger RAWSIZE is errc::limit_exceeded at offset 4.
  std::size_t max_output = std::size_t{256} << 20;
  /// Check CRC for 'LZFu' streams (MS-OXRTFCP 2.1.3.1.1: computed over CONTENTS).
  bool verify_crc = true;
};

namespace detail {

inline constexpr std::size_t dictionary_size = 4096;
inline constexpr std::size_t preload = 207;
inline constexpr std::size_t max_match = 17;

/// The spec's byte loop over a 4096-byte ring (MS-OXRTFCP 3.2.3.2) whose first 207 bytes are
/// `dictionary` (tests pass another decoder's preload to model it). Decodes `in` (the CONTENTS,
/// whose first byte is at absolute offset `base`) into `out`, never past out.size(); returns
/// how many bytes were written when the end reference is read.
[[nodiscard]] inline result<std::size_t> lzfu_decode_ring(bytes_view in, mutable_bytes out,
                                                          std::size_t base,
                                                          std::string_view dictionary) noexcept {
  std::array<std::uint8_t, dictionary_size> dict{};
  std::memcpy(dict.data(), dictionary.data(), std::min(dictionary.size(), preload));
  std::size_t w = preload, ip = 0, op = 0;
  for (;;) {
    if (ip == in.size()) return error{oxwire::errc::truncated, base + ip, "CONTROL"};
    const unsigned control = in[ip++];
    for (unsigned bit = 0; bit < 8; ++bit) {
      if (control & (1u << bit)) {
        if (in.size() - ip < 2) return error{oxwire::errc::truncated, base + ip, "REFERENCE"};
        const unsigned ref = unsigned{in[ip]} << 8 | in[ip + 1];
        const std::size_t at = ip;
        ip += 2;
        const std::size_t offset = ref >> 4, length = (ref & 15) + 2;
        if (offset == w) return op;
        if (length > out.size() - op) return error{errc::output_overflow, base + at, "REFERENCE"};
        for (std::size_t k = 0; k < length; ++k) {
          const std::uint8_t c = dict[(offset + k) % dictionary_size];
          dict[w] = c;
          w = (w + 1) % dictionary_size;
          out[op++] = c;
        }
      } else {
        if (ip == in.size()) return error{oxwire::errc::truncated, base + ip, "LITERAL"};
        if (op == out.size()) return error{errc::output_overflow, base + ip, "LITERAL"};
        const std::uint8_t c = in[ip++];
        dict[w] = c;
        w = (w + 1) % dictionary_size;
        out[op++] = c;
      }
    }
  }
}

/// The same stream decoded into linear output: a reference is a copy from `distance` bytes back
/// (the ring position of output byte j is (207 + j) % 4096), so no ring is kept. Whole runs are
/// decoded without bounds checks while 25 input and 152 output bytes are left (a run is at most
/// 17 bytes and makes at most 136; literals are copied 8 at a time and a reference writes up to
/// 24); references of distance >= 8 copy 8 bytes at a time. The first 4096 output bytes may refer
/// to the preloaded dictionary (or to ring bytes never written, which are zero), copied byte by
/// byte.
[[nodiscard]] inline result<std::size_t> lzfu_decode_fast(bytes_view in, mutable_bytes out,
                                                          std::size_t base) noexcept {
  const std::uint8_t* const ib = in.data();
  const std::uint8_t* const ie = ib + in.size();
  const std::uint8_t* ip = ib;
  std::uint8_t* const ob = out.data();
  std::uint8_t* const oe = ob + out.size();
  std::uint8_t* op = ob;
  const auto at = [&](const std::uint8_t* p) { return base + static_cast<std::size_t>(p - ib); };
  // Copies `length` bytes from history index `h0 - distance` byte by byte (the preload, zeros
  // before it, then output), for references that reach before the first output byte.
  const auto copy_from_history = [&](std::size_t distance, std::size_t length) {
    const auto written = static_cast<std::ptrdiff_t>(op - ob);
    constexpr auto p = static_cast<std::ptrdiff_t>(preload);
    std::ptrdiff_t h = written + p - static_cast<std::ptrdiff_t>(distance);
    if (h >= 0 && h + static_cast<std::ptrdiff_t>(length) <= p) {  // the usual case
      std::memcpy(op, initial_dictionary.data() + h, length);
      op += length;
      return;
    }
    for (std::size_t k = 0; k < length; ++k, ++h) {
      *op++ = h >= p
                  ? ob[h - p]
                  : (h >= 0 ? static_cast<std::uint8_t>(initial_dictionary[h]) : std::uint8_t{0});
    }
  };
  const auto distance_of = [&](unsigned offset) {
    return (static_cast<std::size_t>(op - ob) + preload - offset) % dictionary_size;
  };
  for (;;) {
    if (ie - ip >= 25 && oe - op >= 152) {
      // Bit 8 is a sentinel: the literals before each reference bit are copied at once.
      unsigned control = *ip++ | 0x100u;
      for (;;) {
        const auto literals = static_cast<unsigned>(std::countr_zero(control));
        std::memcpy(op, ip, 8);
        op += literals, ip += literals;
        control >>= literals + 1;
        if (control == 0) break;  // that was the sentinel
        const unsigned ref = unsigned{ip[0]} << 8 | ip[1];
        ip += 2;
        const std::size_t distance = distance_of(ref >> 4), length = (ref & 15) + 2;
        if (distance == 0) return static_cast<std::size_t>(op - ob);
        if (distance > static_cast<std::size_t>(op - ob)) {
          copy_from_history(distance, length);
          continue;
        }
        const std::uint8_t* src = op - distance;
        if (distance >= 8) {  // each 8-byte chunk reads only bytes already written
          std::memcpy(op, src, 8);
          std::memcpy(op + 8, src + 8, 8);
          std::memcpy(op + 16, src + 16, 8);
        } else if (distance == 1) {
          std::memset(op, *src, 24);
        } else {
          for (std::size_t k = 0; k < length; ++k) op[k] = src[k];
        }
        op += length;
      }
      continue;
    }
    // Near either end: every token checked.
    if (ip == ie) return error{oxwire::errc::truncated, at(ip), "CONTROL"};
    const unsigned control = *ip++;
    for (unsigned bit = 0; bit < 8; ++bit) {
      if (control & (1u << bit)) {
        if (ie - ip < 2) return error{oxwire::errc::truncated, at(ip), "REFERENCE"};
        const std::uint8_t* const ref_at = ip;
        const unsigned ref = unsigned{ip[0]} << 8 | ip[1];
        ip += 2;
        const std::size_t distance = distance_of(ref >> 4), length = (ref & 15) + 2;
        if (distance == 0) return static_cast<std::size_t>(op - ob);
        if (length > static_cast<std::size_t>(oe - op))
          return error{errc::output_overflow, at(ref_at), "REFERENCE"};
        if (distance > static_cast<std::size_t>(op - ob)) {
          copy_from_history(distance, length);
        } else {
          const std::uint8_t* src = op - distance;
          for (std::size_t k = 0; k < length; ++k) op[k] = src[k];
          op += length;
        }
      } else {
        if (ip == ie) return error{oxwire::errc::truncated, at(ip), "LITERAL"};
        if (op == oe) return error{errc::output_overflow, at(ip), "LITERAL"};
        *op++ = *ip++;
      }
    }
  }
}

/// The reference implementation the fast decoder is tested and fuzzed against.
[[nodiscard]] inline result<std::size_t> lzfu_decode_scalar(bytes_view in, mutable_bytes out,
                                                            std::size_t base) noexcept {
  return lzfu_decode_ring(in, out, base, initial_dictionary);
}

using lzfu_kernel = result<std::size_t> (*)(bytes_view, mutable_bytes, std::size_t) noexcept;

/// `decompress` with the LZFu kernel as a parameter (tests compare the two kernels).
[[nodiscard]] inline result<std::vector<std::uint8_t>> decompress_with(
    bytes_view in, const decompress_options& opt, lzfu_kernel kernel) {
  reader r(in);
  auto h = decode_header(r);
  if (!h) return h.error();
  if (h->COMPSIZE < header_size - 4) return error{errc::size_mismatch, 0, "COMPSIZE"};
  const std::size_t contents_size = h->COMPSIZE - (header_size - 4);
  if (contents_size > r.remaining()) return error{errc::size_past_end, 0, "COMPSIZE"};
  if (contents_size < r.remaining())
    return error{errc::trailing_data, header_size + contents_size, "COMPSIZE"};
  const bytes_view contents = r.rest();
  if (h->COMPTYPE == UNCOMPRESSED) {
    // RAWDATA is the RTF itself. Some writers (Aspose, hfig/MAPI) set RAWSIZE to COMPSIZE
    // although only COMPSIZE - 12 bytes follow: accepted.
    if (h->RAWSIZE != contents_size && h->RAWSIZE != h->COMPSIZE)
      return error{errc::size_mismatch, 4, "RAWSIZE"};
    if (contents_size > opt.max_output) return error{oxwire::errc::limit_exceeded, 4, "RAWSIZE"};
    return std::vector<std::uint8_t>(contents.begin(), contents.end());
  }
  if (h->RAWSIZE > opt.max_output) return error{oxwire::errc::limit_exceeded, 4, "RAWSIZE"};
  if (opt.verify_crc && crc32_no_final_xor(contents) != h->CRC)
    return error{errc::crc_mismatch, 12, "CRC"};
  std::vector<std::uint8_t> out(h->RAWSIZE);
  auto n = kernel(contents, out, header_size);
  if (!n) return n.error();
  if (*n != out.size()) return error{errc::output_short, 4, "RAWSIZE"};
  return out;
}

}  // namespace detail

/// Decompresses a whole PidTagRtfCompressed value to the RTF it holds (MS-OXRTFCP 3.2.3).
/// Errors: errc::truncated (header, control byte, token, or no end reference), invalid_comptype,
/// size_mismatch, size_past_end, trailing_data, crc_mismatch, output_overflow (past RAWSIZE),
/// output_short, and limit_exceeded (RAWSIZE above `max_output`).
///   `auto rtf = oxwire::rtf::decompress(prop_bytes); if (!rtf) ... rtf.error().message() ...`
[[nodiscard]] inline result<std::vector<std::uint8_t>> decompress(
    bytes_view in, const decompress_options& opt = {}) {
  return detail::decompress_with(in, opt, detail::lzfu_decode_fast);
}

struct compress_options {
  /// false writes 'MELA' (the RTF uncompressed, CRC 0).
  bool compressed = true;
  /// Most earlier positions (of the same hash of two leading bytes) tried per match.
  std::size_t max_chain = 256;
};

/// Compresses RTF into a PidTagRtfCompressed value (MS-OXRTFCP 3.1.3): at each position the
/// longest match of 2 to 17 bytes in the last 4095 bytes (preload included, overlapping the
/// position itself allowed); among equally long matches the oldest wins, except that the search
/// stops at the first full-length match. This reproduces the spec's examples (section 4) byte
/// for byte. errc::out_of_range when the input does not fit the 32-bit sizes.
///   `auto packed = oxwire::rtf::compress(oxwire::as_bytes(rtf_text));`
[[nodiscard]] inline result<std::vector<std::uint8_t>> compress(bytes_view raw,
                                                                const compress_options& opt = {}) {
  using detail::dictionary_size, detail::preload, detail::max_match;
  if (raw.size() > 0xFFFFFFFFu - 12 - (raw.size() / 8 + 3))
    return error{oxwire::errc::out_of_range, 0, "RAWSIZE"};
  std::vector<std::uint8_t> out;
  vector_writer w(out);
  if (!opt.compressed) {
    (void)encode_header(w, {static_cast<std::uint32_t>(raw.size() + 12),
                            static_cast<std::uint32_t>(raw.size()), UNCOMPRESSED, 0});
    (void)w.write_bytes(raw);
    return out;
  }
  out.reserve(header_size + raw.size() + raw.size() / 8 + 4);
  out.resize(header_size);
  // History: the preload, then the input; the ring position of history index h is h % 4096.
  std::vector<std::uint8_t> hist(preload + raw.size());
  std::memcpy(hist.data(), initial_dictionary.data(), preload);
  if (!raw.empty()) std::memcpy(hist.data() + preload, raw.data(), raw.size());
  const std::size_t end = hist.size();
  // Chains of earlier positions by a 12-bit hash of their first two bytes.
  std::array<std::int32_t, dictionary_size> head, prev;
  head.fill(-1);
  std::size_t inserted = 0;
  const auto key = [&](std::size_t h) { return (unsigned{hist[h]} << 4 ^ hist[h + 1]) & 0xFFFu; };

  std::uint8_t run[1 + 2 * 8];
  std::size_t run_size = 1, tokens = 0;
  run[0] = 0;
  const auto flush = [&] {
    out.insert(out.end(), run, run + run_size);
    run[0] = 0, run_size = 1, tokens = 0;
  };
  const auto reference = [&](std::size_t offset, std::size_t length) {
    const unsigned ref = static_cast<unsigned>(offset << 4 | (length - 2));
    run[0] = static_cast<std::uint8_t>(run[0] | 1u << tokens);
    run[run_size++] = static_cast<std::uint8_t>(ref >> 8);
    run[run_size++] = static_cast<std::uint8_t>(ref);
    if (++tokens == 8) flush();
  };

  std::size_t h0 = preload;
  while (h0 < end) {
    for (; inserted < h0; ++inserted) {  // index h needs hist[h + 1], which h0 < end guarantees
      const unsigned k = key(inserted);
      prev[inserted % dictionary_size] = head[k];
      head[k] = static_cast<std::int32_t>(inserted);
    }
    const std::size_t limit = std::min(max_match, end - h0);
    std::size_t best = 1, best_at = 0;
    if (limit >= 2) {
      std::int32_t cand = head[key(h0)];
      for (std::size_t depth = 0; cand >= 0 && depth < opt.max_chain; ++depth) {
        const auto c = static_cast<std::size_t>(cand);
        if (h0 - c >= dictionary_size) break;
        std::size_t len = 0;
        while (len < limit && hist[c + len] == hist[h0 + len]) ++len;
        if (len >= 2 && len >= best) best = len, best_at = c;  // newest to oldest: ties go older
        if (len == limit) break;
        cand = prev[c % dictionary_size];  // slots are reused only by positions not yet inserted
      }
    }
    if (best >= 2) {
      reference(best_at % dictionary_size, best);
      h0 += best;
    } else {
      run[run_size++] = hist[h0++];
      if (++tokens == 8) flush();
    }
  }
  reference(h0 % dictionary_size, 2);  // the end reference: offset = write position
  if (tokens) flush();
  const auto contents = bytes_view(out).subspan(header_size);
  (void)w.patch<std::uint32_t>(0, static_cast<std::uint32_t>(contents.size() + 12));
  (void)w.patch<std::uint32_t>(4, static_cast<std::uint32_t>(raw.size()));
  (void)w.patch<std::uint32_t>(8, COMPRESSED);
  (void)w.patch<std::uint32_t>(12, crc32_no_final_xor(contents));
  return out;
}

}  // namespace oxwire::rtf
