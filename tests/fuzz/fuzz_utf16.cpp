// Fuzzes UTF-16LE <-> UTF-8: the input as UTF-16LE and as UTF-8, through the scalar, AVX2 and
// dispatched kernels under both policies and a full or short output buffer. The kernels must
// agree exactly (value and bytes, or error and offset), and successes must round-trip.
#include <oxwire/core/utf16.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

namespace detail = oxwire::detail;
using oxwire::utf16::policy;

void require(bool ok) {
  if (!ok) std::abort();
}

template <class Out>
void require_same(const oxwire::result<std::size_t>& a, const Out& a_out,
                  const oxwire::result<std::size_t>& b, const Out& b_out) {
  require(a.has_value() == b.has_value());
  if (!a) {
    require(a.error() == b.error() && std::strcmp(a.error().what, b.error().what) == 0);
    return;
  }
  require(*a == *b && std::equal(a_out.begin(), a_out.begin() + *a, b_out.begin()));
}

// Every kernel converts `in` with capacity `cap` and must agree with `ref`, whose result and
// output are returned.
template <class Out, class In, class Kernel, class... Kernels>
oxwire::result<std::size_t> agree(const In& in, std::size_t cap, policy p, Out& ref_out, Kernel ref,
                                  Kernels... others) {
  ref_out.assign(cap, 0);
  const auto ref_result = ref(in, ref_out, p);
  for (auto* other : {others...}) {
    Out out(cap, 0);
    require_same(ref_result, ref_out, other(in, out, p), out);
  }
  return ref_result;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const oxwire::bytes_view wide(data, size);
  const std::string_view narrow(reinterpret_cast<const char*>(data), size);
  [[maybe_unused]] const bool avx2 = detail::best_isa() == detail::isa::avx2;
  for (const policy p : {policy::strict, policy::replace}) {
    // UTF-16LE -> UTF-8
    const std::size_t bound8 = oxwire::utf16::utf8_bound(size);
    for (const std::size_t cap : {bound8, size == 0 ? 0 : data[0] % (bound8 + 1)}) {
      std::string utf8;
      oxwire::result<std::size_t> r = 0;
#if OXWIRE_X86
      if (avx2)
        r = agree(wide, cap, p, utf8, detail::utf16_to_utf8_scalar, detail::utf16_to_utf8_avx2,
                  detail::utf16_to_utf8_best);
      else
#endif
        r = agree(wide, cap, p, utf8, detail::utf16_to_utf8_scalar, detail::utf16_to_utf8_best);
      if (!r || cap != bound8) continue;
      utf8.resize(*r);
      const auto back = oxwire::utf16::from_utf8(utf8);  // replacement output is valid UTF-8
      require(back.has_value());
      if (p == policy::strict)
        require(*back == std::vector<std::uint8_t>(wide.begin(), wide.end()));
      require(oxwire::utf16::to_utf8(*back).value() == utf8);
    }
    // UTF-8 -> UTF-16LE
    const std::size_t bound16 = oxwire::utf16::utf16_bound(size);
    for (const std::size_t cap : {bound16, size == 0 ? 0 : data[size - 1] % (bound16 + 1)}) {
      std::vector<std::uint8_t> utf16;
      oxwire::result<std::size_t> r = 0;
#if OXWIRE_X86
      if (avx2)
        r = agree(narrow, cap, p, utf16, detail::utf8_to_utf16_scalar, detail::utf8_to_utf16_avx2,
                  detail::utf8_to_utf16_best);
      else
#endif
        r = agree(narrow, cap, p, utf16, detail::utf8_to_utf16_scalar, detail::utf8_to_utf16_best);
      if (!r || cap != bound16) continue;
      utf16.resize(*r);
      const auto back = oxwire::utf16::to_utf8(utf16);
      require(back.has_value());
      if (p == policy::strict) require(*back == narrow);
    }
  }
  return 0;
}
