// oxwire — scalar base64 kernels (RFC 4648): the reference the SIMD kernels are tested against.
#pragma once

#include <oxwire/core/bytes.hpp>
#include <oxwire/core/error.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace oxwire::base64 {

/// strict: RFC 4648 3.3 and 3.5 (alphabet only, padding required, pad bits zero).
/// lenient: ASCII whitespace skipped, padding optional, pad bits ignored.
enum class mode { strict, lenient };

/// RFC 4648 4 (standard, "+/") and 5 (URL and filename safe, "-_").
enum class alphabet { standard, url };

}  // namespace oxwire::base64

namespace oxwire::detail {

template <base64::alphabet A>
inline constexpr std::string_view base64_chars =
    A == base64::alphabet::standard
        ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Decode table classes beyond the 6-bit values 0..63.
inline constexpr std::uint8_t b64_pad = 64, b64_space = 65, b64_foreign = 255;

template <base64::alphabet A>
inline constexpr std::array<std::uint8_t, 256> base64_values = [] {
  std::array<std::uint8_t, 256> t{};
  t.fill(b64_foreign);
  for (std::size_t v = 0; v < 64; ++v) t[static_cast<std::uint8_t>(base64_chars<A>[v])] = v;
  t['='] = b64_pad;
  for (char c : {' ', '\t', '\r', '\n'}) t[static_cast<std::uint8_t>(c)] = b64_space;
  return t;
}();

/// Where a decode stands between calls: the SIMD kernel hands blocks it cannot take to the
/// scalar state machine and resumes once the machine is at a quantum boundary again.
struct base64_state {
  static constexpr std::size_t none = ~std::size_t{0};
  std::size_t i = 0;          // next input character
  std::size_t o = 0;          // next output byte
  std::uint32_t bits = 0;     // data bits of the current quantum
  unsigned q = 0;             // data characters in the current quantum
  std::size_t last = 0;       // offset of the last data character
  std::size_t pad_at = none;  // offset of the first '='
  unsigned pads = 0;          // '=' seen
  [[nodiscard]] bool at_boundary() const noexcept { return q == 0 && pad_at == none; }
};

/// Runs the decoder over input characters until it is at a quantum boundary at or after
/// `stop`, or at the end of the input.
template <base64::alphabet A>
[[nodiscard]] inline result<void> base64_decode_run(std::string_view in, mutable_bytes out,
                                                    base64::mode m, base64_state& st,
                                                    std::size_t stop) noexcept {
  constexpr const auto& values = base64_values<A>;
  const auto* s = as_bytes(in).data();
  const std::size_t n = in.size();
  while (st.i < n) {
    if (st.at_boundary()) {
      if (st.i >= stop) return {};
      if (n - st.i >= 4) {  // whole quantum of data characters
        const std::uint32_t a = values[s[st.i]], b = values[s[st.i + 1]], c = values[s[st.i + 2]],
                            d = values[s[st.i + 3]];
        if ((a | b | c | d) < 64) {
          if (out.size() - st.o < 3)
            return error{errc::buffer_too_small, st.i + 3, "decoded output full"};
          const std::uint32_t v = a << 18 | b << 12 | c << 6 | d;
          out[st.o] = static_cast<std::uint8_t>(v >> 16);
          out[st.o + 1] = static_cast<std::uint8_t>(v >> 8);
          out[st.o + 2] = static_cast<std::uint8_t>(v);
          st.i += 4;
          st.o += 3;
          continue;
        }
      }
    }
    const std::uint8_t v = values[s[st.i]];
    if (v < 64) {
      if (st.pad_at != base64_state::none)
        return error{errc::invalid_base64_padding, st.pad_at, "data after padding"};
      st.bits = st.bits << 6 | v;
      st.last = st.i;
      if (++st.q == 4) {
        if (out.size() - st.o < 3)
          return error{errc::buffer_too_small, st.i, "decoded output full"};
        out[st.o] = static_cast<std::uint8_t>(st.bits >> 16);
        out[st.o + 1] = static_cast<std::uint8_t>(st.bits >> 8);
        out[st.o + 2] = static_cast<std::uint8_t>(st.bits);
        st.o += 3;
        st.q = 0;
        st.bits = 0;
      }
    } else if (v == b64_pad) {  // RFC 4648 3.2, 4
      if (st.pad_at == base64_state::none) {
        if (st.q < 2)
          return error{errc::invalid_base64_padding, st.i,
                       st.q == 0 ? "'=' at the start of a quantum" : "'=' after one character"};
        if (m == base64::mode::strict && (st.bits & (st.q == 2 ? 0xF : 0x3)))  // RFC 4648 3.5
          return error{errc::invalid_base64_padding, st.last, "pad bits not zero"};
        st.pad_at = st.i;
      }
      if (++st.pads > 4 - st.q)
        return error{errc::invalid_base64_padding, st.i, "too much padding"};
    } else if (!(v == b64_space && m == base64::mode::lenient)) {  // RFC 4648 3.3
      return error{errc::invalid_base64, st.i, "not in the base64 alphabet"};
    }
    ++st.i;
  }
  return {};
}

/// Checks the end of the input and writes the last partial quantum.
[[nodiscard]] inline result<std::size_t> base64_decode_finish(std::string_view in,
                                                              mutable_bytes out, base64::mode m,
                                                              base64_state& st) noexcept {
  if (st.pad_at != base64_state::none) {
    if (m == base64::mode::strict && st.pads < 4 - st.q)
      return error{errc::invalid_base64_padding, st.pad_at, "padding incomplete"};
  } else if (st.q == 1) {
    return error{errc::invalid_base64_length, in.size(), "one character left over"};
  } else if (st.q > 1 && m == base64::mode::strict) {  // RFC 4648 3.2
    return error{errc::invalid_base64_padding, in.size(), "padding missing"};
  }
  if (st.q < 2) return st.o;
  if (out.size() - st.o < st.q - 1)
    return error{errc::buffer_too_small, st.last, "decoded output full"};
  const std::uint32_t v = st.bits << (6 * (4 - st.q));
  out[st.o] = static_cast<std::uint8_t>(v >> 16);
  if (st.q == 3) out[st.o + 1] = static_cast<std::uint8_t>(v >> 8);
  return st.o + st.q - 1;
}

/// base64 -> bytes, a quantum at a time.
template <base64::alphabet A>
[[nodiscard]] inline result<std::size_t> base64_decode_scalar(std::string_view in,
                                                              mutable_bytes out,
                                                              base64::mode m) noexcept {
  base64_state st;
  if (auto r = base64_decode_run<A>(in, out, m, st, in.size()); !r) return r.error();
  return base64_decode_finish(in, out, m, st);
}

/// Encodes in[i..] to out[o..]; `out` holds at least the encoded size. Returns the end.
template <base64::alphabet A>
inline std::size_t base64_encode_from(bytes_view in, std::size_t i, std::span<char> out,
                                      std::size_t o, bool pad) noexcept {
  constexpr std::string_view chars = base64_chars<A>;
  const std::size_t n = in.size();
  for (; n - i >= 3; i += 3, o += 4) {  // RFC 4648 4
    const std::uint32_t v = in[i] << 16 | in[i + 1] << 8 | in[i + 2];
    out[o] = chars[v >> 18];
    out[o + 1] = chars[v >> 12 & 63];
    out[o + 2] = chars[v >> 6 & 63];
    out[o + 3] = chars[v & 63];
  }
  if (n - i == 0) return o;
  const std::uint32_t v = in[i] << 16 | (n - i == 2 ? in[i + 1] << 8 : 0);
  out[o++] = chars[v >> 18];
  out[o++] = chars[v >> 12 & 63];
  if (n - i == 2)
    out[o++] = chars[v >> 6 & 63];
  else if (pad)
    out[o++] = '=';
  if (pad) out[o++] = '=';  // RFC 4648 3.2
  return o;
}

/// bytes -> base64; `out` holds at least the encoded size.
template <base64::alphabet A>
inline std::size_t base64_encode_scalar(bytes_view in, std::span<char> out, bool pad) noexcept {
  return base64_encode_from<A>(in, 0, out, 0, pad);
}

}  // namespace oxwire::detail
