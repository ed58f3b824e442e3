// oxwire — compressed OAB version 4 files decompressed by libmspack (Debian libmspack-dev; link
// -lmspack and libdeflate), in memory. Our own readers check the headers and block headers first
// (<oxwire/oab/compressed.hpp>); libmspack does the LZX and the patching; the result is checked
// against the sizes and CRCs the headers give.
//
//   std::vector<std::uint8_t> full = oxwire::oab::decompress(lzx_file).value();
//   std::vector<std::uint8_t> next = oxwire::oab::apply_patch(patch_file, full).value();
//   auto oab = oxwire::oab::decode_full_details(next).value();
#pragma once

#include <mspack.h>

#include <oxwire/oab/compressed.hpp>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

namespace oxwire::oab {

namespace detail {

/// An in-memory mspack_file: input bytes to read, or an output vector with a size limit.
struct mspack_memory_file {
  bytes_view in;
  std::vector<std::uint8_t>* out = nullptr;
  std::size_t limit = 0;
  std::size_t pos = 0;
  bool overflow = false;
};

/// An mspack_system whose "file names" are pointers to mspack_memory_file.
struct mspack_memory_system {
  mspack_system sys{};

  static void ignore_message(mspack_file*, const char*, ...) {}

  mspack_memory_system() noexcept {
    sys.open = [](mspack_system*, const char* name, int mode) -> mspack_file* {
      auto* f = reinterpret_cast<mspack_memory_file*>(const_cast<char*>(name));
      if ((mode == MSPACK_SYS_OPEN_WRITE) != (f->out != nullptr)) return nullptr;
      f->pos = 0;
      return reinterpret_cast<mspack_file*>(f);
    };
    sys.close = [](mspack_file*) {};
    sys.read = [](mspack_file* file, void* buf, int bytes) -> int {
      auto* f = reinterpret_cast<mspack_memory_file*>(file);
      if (bytes < 0 || f->out) return -1;
      const std::size_t n = std::min(static_cast<std::size_t>(bytes), f->in.size() - f->pos);
      if (n) std::memcpy(buf, f->in.data() + f->pos, n);
      f->pos += n;
      return static_cast<int>(n);
    };
    sys.write = [](mspack_file* file, void* buf, int bytes) -> int {
      auto* f = reinterpret_cast<mspack_memory_file*>(file);
      if (bytes < 0 || !f->out) return -1;
      const auto n = static_cast<std::size_t>(bytes);
      if (n > f->limit - f->out->size()) {
        f->overflow = true;
        return -1;
      }
      const auto* p = static_cast<const std::uint8_t*>(buf);
      f->out->insert(f->out->end(), p, p + n);
      return bytes;
    };
    sys.seek = [](mspack_file* file, off_t offset, int mode) -> int {
      auto* f = reinterpret_cast<mspack_memory_file*>(file);
      const std::size_t size = f->out ? f->out->size() : f->in.size();
      const off_t base = mode == MSPACK_SYS_SEEK_START ? 0
                         : mode == MSPACK_SYS_SEEK_CUR ? static_cast<off_t>(f->pos)
                                                       : static_cast<off_t>(size);
      const off_t to = base + offset;
      if (to < 0 || static_cast<std::size_t>(to) > size) return -1;
      f->pos = static_cast<std::size_t>(to);
      return 0;
    };
    sys.tell = [](mspack_file* file) -> off_t {
      return static_cast<off_t>(reinterpret_cast<mspack_memory_file*>(file)->pos);
    };
    sys.message = &ignore_message;
    sys.alloc = [](mspack_system*, std::size_t n) { return std::malloc(n); };
    sys.free = [](void* p) { std::free(p); };
    sys.copy = [](void* src, void* dst, std::size_t n) { std::memmove(dst, src, n); };
    sys.null_ptr = nullptr;
  }
};

[[nodiscard]] inline const char* mspack_error_name(int e) noexcept {
  switch (e) {
    case MSPACK_ERR_READ: return "MSPACK_ERR_READ";
    case MSPACK_ERR_SIGNATURE: return "MSPACK_ERR_SIGNATURE";
    case MSPACK_ERR_DATAFORMAT: return "MSPACK_ERR_DATAFORMAT";
    case MSPACK_ERR_CHECKSUM: return "MSPACK_ERR_CHECKSUM";
    case MSPACK_ERR_DECRUNCH: return "MSPACK_ERR_DECRUNCH";
    case MSPACK_ERR_NOMEMORY: return "MSPACK_ERR_NOMEMORY";
    default: return "libmspack";
  }
}

/// Runs libmspack's OAB decompressor (patching `base` when given) into a vector of at most
/// `limit` bytes; errors at the input position libmspack had reached.
[[nodiscard]] inline result<std::vector<std::uint8_t>> run_mspack(bytes_view file,
                                                                  const bytes_view* base,
                                                                  std::size_t limit) {
  mspack_memory_system sys;
  const std::unique_ptr<msoab_decompressor, void (*)(msoab_decompressor*)> d(
      mspack_create_oab_decompressor(&sys.sys), mspack_destroy_oab_decompressor);
  if (!d) return error{errc::decompression_failed, 0, "mspack_create_oab_decompressor"};
  std::vector<std::uint8_t> out;
  mspack_memory_file in{file}, src{base ? *base : bytes_view{}}, dst{{}, &out, limit};
  const auto name = [](mspack_memory_file& f) { return reinterpret_cast<const char*>(&f); };
  const int rc = base ? d->decompress_incremental(d.get(), name(in), name(src), name(dst))
                      : d->decompress(d.get(), name(in), name(dst));
  if (dst.overflow) return error{oxwire::errc::limit_exceeded, in.pos, "ulTargetSize"};
  if (rc != MSPACK_ERR_OK) return error{errc::decompression_failed, in.pos, mspack_error_name(rc)};
  return out;
}

}  // namespace detail

/// Decompresses a compressed full OAB file (LZX_HDR + LZX_BLKs): the block headers checked by
/// `decode_lzx_blocks`, the LZX by libmspack, each block's CRC-32 and the total size checked.
[[nodiscard]] inline result<std::vector<std::uint8_t>> decompress(
    bytes_view file, const compressed_limits& lim = {}) {
  const auto blocks = decode_lzx_blocks(file, lim);
  if (!blocks) return blocks.error();
  const std::size_t target = decode_lzx_header(file, lim)->ulTargetSize;
  auto out = detail::run_mspack(file, nullptr, target);
  if (!out) return out.error();
  if (out->size() != target) return error{errc::decompression_failed, 12, "ulTargetSize"};
  std::size_t at = 0;
  for (const auto& b : *blocks) {
    if (lim.verify_crc && crc32(bytes_view(*out).subspan(at, b.ulUncompSize)) != b.ulCRC)
      return error{errc::checksum_mismatch, b.offset + 12, "ulCRC"};
    at += b.ulUncompSize;
  }
  return out;
}

/// Applies a patch file (MS-OXOAB 2.10) to `base`, the uncompressed file it was made against:
/// PATCH_HDR checked (ulSourceSize and ulSourceCRC against `base`), the patch applied by
/// libmspack, the result checked against ulTargetSize and ulTargetCRC.
[[nodiscard]] inline result<std::vector<std::uint8_t>> apply_patch(
    bytes_view patch, bytes_view base, const compressed_limits& lim = {}) {
  const auto h = decode_patch_header(patch, lim);
  if (!h) return h.error();
  if (base.size() != h->ulSourceSize)
    return error{errc::invalid_compressed_header, 12, "ulSourceSize"};
  if (lim.verify_crc && crc32(base) != h->ulSourceCRC)
    return error{errc::checksum_mismatch, 20, "ulSourceCRC"};
  auto out = detail::run_mspack(patch, &base, h->ulTargetSize);
  if (!out) return out.error();
  if (out->size() != h->ulTargetSize) return error{errc::decompression_failed, 16, "ulTargetSize"};
  if (lim.verify_crc && crc32(*out) != h->ulTargetCRC)
    return error{errc::checksum_mismatch, 24, "ulTargetCRC"};
  return out;
}

}  // namespace oxwire::oab
