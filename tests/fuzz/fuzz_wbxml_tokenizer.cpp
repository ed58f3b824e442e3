// Fuzzes the WBXML tokenizer: the input is tokenized with and without the header (fragment mode)
// and with legacy tokens on and off; every event must lie inside the input. When a document
// decodes, tree -> encode -> tokenize must succeed and give the same event sequence (offsets
// aside), and encoding that again must give the same bytes (the encoder's output is canonical).
// The XML writer must not crash on it, and XML written straight from the events must equal XML
// written from the tree. The fast paths are held to their references: the callback loop to the
// pull API (and to a mix of both), with the AVX2 string kernels and with the scalar ones; the
// string and XML-escape kernels to their scalar versions at many starting offsets.
#include <oxwire/detail/wbxml_cstring.hpp>
#include <oxwire/detail/wbxml_xml_escape.hpp>
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

// The callback loop gives what the pull API gives, with either string kernel.
void check_for_each(oxwire::bytes_view in, const wb::options& opt,
                    const oxwire::result<std::vector<flat>>& pulled, oxwire::detail::isa set) {
  auto tok = wb::tokenizer::create(in, opt, set);
  if (!tok) {
    require(!pulled && tok.error() == pulled.error());
    return;
  }
  // The first events pulled (next() reads ahead: for_each goes on from what it holds), the rest
  // from the loop.
  std::vector<flat> out;
  const std::size_t pull = in.empty() ? 0 : in[0] % 24;
  for (std::size_t i = 0; i < pull; ++i) {
    auto ev = tok->next();
    if (!ev || ev->kind == wb::event_kind::eof) break;
    out.push_back({ev->kind, ev->page, ev->token, ev->has_content, ev->legacy, ev->data});
  }
  auto r = tok->for_each([&](const wb::event& ev) {
    out.push_back({ev.kind, ev.page, ev.token, ev.has_content, ev.legacy, ev.data});
  });
  require(r.has_value() == pulled.has_value());
  if (r)
    require(out == *pulled);
  else
    require(r.error() == pulled.error() && std::string_view(r.error().what) == pulled.error().what);
}

void check_kernels(oxwire::bytes_view in) {
  namespace od = oxwire::detail;
  const std::uint8_t* p = in.data();
  const std::size_t n = in.size();
  for (std::size_t from = 0; from <= n && from < 256; from += 1 + from / 8)
    for (const bool validate : {true, false}) {
      const od::cstring_scan ref = od::wbxml_cstring_scalar(p + from, n - from, validate);
#if OXWIRE_X86
      if (od::best_isa() == od::isa::avx2) {
        require(od::wbxml_cstring_avx2(p + from, n - from, validate) == ref);
        od::wbxml_cstring_blocks_avx2 blocks;
        if (from > 0) (void)blocks.find(p, n, from / 2, validate);
        require(blocks.find(p, n, from, validate) == ref);
      }
#endif
      require(od::xml_special_at(p + from, n - from, od::best_isa()) ==
              od::xml_special_at_scalar(p + from, n - from));
    }
}

void check(oxwire::bytes_view in, const wb::options& opt) {
  const auto first = events(in, opt);
  check_for_each(in, opt, first, oxwire::detail::isa::scalar);
  check_for_each(in, opt, first, oxwire::detail::best_isa());
  const auto streamed = wb::to_xml(in, {}, opt);
  auto doc = wb::decode(in, opt);
  require(first.has_value() == doc.has_value());
  if (!doc) {
    require(doc.error() == first.error() && !streamed && streamed.error() == doc.error());
    return;
  }
  const auto treed = wb::to_xml(*doc, {});
  require(streamed.has_value() == treed.has_value());
  require(streamed ? *streamed == *treed : streamed.error() == treed.error());
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
  check_kernels(in);
  check(in, {});
  check(in, {.max_depth = 8, .accept_legacy = false});
  check(in, {.validate_utf8 = false});
  check(in, {.fragment = true});
  return 0;
}
