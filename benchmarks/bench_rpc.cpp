// MS-OXCRPC extended-buffer kernels next to their yardsticks in one binary:
// LZ77/DIRECT2 compress and decompress vs lz4 (LZ4_compress_default / LZ4_decompress_safe) on
// text-like and binary 32 KB payloads (the default MaxPayload) and a short 512-byte one;
// XorMagic (dispatched, scalar) vs memcpy. Bytes processed are the uncompressed bytes.
#include <benchmark/benchmark.h>
#include <lz4.h>
#include <oxwire/detail/lz77_scalar.hpp>
#include <oxwire/detail/xor_scalar.hpp>
#include <oxwire/rpc/lz77.hpp>
#include <oxwire/rpc/xor.hpp>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

using bytes = std::vector<std::uint8_t>;

bytes text_input(std::size_t n) {
  static const char* const words[] = {
      "the",    "message", "folder",   "subject", "Exchange", "property", "from", "to",   "meeting",
      "please", "review",  "attached", "a",       "of",       "and",      "is",   "with", "MAPI"};
  std::mt19937 rng(1);
  std::string s;
  while (s.size() < n) {
    s += words[rng() % std::size(words)];
    s += rng() % 12 ? " " : ".\r\n";
  }
  s.resize(n);
  return {s.begin(), s.end()};
}

// ROP-buffer-like binary: small integers, repeated 8-byte ids and property tags, some noise.
bytes binary_input(std::size_t n) {
  std::mt19937 rng(2);
  bytes v;
  const std::uint32_t tags[] = {0x0037001F, 0x0E080003, 0x30070040, 0x0FFF0102, 0x67480014};
  while (v.size() < n) {
    const std::uint32_t tag = tags[rng() % 5];
    for (int i = 0; i < 4; ++i) v.push_back(static_cast<std::uint8_t>(tag >> (8 * i)));
    const unsigned len = rng() % 24;
    for (unsigned i = 0; i < len; ++i)
      v.push_back(static_cast<std::uint8_t>(rng() % 3 ? 0 : rng()));
  }
  v.resize(n);
  return v;
}

const bytes& input(int kind, std::size_t n) {
  static const bytes text = text_input(32768), binary = binary_input(32768);
  static bytes short_text, short_binary;
  if (n < 32768) {
    bytes& s = kind ? short_binary : short_text;
    if (s.empty()) s.assign((kind ? binary : text).begin(), (kind ? binary : text).begin() + n);
    return s;
  }
  return kind ? binary : text;
}

void bench_lz77_compress(benchmark::State& state) {
  const bytes& in =
      input(static_cast<int>(state.range(0)), static_cast<std::size_t>(state.range(1)));
  bytes out;
  for (auto _ : state) {
    out.clear();
    oxwire::rpc::lz77_compress(in, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.size()));
  state.counters["ratio"] = static_cast<double>(out.size()) / static_cast<double>(in.size());
}

void bench_lz4_compress(benchmark::State& state) {
  const bytes& in =
      input(static_cast<int>(state.range(0)), static_cast<std::size_t>(state.range(1)));
  bytes out(static_cast<std::size_t>(LZ4_compressBound(static_cast<int>(in.size()))));
  int n = 0;
  for (auto _ : state) {
    n = LZ4_compress_default(reinterpret_cast<const char*>(in.data()),
                             reinterpret_cast<char*>(out.data()), static_cast<int>(in.size()),
                             static_cast<int>(out.size()));
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.size()));
  state.counters["ratio"] = static_cast<double>(n) / static_cast<double>(in.size());
}

template <bool Reference>
void bench_lz77_decompress(benchmark::State& state) {
  const bytes& in =
      input(static_cast<int>(state.range(0)), static_cast<std::size_t>(state.range(1)));
  const bytes packed = oxwire::rpc::lz77_compress(in);
  bytes out(in.size());
  for (auto _ : state) {
    const auto r = Reference ? oxwire::detail::lz77_decompress_reference(packed, out)
                             : oxwire::rpc::lz77_decompress(packed, out);
    if (!r) state.SkipWithError("decompress failed");
    benchmark::DoNotOptimize(out.data());
  }
  if (out != in) state.SkipWithError("round trip differs");
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.size()));
}

void bench_lz4_decompress(benchmark::State& state) {
  const bytes& in =
      input(static_cast<int>(state.range(0)), static_cast<std::size_t>(state.range(1)));
  bytes packed(static_cast<std::size_t>(LZ4_compressBound(static_cast<int>(in.size()))));
  const int n = LZ4_compress_default(reinterpret_cast<const char*>(in.data()),
                                     reinterpret_cast<char*>(packed.data()),
                                     static_cast<int>(in.size()), static_cast<int>(packed.size()));
  bytes out(in.size());
  for (auto _ : state) {
    const int m =
        LZ4_decompress_safe(reinterpret_cast<const char*>(packed.data()),
                            reinterpret_cast<char*>(out.data()), n, static_cast<int>(out.size()));
    benchmark::DoNotOptimize(m);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.size()));
}

void bench_xor(benchmark::State& state) {
  bytes data(static_cast<std::size_t>(state.range(0)), 0x5A);
  for (auto _ : state) {
    oxwire::rpc::obfuscate(data);
    benchmark::DoNotOptimize(data.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size()));
}

void bench_xor_scalar(benchmark::State& state) {
  bytes data(static_cast<std::size_t>(state.range(0)), 0x5A);
  for (auto _ : state) {
    oxwire::detail::xor_magic_scalar(data.data(), data.size());
    benchmark::DoNotOptimize(data.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size()));
}

void bench_memcpy(benchmark::State& state) {
  const bytes src(static_cast<std::size_t>(state.range(0)), 0x5A);
  bytes dst(src.size());
  for (auto _ : state) {
    std::memcpy(dst.data(), src.data(), src.size());
    benchmark::DoNotOptimize(dst.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * src.size()));
}

// {0 text | 1 binary, bytes}
void codec_args(benchmark::internal::Benchmark* b) {
  for (int kind : {0, 1})
    for (int n : {512, 32768}) b->Args({kind, n});
}

}  // namespace

BENCHMARK(bench_lz77_compress)->Apply(codec_args);
BENCHMARK(bench_lz4_compress)->Apply(codec_args);
BENCHMARK(bench_lz77_decompress<false>)->Name("bench_lz77_decompress")->Apply(codec_args);
BENCHMARK(bench_lz77_decompress<true>)->Name("bench_lz77_decompress_reference")->Apply(codec_args);
BENCHMARK(bench_lz4_decompress)->Apply(codec_args);
BENCHMARK(bench_xor)->Arg(64)->Arg(32768)->Arg(1 << 20);
BENCHMARK(bench_xor_scalar)->Arg(64)->Arg(32768)->Arg(1 << 20);
BENCHMARK(bench_memcpy)->Arg(64)->Arg(32768)->Arg(1 << 20);
