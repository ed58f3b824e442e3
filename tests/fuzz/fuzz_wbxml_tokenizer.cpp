// Fuzzes the WBXML tokenizer: the input is tokenized with and without the header (fragment mode)
// and with legacy tokens on and off; every event must lie inside the input. When a document
// decodes, tree -> encode -> tokenize must succeed and give the same event sequence (offsets
// aside), and encoding that again must give the same bytes (the encoder's output is canonical).
// The XML writer must not crash on it.
#include <oxwire/wbxml.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

namespace wb = oxwire::wbxml;

void require(bool ok) {
  if (!ok) std::abort();
}

struct flat {
  wb::event_kind kind;
  std::uint8_t page, token;
  bool has_content, legacy;
  oxwire::bytes_view data;
  bool operator==(const flat& o) const {
    return kind == o.kind && page == o.page && token == o.token && has_content == o.has_content &&
           legacy == o.legacy &&
           std::string_view(oxwire::as_chars(data)) == oxwire::as_chars(o.data);
  }
};

oxwire::result<std::vector<flat>> events(oxwire::bytes_view in, const wb::options& opt) {
  auto tok = wb::tokenizer::create(in, opt);
  if (!tok) {
    require(tok.error().offset <= in.size());
    return tok.error();
  }
  std::vector<flat> out;
  for (;;) {
    auto ev = tok->next();
    if (!ev) {
      require(ev.error().offset <= in.size() && tok->depth() <= opt.max_depth);
      return ev.error();
    }
    require(ev->offset <= in.size());
    if (!ev->data.empty())
      require(ev->data.data() >= in.data() &&
              ev->data.data() + ev->data.size() <= in.data() + in.size());
    if (ev->kind == wb::event_kind::eof) return out;
    out.push_back({ev->kind, ev->page, ev->token, ev->has_content, ev->legacy, ev->data});
  }
}

void check(oxwire::bytes_view in, const wb::options& opt) {
  const auto first = events(in, opt);
  auto doc = wb::decode(in, opt);
  require(first.has_value() == doc.has_value());
  if (!doc) {
    require(doc.error() == first.error());
    return;
  }
  const wb::encode_options eo{.header = !opt.fragment};
  auto bytes = wb::encode(*doc, eo);
  require(bytes.has_value());
  wb::options again = opt;
  const auto second = events(*bytes, again);
  require(second.has_value() && *second == *first);
  auto doc2 = wb::decode(*bytes, again);
  require(doc2.has_value() && wb::encode(*doc2, eo).value() == *bytes);
  (void)wb::to_xml(*doc, {.indent = true});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const oxwire::bytes_view in(data, size);
  check(in, {});
  check(in, {.max_depth = 8, .accept_legacy = false});
  check(in, {.validate_utf8 = false});
  check(in, {.fragment = true});
  return 0;
}
