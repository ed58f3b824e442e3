// libFuzzer: the generic typed-model decoder (model_codec.hpp) on arbitrary WBXML, for response
// and request models. It never crashes; whatever it accepts encodes to canonical WBXML that
// decodes to the same value.
#include <oxwire/activesync/model_codec.hpp>
#include <oxwire/gen/activesync/models/find_request.hpp>
#include <oxwire/gen/activesync/models/foldersync.hpp>
#include <oxwire/gen/activesync/models/foldersync_request.hpp>
#include <oxwire/gen/activesync/models/itemoperations_request.hpp>
#include <oxwire/gen/activesync/models/meetingresponse_request.hpp>
#include <oxwire/gen/activesync/models/ping.hpp>
#include <oxwire/gen/activesync/models/provision_request.hpp>
#include <oxwire/gen/activesync/models/resolverecipients_request.hpp>
#include <oxwire/gen/activesync/models/search_request.hpp>
#include <oxwire/gen/activesync/models/sendmail_request.hpp>
#include <oxwire/gen/activesync/models/settings_request.hpp>
#include <oxwire/gen/activesync/models/smartforward_request.hpp>
#include <oxwire/gen/activesync/models/sync.hpp>
#include <oxwire/gen/activesync/models/sync_request.hpp>

#include <array>
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

namespace model = oxwire::activesync::model;
// First input byte (mod the count): which root to read the rest as; 0..3 as before.
constexpr std::array roots = {
    &round_trip<model::Sync>,
    &round_trip<model::FolderSync>,
    &round_trip<model::Ping>,
    &round_trip<model::request::FolderSync>,
    &round_trip<model::request::Sync>,
    &round_trip<model::request::Provision>,
    &round_trip<model::request::Settings>,
    &round_trip<model::request::ItemOperations>,
    &round_trip<model::request::Search>,
    &round_trip<model::request::SendMail>,
    &round_trip<model::request::SmartForward>,
    &round_trip<model::request::MeetingResponse>,
    &round_trip<model::request::ResolveRecipients>,
    &round_trip<model::request::Find>,
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  roots[data[0] % roots.size()](oxwire::bytes_view(data + 1, size - 1));
  return 0;
}
