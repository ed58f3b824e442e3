// Fuzzes the MS-ASHTTP request target parser: parse_query on the whole input, then (on success)
// formats the result in the form it was read in (format_plain_query or encode_base64_query),
// which must succeed and parse back to the same request_line; every failure must be an error
// inside the input. The typed header accessors run over the input as one header value.
#include <oxwire/activesync/ashttp.hpp>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace as = oxwire::activesync;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  const auto q = as::parse_query(input);
  if (!q) {
    require(q.error().offset <= size);
  } else {
    const auto text = as::form_of(*q) == as::query_form::plain ? as::format_plain_query(*q)
                                                               : as::encode_base64_query(*q);
    require(text.has_value());
    const auto again = as::parse_query(*text, {.max_target_size = text->size()});
    require(again.has_value() && *again == *q);
  }

  // Every header accessor on the input as the value of each header.
  for (std::string_view name :
       {"MS-ASProtocolVersion", "X-MS-PolicyKey", "MS-ASAcceptMultiPart", "Authorization"}) {
    const std::array<as::header_field, 1> fields{{{name, input}}};
    const as::request_headers h(fields);
    auto within = [size](const auto& r) { require(r.has_value() || r.error().offset <= size); };
    within(h.version());
    within(h.policy_key());
    within(h.accept_multipart());
    within(h.basic());
  }
  (void)as::is_wbxml_content_type(input);
  return 0;
}
