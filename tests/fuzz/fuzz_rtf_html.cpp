// Fuzzes the RTF tokenizer and MS-OXRTFEX de-encapsulation: any input gives tokens to the end or
// an error at an offset inside the input, and de-encapsulation (also as the text of native RTF)
// a UTF-8 document within its limit or an error; never a crash, hang or read past the input.
// The input as text encapsulated in RTF (\fromtext) de-encapsulates to that text.
#include <oxwire/rtf/deencapsulate.hpp>
#include <oxwire/rtf/encapsulate.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>

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
  for (const bool native : {false, true}) {
    const auto doc =
        rtf::deencapsulate(in, {.max_depth = 64, .max_output = 1 << 16, .native_as_text = native});
    if (doc) {
      require(doc->content.size() <= (1 << 16));
    } else {
      require(doc.error().offset <= size);
    }
  }
  // Printable ASCII and line breaks survive encapsulation as they are (CRLF for each break)
  std::string text, expected;
  for (std::size_t i = 0; i < size; ++i) {
    const char c = static_cast<char>(data[i]);
    if (c == '\n') {
      text += c, expected += "\r\n";
    } else if (c >= 0x20 && c < 0x7F) {
      text += c, expected += c;
    }
  }
  const auto back = rtf::deencapsulate(oxwire::as_bytes(rtf::encapsulate_text(text)));
  require(back && back->content == expected);
  return 0;
}
