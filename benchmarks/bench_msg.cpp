// Open a compound file and read every stream: oxwire::cfb against libolecf (Debian
// libolecf-dev), over the .msg files of ../shared/corpus/msg; plus the full MS-OXMSG parse.
// libolecf opens by path (its memory interface needs libbfio, which Debian does not package),
// so it reads through the page cache; ours reads the bytes already in memory.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <oxwire/msg.hpp>

#include "../tests/cfb/libolecf_walk.hpp"

namespace {

namespace fs = std::filesystem;

struct corpus_file {
  std::string path;
  std::vector<std::uint8_t> bytes;
};

const std::vector<corpus_file>& corpus() {
  static const std::vector<corpus_file> files = [] {
    std::vector<corpus_file> out;
    const fs::path dir = fs::path(OXWIRE_SHARED_DIR) / "corpus/msg";
    if (!fs::is_directory(dir)) return out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (e.path().extension() != ".msg") continue;
      std::ifstream in(e.path(), std::ios::binary);
      out.push_back({e.path().string(), {std::istreambuf_iterator<char>(in), {}}});
    }
    return out;
  }();
  return files;
}

std::int64_t corpus_bytes() {
  std::int64_t n = 0;
  for (const auto& f : corpus()) n += static_cast<std::int64_t>(f.bytes.size());
  return n;
}

// Every stream of every file, through our reader (views where contiguous, else one copy).
void BM_oxwire_cfb_walk(benchmark::State& state) {
  if (corpus().empty()) return state.SkipWithError("../shared/corpus/msg is missing");
  std::vector<std::uint8_t> scratch;
  for (auto _ : state) {
    std::size_t total = 0;
    for (const auto& f : corpus()) {
      const auto cf = oxwire::cfb::compound_file::open(f.bytes);
      if (!cf) return state.SkipWithError("open failed");
      for (std::uint32_t id = 0; id < cf->entries().size(); ++id) {
        if (!cf->entry(id).is_stream()) continue;
        const auto s = cf->read_stream(id, scratch);
        if (!s) return state.SkipWithError("read failed");
        total += s->size();
        benchmark::DoNotOptimize(s->data());
      }
    }
    benchmark::DoNotOptimize(total);
  }
  state.SetBytesProcessed(state.iterations() * corpus_bytes());
}
BENCHMARK(BM_oxwire_cfb_walk);

// The same walk through libolecf: open, every item, every stream read into a buffer.
void BM_libolecf_walk(benchmark::State& state) {
  if (corpus().empty()) return state.SkipWithError("../shared/corpus/msg is missing");
  for (auto _ : state)
    for (const auto& f : corpus())
      if (!oxwire_test::olecf_streams(f.path, true)) return state.SkipWithError("libolecf failed");
  state.SetBytesProcessed(state.iterations() * corpus_bytes());
}
BENCHMARK(BM_libolecf_walk);

// The full .msg parse into the message model (properties, recipients, attachments, names).
void BM_oxwire_msg_read(benchmark::State& state) {
  if (corpus().empty()) return state.SkipWithError("../shared/corpus/msg is missing");
  for (auto _ : state)
    for (const auto& f : corpus()) {
      auto m = oxwire::msg::read_message(f.bytes);
      if (!m) return state.SkipWithError("read failed");
      benchmark::DoNotOptimize(m->properties.size());
    }
  state.SetBytesProcessed(state.iterations() * corpus_bytes());
}
BENCHMARK(BM_oxwire_msg_read);

}  // namespace
