// WBXML -> XML text: the MS-ASWBXML example's XML, namespaces and prefixes, escaping, opaque as
// base64, indentation, errors.
#include <oxwire/wbxml.hpp>
#include <oxwire_test/assertions.hpp>
#include <oxwire_test/requirements.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "spec_example.hpp"
#include "wbxml_test.hpp"

namespace test_xml {

namespace wb = oxwire::wbxml;
using oxwire_test::fails_with;
using B = std::vector<std::uint8_t>;
using wb::document;
using wb::errc;

/// XML without the whitespace between tags (the spec page shows its XML on one line).
std::string squeeze(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ' ' && i > 0 && s[i - 1] == '>' && i + 1 < s.size() && s[i + 1] == '<') continue;
    out += s[i];
  }
  return out;
}

TEST(WbxmlXml, SpecExample) {
  OXWIRE_REQ("MS-ASWBXML_R4", "MS-ASWBXML_R10", "MS-ASWBXML_R11", "MS-ASWBXML_R27");
  const B in = oxwire_test::spec_example_bytes();
  auto xml = wb::to_xml(in, {.namespace_colon = false});
  ASSERT_TRUE(xml) << xml.error().message();
  EXPECT_EQ(*xml, squeeze(oxwire_test::spec_example_xml));
  // The default form: namespaces as MS-ASCMD writes them, with the colon.
  auto colon = wb::to_xml(in);
  ASSERT_TRUE(colon);
  EXPECT_EQ(
      colon->substr(0, 146),
      R"(<?xml version="1.0" encoding="utf-8"?><Sync xmlns="AirSync:" )"
      R"(xmlns:airsyncbase="AirSyncBase:" xmlns:contacts="Contacts:"><Collections><Collection>)");
}

TEST(WbxmlXml, Indented) {
  const B in{
      0x03, 0x01, 0x6A, 0x00, 0x00, 0x07, 0x56, 0x52, 0x03,
      0x30, 0x00, 0x01, 0x00, 0x00, 0x0D, 0x01};  // FolderSync { SyncKey "0", airsync:ServerId/ }
  auto xml = wb::to_xml(in, {.indent = true});
  ASSERT_TRUE(xml) << xml.error().message();
  EXPECT_EQ(*xml,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
            "<FolderSync xmlns=\"FolderHierarchy:\" xmlns:airsync=\"AirSync:\">\n"
            "  <SyncKey>0</SyncKey>\n"
            "  <airsync:ServerId/>\n"
            "</FolderSync>");
  auto bare = wb::to_xml(in, {.indent = true, .indent_width = 1, .declaration = false});
  ASSERT_TRUE(bare);
  EXPECT_EQ(*bare,
            "<FolderSync xmlns=\"FolderHierarchy:\" xmlns:airsync=\"AirSync:\">\n"
            " <SyncKey>0</SyncKey>\n <airsync:ServerId/>\n</FolderSync>");
}

TEST(WbxmlXml, EscapesTextAndKeepsCarriageReturns) {
  document d;
  const auto root = d.add_element(document::npos, 0x02, 0x14);  // Email Subject
  d.add_text(root, "a&b <c> \"q\" 'x'\r\n\tz");
  auto xml = wb::to_xml(d, {.declaration = false});
  ASSERT_TRUE(xml);
  EXPECT_EQ(*xml, "<Subject xmlns=\"Email:\">a&amp;b &lt;c&gt; \"q\" 'x'&#13;\n\tz</Subject>");
}

TEST(WbxmlXml, OpaqueIsBase64) {
  OXWIRE_REQ("MS-ASWBXML_R819");
  const B in{0x03, 0x01, 0x6A, 0x00, 0x00, 0x15, 0x50, 0xC3, 0x03, 'f', 'o', 'o', 0x01};
  auto xml = wb::to_xml(in, {.declaration = false});
  ASSERT_TRUE(xml);
  EXPECT_EQ(*xml, "<Mime xmlns=\"ComposeMail:\">Zm9v</Mime>");
}

TEST(WbxmlXml, PrefixesInOrderOfFirstUse) {
  document d;
  const auto root = d.add_element(document::npos, 0x14, 0x05);  // ItemOperations
  d.add_element(root, 0x16, 0x05);                              // Email2
  d.add_element(root, 0x10, 0x05);                              // GAL
  d.add_element(root, 0x16, 0x06);                              // Email2 again
  d.add_element(root, 0x14, 0x06);                              // default namespace again
  auto xml = wb::to_xml(d, {.declaration = false});
  ASSERT_TRUE(xml);
  EXPECT_EQ(*xml,
            "<ItemOperations xmlns=\"ItemOperations:\" xmlns:email2=\"Email2:\" "
            "xmlns:gal=\"GAL:\"><email2:UmCallerID/><gal:DisplayName/>"
            "<email2:UmUserNotes/><Fetch/></ItemOperations>");
}

TEST(WbxmlXml, Errors) {
  document d;
  d.add_text(d.add_element(document::npos, 0x02, 0x14), "a\x01");
  EXPECT_TRUE(fails_with(wb::to_xml(d), errc::not_xml_char, 0));
  document e;
  e.add_text(e.add_element(document::npos, 0x02, 0x14), "\xEF\xBF\xBF");
  EXPECT_TRUE(fails_with(wb::to_xml(e), errc::not_xml_char, 0));
  document f;
  f.add_element(document::npos, 0x00, 0x2A);  // no such tag
  EXPECT_TRUE(fails_with(wb::to_xml(f), errc::unknown_token, 0));
  // Decoding errors come through, with their offsets.
  EXPECT_TRUE(fails_with(wb::to_xml(B{0x03, 0x01, 0x6A, 0x00, 0x45, 0x03, 0x00, 0x01, 0x01}),
                         errc::trailing_bytes, 8));
  // U+FFFD and other EF-led characters are fine.
  document g;
  g.add_text(g.add_element(document::npos, 0x02, 0x14), "\xEF\xBF\xBD");
  EXPECT_TRUE(wb::to_xml(g));
}

// Every corpus body converts to XML.
TEST(WbxmlCorpus, EveryFileConvertsToXml) {
  OXWIRE_WBXML_CORPUS(files);
  for (const auto& f : files) {
    const auto in = oxwire_test::read_file(f);
    const bool headerless = in.empty() || in[0] != 0x03;
    auto xml = wb::to_xml(in, {.indent = true}, {.fragment = headerless});
    EXPECT_TRUE(xml) << f << ": " << xml.error().message();
  }
}

}  // namespace test_xml
