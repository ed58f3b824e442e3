// Fuzzes MS-OXCRPC extended buffers: arbitrary bytes unpacked as an RPC_HEADER_EXT chain must give
// the payload or an error inside the input, never a crash; a payload that unpacks must pack again
// (options from the first byte) and unpack to the same bytes. The same bytes read as an auxiliary
// buffer (MS-OXCRPC 2.2.2.2) must decode or fail inside the input; blocks that decode must encode
// and decode to the same blocks.
#include <oxwire/rpc/aux.hpp>
#include <oxwire/rpc/extended_buffer.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <vector>

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

void check_aux(oxwire::bytes_view in) {
  const auto blocks = oxwire::rpc::decode_aux_blocks(in, 0, {.max_blocks = 1024});
  if (!blocks) {
    require(blocks.error().offset <= in.size());
    return;
  }
  std::vector<std::uint8_t> wire;
  require(oxwire::rpc::encode_aux_blocks(*blocks, wire).has_value());
  const auto again = oxwire::rpc::decode_aux_blocks(wire, 0, {.max_blocks = 1024});
  require(again.has_value() && *again == *blocks);
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const oxwire::bytes_view in(data, size);
  check_aux(in);
  const auto plain = oxwire::rpc::unpack_extended_buffer(in, {.max_output = 1 << 20});
  if (!plain) {
    require(plain.error().offset <= size);
    return 0;
  }
  const std::uint8_t knobs = size ? data[0] : 0;
  // no more headers than unpack takes by default (4096): small payloads only for small buffers
  const std::size_t fewest = (plain->size() + 4095) / 4096;
  const oxwire::rpc::pack_options options{
      .compress = (knobs & 1) != 0,
      .xor_magic = (knobs & 2) != 0,
      .max_payload = std::max<std::size_t>(1u + (knobs >> 2) * 1024u, fewest)};
  const auto wire = oxwire::rpc::pack_extended_buffer(*plain, options);
  require(wire.has_value());
  const auto again = oxwire::rpc::unpack_extended_buffer(*wire, {.max_output = 1 << 20});
  require(again.has_value() && *again == *plain);
  return 0;
}
