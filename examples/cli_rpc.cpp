// oxwire — the `rpc` subcommand of the command-line tool (MS-OXCRPC extended buffers).
//
//   oxwire rpc unpack [FILE|-]                      (RPC_HEADER_EXT chain -> plain payload bytes)
//   oxwire rpc pack [--compress] [--xor] [FILE|-]   (payload bytes -> RPC_HEADER_EXT chain)
//
// `args` are the words after `rpc`. Decoding errors print `error: <what> at offset <n>` and
// return 2; usage errors return 1.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <oxwire/rpc/extended_buffer.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr int rpc_exit_usage = 1;
constexpr int rpc_exit_decode = 2;

int rpc_usage() {
  std::cerr << "usage:\n"
               "  oxwire rpc unpack [FILE|-]\n"
               "  oxwire rpc pack [--compress] [--xor] [FILE|-]\n";
  return rpc_exit_usage;
}

bool rpc_read(std::string_view file, std::vector<std::uint8_t>& out) {
  if (file == "-") {
    out.assign(std::istreambuf_iterator<char>(std::cin), {});
    return true;
  }
  std::ifstream f{std::string(file), std::ios::binary};
  if (!f) {
    std::cerr << "error: cannot open " << file << "\n";
    return false;
  }
  out.assign(std::istreambuf_iterator<char>(f), {});
  return true;
}

}  // namespace

int cmd_rpc(std::span<const std::string_view> args) {
  if (args.empty()) return rpc_usage();
  const std::string_view verb = args[0];
  bool compress = false, xor_magic = false;
  std::string_view file = "-";
  for (const std::string_view a : args.subspan(1)) {
    if (a == "--compress" && verb == "pack") {
      compress = true;
    } else if (a == "--xor" && verb == "pack") {
      xor_magic = true;
    } else if (a.starts_with("--")) {
      return rpc_usage();
    } else {
      file = a;
    }
  }
  if (verb != "pack" && verb != "unpack") return rpc_usage();
  std::vector<std::uint8_t> in;
  if (!rpc_read(file, in)) return rpc_exit_usage;
  const auto out = verb == "unpack" ? oxwire::rpc::unpack_extended_buffer(in)
                                    : oxwire::rpc::pack_extended_buffer(
                                          in, {.compress = compress, .xor_magic = xor_magic});
  if (!out) {
    std::cerr << "error: " << out.error().message() << "\n";
    return rpc_exit_decode;
  }
  std::fwrite(out->data(), 1, out->size(), stdout);
  return 0;
}
