// oxwire — run-time CPU feature detection for the SIMD kernels.
//
// The kernels are compiled with `__attribute__((target("avx2")))`, so the headers need no -m
// flags; which set runs is decided here, once per process.
#pragma once

#if defined(__x86_64__) || defined(__i386__)
#define OXWIRE_X86 1
#define OXWIRE_TARGET_AVX2 __attribute__((target("avx2")))
#include <immintrin.h>
#else
#define OXWIRE_X86 0
#endif

namespace oxwire::detail {

/// The kernel sets a codec can run.
enum class isa : unsigned char { scalar, avx2 };

[[nodiscard]] inline isa detect_isa() noexcept {
#if OXWIRE_X86
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) return isa::avx2;
#endif
  return isa::scalar;
}

/// The one dispatch point: the best kernel set this CPU runs, detected on first use.
[[nodiscard]] inline isa best_isa() noexcept {
  static const isa best = detect_isa();
  return best;
}

}  // namespace oxwire::detail
