// Differential tests against libytnef: on every corpus file, and on what we write, ytnef and we
// agree on the subject and on the attachments (names, sizes, contents).
#include <algorithm>

#include "convert_test.hpp"
#include "ytnef_oracle.hpp"

namespace test_ytnef {

using namespace oxwire_test;
namespace tnef = oxwire::tnef;
namespace mapi = oxwire::mapi;
namespace prop = mapi::prop;

// ytnef makes its subject safe as a file name: '/', '\\' and control characters (the NUL too)
// become '_'. Both sides are compared in that form, trailing '_' left out.
std::string file_safe(std::string s) {
  for (char& c : s)
    if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20) c = '_';
  while (!s.empty() && s.back() == '_') s.pop_back();
  return s;
}

// ytnef's subject: attSubject or PR_SUBJECT; for a message that has neither (umlaut.tnef) it
// reports PidTagConversationTopic. Its attachments: names, sizes and contents.
// Whether the 8-bit attSubject we write holds `utf8` exactly: whether the OEM code page can
// represent it (the encoder writes '?' for what it cannot, tnef/encode.hpp legacy_text).
bool legacy_text_holds(const std::string& utf8, std::uint32_t cp) {
  const auto wide = oxwire::utf16::from_utf8(utf8, oxwire::utf16::policy::replace).value();
  const std::u16string w(reinterpret_cast<const char16_t*>(wide.data()), wide.size() / 2);
  return mapi::string8_to_utf8(mapi::utf16_to_string8(w, cp), cp) == utf8;
}

void expect_agrees(const mapi::message& m, std::uint32_t cp, const ytnef_view& y) {
  if (y.subject && !y.subject->empty()) {
    auto ours = mapi::text_of(m.properties, prop::PidTagSubject.id, cp);
    if (!ours) ours = mapi::text_of(m.properties, prop::PidTagConversationTopic.id, cp);
    ASSERT_TRUE(ours);
    if (legacy_text_holds(*ours, cp)) {
      EXPECT_EQ(file_safe(mapi::string8_to_utf8(*y.subject, cp)), file_safe(*ours));
    }
  }
  const auto ours = facts_of(m, cp);
  ASSERT_EQ(ours.size(), y.attachments.size());
  for (std::size_t i = 0; i < ours.size(); ++i) {
    if (const auto& e = m.attachments[i].embedded) {
      // ytnef gives an embedded message no name, and as its data the PtypObject value after the
      // interface identifier (ytnef_oracle.hpp): the message's TNEF stream.
      const auto inner = tnef::decode(y.attachments[i].data);
      ASSERT_TRUE(inner) << i << ": " << inner.error().message();
      EXPECT_TRUE(*inner == **e) << i;
      continue;
    }
    EXPECT_EQ(ours[i].name, y.attachments[i].name) << i;
    EXPECT_EQ(ours[i].data.size(), y.attachments[i].data.size()) << i;
    EXPECT_TRUE(ours[i].data == y.attachments[i].data) << i;
  }
}

TEST(TnefYtnef, CorpusAgrees) {
  OXWIRE_REQUIRE_SHARED(dir, "corpus/tnef");
  int compared = 0;
  for (const auto& p : tnef_files(dir)) {
    SCOPED_TRACE(p);
    std::vector<std::uint8_t> bytes;
    tnef::stream_header h;
    const auto m = decode_corpus_file(dir, p, bytes, h);
    const std::uint32_t cp = h.codepage.primary;
    ASSERT_TRUE(m) << m.error().message();
    const auto y = read_with_ytnef(bytes, cp);
    if (!y.ok) {
      std::cout << "ytnef cannot read " << p << "\n";
      continue;
    }
    ++compared;
    expect_agrees(*m, cp, y);
  }
  // ytnef rejects IPM-DistList, bad_checksum, duplicate_filename (checksums), minimal_attachment
  // and data-before-name (empty attributes), MAPI_OBJECT (an attachment past its 512 KiB limit).
  EXPECT_GE(compared, 7);
}

TEST(TnefYtnef, ReadsWhatWeWrite) {
  const auto m = sample_message();
  const auto wire = tnef::encode(m, sample_header);
  ASSERT_TRUE(wire) << wire.error().message();
  const auto y = read_with_ytnef(*wire, sample_header.codepage.primary);
  ASSERT_TRUE(y.ok);
  ASSERT_TRUE(y.subject);
  EXPECT_EQ(file_safe(*y.subject), "Quarterly report");
  EXPECT_EQ(y.attachments, facts_of(m));
}

// A Unicode subject and file name written in the stream's code page: ytnef reads attSubject and
// attAttachTitle as exactly those bytes.
TEST(TnefYtnef, ReadsLegacyTextInTheStreamCodePage) {
  for (const auto& s : legacy_text_samples) {
    SCOPED_TRACE(s.codepage);
    const tnef::stream_header h{.codepage = {s.codepage, 0}};
    const auto wire = tnef::encode(s.message(), h);
    ASSERT_TRUE(wire) << wire.error().message();
    const auto y = read_with_ytnef(*wire, s.codepage);
    ASSERT_TRUE(y.ok);
    EXPECT_EQ(y.subject, s.bytes);
    ASSERT_EQ(y.attachments.size(), 1u);
    EXPECT_EQ(y.attachments[0].name, mapi::string8_to_utf8(s.bytes + ".txt", s.codepage));
    // And we read the Unicode text back from attMAPIProps.
    const auto m = tnef::decode(*wire);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->properties.get(prop::PidTagSubject), s.text);
  }
}

// ytnef reads the streams we make of the .msg corpus files (tnef::from_msg) and agrees with our
// reading of them.
TEST(TnefYtnef, ReadsWhatWeConvertFromMsg) {
  OXWIRE_REQUIRE_SHARED(dir, "corpus/msg");
  int files = 0, compared = 0;
  for (const auto& p : msg_files(dir)) {
    SCOPED_TRACE(p);
    const auto wire = tnef::from_msg(read_file(p), {.drop_unnamed = true});
    ASSERT_TRUE(wire) << wire.error().message();
    tnef::stream_header h;
    const auto m = tnef::decode(*wire, h);
    ASSERT_TRUE(m) << m.error().message();
    ++files;
    const auto y = read_with_ytnef(*wire, h.codepage.primary);
    if (!y.ok) {
      std::cout << "ytnef cannot read what we made of " << p << "\n";
      continue;
    }
    ++compared;
    expect_agrees(*m, h.codepage.primary, y);
  }
  EXPECT_GE(files, 100);
  EXPECT_GE(compared, 100);  // ytnef rejects five (fields of size 0, values past its limits)
}

}  // namespace test_ytnef
