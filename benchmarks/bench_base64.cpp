// base64: the dispatched and scalar kernels against OpenSSL EVP_DecodeBlock/EVP_EncodeBlock and
// memcpy of the same input. Bytes processed = input bytes (characters for decode).
#include <oxwire/core/base64.hpp>

#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

namespace detail = oxwire::detail;
using oxwire::base64::alphabet;

std::vector<std::uint8_t> random_bytes(std::size_t n) {
  std::mt19937 rng(static_cast<unsigned>(n));
  std::vector<std::uint8_t> v(n);
  for (auto& b : v) b = static_cast<std::uint8_t>(rng());
  return v;
}

enum class impl { dispatched, scalar, openssl, memcpy };
constexpr std::pair<impl, const char*> impls[] = {{impl::dispatched, "oxwire_dispatched"},
                                                  {impl::scalar, "oxwire_scalar"},
                                                  {impl::openssl, "openssl"},
                                                  {impl::memcpy, "memcpy"}};

void decode(benchmark::State& state, std::size_t raw_size, impl how) {
  const std::string in = oxwire::base64::encode(random_bytes(raw_size));
  std::vector<std::uint8_t> out(in.size());  // room for the decoded bytes and for memcpy
  const auto* chars = reinterpret_cast<const unsigned char*>(in.data());
  for (auto _ : state) {
    std::size_t n = 0;
    switch (how) {
      case impl::dispatched: n = *oxwire::base64::decode(in, out); break;
      case impl::scalar:
        n = *detail::base64_decode_scalar<alphabet::standard>(in, out,
                                                              oxwire::base64::mode::strict);
        break;
      case impl::openssl:
        n = static_cast<std::size_t>(
            EVP_DecodeBlock(out.data(), chars, static_cast<int>(in.size())));
        break;
      case impl::memcpy: std::memcpy(out.data(), in.data(), n = in.size()); break;
    }
    benchmark::DoNotOptimize(n);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.size()));
}

void encode(benchmark::State& state, std::size_t raw_size, impl how) {
  const auto in = random_bytes(raw_size);
  std::string out(oxwire::base64::encoded_size(in.size()) + 1, '\0');  // OpenSSL adds a NUL
  for (auto _ : state) {
    std::size_t n = 0;
    switch (how) {
      case impl::dispatched: n = *oxwire::base64::encode(in, out); break;
      case impl::scalar: n = detail::base64_encode_scalar<alphabet::standard>(in, out, true); break;
      case impl::openssl:
        n = static_cast<std::size_t>(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                                     in.data(), static_cast<int>(in.size())));
        break;
      case impl::memcpy: std::memcpy(out.data(), in.data(), n = in.size()); break;
    }
    benchmark::DoNotOptimize(n);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.size()));
}

const bool registered = [] {
  using fn = void(benchmark::State&, std::size_t, impl);
  for (const auto& [run, direction] : {std::pair<fn*, const char*>{decode, "base64_decode/"},
                                       std::pair<fn*, const char*>{encode, "base64_encode/"}})
    for (const auto& [size, size_name] : {std::pair<std::size_t, const char*>{65536, "64KiB"},
                                          std::pair<std::size_t, const char*>{1 << 20, "1MiB"}})
      for (const auto& [how, impl_name] : impls)
        benchmark::RegisterBenchmark((direction + std::string(size_name) + "/" + impl_name).c_str(),
                                     run, size, how);
  return true;
}();

}  // namespace
