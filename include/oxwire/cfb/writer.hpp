// oxwire — Compound File Binary writer (MS-CFB version 3, 512-byte sectors): a tree of storages
// and streams to the bytes of one compound file.
//
//   cfb::node root = cfb::node::storage(u"Root Entry");
//   root.children.push_back(cfb::node::stream(u"Contents", bytes));
//   auto file = cfb::write(root);                       // result<std::vector<std::uint8_t>>
//
// Streams below 4096 bytes go to the mini stream (MS-CFB 2.4); siblings form a balanced binary
// tree with every node black, which MS-CFB 2.6.4 allows. Layout: FAT sectors, DIFAT sectors,
// directory, miniFAT, mini stream, then the other streams, each contiguous.
#pragma once

#include <oxwire/cfb/reader.hpp>  // constants, object_type, compare_names
#include <oxwire/core/writer.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace oxwire::cfb {

/// A storage or stream to write. The root node's name is ignored ("Root Entry" is written).
struct node {
  std::u16string name;
  object_type type = object_type::stream;  // stream or storage
  std::vector<std::uint8_t> data{};        // a stream's contents
  std::vector<node> children{};            // a storage's children, in any order
  oxwire::guid clsid{};                    // a storage's CLSID

  [[nodiscard]] static node stream(std::u16string name, std::vector<std::uint8_t> data) {
    return {std::move(name), object_type::stream, std::move(data), {}, {}};
  }
  [[nodiscard]] static node storage(std::u16string name, std::vector<node> children = {}) {
    return {std::move(name), object_type::storage, {}, std::move(children), {}};
  }
};

namespace detail {

struct flat_entry {
  const node* n = nullptr;
  std::uint32_t left = NOSTREAM, right = NOSTREAM, child = NOSTREAM;
  std::uint32_t start = ENDOFCHAIN;
};

// Gives `kids` (sorted) ids first..first+n and links them as a balanced tree; returns its root.
inline std::uint32_t link_balanced(std::vector<flat_entry>& out, std::uint32_t first,
                                   std::uint32_t lo, std::uint32_t hi) {
  if (lo >= hi) return NOSTREAM;
  const std::uint32_t mid = lo + (hi - lo) / 2;
  out[first + mid].left = link_balanced(out, first, lo, mid);
  out[first + mid].right = link_balanced(out, first, mid + 1, hi);
  return first + mid;
}

inline std::uint32_t sectors_for(std::size_t bytes, std::size_t unit) {
  return static_cast<std::uint32_t>((bytes + unit - 1) / unit);
}

}  // namespace detail

/// Writes `root` and everything under it as a version 3 compound file. Errors: invalid_name
/// (a name over 31 UTF-16 units, empty, or equal to a sibling's under MS-CFB 2.6.4 comparison),
/// errc::limit_exceeded (more than 4 GiB of sectors).
[[nodiscard]] inline result<std::vector<std::uint8_t>> write(const node& root) {
  using oxwire::detail::store_le;
  constexpr std::size_t ss = 512, per = ss / 4;

  // Directory: breadth first, each storage's children sorted and given consecutive ids.
  std::vector<detail::flat_entry> dir{{&root}};
  for (std::size_t k = 0; k < dir.size(); ++k) {
    const node& s = *dir[k].n;
    if (s.type != object_type::storage && k != 0) continue;
    std::vector<const node*> kids;
    for (const node& c : s.children) kids.push_back(&c);
    std::ranges::sort(
        kids, [](const node* a, const node* b) { return compare_names(a->name, b->name) < 0; });
    for (std::size_t i = 0; i < kids.size(); ++i) {
      if (kids[i]->name.empty() || kids[i]->name.size() > 31 ||
          (i > 0 && compare_names(kids[i - 1]->name, kids[i]->name) == 0))
        return error{errc::invalid_name, k, "Directory Entry Name"};
    }
    const auto first = static_cast<std::uint32_t>(dir.size());
    for (const node* c : kids) dir.push_back({c});
    dir[k].child = detail::link_balanced(dir, first, 0, static_cast<std::uint32_t>(kids.size()));
  }

  // Mini stream (streams below the cutoff) and regular streams.
  std::vector<std::uint32_t> minifat;
  std::size_t regular = 0;
  for (auto& e : dir) {
    if (e.n->type != object_type::stream || e.n->data.empty()) continue;
    if (e.n->data.size() < 4096) {
      const std::uint32_t n = detail::sectors_for(e.n->data.size(), 64);
      e.start = static_cast<std::uint32_t>(minifat.size());
      for (std::uint32_t i = 0; i < n; ++i)
        minifat.push_back(i + 1 < n ? e.start + i + 1 : ENDOFCHAIN);
    } else {
      regular += detail::sectors_for(e.n->data.size(), ss);
    }
  }
  const std::size_t mini_bytes = minifat.size() * 64;
  const std::size_t dir_sectors = detail::sectors_for(dir.size() * 128, ss);
  const std::size_t minifat_sectors = detail::sectors_for(minifat.size() * 4, ss);
  const std::size_t mini_sectors = detail::sectors_for(mini_bytes, ss);
  const std::size_t data = dir_sectors + minifat_sectors + mini_sectors + regular;
  // MS-CFB 2.3/2.5: the FAT covers every sector, its own and the DIFAT's included.
  std::size_t fat_n = 1, difat_n = 0;
  for (;;) {
    difat_n = fat_n > 109 ? (fat_n - 109 + per - 2) / (per - 1) : 0;
    if (fat_n * per >= data + fat_n + difat_n) break;
    ++fat_n;
  }
  const std::size_t total = data + fat_n + difat_n;
  if (total >= MAXREGSECT) return error{oxwire::errc::limit_exceeded, 0, "sector count"};

  std::vector<std::uint32_t> fat(fat_n * per, FREESECT);
  std::uint32_t next = 0;
  const auto place = [&](std::size_t n) {  // n consecutive sectors as one chain
    const std::uint32_t first = n ? next : ENDOFCHAIN;
    for (std::size_t i = 0; i < n; ++i, ++next) fat[next] = i + 1 < n ? next + 1 : ENDOFCHAIN;
    return first;
  };
  for (std::size_t i = 0; i < fat_n; ++i) fat[next++] = FATSECT;
  const std::uint32_t difat_first = difat_n ? next : ENDOFCHAIN;
  for (std::size_t i = 0; i < difat_n; ++i) fat[next++] = DIFSECT;
  const std::uint32_t dir_first = place(dir_sectors);
  const std::uint32_t minifat_first = place(minifat_sectors);
  const std::uint32_t mini_first = place(mini_sectors);
  for (auto& e : dir)
    if (e.n->type == object_type::stream && e.n->data.size() >= 4096)
      e.start = place(detail::sectors_for(e.n->data.size(), ss));

  std::vector<std::uint8_t> out((total + 1) * ss, 0);
  const auto at = [&](std::uint32_t sector) { return out.data() + (std::size_t{sector} + 1) * ss; };
  // MS-CFB 2.2 header.
  std::uint8_t* h = out.data();
  std::ranges::copy(signature, h);
  store_le<std::uint16_t>(h + 24, 0x003E);
  store_le<std::uint16_t>(h + 26, 3);
  store_le<std::uint16_t>(h + 28, 0xFFFE);
  store_le<std::uint16_t>(h + 30, 9);
  store_le<std::uint16_t>(h + 32, 6);
  store_le<std::uint32_t>(h + 44, static_cast<std::uint32_t>(fat_n));
  store_le<std::uint32_t>(h + 48, dir_first);
  store_le<std::uint32_t>(h + 56, 4096);
  store_le<std::uint32_t>(h + 60, minifat_first);
  store_le<std::uint32_t>(h + 64, static_cast<std::uint32_t>(minifat_sectors));
  store_le<std::uint32_t>(h + 68, difat_first);
  store_le<std::uint32_t>(h + 72, static_cast<std::uint32_t>(difat_n));
  for (std::size_t i = 0; i < 109; ++i)
    store_le<std::uint32_t>(h + 76 + 4 * i, i < fat_n ? static_cast<std::uint32_t>(i) : FREESECT);
  // DIFAT sectors: FAT sector numbers past the first 109, chained through their last entry.
  for (std::size_t d = 0; d < difat_n; ++d) {
    std::uint8_t* p = at(static_cast<std::uint32_t>(fat_n + d));
    for (std::size_t i = 0; i + 1 < per; ++i) {
      const std::size_t f = 109 + d * (per - 1) + i;
      store_le<std::uint32_t>(p + 4 * i, f < fat_n ? static_cast<std::uint32_t>(f) : FREESECT);
    }
    store_le<std::uint32_t>(p + 4 * (per - 1), d + 1 < difat_n
                                                   ? static_cast<std::uint32_t>(fat_n + d + 1)
                                                   : ENDOFCHAIN);
  }
  for (std::size_t i = 0; i < fat.size(); ++i)
    store_le<std::uint32_t>(at(static_cast<std::uint32_t>(i / per)) + 4 * (i % per), fat[i]);
  for (std::size_t i = 0; i < minifat_sectors * per; ++i)
    store_le<std::uint32_t>(at(static_cast<std::uint32_t>(minifat_first + i / per)) + 4 * (i % per),
                            i < minifat.size() ? minifat[i] : FREESECT);

  // MS-CFB 2.6.1 directory entries; unused ones keep zeros and NOSTREAM ids.
  for (std::size_t id = 0; id < dir_sectors * (ss / 128); ++id) {
    std::uint8_t* p = at(static_cast<std::uint32_t>(dir_first + id / 4)) + id % 4 * 128;
    if (id >= dir.size()) {
      for (std::size_t f = 68; f < 80; f += 4) store_le<std::uint32_t>(p + f, NOSTREAM);
      continue;
    }
    const detail::flat_entry& e = dir[id];
    const std::u16string_view name = id == 0 ? u"Root Entry" : std::u16string_view(e.n->name);
    for (std::size_t i = 0; i < name.size(); ++i)
      store_le<std::uint16_t>(p + 2 * i, static_cast<std::uint16_t>(name[i]));
    store_le<std::uint16_t>(p + 64, static_cast<std::uint16_t>((name.size() + 1) * 2));
    p[66] = static_cast<std::uint8_t>(id == 0 ? object_type::root : e.n->type);
    p[67] = static_cast<std::uint8_t>(color::black);
    store_le<std::uint32_t>(p + 68, e.left);
    store_le<std::uint32_t>(p + 72, e.right);
    store_le<std::uint32_t>(p + 76, e.child);
    if (e.n->type == object_type::storage || id == 0) {
      std::vector<std::uint8_t> clsid;
      vector_writer w(clsid);
      (void)oxwire::encode(w, e.n->clsid);
      std::ranges::copy(clsid, p + 80);
    }
    if (id == 0) {
      store_le<std::uint32_t>(p + 116, mini_first);
      store_le<std::uint64_t>(p + 120, mini_bytes);
    } else if (e.n->type == object_type::stream) {
      store_le<std::uint32_t>(p + 116, e.start);
      store_le<std::uint64_t>(p + 120, e.n->data.size());
      const std::vector<std::uint8_t>& d = e.n->data;
      if (d.empty()) continue;
      if (d.size() < 4096) {
        for (std::size_t i = 0; i < d.size(); i += 64) {
          const std::size_t pos = (std::size_t{e.start} * 64) + i;
          std::copy_n(d.begin() + static_cast<std::ptrdiff_t>(i),
                      std::min<std::size_t>(64, d.size() - i),
                      at(static_cast<std::uint32_t>(mini_first + pos / ss)) + pos % ss);
        }
      } else {
        std::ranges::copy(d, at(e.start));
      }
    }
  }
  return out;
}

}  // namespace oxwire::cfb
