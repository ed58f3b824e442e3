// WBXML → typed Sync response (activesync/model_codec.hpp), bytes per second:
//   synthetic/1MB, synthetic/5MB: Sync responses of many Email Adds (built with the model encoder)
//   corpus: every syncgw Sync response of ../shared/corpus/activesync, one after the other
// and the tokenizer alone over the same bytes as the reference (the floor the decoder adds to),
// and the validating state machine (activesync/validator.hpp) over the same documents.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <oxwire/activesync/model_codec.hpp>
#include <oxwire/activesync/validator.hpp>
#include <oxwire/gen/activesync/models/sync.hpp>
#include <string>
#include <vector>

namespace {

namespace as = oxwire::activesync;
namespace model = oxwire::activesync::model;

std::vector<std::uint8_t> synthetic(std::size_t target) {
  static const std::string body(2000, 'x');
  std::vector<std::string> ids;
  model::Sync s;
  s.Status = 1;
  auto& c = s.Collections.emplace().Collection.emplace_back();
  c.SyncKey = {"42"};
  c.CollectionId = {"5"};
  auto& cmds = c.Commands.emplace_back();
  const std::size_t n = target / 2300 + 1;
  ids.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    ids.push_back("5:" + std::to_string(i));
    auto& a = cmds.Add.emplace_back();
    a.ServerId = ids.back();
    auto& d = a.ApplicationData;
    d.To = {"someone@example.com"};
    d.From = {"sender@example.com"};
    d.Email_Subject = {"A subject line of typical length"};
    d.DateReceived = {model::date_time{"2024-01-02T03:04:05.000Z"}};
    d.Email_Importance = {1};
    d.Read = {false};
    auto& b = d.AirSyncBase_Body.emplace_back();
    b.Type = 1;
    b.EstimatedDataSize = 2000;
    b.Data = body;
    d.Email_MessageClass = {"IPM.Note"};
    d.InternetCPID = {"65001"};
  }
  return *as::encode(s);
}

std::vector<std::vector<std::uint8_t>> corpus() {
  std::vector<std::vector<std::uint8_t>> out;
  // $OXWIRE_SHARED_DIR, else ../shared beside the source tree.
  const char* env = std::getenv("OXWIRE_SHARED_DIR");
  const std::filesystem::path shared =
      env ? std::filesystem::path(env)
          : std::filesystem::path(__FILE__).parent_path() / "../../shared";
  const auto dir = shared / "corpus/activesync/syncgw-traces";
  if (!std::filesystem::is_directory(dir)) return out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const auto name = e.path().filename().string();
    if (!name.ends_with("-Sync.resp.wbxml")) continue;
    std::ifstream f(e.path(), std::ios::binary);
    out.emplace_back(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  }
  return out;
}

void run(benchmark::State& state, const std::vector<std::vector<std::uint8_t>>& docs) {
  std::size_t bytes = 0;
  for (const auto& d : docs) bytes += d.size();
  for (auto _ : state)
    for (const auto& d : docs) {
      auto r = as::decode<model::Sync>(d);
      if (!r) state.SkipWithError("decode failed");
      benchmark::DoNotOptimize(r);
    }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}

void tokenize(benchmark::State& state, const std::vector<std::vector<std::uint8_t>>& docs) {
  std::size_t bytes = 0;
  for (const auto& d : docs) bytes += d.size();
  for (auto _ : state)
    for (const auto& d : docs) {
      auto tok = oxwire::wbxml::tokenizer::create(d);
      std::size_t n = 0;
      auto r = tok->for_each([&](const oxwire::wbxml::event&) noexcept { ++n; });
      benchmark::DoNotOptimize(r);
      benchmark::DoNotOptimize(n);
    }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}

void validate(benchmark::State& state, const std::vector<std::vector<std::uint8_t>>& docs) {
  std::size_t bytes = 0;
  for (const auto& d : docs) bytes += d.size();
  for (auto _ : state)
    for (const auto& d : docs) {
      auto r = as::validate(d, as::protocol_version::v16_1, {});
      if (!r) state.SkipWithError("validation failed");
      benchmark::DoNotOptimize(r);
    }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}

const std::vector<std::vector<std::uint8_t>> one_mb{synthetic(1 << 20)};
const std::vector<std::vector<std::uint8_t>> five_mb{synthetic(5 << 20)};
const auto traces = corpus();

void BM_Sync_1MB(benchmark::State& s) {
  run(s, one_mb);
}
void BM_Sync_5MB(benchmark::State& s) {
  run(s, five_mb);
}
void BM_Sync_corpus(benchmark::State& s) {
  if (traces.empty()) return s.SkipWithError("../shared corpus missing");
  run(s, traces);
}
void BM_Tokenizer_1MB(benchmark::State& s) {
  tokenize(s, one_mb);
}
void BM_Tokenizer_corpus(benchmark::State& s) {
  tokenize(s, traces);
}
void BM_Validate_1MB(benchmark::State& s) {
  validate(s, one_mb);
}
BENCHMARK(BM_Sync_1MB);
BENCHMARK(BM_Sync_5MB);
BENCHMARK(BM_Sync_corpus);
BENCHMARK(BM_Tokenizer_1MB);
BENCHMARK(BM_Tokenizer_corpus);
BENCHMARK(BM_Validate_1MB);

}  // namespace
