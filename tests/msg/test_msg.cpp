// MS-OXMSG reader and writer: every corpus file reads and agrees with its manifest; read ->
// write -> read gives the same message; our output opens in libolecf with the same streams;
// bad input is rejected with its offset.
#include <gtest/gtest.h>
#include <unistd.h>

#include <oxwire/cfb/writer.hpp>
#include <oxwire/msg.hpp>
#include <oxwire_test/assertions.hpp>

#include "../cfb/libolecf_walk.hpp"
#include "../tnef/tnef_test.hpp"
#include "msg_test.hpp"

namespace test_msg {

/// libolecf opens `file` (through a temporary file) and sees the same streams as our reader.
::testing::AssertionResult olecf_sees_our_streams(const std::vector<std::uint8_t>& file) {
  // One file per test and process: ctest runs the cases in parallel.
  const auto path =
      std::filesystem::temp_directory_path() /
      ("oxwire_" + std::string(testing::UnitTest::GetInstance()->current_test_info()->name()) +
       "_" + std::to_string(::getpid()) + ".msg");
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(file.data()), static_cast<std::streamsize>(file.size()));
  const auto theirs = oxwire_test::olecf_streams(path.string());
  std::filesystem::remove(path);
  if (!theirs) return ::testing::AssertionFailure() << "libolecf cannot open it";
  const auto ours = oxwire_test::oxwire_streams(oxwire::cfb::compound_file::open(file).value());
  if (!ours || *ours != *theirs) return ::testing::AssertionFailure() << "streams differ";
  return ::testing::AssertionSuccess();
}

namespace fs = std::filesystem;
namespace msg = oxwire::msg;
namespace mapi = oxwire::mapi;
using mapi::PropertyType;
using oxwire_test::fails_with;
using B = std::vector<std::uint8_t>;

bool has_id(const mapi::property_bag& bag, std::uint16_t id) {
  return bag.find_id(id) != nullptr;
}

std::string bodies_of(const mapi::message& m) {
  std::string out;
  const auto add = [&](bool present, const char* name) {
    if (!present) return;
    if (!out.empty()) out += '+';
    out += name;
  };
  add(has_id(m.properties, 0x1000), "text");  // PidTagBody
  add(has_id(m.properties, 0x1009), "rtf");   // PidTagRtfCompressed
  // The manifest counts PidTagHtml (PtypBinary) only, not 8-bit PidTagBodyHtml copies.
  add(m.properties.find(mapi::property_tag{0x10130102}) != nullptr, "html");
  return out;
}

TEST(MsgCorpus, ManifestFacts) {
  OXWIRE_REQUIRE_SHARED(dir, "corpus/msg");
  const auto rows = oxwire_test::read_manifest(dir);
  ASSERT_GE(rows.size(), 100u);
  for (const auto& row : rows) {
    SCOPED_TRACE(row.at("file"));
    const B bytes = oxwire_test::read_file(dir / row.at("file"));
    auto m = msg::read_message(bytes);
    ASSERT_TRUE(m) << m.error().message();
    const std::uint32_t cp = mapi::codepage_of(m->properties);
    const std::string enc = row.at("encoding");
    EXPECT_EQ(m->properties.find(mapi::property_tag{0x0037001F}) != nullptr,
              enc == "unicode" && has_id(m->properties, 0x0037));
    // Subjects in code pages we do not decode are compared only when they are ASCII.
    const auto subject = mapi::text_of(m->properties, 0x0037, cp).value_or("");
    if (subject.find("\xEF\xBF\xBD") == std::string::npos) {
      EXPECT_EQ(subject, row.at("subject"));
    }
    EXPECT_EQ(mapi::text_of(m->properties, 0x001A, cp).value_or(""), row.at("message_class"));
    EXPECT_EQ(std::to_string(m->recipients.size()), row.at("recipients"));
    EXPECT_EQ(std::to_string(m->attachments.size()), row.at("attachments"));
    std::size_t embedded = 0;
    std::vector<std::string> names;
    for (const auto& a : m->attachments) {
      embedded += a.embedded.has_value();
      names.push_back(oxwire_test::attachment_name(a, cp));
    }
    EXPECT_EQ(std::to_string(embedded), row.at("embedded_messages"));
    if (!m->attachments.empty()) {
      const auto want = oxwire_test::split(row.at("attachment_names"), "; ");
      ASSERT_EQ(names.size(), want.size());
      for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i].find("\xEF\xBF\xBD") == std::string::npos) {
          EXPECT_EQ(names[i], want[i]);
        }
    }
    // "text+rtf(MELA, ...)+html": the body names before any note.
    std::string bodies;
    for (const auto& part : oxwire_test::split(row.at("bodies"), "+"))
      if (!part.empty()) {
        if (!bodies.empty()) bodies += '+';
        bodies += part.substr(0, part.find('('));
      }
    EXPECT_EQ(bodies_of(*m), bodies);
    // "named_props": the file has a __nameid_version1.0 storage (MS-OXMSG 2.2.3).
    const auto cf = oxwire::cfb::compound_file::open(bytes).value();
    EXPECT_EQ(cf.find(oxwire::cfb::root_id, u"__nameid_version1.0").has_value(),
              row.at("named_props") == "yes");
  }
}

TEST(MsgCorpus, ReadWriteReadIsIdentity) {
  OXWIRE_REQUIRE_SHARED(dir, "corpus/msg");
  std::size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.path().extension() != ".msg") continue;
    SCOPED_TRACE(e.path().string());
    auto m = msg::read_message(oxwire_test::read_file(e.path()));
    ASSERT_TRUE(m) << m.error().message();
    auto file = msg::write_message(*m);
    ASSERT_TRUE(file) << file.error().message();
    auto back = msg::read_message(*file);
    ASSERT_TRUE(back) << back.error().message();
    EXPECT_TRUE(*back == *m);
    ASSERT_EQ(back->names.size(), m->names.size());
    for (std::uint32_t id = 0x8000; id <= 0xFFFF; ++id) {
      const auto* a = m->names.name_of(static_cast<std::uint16_t>(id));
      const auto* b = back->names.name_of(static_cast<std::uint16_t>(id));
      ASSERT_EQ(a == nullptr, b == nullptr);
      if (a) {
        EXPECT_EQ(*a, *b);
      }
    }
    // libolecf opens what we wrote and sees the same streams as our reader.
    EXPECT_TRUE(olecf_sees_our_streams(*file));
    ++n;
  }
  EXPECT_GE(n, 100u);
}

// A small message with every kind of value the format stores differently.
mapi::message sample() {
  mapi::message m;
  m.properties.set(mapi::prop::PidTagSubject, u"Hello \u00e9");
  m.properties.set(mapi::prop::PidTagImportance, 2);
  m.properties.set(mapi::prop::PidTagHasAttachments, true);
  (void)m.properties.set(mapi::property_tag{0x0E060040},
                         mapi::property_value::make<PropertyType::PtypTime>({0x01D9B1A2C3D4E5F6}));
  (void)m.properties.set(mapi::property_tag{0x00700102},
                         mapi::property_value::make<PropertyType::PtypBinary>({1, 2, 3}));
  (void)m.properties.set(mapi::property_tag{0x0E1D001E},
                         mapi::property_value::make<PropertyType::PtypString8>("eight"));
  (void)m.properties.set(
      mapi::property_tag{0x8000101F},
      mapi::property_value::make<PropertyType::PtypMultipleString>({u"a", u"", u"ccc"}));
  (void)m.properties.set(
      mapi::property_tag{0x80011003},
      mapi::property_value::make<PropertyType::PtypMultipleInteger32>({1, -2, 3}));
  (void)m.properties.set(
      mapi::property_tag{0x80021102},
      mapi::property_value::make<PropertyType::PtypMultipleBinary>({{9}, {}, {8, 7}}));
  (void)m.properties.set(mapi::property_tag{0x80030048},
                         mapi::property_value::make<PropertyType::PtypGuid>(
                             *mapi::property_set_guid("PSETID_Common")));
  m.names.add({mapi::name_kind::lid, *mapi::property_set_guid("PSETID_Common"), 0x8501, {}},
              0x8000);
  m.names.add(
      {mapi::name_kind::name, *mapi::property_set_guid("PS_PUBLIC_STRINGS"), 0, u"Keywords"},
      0x8001);
  m.names.add({mapi::name_kind::lid, *mapi::property_set_guid("PS_MAPI"), 0x1234, {}}, 0x8002);
  m.names.add({mapi::name_kind::name, *mapi::property_set_guid("PSETID_Address"), 0, u"odd"},
              0x8003);
  mapi::recipient r;
  r.properties.set(mapi::prop::PidTagDisplayName, u"Anna");
  r.properties.set(mapi::prop::PidTagRecipientType, 1);
  m.recipients.push_back(r);
  mapi::attachment a;
  a.properties.set(mapi::prop::PidTagAttachLongFilename, u"a.txt");
  a.properties.set(mapi::prop::PidTagAttachDataBinary, B(5000, 0x41));
  m.attachments.push_back(a);
  mapi::message inner;
  inner.properties.set(mapi::prop::PidTagSubject, u"inner");
  mapi::attachment e;
  e.properties.set(mapi::prop::PidTagAttachMethod, 5);
  e.embedded.emplace(inner);
  m.attachments.push_back(e);
  return m;
}

TEST(MsgWriter, RoundTrip) {
  const mapi::message m = sample();
  const B file = msg::write_message(m).value();
  auto back = msg::read_message(file);
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_TRUE(*back == m);
  EXPECT_EQ(back->names.find(*mapi::property_set_guid("PSETID_Common"), 0x8501), 0x8000);
  EXPECT_EQ(back->names.find(*mapi::property_set_guid("PS_PUBLIC_STRINGS"), u"Keywords"), 0x8001);
  EXPECT_EQ(back->names.find(*mapi::property_set_guid("PS_MAPI"), 0x1234), 0x8002);
  EXPECT_EQ(back->names.find(*mapi::property_set_guid("PSETID_Address"), u"odd"), 0x8003);
  // Embedded messages share the top-level map (MS-OXMSG 2.2.3).
  EXPECT_EQ((*back->attachments[1].embedded)->names.size(), 4u);
}

TEST(MsgWriter, PropertyStreamLayout) {
  const mapi::message m = sample();
  const B file = msg::write_message(m).value();
  auto cf = oxwire::cfb::compound_file::open(file).value();
  const auto ps =
      cf.read_stream(*cf.find(oxwire::cfb::root_id, u"__properties_version1.0")).value();
  // MS-OXMSG 2.4.1.1: 8 reserved, NextRecipientID, NextAttachmentID, counts, 8 reserved.
  ASSERT_GE(ps.size(), 32u);
  EXPECT_EQ(oxwire::detail::load_le<std::uint32_t>(ps.data() + 16), 1u);
  EXPECT_EQ(oxwire::detail::load_le<std::uint32_t>(ps.data() + 20), 2u);
  EXPECT_EQ((ps.size() - 32) % 16, 0u);
  // The subject's entry: Size is the stream size plus 2 (MS-OXMSG 2.4.2.2).
  const auto subject = cf.find(oxwire::cfb::root_id, u"__substg1.0_0037001F");
  ASSERT_TRUE(subject);
  for (std::size_t at = 32; at < ps.size(); at += 16)
    if (oxwire::detail::load_le<std::uint32_t>(ps.data() + at) == 0x0037001F) {
      EXPECT_EQ(oxwire::detail::load_le<std::uint32_t>(ps.data() + at + 8),
                cf.entry(*subject).StreamSize + 2);
    }
}

// --- bad input ------------------------------------------------------------------------------

// The sample written with one stream's contents replaced, or the whole tree edited.
B edited(const std::function<void(oxwire::cfb::node&)>& edit) {
  oxwire::cfb::node root = oxwire::cfb::node::storage(u"");
  root.children.push_back(oxwire::msg::detail::write_names(sample().names));
  EXPECT_TRUE(oxwire::msg::detail::write_message_storage(sample(), true, root));
  edit(root);
  return oxwire::cfb::write(root).value();
}
oxwire::cfb::node* child(oxwire::cfb::node& n, std::u16string_view name) {
  for (auto& c : n.children)
    if (c.name == name) return &c;
  return nullptr;
}

/// The property name to property ID mapping streams (__substg1.0_10XX0102) of a .msg file, by
/// stream ID.
std::map<std::uint16_t, B> name_mapping_streams(const B& file) {
  namespace cfb = oxwire::cfb;
  std::map<std::uint16_t, B> out;
  const auto cf = cfb::compound_file::open(file).value();
  for (const std::uint32_t c : cf.children(cfb::root_id)) {
    if (cf.entry(c).name != u"__nameid_version1.0") continue;
    for (const std::uint32_t st : cf.children(c)) {
      const std::u16string& n = cf.entry(st).name;
      if (n.size() != 20 || !n.starts_with(u"__substg1.0_10") || !n.ends_with(u"0102")) continue;
      const auto data = cf.read_stream(st).value();
      out[static_cast<std::uint16_t>(std::stoul(std::string(n.begin() + 12, n.begin() + 16),
                                                nullptr, 16))] = B(data.begin(), data.end());
    }
  }
  return out;
}

// MS-OXMSG 2.2.3.2.2: each named property is in the mapping stream 0x1000 + ((ID XOR (GUID index
// << 1 | Kind)) MOD 0x1F) again, as ID (the LID, or the CRC-32 of the UTF-16LE string name) and
// the entry stream's Index and Kind Information. The values below are the formula's, by hand.
TEST(MsgWriter, NameToIdMappingStreams) {
  mapi::message m;
  m.names.add(
      {mapi::name_kind::name, *mapi::property_set_guid("PS_PUBLIC_STRINGS"), 0, u"x-project"},
      0x8000);
  m.names.add({mapi::name_kind::lid, *mapi::property_set_guid("PSETID_Common"), 0x8501, {}},
              0x8001);
  m.names.add({mapi::name_kind::lid, *mapi::property_set_guid("PS_MAPI"), 0x0E07, {}}, 0x8002);
  const auto file = msg::write_message(m);
  ASSERT_TRUE(file) << file.error().message();
  // "x-project": CRC-32 0xB96C3636, GUID index 2 (PS_PUBLIC_STRINGS), string: (0xB96C3636 ^ 5)
  // % 31 = 1. LID 0x8501, GUID index 3 (the first of the GUID stream): (0x8501 ^ 6) % 31 = 17.
  // LID 0x0E07, GUID index 1 (PS_MAPI): (0x0E07 ^ 2) % 31 = 24.
  const std::map<std::uint16_t, B> expected{
      {0x1001, {0x36, 0x36, 0x6C, 0xB9, 0x05, 0x00, 0x00, 0x00}},
      {0x1011, {0x01, 0x85, 0x00, 0x00, 0x06, 0x00, 0x01, 0x00}},
      {0x1018, {0x07, 0x0E, 0x00, 0x00, 0x02, 0x00, 0x02, 0x00}},
  };
  EXPECT_EQ(name_mapping_streams(*file), expected);
  static_assert(msg::detail::name_stream_id(0x8501, 3 << 1) == 0x1011);  // GUID index 3, LID
  EXPECT_TRUE(olecf_sees_our_streams(*file));
  const auto back = msg::read_message(*file);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->names.size(), 3u);

  // The reader checks them against the entry stream (every corpus file that has them passes:
  // the MsgCorpus tests read with the default options): a wrong CRC-32 in stream 0x1001 leaves
  // "x-project" out of its stream.
  auto bad = *file;
  const B crc{0x36, 0x36, 0x6C, 0xB9, 0x05, 0x00, 0x00, 0x00};
  const auto at = std::search(bad.begin(), bad.end(), crc.begin(), crc.end());
  ASSERT_NE(at, bad.end());
  *at ^= 1;
  const auto refused = msg::read_message(bad);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, msg::errc::name_stream_mismatch);
  EXPECT_TRUE(msg::read_message(bad, {.verify_name_streams = false}));
}

// The mapping streams we write for a corpus file's names are byte for byte those of the file (the
// 100 corpus files that have them; tools that wrote the others leave them out).
TEST(MsgCorpus, NameToIdMappingStreamsAreOutlooks) {
  OXWIRE_REQUIRE_SHARED(dir, "corpus/msg");
  int compared = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.path().extension() != ".msg") continue;
    const auto& p = e.path();
    const auto bytes = oxwire_test::read_file(p);
    const auto theirs = name_mapping_streams(bytes);
    if (theirs.empty()) continue;
    const auto m = msg::read_message(bytes);
    ASSERT_TRUE(m);
    const auto ours = name_mapping_streams(msg::write_message(*m).value());
    ++compared;
    EXPECT_EQ(ours, theirs) << p;
  }
  EXPECT_GE(compared, 100);
}

TEST(MsgBad, MissingPropertyStream) {
  const B file = edited([](oxwire::cfb::node& root) {
    auto* r = child(root, u"__recip_version1.0_#00000000");
    std::erase_if(r->children, [](auto& c) { return c.name == u"__properties_version1.0"; });
  });
  auto r = msg::read_message(file);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, msg::errc::missing_property_stream);
}

TEST(MsgBad, MissingValueStream) {
  const B file = edited([](oxwire::cfb::node& root) {
    std::erase_if(root.children, [](auto& c) { return c.name == u"__substg1.0_0037001F"; });
  });
  auto r = msg::read_message(file);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, msg::errc::missing_value_stream);
  // The offset is that of the subject's entry in the property stream, in the file.
  auto cf = oxwire::cfb::compound_file::open(file).value();
  const auto ps = *cf.find(oxwire::cfb::root_id, u"__properties_version1.0");
  const auto bytes = cf.read_stream(ps).value();
  std::size_t at = 32;
  while (oxwire::detail::load_le<std::uint32_t>(bytes.data() + at) != 0x0037001F) at += 16;
  EXPECT_EQ(r.error().offset, cf.file_offset(ps, at));
}

TEST(MsgBad, TruncatedPropertyEntry) {
  const B file = edited([](oxwire::cfb::node& root) {
    child(root, u"__properties_version1.0")->data.resize(32 + 20);
  });
  auto r = msg::read_message(file);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, oxwire::errc::truncated);
}

TEST(MsgBad, StorageName) {
  const B file = edited([](oxwire::cfb::node& root) {
    child(root, u"__recip_version1.0_#00000000")->name = u"__recip_version1.0_#0000000G";
  });
  auto r = msg::read_message(file);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, msg::errc::invalid_storage_name);
}

TEST(MsgBad, NestingDepthAndObjectLimits) {
  mapi::message m = sample();
  for (int i = 0; i < 4; ++i) {
    mapi::message outer;
    mapi::attachment a;
    a.embedded.emplace(m);
    outer.attachments.push_back(a);
    m = outer;
  }
  const B file = msg::write_message(m).value();
  EXPECT_TRUE(msg::read_message(file, {.max_depth = 5}));
  auto r = msg::read_message(file, {.max_depth = 4});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, msg::errc::nesting_too_deep);
  auto many = msg::read_message(msg::write_message(sample()).value(), {.max_objects = 2});
  ASSERT_FALSE(many);
  EXPECT_EQ(many.error().code, msg::errc::too_many_objects);
}

TEST(MsgBad, NamedPropertyGuidIndex) {
  const B file = edited([](oxwire::cfb::node& root) {
    auto* entries = child(*child(root, u"__nameid_version1.0"), u"__substg1.0_00030102");
    oxwire::detail::store_le<std::uint32_t>(entries->data.data() + 4, 40 << 1);  // GUID index 40
  });
  auto r = msg::read_message(file);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, msg::errc::invalid_named_property);
}

// libolecf opens the .msg files we make of the TNEF corpus streams and sees the streams our
// reader sees.
TEST(Msg, ConvertedTnefCorpusOpensInLibolecf) {
  OXWIRE_REQUIRE_SHARED(dir, "corpus/tnef");
  for (const auto& p : oxwire_test::tnef_files(dir)) {
    SCOPED_TRACE(p.string());
    std::vector<std::uint8_t> bytes;
    oxwire::tnef::stream_header h;
    auto m = oxwire_test::decode_corpus_file(dir, p, bytes, h);
    ASSERT_TRUE(m);
    ASSERT_TRUE(msg::adopt_tnef(*m, h));
    const auto file = msg::write_message(*m);
    ASSERT_TRUE(file) << file.error().message();
    EXPECT_TRUE(olecf_sees_our_streams(*file));
  }
}

// MS-OXMSG 2.2.2 custom attachment storage: a PidTagAttachDataObject that is IID_IStorage and a
// compound file (as TNEF carries it) is written as the attachment's __substg1.0_3701000D storage
// and read back in that form; another PtypObject value is refused.
TEST(Msg, CustomAttachmentStorage) {
  oxwire::cfb::node ole = oxwire::cfb::node::storage(
      u"Root Entry",
      {oxwire::cfb::node::stream(u"CONTENTS", B{'a', 'b', 'c'}),
       oxwire::cfb::node::storage(u"Inner", {oxwire::cfb::node::stream(u"\x01Ole", B{1, 2})})});
  ole.clsid = oxwire::guid::from_string("{00020906-0000-0000-C000-000000000046}");
  B value;
  oxwire::vector_writer w(value);
  ASSERT_TRUE(oxwire::encode(w, mapi::IID_IStorage));
  const auto file = oxwire::cfb::write(ole).value();
  value.insert(value.end(), file.begin(), file.end());
  const auto object = mapi::property_tag{0x3701000D};
  mapi::message m;
  m.attachments.emplace_back();
  m.attachments[0].properties.set(mapi::prop::PidTagAttachMethod, 6);  // afStorage
  ASSERT_TRUE(m.attachments[0].properties.set(
      object, mapi::property_value::make<PropertyType::PtypObject>(value)));
  const auto written = msg::write_message(m);
  ASSERT_TRUE(written) << written.error().message();
  const auto cf = oxwire::cfb::compound_file::open(*written).value();
  const auto att = cf.find(oxwire::cfb::root_id, u"__attach_version1.0_#00000000");
  ASSERT_TRUE(att);
  const auto sub = cf.find(*att, u"__substg1.0_3701000D");
  ASSERT_TRUE(sub);
  EXPECT_EQ(cf.entry(*sub).CLSID, ole.clsid);
  ASSERT_TRUE(cf.find(*sub, u"CONTENTS"));
  const auto back = msg::read_message(*written);
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_TRUE(*back == m);  // cfb::write makes the same file of the same tree
  m.attachments[0].properties.erase(object);
  value[0] ^= 1;  // not IID_IStorage
  ASSERT_TRUE(m.attachments[0].properties.set(
      object, mapi::property_value::make<PropertyType::PtypObject>(value)));
  EXPECT_TRUE(fails_with(msg::write_message(m), msg::errc::unsupported_object, 0));
  value[0] ^= 1;
  value.resize(40);  // IID_IStorage, then no compound file
  ASSERT_TRUE(m.attachments[0].properties.set(
      object, mapi::property_value::make<PropertyType::PtypObject>(value)));
  const auto cut = msg::write_message(m);
  ASSERT_FALSE(cut);
  EXPECT_GE(cut.error().offset, 16u);
}

}  // namespace test_msg
