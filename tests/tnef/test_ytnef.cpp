// Differential tests against libytnef: on every corpus file, and on what we write, ytnef and we
// agree on the subject and on the attachments (names, sizes, contents).
#include "ytnef_oracle.hpp"

namespace {

using namespace oxwire_test;
namespace tnef = oxwire::tnef;
namespace prop = oxwire::mapi::prop;

// ytnef makes its subject safe as a file name: '/', '\\' and control characters (the NUL too)
// become '_'. Both sides are compared in that form, trailing '_' left out.
std::string file_safe(std::string s) {
  for (char& c : s)
    if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20) c = '_';
  while (!s.empty() && s.back() == '_') s.pop_back();
  return s;
}

TEST(TnefYtnef, CorpusAgrees) {
  OXWIRE_REQUIRE_SHARED(dir, "corpus/tnef");
  int compared = 0;
  for (const auto& p : tnef_files(dir)) {
    SCOPED_TRACE(p);
    std::vector<std::uint8_t> bytes;
    const auto m = decode_corpus_file(dir, p, bytes);
    ASSERT_TRUE(m) << m.error().message();
    const auto y = read_with_ytnef(bytes, m->codepage);
    if (!y.ok) {
      std::cout << "ytnef cannot read " << p << "\n";
      continue;
    }
    ++compared;
    // ytnef's subject: attSubject or PR_SUBJECT; for a message that has neither (umlaut.tnef)
    // it reports PidTagConversationTopic.
    if (y.subject && !y.subject->empty()) {
      auto ours = tnef::text_of(m->properties, prop::PidTagSubject.id, m->codepage);
      if (!ours) ours = tnef::text_of(m->properties, prop::PidTagConversationTopic.id, m->codepage);
      ASSERT_TRUE(ours);
      EXPECT_EQ(file_safe(tnef::string8_to_utf8(*y.subject, m->codepage)), file_safe(*ours));
    }
    const auto ours = facts_of(*m);
    ASSERT_EQ(ours.size(), y.attachments.size());
    for (std::size_t i = 0; i < ours.size(); ++i) {
      EXPECT_EQ(ours[i].name, y.attachments[i].name) << i;
      EXPECT_EQ(ours[i].data.size(), y.attachments[i].data.size()) << i;
      EXPECT_TRUE(ours[i].data == y.attachments[i].data) << i;
    }
  }
  // ytnef rejects IPM-DistList, bad_checksum, duplicate_filename (checksums), minimal_attachment
  // and data-before-name (empty attributes), MAPI_OBJECT (an attachment past its 512 KiB limit).
  EXPECT_GE(compared, 7);
}

TEST(TnefYtnef, ReadsWhatWeWrite) {
  const auto m = sample_message();
  const auto wire = tnef::encode(m);
  ASSERT_TRUE(wire) << wire.error().message();
  const auto y = read_with_ytnef(*wire, m.codepage);
  ASSERT_TRUE(y.ok);
  ASSERT_TRUE(y.subject);
  EXPECT_EQ(file_safe(*y.subject), "Quarterly report");
  EXPECT_EQ(y.attachments, facts_of(m));
}

}  // namespace
