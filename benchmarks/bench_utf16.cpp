// UTF-16LE <-> UTF-8: the dispatched and scalar kernels against glibc iconv and memcpy of the
// same input. Bytes processed = input bytes.
#include <oxwire/core/utf16.hpp>

#include <benchmark/benchmark.h>
#include <iconv.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

namespace detail = oxwire::detail;
using oxwire::utf16::policy;

enum class text { english, ascii, cjk, short16, short64 };
constexpr std::pair<text, const char*> texts[] = {{text::english, "english_64k"},
                                                  {text::ascii, "ascii_64k"},
                                                  {text::cjk, "cjk_64k"},
                                                  {text::short16, "short_16B"},
                                                  {text::short64, "short_64B"}};

void append_utf8(std::string& s, char32_t cp) {
  auto b = [&](std::uint32_t x) { s.push_back(static_cast<char>(x)); };
  if (cp < 0x80) {
    b(cp);
  } else if (cp < 0x800) {
    b(0xC0 | cp >> 6), b(0x80 | (cp & 0x3F));
  } else {
    b(0xE0 | cp >> 12), b(0x80 | (cp >> 6 & 0x3F)), b(0x80 | (cp & 0x3F));
  }
}

// ~64 KiB of UTF-16LE: English words with about 1 accented letter in 100 characters, pure
// ASCII, or CJK ideographs with an ASCII space or punctuation about every 10th character.
std::string make_utf8(text t, std::size_t utf16_bytes) {
  static constexpr const char* words[] = {"the",     "message", "folder",  "property", "server",
                                          "client",  "store",   "sync",    "calendar", "meeting",
                                          "contact", "of",      "and",     "to",       "a",
                                          "with",    "for",     "request", "response", "is"};
  static constexpr char32_t accents[] = {U'\u00E9', U'\u00FC', U'\u00F1', U'\u00E7', U'\u2019'};
  std::mt19937 rng(42);
  std::string s;
  std::size_t units = 0;
  while (2 * units < utf16_bytes) {
    char32_t cp = 0;
    if (t == text::cjk) {
      cp = rng() % 10 == 0 ? U" ,."[rng() % 3] : 0x4E00 + rng() % 0x5000;
      append_utf8(s, cp), ++units;
      continue;
    }
    for (const char* w = words[rng() % 20]; *w && 2 * units < utf16_bytes; ++w, ++units)
      append_utf8(s, t == text::english && rng() % 100 == 0 ? accents[rng() % 5] : *w);
    if (2 * units < utf16_bytes) append_utf8(s, ' '), ++units;
  }
  return s;
}

const std::string& utf8_input(text t) {
  static const std::string cache[] = {make_utf8(text::english, 65536),
                                      make_utf8(text::ascii, 65536), make_utf8(text::cjk, 65536),
                                      make_utf8(text::english, 16), make_utf8(text::english, 64)};
  return cache[static_cast<int>(t)];
}

const std::vector<std::uint8_t>& utf16_input(text t) {
  static const std::vector<std::vector<std::uint8_t>> cache = [] {
    std::vector<std::vector<std::uint8_t>> v;
    for (const auto& [which, name] : texts)
      v.push_back(*oxwire::utf16::from_utf8(utf8_input(which)));
    return v;
  }();
  return cache[static_cast<int>(t)];
}

enum class impl { dispatched, scalar, iconv, memcpy };
constexpr std::pair<impl, const char*> impls[] = {{impl::dispatched, "oxwire_dispatched"},
                                                  {impl::scalar, "oxwire_scalar"},
                                                  {impl::iconv, "glibc_iconv"},
                                                  {impl::memcpy, "memcpy"}};

std::size_t run_iconv(iconv_t cd, const void* in, std::size_t n, void* out, std::size_t cap) {
  auto* src = static_cast<char*>(const_cast<void*>(in));
  auto* dst = static_cast<char*>(out);
  const std::size_t before = cap;
  iconv(cd, &src, &n, &dst, &cap);
  return before - cap;
}

// The two directions differ only in their input, output buffer, iconv names and kernels.
struct to_utf8_dir {
  static constexpr const char* name = "utf16_to_utf8/";
  static constexpr const char* iconv_to = "UTF-8";
  static constexpr const char* iconv_from = "UTF-16LE";
  static const auto& input(text t) { return utf16_input(t); }
  static std::string buffer(std::size_t n) {
    return std::string(oxwire::utf16::utf8_bound(n), '\0');
  }
  static std::size_t dispatched(const auto& in, auto& out) {
    return *oxwire::utf16::to_utf8(in, out);
  }
  static std::size_t scalar(const auto& in, auto& out) {
    return *detail::utf16_to_utf8_scalar(in, out, policy::strict);
  }
};

struct from_utf8_dir {
  static constexpr const char* name = "utf8_to_utf16/";
  static constexpr const char* iconv_to = "UTF-16LE";
  static constexpr const char* iconv_from = "UTF-8";
  static const auto& input(text t) { return utf8_input(t); }
  static std::vector<std::uint8_t> buffer(std::size_t n) {
    return std::vector<std::uint8_t>(oxwire::utf16::utf16_bound(n));
  }
  static std::size_t dispatched(const auto& in, auto& out) {
    return *oxwire::utf16::from_utf8(in, out);
  }
  static std::size_t scalar(const auto& in, auto& out) {
    return *detail::utf8_to_utf16_scalar(in, out, policy::strict);
  }
};

template <class Dir>
void convert(benchmark::State& state, text t, impl how) {
  const auto& in = Dir::input(t);
  auto out = Dir::buffer(in.size());
  const iconv_t cd = iconv_open(Dir::iconv_to, Dir::iconv_from);
  for (auto _ : state) {
    std::size_t n = 0;
    switch (how) {
      case impl::dispatched: n = Dir::dispatched(in, out); break;
      case impl::scalar: n = Dir::scalar(in, out); break;
      case impl::iconv: n = run_iconv(cd, in.data(), in.size(), out.data(), out.size()); break;
      case impl::memcpy: std::memcpy(out.data(), in.data(), n = in.size()); break;
    }
    benchmark::DoNotOptimize(n);
    benchmark::ClobberMemory();
  }
  iconv_close(cd);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.size()));
}

const bool registered = [] {
  using fn = void(benchmark::State&, text, impl);
  for (const auto& [run, direction] :
       {std::pair<fn*, const char*>{convert<to_utf8_dir>, to_utf8_dir::name},
        std::pair<fn*, const char*>{convert<from_utf8_dir>, from_utf8_dir::name}})
    for (const auto& [t, text_name] : texts)
      for (const auto& [how, impl_name] : impls)
        benchmark::RegisterBenchmark((direction + std::string(text_name) + "/" + impl_name).c_str(),
                                     run, t, how);
  return true;
}();

}  // namespace
