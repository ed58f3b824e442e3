// MS-CFB reader and writer: write -> read round trips, every rejection of bad input with its
// offset, and libolecf agreeing on every stream name and size of the corpus and of our output.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <oxwire/cfb.hpp>
#include <oxwire_test/assertions.hpp>
#include <oxwire_test/shared.hpp>

#include "libolecf_walk.hpp"

namespace test_cfb {

namespace cfb = oxwire::cfb;
using oxwire::detail::load_le;
using oxwire::detail::store_le;
using oxwire_test::fails_with;
using B = std::vector<std::uint8_t>;

B pattern(std::size_t n, std::uint8_t seed) {
  B b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(i * 31 + seed);
  return b;
}

// Root: "small" (100 bytes, mini stream), "big" (5000 bytes), "empty", storage "sub" with
// "inner" (4095 bytes, the largest mini stream).
cfb::node sample() {
  cfb::node root = cfb::node::storage(u"");
  root.children.push_back(cfb::node::stream(u"small", pattern(100, 1)));
  root.children.push_back(cfb::node::stream(u"big", pattern(5000, 2)));
  root.children.push_back(cfb::node::stream(u"empty", {}));
  root.children.push_back(
      cfb::node::storage(u"sub", {cfb::node::stream(u"inner", pattern(4095, 3))}));
  return root;
}

B sample_file() {
  return cfb::write(sample()).value();
}

TEST(Cfb, WriteThenRead) {
  const B file = sample_file();
  auto cf = cfb::compound_file::open(file);
  ASSERT_TRUE(cf) << cf.error().message();
  EXPECT_EQ(cf->header().MajorVersion, 3);
  EXPECT_EQ(cf->entry(cfb::root_id).name, u"Root Entry");
  // MS-CFB 2.6.4 order: shorter names first, then upper-case comparison.
  std::vector<std::u16string> names;
  for (auto id : cf->children(cfb::root_id)) names.push_back(cf->entry(id).name);
  EXPECT_EQ(names, (std::vector<std::u16string>{u"big", u"sub", u"empty", u"small"}));
  EXPECT_EQ(cf->read_stream(*cf->find(cfb::root_id, u"SMALL")).value(), pattern(100, 1));
  EXPECT_EQ(cf->read_stream(*cf->find(cfb::root_id, u"big")).value(), pattern(5000, 2));
  EXPECT_TRUE(cf->read_stream(*cf->find(cfb::root_id, u"empty")).value().empty());
  const auto sub = cf->find(cfb::root_id, u"sub");
  ASSERT_TRUE(sub && cf->entry(*sub).is_storage());
  EXPECT_EQ(cf->read_stream(*cf->find(*sub, u"inner")).value(), pattern(4095, 3));
  EXPECT_FALSE(cf->find(cfb::root_id, u"inner"));
  EXPECT_TRUE(fails_with(cf->read_stream(*sub), cfb::errc::not_a_stream, 1024 + 128 * *sub + 66));
}

TEST(Cfb, ZeroCopyWhenContiguous) {
  const B file = sample_file();
  auto cf = cfb::compound_file::open(file).value();
  std::vector<std::uint8_t> scratch;
  auto v = cf.read_stream(*cf.find(cfb::root_id, u"big"), scratch).value();
  EXPECT_TRUE(v.data() >= file.data() && v.data() < file.data() + file.size());
  EXPECT_TRUE(scratch.empty());
}

TEST(Cfb, ManyFatSectorsNeedDifat) {
  // 8 MiB of sectors take more than the header's 109 FAT sector slots (MS-CFB 2.5).
  cfb::node root = cfb::node::storage(u"");
  root.children.push_back(cfb::node::stream(u"huge", pattern(8 << 20, 7)));
  const B file = cfb::write(root).value();
  EXPECT_GT(load_le<std::uint32_t>(file.data() + 72), 0u);  // Number of DIFAT Sectors
  auto cf = cfb::compound_file::open(file).value();
  EXPECT_EQ(cf.read_stream(*cf.find(cfb::root_id, u"huge")).value(), pattern(8 << 20, 7));
}

TEST(Cfb, WriterRejectsBadNames) {
  cfb::node root = cfb::node::storage(u"");
  root.children.push_back(cfb::node::stream(u"Same", {}));
  root.children.push_back(cfb::node::stream(u"SAME", {}));
  EXPECT_TRUE(fails_with(cfb::write(root), cfb::errc::invalid_name, 0));
  root.children.pop_back();
  root.children.push_back(cfb::node::stream(std::u16string(32, u'x'), {}));
  EXPECT_TRUE(fails_with(cfb::write(root), cfb::errc::invalid_name, 0));
}

TEST(Cfb, CompareNames) {
  EXPECT_LT(cfb::compare_names(u"zz", u"aaa"), 0);  // length first
  EXPECT_EQ(cfb::compare_names(u"abc", u"ABC"), 0);
  EXPECT_LT(cfb::compare_names(u"abc", u"ABD"), 0);
}

// --- bad input ------------------------------------------------------------------------------

// Offset of directory entry `id` in a small written file: the directory is sector 1.
std::size_t entry_at(std::uint32_t id) {
  return 1024 + 128 * id;
}

TEST(CfbBad, Signature) {
  B file = sample_file();
  file[3] ^= 1;
  EXPECT_TRUE(fails_with(cfb::compound_file::open(file), cfb::errc::invalid_signature, 0));
}

TEST(CfbBad, SectorShift) {
  B file = sample_file();
  store_le<std::uint16_t>(file.data() + 30, 12);  // version 3 needs 9
  EXPECT_TRUE(fails_with(cfb::compound_file::open(file), cfb::errc::invalid_sector_shift, 30));
  store_le<std::uint16_t>(file.data() + 30, 10);
  EXPECT_TRUE(fails_with(cfb::compound_file::open(file), cfb::errc::invalid_sector_shift, 30));
  store_le<std::uint16_t>(file.data() + 26, 5);
  EXPECT_TRUE(fails_with(cfb::compound_file::open(file), cfb::errc::invalid_version, 26));
}

TEST(CfbBad, Truncated) {
  const B file = sample_file();
  EXPECT_TRUE(fails_with(cfb::compound_file::open(oxwire::bytes_view(file).first(40)),
                         oxwire::errc::truncated, 40));
  // Cut inside the big stream: it opens, but the stream read fails at the end of the file.
  const std::size_t cut = file.size() - 200;
  auto cf = cfb::compound_file::open(oxwire::bytes_view(file).first(cut)).value();
  EXPECT_TRUE(
      fails_with(cf.read_stream(*cf.find(cfb::root_id, u"big")), oxwire::errc::truncated, cut));
}

TEST(CfbBad, FatChainCycleAndRange) {
  B file = sample_file();
  auto cf = cfb::compound_file::open(file).value();
  const auto big = *cf.find(cfb::root_id, u"big");
  const std::uint32_t start = cf.entry(big).StartingSectorLocation;
  // The big stream's first FAT entry points back at itself.
  B loop = file;
  store_le<std::uint32_t>(loop.data() + 512 + 4 * start, start);
  auto c2 = cfb::compound_file::open(loop).value();
  EXPECT_TRUE(fails_with(c2.read_stream(big), cfb::errc::chain_cycle, 512 + 4 * start));
  // ... or past the end of the file.
  B far = file;
  store_le<std::uint32_t>(far.data() + 512 + 4 * start, 0x00100000);
  auto c3 = cfb::compound_file::open(far).value();
  EXPECT_TRUE(fails_with(c3.read_stream(big), cfb::errc::sector_out_of_range, 512 + 4 * start));
  // The directory chain itself cycles (sector 1 -> 1).
  B dir = file;
  store_le<std::uint32_t>(dir.data() + 512 + 4 * 1, 1);
  EXPECT_TRUE(fails_with(cfb::compound_file::open(dir), cfb::errc::chain_cycle, 512 + 4));
}

TEST(CfbBad, StreamPastChain) {
  B file = sample_file();
  auto cf = cfb::compound_file::open(file).value();
  const auto big = *cf.find(cfb::root_id, u"big");
  store_le<std::uint64_t>(file.data() + entry_at(big) + 120, 5000 + 512 * 4);
  auto c2 = cfb::compound_file::open(file).value();
  EXPECT_TRUE(fails_with(c2.read_stream(big), cfb::errc::stream_past_chain, entry_at(big) + 120));
}

TEST(CfbBad, DirectoryLoopAndIds) {
  B file = sample_file();
  auto cf = cfb::compound_file::open(file).value();
  const auto sub = *cf.find(cfb::root_id, u"sub");
  // The sub-storage's child is the root's child tree again: entries reached twice.
  B loop = file;
  store_le<std::uint32_t>(loop.data() + entry_at(sub) + 76, cf.entry(cfb::root_id).ChildID);
  EXPECT_TRUE(
      fails_with(cfb::compound_file::open(loop), cfb::errc::directory_loop, entry_at(sub) + 76));
  B self = file;
  store_le<std::uint32_t>(self.data() + entry_at(sub) + 68, sub);  // its own left sibling
  EXPECT_TRUE(
      fails_with(cfb::compound_file::open(self), cfb::errc::directory_loop, entry_at(sub) + 68));
  B range = file;
  store_le<std::uint32_t>(range.data() + entry_at(sub) + 72, 1000);
  EXPECT_TRUE(
      fails_with(cfb::compound_file::open(range), cfb::errc::invalid_entry, entry_at(sub) + 72));
  B type = file;
  type[entry_at(sub) + 66] = 9;
  EXPECT_TRUE(
      fails_with(cfb::compound_file::open(type), cfb::errc::invalid_entry, entry_at(sub) + 66));
}

TEST(CfbBad, DifatLoop) {
  // 109 + 127 + 1 FAT sectors listed, all sector 0; DIFAT sector 1 (file offset 1024) names
  // itself as the next one.
  B file(512 * 240, 0);
  std::copy(cfb::signature.begin(), cfb::signature.end(), file.begin());
  store_le<std::uint16_t>(file.data() + 24, 0x3E);
  store_le<std::uint16_t>(file.data() + 26, 3);
  store_le<std::uint16_t>(file.data() + 28, 0xFFFE);
  store_le<std::uint16_t>(file.data() + 30, 9);
  store_le<std::uint16_t>(file.data() + 32, 6);
  store_le<std::uint32_t>(file.data() + 44, 109 + 127 + 1);
  store_le<std::uint32_t>(file.data() + 56, 4096);
  store_le<std::uint32_t>(file.data() + 68, 1);
  store_le<std::uint32_t>(file.data() + 72, 5);
  store_le<std::uint32_t>(file.data() + 512 * 3 - 4, 1);
  EXPECT_TRUE(fails_with(cfb::compound_file::open(file), cfb::errc::difat_loop, 512 * 3 - 4));
}

// --- libolecf -------------------------------------------------------------------------------

void expect_same_as_libolecf(const std::filesystem::path& path, const B& bytes) {
  auto cf = cfb::compound_file::open(bytes);
  ASSERT_TRUE(cf) << path << ": " << cf.error().message();
  auto ours = oxwire_test::oxwire_streams(*cf);
  ASSERT_TRUE(ours) << path << ": " << ours.error().message();
  const auto theirs = oxwire_test::olecf_streams(path.string());
  ASSERT_TRUE(theirs) << path << ": libolecf cannot read it";
  EXPECT_EQ(*ours, *theirs) << path;
}

TEST(CfbLibolecf, EveryCorpusFile) {
  OXWIRE_REQUIRE_SHARED(dir, "corpus/msg");
  std::size_t n = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.path().extension() != ".msg") continue;
    expect_same_as_libolecf(e.path(), oxwire_test::read_file(e.path()));
    ++n;
  }
  EXPECT_GE(n, 100u);
}

TEST(CfbLibolecf, OurOutput) {
  const B file = sample_file();
  const auto path = std::filesystem::temp_directory_path() / "oxwire_cfb_sample.cfb";
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(file.data()), static_cast<std::streamsize>(file.size()));
  expect_same_as_libolecf(path, file);
  const auto theirs = oxwire_test::olecf_streams(path.string()).value();
  EXPECT_EQ(theirs.at("sub/inner"), 4095u);
  EXPECT_EQ(theirs.at("big"), 5000u);
  std::filesystem::remove(path);
}

}  // namespace test_cfb
