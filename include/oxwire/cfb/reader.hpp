// oxwire — Compound File Binary reader (MS-CFB): header, DIFAT, FAT, miniFAT, directory tree and
// stream contents over one byte view, validated when opened.
//
//   auto cf = oxwire::cfb::compound_file::open(bytes);             // result<compound_file>
//   auto id = cf->find(cfb::root_id, u"__properties_version1.0");  // optional<entry id>
//   auto data = cf->read_stream(*id);                              // result<std::vector<uint8_t>>
//   std::vector<std::uint8_t> scratch;
//   auto view = cf->read_stream(*id, scratch);  // zero-copy when the chain is contiguous
//
// Every chain walk is bounded by the sector count, every sector number is checked against the
// file, the DIFAT and directory walks keep visited sets: a malicious file gives an error with
// the absolute offset of the field that holds the bad value, never a hang. The tables kept in
// memory (FAT, miniFAT, directory) are no larger than the file itself.
#pragma once

#include <oxwire/cfb/error.hpp>
#include <oxwire/core/bytes.hpp>
#include <oxwire/core/guid.hpp>
#include <oxwire/core/reader.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace oxwire::cfb {

// MS-CFB 2.1: special sector numbers and the "no entry" directory id.
inline constexpr std::uint32_t MAXREGSECT = 0xFFFFFFFA;
inline constexpr std::uint32_t DIFSECT = 0xFFFFFFFC;
inline constexpr std::uint32_t FATSECT = 0xFFFFFFFD;
inline constexpr std::uint32_t ENDOFCHAIN = 0xFFFFFFFE;
inline constexpr std::uint32_t FREESECT = 0xFFFFFFFF;
inline constexpr std::uint32_t NOSTREAM = 0xFFFFFFFF;

/// MS-CFB 2.2 Header Signature.
inline constexpr std::array<std::uint8_t, 8> signature{0xD0, 0xCF, 0x11, 0xE0,
                                                       0xA1, 0xB1, 0x1A, 0xE1};
/// The directory id of the root storage (MS-CFB 2.6.2: always the first entry).
inline constexpr std::uint32_t root_id = 0;

/// MS-CFB 2.6.1 Object Type.
enum class object_type : std::uint8_t { unallocated = 0, storage = 1, stream = 2, root = 5 };
/// MS-CFB 2.6.1 Color Flag.
enum class color : std::uint8_t { red = 0, black = 1 };

/// MS-CFB 2.2 Compound File Header (the fields a reader uses).
struct header {
  std::uint16_t MinorVersion = 0x003E;
  std::uint16_t MajorVersion = 3;
  std::uint16_t SectorShift = 9;
  std::uint16_t MiniSectorShift = 6;
  std::uint32_t NumberOfDirectorySectors = 0;
  std::uint32_t NumberOfFATSectors = 0;
  std::uint32_t FirstDirectorySectorLocation = ENDOFCHAIN;
  std::uint32_t MiniStreamCutoffSize = 4096;
  std::uint32_t FirstMiniFATSectorLocation = ENDOFCHAIN;
  std::uint32_t NumberOfMiniFATSectors = 0;
  std::uint32_t FirstDIFATSectorLocation = ENDOFCHAIN;
  std::uint32_t NumberOfDIFATSectors = 0;
};

/// MS-CFB 2.6.1 Compound File Directory Entry.
struct directory_entry {
  std::u16string name;  // Directory Entry Name without its terminating NUL
  object_type ObjectType = object_type::unallocated;
  color ColorFlag = color::black;
  std::uint32_t LeftSiblingID = NOSTREAM;
  std::uint32_t RightSiblingID = NOSTREAM;
  std::uint32_t ChildID = NOSTREAM;
  oxwire::guid CLSID{};
  std::uint32_t StateBits = 0;
  std::uint64_t CreationTime = 0;
  std::uint64_t ModifiedTime = 0;
  std::uint32_t StartingSectorLocation = 0;
  std::uint64_t StreamSize = 0;

  [[nodiscard]] bool is_stream() const noexcept { return ObjectType == object_type::stream; }
  [[nodiscard]] bool is_storage() const noexcept {
    return ObjectType == object_type::storage || ObjectType == object_type::root;
  }
};

/// Limits of the reader.
struct options {
  std::size_t max_entries = 1 << 20;  // directory entries (4 per 512-byte sector)
};

/// MS-CFB 2.6.4: names compare by length first, then unit by unit in upper case. Upper-casing
/// is the simple Unicode mapping for ASCII and Latin-1 letters, which covers the names the
/// protocols use; other units compare as they are.
[[nodiscard]] constexpr char16_t upper(char16_t c) noexcept {
  if ((c >= u'a' && c <= u'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7))
    return static_cast<char16_t>(c - 0x20);
  if (c == 0xFF) return 0x178;
  return c;
}
[[nodiscard]] constexpr int compare_names(std::u16string_view a, std::u16string_view b) noexcept {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char16_t x = upper(a[i]), y = upper(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

/// A validated compound file over bytes the caller keeps alive.
class compound_file {
 public:
  /// Reads and checks the header, DIFAT, FAT, miniFAT, directory and tree; see the top of file.
  [[nodiscard]] static result<compound_file> open(bytes_view file, const options& opt = {});

  [[nodiscard]] const cfb::header& header() const noexcept { return header_; }
  [[nodiscard]] std::uint32_t sector_size() const noexcept { return 1u << header_.SectorShift; }
  /// Every directory entry, unused ones included, by id.
  [[nodiscard]] std::span<const directory_entry> entries() const noexcept { return entries_; }
  [[nodiscard]] const directory_entry& entry(std::uint32_t id) const { return entries_[id]; }
  /// The ids of a storage's children in tree (name) order.
  [[nodiscard]] std::span<const std::uint32_t> children(std::uint32_t storage) const {
    const auto [first, count] = child_range_[storage];
    return std::span<const std::uint32_t>(kids_).subspan(first, count);
  }
  /// The child of `storage` named `name` (MS-CFB 2.6.4 comparison), if any.
  [[nodiscard]] std::optional<std::uint32_t> find(std::uint32_t storage,
                                                  std::u16string_view name) const;

  /// The contents of a stream entry, copied out.
  [[nodiscard]] result<std::vector<std::uint8_t>> read_stream(std::uint32_t id) const {
    std::vector<std::uint8_t> out;
    auto v = read_stream(id, out);
    if (!v) return v.error();
    if (v->data() != out.data()) out.assign(v->begin(), v->end());
    return out;
  }
  /// The contents of a stream entry: a view into the file when its sectors are contiguous, else
  /// copied into `scratch` (and a view of it).
  [[nodiscard]] result<bytes_view> read_stream(std::uint32_t id,
                                               std::vector<std::uint8_t>& scratch) const;

  /// The sectors of the chain starting at `start` in the FAT (`mini` false) or miniFAT, checked
  /// and bounded: `chain(entry.StartingSectorLocation, false)`.
  [[nodiscard]] result<std::vector<std::uint32_t>> chain(std::uint32_t start, bool mini,
                                                         std::size_t at) const;

  /// The absolute file offset of byte `pos` of stream `id` (for errors found in stream data);
  /// the entry's own offset if `pos` lies outside the stream.
  [[nodiscard]] std::size_t file_offset(std::uint32_t id, std::size_t pos) const;

 private:
  [[nodiscard]] std::size_t sector_offset(std::uint32_t s) const noexcept {
    return (std::size_t{s} + 1) << header_.SectorShift;
  }
  [[nodiscard]] std::size_t entry_offset(std::uint32_t id) const noexcept {
    const std::size_t per = sector_size() / 128;
    return id / per < dir_chain_.size() ? sector_offset(dir_chain_[id / per]) + id % per * 128 : 0;
  }
  // Where mini sector `m` sits in the file (the mini stream is a FAT chain from the root entry).
  [[nodiscard]] std::size_t mini_offset(std::uint32_t m) const noexcept {
    const std::size_t pos = std::size_t{m} << header_.MiniSectorShift;
    return sector_offset(mini_stream_[pos >> header_.SectorShift]) + (pos & (sector_size() - 1));
  }
  [[nodiscard]] bool in_mini(const directory_entry& e) const noexcept {
    return e.ObjectType == object_type::stream && e.StreamSize < header_.MiniStreamCutoffSize;
  }
  [[nodiscard]] std::uint64_t size_of(const directory_entry& e) const noexcept {
    // MS-CFB 2.6.3: version 3 writers may leave garbage in the high 32 bits.
    return header_.MajorVersion == 3 ? e.StreamSize & 0xFFFFFFFF : e.StreamSize;
  }

  // Where the FAT (miniFAT) entry of sector `s` sits in the file.
  [[nodiscard]] std::size_t fat_entry_offset(std::uint32_t s, bool mini) const noexcept {
    const std::uint32_t per = sector_size() / 4;
    const auto& list = mini ? minifat_chain_ : fat_sectors_;
    return s / per < list.size() ? sector_offset(list[s / per]) + 4 * (s % per) : 0;
  }

  result<void> read_header();
  result<void> read_fat();
  result<void> read_directory(const options& opt);
  result<void> walk_tree();

  bytes_view file_{};
  cfb::header header_{};
  std::uint32_t sectors_ = 0;                 // sectors in the file (the last may be partial)
  std::vector<std::uint32_t> fat_;            // next sector, by sector
  std::vector<std::uint32_t> fat_sectors_;    // the sectors that hold the FAT
  std::vector<std::uint32_t> minifat_;        // next mini sector, by mini sector
  std::vector<std::uint32_t> minifat_chain_;  // the sectors that hold the miniFAT
  std::vector<std::uint32_t> dir_chain_;      // the directory's sectors
  std::vector<std::uint32_t> mini_stream_;    // the mini stream's sectors
  std::vector<directory_entry> entries_;
  std::vector<std::uint32_t> kids_;  // children of every storage, grouped
  std::vector<std::pair<std::uint32_t, std::uint32_t>> child_range_;  // (first, count) per id
};

// ---------------------------------------------------------------------------------------------

inline result<compound_file> compound_file::open(bytes_view file, const options& opt) {
  compound_file cf;
  cf.file_ = file;
  if (auto r = cf.read_header(); !r) return r.error();
  if (auto r = cf.read_fat(); !r) return r.error();
  if (auto r = cf.read_directory(opt); !r) return r.error();
  if (auto r = cf.walk_tree(); !r) return r.error();
  return cf;
}

// MS-CFB 2.2 Compound File Header.
inline result<void> compound_file::read_header() {
  reader in(file_);
  auto sig = in.bytes(8, "Header Signature");
  if (!sig) return sig.error();
  if (!std::ranges::equal(*sig, signature)) return error{errc::invalid_signature, 0, "Signature"};
  if (auto r = in.skip(16, "Header CLSID"); !r) return r.error();
  std::uint16_t byte_order = 0, reserved16 = 0;
  std::uint32_t reserved32 = 0, transaction = 0;
  cfb::header& h = header_;
  if (auto r = in.read_into("Header", h.MinorVersion, h.MajorVersion, byte_order, h.SectorShift,
                            h.MiniSectorShift, reserved16, reserved32, h.NumberOfDirectorySectors,
                            h.NumberOfFATSectors, h.FirstDirectorySectorLocation, transaction,
                            h.MiniStreamCutoffSize, h.FirstMiniFATSectorLocation,
                            h.NumberOfMiniFATSectors, h.FirstDIFATSectorLocation,
                            h.NumberOfDIFATSectors);
      !r)
    return r.error();
  if (h.MajorVersion != 3 && h.MajorVersion != 4)
    return error{errc::invalid_version, 26, "Major Version"};
  if (byte_order != 0xFFFE) return error{errc::invalid_version, 28, "Byte Order"};
  if (h.SectorShift != (h.MajorVersion == 3 ? 9 : 12))
    return error{errc::invalid_sector_shift, 30, "Sector Shift"};
  if (h.MiniSectorShift != 6) return error{errc::invalid_sector_shift, 32, "Mini Sector Shift"};
  if (h.MiniStreamCutoffSize != 4096)
    return error{errc::invalid_version, 56, "Mini Stream Cutoff Size"};
  const std::size_t ss = sector_size();
  if (file_.size() < ss) return error{oxwire::errc::truncated, file_.size(), "Header sector"};
  // The last sector may be cut short by sloppy writers; reads past the end still fail.
  sectors_ = static_cast<std::uint32_t>(
      std::min<std::size_t>((file_.size() - ss + ss - 1) / ss, MAXREGSECT + std::size_t{1}));
  return {};
}

// MS-CFB 2.5 (DIFAT) and 2.3 (FAT): the FAT sector list, then the FAT itself.
inline result<void> compound_file::read_fat() {
  const cfb::header& h = header_;
  const std::uint32_t per = sector_size() / 4;
  if (h.NumberOfFATSectors > sectors_)
    return error{errc::sector_out_of_range, 44, "Number of FAT Sectors"};
  std::vector<std::uint32_t>& fat_sectors = fat_sectors_;
  fat_sectors.reserve(h.NumberOfFATSectors);
  const auto take = [&](std::uint32_t s, std::size_t at) -> result<void> {
    if (fat_sectors.size() == h.NumberOfFATSectors) return {};
    if (s >= sectors_) return error{errc::sector_out_of_range, at, "DIFAT entry"};
    fat_sectors.push_back(s);
    return {};
  };
  for (std::uint32_t i = 0; i < 109; ++i) {
    const std::size_t at = 76 + 4 * i;
    if (auto r = take(oxwire::detail::load_le<std::uint32_t>(file_.data() + at), at); !r) return r;
  }
  std::vector<bool> seen(sectors_);
  std::uint32_t next = h.FirstDIFATSectorLocation;
  std::size_t next_at = 68;
  for (std::uint32_t n = 0; fat_sectors.size() < h.NumberOfFATSectors; ++n) {
    if (next == ENDOFCHAIN || next == FREESECT || n == h.NumberOfDIFATSectors)
      return error{oxwire::errc::truncated, next_at, "DIFAT chain"};
    if (next >= sectors_) return error{errc::sector_out_of_range, next_at, "Next DIFAT Sector"};
    if (seen[next]) return error{errc::difat_loop, next_at, "Next DIFAT Sector"};
    seen[next] = true;
    const std::size_t base = sector_offset(next);
    if (base + 4 * per > file_.size()) return error{oxwire::errc::truncated, base, "DIFAT sector"};
    for (std::uint32_t i = 0; i + 1 < per; ++i)
      if (auto r = take(oxwire::detail::load_le<std::uint32_t>(file_.data() + base + 4 * i),
                        base + 4 * i);
          !r)
        return r;
    next_at = base + 4 * (per - 1);
    next = oxwire::detail::load_le<std::uint32_t>(file_.data() + next_at);
  }
  fat_.assign(std::size_t{sectors_}, FREESECT);
  for (std::size_t k = 0; k < fat_sectors.size(); ++k) {
    const std::size_t base = sector_offset(fat_sectors[k]);
    for (std::uint32_t i = 0; i < per; ++i) {
      const std::size_t idx = k * per + i;
      if (idx >= sectors_) break;
      if (base + 4 * i + 4 > file_.size())
        return error{oxwire::errc::truncated, base + 4 * i, "FAT"};
      fat_[idx] = oxwire::detail::load_le<std::uint32_t>(file_.data() + base + 4 * i);
    }
  }
  return {};
}

inline result<std::vector<std::uint32_t>> compound_file::chain(std::uint32_t start, bool mini,
                                                               std::size_t at) const {
  const std::vector<std::uint32_t>& table = mini ? minifat_ : fat_;
  const char* what = mini ? "miniFAT chain" : "FAT chain";
  std::vector<std::uint32_t> out;
  for (std::uint32_t s = start; s != ENDOFCHAIN; s = table[s]) {
    if (s >= table.size()) return error{errc::sector_out_of_range, at, what};
    // A chain visiting more sectors than exist must revisit one.
    if (out.size() == table.size()) return error{errc::chain_cycle, at, what};
    out.push_back(s);
    at = fat_entry_offset(s, mini);
  }
  return out;
}

// MS-CFB 2.6 Compound File Directory Sectors and 2.4 MiniFAT Sectors.
inline result<void> compound_file::read_directory(const options& opt) {
  auto dir = chain(header_.FirstDirectorySectorLocation, false, 48);
  if (!dir) return dir.error();
  dir_chain_ = std::move(*dir);
  const std::size_t per = sector_size() / 128;
  const std::size_t count = dir_chain_.size() * per;
  if (count == 0) return error{errc::invalid_entry, 48, "Root Entry"};
  if (count > opt.max_entries) return error{oxwire::errc::limit_exceeded, 48, "directory entries"};
  entries_.resize(count);
  for (std::uint32_t id = 0; id < count; ++id) {
    const std::size_t at = entry_offset(id);
    if (at + 128 > file_.size()) return error{oxwire::errc::truncated, at, "Directory Entry"};
    reader in(file_.subspan(at, 128), at);
    directory_entry& e = entries_[id];
    const std::uint8_t* p = file_.data() + at;
    const auto name_len = oxwire::detail::load_le<std::uint16_t>(p + 64);
    const auto type = p[66];
    if (type == 0 && id != root_id) continue;  // unused: the rest of it does not matter
    if (type != 1 && type != 2 && type != 5)
      return error{errc::invalid_entry, at + 66, "Object Type"};
    if ((type == 5) != (id == root_id)) return error{errc::invalid_entry, at + 66, "Root Entry"};
    if (name_len > 64 || name_len % 2 != 0 || name_len < 2)
      return error{errc::invalid_entry, at + 64, "Directory Entry Name Length"};
    e.name.resize(name_len / 2 - 1);
    for (std::size_t i = 0; i < e.name.size(); ++i)
      e.name[i] = static_cast<char16_t>(oxwire::detail::load_le<std::uint16_t>(p + 2 * i));
    e.ObjectType = static_cast<object_type>(type);
    e.ColorFlag = static_cast<color>(p[67] & 1);
    (void)in.skip(68);
    (void)in.read_into(e.LeftSiblingID, e.RightSiblingID, e.ChildID);
    (void)oxwire::decode(in, e.CLSID);
    (void)in.read_into(e.StateBits, e.CreationTime, e.ModifiedTime, e.StartingSectorLocation,
                       e.StreamSize);
    const std::uint32_t ids[] = {e.LeftSiblingID, e.RightSiblingID, e.ChildID};
    for (std::size_t k = 0; k < 3; ++k)
      if (ids[k] != NOSTREAM && ids[k] >= count)
        return error{errc::invalid_entry, at + 68 + 4 * k, "sibling or child ID"};
  }
  // The miniFAT, and the mini stream it indexes (held by the root entry).
  const directory_entry& root = entries_[root_id];
  const std::uint64_t mini_size = size_of(root);
  if (mini_size > 0) {
    auto ms = chain(root.StartingSectorLocation, false, entry_offset(root_id) + 116);
    if (!ms) return ms.error();
    if (mini_size > std::uint64_t{ms->size()} << header_.SectorShift)
      return error{errc::stream_past_chain, entry_offset(root_id) + 120, "mini stream size"};
    mini_stream_ = std::move(*ms);
  }
  if (header_.NumberOfMiniFATSectors > 0 && header_.FirstMiniFATSectorLocation != ENDOFCHAIN) {
    auto mf = chain(header_.FirstMiniFATSectorLocation, false, 60);
    if (!mf) return mf.error();
    minifat_chain_ = std::move(*mf);
    // Mini sectors past the end of the mini stream cannot hold data.
    const std::size_t mini_sectors = (mini_size + 63) / 64;
    minifat_.resize(std::min(minifat_chain_.size() * (sector_size() / 4), mini_sectors));
    for (std::size_t i = 0; i < minifat_.size(); ++i) {
      const std::size_t at = fat_entry_offset(static_cast<std::uint32_t>(i), true);
      if (at + 4 > file_.size()) return error{oxwire::errc::truncated, at, "miniFAT"};
      minifat_[i] = oxwire::detail::load_le<std::uint32_t>(file_.data() + at);
    }
  }
  return {};
}

// MS-CFB 2.6.4: each storage's children form a binary tree through Left/Right Sibling IDs.
inline result<void> compound_file::walk_tree() {
  const std::size_t count = entries_.size();
  std::vector<bool> seen(count);
  child_range_.assign(count, {0, 0});
  seen[root_id] = true;
  std::vector<std::uint32_t> storages{root_id}, stack;
  const auto push_left = [&](std::uint32_t id, std::size_t at) -> result<void> {
    for (; id != NOSTREAM; at = entry_offset(id) + 68, id = entries_[id].LeftSiblingID) {
      if (seen[id]) return error{errc::directory_loop, at, "sibling or child ID"};
      const object_type t = entries_[id].ObjectType;
      if (t != object_type::storage && t != object_type::stream)
        return error{errc::invalid_entry, at, "sibling or child ID"};
      seen[id] = true;
      stack.push_back(id);
    }
    return {};
  };
  for (std::size_t k = 0; k < storages.size(); ++k) {
    const std::uint32_t s = storages[k];
    const auto first = static_cast<std::uint32_t>(kids_.size());
    if (auto r = push_left(entries_[s].ChildID, entry_offset(s) + 76); !r) return r;
    while (!stack.empty()) {
      const std::uint32_t id = stack.back();
      stack.pop_back();
      kids_.push_back(id);
      if (entries_[id].ObjectType == object_type::storage) storages.push_back(id);
      if (auto r = push_left(entries_[id].RightSiblingID, entry_offset(id) + 72); !r) return r;
    }
    child_range_[s] = {first, static_cast<std::uint32_t>(kids_.size()) - first};
  }
  return {};
}

inline std::optional<std::uint32_t> compound_file::find(std::uint32_t storage,
                                                        std::u16string_view name) const {
  // The tree is loop-free (walk_tree), so the descent ends.
  for (std::uint32_t id = entries_[storage].ChildID; id != NOSTREAM;) {
    const int c = compare_names(name, entries_[id].name);
    if (c == 0) return id;
    id = c < 0 ? entries_[id].LeftSiblingID : entries_[id].RightSiblingID;
  }
  // Some writers order siblings by another comparison; every child is still reachable.
  for (std::uint32_t id : children(storage))
    if (compare_names(name, entries_[id].name) == 0) return id;
  return std::nullopt;
}

inline result<bytes_view> compound_file::read_stream(std::uint32_t id,
                                                     std::vector<std::uint8_t>& scratch) const {
  const std::size_t at = entry_offset(id);
  if (id >= entries_.size() || !entries_[id].is_stream())
    return error{errc::not_a_stream, at + 66, "Object Type"};
  const directory_entry& e = entries_[id];
  const std::uint64_t size = size_of(e);
  if (size == 0) return bytes_view{};
  const bool mini = in_mini(e);
  const std::size_t unit = mini ? 64 : sector_size();
  auto sectors = chain(e.StartingSectorLocation, mini, at + 116);
  if (!sectors) return sectors.error();
  if (size > std::uint64_t{sectors->size()} * unit)
    return error{errc::stream_past_chain, at + 120, "Stream Size"};
  const std::size_t n = static_cast<std::size_t>((size + unit - 1) / unit);
  const auto where = [&](std::uint32_t s) { return mini ? mini_offset(s) : sector_offset(s); };
  bool contiguous = true;
  for (std::size_t i = 1; i < n && contiguous; ++i)
    contiguous = where((*sectors)[i]) == where((*sectors)[i - 1]) + unit;
  if (contiguous) {
    const std::size_t first = where((*sectors)[0]);
    if (first > file_.size() || file_.size() - first < size)
      return error{oxwire::errc::truncated, file_.size(), "stream sector"};
    return file_.subspan(first, static_cast<std::size_t>(size));
  }
  scratch.resize(static_cast<std::size_t>(size));
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t from = where((*sectors)[i]);
    const std::size_t len = std::min<std::size_t>(unit, static_cast<std::size_t>(size) - i * unit);
    if (from > file_.size() || file_.size() - from < len)
      return error{oxwire::errc::truncated, file_.size(), "stream sector"};
    std::memcpy(scratch.data() + i * unit, file_.data() + from, len);
  }
  return bytes_view(scratch);
}

inline std::size_t compound_file::file_offset(std::uint32_t id, std::size_t pos) const {
  const std::size_t at = entry_offset(id);
  if (id >= entries_.size() || !entries_[id].is_stream() || pos >= size_of(entries_[id])) return at;
  const bool mini = in_mini(entries_[id]);
  const std::size_t unit = mini ? 64 : sector_size();
  auto sectors = chain(entries_[id].StartingSectorLocation, mini, at);
  if (!sectors || pos / unit >= sectors->size()) return at;
  const std::uint32_t s = (*sectors)[pos / unit];
  return (mini ? mini_offset(s) : sector_offset(s)) + pos % unit;
}

}  // namespace oxwire::cfb
