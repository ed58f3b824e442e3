// WBXML <-> XML text, oxwire beside libwbxml2 (Debian 0.11.8, the library behind wbxml2xml and
// xml2wbxml), on the same documents:
//   corpus: every body of ../shared/corpus/activesync that libwbxml converts (all in one pass)
//   sync_<n>: synthetic Sync responses of e-mails (to, from, subject, dates, a short body; two
//             code pages and opaque data), about n bytes of XML
//
// WBXML -> XML: oxwire::wbxml::to_xml (decode + write) vs wbxml_conv_wbxml2xml_run (language
// ACTIVESYNC, compact output). XML -> WBXML: oxwire::wbxml::from_xml on oxwire's XML vs
// wbxml_conv_xml2wbxml_run on libwbxml's own XML of the same document (libwbxml cannot tell the
// language of a document without its DOCTYPE) in its fastest setting, as `xml2wbxml -a -n`: no
// public id, no string table. libwbxml's default (string table on) runs at small sizes only: its
// string table search is quadratic (libwbxml_st_*).
//
// Bytes processed are input bytes. Each oxwire case also reports `x_libwbxml`: documents per CPU
// second divided by libwbxml's on the same documents and direction (both timed with std::clock
// beside the benchmark loop, libwbxml best of 3; CPU time, as the machine is shared), and
// `MB/s_libwbxml`, libwbxml's speed over its own input.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <oxwire/wbxml.hpp>
#include <string>
#include <vector>

extern "C" {
#include <wbxml/wbxml.h>
}

namespace {

namespace wb = oxwire::wbxml;

/// A Sync response with e-mail Adds, about `xml_bytes` of oxwire's XML.
std::vector<std::uint8_t> synthetic_sync(std::size_t xml_bytes) {
  wb::document d;
  const auto el = [&d](std::uint32_t parent, std::uint8_t page, std::string_view name) {
    return d.add_element(parent, page, *wb::find_token(page, name));
  };
  const auto leaf = [&](std::uint32_t parent, std::uint8_t page, std::string_view name,
                        std::string_view text) { d.add_text(el(parent, page, name), text); };
  const auto coll = el(el(el(wb::document::npos, 0, "Sync"), 0, "Collections"), 0, "Collection");
  leaf(coll, 0, "SyncKey", "1234567890");
  leaf(coll, 0, "CollectionId", "7");
  leaf(coll, 0, "Status", "1");
  const auto cmds = el(coll, 0, "Commands");
  const std::uint8_t conversation_index[] = {0x01, 0xD5, 0xE0, 0x42, 0x17};
  constexpr std::size_t per_add = 990;  // XML bytes of one Add below, measured
  for (std::size_t i = 0; (i + 1) * per_add < xml_bytes; ++i) {
    const auto add = el(cmds, 0, "Add");
    leaf(add, 0, "ServerId", "7:" + std::to_string(i));
    const auto data = el(add, 0, "ApplicationData");
    leaf(data, 2, "To", "\"Alice Example\" <alice@example.com>");
    leaf(data, 2, "From", "\"Bob Example\" <bob@example.org>");
    leaf(data, 2, "Subject", "Quarterly report & figures #" + std::to_string(i));
    leaf(data, 2, "DateReceived", "2024-03-01T10:15:00.000Z");
    leaf(data, 2, "Importance", "1");
    leaf(data, 2, "Read", "0");
    const auto body = el(data, 17, "Body");
    leaf(body, 17, "Type", "1");
    leaf(body, 17, "EstimatedDataSize", "180");
    leaf(body, 17, "Data",
         "Hello Alice,\nplease find the figures for the quarter attached. Revenue is up <3%> "
         "over plan, costs are flat.\nRegards, Bob");
    leaf(data, 17, "NativeBodyType", "1");
    leaf(data, 2, "MessageClass", "IPM.Note");
    leaf(data, 2, "InternetCPID", "65001");
    d.add_opaque(el(data, 22, "ConversationIndex"), conversation_index);
  }
  return wb::encode(d).value();
}

/// libwbxml's XML of a WBXML body (compact), or "" if it cannot convert it.
std::string libwbxml_xml(const std::vector<std::uint8_t>& in) {
  WBXMLConvWBXML2XML* conv = nullptr;
  if (wbxml_conv_wbxml2xml_create(&conv) != WBXML_OK) return {};
  wbxml_conv_wbxml2xml_set_language(conv, WBXML_LANG_ACTIVESYNC);
  wbxml_conv_wbxml2xml_set_gen_type(conv, WBXML_GEN_XML_COMPACT);
  WB_UTINY* xml = nullptr;
  WB_ULONG len = 0;
  const auto rc = wbxml_conv_wbxml2xml_run(conv, const_cast<WB_UTINY*>(in.data()),
                                           static_cast<WB_ULONG>(in.size()), &xml, &len);
  wbxml_conv_wbxml2xml_destroy(conv);
  std::string out = rc == WBXML_OK ? std::string(reinterpret_cast<char*>(xml), len) : "";
  std::free(xml);
  return out;
}

/// libwbxml XML -> WBXML; false on an error.
bool libwbxml_encode(const std::string& xml, bool string_table) {
  WBXMLConvXML2WBXML* conv = nullptr;
  if (wbxml_conv_xml2wbxml_create(&conv) != WBXML_OK) return false;
  wbxml_conv_xml2wbxml_disable_public_id(conv);
  if (!string_table) wbxml_conv_xml2wbxml_disable_string_table(conv);
  WB_UTINY* out = nullptr;
  WB_ULONG len = 0;
  const auto rc =
      wbxml_conv_xml2wbxml_run(conv, reinterpret_cast<WB_UTINY*>(const_cast<char*>(xml.data())),
                               static_cast<WB_ULONG>(xml.size()), &out, &len);
  wbxml_conv_xml2wbxml_destroy(conv);
  std::free(out);
  return rc == WBXML_OK;
}

/// One document in all the forms the cases need.
struct input {
  std::vector<std::vector<std::uint8_t>> wbxml;  // the bodies
  std::vector<std::string> xml;                  // oxwire's XML of each
  std::vector<std::string> lib_xml;              // libwbxml's XML of each
  std::size_t wbxml_bytes = 0, xml_bytes = 0, lib_xml_bytes = 0;

  void add(std::vector<std::uint8_t> body) {
    auto lib = libwbxml_xml(body);
    auto ours = wb::to_xml(body);
    if (lib.empty() || !ours) return;  // e.g. code page 25, which libwbxml 0.11.8 lacks
    wbxml_bytes += body.size(), xml_bytes += ours->size(), lib_xml_bytes += lib.size();
    wbxml.push_back(std::move(body)), xml.push_back(std::move(*ours)), lib_xml.push_back(lib);
  }
};

std::filesystem::path corpus_dir() {
  const char* env = std::getenv("OXWIRE_SHARED_DIR");
  return std::filesystem::path(env ? env : OXWIRE_SHARED_DIR) / "corpus" / "activesync";
}

const input& inputs(const std::string& name) {
  static std::map<std::string, input> cache;
  auto [it, fresh] = cache.try_emplace(name);
  if (!fresh) return it->second;
  if (name == "corpus") {
    std::vector<std::filesystem::path> files;
    if (std::filesystem::is_directory(corpus_dir()))
      for (const auto& e : std::filesystem::recursive_directory_iterator(corpus_dir()))
        if (e.path().extension() == ".wbxml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      std::ifstream s(f, std::ios::binary);
      it->second.add({std::istreambuf_iterator<char>(s), std::istreambuf_iterator<char>()});
    }
  } else {
    it->second.add(synthetic_sync(std::stoul(name.substr(5)) * 1024));
  }
  return it->second;
}

enum class lib_case { to_xml, from_xml, from_xml_string_table };

double cpu_seconds() {
  return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

/// CPU seconds per pass of libwbxml over all documents of an input, best of 3.
double libwbxml_seconds(const input& in, lib_case c) {
  double best = 1e9;
  for (int round = 0; round < 3; ++round) {
    const double t0 = cpu_seconds();
    for (std::size_t i = 0; i < in.wbxml.size(); ++i) {
      if (c == lib_case::to_xml)
        benchmark::DoNotOptimize(libwbxml_xml(in.wbxml[i]));
      else
        benchmark::DoNotOptimize(libwbxml_encode(in.lib_xml[i], c != lib_case::from_xml));
    }
    best = std::min(best, cpu_seconds() - t0);
  }
  return best;
}

bool check(benchmark::State& state, const input& in) {
  if (in.wbxml.empty()) state.SkipWithError("no input (corpus missing? set OXWIRE_SHARED_DIR)");
  return !in.wbxml.empty();
}

void ratio(benchmark::State& state, const input& in, std::size_t bytes, lib_case c) {
  const double t0 = cpu_seconds();
  std::size_t passes = 0;
  do {
    for (std::size_t i = 0; i < in.wbxml.size(); ++i) {
      if (c == lib_case::to_xml)
        benchmark::DoNotOptimize(wb::to_xml(in.wbxml[i]));
      else
        benchmark::DoNotOptimize(wb::from_xml(in.xml[i]));
    }
    ++passes;
  } while (cpu_seconds() - t0 < 0.2);
  const double ours = (cpu_seconds() - t0) / static_cast<double>(passes);
  const double lib = libwbxml_seconds(in, c);
  state.counters["x_libwbxml"] = lib / ours;
  state.counters["MB/s_libwbxml"] = static_cast<double>(bytes) / lib / 1e6;
}

void oxwire_to_xml(benchmark::State& state, const std::string& name) {
  const auto& in = inputs(name);
  if (!check(state, in)) return;
  for (auto _ : state)
    for (const auto& body : in.wbxml) {
      auto xml = wb::to_xml(body);
      benchmark::DoNotOptimize(xml);
    }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.wbxml_bytes));
  ratio(state, in, in.wbxml_bytes, lib_case::to_xml);
}

void libwbxml_to_xml(benchmark::State& state, const std::string& name) {
  const auto& in = inputs(name);
  if (!check(state, in)) return;
  for (auto _ : state)
    for (const auto& body : in.wbxml) benchmark::DoNotOptimize(libwbxml_xml(body));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.wbxml_bytes));
}

void oxwire_from_xml(benchmark::State& state, const std::string& name) {
  const auto& in = inputs(name);
  if (!check(state, in)) return;
  std::vector<std::uint8_t> out;
  for (auto _ : state)
    for (const auto& xml : in.xml) {
      out.clear();
      oxwire::vector_writer w(out);
      if (!wb::from_xml(xml, w)) return state.SkipWithError("from_xml failed");
      benchmark::DoNotOptimize(out.data());
    }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.xml_bytes));
  ratio(state, in, in.lib_xml_bytes, lib_case::from_xml);
}

void libwbxml_from_xml(benchmark::State& state, const std::string& name, bool string_table) {
  const auto& in = inputs(name);
  if (!check(state, in)) return;
  for (auto _ : state)
    for (const auto& xml : in.lib_xml)
      if (!libwbxml_encode(xml, string_table)) return state.SkipWithError("xml2wbxml failed");
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.lib_xml_bytes));
}

const int registered = [] {
  for (const std::string name : {"corpus", "sync_100", "sync_1024", "sync_5120"}) {
    benchmark::RegisterBenchmark(("to_xml/oxwire/" + name).c_str(), oxwire_to_xml, name);
    benchmark::RegisterBenchmark(("to_xml/libwbxml/" + name).c_str(), libwbxml_to_xml, name);
    benchmark::RegisterBenchmark(("from_xml/oxwire/" + name).c_str(), oxwire_from_xml, name);
    benchmark::RegisterBenchmark(("from_xml/libwbxml/" + name).c_str(), libwbxml_from_xml, name,
                                 false);
  }
  // libwbxml's default string-table mode: time per byte grows with the document.
  for (const std::string name : {"sync_4", "sync_16", "sync_64", "sync_256"})
    benchmark::RegisterBenchmark(("from_xml/libwbxml_string_table/" + name).c_str(),
                                 libwbxml_from_xml, name, true);
  return 0;
}();

}  // namespace
