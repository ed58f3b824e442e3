// Compressed RTF (MS-OXRTFCP), oxwire beside ytnef's DecompressRTF (Debian libytnef0), on:
//   corpus: every LZFu body of ../shared/corpus/rtf (all in one pass)
//   large: the corpus bodies concatenated to about 4 MB (generated RTF-like text without the
//          corpus), compressed by oxwire
// Decompression: oxwire::rtf::decompress (fast kernel, CRC checked), the spec's ring loop
// (detail::lzfu_decode_scalar, CRC checked) and ytnef (no CRC check; it mallocs its output).
// Compression: oxwire::rtf::compress. Bytes processed are output (RTF) bytes for decompression
// and input (RTF) bytes for compression. Each oxwire decompression case reports `x_ytnef`, its
// speed over ytnef's on the same streams (both timed with std::clock beside the benchmark loop,
// ytnef best of 3; CPU time, as the machine is shared).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <oxwire/rtf/compressed.hpp>
#include <random>
#include <string>
#include <vector>

extern "C" {
#include <ytnef.h>
}

namespace {

namespace rtf = oxwire::rtf;
using bytes = std::vector<std::uint8_t>;

struct input {
  std::vector<bytes> streams;  // PidTagRtfCompressed values
  std::size_t raw_bytes = 0;
  std::vector<bytes> raws;
};

bytes read_file(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

std::filesystem::path corpus_dir() {
  const char* env = std::getenv("OXWIRE_SHARED_DIR");
  const std::filesystem::path d =
      std::filesystem::path(env ? env : OXWIRE_SHARED_DIR) / "corpus/rtf";
  return std::filesystem::is_directory(d) ? d : std::filesystem::path{};
}

input corpus() {
  input in;
  const auto dir = corpus_dir();
  if (dir.empty()) return in;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.path().extension() != ".rtfcomp") continue;
    bytes s = read_file(e.path());
    if (s.size() < 16 || s[8] != 'L') continue;  // LZFu only: ytnef does not read MELA
    auto raw = rtf::decompress(s);
    if (!raw) continue;
    in.raw_bytes += raw->size();
    in.raws.push_back(std::move(*raw));
    in.streams.push_back(std::move(s));
  }
  return in;
}

input large() {
  bytes raw;
  const input c = corpus();
  if (!c.raws.empty()) {
    while (raw.size() < (4u << 20))
      for (const bytes& r : c.raws) raw.insert(raw.end(), r.begin(), r.end());
  } else {
    std::mt19937 rng(1);
    static const char* words[] = {"\\par ",
                                  "\\b ",
                                  "hello ",
                                  "world ",
                                  "{\\f1 ",
                                  "}",
                                  "RTF ",
                                  "\\tab ",
                                  "\\'e9",
                                  "\r\n",
                                  "{\\*\\htmltag84 <a href=\"x\">}"};
    std::string t;
    while (t.size() < (4u << 20)) t += words[rng() % 11];
    raw.assign(t.begin(), t.end());
  }
  input in;
  in.raw_bytes = raw.size();
  in.streams.push_back(*rtf::compress(raw));
  in.raws.push_back(std::move(raw));
  return in;
}

const input& get(bool is_large) {
  static const input c = corpus(), l = large();
  return is_large ? l : c;
}

std::size_t ours(const input& in) {
  std::size_t n = 0;
  for (const bytes& s : in.streams) n += rtf::decompress(s)->size();
  return n;
}
std::size_t scalar(const input& in) {
  std::size_t n = 0;
  for (const bytes& s : in.streams)
    n += rtf::detail::decompress_with(s, {}, rtf::detail::lzfu_decode_scalar)->size();
  return n;
}
std::size_t ytnef(const input& in) {
  std::size_t n = 0;
  for (const bytes& s : in.streams) {
    variableLength v{const_cast<std::uint8_t*>(s.data()), static_cast<int>(s.size())};
    int size = 0;
    BYTE* out = DecompressRTF(&v, &size);
    n += static_cast<std::size_t>(size);
    std::free(out);
  }
  return n;
}

// Seconds of CPU per pass of f over `in`, best of `rounds` runs of at least 0.2 s each.
template <class F>
double seconds_per_pass(F f, const input& in, int rounds) {
  double best = 1e9;
  for (int r = 0; r < rounds; ++r) {
    std::size_t passes = 0;
    const std::clock_t start = std::clock();
    std::clock_t now = start;
    while (now - start < CLOCKS_PER_SEC / 5) {
      benchmark::DoNotOptimize(f(in));
      ++passes;
      now = std::clock();
    }
    best = std::min(best, double(now - start) / CLOCKS_PER_SEC / double(passes));
  }
  return best;
}

template <std::size_t (*F)(const input&), bool Compare>
void decompress(benchmark::State& state, bool is_large) {
  const input& in = get(is_large);
  if (in.streams.empty()) return state.SkipWithError("no ../shared/corpus/rtf");
  for (auto _ : state) benchmark::DoNotOptimize(F(in));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.raw_bytes));
  if constexpr (Compare) {
    const double theirs = seconds_per_pass(ytnef, in, 3);
    state.counters["x_ytnef"] = theirs / seconds_per_pass(F, in, 1);
    state.counters["MB/s_ytnef"] = double(in.raw_bytes) / theirs / 1e6;
  }
}

void compress(benchmark::State& state, bool is_large) {
  const input& in = get(is_large);
  if (in.streams.empty()) return state.SkipWithError("no ../shared/corpus/rtf");
  for (auto _ : state)
    for (const bytes& r : in.raws) benchmark::DoNotOptimize(rtf::compress(r)->size());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.raw_bytes));
  std::size_t packed = 0;
  for (const bytes& r : in.raws) packed += rtf::compress(r)->size();
  state.counters["ratio"] = double(in.raw_bytes) / double(packed);
}

void decompress_oxwire(benchmark::State& s, bool l) {
  decompress<ours, true>(s, l);
}
void decompress_scalar(benchmark::State& s, bool l) {
  decompress<scalar, true>(s, l);
}
void decompress_ytnef(benchmark::State& s, bool l) {
  decompress<ytnef, false>(s, l);
}

BENCHMARK_CAPTURE(decompress_oxwire, corpus, false);
BENCHMARK_CAPTURE(decompress_scalar, corpus, false);
BENCHMARK_CAPTURE(decompress_ytnef, corpus, false);
BENCHMARK_CAPTURE(decompress_oxwire, large, true);
BENCHMARK_CAPTURE(decompress_scalar, large, true);
BENCHMARK_CAPTURE(decompress_ytnef, large, true);
BENCHMARK_CAPTURE(compress, corpus, false);
BENCHMARK_CAPTURE(compress, large, true);

}  // namespace
