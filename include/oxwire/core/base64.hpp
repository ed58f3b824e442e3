// oxwire — base64 (RFC 4648) for MS-ASCMD attachments and MIME bodies, MS-ASHTTP base64-encoded
// query strings and EWS/Autodiscover binary fields.
//
//   auto bytes = oxwire::base64::decode(text);                   // strict RFC 4648
//   auto bytes = oxwire::base64::decode(mime, base64::mode::lenient);
//   std::string text = oxwire::base64::encode(bytes, base64::alphabet::url, false);
//
// Errors name the offset of the offending character: a foreign character (invalid_base64), the
// '=' that may not stand there or where padding is missing (invalid_base64_padding), the input
// size when one character is left over (invalid_base64_length). AVX2 kernels are used when the
// CPU has them.
#pragma once

#include <oxwire/core/bytes.hpp>
#include <oxwire/core/error.hpp>
#include <oxwire/detail/base64_avx2.hpp>
#include <oxwire/detail/base64_scalar.hpp>
#include <oxwire/detail/cpu.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace oxwire::detail {

/// base64 -> bytes with the best kernel for this CPU.
template <base64::alphabet A>
[[nodiscard]] inline result<std::size_t> base64_decode_best(std::string_view in, mutable_bytes out,
                                                            base64::mode m) noexcept {
#if OXWIRE_X86
  if (best_isa() == isa::avx2) return base64_decode_avx2<A>(in, out, m);
#endif
  return base64_decode_scalar<A>(in, out, m);
}

/// bytes -> base64 with the best kernel for this CPU; `out` holds at least the encoded size.
template <base64::alphabet A>
inline std::size_t base64_encode_best(bytes_view in, std::span<char> out, bool pad) noexcept {
#if OXWIRE_X86
  if (best_isa() == isa::avx2) return base64_encode_avx2<A>(in, out, pad);
#endif
  return base64_encode_scalar<A>(in, out, pad);
}

}  // namespace oxwire::detail

namespace oxwire::base64 {

// mode and alphabet: detail/base64_scalar.hpp.

/// Characters that encoding `n` bytes produces (RFC 4648 4: 4 per 3 bytes; '=' to a multiple
/// of 4 when `pad`).
[[nodiscard]] constexpr std::size_t encoded_size(std::size_t n, bool pad = true) noexcept {
  return n / 3 * 4 + (n % 3 == 0 ? 0 : pad ? 4 : n % 3 + 1);
}

/// Most bytes `chars` characters of base64 can decode to.
[[nodiscard]] constexpr std::size_t decoded_bound(std::size_t chars) noexcept {
  return chars / 4 * 3 + chars % 4 * 3 / 4;
}

/// Encodes `in` into `out`; returns the characters written. buffer_too_small (offset: the first
/// input byte whose characters do not fit) unless out.size() >= encoded_size(in.size(), pad).
[[nodiscard]] inline result<std::size_t> encode(bytes_view in, std::span<char> out,
                                                alphabet a = alphabet::standard,
                                                bool pad = true) noexcept {
  if (out.size() < encoded_size(in.size(), pad))
    return error{errc::buffer_too_small, out.size() / 4 * 3, "base64 output too small"};
  return a == alphabet::standard ? detail::base64_encode_best<alphabet::standard>(in, out, pad)
                                 : detail::base64_encode_best<alphabet::url>(in, out, pad);
}

/// Encodes `in` as a new string.
[[nodiscard]] inline std::string encode(bytes_view in, alphabet a = alphabet::standard,
                                        bool pad = true) {
  std::string s(encoded_size(in.size(), pad), '\0');
  (void)encode(in, s, a, pad);  // cannot fail: s is exactly large enough
  return s;
}

/// Decodes `in` into `out`; returns the bytes written. decoded_bound(in.size()) bytes always
/// suffice; with fewer, buffer_too_small names the last character of the quantum that did not
/// fit.
[[nodiscard]] inline result<std::size_t> decode(std::string_view in, mutable_bytes out,
                                                mode m = mode::strict,
                                                alphabet a = alphabet::standard) noexcept {
  return a == alphabet::standard ? detail::base64_decode_best<alphabet::standard>(in, out, m)
                                 : detail::base64_decode_best<alphabet::url>(in, out, m);
}

/// Decodes `in` into new bytes.
[[nodiscard]] inline result<std::vector<std::uint8_t>> decode(std::string_view in,
                                                              mode m = mode::strict,
                                                              alphabet a = alphabet::standard) {
  std::vector<std::uint8_t> v(decoded_bound(in.size()));
  const auto n = decode(in, v, m, a);
  if (!n) return n.error();
  v.resize(*n);
  return v;
}

}  // namespace oxwire::base64
