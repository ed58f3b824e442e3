// WBXML fast paths against their references: the string kernels (scalar reference vs AVX2), the
// XML escape finder, the tokenizer's callback loop vs its pull API and scalar vs AVX2 kernels,
// and WBXML -> XML straight from events vs through the tree.
#include <gtest/gtest.h>

#include <oxwire/detail/wbxml_cstring.hpp>
#include <oxwire/detail/wbxml_xml_escape.hpp>
#include <oxwire/detail/wbxml_xml_name.hpp>
#include <oxwire/detail/wbxml_xml_text.hpp>
#include <oxwire/wbxml.hpp>
#include <oxwire_test/assertions.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "spec_example.hpp"
#include "wbxml_test.hpp"

namespace test_kernels {

namespace wb = oxwire::wbxml;
namespace od = oxwire::detail;
using B = std::vector<std::uint8_t>;
using oxwire_test::fails_with;

bool have_avx2() {
  return od::best_isa() == od::isa::avx2;
}

/// Every kernel on s[from, end) with and without validation; all must agree with the scalar one.
void expect_cstring_agrees(const B& s, std::size_t from = 0) {
  for (const bool validate : {true, false}) {
    const od::cstring_scan ref =
        od::wbxml_cstring_scalar(s.data() + from, s.size() - from, validate);
    // The reference itself: the NUL, and the first bad byte as utf8_invalid_at finds it.
    const auto* nul =
        s.size() == from
            ? nullptr
            : static_cast<const std::uint8_t*>(std::memchr(s.data() + from, 0, s.size() - from));
    const std::size_t len = nul ? static_cast<std::size_t>(nul - s.data()) - from : s.size() - from;
    ASSERT_EQ(ref.len, len);
    if (nul && validate) {
      ASSERT_EQ(ref.bad, od::utf8_invalid_at(s.data() + from, len));
    }
#if OXWIRE_X86
    if (!have_avx2()) continue;
    ASSERT_EQ(od::wbxml_cstring_avx2(s.data() + from, s.size() - from, validate), ref)
        << "from " << from << " size " << s.size() << " validate " << validate;
    od::wbxml_cstring_blocks_avx2 blocks;
    if (from > 0) (void)blocks.find(s.data(), s.size(), 0, validate);  // a block cached before
    ASSERT_EQ(blocks.find(s.data(), s.size(), from, validate), ref) << "blocks, from " << from;
#endif
  }
}

TEST(WbxmlKernels, CstringEdgeCases) {
  // A NUL at every position around the 32- and 64-byte steps, the string starting anywhere.
  for (std::size_t size : {0u, 1u, 7u, 8u, 9u, 31u, 32u, 33u, 63u, 64u, 65u, 100u, 130u, 200u})
    for (std::size_t nul = 0; nul <= size; ++nul) {
      B s(size, 'a');
      if (nul < size) s[nul] = 0;
      for (std::size_t from : {std::size_t{0}, std::size_t{1}, std::size_t{5}, std::size_t{63}})
        if (from <= size) expect_cstring_agrees(s, from);
    }
}

TEST(WbxmlKernels, CstringInvalidUtf8EverywhereAndCutByTheNul) {
  const std::vector<B> bad{{0xC0, 0xAF},
                           {0xE0, 0x80, 0x80},
                           {0xED, 0xA0, 0x80},
                           {0xF4, 0x90, 0x80, 0x80},
                           {0xF8},
                           {0x80},
                           {0xC3},
                           {0xE2, 0x82},
                           {0xF0, 0x9F, 0x98},
                           {0xFF}};
  const std::vector<B> good{
      {0xC3, 0xA9}, {0xE2, 0x82, 0xAC}, {0xF0, 0x9F, 0x98, 0x80}, {0xEF, 0xBF, 0xBD}};
  for (const auto& seqs : {bad, good})
    for (const B& q : seqs)
      for (std::size_t at = 0; at < 70; ++at) {
        B s(at, 'x');
        s.insert(s.end(), q.begin(), q.end());
        for (const std::size_t tail : {0u, 1u, 40u}) {
          B t = s;
          t.insert(t.end(), tail, 'y');
          t.push_back(0);
          t.insert(t.end(), 10, 0x80);  // continuation bytes after the NUL do not count
          expect_cstring_agrees(t);
          expect_cstring_agrees(t, std::min<std::size_t>(at, 3));
        }
      }
}

TEST(WbxmlKernels, CstringRandom) {
  std::mt19937 rng(7);
  for (int round = 0; round < 3000; ++round) {
    B s(rng() % 300);
    const int mode = round % 3;  // mostly ASCII, mostly UTF-8, any bytes
    for (auto& b : s) {
      const unsigned r = rng();
      b = mode == 2 ? static_cast<std::uint8_t>(r)
                    : (r % 50 == 0 ? static_cast<std::uint8_t>(0x80 + r % 0x80)
                                   : static_cast<std::uint8_t>(1 + r % 0x7F));
      if (mode == 1 && r % 7 == 0) b = static_cast<std::uint8_t>(0xC3);
      if (mode == 1 && r % 7 == 1) b = static_cast<std::uint8_t>(0xA9);
    }
    if (!s.empty() && rng() % 2) s[rng() % s.size()] = 0;
    expect_cstring_agrees(s, s.empty() ? 0 : rng() % (s.size() + 1));
  }
}

TEST(WbxmlKernels, XmlSpecialAt) {
  std::mt19937 rng(11);
  for (int round = 0; round < 3000; ++round) {
    std::string s(rng() % 200, 'a');
    for (auto& c : s)
      if (rng() % 40 == 0) c = static_cast<char>(rng());
    const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
    const std::size_t ref = od::xml_special_at_scalar(p, s.size());
    std::size_t naive = 0;
    while (naive < s.size() && !od::xml_special[p[naive]]) ++naive;
    ASSERT_EQ(ref, naive);
    ASSERT_EQ(od::xml_special_at(p, s.size(), od::best_isa()), ref);
  }
  // Each special byte, and the non-special ones around the control range.
  for (int c = 0; c < 256; ++c) {
    std::string s(40, 'a');
    s[35] = static_cast<char>(c);
    const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
    EXPECT_EQ(od::xml_special_at(p, s.size(), od::best_isa()), od::xml_special[c] ? 35u : 40u) << c;
  }
}

/// The events of `in` through for_each, with the chosen kernels.
oxwire::result<std::vector<oxwire_test::flat_event>> events_for_each(const B& in,
                                                                     const wb::options& opt,
                                                                     od::isa set) {
  auto tok = wb::tokenizer::create(in, opt, set);
  if (!tok) return tok.error();
  std::vector<oxwire_test::flat_event> out;
  auto r = tok->for_each([&](const wb::event& ev) {
    out.push_back({ev.kind, ev.page, ev.token, ev.has_content, ev.legacy,
                   std::string(oxwire::as_chars(ev.data))});
  });
  if (!r) return r.error();
  return out;
}

/// for_each (both kernels) and next() give the same events or the same error.
void expect_same_events(const B& in, const wb::options& opt = {}) {
  const auto pulled = oxwire_test::events_of(in, opt);
  for (const od::isa set : {od::isa::scalar, od::best_isa()}) {
    const auto looped = events_for_each(in, opt, set);
    ASSERT_EQ(pulled.has_value(), looped.has_value());
    if (pulled)
      EXPECT_EQ(*pulled, *looped);
    else
      EXPECT_TRUE(pulled.error() == looped.error() &&
                  std::string(pulled.error().what) == looped.error().what)
          << pulled.error().message() << " vs " << looped.error().message();
  }
}

/// The XML text scan on s[from, size): a byte-by-byte naive answer, the scalar reference and the
/// AVX2 kernel must agree.
void expect_xml_text_agrees(const std::string& s, std::size_t from = 0) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data()) + from;
  const std::size_t n = s.size() - from;
  od::xml_text_run naive{n, false};
  for (std::size_t i = 0; i < n; ++i) {
    const char c = static_cast<char>(p[i]);
    const bool control = p[i] < 0x20 && c != '\t' && c != '\n';
    if (control || c == '<' || c == '&' || c == '>' || p[i] == 0xEF) {
      naive.stop = i;
      break;
    }
    naive.not_space = naive.not_space || !(c == ' ' || c == '\t' || c == '\n' || c == '\r');
  }
  ASSERT_EQ(od::xml_text_scan_scalar(p, n), naive) << "from " << from << " size " << s.size();
  ASSERT_EQ(od::xml_text_scan(p, n, od::best_isa()), naive) << "dispatched, from " << from;
#if OXWIRE_X86
  if (have_avx2() && n >= 32) {  // its contract: 32 bytes or more
    ASSERT_EQ(od::xml_text_scan_avx2(p, n), naive) << "avx2, from " << from;
  }
#endif
}

TEST(WbxmlKernels, XmlTextScanEveryByteEverywhere) {
  // Each byte value at every position around the 32-byte steps, after plain text and after
  // whitespace only (not_space must come from the bytes before the stop only).
  for (const char fill : {'a', ' ', '\n'})
    for (std::size_t size : {0u, 1u, 31u, 32u, 33u, 47u, 63u, 64u, 70u, 95u})
      for (std::size_t at = 0; at < size; ++at)
        for (int c = 0; c < 256; ++c) {
          std::string s(size, fill);
          s[at] = static_cast<char>(c);
          expect_xml_text_agrees(s);
          if (size > 3) expect_xml_text_agrees(s, 3);
        }
  // Known answers: the stop bytes, TAB and LF that are not, and the whitespace rule.
  EXPECT_EQ(od::xml_text_scan_scalar(reinterpret_cast<const std::uint8_t*>(" \t\n x<"), 6),
            (od::xml_text_run{5, true}));
  EXPECT_EQ(od::xml_text_scan_scalar(reinterpret_cast<const std::uint8_t*>(" \t\n\r"), 4),
            (od::xml_text_run{3, false}));
  EXPECT_EQ(od::xml_text_scan_scalar(reinterpret_cast<const std::uint8_t*>("ab&c"), 4),
            (od::xml_text_run{2, true}));
}

TEST(WbxmlKernels, XmlTextScanRandom) {
  std::mt19937 rng(29);
  const std::string alphabet = "a  \t\n\r<>&\xEF\xBF\x01\x1F\x7F\x80\xC3\xA9 z";
  for (int round = 0; round < 20000; ++round) {
    std::string s(rng() % 300, ' ');
    const unsigned rate = 1 + rng() % 200;  // long plain runs as well as dense stops
    for (auto& c : s)
      c = rng() % rate == 0 ? alphabet[rng() % alphabet.size()] : (rng() % 3 ? ' ' : 'q');
    expect_xml_text_agrees(s, s.empty() ? 0 : rng() % (s.size() + 1));
  }
}

/// The name kernel on s: a naive answer (XML 1.0 2.3 NameChar, ASCII), the reference and the SSE2
/// kernel must agree.
void expect_xml_name_agrees(const std::string& s) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  std::size_t naive = 0;
  while (naive < s.size()) {
    const char c = s[naive];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '.' || c == '-' || c == ':'))
      break;
    ++naive;
  }
  ASSERT_EQ(od::xml_name_chars_scalar(p, s.size()), naive) << s;
  ASSERT_EQ(od::xml_name_chars(p, s.size()), naive) << s;
  const od::xml_name_run run{naive, std::min(s.find(':'), naive)};
  ASSERT_EQ(od::xml_name_scan_scalar(p, s.size()), run) << s;
  ASSERT_EQ(od::xml_name_scan(p, s.size()), run) << s;
}

TEST(WbxmlKernels, XmlNameCharsEveryByteEverywhere) {
  for (std::size_t size : {0u, 1u, 15u, 16u, 17u, 31u, 32u, 40u})
    for (std::size_t at = 0; at < size; ++at)
      for (int c = 0; c < 256; ++c) {
        std::string s(size, 'N');
        s[at] = static_cast<char>(c);
        expect_xml_name_agrees(s);
      }
  EXPECT_EQ(od::xml_name_chars(reinterpret_cast<const std::uint8_t*>("A:b-c.d_9>"), 10), 9u);
  EXPECT_EQ(od::xml_name_chars(reinterpret_cast<const std::uint8_t*>("Sync xmlns"), 10), 4u);
  const auto qname = [](std::string_view q) {
    return od::xml_name_scan(reinterpret_cast<const std::uint8_t*>(q.data()), q.size());
  };
  EXPECT_EQ(qname("email:To>"), (od::xml_name_run{8, 5}));
  EXPECT_EQ(qname("Sync>"), (od::xml_name_run{4, 4}));
  EXPECT_EQ(qname("abcdefghijklmno:pqrstuvwxyz:A>"), (od::xml_name_run{29, 15}));
  EXPECT_EQ(qname("abcdefghijklmnopqrstuvwxyzABCDEF:G:H "), (od::xml_name_run{36, 32}));
}

TEST(WbxmlKernels, HasNulEverySizeAndPlace) {  // the encoder's STR_I check against memchr
  for (std::size_t size = 0; size <= 80; ++size)
    for (std::size_t at = 0; at <= size; ++at)
      for (const std::uint8_t fill : {0x01, 0x80, 0xFF}) {
        B s(size, fill);
        if (at < size) s[at] = 0;
        if (at + 1 < size) s[at + 1] = 0x80;  // a borrow into the next byte must not count
        ASSERT_EQ(wb::detail::has_nul(s), !s.empty() && std::memchr(s.data(), 0, s.size()))
            << size << " " << at;
      }
}

TEST(WbxmlKernels, XmlNameCharsRandom) {
  std::mt19937 rng(31);
  const std::string alphabet = "aZz_09:.-@[`{/> \t=\x80\xC3";
  for (int round = 0; round < 40000; ++round) {
    std::string s(rng() % 60, 'x');
    const unsigned rate = 1 + rng() % 40;
    for (auto& c : s)
      if (rng() % rate == 0) c = alphabet[rng() % alphabet.size()];
    expect_xml_name_agrees(s);
  }
}

TEST(WbxmlKernels, ForEachMatchesNextOnEveryPrefixAndErrors) {
  const B ex = oxwire_test::spec_example_bytes();
  for (std::size_t n = 0; n <= ex.size(); ++n) expect_same_events(B(ex.begin(), ex.begin() + n));
  // A long text, a string table, legacy tokens, trailing bytes, bad UTF-8 after a long run.
  B long_text{0x03, 0x01, 0x6A, 0x00, 0x45, 0x03};
  long_text.insert(long_text.end(), 300, 'z');
  long_text.insert(long_text.end(), {0xC3, 0xA9, 0x00, 0x01});
  expect_same_events(long_text);
  B bad = long_text;
  bad[200] = 0xC0;
  expect_same_events(bad);
  EXPECT_TRUE(fails_with(events_for_each(bad, {}, od::best_isa()), wb::errc::invalid_utf8, 200));
  expect_same_events({0x03, 0x01, 0x6A, 0x02, 'a', 0x00, 0x45, 0x83, 0x00, 0x01});
  expect_same_events({0x03, 0x01, 0x6A, 0x00, 0x00, 0x03, 0x45, 0x01}, {.accept_legacy = false});
  expect_same_events({0x03, 0x01, 0x6A, 0x00, 0x45, 0x01, 0x45, 0x01});
  expect_same_events({0x00, 0x02, 0x5A, 0x03, '1', 0x00, 0x01, 0x0B}, {.fragment = true});
}

TEST(WbxmlKernels, ForEachMatchesNextOnTheCorpus) {
  OXWIRE_WBXML_CORPUS(files);
  for (const auto& f : files) {
    const auto in = oxwire_test::read_file(f);
    expect_same_events(in, {.fragment = in.empty() || in[0] != 0x03});
  }
}

/// WBXML -> XML from events and through the tree: the same text or the same error.
void expect_same_xml(const B& in, const wb::xml_options& xo = {}, const wb::options& opt = {}) {
  const auto streamed = wb::to_xml(in, xo, opt);
  auto doc = wb::decode(in, opt);
  const auto treed = doc ? wb::to_xml(*doc, xo) : oxwire::result<std::string>(doc.error());
  ASSERT_EQ(streamed.has_value(), treed.has_value());
  if (streamed)
    EXPECT_EQ(*streamed, *treed);
  else
    EXPECT_EQ(streamed.error(), treed.error());
}

TEST(WbxmlKernels, XmlFromEventsMatchesXmlFromTheTree) {
  const B ex = oxwire_test::spec_example_bytes();
  for (std::size_t n = 0; n <= ex.size(); ++n) expect_same_xml(B(ex.begin(), ex.begin() + n));
  expect_same_xml(ex, {.declaration = false, .namespace_colon = false});
  // Several top-level elements: each carries the declarations.
  const B frag{0x00, 0x02, 0x5A, 0x03, '1',  0x00, 0x01, 0x00,
               0x00, 0x4B, 0x01, 0x00, 0x11, 0x4A, 0x01};
  expect_same_xml(frag, {}, {.fragment = true});
  auto xml = wb::to_xml(frag, {.declaration = false}, {.fragment = true});
  ASSERT_TRUE(xml) << xml.error().message();
  std::size_t roots = 0;
  for (std::size_t at = 0; (at = xml->find(" xmlns=\"Email:\" xmlns:airsync=\"AirSync:\" "
                                           "xmlns:airsyncbase=\"AirSyncBase:\"",
                                           at)) != std::string::npos;
       ++at)
    ++roots;
  EXPECT_EQ(roots, 3u) << *xml;
}

TEST(WbxmlKernels, XmlErrorThenDecodingErrorGivesTheDecodingError) {
  // Text with a control character (an XML error at 5), then trailing bytes (a decoding error).
  const B in{0x03, 0x01, 0x6A, 0x00, 0x45, 0x03, 0x01, 0x00, 0x01, 0x45};
  EXPECT_TRUE(fails_with(wb::to_xml(in), wb::errc::trailing_bytes, 9));
  const B only_xml{0x03, 0x01, 0x6A, 0x00, 0x45, 0x03, 0x01, 0x00, 0x01};
  EXPECT_TRUE(fails_with(wb::to_xml(only_xml), wb::errc::not_xml_char, 5));
  expect_same_xml(in);
  expect_same_xml(only_xml);
}

TEST(WbxmlKernels, XmlOfALargeDocumentGrowsTheBuffer) {
  wb::document d;
  const auto root = d.add_element(wb::document::npos, 0, 0x05);  // Sync
  for (int i = 0; i < 3000; ++i)
    d.add_text(d.add_element(root, 2, 0x14), std::string(i % 50, '<'));  // Email Subject
  const auto bytes = wb::encode(d).value();
  expect_same_xml(bytes);
  expect_same_xml(bytes, {.indent = true});
}

TEST(WbxmlKernels, XmlFromEventsMatchesOnTheCorpus) {
  OXWIRE_WBXML_CORPUS(files);
  for (const auto& f : files) {
    const auto in = oxwire_test::read_file(f);
    expect_same_xml(in, {}, {.fragment = in.empty() || in[0] != 0x03});
  }
}

}  // namespace test_kernels
