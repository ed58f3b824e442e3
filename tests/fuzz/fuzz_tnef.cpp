// Fuzzes MS-OXTNEF streams: arbitrary bytes decode to a message or fail with an error inside the
// input, never a crash; whatever decodes (strictly or with checksums and legacy attributes
// tolerated, as the last byte picks) encodes again, and that stream decodes strictly to a
// message that encodes to the same bytes.
#include <oxwire/tnef.hpp>

#include <cstdint>
#include <cstdlib>

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const oxwire::bytes_view in(data, size);
  const bool lax = size > 6 && (data[size - 1] & 1) != 0;
  const oxwire::tnef::decode_options options{
      .verify_checksums = !lax, .strict = !lax, .max_depth = 4};
  const auto m = oxwire::tnef::decode(in, options);
  if (!m) {
    require(m.error().offset <= size);
    return 0;
  }
  const auto wire = oxwire::tnef::encode(*m);
  require(wire.has_value());
  // Compared as bytes: a NaN value is not equal to itself.
  const auto again = oxwire::tnef::decode(*wire, {.max_depth = 4});
  require(again.has_value());
  const auto rewire = oxwire::tnef::encode(*again);
  require(rewire.has_value() && *rewire == *wire);
  return 0;
}
