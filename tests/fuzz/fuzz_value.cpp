// Fuzzes the MAPI value codec (MS-OXCDATA 2.11.2–2.11.6).
//   - The first byte picks the COUNT width (bit 7: extended) and a property type (the low 7 bits
//     index `types`: every MS-OXCDATA 2.11.1 code, then a few codes it does not define); the rest
//     of the input is decoded with decode_value.
//   - The whole input is also decoded with decode_typed_value, decode_tagged_value and
//     decode_flagged_value_with_type, with the same options.
// Every decode that succeeds must re-encode to exactly the bytes it consumed, both from the view
// and from to_owned of it, into a growing vector and into a fixed buffer of exactly that size
// (one byte less gives buffer_too_small). Every failure names a field at an offset in the input.
#include <oxwire/gen/mapi/property_types.hpp>
#include <oxwire/mapi/value_codec.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <vector>

namespace {

namespace mapi = oxwire::mapi;
using mapi::PropertyType;

void require(bool ok) {
  if (!ok) std::abort();
}

// MS-OXCDATA 2.11.1 type codes, then codes it does not define (0x2000 is MAPI's MV_INSTANCE bit).
constexpr std::array<std::uint16_t, 7> undefined_types{0x0008, 0x000C, 0x00FC, 0x1000,
                                                       0x1001, 0x301F, 0xFFFF};
constexpr auto types = [] {
  std::array<PropertyType, oxwire::gen::mapi::property_types.size() + undefined_types.size()> t{};
  std::size_t i = 0;
  for (const auto& e : oxwire::gen::mapi::property_types) t[i++] = PropertyType{e.code};
  for (const std::uint16_t c : undefined_types) t[i++] = PropertyType{c};
  return t;
}();

void check_failure(const oxwire::error& e, std::size_t input_size) {
  require(e.offset <= input_size);
  require(e.what != nullptr && *e.what != '\0');
  require(e.code.category() == mapi::mapi_category() ||
          e.code.category() == oxwire::core_category());
}

// `encode(w)` writes exactly `expected`, through a vector and through a fixed buffer.
template <class F>
void check_encodes_to(oxwire::bytes_view expected, F&& encode) {
  std::vector<std::uint8_t> grown;
  oxwire::vector_writer vw(grown);
  require(encode(vw).has_value());
  require(std::ranges::equal(grown, expected));

  std::vector<std::uint8_t> exact(expected.size());
  oxwire::writer w(exact);
  require(encode(w).has_value() && w.size() == exact.size());
  require(std::ranges::equal(exact, expected));
  if (expected.empty()) return;
  oxwire::writer short_by_one(oxwire::mutable_bytes(exact.data(), exact.size() - 1));
  const auto r = encode(short_by_one);
  require(!r && r.error().code == oxwire::errc::buffer_too_small);
}

// Decodes with `decode(in)` over `bytes` (at absolute offset `base` of an input of `input_size`
// bytes) and checks the re-encodings of the view and of its owned copy.
template <class Decode, class Encode>
void check_decode(oxwire::bytes_view bytes, std::size_t base, std::size_t input_size,
                  Decode&& decode, Encode&& encode) {
  oxwire::reader in(bytes, base);
  const auto v = decode(in);
  if (!v) {
    check_failure(v.error(), input_size);
    require(v.error().offset >= base);
    return;
  }
  const oxwire::bytes_view consumed = bytes.first(in.position());
  check_encodes_to(consumed, [&](auto& w) { return encode(w, *v); });
  const auto owned = mapi::to_owned(*v);
  check_encodes_to(consumed, [&](auto& w) { return encode(w, owned); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const oxwire::bytes_view input(data, size);
  const mapi::value_options opts{.counts = data[0] & 0x80 ? mapi::count_width::extended
                                                          : mapi::count_width::rop};
  const PropertyType type = types[(data[0] & 0x7F) % types.size()];

  // MS-OXCDATA 2.11.2 PropertyValue of a type known from context.
  check_decode(
      input.subspan(1), 1, size,
      [&](oxwire::reader& in) {
        auto v = mapi::decode_value(in, type, opts);
        if (v) require(v->type() == type);
        if (type == PropertyType::PtypUnspecified)
          require(!v && v.error().code == mapi::errc::type_has_no_value && v.error().offset == 1);
        if (!mapi::is_known_type(type))
          require(!v && v.error().code == mapi::errc::unknown_property_type);
        return v;
      },
      [&](auto& w, const auto& v) { return mapi::encode_value(w, v, opts); });

  // MS-OXCDATA 2.11.3 TypedPropertyValue.
  check_decode(
      input, 0, size, [&](oxwire::reader& in) { return mapi::decode_typed_value(in, opts); },
      [&](auto& w, const auto& v) { return mapi::encode_typed_value(w, v, opts); });

  // MS-OXCDATA 2.11.4 TaggedPropertyValue.
  check_decode(
      input, 0, size,
      [&](oxwire::reader& in) {
        auto v = mapi::decode_tagged_value(in, opts);
        if (v) require(v->value.type() == v->tag.type());
        return v;
      },
      [&](auto& w, const auto& v) { return mapi::encode_tagged_value(w, v, opts); });

  // MS-OXCDATA 2.11.6 FlaggedPropertyValueWithType.
  check_decode(
      input, 0, size,
      [&](oxwire::reader& in) { return mapi::decode_flagged_value_with_type(in, opts); },
      [&](auto& w, const auto& v) { return mapi::encode_flagged_value_with_type(w, v, opts); });
  return 0;
}
