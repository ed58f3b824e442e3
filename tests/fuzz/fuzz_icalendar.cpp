// Fuzzes include/oxwire/server/icalendar.hpp: any bytes give an invitation or a clear error, never
// a crash or an abort() inside libical; an invitation has a METHOD, a UID, an end not before its
// start, no more attendees than the limit, and a rule in the shapes MS-OXOCAL patterns hold.
#include <oxwire/server/icalendar.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto inv = oxwire::server::parse_invitation(text, {.max_size = 1 << 16});
  if (!inv) {
    require(inv.error().what != nullptr && inv.error().offset == 0);
    return 0;
  }
  require(!inv->method.empty() && !inv->uid.empty() && inv->end >= inv->start);
  require(inv->attendees.size() <= oxwire::server::icalendar_options{}.max_attendees);
  if (inv->rule) {
    const auto& r = *inv->rule;
    require(r.interval >= 1 && r.position >= -1 && r.position <= 4 && r.days < 0x80);
    require(r.position == 0 || (r.days != 0 && !r.month_day));
  }
  return 0;
}
