// libolecf (Debian libolecf-dev) as the oracle of the MS-CFB tests and benchmark: every stream of
// a compound file by path, with its size, and the same walk over our reader.
#pragma once

// libolecf.h pulls in libbfio.h (not packaged) for functions we do not use.
#include <libolecf/features.h>
#undef LIBOLECF_HAVE_BFIO
#include <libolecf.h>
#include <oxwire/cfb.hpp>
#include <oxwire/core/utf16.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace oxwire_test {

/// "storage/stream" (UTF-8) -> stream size.
using stream_sizes = std::map<std::string, std::uint64_t>;

namespace detail {
inline bool olecf_walk(libolecf_item_t* item, const std::string& prefix, stream_sizes& out,
                       bool read, std::vector<std::uint8_t>& buf) {
  int n = 0;
  if (libolecf_item_get_number_of_sub_items(item, &n, nullptr) != 1) return false;
  for (int i = 0; i < n; ++i) {
    libolecf_item_t* sub = nullptr;
    if (libolecf_item_get_sub_item(item, i, &sub, nullptr) != 1) return false;
    std::size_t name_size = 0;
    std::string name;
    if (libolecf_item_get_utf8_name_size(sub, &name_size, nullptr) == 1 && name_size > 0) {
      name.resize(name_size);
      libolecf_item_get_utf8_name(sub, reinterpret_cast<std::uint8_t*>(name.data()), name_size,
                                  nullptr);
      name.resize(name_size - 1);
    }
    std::uint8_t type = 0;
    std::uint32_t size = 0;
    libolecf_item_get_type(sub, &type, nullptr);
    bool ok = true;
    if (type == LIBOLECF_ITEM_TYPE_STREAM) {
      libolecf_item_get_size(sub, &size, nullptr);
      out[prefix + name] = size;
      if (read && size > 0) {
        buf.resize(size);
        ok = libolecf_stream_read_buffer(sub, buf.data(), size, nullptr) == ssize_t(size);
      }
    } else {
      ok = olecf_walk(sub, prefix + name + "/", out, read, buf);
    }
    libolecf_item_free(&sub, nullptr);
    if (!ok) return false;
  }
  return true;
}
}  // namespace detail

/// libolecf's view of the file at `path` (reading every stream when `read`), or nullopt.
inline std::optional<stream_sizes> olecf_streams(const std::string& path, bool read = false) {
  libolecf_file_t* file = nullptr;
  if (libolecf_file_initialize(&file, nullptr) != 1) return std::nullopt;
  std::optional<stream_sizes> out;
  if (libolecf_file_open(file, path.c_str(), LIBOLECF_OPEN_READ, nullptr) == 1) {
    libolecf_item_t* root = nullptr;
    if (libolecf_file_get_root_item(file, &root, nullptr) == 1) {
      stream_sizes s;
      std::vector<std::uint8_t> buf;
      if (detail::olecf_walk(root, "", s, read, buf)) out = std::move(s);
      libolecf_item_free(&root, nullptr);
    }
    libolecf_file_close(file, nullptr);
  }
  libolecf_file_free(&file, nullptr);
  return out;
}

/// Our reader's view: every stream by path with its size, each read in full.
inline oxwire::result<stream_sizes> oxwire_streams(const oxwire::cfb::compound_file& cf) {
  stream_sizes out;
  std::vector<std::uint8_t> scratch;
  std::vector<std::pair<std::uint32_t, std::string>> todo{{oxwire::cfb::root_id, ""}};
  while (!todo.empty()) {
    auto [storage, prefix] = todo.back();
    todo.pop_back();
    for (std::uint32_t id : cf.children(storage)) {
      const auto& e = cf.entry(id);
      const std::string name =
          oxwire::utf16::to_utf8(e.name, oxwire::utf16::policy::replace).value();
      if (e.is_storage()) {
        todo.emplace_back(id, prefix + name + "/");
        continue;
      }
      auto s = cf.read_stream(id, scratch);
      if (!s) return s.error();
      out[prefix + name] = s->size();
    }
  }
  return out;
}

}  // namespace oxwire_test
