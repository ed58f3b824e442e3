// The HTTP request parser on arbitrary bytes: whole and split at every third byte must agree,
// never consume more than given, and never crash or hang.
#include <oxwire/http/request_parser.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const oxwire::http::limits l{
      .max_line = 256, .max_headers = 16, .max_header_bytes = 1024, .max_body = 4096};
  oxwire::http::request_parser whole(l), split(l);
  auto a = whole.parse(in);
  std::size_t used = 0;
  bool failed = false;
  for (std::size_t i = 0; i < size && !split.done(); i += 3) {
    auto r = split.parse(in.substr(i, 3));
    if (!r) {
      failed = true;
      break;
    }
    used += *r;
    if (*r < in.substr(i, 3).size()) break;
  }
  if (bool(a) == failed) std::abort();
  if (a) {
    if (*a > size || *a != used || whole.done() != split.done()) std::abort();
    if (whole.done() && whole.get().body != split.get().body) std::abort();
  }
  return 0;
}
