// Fuzzes PropertyRow and PropertyRowSet (MS-OXCDATA 2.8.1, 2.8.2) and property_bag::from_row.
// Input: a mode byte (bit 0: extended COUNT width, bit 1: a PropertyRowSet instead of one
// PropertyRow), a column count byte, that many 4-byte little-endian PropertyTags (a type code
// MS-OXCDATA 2.11.1 does not define is replaced by `types[code % size]`, so that most columns have
// a real type, PtypUnspecified included), then the row bytes.
// A decoded row has one value per column of the column's type (the wire type for PtypUnspecified)
// and re-encodes to exactly the bytes consumed, from the views and from to_owned of them, into a
// growing vector and into a fixed buffer of exactly that size. The bag of each row holds every
// present value; its own row (bag.to_row() over bag.tags()) decodes and re-encodes to itself.
#include <oxwire/gen/mapi/property_types.hpp>
#include <oxwire/mapi/property_bag.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

namespace {

namespace mapi = oxwire::mapi;
using mapi::property_tag;
using mapi::PropertyType;

void require(bool ok) {
  if (!ok) std::abort();
}

// MS-OXCDATA 2.11.1 type codes, then codes it does not define (0x2000 is MAPI's MV_INSTANCE bit).
constexpr std::array<std::uint16_t, 3> undefined_types{0x0008, 0x1001, 0x301F};
constexpr auto types = [] {
  std::array<std::uint16_t, oxwire::gen::mapi::property_types.size() + undefined_types.size()> t{};
  std::size_t i = 0;
  for (const auto& e : oxwire::gen::mapi::property_types) t[i++] = e.code;
  for (const std::uint16_t c : undefined_types) t[i++] = c;
  return t;
}();

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
}

// One value per column, of the column's type; flags as the row's Flag allows (MS-OXCDATA 2.8.1).
void check_row_shape(const mapi::property_row_view& row, std::span<const property_tag> columns) {
  require(row.ValueArray.size() == columns.size());
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const auto& v = row.ValueArray[i];
    if (columns[i].type() != PropertyType::PtypUnspecified) require(v.type == columns[i].type());
    switch (v.flag) {
      case mapi::value_flag::present: require(v.value.type() == v.type); break;
      case mapi::value_flag::absent: require(v.value.type() == PropertyType::PtypNull); break;
      case mapi::value_flag::error: require(v.value.type() == PropertyType::PtypErrorCode); break;
      default: require(false);
    }
    if (row.Flag == mapi::row_flag::standard) require(v.flag == mapi::value_flag::present);
  }
}

// from_row keeps every present value; the bag's own row encodes, decodes and encodes the same.
void check_bag(const mapi::property_row_view& row, std::span<const property_tag> columns,
               const mapi::value_options& opts) {
  const auto bag = mapi::property_bag::from_row(columns, row);
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const auto& v = row.ValueArray[i];
    if (v.flag == mapi::value_flag::present)
      require(bag.find(columns[i].with_type(v.value.type())) != nullptr);
  }
  const std::vector<property_tag> tags = bag.tags();
  std::vector<std::uint8_t> bytes;
  oxwire::vector_writer w(bytes);
  require(mapi::encode_property_row(w, bag.to_row(), tags, opts).has_value());
  oxwire::reader in(bytes);
  const auto again = mapi::decode_property_row(in, tags, opts);
  require(again.has_value() && in.empty());
  const auto bag2 = mapi::property_bag::from_row(tags, *again);
  require(bag2.size() == bag.size());
  check_encodes_to(bytes, [&](auto& w2) {
    return mapi::encode_property_row(w2, bag2.to_row(), bag2.tags(), opts);
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const mapi::value_options opts{.counts = data[0] & 1 ? mapi::count_width::extended
                                                       : mapi::count_width::rop};
  const bool row_set = data[0] & 2;
  const std::size_t ncolumns = std::min<std::size_t>(data[1], (size - 2) / 4);
  std::vector<property_tag> columns(ncolumns);
  for (std::size_t i = 0; i < ncolumns; ++i) {
    const std::uint8_t* p = data + 2 + 4 * i;
    auto type = static_cast<std::uint16_t>(p[0] | p[1] << 8);
    if (!mapi::is_known_type(PropertyType{type})) type = types[type % types.size()];
    columns[i] =
        property_tag::make(static_cast<std::uint16_t>(p[2] | p[3] << 8), PropertyType{type});
  }
  const std::size_t base = 2 + 4 * ncolumns;
  const oxwire::bytes_view body(data + base, size - base);
  oxwire::reader in(body, base);

  const auto check_error = [&](const oxwire::error& e) {
    require(e.offset >= base && e.offset <= size);
    require(e.what != nullptr && *e.what != '\0');
  };

  if (!row_set) {
    const auto row = mapi::decode_property_row(in, columns, opts);
    if (!row) return check_error(row.error()), 0;
    const auto consumed = body.first(in.position());
    check_row_shape(*row, columns);
    check_encodes_to(consumed,
                     [&](auto& w) { return mapi::encode_property_row(w, *row, columns, opts); });
    const auto owned = mapi::to_owned(*row);
    check_encodes_to(consumed,
                     [&](auto& w) { return mapi::encode_property_row(w, owned, columns, opts); });
    check_bag(*row, columns, opts);
    return 0;
  }

  const auto rows = mapi::decode_property_row_set(in, columns, opts);
  if (!rows) return check_error(rows.error()), 0;
  const auto consumed = body.first(in.position());
  std::vector<mapi::property_row> owned;
  for (const auto& row : *rows) {
    check_row_shape(row, columns);
    owned.push_back(mapi::to_owned(row));
  }
  check_encodes_to(consumed, [&](auto& w) {
    return mapi::encode_property_row_set(w, std::span<const mapi::property_row_view>(*rows),
                                         columns, opts);
  });
  check_encodes_to(consumed, [&](auto& w) {
    return mapi::encode_property_row_set(w, std::span<const mapi::property_row>(owned), columns,
                                         opts);
  });
  if (!rows->empty()) check_bag(rows->front(), columns, opts);
  return 0;
}
