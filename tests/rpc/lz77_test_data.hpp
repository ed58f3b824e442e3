// Inputs shared by the LZ77 and extended-buffer tests: random bytes, text-like words, runs.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace oxwire_test {

inline std::vector<std::uint8_t> random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::uint8_t> v(n);
  for (auto& b : v) b = static_cast<std::uint8_t>(rng());
  return v;
}

/// Words from a small vocabulary with spaces, punctuation and line breaks: compresses like mail.
inline std::vector<std::uint8_t> text_bytes(std::size_t n, unsigned seed) {
  static const char* const words[] = {"the",      "message",  "folder", "subject",
                                      "Exchange", "property", "from",   "to",
                                      "meeting",  "tomorrow", "please", "review",
                                      "attached", "a",        "of",     "RopGetPropertiesSpecific",
                                      "and",      "is",       "with",   "MAPI"};
  std::mt19937 rng(seed);
  std::string s;
  while (s.size() < n) {
    s += words[rng() % std::size(words)];
    const unsigned r = rng() % 16;
    s += r == 0 ? ".\r\n" : r == 1 ? ", " : " ";
  }
  s.resize(n);
  return {s.begin(), s.end()};
}

/// Runs of one byte with random lengths (1..300) and values from a small set.
inline std::vector<std::uint8_t> run_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::uint8_t> v;
  while (v.size() < n) v.insert(v.end(), 1 + rng() % 300, static_cast<std::uint8_t>(rng() % 4));
  v.resize(n);
  return v;
}

}  // namespace oxwire_test
