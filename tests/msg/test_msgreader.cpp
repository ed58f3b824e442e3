// Differential tests against @kenjiuno/msgreader (npm, tests/oracles/node_modules, printed as
// JSON by tests/oracles/msgreader.js): for every corpus file and for what our writer makes of
// it, the subject, the recipients' display names and the attachments' names, kinds and sizes
// agree. Without node or the module the tests skip loudly (and fail under CI=true).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <boost/json/src.hpp>  // header-only Boost.JSON, in this one translation unit
#include <cstdio>
#include <oxwire/msg.hpp>

#include "../tnef/tnef_test.hpp"
#include "msg_test.hpp"

namespace test_msgreader {

namespace fs = std::filesystem;
namespace msg = oxwire::msg;
namespace mapi = oxwire::mapi;
namespace json = boost::json;

const fs::path oracle_dir = fs::path(__FILE__).parent_path() / "../oracles";

bool have_oracle() {
  return fs::exists(oracle_dir / "node_modules/@kenjiuno/msgreader") &&
         std::system("node --version >/dev/null 2>&1") == 0;
}

#define OXWIRE_REQUIRE_MSGREADER()                                                              \
  if (!have_oracle()) {                                                                         \
    const char* ci_ = std::getenv("CI");                                                        \
    if (ci_ && std::string(ci_) == "true") FAIL() << "node or @kenjiuno/msgreader missing";     \
    GTEST_SKIP() << "*** NOT RUN: node or @kenjiuno/msgreader missing (setup.sh installs) ***"; \
  }                                                                                             \
  static_assert(true)

/// msgreader's facts of each file, in order (one node process for all of them).
std::vector<json::value> msgreader(const std::vector<fs::path>& files) {
  std::string cmd = "node '" + (oracle_dir / "msgreader.js").string() + "'";
  for (const auto& f : files) cmd += " '" + f.string() + "'";
  std::vector<json::value> out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  std::string text;
  char buf[4096];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) text.append(buf, n);
  pclose(p);
  for (const auto& line : oxwire_test::split(text, "\n"))
    if (!line.empty()) out.push_back(json::parse(line));
  return out;
}

void expect_same(const json::value& theirs, const mapi::message& m) {
  const json::object& o = theirs.as_object();
  ASSERT_FALSE(o.contains("error")) << json::serialize(o);
  const std::uint32_t cp = mapi::codepage_of(m.properties);
  const auto unreliable = [](const std::string& s) {  // code pages we do not decode
    return s.find("\xEF\xBF\xBD") != std::string::npos;
  };
  const std::string subject = mapi::text_of(m.properties, 0x0037, cp).value_or("");
  if (!unreliable(subject) && o.at("subject").is_string()) {
    EXPECT_EQ(subject, std::string(o.at("subject").as_string()));
  }
  const json::array& recips = o.at("recipients").as_array();
  ASSERT_EQ(recips.size(), m.recipients.size());
  for (std::size_t i = 0; i < recips.size(); ++i) {
    const auto name = mapi::text_of(m.recipients[i].properties, 0x3001, cp).value_or("");
    if (!unreliable(name)) {
      EXPECT_EQ(name, std::string(recips[i].at("name").as_string()));
    }
  }
  const json::array& atts = o.at("attachments").as_array();
  ASSERT_EQ(atts.size(), m.attachments.size());
  for (std::size_t i = 0; i < atts.size(); ++i) {
    const mapi::attachment& a = m.attachments[i];
    EXPECT_EQ(atts[i].at("embedded").as_bool(), a.embedded.has_value()) << i;
    if (a.embedded) continue;  // msgreader names embedded messages after their subject
    auto name = mapi::text_of(a.properties, 0x3707, cp);
    if (!name) name = mapi::text_of(a.properties, 0x3704, cp);
    if (name && !unreliable(*name)) {
      EXPECT_EQ(*name, std::string(atts[i].at("name").as_string())) << i;
    }
    EXPECT_EQ(oxwire_test::attachment_size(a).value_or(0),
              static_cast<std::size_t>(atts[i].at("size").to_number<std::int64_t>()))
        << i;
  }
}

std::vector<fs::path> corpus_files(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.path().extension() == ".msg") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

TEST(Msgreader, EveryCorpusFile) {
  OXWIRE_REQUIRE_SHARED(dir, "corpus/msg");
  OXWIRE_REQUIRE_MSGREADER();
  const auto files = corpus_files(dir);
  ASSERT_GE(files.size(), 100u);
  const auto theirs = msgreader(files);
  ASSERT_EQ(theirs.size(), files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    SCOPED_TRACE(files[i].string());
    auto m = msg::read_message(oxwire_test::read_file(files[i]));
    ASSERT_TRUE(m) << m.error().message();
    expect_same(theirs[i], *m);
  }
}

TEST(Msgreader, OurOutputOfEveryCorpusFile) {
  OXWIRE_REQUIRE_SHARED(dir, "corpus/msg");
  OXWIRE_REQUIRE_MSGREADER();
  const auto files = corpus_files(dir);
  const fs::path out = fs::temp_directory_path() / "oxwire_msgreader_written";
  fs::create_directories(out);
  std::vector<mapi::message> ours;
  std::vector<fs::path> written;
  for (std::size_t i = 0; i < files.size(); ++i) {
    auto m = msg::read_message(oxwire_test::read_file(files[i]));
    ASSERT_TRUE(m);
    const auto bytes = msg::write_message(*m).value();
    written.push_back(out / (std::to_string(i) + ".msg"));
    std::ofstream(written.back(), std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
    ours.push_back(std::move(*m));
  }
  const auto theirs = msgreader(written);
  ASSERT_EQ(theirs.size(), written.size());
  for (std::size_t i = 0; i < written.size(); ++i) {
    SCOPED_TRACE(files[i].string());
    expect_same(theirs[i], ours[i]);
  }
  fs::remove_all(out);
}

// msgreader reads the .msg files we make of the TNEF corpus streams (msg::adopt_tnef,
// write_message) and agrees with our model of each.
TEST(Msgreader, ConvertedTnefCorpus) {
  OXWIRE_REQUIRE_SHARED(dir, "corpus/tnef");
  OXWIRE_REQUIRE_MSGREADER();
  const fs::path out = fs::temp_directory_path() / "oxwire_msgreader_from_tnef";
  fs::create_directories(out);
  std::vector<mapi::message> ours;
  std::vector<fs::path> written;
  for (const auto& p : oxwire_test::tnef_files(dir)) {
    std::vector<std::uint8_t> bytes;
    oxwire::tnef::stream_header h;
    auto m = oxwire_test::decode_corpus_file(dir, p, bytes, h);
    ASSERT_TRUE(m) << p;
    ASSERT_TRUE(msg::adopt_tnef(*m, h));
    // msgreader takes a custom attachment storage (MAPI_OBJECT.tnef's OLE object) for an
    // embedded message: those files are left to libolecf (test_msg.cpp).
    if (std::ranges::any_of(m->attachments, [](const mapi::attachment& a) {
          return a.properties.find(mapi::property_tag{0x3701000D}) != nullptr;
        }))
      continue;
    const auto file = msg::write_message(*m).value();
    written.push_back(out / (p.stem().string() + ".msg"));
    std::ofstream(written.back(), std::ios::binary)
        .write(reinterpret_cast<const char*>(file.data()),
               static_cast<std::streamsize>(file.size()));
    ours.push_back(msg::read_message(file).value());
  }
  const auto theirs = msgreader(written);
  ASSERT_EQ(theirs.size(), written.size());
  for (std::size_t i = 0; i < written.size(); ++i) {
    SCOPED_TRACE(written[i].string());
    expect_same(theirs[i], ours[i]);
  }
  fs::remove_all(out);
}

}  // namespace test_msgreader
