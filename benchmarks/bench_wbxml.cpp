// WBXML kernels on ActiveSync-shaped documents built here (in cache): the pull tokenizer over
// every event, the tree decoder, the tree encoder and WBXML -> XML text.
//   mail: a Sync response of 256 e-mails with 4 KiB bodies (text-heavy, ~1.1 MiB)
//   folders: a FolderSync response of 20000 folders (tag-heavy, short strings, ~1 MiB)
#include <benchmark/benchmark.h>

#include <cstdint>
#include <oxwire/wbxml.hpp>
#include <string>
#include <vector>

namespace {

namespace wb = oxwire::wbxml;

std::vector<std::uint8_t> mail_sync() {
  wb::document d;
  const auto tok = [](std::uint8_t page, std::string_view name) {
    return *wb::find_token(page, name);
  };
  const auto sync = d.add_element(wb::document::npos, 0, tok(0, "Sync"));
  const auto coll =
      d.add_element(d.add_element(sync, 0, tok(0, "Collections")), 0, tok(0, "Collection"));
  d.add_text(d.add_element(coll, 0, tok(0, "SyncKey")), "1234567890");
  const auto cmds = d.add_element(coll, 0, tok(0, "Commands"));
  std::string text;
  while (text.size() < 4096) text += "Grüße aus Köln, the quarterly report is attached. ";
  for (int i = 0; i < 256; ++i) {
    const auto add = d.add_element(cmds, 0, tok(0, "Add"));
    d.add_text(d.add_element(add, 0, tok(0, "ServerId")), "5:" + std::to_string(i));
    const auto data = d.add_element(add, 0, tok(0, "ApplicationData"));
    d.add_text(d.add_element(data, 2, tok(2, "To")), "\"Don Funk\" <don@contoso.com>");
    d.add_text(d.add_element(data, 2, tok(2, "From")), "\"Ann Beebe\" <ann@contoso.com>");
    d.add_text(d.add_element(data, 2, tok(2, "Subject")), "Quarterly report " + std::to_string(i));
    d.add_text(d.add_element(data, 2, tok(2, "DateReceived")), "2009-03-12T19:34:31.000Z");
    d.add_text(d.add_element(data, 2, tok(2, "Read")), "0");
    const auto body = d.add_element(data, 17, tok(17, "Body"));
    d.add_text(d.add_element(body, 17, tok(17, "Type")), "1");
    d.add_text(d.add_element(body, 17, tok(17, "EstimatedDataSize")), std::to_string(text.size()));
    d.add_text(d.add_element(body, 17, tok(17, "Data")), text);
  }
  return wb::encode(d).value();
}

std::vector<std::uint8_t> folder_sync() {
  wb::document d;
  const auto tok = [](std::string_view name) { return *wb::find_token(7, name); };
  const auto root = d.add_element(wb::document::npos, 7, tok("FolderSync"));
  d.add_text(d.add_element(root, 7, tok("Status")), "1");
  const auto changes = d.add_element(root, 7, tok("Changes"));
  for (int i = 0; i < 20000; ++i) {
    const auto add = d.add_element(changes, 7, tok("Add"));
    d.add_text(d.add_element(add, 7, tok("ServerId")), std::to_string(i));
    d.add_text(d.add_element(add, 7, tok("ParentId")), "0");
    d.add_text(d.add_element(add, 7, tok("DisplayName")), "Folder " + std::to_string(i));
    d.add_text(d.add_element(add, 7, tok("Type")), "12");
  }
  return wb::encode(d).value();
}

const std::vector<std::uint8_t>& input(int which) {
  static const auto mail = mail_sync();
  static const auto folders = folder_sync();
  return which == 0 ? mail : folders;
}

void BM_wbxml_tokenize(benchmark::State& state) {
  const auto& in = input(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto tok = wb::tokenizer::create(in);
    std::size_t events = 0;
    for (;;) {
      auto ev = tok->next();
      if (!ev || ev->kind == wb::event_kind::eof) break;
      ++events;
    }
    benchmark::DoNotOptimize(events);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.size()));
  state.SetLabel(state.range(0) == 0 ? "mail" : "folders");
}

void BM_wbxml_tokenize_for_each(benchmark::State& state) {
  const auto& in = input(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto tok = wb::tokenizer::create(in);
    std::size_t events = 0;  // its address must not escape, or every ++ goes through memory
    auto r = tok->for_each([&](const wb::event&) { ++events; });
    benchmark::DoNotOptimize(r);
    std::size_t seen = events;
    benchmark::DoNotOptimize(seen);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.size()));
  state.SetLabel(state.range(0) == 0 ? "mail" : "folders");
}

void BM_wbxml_decode_tree(benchmark::State& state) {
  const auto& in = input(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(wb::decode(in));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.size()));
  state.SetLabel(state.range(0) == 0 ? "mail" : "folders");
}

void BM_wbxml_encode_tree(benchmark::State& state) {
  const auto& in = input(static_cast<int>(state.range(0)));
  const auto doc = wb::decode(in).value();
  std::vector<std::uint8_t> out;
  out.reserve(in.size());
  for (auto _ : state) {
    out.clear();
    oxwire::vector_writer w(out);
    benchmark::DoNotOptimize(wb::encode(doc, w));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.size()));
  state.SetLabel(state.range(0) == 0 ? "mail" : "folders");
}

void BM_wbxml_to_xml(benchmark::State& state) {
  const auto& in = input(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(wb::to_xml(in));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.size()));
  state.SetLabel(state.range(0) == 0 ? "mail" : "folders");
}

}  // namespace

BENCHMARK(BM_wbxml_tokenize)->Arg(0)->Arg(1);
BENCHMARK(BM_wbxml_tokenize_for_each)->Arg(0)->Arg(1);
BENCHMARK(BM_wbxml_decode_tree)->Arg(0)->Arg(1);
BENCHMARK(BM_wbxml_encode_tree)->Arg(0)->Arg(1);
BENCHMARK(BM_wbxml_to_xml)->Arg(0)->Arg(1);
