// Fuzzes MS-OXOAB files: arbitrary bytes read as a version 4 Full Details file (owning and
// zero-copy, which must agree) and as a compressed file's headers and blocks, never a crash and
// every error inside the input. Whatever decodes encodes again; that file decodes and encodes
// to itself (a zero-length binary is written as absent, so the first encoding may differ, and
// may fail only when that binary was a primary key).
#include <oxwire/oab.hpp>

#include <cstdint>
#include <cstdlib>

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

namespace oab = oxwire::oab;

void full_details(oxwire::bytes_view in) {
  const oab::limits lim{.max_records = 1000, .max_record_size = 1 << 16, .max_properties = 64};
  const auto f = oab::decode_full_details(in, lim);
  const auto v = oab::full_details_view::parse(in, lim);
  require(!f || v);  // the owning read fails wherever the view's checks do
  if (!f) {
    require(f.error().offset <= in.size());
    return;
  }
  // the zero-copy cursor agrees with the owning model
  auto cur = v->records();
  for (const auto& rec : f->records) {
    const auto r = cur.next();
    require(r && *r);
    std::size_t n = 0;
    require((*r)->for_each_value([&](const oab::value_ref&) { ++n; }).has_value());
    require(n == rec.size());
  }
  const auto wire = oab::encode_full_details(*f);
  if (!wire) {
    require(wire.error().code == oab::make_error_code(oab::errc::missing_primary_key));
    return;
  }
  const auto again = oab::decode_full_details(*wire, lim);
  require(again.has_value());
  require(oab::encode_full_details(*again).value() == *wire);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const oxwire::bytes_view in(data, size);
  full_details(in);
  const oab::compressed_limits clim{.max_target_size = 1 << 20, .max_block_size = 1 << 16};
  const auto blocks = oab::decode_lzx_blocks(in, clim);
  if (!blocks) require(blocks.error().offset <= size);
  const auto patch = oab::decode_patch_header(in, clim);
  if (!patch) require(patch.error().offset <= size);
  return 0;
}
