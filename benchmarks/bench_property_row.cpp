// PropertyRow (MS-OXCDATA 2.8.1.1 StandardPropertyRow) decoding and encoding: to views, to owned
// values, from owned values and from views, and into a property_bag, beside memcpy of the same
// bytes. Bytes processed = the row's wire bytes. Rows are built once, with a fixed seed:
//   message       200 columns resembling a message: ~40 % PtypString of 10-200 characters,
//                 PtypInteger32, PtypBoolean, PtypTime, PtypBinary of 16-70 bytes (EntryIDs), a few
//                 PtypMultipleString / PtypMultipleBinary / PtypInteger64, and PtypUnspecified
//                 columns whose values carry their type (TypedPropertyValue);
//   int32         200 PtypInteger32 columns;
//   long_strings  12 PtypString of 1000-4000 characters and 4 PtypInteger32.
#include <oxwire/mapi/property_bag.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

namespace mapi = oxwire::mapi;
using mapi::property_value;
using mapi::PropertyType;

struct row_input {
  std::vector<mapi::property_tag> columns;
  mapi::property_row owned;
  std::vector<std::uint8_t> bytes;
};

// English-like text, about 1 character in 100 accented (all in the BMP: no surrogates).
std::u16string make_text(std::mt19937& rng, std::size_t chars) {
  static constexpr const char16_t* words[] = {u"the",     u"message", u"folder", u"meeting",
                                              u"project", u"review",  u"status", u"report",
                                              u"of",      u"and",     u"to",     u"a"};
  static constexpr char16_t accents[] = {u'\u00E9', u'\u00FC', u'\u00F1', u'\u2019'};
  std::u16string s;
  while (s.size() < chars) {
    for (const char16_t* w = words[rng() % 12]; *w && s.size() < chars; ++w)
      s.push_back(rng() % 100 == 0 ? accents[rng() % 4] : *w);
    if (s.size() < chars) s.push_back(u' ');
  }
  return s;
}

std::vector<std::uint8_t> make_binary(std::mt19937& rng, std::size_t n) {
  std::vector<std::uint8_t> b(n);
  for (auto& x : b) x = static_cast<std::uint8_t>(rng());
  return b;
}

std::size_t between(std::mt19937& rng, std::size_t lo, std::size_t hi) {
  return lo + rng() % (hi - lo + 1);
}

// One value of `type`, sized like what a message carries.
property_value make_value(std::mt19937& rng, PropertyType type) {
  using enum PropertyType;
  switch (type) {
    case PtypString: return property_value::make<PtypString>(make_text(rng, between(rng, 10, 200)));
    case PtypInteger32:
      return property_value::make<PtypInteger32>(static_cast<std::int32_t>(rng() % 100000));
    case PtypBoolean: return property_value::make<PtypBoolean>(rng() % 2 == 0);
    case PtypTime:
      return property_value::make<PtypTime>({0x01D9000000000000ULL + rng() % 0x100000000ULL});
    case PtypBinary:
      return property_value::make<PtypBinary>(make_binary(rng, between(rng, 16, 70)));
    case PtypInteger64:
      return property_value::make<PtypInteger64>(static_cast<std::int64_t>(rng()) << 20);
    case PtypMultipleString: {
      std::vector<std::u16string> v(between(rng, 2, 5));
      for (auto& s : v) s = make_text(rng, between(rng, 5, 30));
      return property_value::make<PtypMultipleString>(std::move(v));
    }
    case PtypMultipleBinary: {
      std::vector<std::vector<std::uint8_t>> v(between(rng, 2, 3));
      for (auto& b : v) b = make_binary(rng, between(rng, 16, 24));
      return property_value::make<PtypMultipleBinary>(std::move(v));
    }
    default: std::abort();  // not used by the rows below
  }
}

row_input finish(std::vector<mapi::property_tag> columns, mapi::property_row owned) {
  row_input r{std::move(columns), std::move(owned), {}};
  oxwire::vector_writer w(r.bytes);
  if (!mapi::encode_property_row(w, r.owned, r.columns)) std::abort();
  return r;
}

// Adds a column of `type` (PtypUnspecified: the value gets `value_type` and carries it).
void add(std::mt19937& rng, std::vector<mapi::property_tag>& columns, mapi::property_row& row,
         PropertyType type, PropertyType value_type) {
  const auto id = static_cast<std::uint16_t>(0x3000 + columns.size());
  columns.push_back(mapi::property_tag::make(id, type));
  row.ValueArray.push_back({value_type, mapi::value_flag::present, make_value(rng, value_type)});
}

row_input make_message_row() {
  using enum PropertyType;
  // Percent of the 200 columns per column type.
  const std::pair<PropertyType, int> mix[] = {
      {PtypString, 40},        {PtypInteger32, 15}, {PtypBoolean, 10},
      {PtypTime, 10},          {PtypBinary, 12},    {PtypMultipleString, 3},
      {PtypMultipleBinary, 2}, {PtypInteger64, 3},  {PtypUnspecified, 5}};
  std::mt19937 rng(42);
  std::vector<PropertyType> types;
  for (const auto& [t, percent] : mix) types.insert(types.end(), 2 * percent, t);
  std::shuffle(types.begin(), types.end(), rng);
  std::vector<mapi::property_tag> columns;
  mapi::property_row row;
  for (const PropertyType t : types)
    add(rng, columns, row, t,
        t != PtypUnspecified ? t : (rng() % 2 == 0 ? PtypString : PtypInteger32));
  return finish(std::move(columns), std::move(row));
}

row_input make_int32_row() {
  std::mt19937 rng(7);
  std::vector<mapi::property_tag> columns;
  mapi::property_row row;
  for (int i = 0; i < 200; ++i)
    add(rng, columns, row, PropertyType::PtypInteger32, PropertyType::PtypInteger32);
  return finish(std::move(columns), std::move(row));
}

row_input make_long_strings_row() {
  std::mt19937 rng(11);
  std::vector<mapi::property_tag> columns;
  mapi::property_row row;
  for (int i = 0; i < 16; ++i) {
    if (i % 4 == 3) {
      add(rng, columns, row, PropertyType::PtypInteger32, PropertyType::PtypInteger32);
      continue;
    }
    columns.push_back(
        mapi::property_tag::make(static_cast<std::uint16_t>(0x1000 + i), PropertyType::PtypString));
    row.ValueArray.push_back(
        {PropertyType::PtypString, mapi::value_flag::present,
         property_value::make<PropertyType::PtypString>(make_text(rng, between(rng, 1000, 4000)))});
  }
  return finish(std::move(columns), std::move(row));
}

enum class row_kind { message, int32, long_strings };
constexpr std::pair<row_kind, const char*> rows[] = {{row_kind::message, "message_200"},
                                                     {row_kind::int32, "int32_200"},
                                                     {row_kind::long_strings, "long_strings_16"}};

const row_input& input(row_kind k) {
  static const row_input cache[] = {make_message_row(), make_int32_row(), make_long_strings_row()};
  return cache[static_cast<int>(k)];
}

mapi::property_row_view decode(const row_input& r) {
  oxwire::reader in(r.bytes);
  return mapi::decode_property_row(in, r.columns).value();
}

enum class op { decode_views, decode_to_owned, encode_owned, encode_views, bag_from_row, memcpy };
constexpr std::pair<op, const char*> ops[] = {
    {op::decode_views, "decode_views"}, {op::decode_to_owned, "decode_to_owned"},
    {op::encode_owned, "encode_owned"}, {op::encode_views, "encode_views"},
    {op::bag_from_row, "bag_from_row"}, {op::memcpy, "memcpy"}};

void run(benchmark::State& state, row_kind k, op how) {
  const row_input& r = input(k);
  const mapi::property_row_view views = decode(r);
  std::vector<std::uint8_t> out(r.bytes.size());
  for (auto _ : state) {
    switch (how) {
      case op::decode_views: {
        oxwire::reader in(r.bytes);
        auto row = mapi::decode_property_row(in, r.columns);
        benchmark::DoNotOptimize(row);
        break;
      }
      case op::decode_to_owned: {
        oxwire::reader in(r.bytes);
        auto row = mapi::to_owned(*mapi::decode_property_row(in, r.columns));
        benchmark::DoNotOptimize(row);
        break;
      }
      case op::encode_owned:
      case op::encode_views: {
        oxwire::writer w(out);
        auto ok = how == op::encode_owned ? mapi::encode_property_row(w, r.owned, r.columns)
                                          : mapi::encode_property_row(w, views, r.columns);
        benchmark::DoNotOptimize(ok);
        break;
      }
      case op::bag_from_row: {
        auto bag = mapi::property_bag::from_row(r.columns, views);
        benchmark::DoNotOptimize(bag);
        break;
      }
      case op::memcpy: std::memcpy(out.data(), r.bytes.data(), r.bytes.size()); break;
    }
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * r.bytes.size()));
  state.counters["row_bytes"] = static_cast<double>(r.bytes.size());
}

const bool registered = [] {
  for (const auto& [k, row_name] : rows)
    for (const auto& [how, op_name] : ops)
      benchmark::RegisterBenchmark(
          (std::string("property_row/") + row_name + "/" + op_name).c_str(), run, k, how);
  return true;
}();

}  // namespace
