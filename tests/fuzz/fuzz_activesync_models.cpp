// libFuzzer: the generic typed-model decoder (model_codec.hpp) on arbitrary WBXML. It never
// crashes; whatever it accepts encodes to canonical WBXML that decodes to the same value.
#include <oxwire/activesync/model_codec.hpp>
#include <oxwire/gen/activesync/models/foldersync.hpp>
#include <oxwire/gen/activesync/models/foldersync_request.hpp>
#include <oxwire/gen/activesync/models/ping.hpp>
#include <oxwire/gen/activesync/models/sync.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

template <class T>
void round_trip(oxwire::bytes_view in) {
  const auto v = oxwire::activesync::decode<T>(in);
  if (!v) {
    if (v.error().offset > in.size()) std::abort();
    return;
  }
  const auto bytes = oxwire::activesync::encode(*v);
  if (!bytes) std::abort();  // a decoded value always encodes
  const auto again = oxwire::activesync::decode<T>(*bytes);
  if (!again || !(*again == *v)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace model = oxwire::activesync::model;
  if (size < 1) return 0;
  const oxwire::bytes_view in(data + 1, size - 1);
  switch (data[0] & 3) {  // first byte: which root to read the rest as
    case 0: round_trip<model::Sync>(in); break;
    case 1: round_trip<model::FolderSync>(in); break;
    case 2: round_trip<model::Ping>(in); break;
    default: round_trip<model::request::FolderSync>(in); break;
  }
  return 0;
}
