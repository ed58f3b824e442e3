#pragma once
#include <oxwire/rpc/extended_buffer.hpp>

#include "common.hpp"

namespace oxwire_cli {

inline constexpr std::string_view rpc_usage =
    "  oxwire rpc unpack [FILE|-]\n"
    "  oxwire rpc pack [--compress] [--xor] [FILE|-]\n";

// MS-OXCRPC 3.1.4.1.1: an extended buffer (RPC_HEADER_EXT chain) to its payload and back.
inline int cmd_rpc(std::string_view verb, const args& a, const std::string& in) {
  const bool pack = verb == "pack";
  if (!pack && verb != "unpack") return usage_requested;
  for (std::string_view f : a.flags)
    if (!pack || (f != "--compress" && f != "--xor")) return usage_requested;
  const auto bytes = oxwire::as_bytes(in);
  const auto out = pack ? oxwire::rpc::pack_extended_buffer(
                              bytes, {.compress = a.has("--compress"), .xor_magic = a.has("--xor")})
                        : oxwire::rpc::unpack_extended_buffer(bytes);
  if (!out) return fail(out.error());
  write(*out);
  return 0;
}

}  // namespace oxwire_cli
