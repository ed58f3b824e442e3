// oxwire — XorMagic obfuscation of extended-buffer payloads (MS-OXCRPC 3.1.4.1.1.3): every byte
// is XORed with 0xA5, so obfuscating and deobfuscating are the same operation.
//
//   oxwire::rpc::deobfuscate(payload);   // in place; AVX2 when the CPU has it
#pragma once

#include <oxwire/core/bytes.hpp>
#include <oxwire/detail/cpu.hpp>
#include <oxwire/detail/xor_avx2.hpp>
#include <oxwire/detail/xor_scalar.hpp>

namespace oxwire::rpc {

/// XORs every byte of `data` with 0xA5 in place, with the best kernel this CPU runs:
/// `obfuscate(payload)` before sending a payload flagged XorMagic.
inline void obfuscate(mutable_bytes data) noexcept {
#if OXWIRE_X86
  if (oxwire::detail::best_isa() == oxwire::detail::isa::avx2)
    return oxwire::detail::xor_magic_avx2(data.data(), data.size());
#endif
  oxwire::detail::xor_magic_scalar(data.data(), data.size());
}

/// The inverse of `obfuscate`, which is `obfuscate` itself (XOR is an involution):
/// `deobfuscate(payload)` on a received payload flagged XorMagic.
inline void deobfuscate(mutable_bytes data) noexcept {
  obfuscate(data);
}

}  // namespace oxwire::rpc
