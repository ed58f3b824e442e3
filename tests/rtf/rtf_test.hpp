// Helpers shared by the compressed RTF tests.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <oxwire/rtf.hpp>
#include <oxwire_test/assertions.hpp>
#include <oxwire_test/shared.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace oxwire_test {

/// MS-OXRTFCP 4.1.1 "simple compressed RTF" and its 43-byte output.
inline const std::vector<std::uint8_t> rtfcp_example1 = {
    0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xf1,
    0xc5, 0xc7, 0xa7, 0x03, 0x00, 0x0a, 0x00, 0x72, 0x63, 0x70, 0x67, 0x31, 0x32,
    0x35, 0x42, 0x32, 0x0a, 0xf3, 0x20, 0x68, 0x65, 0x6c, 0x09, 0x00, 0x20, 0x62,
    0x77, 0x05, 0xb0, 0x6c, 0x64, 0x7d, 0x0a, 0x80, 0x0f, 0xa0};
inline const std::string rtfcp_example1_raw = "{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n";

/// MS-OXRTFCP 4.1.2: a reference that reads across the write position.
inline const std::vector<std::uint8_t> rtfcp_example2 = {
    0x1a, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xe2, 0xd4, 0x4b,
    0x51, 0x41, 0x00, 0x04, 0x20, 0x57, 0x58, 0x59, 0x5a, 0x0d, 0x6e, 0x7d, 0x01, 0x0e, 0xb0};
inline const std::string rtfcp_example2_raw = "{\\rtf1 WXYZWXYZWXYZWXYZWXYZ}";

/// One row of ../shared/corpus/rtf/manifest.tsv.
struct rtf_corpus_entry {
  std::filesystem::path file, expected;  // expected: empty when the row has none
  std::uint32_t compsize, rawsize;
  std::string comptype, sha256;
};

inline std::vector<rtf_corpus_entry> read_rtf_manifest(const std::filesystem::path& dir) {
  std::ifstream f(dir / "manifest.tsv");
  std::string line;
  std::getline(f, line);  // column names
  std::vector<rtf_corpus_entry> rows;
  while (std::getline(f, line)) {
    std::vector<std::string> col;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, '\t');) col.push_back(c);
    if (col.size() < 8) continue;
    rtf_corpus_entry e{dir / col[0],
                       {},
                       static_cast<std::uint32_t>(std::stoul(col[3])),
                       static_cast<std::uint32_t>(std::stoul(col[4])),
                       col[5],
                       col[7]};
    if (col.size() > 8 && col[8] == "yes") {
      auto p = e.file;
      e.expected = p.replace_extension(".expected.rtf");
    }
    rows.push_back(e);
  }
  return rows;
}

/// Every row of the corpus manifest; skips (or fails under CI=true) without the corpus.
#define OXWIRE_RTF_CORPUS(rows)                         \
  OXWIRE_REQUIRE_SHARED(rtf_corpus_root, "corpus/rtf"); \
  const auto rows = ::oxwire_test::read_rtf_manifest(rtf_corpus_root)

/// Deterministic test inputs: random bytes, RTF-like text, runs, and sizes around the ring wrap.
inline std::vector<std::vector<std::uint8_t>> rtf_round_trip_inputs() {
  std::vector<std::vector<std::uint8_t>> v;
  std::mt19937 rng(42);
  const auto random_bytes = [&](std::size_t n, unsigned alphabet) {
    std::vector<std::uint8_t> b(n);
    for (auto& c : b) c = static_cast<std::uint8_t>(rng() % alphabet);
    return b;
  };
  v.push_back({});
  v.push_back({'a'});
  v.push_back(random_bytes(100000, 256));
  v.push_back(random_bytes(30000, 4));
  v.push_back(std::vector<std::uint8_t>(70000, 'x'));
  v.push_back(std::vector<std::uint8_t>(5000, 0));
  std::string text;
  static const char* words[] = {"\\par ", "\\b ", "hello ", "world ", "{\\f1 ",
                                "}",      "RTF ", "\\tab ", "\\'e9",  "\r\n"};
  while (text.size() < 60000) text += words[rng() % 10];
  v.push_back(std::vector<std::uint8_t>(text.begin(), text.end()));
  for (std::size_t n : {3880, 3888, 3889, 3890, 4089, 4095, 4096, 4097, 4302, 8191, 8192, 8193})
    v.push_back(random_bytes(n, 3));
  return v;
}

}  // namespace oxwire_test
