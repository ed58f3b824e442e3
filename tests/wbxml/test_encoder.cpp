// WBXML encoder: the MS-ASWBXML example byte for byte from a tree built by hand, canonical round
// trips (decode -> encode gives the input), event and tree paths agree, mb_u_int32 lengths, errors.
#include <oxwire/wbxml.hpp>
#include <oxwire_test/assertions.hpp>
#include <oxwire_test/requirements.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "spec_example.hpp"
#include "wbxml_test.hpp"

namespace test_encoder {

namespace wb = oxwire::wbxml;
using oxwire_test::fails_with;
using B = std::vector<std::uint8_t>;
using wb::document;
using wb::errc;

/// Adds <name>text</name> under parent, the tag looked up by name on `page`.
std::uint32_t leaf(document& d, std::uint32_t parent, std::uint8_t page, std::string_view name,
                   std::string_view text) {
  const auto e = d.add_element(parent, page, *wb::find_token(page, name));
  d.add_text(e, text);
  return e;
}
std::uint32_t elem(document& d, std::uint32_t parent, std::uint8_t page, std::string_view name) {
  return d.add_element(parent, page, *wb::find_token(page, name));
}

/// The MS-ASWBXML example's XML as a tree (AirSync 0, Contacts 1, AirSyncBase 17).
document spec_example_tree() {
  document d;
  const auto sync = elem(d, document::npos, 0, "Sync");
  const auto coll = elem(d, elem(d, sync, 0, "Collections"), 0, "Collection");
  leaf(d, coll, 0, "Class", "Contacts");
  leaf(d, coll, 0, "SyncKey", "2");
  leaf(d, coll, 0, "CollectionId", "2");
  leaf(d, coll, 0, "Status", "1");
  const auto add = elem(d, elem(d, coll, 0, "Commands"), 0, "Add");
  leaf(d, add, 0, "ServerId", "2:1");
  const auto data = elem(d, add, 0, "ApplicationData");
  const auto bodyel = elem(d, data, 17, "Body");
  leaf(d, bodyel, 17, "Type", "1");
  leaf(d, bodyel, 17, "EstimatedDataSize", "0");
  leaf(d, bodyel, 17, "Truncated", "1");
  leaf(d, data, 1, "FileAs", "Funk, Don");
  leaf(d, data, 1, "FirstName", "Don");
  leaf(d, data, 1, "LastName", "Funk");
  leaf(d, data, 17, "NativeBodyType", "1");
  return d;
}

TEST(WbxmlEncoder, SpecExampleByteForByte) {
  OXWIRE_REQ("MS-ASWBXML_R6", "MS-ASWBXML_R801", "MS-ASWBXML_R802", "MS-ASWBXML_R804",
             "MS-ASWBXML_R655", "MS-ASWBXML_R10", "MS-ASWBXML_R11", "MS-ASWBXML_R27");
  auto out = wb::encode(spec_example_tree());
  ASSERT_TRUE(out) << out.error().message();
  const auto& prefix = oxwire_test::spec_example_prefix;
  ASSERT_GE(out->size(), prefix.size());
  EXPECT_TRUE(std::equal(prefix.begin(), prefix.end(), out->begin()));  // the spec's own bytes
  EXPECT_EQ(*out, oxwire_test::spec_example_bytes());
}

TEST(WbxmlEncoder, FolderSyncRequest) {
  // MS-ASHTTP 4.1 / MS-ASCMD 4.4.1: <FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey>
  std::vector<std::uint8_t> out;
  oxwire::vector_writer w(out);
  wb::basic_encoder enc(w);
  ASSERT_TRUE(enc.header());
  ASSERT_TRUE(enc.start(0x07, 0x16, true));
  ASSERT_TRUE(enc.start(0x07, 0x12, true));
  ASSERT_TRUE(enc.text("0"));
  ASSERT_TRUE(enc.end());
  ASSERT_TRUE(enc.end());
  EXPECT_EQ(enc.depth(), 0u);
  EXPECT_EQ(out, (B{0x03, 0x01, 0x6A, 0x00, 0x00, 0x07, 0x56, 0x52, 0x03, 0x30, 0x00, 0x01, 0x01}));
}

TEST(WbxmlEncoder, TextElementIsStartTextEndInOneWrite) {
  // <FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync> again, the SyncKey
  // in one call: the same bytes, SWITCH_PAGE included when the page changes.
  std::vector<std::uint8_t> out;
  oxwire::vector_writer w(out);
  wb::basic_encoder enc(w);
  ASSERT_TRUE(enc.header());
  ASSERT_TRUE(enc.start(0x07, 0x16, true));
  ASSERT_TRUE(enc.text_element(0x07, 0x12, "0"));
  EXPECT_EQ(enc.depth(), 1u);
  ASSERT_TRUE(enc.text_element(0x00, 0x0B, std::string_view("")));  // AirSync SyncKey, empty
  ASSERT_TRUE(enc.end());
  EXPECT_EQ(out, (B{0x03, 0x01, 0x6A, 0x00, 0x00, 0x07, 0x56, 0x52, 0x03, 0x30, 0x00, 0x01, 0x00,
                    0x00, 0x4B, 0x03, 0x00, 0x01, 0x01}));
  std::vector<std::uint8_t> ref;
  oxwire::vector_writer rw(ref);
  wb::basic_encoder r(rw);
  ASSERT_TRUE(r.header() && r.start(0x07, 0x16, true) && r.start(0x07, 0x12, true) && r.text("0") &&
              r.end() && r.start(0x00, 0x0B, true) && r.text("") && r.end() && r.end());
  EXPECT_EQ(out, ref);
  // Errors as start and text give them, at the output offset; nothing written.
  EXPECT_TRUE(fails_with(enc.text_element(26, 0x05, "x"), errc::unknown_code_page, 19));
  EXPECT_TRUE(fails_with(enc.text_element(0, 0x2A, "x"), errc::unknown_token, 19));
  EXPECT_TRUE(fails_with(enc.text_element(0, 0x0B, std::string_view("a\0b", 3)),
                         oxwire::errc::invalid_argument, 19));
  EXPECT_EQ(out.size(), 19u);
  // A fixed buffer: the whole element fits or nothing is written.
  std::array<std::uint8_t, 6> small{};
  oxwire::writer fw(small);
  wb::basic_encoder fe(fw);
  ASSERT_TRUE(fe.text_element(0x00, 0x0B, "ab"));  // 4B 03 61 62 00 01
  EXPECT_TRUE(fails_with(fe.text_element(0x00, 0x0B, ""), oxwire::errc::buffer_too_small, 6));
  EXPECT_EQ(fw.size(), 6u);
  EXPECT_EQ(B(small.begin(), small.end()), (B{0x4B, 0x03, 0x61, 0x62, 0x00, 0x01}));
}

TEST(WbxmlEncoder, DecodeEncodeIsIdentityOnCanonicalInput) {
  const B in = oxwire_test::spec_example_bytes();
  auto doc = wb::decode(in);
  ASSERT_TRUE(doc);
  auto out = wb::encode(*doc);
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, in);
  // An element sent with the content bit and no content keeps it.
  const B empty{0x03, 0x01, 0x6A, 0x00, 0x45, 0x4B, 0x01, 0x0B, 0x01};
  auto d2 = wb::decode(empty);
  ASSERT_TRUE(d2);
  EXPECT_EQ(wb::encode(*d2).value(), empty);
}

TEST(WbxmlEncoder, EventsAndTreeGiveTheSameBytes) {
  const B in = oxwire_test::spec_example_bytes();
  auto tok = wb::tokenizer::create(in);
  ASSERT_TRUE(tok);
  std::vector<std::uint8_t> out;
  oxwire::vector_writer w(out);
  wb::basic_encoder enc(w);
  ASSERT_TRUE(enc.header());
  for (;;) {
    auto ev = tok->next();
    ASSERT_TRUE(ev);
    ASSERT_TRUE(enc.write(*ev));
    if (ev->kind == wb::event_kind::eof) break;
  }
  EXPECT_EQ(out, in);
}

TEST(WbxmlEncoder, StringTableInputBecomesInlineStrings) {
  const B in{0x03, 0x01, 0x6A, 0x03, 'a', 'b', 0x00, 0x45, 0x83, 0x01, 0x01};
  auto doc = wb::decode(in);
  ASSERT_TRUE(doc);
  EXPECT_EQ(wb::encode(*doc).value(), (B{0x03, 0x01, 0x6A, 0x00, 0x45, 0x03, 'b', 0x00, 0x01}));
}

TEST(WbxmlEncoder, OpaqueLengthIsTheShortestMbUint32) {
  OXWIRE_REQ("MS-ASWBXML_R819");
  for (const auto& [len, mb] :
       std::vector<std::pair<std::size_t, B>>{{0, {0x00}},
                                              {127, {0x7F}},
                                              {128, {0x81, 0x00}},
                                              {16383, {0xFF, 0x7F}},
                                              {16384, {0x81, 0x80, 0x00}}}) {
    document d;
    d.add_opaque(d.add_element(document::npos, 0x15, 0x10), B(len, 0xAB));  // ComposeMail Mime
    auto out = wb::encode(d);
    ASSERT_TRUE(out);
    B want{0x03, 0x01, 0x6A, 0x00, 0x00, 0x15, 0x50, 0xC3};
    want.insert(want.end(), mb.begin(), mb.end());
    ASSERT_EQ(out->size(), want.size() + len + 1);
    EXPECT_TRUE(std::equal(want.begin(), want.end(), out->begin())) << len;
    auto back = wb::decode(*out);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->node_at(1).data.size(), len);
  }
}

TEST(WbxmlEncoder, HeaderOptionsAndFragments) {
  document d;
  d.add_element(document::npos, 0, 0x05);
  d.add_element(document::npos, 2, 0x14);
  EXPECT_EQ(wb::encode(d, {.header = false}).value(), (B{0x05, 0x00, 0x02, 0x14}));
  EXPECT_EQ(wb::encode(d, {.version = 0x02, .public_id = 200}).value(),
            (B{0x02, 0x81, 0x48, 0x6A, 0x00, 0x05, 0x00, 0x02, 0x14}));
}

TEST(WbxmlEncoder, Errors) {
  std::vector<std::uint8_t> out;
  oxwire::vector_writer w(out);
  wb::basic_encoder enc(w);
  EXPECT_TRUE(fails_with(enc.end(), errc::end_without_start, 0));
  EXPECT_TRUE(fails_with(enc.start(26, 0x05, false), errc::unknown_code_page, 0));
  EXPECT_TRUE(fails_with(enc.start(0, 0x2A, false), errc::unknown_token, 0));
  EXPECT_TRUE(fails_with(enc.start(0, 0x04, false), errc::unknown_token, 0));
  EXPECT_TRUE(fails_with(enc.start(0, 0x45, false), errc::unknown_token, 0));
  ASSERT_TRUE(enc.start(0, 0x05, true));
  EXPECT_TRUE(oxwire_test::fails_with(enc.text(std::string_view("a\0b", 3)),
                                      oxwire::errc::invalid_argument, 1));
  // A fixed buffer that is full.
  std::array<std::uint8_t, 5> small{};
  oxwire::writer fw(small);
  EXPECT_TRUE(oxwire_test::fails_with(wb::encode(spec_example_tree(), fw),
                                      oxwire::errc::buffer_too_small, 5));
}

// Every corpus body without a string table re-encodes to its own bytes.
TEST(WbxmlCorpus, CanonicalBodiesReencodeByteForByte) {
  OXWIRE_WBXML_CORPUS(files);
  std::size_t checked = 0;
  for (const auto& f : files) {
    const auto in = oxwire_test::read_file(f);
    const bool headerless = in.empty() || in[0] != 0x03;
    auto doc = wb::decode(in, {.fragment = headerless});
    ASSERT_TRUE(doc) << f;
    if (!doc->header.string_table.empty()) continue;
    auto out = wb::encode(*doc, {.header = !headerless});
    ASSERT_TRUE(out) << f;
    EXPECT_EQ(*out, in) << f;
    ++checked;
  }
  EXPECT_GE(checked, 100u);
}

}  // namespace test_encoder
