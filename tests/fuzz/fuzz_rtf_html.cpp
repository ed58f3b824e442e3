// Fuzzes the RTF tokenizer and MS-OXRTFEX de-encapsulation: any input gives tokens to the end or
// an error at an offset inside the input, and de-encapsulation a UTF-8 document within its
// limit or an error; never a crash, hang or read past the input.
#include <oxwire/rtf/deencapsulate.hpp>

#include <cstdint>
#include <cstdlib>

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace rtf = oxwire::rtf;
  const oxwire::bytes_view in(data, size);
  rtf::tokenizer tok(in, {.max_depth = 64});
  for (std::size_t n = 0;; ++n) {
    const auto t = tok.next();
    if (!t) {
      require(t.error().offset <= size);
      break;
    }
    require(t->offset <= size && n <= size);
    if (t->kind == rtf::token_kind::eof) break;
  }
  const auto doc = rtf::deencapsulate(in, {.max_depth = 64, .max_output = 1 << 16});
  if (doc) {
    require(doc->content.size() <= (1 << 16));
  } else {
    require(doc.error().offset <= size);
  }
  return 0;
}
