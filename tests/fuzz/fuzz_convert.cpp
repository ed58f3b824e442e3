// Fuzzes the .msg <-> TNEF conversions: bytes -> TNEF decode -> msg::adopt_tnef -> .msg write ->
// .msg read -> tnef::from_msg -> TNEF decode. Every step is total (an error, never a crash); what
// we write reads back; and what the conversions promise holds: reading and writing a .msg file
// we wrote changes nothing, and the facts a conversion keeps (subject, class, sender, recipients,
// attachments, bodies: tests/tnef/convert_test.hpp) are those of the first message at each step.
#include <oxwire/msg.hpp>
#include <oxwire/tnef.hpp>

#include "../tnef/convert_test.hpp"

#include <cstdint>
#include <cstdlib>

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace tnef = oxwire::tnef;
  namespace msg = oxwire::msg;
  namespace mapi = oxwire::mapi;
  using oxwire_test::facts;
  const oxwire::bytes_view in(data, size);
  const bool lax = size > 6 && (data[size - 1] & 1) != 0;
  tnef::stream_header h;
  const auto m = tnef::decode(in, h, {.verify_checksums = !lax, .strict = !lax, .max_depth = 4});
  if (!m) {
    require(m.error().offset <= size);
    return 0;
  }
  auto fit = *m;
  // A named property its stream does not name cannot go into a .msg file: a refusal, not a bug.
  if (!msg::adopt_tnef(fit, h)) return 0;
  const auto file = msg::write_message(fit);
  if (!file) return 0;  // limits of the .msg format (errors, not crashes)
  const auto back = msg::read_message(*file);
  require(back.has_value());
  require(msg::write_message(*back).value() == *file);
  const std::string first = facts(*m, h.codepage.primary);
  require(facts(*back, 1252) == first);
  const auto wire = tnef::from_msg(*file);
  require(wire.has_value());
  tnef::stream_header h2;
  const auto again = tnef::decode(*wire, h2);  // what we write is strictly valid
  require(again.has_value());
  require(h2.codepage.primary == mapi::codepage_of(back->properties));
  require(facts(*again, h2.codepage.primary) == first);
  return 0;
}
