// Fuzzes the MS-OXMSG reader: arbitrary bytes read as a .msg give a message or an error with an
// offset inside the input, never a crash; a message that reads writes, and reads back equal.
#include <oxwire/msg.hpp>

#include <cstdint>
#include <cstdlib>

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const oxwire::bytes_view in(data, size);
  const oxwire::msg::read_options opt{
      .max_depth = 4, .max_objects = 256, .container = {.max_entries = 4096}};
  const auto m = oxwire::msg::read_message(in, opt);
  if (!m) {
    require(m.error().offset <= size);
    return 0;
  }
  const auto file = oxwire::msg::write_message(*m);
  if (!file) return 0;  // e.g. a property the reader kept under a name the writer refuses
  const auto back = oxwire::msg::read_message(*file, opt);
  require(back.has_value() && *back == *m);
  return 0;
}
