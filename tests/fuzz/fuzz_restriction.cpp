// Fuzzes the MS-OXCDATA 2.12 restriction, 2.13 sort order and MS-OXORULE 2.2.5 rule action
// decoders. The first byte picks the structure and the COUNT width:
//   bit 0: 0 ROP buffers / standard rules, 1 extended rules;
//   bits 1-2: 0 or 3 restriction, 1 rule actions, 2 sort order set.
// On success the encoder must reproduce exactly the bytes the decoder consumed, and decoding
// those again must give a model that encodes to them too; on failure the offset must lie inside the
// input.
#include <oxwire/mapi/value_codec.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <vector>

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

template <class Decode, class Encode>
void check(oxwire::bytes_view data, Decode decode, Encode encode) {
  oxwire::reader in(data);
  auto r = decode(in);
  if (!r) {
    require(r.error().offset <= data.size());
    return;
  }
  const oxwire::bytes_view consumed = data.first(in.position());
  std::vector<std::uint8_t> out;
  oxwire::vector_writer w(out);
  require(static_cast<bool>(encode(w, *r)));
  require(std::ranges::equal(out, consumed));
  // The model again, compared through its bytes (a NaN comparand is not equal to itself).
  oxwire::reader again(out);
  auto r2 = decode(again);
  require(r2 && again.empty());
  std::vector<std::uint8_t> out2;
  oxwire::vector_writer w2(out2);
  require(encode(w2, *r2) && out2 == out);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace oxwire::mapi;
  if (size == 0) return 0;
  value_options opts;
  opts.counts = (data[0] & 1) ? count_width::extended : count_width::rop;
  const oxwire::bytes_view body(data + 1, size - 1);
  switch ((data[0] >> 1) & 3) {
    case 1:
      check(
          body, [&](oxwire::reader& in) { return decode_rule_actions(in, opts); },
          [&](auto& w, const rule_actions& a) { return encode_rule_actions(w, a, opts); });
      break;
    case 2:
      check(
          body, [](oxwire::reader& in) { return decode_sort_order_set(in); },
          [](auto& w, const SortOrderSet& s) { return encode_sort_order_set(w, s); });
      break;
    default:
      check(
          body, [&](oxwire::reader& in) { return decode_restriction(in, opts); },
          [&](auto& w, const restriction& r) { return encode_restriction(w, r, opts); });
      break;
  }
  return 0;
}
