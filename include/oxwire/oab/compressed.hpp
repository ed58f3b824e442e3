// oxwire — the compressed OAB version 4 files of MS-OXOAB: the full file (LZX_HDR and LZX_BLK
// blocks) and the differential patch file (PATCH_HDR), their headers checked here. LZX itself is
// left to libmspack (<oxwire/oab/mspack.hpp>); this header writes files of uncompressed blocks.
// The block CRC is CRC-32 (libdeflate's, core/crc32.hpp): link libdeflate.
//
//   auto blocks = oxwire::oab::decode_lzx_blocks(file).value();   // every block header checked
//   auto file = oxwire::oab::encode_uncompressed_lzx(full_details_bytes).value();
#pragma once

#include <oxwire/core/crc32.hpp>
#include <oxwire/core/reader.hpp>
#include <oxwire/core/writer.hpp>
#include <oxwire/oab/error.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace oxwire::oab {

/// Limits of the compressed-file readers; each one reached is errc::limit_exceeded.
struct compressed_limits {
  std::size_t max_target_size = std::size_t{1} << 30;  // ulTargetSize (1 GiB)
  std::size_t max_block_size = std::size_t{1} << 24;   // ulBlockMax (16 MiB)
  bool verify_crc = true;                              // ulCRC / ulSourceCRC / ulTargetCRC
};

/// LZX_HDR: the header of a compressed full OAB version 4 file (version 3.1).
struct LZX_HDR {
  static constexpr std::uint32_t version_hi = 0x00000003;
  static constexpr std::uint32_t version_lo = 0x00000001;
  std::uint32_t ulVersionHi = version_hi;
  std::uint32_t ulVersionLo = version_lo;
  std::uint32_t ulBlockMax = 0;    // largest uncompressed block, in bytes
  std::uint32_t ulTargetSize = 0;  // size of the uncompressed file
};

/// LZX_BLK: one block of a compressed full file, its data a view into the file.
struct LZX_BLK {
  static constexpr std::uint32_t uncompressed = 0;  // ulFlags: data stored as is
  static constexpr std::uint32_t lzx = 1;           // ulFlags: data LZX-compressed
  std::uint32_t ulFlags = 0;
  std::uint32_t ulCompSize = 0;
  std::uint32_t ulUncompSize = 0;
  std::uint32_t ulCRC = 0;  // CRC-32 of the uncompressed block
  bytes_view data;
  std::size_t offset = 0;  // of ulFlags in the file
};

/// MS-OXOAB 2.10.1 PATCH_HDR: the header of a differential patch file (version 3.2).
struct PATCH_HDR {
  static constexpr std::uint32_t version_hi = 0x00000003;
  static constexpr std::uint32_t version_lo = 0x00000002;
  std::uint32_t ulVersionHi = version_hi;
  std::uint32_t ulVersionLo = version_lo;
  std::uint32_t ulBlockMax = 0;
  std::uint32_t ulSourceSize = 0;  // the uncompressed file the patch applies to
  std::uint32_t ulTargetSize = 0;  // the file it makes
  std::uint32_t ulSourceCRC = 0;
  std::uint32_t ulTargetCRC = 0;
};

/// Which compressed file `file` is, from its version fields: false for a full file (3.1), true
/// for a patch (3.2); errc::invalid_compressed_header for anything else.
[[nodiscard]] inline result<bool> is_patch_file(bytes_view file) noexcept {
  reader in(file);
  std::uint32_t hi = 0, lo = 0;
  if (auto r = in.read_into("ulVersionHi", hi, lo); !r) return r.error();
  if (hi != LZX_HDR::version_hi) return error{errc::invalid_compressed_header, 0, "ulVersionHi"};
  if (lo != LZX_HDR::version_lo && lo != PATCH_HDR::version_lo)
    return error{errc::invalid_compressed_header, 4, "ulVersionLo"};
  return lo == PATCH_HDR::version_lo;
}

namespace detail {

[[nodiscard]] inline result<void> check_sizes(std::uint32_t block_max, std::uint32_t target,
                                              std::size_t at, const compressed_limits& lim) {
  if (block_max == 0) return error{errc::invalid_compressed_header, at, "ulBlockMax"};
  if (block_max > lim.max_block_size) return error{oxwire::errc::limit_exceeded, at, "ulBlockMax"};
  if (target > lim.max_target_size)
    return error{oxwire::errc::limit_exceeded, at + 4, "ulTargetSize"};
  return {};
}

}  // namespace detail

/// The LZX_HDR of a full file.
[[nodiscard]] inline result<LZX_HDR> decode_lzx_header(bytes_view file,
                                                       const compressed_limits& lim = {}) {
  const auto patch = is_patch_file(file);
  if (!patch) return patch.error();
  if (*patch) return error{errc::invalid_compressed_header, 4, "ulVersionLo"};
  LZX_HDR h;
  reader in(file);
  if (auto r = in.read_into("LZX_HDR", h.ulVersionHi, h.ulVersionLo, h.ulBlockMax, h.ulTargetSize);
      !r)
    return r.error();
  if (auto r = detail::check_sizes(h.ulBlockMax, h.ulTargetSize, 8, lim); !r) return r.error();
  return h;
}

/// MS-OXOAB 2.10.1: the PATCH_HDR of a patch file.
[[nodiscard]] inline result<PATCH_HDR> decode_patch_header(bytes_view file,
                                                           const compressed_limits& lim = {}) {
  const auto patch = is_patch_file(file);
  if (!patch) return patch.error();
  if (!*patch) return error{errc::invalid_compressed_header, 4, "ulVersionLo"};
  PATCH_HDR h;
  reader in(file);
  if (auto r = in.read_into("PATCH_HDR", h.ulVersionHi, h.ulVersionLo, h.ulBlockMax, h.ulSourceSize,
                            h.ulTargetSize, h.ulSourceCRC, h.ulTargetCRC);
      !r)
    return r.error();
  if (auto r = detail::check_sizes(h.ulBlockMax, 0, 8, lim); !r) return r.error();
  if (h.ulSourceSize > lim.max_target_size)
    return error{oxwire::errc::limit_exceeded, 12, "ulSourceSize"};
  if (h.ulTargetSize > lim.max_target_size)
    return error{oxwire::errc::limit_exceeded, 16, "ulTargetSize"};
  return h;
}

/// Every LZX_BLK of a full file, checked against the header: ulFlags 0 or 1, ulUncompSize at
/// most ulBlockMax, an uncompressed block's ulCompSize equal to its ulUncompSize, data inside
/// the file, uncompressed sizes adding up to ulTargetSize, nothing after the last block.
[[nodiscard]] inline result<std::vector<LZX_BLK>> decode_lzx_blocks(
    bytes_view file, const compressed_limits& lim = {}) {
  const auto h = decode_lzx_header(file, lim);
  if (!h) return h.error();
  reader in(file.subspan(16), 16);
  std::vector<LZX_BLK> blocks;
  std::size_t total = 0;
  while (total < h->ulTargetSize) {
    LZX_BLK b;
    b.offset = in.offset();
    if (auto r = in.read_into("LZX_BLK", b.ulFlags, b.ulCompSize, b.ulUncompSize, b.ulCRC); !r)
      return r.error();
    if (b.ulFlags != LZX_BLK::uncompressed && b.ulFlags != LZX_BLK::lzx)
      return error{errc::invalid_block, b.offset, "ulFlags"};
    if (b.ulUncompSize == 0 || b.ulUncompSize > h->ulBlockMax ||
        b.ulUncompSize > h->ulTargetSize - total)
      return error{errc::invalid_block, b.offset + 8, "ulUncompSize"};
    if (b.ulFlags == LZX_BLK::uncompressed && b.ulCompSize != b.ulUncompSize)
      return error{errc::invalid_block, b.offset + 4, "ulCompSize"};
    auto data = in.bytes(b.ulCompSize, "LZX_BLK data");
    if (!data) return data.error();
    b.data = *data;
    if (lim.verify_crc && b.ulFlags == LZX_BLK::uncompressed && crc32(b.data) != b.ulCRC)
      return error{errc::checksum_mismatch, b.offset + 12, "ulCRC"};
    total += b.ulUncompSize;
    blocks.push_back(b);
  }
  if (!in.empty()) return error{errc::trailing_data, in.offset(), "LZX_BLK"};
  return blocks;
}

/// A full file of uncompressed blocks (ulFlags 0) of at most `block_max` bytes holding `data`:
/// valid input for any reader of the format, no LZX encoder needed.
[[nodiscard]] inline result<std::vector<std::uint8_t>> encode_uncompressed_lzx(
    bytes_view data, std::uint32_t block_max = 0x8000) {
  if (block_max == 0) return error{oxwire::errc::invalid_argument, 0, "ulBlockMax"};
  if (data.size() > std::numeric_limits<std::uint32_t>::max())
    return error{oxwire::errc::limit_exceeded, 0, "ulTargetSize"};
  std::vector<std::uint8_t> out;
  out.reserve(16 + data.size() + 16 * (data.size() / block_max + 1));
  vector_writer w(out);
  for (const std::uint32_t v : {LZX_HDR::version_hi, LZX_HDR::version_lo, block_max,
                                static_cast<std::uint32_t>(data.size())})
    (void)w.write<std::uint32_t>(v, "LZX_HDR");
  for (std::size_t at = 0; at < data.size(); at += block_max) {
    const bytes_view block = data.subspan(at, std::min<std::size_t>(block_max, data.size() - at));
    const auto n = static_cast<std::uint32_t>(block.size());
    for (const std::uint32_t v : {LZX_BLK::uncompressed, n, n, crc32(block)})
      (void)w.write<std::uint32_t>(v, "LZX_BLK");
    (void)w.write_bytes(block, "LZX_BLK data");
  }
  return out;
}

}  // namespace oxwire::oab
