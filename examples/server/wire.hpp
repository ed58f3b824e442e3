// Bodies on the wire: responses are encoded from the generated models only (no WBXML written by
// hand), and request bodies are viewed as bytes for the decoders.
#pragma once

#include <oxwire/activesync/model_codec.hpp>
#include <oxwire/core/bytes.hpp>
#include <oxwire/gen/activesync/status.hpp>
#include <oxwire/http/request_parser.hpp>
#include <oxwire/wbxml/tree.hpp>

#include <cstdint>
#include <string>
#include <type_traits>

namespace oxwire_server {

namespace as = oxwire::activesync;
namespace http = oxwire::http;

[[nodiscard]] inline http::response status_only(int status) {
  return {status, {}, {}};
}

/// A generated Status enumerator (oxwire/gen/activesync/status.hpp) as a model's Status field.
template <class E>
requires std::is_enum_v<E>
[[nodiscard]] constexpr std::int64_t status_value(E e) noexcept {
  return static_cast<std::int64_t>(e);
}

/// A 200 with the WBXML of a response model (500 if the model does not encode), with only the
/// elements that exist in the request's protocol version (MS-ASWBXML 2.1.2.1).
template <class M>
[[nodiscard]] http::response wbxml_response(const M& m, as::protocol_version v) {
  auto body = as::encode(m, {.wbxml = {}, .version = v});
  if (!body) return status_only(500);
  return {200,
          {{"Content-Type", "application/vnd.ms-sync.wbxml"}},
          std::string(reinterpret_cast<const char*>(body->data()), body->size())};
}

[[nodiscard]] inline oxwire::bytes_view bytes_of(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

/// MS-ASCMD 2.2.2 common status of a request body no model accepts: 102 the WBXML does not
/// decode, 103 it decodes but is not the command's schema.
[[nodiscard]] inline std::int64_t malformed_status(const std::string& body) {
  using oxwire::gen::activesync::CommonStatus;
  return status_value(oxwire::wbxml::decode(bytes_of(body)) ? CommonStatus::InvalidXML
                                                            : CommonStatus::InvalidWBXML);
}

}  // namespace oxwire_server
