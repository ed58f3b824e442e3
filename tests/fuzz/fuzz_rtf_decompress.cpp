// Fuzzes compressed RTF (MS-OXRTFCP): the input after two bytes, read as LZFu CONTENTS with an
// output cap taken from those two bytes, must decode identically (bytes, or error and offset)
// with the fast kernel and the spec's ring loop, never writing past the cap; the whole input as
// a PidTagRtfCompressed value (CRC unchecked, so the decoder is reached) must decode the same
// with both, and what decodes must compress and decompress back to the same bytes; the input as
// plain RTF must round-trip through compress.
#include <oxwire/rtf/compressed.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

template <class R>
void require_same(const R& a, const R& b) {
  require(a.has_value() == b.has_value());
  if (!a) require(a.error() == b.error() && std::strcmp(a.error().what, b.error().what) == 0);
}

void require_round_trip(oxwire::bytes_view raw) {
  const auto packed = oxwire::rtf::compress(raw);
  require(packed.has_value());
  const auto back = oxwire::rtf::decompress(*packed);
  require(back && back->size() == raw.size() &&
          (raw.empty() || std::memcmp(back->data(), raw.data(), raw.size()) == 0));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace rtf = oxwire::rtf;
  const oxwire::bytes_view in(data, size);
  if (size >= 2) {
    const std::size_t cap = data[0] | std::size_t{data[1]} << 8;
    const auto contents = in.subspan(2);
    // A guard byte after the cap catches a write past it (ASan sees the rest).
    std::vector<std::uint8_t> fast(cap + 1, 0xCC), ref(cap + 1, 0xCC);
    const auto a =
        rtf::detail::lzfu_decode_fast(contents, oxwire::mutable_bytes(fast).first(cap), 2);
    const auto b =
        rtf::detail::lzfu_decode_scalar(contents, oxwire::mutable_bytes(ref).first(cap), 2);
    require(fast[cap] == 0xCC && ref[cap] == 0xCC);
    require_same(a, b);
    if (a) {
      require(*a == *b && *a <= cap);
      require(std::memcmp(fast.data(), ref.data(), *a) == 0);
    } else {
      require(a.error().offset >= 2 && a.error().offset <= size);
    }
  }

  const rtf::decompress_options opt{.max_output = 1 << 16, .verify_crc = false};
  const auto a = rtf::detail::decompress_with(in, opt, rtf::detail::lzfu_decode_fast);
  const auto b = rtf::detail::decompress_with(in, opt, rtf::detail::lzfu_decode_scalar);
  require_same(a, b);
  if (a) {
    require(*a == *b);
    require_round_trip(*a);
  }
  require_round_trip(in);
  return 0;
}
