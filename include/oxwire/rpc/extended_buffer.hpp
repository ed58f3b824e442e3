// oxwire — MS-OXCRPC extended buffers: RPC_HEADER_EXT (2.2.2.1) and chains of header + payload
// (3.1.4.1.1), each payload optionally LZ77/DIRECT2-compressed (3.1.4.1.1.2) and then XorMagic-
// obfuscated (3.1.4.1.1.3); the receiver undoes them in the opposite order.
//
//   auto plain = oxwire::rpc::unpack_extended_buffer(rgb_out);      // result<std::vector<...>>
//   std::vector<std::uint8_t> wire;
//   oxwire::rpc::pack_extended_buffer(rops, wire, {.compress = true, .xor_magic = true});
#pragma once

#include <oxwire/core/bytes.hpp>
#include <oxwire/core/error.hpp>
#include <oxwire/core/reader.hpp>
#include <oxwire/core/writer.hpp>
#include <oxwire/rpc/error.hpp>
#include <oxwire/rpc/lz77.hpp>
#include <oxwire/rpc/xor.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace oxwire::rpc {

/// MS-OXCRPC 2.2.2.1 RPC_HEADER_EXT: the 8-byte header in front of every extended-buffer payload.
struct RPC_HEADER_EXT {
  static constexpr std::uint16_t Compressed = 0x0001;  // payload is LZ77/DIRECT2 (3.1.4.1.1.2)
  static constexpr std::uint16_t XorMagic = 0x0002;    // payload is XORed with 0xA5 (3.1.4.1.1.3)
  static constexpr std::uint16_t Last = 0x0004;        // no RPC_HEADER_EXT follows this payload
  static constexpr std::size_t size = 8;

  std::uint16_t Version = 0;     // MUST be 0x0000
  std::uint16_t Flags = 0;       // Compressed | XorMagic | Last
  std::uint16_t Size = 0;        // payload bytes on the wire
  std::uint16_t SizeActual = 0;  // payload bytes once decompressed (== Size when not Compressed)

  friend bool operator==(const RPC_HEADER_EXT&, const RPC_HEADER_EXT&) = default;
};

/// The largest payload one header carries by default (MS-OXCRPC 3.1.4.1.1, MS-OXCRPC_R726).
inline constexpr std::size_t max_payload_default = 32768;

/// Reads one RPC_HEADER_EXT; errc::invalid_version unless Version is 0, errc::invalid_flags for
/// bits other than Compressed, XorMagic and Last (both at the field), truncated when short:
/// `auto h = decode_rpc_header_ext(in);`. Size/SizeActual are checked by the chain decoder.
[[nodiscard]] inline result<RPC_HEADER_EXT> decode_rpc_header_ext(reader& in) noexcept {
  const std::size_t at = in.offset();
  RPC_HEADER_EXT h;
  reader r = in;
  if (auto v = r.read_into("RPC_HEADER_EXT", h.Version, h.Flags, h.Size, h.SizeActual); !v)
    return v.error();
  if (h.Version != 0) return error{errc::invalid_version, at, "Version"};
  constexpr std::uint16_t known =
      RPC_HEADER_EXT::Compressed | RPC_HEADER_EXT::XorMagic | RPC_HEADER_EXT::Last;
  if (h.Flags & ~known) return error{errc::invalid_flags, at + 2, "Flags"};
  in = r;
  return h;
}

/// Writes one RPC_HEADER_EXT: `encode_rpc_header_ext(w, {0, RPC_HEADER_EXT::Last, n, n});`.
template <class Sink>
[[nodiscard]] result<void> encode_rpc_header_ext(
    basic_writer<Sink>& w, const RPC_HEADER_EXT& h) noexcept(basic_writer<Sink>::nothrow) {
  for (const std::uint16_t v : {h.Version, h.Flags, h.Size, h.SizeActual})
    if (auto r = w.template write<std::uint16_t>(v, "RPC_HEADER_EXT"); !r) return r;
  return {};
}

/// Limits of `unpack_extended_buffer`.
struct unpack_limits {
  std::size_t max_output = std::size_t{16} << 20;  // total payload bytes after decompression
  std::size_t max_headers = 4096;                  // RPC_HEADER_EXT structures in one chain
};

/// Unpacks a chain of RPC_HEADER_EXT + payload up to the header flagged Last, appending every
/// payload (deobfuscated, then decompressed, as flagged) to `out`. Errors carry the offset in
/// `buffer`: invalid_version, invalid_flags, size_past_end (Size beyond the buffer),
/// size_mismatch (Size != SizeActual uncompressed, or Size >= SizeActual compressed), the
/// lz77_decompress errors (output_overflow when SizeActual is smaller than the output),
/// missing_last, trailing_data, truncated, errc::limit_exceeded. On error `out` keeps what it had.
[[nodiscard]] inline result<void> unpack_extended_buffer(bytes_view buffer,
                                                         std::vector<std::uint8_t>& out,
                                                         const unpack_limits& limits = {}) {
  const std::size_t start = out.size();
  const auto fail = [&](const error& e) -> result<void> {
    out.resize(start);
    return e;
  };
  reader in(buffer);
  std::vector<std::uint8_t> scratch;
  for (std::size_t headers = 0;; ++headers) {
    const std::size_t at = in.offset();
    if (headers == limits.max_headers)
      return fail({oxwire::errc::limit_exceeded, at, "RPC_HEADER_EXT count"});
    auto h = decode_rpc_header_ext(in);
    if (!h) return fail(h.error());
    const bool compressed = h->Flags & RPC_HEADER_EXT::Compressed;
    if (!compressed && h->Size != h->SizeActual)
      return fail({errc::size_mismatch, at + 6, "SizeActual"});
    if (compressed && h->Size >= h->SizeActual) return fail({errc::size_mismatch, at + 4, "Size"});
    if (h->SizeActual > limits.max_output - (out.size() - start))
      return fail({oxwire::errc::limit_exceeded, at + 6, "SizeActual"});
    auto payload = in.bytes(h->Size);
    if (!payload) return fail({errc::size_past_end, at + 4, "Size"});
    const std::size_t payload_at = at + RPC_HEADER_EXT::size;
    const std::size_t old = out.size();
    if (!compressed) {
      out.insert(out.end(), payload->begin(), payload->end());
      if (h->Flags & RPC_HEADER_EXT::XorMagic) deobfuscate(mutable_bytes(out).subspan(old));
    } else {
      bytes_view stream = *payload;
      if (h->Flags & RPC_HEADER_EXT::XorMagic) {
        scratch.assign(payload->begin(), payload->end());
        deobfuscate(scratch);
        stream = scratch;
      }
      out.resize(old + h->SizeActual);
      if (auto r = lz77_decompress(stream, mutable_bytes(out).subspan(old), payload_at); !r)
        return fail(r.error());
    }
    if (h->Flags & RPC_HEADER_EXT::Last) {
      if (!in.empty()) return fail({errc::trailing_data, in.offset(), "RPC_HEADER_EXT Last"});
      return {};
    }
    if (in.empty()) return fail({errc::missing_last, in.offset(), "Last"});
  }
}

/// `unpack_extended_buffer` into a new vector: `auto plain = unpack_extended_buffer(rgb_out);`.
[[nodiscard]] inline result<std::vector<std::uint8_t>> unpack_extended_buffer(
    bytes_view buffer, const unpack_limits& limits = {}) {
  std::vector<std::uint8_t> out;
  if (auto r = unpack_extended_buffer(buffer, out, limits); !r) return r.error();
  return out;
}

/// How `pack_extended_buffer` frames payloads.
struct pack_options {
  bool compress = false;                          // LZ77/DIRECT2 where it makes a payload smaller
  bool xor_magic = false;                         // XorMagic every payload
  std::size_t max_payload = max_payload_default;  // uncompressed bytes per header, 1..65535
  lz77_options lz77{};
};

/// Appends a chain that carries `payloads` in order to `out`: each payload is cut into pieces of
/// at most `max_payload` bytes, one RPC_HEADER_EXT each (an empty payload gets one empty header),
/// and the last header is flagged Last. A piece is sent compressed only when the DIRECT2 stream
/// is smaller than the piece, since Compressed requires Size < SizeActual (MS-OXCRPC 2.2.2.1).
/// errc::invalid_argument if max_payload is 0 or above 65535 (Size is 16 bits).
///   `pack_extended_buffer(std::array{bytes_view(a), bytes_view(b)}, wire, {.compress = true});`
[[nodiscard]] inline result<void> pack_extended_buffer(std::span<const bytes_view> payloads,
                                                       std::vector<std::uint8_t>& out,
                                                       const pack_options& options = {}) {
  if (options.max_payload == 0 || options.max_payload > 0xFFFF)
    return error{oxwire::errc::invalid_argument, 0, "max_payload"};
  const bytes_view none;
  if (payloads.empty()) payloads = {&none, 1};
  for (std::size_t p = 0; p < payloads.size(); ++p) {
    const bytes_view payload = payloads[p];
    std::size_t pos = 0;
    do {
      const bytes_view piece =
          payload.subspan(pos, std::min(options.max_payload, payload.size() - pos));
      pos += piece.size();
      const bool last = p + 1 == payloads.size() && pos == payload.size();
      const std::size_t header_at = out.size();
      out.resize(header_at + RPC_HEADER_EXT::size);
      RPC_HEADER_EXT h{0, static_cast<std::uint16_t>(last ? RPC_HEADER_EXT::Last : 0), 0,
                       static_cast<std::uint16_t>(piece.size())};
      bool compressed = false;
      if (options.compress && !piece.empty()) {
        lz77_compress(piece, out, options.lz77);
        compressed = out.size() - header_at - RPC_HEADER_EXT::size < piece.size();
        if (!compressed) out.resize(header_at + RPC_HEADER_EXT::size);
      }
      if (!compressed) out.insert(out.end(), piece.begin(), piece.end());
      const std::size_t body = out.size() - header_at - RPC_HEADER_EXT::size;
      h.Size = static_cast<std::uint16_t>(body);
      if (compressed) h.Flags |= RPC_HEADER_EXT::Compressed;
      if (options.xor_magic) {
        h.Flags |= RPC_HEADER_EXT::XorMagic;
        obfuscate(mutable_bytes(out).subspan(header_at + RPC_HEADER_EXT::size));
      }
      writer w(mutable_bytes(out).subspan(header_at, RPC_HEADER_EXT::size));
      if (auto r = encode_rpc_header_ext(w, h); !r) return r;
    } while (pos < payload.size());
  }
  return {};
}

/// One payload: `pack_extended_buffer(bytes, wire, {.xor_magic = true});`.
[[nodiscard]] inline result<void> pack_extended_buffer(bytes_view payload,
                                                       std::vector<std::uint8_t>& out,
                                                       const pack_options& options = {}) {
  return pack_extended_buffer(std::span<const bytes_view>(&payload, 1), out, options);
}

/// One payload into a new vector: `auto wire = pack_extended_buffer(bytes, {.compress = true});`.
[[nodiscard]] inline result<std::vector<std::uint8_t>> pack_extended_buffer(
    bytes_view payload, const pack_options& options = {}) {
  std::vector<std::uint8_t> out;
  if (auto r = pack_extended_buffer(payload, out, options); !r) return r.error();
  return out;
}

}  // namespace oxwire::rpc
