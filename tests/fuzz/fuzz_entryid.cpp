// Fuzzes the MS-OXCDATA EntryID and identifier decoders: decode_entryid on the whole input, and
// the fixed-size identifiers and SizedXid read from its start. Every success must encode back to
// exactly the bytes it was read from (the codecs do not canonicalise) and decode again to the same
// value; every failure must be an error inside the input.
#include <oxwire/mapi/entryid.hpp>
#include <oxwire/mapi/ids.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <vector>

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

template <class T>
std::vector<std::uint8_t> encoded(const T& value) {
  std::vector<std::uint8_t> out;
  oxwire::vector_writer w(out);
  require(oxwire::mapi::encode(w, value).has_value());
  return out;
}

// decode(reader) -> result<T>: on success the consumed bytes round-trip; on failure the reader
// has not moved and the offset lies in the input.
template <class Decode>
void check_prefix(oxwire::bytes_view input, Decode decode) {
  oxwire::reader in(input);
  const auto v = decode(in);
  if (!v) {
    require(in.position() == 0 && v.error().offset <= input.size());
    return;
  }
  const auto bytes = encoded(*v);
  require(bytes.size() == in.position() && std::equal(bytes.begin(), bytes.end(), input.begin()));
  oxwire::reader again(bytes);
  require(decode(again).value() == *v);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace mapi = oxwire::mapi;
  const oxwire::bytes_view input(data, size);

  const auto e = mapi::decode_entryid(input);
  if (e) {
    const auto bytes = encoded(*e);
    require(std::equal(bytes.begin(), bytes.end(), input.begin(), input.end()));
    require(mapi::decode_entryid(bytes).value() == *e);
  } else {
    require(e.error().offset <= size);
  }

  check_prefix(input, [](oxwire::reader& in) { return mapi::decode_folder_id(in); });
  check_prefix(input, [](oxwire::reader& in) { return mapi::decode_long_term_id(in); });
  check_prefix(input, [](oxwire::reader& in) { return mapi::decode_sized_xid(in); });
  check_prefix(input, [](oxwire::reader& in) { return mapi::decode_folder_entryid(in); });
  check_prefix(input, [](oxwire::reader& in) { return mapi::decode_one_off_entryid(in); });
  check_prefix(input, [](oxwire::reader& in) { return mapi::decode_contact_address_entryid(in); });
  return 0;
}
