// Differential tests against Debian's `tnef` command (verdammelt/tnef): it extracts the same
// attachments (names, contents) from every corpus file it can read, and unpacks what we write.
#include <unistd.h>
#include <cstdio>
#include <cstdlib>

#include "convert_test.hpp"
#include "tnef_test.hpp"

namespace test_tnef_tool {

using namespace oxwire_test;
namespace tnef = oxwire::tnef;
namespace mapi = oxwire::mapi;
namespace fs = std::filesystem;

/// Skips (fails under CI=true) when the tnef command is missing.
#define OXWIRE_REQUIRE_TNEF_TOOL()                                                        \
  if (std::system("tnef --version >/dev/null 2>&1") != 0) {                               \
    const char* ci_ = std::getenv("CI");                                                  \
    if (ci_ && std::string(ci_) == "true") FAIL() << "the tnef command is missing";       \
    GTEST_SKIP() << "*** NOT RUN: the tnef command (Debian package tnef) is missing ***"; \
  }                                                                                       \
  static_assert(true)

/// A fresh scratch directory below the system temp directory.
fs::path scratch(const std::string& name) {
  const auto d =
      fs::temp_directory_path() / ("oxwire_tnef_" + std::to_string(::getpid()) + "_" + name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

/// What `tnef` extracts from `file` into a scratch directory: (file name as UTF-8, bytes),
/// sorted. The tool writes 8-bit names as they are in the stream (read like ours, in `cp`) and
/// Unicode ones (a PtypString PidTagAttachLongFilename) as UTF-8.
std::optional<std::vector<attachment_fact>> extract_with_tool(const fs::path& file,
                                                              std::uint32_t cp) {
  const auto dir = scratch(file.stem().string());
  const std::string cmd = "tnef -K --number-backups -C '" + dir.string() + "' -f '" +
                          file.string() + "' >/dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) return std::nullopt;
  std::vector<attachment_fact> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (!oxwire::utf16::from_utf8(name)) name = mapi::string8_to_utf8(name, cp);
    out.push_back({name, read_file(e.path())});
  }
  fs::remove_all(dir);
  std::sort(out.begin(), out.end());
  return out;
}

/// Our attachments as the tool would name its files: the tool calls a nameless attachment
/// "tnef-tmp", numbers repeated names (name.1, ...), and writes the whole PtypObject value of an
/// OLE attachment, its 16-byte interface identifier included.
std::vector<attachment_fact> as_tool_files(const mapi::message& m, std::uint32_t cp) {
  std::vector<attachment_fact> out;
  std::map<std::string, int> seen;
  for (const auto& a : m.attachments) {
    if (a.embedded) continue;
    attachment_fact f{mapi::attachment_name(a, cp), {}};
    if (f.name.empty()) f.name = "tnef-tmp";
    if (const int n = seen[f.name]++; n > 0) f.name += "." + std::to_string(n);
    const auto object = a.properties.get(oxwire::mapi::prop::PidTagAttachDataObject);
    const auto data = object ? *object : mapi::attachment_data(a);
    f.data.assign(data.begin(), data.end());
    out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// The tool's files are our attachments; an embedded message the tool writes as its PtypObject
/// value: IID_IMessage and the TNEF stream, which decodes to our embedded message.
void expect_agrees(const mapi::message& m, std::uint32_t cp,
                   const std::vector<attachment_fact>& tool) {
  std::vector<attachment_fact> files;
  std::vector<const mapi::message*> embedded;
  for (const auto& a : m.attachments)
    if (a.embedded) embedded.push_back(&**a.embedded);
  for (const auto& f : tool) {
    oxwire::reader in(f.data);
    oxwire::guid iid{};
    if (f.data.size() > 16 && oxwire::decode(in, iid) && iid == tnef::IID_IMessage) {
      const auto inner = tnef::decode(oxwire::bytes_view(f.data).subspan(16), lax_options);
      ASSERT_TRUE(inner) << inner.error().message();
      ASSERT_FALSE(embedded.empty());
      EXPECT_TRUE(std::any_of(embedded.begin(), embedded.end(),
                              [&](const mapi::message* e) { return *e == *inner; }));
    } else {
      files.push_back(f);
    }
  }
  EXPECT_EQ(files, as_tool_files(m, cp));
}

TEST(TnefTool, CorpusAgrees) {
  OXWIRE_REQUIRE_TNEF_TOOL();
  OXWIRE_REQUIRE_SHARED(dir, "corpus/tnef");
  int compared = 0;
  for (const auto& p : tnef_files(dir)) {
    SCOPED_TRACE(p);
    std::vector<std::uint8_t> bytes;
    tnef::stream_header h;
    const auto m = decode_corpus_file(dir, p, bytes, h);
    ASSERT_TRUE(m) << m.error().message();
    const auto tool = extract_with_tool(p, h.codepage.primary);
    if (!tool) {
      std::cout << "the tnef command cannot read " << p << "\n";
      continue;
    }
    ++compared;
    expect_agrees(*m, h.codepage.primary, *tool);
  }
  EXPECT_GE(compared, 12);  // it rejects bad_checksum.tnef (cut short)
}

TEST(TnefTool, UnpacksWhatWeWrite) {
  OXWIRE_REQUIRE_TNEF_TOOL();
  const auto m = sample_message();
  const auto wire = tnef::encode(m, sample_header);
  ASSERT_TRUE(wire) << wire.error().message();
  const auto file = scratch("written") / "winmail.dat";
  {
    std::ofstream f(file, std::ios::binary);
    f.write(reinterpret_cast<const char*>(wire->data()),
            static_cast<std::streamsize>(wire->size()));
  }
  const auto tool = extract_with_tool(file, 1252);
  ASSERT_TRUE(tool);
  EXPECT_EQ(*tool, as_tool_files(m, 1252));
  EXPECT_EQ(tool->size(), 2u);
  fs::remove_all(file.parent_path());
}

// A Unicode file name written in the stream's code page: the tool names its file with exactly
// those bytes (attAttachTitle).
TEST(TnefTool, NamesFilesInTheStreamCodePage) {
  OXWIRE_REQUIRE_TNEF_TOOL();
  for (const auto& s : legacy_text_samples) {
    SCOPED_TRACE(s.codepage);
    const auto wire = tnef::encode(s.message(), {.codepage = {s.codepage, 0}});
    ASSERT_TRUE(wire) << wire.error().message();
    const auto dir = scratch("codepage");
    const auto file = dir / "winmail.dat";
    std::ofstream(file, std::ios::binary)
        .write(reinterpret_cast<const char*>(wire->data()),
               static_cast<std::streamsize>(wire->size()));
    const auto out = dir / "out";
    fs::create_directories(out);
    const std::string cmd =
        "tnef -C '" + out.string() + "' -f '" + file.string() + "' >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(out)) names.push_back(e.path().filename().string());
    EXPECT_EQ(names, std::vector<std::string>{s.bytes + ".txt"});
    fs::remove_all(dir);
  }
}

// The tool unpacks the streams we make of the .msg corpus files (tnef::from_msg).
TEST(TnefTool, UnpacksWhatWeConvertFromMsg) {
  OXWIRE_REQUIRE_TNEF_TOOL();
  OXWIRE_REQUIRE_SHARED(dir, "corpus/msg");
  int files = 0, compared = 0;
  const auto out = scratch("from_msg");
  for (const auto& p : msg_files(dir)) {
    SCOPED_TRACE(p);
    const auto wire = tnef::from_msg(read_file(p), {.drop_unnamed = true});
    ASSERT_TRUE(wire) << wire.error().message();
    tnef::stream_header h;
    const auto m = tnef::decode(*wire, h);
    ASSERT_TRUE(m) << m.error().message();
    ++files;
    const auto file = out / (p.stem().string() + ".tnef");
    std::ofstream(file, std::ios::binary)
        .write(reinterpret_cast<const char*>(wire->data()),
               static_cast<std::streamsize>(wire->size()));
    const auto tool = extract_with_tool(file, h.codepage.primary);
    if (!tool) {
      std::cout << "the tnef command cannot read what we made of " << p << "\n";
      continue;
    }
    ++compared;
    expect_agrees(*m, h.codepage.primary, *tool);
  }
  fs::remove_all(out);
  EXPECT_GE(files, 100);
  EXPECT_EQ(compared, files);
}

}  // namespace test_tnef_tool
