// TNEF decoding, oxwire beside libytnef (Debian libytnef0-dev), on the same streams: the files of
// ../shared/corpus/tnef that both read (ytnef rejects the ones with checksum defects, empty
// attributes or attachments past its 512 KiB limit), all in one pass. oxwire reads the stream in
// place (decode_view: every attribute and property, checksums verified, values pointing into the
// stream) and builds its whole owning model (decode: property bags, recipients, attachments,
// embedded messages); ytnef its TNEFStruct. Bytes processed are input bytes.
#include <benchmark/benchmark.h>

#include <algorithm>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <oxwire/tnef.hpp>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>
// ytnef's headers define the spec's attribute names as macros: after the oxwire headers.
// clang-format off
#include <cstddef>
extern "C" {
#include <ytnef.h>
}
// clang-format on

namespace {

bool ytnef_reads(std::vector<std::uint8_t> bytes) {
  TNEFStruct t;
  TNEFInitialize(&t);
  t.Debug = 0;
  const bool ok = TNEFParseMemory(bytes.data(), static_cast<long>(bytes.size()), &t) == 0;
  TNEFFree(&t);
  return ok;
}

/// The corpus streams that oxwire (strictly) and ytnef both read.
const std::vector<std::vector<std::uint8_t>>& corpus() {
  static const auto files = [] {
    std::vector<std::vector<std::uint8_t>> out;
    const std::filesystem::path dir = std::filesystem::path(OXWIRE_SHARED_DIR) / "corpus/tnef";
    if (!std::filesystem::is_directory(dir)) return out;
    std::vector<std::filesystem::path> paths;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
      if (e.path().extension() == ".tnef") paths.push_back(e.path());
    std::sort(paths.begin(), paths.end());
    // ytnef prints its errors on stdout: away with them while the files are sorted out.
    std::fflush(stdout);
    const int saved = ::dup(1);
    const int null = ::open("/dev/null", O_WRONLY);
    if (null >= 0) ::dup2(null, 1);
    for (const auto& p : paths) {
      std::ifstream f(p, std::ios::binary);
      std::vector<std::uint8_t> b{std::istreambuf_iterator<char>(f), {}};
      if (oxwire::tnef::decode(b) && ytnef_reads(b)) out.push_back(std::move(b));
    }
    std::fflush(stdout);
    if (saved >= 0) ::dup2(saved, 1), ::close(saved);
    if (null >= 0) ::close(null);
    return out;
  }();
  return files;
}

std::int64_t total_bytes() {
  std::int64_t n = 0;
  for (const auto& f : corpus()) n += static_cast<std::int64_t>(f.size());
  return n;
}

/// Every corpus stream through `decode`, once per iteration.
template <class Decode>
void decode_corpus(benchmark::State& state, Decode decode) {
  if (corpus().empty()) return state.SkipWithError("../shared/corpus/tnef is missing");
  for (auto _ : state)
    for (const auto& f : corpus()) {
      auto m = decode(f);
      benchmark::DoNotOptimize(m);
    }
  state.SetBytesProcessed(state.iterations() * total_bytes());
  state.counters["files"] = static_cast<double>(corpus().size());
}

void BM_oxwire_tnef_corpus(benchmark::State& state) {
  decode_corpus(state, [](const auto& f) { return oxwire::tnef::decode(f); });
}
BENCHMARK(BM_oxwire_tnef_corpus);

void BM_oxwire_tnef_view_corpus(benchmark::State& state) {
  decode_corpus(state, [](const auto& f) { return oxwire::tnef::decode_view(f); });
}
BENCHMARK(BM_oxwire_tnef_view_corpus);

void BM_ytnef_corpus(benchmark::State& state) {
  if (corpus().empty()) return state.SkipWithError("../shared/corpus/tnef is missing");
  auto copies = corpus();  // TNEFParseMemory takes a non-const pointer
  for (auto _ : state)
    for (auto& f : copies) {
      TNEFStruct t;
      TNEFInitialize(&t);
      t.Debug = 0;
      benchmark::DoNotOptimize(TNEFParseMemory(f.data(), static_cast<long>(f.size()), &t));
      TNEFFree(&t);
    }
  state.SetBytesProcessed(state.iterations() * total_bytes());
  state.counters["files"] = static_cast<double>(copies.size());
}
BENCHMARK(BM_ytnef_corpus);

}  // namespace
