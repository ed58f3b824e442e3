// MS-OXOAB version 4 Full Details files: a generated 10,000-record OAB (every OAB property type,
// the schema of tests/oab/oab_test.hpp) read into the owning model, walked in place through the
// zero-copy cursor, and written. Bytes processed are file bytes; items are records.
#include <benchmark/benchmark.h>

#include "../tests/oab/oab_test.hpp"

namespace {

namespace oab = oxwire::oab;
constexpr std::size_t records = 10000;

const oab::full_details& model() {
  static const auto f = oab_test::generated(records);
  return f;
}

const std::vector<std::uint8_t>& file() {
  static const auto bytes = oab::encode_full_details(model()).value();
  return bytes;
}

void count(benchmark::State& state) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * file().size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * records));
}

void BM_oab_decode_full_details(benchmark::State& state) {
  for (auto _ : state) {
    auto f = oab::decode_full_details(file());
    benchmark::DoNotOptimize(f);
  }
  count(state);
}
BENCHMARK(BM_oab_decode_full_details);

// The zero-copy path: every record and value framed and checked, nothing copied.
void BM_oab_view_walk(benchmark::State& state) {
  for (auto _ : state) {
    const auto v = oab::full_details_view::parse(file()).value();
    std::size_t values = 0;
    auto cur = v.records();
    for (auto r = cur.next(); r && *r; r = cur.next())
      (void)(*r)->for_each_value([&](const oab::value_ref&) { ++values; });
    benchmark::DoNotOptimize(values);
  }
  count(state);
}
BENCHMARK(BM_oab_view_walk);

void BM_oab_encode_full_details(benchmark::State& state) {
  std::vector<std::uint8_t> out;
  out.reserve(file().size());
  for (auto _ : state) {
    out.clear();
    oxwire::vector_writer w(out);
    benchmark::DoNotOptimize(oab::encode_full_details(w, model()));
  }
  count(state);
}
BENCHMARK(BM_oab_encode_full_details);

}  // namespace
