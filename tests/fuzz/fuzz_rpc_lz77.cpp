// Fuzzes LZ77/DIRECT2 (MS-OXCRPC 3.1.4.1.1.2): the input after two bytes, read as a compressed
// stream with a SizeActual taken from those two bytes, must decode identically (bytes, or error
// and offset) with the fast decoder and the reference one, never writing past SizeActual; the
// same bytes as plain data must compress to a stream that decodes back to them.
#include <oxwire/detail/lz77_scalar.hpp>
#include <oxwire/rpc/lz77.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t cap = data[0] | std::size_t{data[1]} << 8;
  const oxwire::bytes_view stream(data + 2, size - 2);

  // A guard byte after SizeActual catches a write past it (ASan sees the rest).
  std::vector<std::uint8_t> fast(cap + 1, 0xCC), ref(cap + 1, 0xCC);
  const auto a = oxwire::rpc::lz77_decompress(stream, oxwire::mutable_bytes(fast).first(cap), 2);
  const auto b =
      oxwire::detail::lz77_decompress_reference(stream, oxwire::mutable_bytes(ref).first(cap), 2);
  require(fast[cap] == 0xCC && ref[cap] == 0xCC);
  require(a.has_value() == b.has_value());
  if (a) {
    require(fast == ref);
  } else {
    require(a.error() == b.error() && std::strcmp(a.error().what, b.error().what) == 0);
    require(a.error().offset >= 2 && a.error().offset <= size);
  }

  const std::vector<std::uint8_t> packed =
      oxwire::rpc::lz77_compress(stream, {.max_chain = 1u + data[0] % 64});
  require(packed.size() <= oxwire::rpc::lz77_compress_bound(stream.size()));
  std::vector<std::uint8_t> back(stream.size());
  require(oxwire::rpc::lz77_decompress(packed, back).has_value());
  require(std::equal(back.begin(), back.end(), stream.begin(), stream.end()));
  return 0;
}
