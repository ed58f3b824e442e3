// WBXML tokenizer and tree: header forms, every code-page token, the MS-ASWBXML example, every
// error condition with its offset, fragments, and the ActiveSync corpus.
#include <oxwire/wbxml.hpp>
#include <oxwire_test/assertions.hpp>
#include <oxwire_test/requirements.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "spec_example.hpp"
#include "wbxml_test.hpp"

namespace test_tokenizer {

namespace wb = oxwire::wbxml;
using oxwire_test::events_of;
using oxwire_test::fails_with;
using B = std::vector<std::uint8_t>;
using wb::errc;
using wb::event_kind;

/// Tokenizes to the end; the first error, or the number of events.
oxwire::result<std::size_t> run(const B& in, const wb::options& opt = {}) {
  auto ev = events_of(in, opt);
  if (!ev) return ev.error();
  return ev->size();
}

B body(std::initializer_list<std::uint8_t> b) {  // 03 01 6A 00 + body
  B v{0x03, 0x01, 0x6A, 0x00};
  for (const std::uint8_t x : b) v.push_back(x);
  return v;
}

TEST(WbxmlTokenizer, ActiveSyncHeader) {
  OXWIRE_REQ("MS-ASWBXML_R6", "MS-ASWBXML_R802");
  const B in = body({0x4D, 0x01});  // AirSync ServerId with content, END
  auto tok = wb::tokenizer::create(in);
  ASSERT_TRUE(tok);
  EXPECT_EQ(tok->header().version, 0x03);
  EXPECT_EQ(tok->header().public_id, 0x01u);
  EXPECT_FALSE(tok->header().public_id_in_string_table);
  EXPECT_EQ(tok->header().charset, 106u);
  EXPECT_TRUE(tok->header().string_table.empty());
  EXPECT_EQ(tok->header().size, 4u);
  auto a = tok->next();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->kind, event_kind::start);
  EXPECT_EQ(a->token, 0x0D);
  EXPECT_TRUE(a->has_content);
  EXPECT_EQ(a->offset, 4u);
  auto b = tok->next();
  ASSERT_TRUE(b);
  EXPECT_EQ(b->kind, event_kind::end);
  EXPECT_EQ(b->offset, 5u);
  for (int i = 0; i < 2; ++i) {  // eof, and eof again
    auto e = tok->next();
    ASSERT_TRUE(e);
    EXPECT_EQ(e->kind, event_kind::eof);
    EXPECT_EQ(e->offset, 6u);
  }
}

TEST(WbxmlTokenizer, PublicIdAsStringTableIndexAndStrT) {
  OXWIRE_REQ("MS-ASWBXML_R814");
  // publicid 0 + index 3, charset 106, table "ab\0-//X\0", Sync { STR_T 0 STR_T 1 } (libwbxml)
  const B in{0x03, 0x00, 0x03, 0x6A, 0x08, 'a',  'b',  0x00, '-', '/',
             '/',  'X',  0x00, 0x45, 0x83, 0x00, 0x83, 0x01, 0x01};
  auto tok = wb::tokenizer::create(in);
  ASSERT_TRUE(tok);
  EXPECT_EQ(tok->header().public_id, 0u);
  EXPECT_TRUE(tok->header().public_id_in_string_table);
  EXPECT_EQ(oxwire::as_chars(tok->header().public_id_string), "-//X");
  EXPECT_EQ(tok->header().string_table_offset, 5u);
  auto ev = events_of(in);
  ASSERT_TRUE(ev) << ev.error().message();
  ASSERT_EQ(ev->size(), 4u);
  EXPECT_EQ((*ev)[1].data, "ab");
  EXPECT_EQ((*ev)[2].data, "b");  // an index into the middle of a string is allowed
}

TEST(WbxmlTokenizer, SpecExampleEvents) {
  OXWIRE_REQ("MS-ASWBXML_R801", "MS-ASWBXML_R802", "MS-ASWBXML_R804", "MS-ASWBXML_R655",
             "MS-ASWBXML_R10", "MS-ASWBXML_R11", "MS-ASWBXML_R27");
  const B in = oxwire_test::spec_example_bytes();
  ASSERT_TRUE(std::equal(oxwire_test::spec_example_prefix.begin(),
                         oxwire_test::spec_example_prefix.end(), in.begin()));
  auto tok = wb::tokenizer::create(in);
  ASSERT_TRUE(tok);
  std::string names;
  for (;;) {
    auto ev = tok->next();
    ASSERT_TRUE(ev) << ev.error().message();
    if (ev->kind == event_kind::eof) break;
    if (ev->kind == event_kind::start) {
      const auto tag = wb::find_tag(ev->page, ev->token);
      ASSERT_TRUE(tag);
      names.append(tag->ns).append(":").append(tag->name).append(" ");
    } else if (ev->kind == event_kind::text) {
      names.append("\"").append(oxwire::as_chars(ev->data)).append("\" ");
    } else {
      names += "/ ";
    }
  }
  EXPECT_EQ(
      names,
      "AirSync:Sync AirSync:Collections AirSync:Collection AirSync:Class \"Contacts\" / "
      "AirSync:SyncKey \"2\" / AirSync:CollectionId \"2\" / AirSync:Status \"1\" / "
      "AirSync:Commands AirSync:Add AirSync:ServerId \"2:1\" / AirSync:ApplicationData "
      "AirSyncBase:Body AirSyncBase:Type \"1\" / AirSyncBase:EstimatedDataSize \"0\" / "
      "AirSyncBase:Truncated \"1\" / / Contacts:FileAs \"Funk, Don\" / Contacts:FirstName "
      "\"Don\" / Contacts:LastName \"Funk\" / AirSyncBase:NativeBodyType \"1\" / / / / / / / ");
}

/// specs/activesync/wbxml-codepages.json, one row per line: (codepage, token, tag, req_id).
struct spec_row {
  int codepage = -1, token = -1;
  std::string tag, req_id;
};
std::vector<spec_row> spec_rows() {
  std::ifstream f(std::filesystem::path(__FILE__).parent_path() /
                  "../../specs/activesync/wbxml-codepages.json");
  std::vector<spec_row> rows;
  auto field = [](const std::string& line, const std::string& key) {
    const auto at = line.find("\"" + key + "\":");
    if (at == std::string::npos) return std::string();
    auto from = at + key.size() + 3;
    if (line[from] == '"') ++from;
    return line.substr(from, line.find_first_of("\",", from) - from);
  };
  for (std::string line; std::getline(f, line);)
    if (line.rfind("{\"codepage\":", 0) == 0)
      rows.push_back({std::stoi(field(line, "codepage")), std::stoi(field(line, "token")),
                      field(line, "tag"), field(line, "req_id")});
  return rows;
}

TEST(WbxmlTokenizer, EveryTokenOfEveryCodePageRoundTrips) {
  OXWIRE_REQ("MS-ASWBXML_R8", "MS-ASWBXML_R10", "MS-ASWBXML_R11", "MS-ASWBXML_R12",
             "MS-ASWBXML_R14", "MS-ASWBXML_R15", "MS-ASWBXML_R16", "MS-ASWBXML_R17",
             "MS-ASWBXML_R18", "MS-ASWBXML_R19", "MS-ASWBXML_R20", "MS-ASWBXML_R21",
             "MS-ASWBXML_R22", "MS-ASWBXML_R23", "MS-ASWBXML_R24", "MS-ASWBXML_R25",
             "MS-ASWBXML_R26", "MS-ASWBXML_R27", "MS-ASWBXML_R28", "MS-ASWBXML_R29",
             "MS-ASWBXML_R30", "MS-ASWBXML_R31", "MS-ASWBXML_R32", "MS-ASWBXML_R33",
             "MS-ASWBXML_R34", "MS-ASWBXML_R3400");
  // The spec table itself (not the generated header): every row is found by (page, token).
  const auto rows = spec_rows();
  ASSERT_EQ(rows.size(), oxwire::gen::activesync::wbxml_tags.size());
  std::string ids;
  for (const auto& r : rows) {
    const auto tag =
        wb::find_tag(static_cast<std::uint8_t>(r.codepage), static_cast<std::uint8_t>(r.token));
    ASSERT_TRUE(tag) << r.tag;
    EXPECT_EQ(tag->name, r.tag);
    EXPECT_FALSE(tag->legacy);
    EXPECT_EQ(wb::find_token(static_cast<std::uint8_t>(r.codepage), r.tag), r.token);
    EXPECT_TRUE(oxwire_test::is_req_id(r.req_id)) << r.req_id;
    ids += (ids.empty() ? "" : " ") + r.req_id;
  }
  ::testing::Test::RecordProperty("requirements_table_rows", ids);  // for human readers

  // Every spec and legacy token, with and without content, nested under a root of page 0.
  std::vector<std::pair<std::uint8_t, std::uint8_t>> all;
  for (const auto& r : oxwire::gen::activesync::wbxml_tags) all.emplace_back(r.codepage, r.token);
  for (const auto& r : oxwire::gen::activesync::wbxml_legacy_tags)
    all.emplace_back(r.codepage, r.token);
  std::vector<std::uint8_t> out;
  oxwire::vector_writer w(out);
  wb::basic_encoder enc(w);
  ASSERT_TRUE(enc.header());
  ASSERT_TRUE(enc.start(0, 0x05, true));
  for (const auto& [page, tok] : all) {
    ASSERT_TRUE(enc.start(page, tok, false));
    ASSERT_TRUE(enc.start(page, tok, true));
    ASSERT_TRUE(enc.text("x"));
    ASSERT_TRUE(enc.end());
  }
  ASSERT_TRUE(enc.end());
  auto ev = events_of(out);
  ASSERT_TRUE(ev) << ev.error().message();
  ASSERT_EQ(ev->size(), 2 + 4 * all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto& e0 = (*ev)[1 + 4 * i];
    const auto& e1 = (*ev)[2 + 4 * i];
    const bool legacy = i >= oxwire::gen::activesync::wbxml_tags.size();
    EXPECT_EQ(e0.page, all[i].first);
    EXPECT_EQ(e0.token, all[i].second);
    EXPECT_FALSE(e0.has_content);
    EXPECT_EQ(e0.legacy, legacy);
    EXPECT_TRUE(e1.has_content);
    EXPECT_EQ(e1.token, all[i].second);
    EXPECT_EQ((*ev)[3 + 4 * i].data, "x");
  }
}

TEST(WbxmlTokenizer, LegacyTokensAreFlaggedOrRejected) {
  const B in = body({0x00, 0x03, 0x45, 0x01});  // AirNotify Notify (legacy page 3)
  auto ev = events_of(in);
  ASSERT_TRUE(ev);
  EXPECT_TRUE((*ev)[0].legacy);
  EXPECT_TRUE(fails_with(run(in, {.accept_legacy = false}), errc::unknown_token, 6));
}

TEST(WbxmlTokenizer, OpaqueData) {
  OXWIRE_REQ("MS-ASWBXML_R819", "MS-ASWBXML_R655");
  const B in = body({0x00, 0x15, 0x50, 0xC3, 0x03, 0x00, 0xFF, 0x01, 0x01});  // ComposeMail Mime
  auto ev = events_of(in);
  ASSERT_TRUE(ev) << ev.error().message();
  ASSERT_EQ(ev->size(), 3u);
  EXPECT_EQ((*ev)[1].kind, event_kind::opaque);
  EXPECT_EQ((*ev)[1].data, std::string("\x00\xFF\x01", 3));
}

TEST(WbxmlTokenizer, TextIsNotValidatedWhenAskedNotTo) {
  const B in = body({0x45, 0x03, 0xC0, 0x00, 0x01});
  EXPECT_TRUE(fails_with(run(in), errc::invalid_utf8, 6));
  EXPECT_TRUE(run(in, {.validate_utf8 = false}));
}

TEST(WbxmlTokenizer, DepthLimit) {
  const B in = body({0x45, 0x5C, 0x4F, 0x01, 0x01, 0x01});
  EXPECT_TRUE(run(in, {.max_depth = 3}));
  EXPECT_TRUE(fails_with(run(in, {.max_depth = 2}), errc::nesting_too_deep, 6));
}

TEST(WbxmlTokenizer, Fragments) {
  // Horde fixtures: no header, several top-level elements, page 0 first.
  const B in{0x00, 0x02, 0x5A, 0x03, '1', 0x00, 0x01, 0x0B, 0x00, 0x00, 0x4B, 0x01};
  auto ev = events_of(in, {.fragment = true});
  ASSERT_TRUE(ev) << ev.error().message();
  EXPECT_EQ(ev->size(), 6u);
  EXPECT_EQ((*ev)[0].page, 2);
  EXPECT_EQ((*ev)[3].page, 2);
  EXPECT_EQ((*ev)[4].page, 0);
  EXPECT_TRUE(run({}, {.fragment = true}));
  EXPECT_TRUE(fails_with(run({0x45}, {.fragment = true}), errc::truncated_body, 1));
  EXPECT_TRUE(
      fails_with(run({0x03, 'a', 0x00}, {.fragment = true}), errc::content_outside_element, 0));
}

// Every error condition, at its offset.
TEST(WbxmlTokenizer, TruncatedHeader) {
  EXPECT_TRUE(fails_with(run({}), errc::truncated_header, 0));
  EXPECT_TRUE(fails_with(run({0x03}), errc::truncated_header, 1));
  EXPECT_TRUE(fails_with(run({0x03, 0x00}), errc::truncated_header, 2));  // publicid index
  EXPECT_TRUE(fails_with(run({0x03, 0x01}), errc::truncated_header, 2));
  EXPECT_TRUE(fails_with(run({0x03, 0x01, 0x6A}), errc::truncated_header, 3));
  EXPECT_TRUE(fails_with(run({0x03, 0x01, 0x6A, 0x05, 'a'}), errc::truncated_header, 4));
  EXPECT_TRUE(fails_with(run({0x03, 0x01, 0x6A, 0x81}), errc::truncated_header, 3));
}

TEST(WbxmlTokenizer, VersionAndCharset) {
  EXPECT_TRUE(fails_with(run({0x13, 0x01, 0x6A, 0x00, 0x05}), errc::unsupported_version, 0));
  EXPECT_TRUE(fails_with(run({0x03, 0x01, 0x04, 0x00, 0x05}), errc::unsupported_charset, 2));
  EXPECT_TRUE(fails_with(run({0x03, 0x00, 0x00, 0x00, 0x00, 0x05}), errc::unsupported_charset, 3));
  EXPECT_TRUE(run({0x02, 0x01, 0x6A, 0x00, 0x05}));  // WBXML 1.2: same layout
}

TEST(WbxmlTokenizer, MbUint32Limits) {
  EXPECT_TRUE(
      fails_with(run({0x03, 0x80, 0x80, 0x80, 0x80, 0x81, 0x01}), errc::mb_uint32_too_long, 1));
  EXPECT_TRUE(fails_with(run({0x03, 0x90, 0x80, 0x80, 0x80, 0x00}), errc::mb_uint32_overflow, 1));
  // 0xFFFFFFFF is the largest value: an OPAQUE that long is past the end, not an overflow.
  EXPECT_TRUE(fails_with(run(body({0x45, 0xC3, 0x8F, 0xFF, 0xFF, 0xFF, 0x7F})),
                         errc::opaque_length_past_end, 6));
  EXPECT_TRUE(fails_with(run(body({0x45, 0xC3, 0x80, 0x80, 0x80, 0x80, 0x80})),
                         errc::mb_uint32_too_long, 6));
  EXPECT_TRUE(run(body({0x45, 0xC3, 0x80, 0x80, 0x00, 0x01})));  // leading zero groups are valid
}

TEST(WbxmlTokenizer, TruncatedStrings) {
  EXPECT_TRUE(fails_with(run(body({0x45, 0x03, 'a'})), errc::truncated_string, 6));
  EXPECT_TRUE(
      fails_with(run({0x03, 0x01, 0x6A, 0x02, 'a', 0x00, 0x45, 0x83}), errc::truncated_string, 8));
  EXPECT_TRUE(fails_with(run({0x03, 0x01, 0x6A, 0x02, 'a', 'b', 0x45, 0x83, 0x00, 0x01}),
                         errc::truncated_string, 4));  // table string without its NUL
  EXPECT_TRUE(fails_with(run({0x03, 0x00, 0x00, 0x6A, 0x01, 'a', 0x05}), errc::truncated_string,
                         5));  // public id string without its NUL
}

TEST(WbxmlTokenizer, TruncatedOpaqueAndLengthPastEnd) {
  EXPECT_TRUE(fails_with(run(body({0x45, 0xC3})), errc::truncated_opaque, 6));
  EXPECT_TRUE(fails_with(run(body({0x45, 0xC3, 0x81})), errc::truncated_opaque, 6));
  EXPECT_TRUE(
      fails_with(run(body({0x45, 0xC3, 0x05, 'a', 0x01})), errc::opaque_length_past_end, 6));
}

TEST(WbxmlTokenizer, TruncatedBody) {
  EXPECT_TRUE(fails_with(run(body({})), errc::truncated_body, 4));
  EXPECT_TRUE(fails_with(run(body({0x45, 0x5C, 0x01})), errc::truncated_body, 7));
  EXPECT_TRUE(fails_with(run(body({0x45, 0x00})), errc::truncated_body, 6));
}

TEST(WbxmlTokenizer, UnknownCodePageAndToken) {
  OXWIRE_REQ("MS-ASWBXML_R8");
  EXPECT_TRUE(fails_with(run(body({0x00, 0x1A, 0x45, 0x01})), errc::unknown_code_page, 5));
  EXPECT_TRUE(fails_with(run(body({0x6A, 0x01})), errc::unknown_token, 4));  // AirSync 0x2A
  EXPECT_TRUE(fails_with(run(body({0x45, 0x00, 0x03, 0x3F, 0x01})), errc::unknown_token, 7));
}

TEST(WbxmlTokenizer, EndWithoutStart) {
  EXPECT_TRUE(fails_with(run(body({0x01})), errc::end_without_start, 4));
}

TEST(WbxmlTokenizer, InvalidUtf8) {
  EXPECT_TRUE(
      fails_with(run(body({0x45, 0x03, 'a', 0xC0, 0xAF, 0x00, 0x01})), errc::invalid_utf8, 7));
  EXPECT_TRUE(fails_with(run(body({0x45, 0x03, 0xED, 0xA0, 0x80, 0x00, 0x01})), errc::invalid_utf8,
                         6));  // surrogate
  // A string-table string: the offset is where the bad byte sits in the table.
  EXPECT_TRUE(fails_with(run({0x03, 0x01, 0x6A, 0x03, 'a', 0xFF, 0x00, 0x45, 0x83, 0x00, 0x01}),
                         errc::invalid_utf8, 5));
}

TEST(WbxmlTokenizer, StringTableOffsetOutOfRange) {
  EXPECT_TRUE(fails_with(run({0x03, 0x01, 0x6A, 0x02, 'a', 0x00, 0x45, 0x83, 0x02, 0x01}),
                         errc::string_table_offset_out_of_range, 8));
  EXPECT_TRUE(fails_with(run({0x03, 0x00, 0x07, 0x6A, 0x00, 0x05}),
                         errc::string_table_offset_out_of_range, 2));
}

TEST(WbxmlTokenizer, AttributesAreNotSupported) {
  OXWIRE_REQ("MS-ASWBXML_R656");
  EXPECT_TRUE(fails_with(run(body({0xC5, 0x01, 0x01})), errc::attributes_not_supported, 4));
  EXPECT_TRUE(fails_with(run(body({0x85, 0x01})), errc::attributes_not_supported, 4));
}

TEST(WbxmlTokenizer, UnsupportedGlobalTokens) {
  OXWIRE_REQ("MS-ASWBXML_R656", "MS-ASWBXML_R803", "MS-ASWBXML_R805", "MS-ASWBXML_R806",
             "MS-ASWBXML_R807", "MS-ASWBXML_R808", "MS-ASWBXML_R809", "MS-ASWBXML_R810",
             "MS-ASWBXML_R811", "MS-ASWBXML_R812", "MS-ASWBXML_R813", "MS-ASWBXML_R815",
             "MS-ASWBXML_R816", "MS-ASWBXML_R817", "MS-ASWBXML_R818", "MS-ASWBXML_R820");
  for (const std::uint8_t t :
       {0x02, 0x04, 0x40, 0x41, 0x42, 0x43, 0x44, 0x80, 0x81, 0x82, 0x84, 0xC0, 0xC1, 0xC2, 0xC4})
    EXPECT_TRUE(fails_with(run(body({0x45, t, 0x00, 0x01})), errc::unsupported_global_token, 5))
        << int(t);
}

TEST(WbxmlTokenizer, ContentOutsideElement) {
  EXPECT_TRUE(fails_with(run(body({0x03, 'a', 0x00, 0x05})), errc::content_outside_element, 4));
  EXPECT_TRUE(fails_with(run(body({0xC3, 0x00, 0x05})), errc::content_outside_element, 4));
  EXPECT_TRUE(fails_with(run({0x03, 0x01, 0x6A, 0x02, 'a', 0x00, 0x83, 0x00, 0x05}),
                         errc::content_outside_element, 6));
}

TEST(WbxmlTokenizer, TrailingBytes) {
  EXPECT_TRUE(fails_with(run(body({0x45, 0x01, 0x45, 0x01})), errc::trailing_bytes, 6));
  EXPECT_TRUE(fails_with(run(body({0x05, 0x05})), errc::trailing_bytes, 5));
  EXPECT_TRUE(fails_with(run(body({0x05, 0x00, 0x01})), errc::trailing_bytes, 5));
}

TEST(WbxmlTree, DecodeBuildsTheTree) {
  auto doc = wb::decode(oxwire_test::spec_example_bytes());
  ASSERT_TRUE(doc) << doc.error().message();
  const auto nodes = doc->nodes();
  EXPECT_EQ(nodes.size(), 31u);  // 19 elements + 12 strings
  EXPECT_EQ(nodes[0].token, 0x05);
  EXPECT_EQ(nodes[0].parent, wb::document::npos);
  EXPECT_EQ(nodes[0].next_sibling, wb::document::npos);
  const auto& collections = nodes[nodes[0].first_child];
  EXPECT_EQ(collections.token, 0x1C);
  EXPECT_EQ(collections.offset, 5u);
  // Errors come through from the tokenizer.
  EXPECT_TRUE(fails_with(wb::decode(body({0x45, 0x5C, 0x01})), errc::truncated_body, 7));
}

// Every WBXML file of ../shared/corpus/activesync decodes; headerless Horde fixtures as fragments.
TEST(WbxmlCorpus, EveryFileDecodes) {
  OXWIRE_WBXML_CORPUS(files);
  ASSERT_GT(files.size(), 100u);
  std::size_t with_table = 0;
  for (const auto& f : files) {
    const auto in = oxwire_test::read_file(f);
    const bool headerless = in.empty() || in[0] != 0x03;
    auto doc = wb::decode(in, {.fragment = headerless});
    EXPECT_TRUE(doc) << f << ": " << doc.error().message();
    if (doc && !doc->header.string_table.empty()) ++with_table;
  }
  EXPECT_GE(with_table, 3u);  // syncgw-mimedata uses string tables
}

}  // namespace test_tokenizer
