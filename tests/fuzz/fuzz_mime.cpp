// Fuzzes include/oxwire/server/mime.hpp: any bytes parse into a message or a clear error, never a
// crash; a parsed message's attachment sizes match their data, and an attached message/rfc822
// parses again (with small limits, so deep or wide MIME trees hit limit_exceeded).
#include <oxwire/server/mime.hpp>

#include <cstdint>
#include <cstdlib>

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace prop = oxwire::mapi::prop;
  const oxwire::server::mime_options opts{.max_size = 1 << 20, .max_parts = 64};
  const auto m = oxwire::server::parse_mime({data, size}, opts);
  if (!m) {
    require(m.error().what != nullptr);
    return 0;
  }
  require(m->properties.get(prop::PidTagMessageClass).has_value());
  require(m->properties.get(prop::PidTagHasAttachments) == !m->attachments.empty());
  for (const auto& a : m->attachments) {
    const auto bytes = a.properties.get(prop::PidTagAttachDataBinary);
    require(bytes &&
            a.properties.get(prop::PidTagAttachSize) == static_cast<std::int32_t>(bytes->size()));
    (void)oxwire::server::parse_mime(*bytes, opts);
  }
  return 0;
}
