// Fuzzes base64: the input decoded in both modes and alphabets by the scalar, AVX2 and dispatched
// kernels with a full or short output buffer must agree exactly (bytes, or error and offset).
// Decoded bytes must encode and decode back, and strict input must re-encode to itself.
// The input as raw bytes must encode identically with every kernel.
#include <oxwire/core/base64.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

namespace detail = oxwire::detail;
using oxwire::base64::alphabet;
using oxwire::base64::mode;

void require(bool ok) {
  if (!ok) std::abort();
}

template <alphabet A>
void check_decode(std::string_view in, std::size_t cap, mode m) {
  std::vector<std::uint8_t> ref_out(cap), out(cap);
  const auto ref = detail::base64_decode_scalar<A>(in, ref_out, m);
  auto same = [&](const oxwire::result<std::size_t>& r) {
    require(r.has_value() == ref.has_value());
    if (!ref)
      require(r.error() == ref.error() && std::strcmp(r.error().what, ref.error().what) == 0);
    else
      require(*r == *ref && std::equal(out.begin(), out.begin() + *ref, ref_out.begin()));
  };
#if OXWIRE_X86
  if (detail::best_isa() == detail::isa::avx2) same(detail::base64_decode_avx2<A>(in, out, m));
#endif
  same(detail::base64_decode_best<A>(in, out, m));
  if (!ref || cap != oxwire::base64::decoded_bound(in.size())) return;
  ref_out.resize(*ref);
  const std::string again = oxwire::base64::encode(ref_out, A);
  require(oxwire::base64::decode(again, mode::strict, A).value() == ref_out);
  if (m == mode::strict) require(again == in);  // RFC 4648 3.5: strict input is canonical
}

template <alphabet A>
void check_encode(oxwire::bytes_view in, bool pad) {
  std::string ref(oxwire::base64::encoded_size(in.size(), pad), '\0'), out = ref;
  require(detail::base64_encode_scalar<A>(in, ref, pad) == ref.size());
#if OXWIRE_X86
  if (detail::best_isa() == detail::isa::avx2) {
    require(detail::base64_encode_avx2<A>(in, out, pad) == ref.size() && out == ref);
  }
#endif
  require(detail::base64_encode_best<A>(in, out, pad) == ref.size() && out == ref);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::size_t bound = oxwire::base64::decoded_bound(size);
  for (const std::size_t cap : {bound, size == 0 ? 0 : data[0] % (bound + 1)}) {
    for (const mode m : {mode::strict, mode::lenient}) {
      check_decode<alphabet::standard>(text, cap, m);
      check_decode<alphabet::url>(text, cap, m);
    }
  }
  for (const bool pad : {true, false}) {
    check_encode<alphabet::standard>({data, size}, pad);
    check_encode<alphabet::url>({data, size}, pad);
  }
  return 0;
}
