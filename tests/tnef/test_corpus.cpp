// Every TNEF stream of ../shared/corpus/tnef decodes, and the facts its MANIFEST states hold:
// the LegacyKey, the attachment names in order, the body kind, and the file names the tnef tool
// extracts (*.expected-files.list).
#include <algorithm>
#include <set>

#include "tnef_test.hpp"

namespace test_corpus {

using namespace oxwire_test;
namespace tnef = oxwire::tnef;
namespace mapi = oxwire::mapi;
namespace prop = mapi::prop;

TEST(TnefCorpus, EveryFileDecodes) {
  OXWIRE_REQUIRE_SHARED(dir, "corpus/tnef");
  const auto files = tnef_files(dir);
  ASSERT_GE(files.size(), 13u);
  for (const auto& p : files) {
    std::vector<std::uint8_t> bytes;
    tnef::stream_header h;
    const auto m = decode_corpus_file(dir, p, bytes, h);
    EXPECT_TRUE(m) << p << ": " << m.error().message();
  }
}

// The files strict decoding rejects fail where and how the known defect is.
TEST(TnefCorpus, StrictDecodingReportsKnownDefects) {
  OXWIRE_REQUIRE_SHARED(dir, "corpus/tnef");
  for (const auto& k : lax_files()) {
    const auto bytes = read_file(dir / k.file);
    ASSERT_FALSE(bytes.empty()) << k.file;
    EXPECT_TRUE(fails_with(tnef::decode(bytes), k.strict_error.code, k.strict_error.offset))
        << k.file;
  }
}

TEST(TnefCorpus, ManifestFactsHold) {
  OXWIRE_REQUIRE_SHARED(dir, "corpus/tnef");
  const auto rows = read_tnef_manifest(dir);
  ASSERT_EQ(rows.size(), 13u);
  for (const auto& row : rows) {
    SCOPED_TRACE(row.file);
    std::vector<std::uint8_t> bytes;
    tnef::stream_header h;
    const auto m = decode_corpus_file(dir, dir / row.file, bytes, h);
    ASSERT_TRUE(m) << m.error().message();
    if (!row.tnef_key.empty()) {
      EXPECT_EQ(h.legacy_key, std::stoul(row.tnef_key, nullptr, 16));
    }
    if (!row.attachments.empty()) {
      std::vector<std::string> names;
      for (const auto& a : m->attachments) {
        auto n = mapi::attachment_name(a, h.codepage.primary);
        // tnefparse names an attachment without any name "unknown.dat".
        names.push_back(n.empty() ? "unknown.dat" : n);
      }
      EXPECT_EQ(names, row.attachments);
    }
    const auto& bag = m->properties;
    if (row.body == "body") {
      // tnefparse's "body": a plain-text PidTagBody, or (bad_checksum.tnef, whose stream holds no
      // PidTagBody) the HTML body it reads as its body.
      EXPECT_TRUE(bag.find_id(prop::PidTagBody.id) || bag.find_id(prop::PidTagHtml.id));
    } else if (row.body == "rtfbody") {
      EXPECT_TRUE(bag.get(prop::PidTagRtfCompressed));
    } else if (row.body == "htmlbody") {
      EXPECT_TRUE(bag.find_id(prop::PidTagHtml.id));
    }
  }
}

// *.expected-files.list: what the tnef tool writes with --save-body: each attachment by name,
// and <stem>-body.rtf for a message with an RTF body.
TEST(TnefCorpus, ExpectedFilesOfTheTnefTool) {
  OXWIRE_REQUIRE_SHARED(dir, "corpus/tnef");
  int lists = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir / "verdammelt-tnef")) {
    const std::string name = e.path().filename().string();
    const auto suffix = std::string(".expected-files.list");
    if (!name.ends_with(suffix)) continue;
    ++lists;
    const std::string stem = name.substr(0, name.size() - suffix.size());
    SCOPED_TRACE(stem);
    std::vector<std::uint8_t> bytes;
    tnef::stream_header h;
    const auto m = decode_corpus_file(dir, dir / "verdammelt-tnef" / (stem + ".tnef"), bytes, h);
    ASSERT_TRUE(m) << m.error().message();
    std::set<std::string> ours;
    for (const auto& a : m->attachments) ours.insert(mapi::attachment_name(a, h.codepage.primary));
    std::ifstream f(e.path());
    std::string line;
    while (std::getline(f, line)) {
      if (line.empty()) continue;
      if (line == stem + "-body.rtf") {
        EXPECT_TRUE(m->properties.get(prop::PidTagRtfCompressed));
      } else {
        EXPECT_TRUE(ours.count(line)) << line;
      }
    }
  }
  EXPECT_GE(lists, 7);
}

// Whatever the corpus holds re-encodes and decodes to the same model.
TEST(TnefCorpus, RoundTrip) {
  OXWIRE_REQUIRE_SHARED(dir, "corpus/tnef");
  for (const auto& p : tnef_files(dir)) {
    SCOPED_TRACE(p);
    std::vector<std::uint8_t> bytes;
    tnef::stream_header h;
    const auto m = decode_corpus_file(dir, p, bytes, h);
    ASSERT_TRUE(m);
    const auto wire = tnef::encode(*m, h);
    ASSERT_TRUE(wire) << wire.error().message();
    tnef::stream_header h2;
    const auto again = tnef::decode(*wire, h2);  // what we write is strictly valid
    ASSERT_TRUE(again) << again.error().message();
    EXPECT_TRUE(*again == *m);
    EXPECT_EQ(h2, h);  // embedded streams' headers included
    EXPECT_EQ(h.embedded.size(), static_cast<std::size_t>(std::count_if(
                                     m->attachments.begin(), m->attachments.end(),
                                     [](const auto& a) { return a.embedded.has_value(); })));
    EXPECT_EQ(facts_of(*again), facts_of(*m));
  }
}

}  // namespace test_corpus
