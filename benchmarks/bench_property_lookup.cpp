// Name -> property: the generated hash index (oxwire::mapi::find_property) beside the sorted
// binary search it replaces (gen::mapi::find_property_by_name, canonical names only) and a
// std::unordered_map built at start-up. One lookup per iteration, cycling through the names in
// a shuffled order, so the reported time is per lookup.
#include <oxwire/mapi/property_lookup.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace {

namespace gen = oxwire::gen::mapi;
using oxwire::mapi::property_entry;

// Every MS-OXPROPS canonical name, shuffled.
std::vector<std::string_view> canonical_names() {
  std::vector<std::string_view> names;
  for (const auto& e : gen::properties) names.push_back(e.canonical);
  std::shuffle(names.begin(), names.end(), std::mt19937(42));
  return names;
}

// Every canonical and alternate name of both lists, shuffled.
std::vector<std::string_view> all_names() {
  std::vector<std::string_view> names;
  for (const auto& e : gen::properties) names.push_back(e.canonical);
  for (const auto& e : gen::properties_nonspec) names.push_back(e.canonical);
  for (auto s : gen::properties_strings) names.push_back(s);
  std::shuffle(names.begin(), names.end(), std::mt19937(42));
  return names;
}

template <class Find>
void run(benchmark::State& state, const std::vector<std::string_view>& names, Find find) {
  std::size_t i = 0, found = 0;
  for (auto _ : state) {
    const property_entry* e = find(names[i]);
    benchmark::DoNotOptimize(e);
    found += e != nullptr;
    i = i + 1 == names.size() ? 0 : i + 1;
  }
  if (found != static_cast<std::size_t>(state.iterations())) state.SkipWithError("lookup missed");
  state.SetItemsProcessed(state.iterations());
}

void BM_canonical_oxwire_hash(benchmark::State& state) {
  run(state, canonical_names(), [](std::string_view s) { return oxwire::mapi::find_property(s); });
}
BENCHMARK(BM_canonical_oxwire_hash);

void BM_canonical_binary_search(benchmark::State& state) {
  run(state, canonical_names(), [](std::string_view s) { return gen::find_property_by_name(s); });
}
BENCHMARK(BM_canonical_binary_search);

std::unordered_map<std::string_view, const property_entry*> make_map() {
  std::unordered_map<std::string_view, const property_entry*> map;
  for (const auto& e : gen::properties) {
    map.emplace(e.canonical, &e);
    for (auto alt : gen::alternates_of(e)) map.emplace(alt, &e);
  }
  for (const auto& e : gen::properties_nonspec) {
    map.emplace(e.canonical, &e);
    for (auto alt : gen::alternates_of(e)) map.emplace(alt, &e);
  }
  return map;
}

void BM_canonical_unordered_map(benchmark::State& state) {
  const auto map = make_map();
  run(state, canonical_names(), [&](std::string_view s) {
    const auto it = map.find(s);
    return it == map.end() ? nullptr : it->second;
  });
}
BENCHMARK(BM_canonical_unordered_map);

void BM_any_name_oxwire_hash(benchmark::State& state) {
  run(state, all_names(), [](std::string_view s) { return oxwire::mapi::find_property(s); });
}
BENCHMARK(BM_any_name_oxwire_hash);

void BM_any_name_unordered_map(benchmark::State& state) {
  const auto map = make_map();
  run(state, all_names(), [&](std::string_view s) {
    const auto it = map.find(s);
    return it == map.end() ? nullptr : it->second;
  });
}
BENCHMARK(BM_any_name_unordered_map);

}  // namespace
