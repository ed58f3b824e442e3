// Helpers shared by the WBXML tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <oxwire/wbxml.hpp>
#include <oxwire_test/assertions.hpp>
#include <oxwire_test/shared.hpp>
#include <string>
#include <vector>

namespace oxwire_test {

/// Every event of a document, offsets left out (they differ between STR_T and STR_I forms).
struct flat_event {
  oxwire::wbxml::event_kind kind;
  std::uint8_t page, token;
  bool has_content, legacy;
  std::string data;
  friend bool operator==(const flat_event&, const flat_event&) = default;
};

inline oxwire::result<std::vector<flat_event>> events_of(oxwire::bytes_view in,
                                                         const oxwire::wbxml::options& opt = {}) {
  auto tok = oxwire::wbxml::tokenizer::create(in, opt);
  if (!tok) return tok.error();
  std::vector<flat_event> out;
  for (;;) {
    auto ev = tok->next();
    if (!ev) return ev.error();
    if (ev->kind == oxwire::wbxml::event_kind::eof) return out;
    out.push_back({ev->kind, ev->page, ev->token, ev->has_content, ev->legacy,
                   std::string(oxwire::as_chars(ev->data))});
  }
}

/// ../shared/corpus/activesync, or an empty path when absent.
inline std::filesystem::path corpus_dir() {
  return shared_dir("corpus/activesync");
}

/// Every *.wbxml file of the corpus, sorted; skips (or fails under CI=true) without the corpus.
#define OXWIRE_WBXML_CORPUS(files)                                                 \
  OXWIRE_REQUIRE_SHARED(corpus_root, "corpus/activesync");                         \
  std::vector<std::filesystem::path> files;                                        \
  for (const auto& e : std::filesystem::recursive_directory_iterator(corpus_root)) \
    if (e.path().extension() == ".wbxml") files.push_back(e.path());               \
  std::sort(files.begin(), files.end())

}  // namespace oxwire_test
