// Fuzzes the MS-CFB reader: arbitrary bytes open as a compound file or fail with an offset inside
// the input, never a crash or hang; every stream of a file that opens reads or fails inside the
// input, and the tree rewritten by our writer opens again with the same streams.
#include <oxwire/cfb.hpp>

#include <cstdint>
#include <cstdlib>
#include <vector>

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

namespace cfb = oxwire::cfb;

// The tree under `storage` as writer nodes; false if a stream does not read.
bool copy_tree(const cfb::compound_file& cf, std::uint32_t storage, cfb::node& out,
               std::size_t size) {
  for (std::uint32_t id : cf.children(storage)) {
    const auto& e = cf.entry(id);
    if (e.is_storage()) {
      out.children.push_back(cfb::node::storage(e.name));
      if (!copy_tree(cf, id, out.children.back(), size)) return false;
      continue;
    }
    auto data = cf.read_stream(id);
    if (!data) {
      require(data.error().offset <= size);
      return false;
    }
    require(data->size() <= size);  // a stream is never larger than the file
    out.children.push_back(cfb::node::stream(e.name, std::move(*data)));
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const oxwire::bytes_view in(data, size);
  auto cf = cfb::compound_file::open(in, {.max_entries = 4096});
  if (!cf) {
    require(cf.error().offset <= size);
    return 0;
  }
  cfb::node root = cfb::node::storage(u"");
  if (!copy_tree(*cf, cfb::root_id, root, size)) return 0;
  // Names the reader accepted may still be ones the writer refuses (duplicates, empty).
  const auto again = cfb::write(root);
  if (!again) return 0;
  const auto back = cfb::compound_file::open(*again);
  require(back.has_value());
  cfb::node copy = cfb::node::storage(u"");
  require(copy_tree(*back, cfb::root_id, copy, again->size()));
  require(cfb::write(copy).value() == *again);
  return 0;
}
