// oxwire — the command-line tool. Built only from the public headers.
//
//   oxwire base64 encode|decode [--strict] [--url] [FILE|-]
//   oxwire hex encode|decode [FILE|-]
//   oxwire utf16 to-utf8|from-utf8 [--replace] [FILE|-]
//   oxwire filetime VALUE            (decimal or 0x-hex FILETIME -> ISO 8601 UTC)
//   oxwire guid GUID                 (registry form -> MS-DTYP wire bytes)
//   oxwire lookup rop|error|status|type|propset NAME|VALUE
//   oxwire prop NAME|ALTERNATE|0xTAG (MS-OXPROPS property: one `key: value` line per fact)
//   oxwire prop --list               (every property: name, tag or set and LID/name, type)
//   oxwire wbxml decode [--indent] [FILE|-]   (ActiveSync WBXML -> XML text)
//   oxwire wbxml encode [FILE|-]              (XML text -> canonical WBXML)
//   oxwire rpc unpack [FILE|-]                (RPC_HEADER_EXT chain -> payload)
//   oxwire rpc pack [--compress] [--xor] [FILE|-]
//   oxwire rtf decompress|compress [--uncompressed]|html [FILE|-]  (MS-OXRTFCP, MS-OXRTFEX)
//   oxwire tnef dump [FILE|-]                 (TNEF -> JSON)
//   oxwire msg dump [FILE|-]                  (.msg -> JSON)
//   oxwire oab dump [FILE|-]                  (offline address book -> JSON)
//
// Decoding errors print `error: <what> at offset <n>` and exit with status 2; so does an
// unknown property (`error: unknown property <x>`). Usage errors exit with status 1.
#include <cstdlib>
#include <oxwire/gen/activesync/status.hpp>
#include <oxwire/gen/mapi/error_codes.hpp>
#include <oxwire/gen/mapi/property_sets.hpp>
#include <oxwire/gen/mapi/property_types.hpp>
#include <oxwire/gen/rop/rop_ids.hpp>
#include <oxwire/mapi/property_lookup.hpp>

#include "cli/common.hpp"
#include "cli/msg.hpp"
#include "cli/oab.hpp"
#include "cli/rop.hpp"
#include "cli/rpc.hpp"
#include "cli/rtf.hpp"
#include "cli/tnef.hpp"
#include "cli/wbxml.hpp"

namespace {

using namespace oxwire_cli;

constexpr std::string_view core_usage =
    "  oxwire base64 encode|decode [--strict] [--url] [FILE|-]\n"
    "  oxwire hex encode|decode [FILE|-]\n"
    "  oxwire utf16 to-utf8|from-utf8 [--replace] [FILE|-]\n"
    "  oxwire filetime VALUE\n"
    "  oxwire guid GUID\n"
    "  oxwire lookup rop|error|status|type|propset NAME|VALUE\n"
    "  oxwire prop NAME|ALTERNATE|0xTAG\n"
    "  oxwire prop --list\n";

int usage() {
  std::cerr << "usage:\n"
            << core_usage << wbxml_usage << rpc_usage << rtf_usage << tnef_usage << msg_usage
            << oab_usage << rop_usage;
  return exit_usage;
}

int cmd_base64(std::string_view verb, const args& a, const std::string& in) {
  using namespace oxwire::base64;
  const alphabet abc = a.has("--url") ? alphabet::url : alphabet::standard;
  if (verb == "encode") {
    write(encode(oxwire::as_bytes(in), abc) + "\n");
    return 0;
  }
  if (verb != "decode") return usage();
  auto r = decode(in, a.has("--strict") ? mode::strict : mode::lenient, abc);
  if (!r) return fail(r.error());
  write(*r);
  return 0;
}

int cmd_hex(std::string_view verb, const args& /*unused*/, const std::string& in) {
  if (verb == "encode") {
    write(oxwire::hex::encode(oxwire::as_bytes(in)) + "\n");
    return 0;
  }
  if (verb != "decode") return usage();
  auto r = oxwire::hex::decode_dump(in);
  if (!r) return fail(r.error());
  write(*r);
  return 0;
}

int cmd_utf16(std::string_view verb, const args& a, const std::string& in) {
  using namespace oxwire::utf16;
  const policy p = a.has("--replace") ? policy::replace : policy::strict;
  if (verb == "to-utf8") {
    auto r = to_utf8(oxwire::as_bytes(in), p);
    if (!r) return fail(r.error());
    write(*r);
    return 0;
  }
  if (verb != "from-utf8") return usage();
  auto r = from_utf8(in, p);
  if (!r) return fail(r.error());
  write(*r);
  return 0;
}

// Parses decimal or 0x-prefixed hex.
bool parse_number(std::string_view s, std::uint64_t& v) {
  int base = 10;
  if (s.starts_with("0x") || s.starts_with("0X")) s.remove_prefix(2), base = 16;
  if (s.empty()) return false;
  const std::string str(s);
  char* end = nullptr;
  v = std::strtoull(str.c_str(), &end, base);
  return *end == '\0';
}

int cmd_filetime(std::string_view value) {
  std::uint64_t ft = 0;
  if (!parse_number(value, ft)) return usage();
  const auto tp = oxwire::from_filetime(ft);
  const auto days = std::chrono::floor<std::chrono::days>(tp);
  const std::chrono::year_month_day ymd{days};
  const std::chrono::hh_mm_ss hms{tp - days};
  std::printf("%04d-%02u-%02uT%02lld:%02lld:%02lld.%07lldZ\n", static_cast<int>(ymd.year()),
              static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
              static_cast<long long>(hms.hours().count()),
              static_cast<long long>(hms.minutes().count()),
              static_cast<long long>(hms.seconds().count()),
              static_cast<long long>(hms.subseconds().count()));
  return 0;
}

int cmd_guid(std::string_view text) {
  auto g = oxwire::guid::parse(text);
  if (!g) return fail(g.error());
  std::vector<std::uint8_t> wire;
  oxwire::vector_writer w(wire);
  if (auto r = oxwire::encode(w, *g); !r) return fail(r.error());
  std::cout << g->to_string() << "  wire: " << oxwire::hex::encode(wire) << "\n";
  return 0;
}

int cmd_lookup(std::string_view table, std::string_view key) {
  namespace mapi = oxwire::gen::mapi;
  namespace rop = oxwire::gen::rop;
  namespace as = oxwire::gen::activesync;
  std::uint64_t n = 0;
  const bool numeric = parse_number(key, n);
  if (table == "rop") {
    const auto* e =
        numeric ? rop::find_rop_by_id(static_cast<std::uint8_t>(n)) : rop::find_rop_by_name(key);
    if (!e || (numeric && n > 0xFF)) return std::cerr << "no ROP " << key << "\n", exit_usage;
    std::printf("%s RopId=0x%02X %s\n", std::string(e->name).c_str(), e->ropid,
                std::string(e->spec_section).c_str());
  } else if (table == "error") {
    const mapi::error_code_entry* e = nullptr;
    if (numeric) {
      auto hits = mapi::find_error_codes_by_value(static_cast<std::uint32_t>(n));
      if (!hits.empty()) e = &mapi::error_codes[hits.front()];
    } else {
      e = mapi::find_error_code_by_name(key);
    }
    if (!e) return std::cerr << "no error code " << key << "\n", exit_usage;
    std::printf("%s 0x%08X", std::string(e->name).c_str(), e->value);
    for (auto alt : mapi::alternates_of(*e)) std::printf(" %s", std::string(alt).c_str());
    std::printf("\n");
  } else if (table == "status") {
    const auto* e = numeric ? as::find_common_status_by_value(static_cast<std::uint8_t>(n))
                            : as::find_common_status_by_name(key);
    if (!e || (numeric && n > 0xFF)) return std::cerr << "no status " << key << "\n", exit_usage;
    std::printf("Status %u %s (MS-ASCMD 2.2.2)\n", e->value, std::string(e->name).c_str());
  } else if (table == "type") {
    const auto* e = numeric ? mapi::find_property_type_by_code(static_cast<std::uint16_t>(n))
                            : mapi::find_property_type_by_name(key);
    if (!e) return std::cerr << "no property type " << key << "\n", exit_usage;
    std::printf("%s 0x%04X size=%u\n", std::string(e->name).c_str(), e->code, e->fixed_size);
  } else if (table == "propset") {
    const auto* e = mapi::find_property_set_by_name(key);
    if (!e) return std::cerr << "no property set " << key << "\n", exit_usage;
    std::printf("%s %s\n", std::string(e->name).c_str(), e->guid.to_string().c_str());
  } else {
    return usage();
  }
  return 0;
}

// Where a property lives: its id, or its set and LID or string name.
std::string property_key(const oxwire::mapi::property_entry& e) {
  char buf[16];
  if (e.kind == "tag") {
    std::snprintf(buf, sizeof buf, "0x%04X", static_cast<unsigned>(e.id));
    return buf;
  }
  if (e.kind == "lid") {
    std::snprintf(buf, sizeof buf, "0x%08X", static_cast<unsigned>(e.id));
    return std::string(e.propset) + ":" + buf;
  }
  return std::string(e.propset) + ":" + std::string(e.name);
}

void print_property(const oxwire::mapi::property_entry& e) {
  const auto line = [](std::string_view key, std::string_view value) {
    if (!value.empty()) std::cout << key << ": " << value << "\n";
  };
  char buf[16];
  line("canonical", e.canonical);
  line("kind", e.kind);
  if (e.kind == "tag") {
    std::snprintf(buf, sizeof buf, "0x%04X", static_cast<unsigned>(e.id));
    line("property id", buf);
    std::snprintf(buf, sizeof buf, "0x%08X", oxwire::mapi::tag_of(e)->value);
    line("property tag", buf);
  } else {
    if (e.kind == "lid") {
      std::snprintf(buf, sizeof buf, "0x%08X", static_cast<unsigned>(e.id));
      line("lid", buf);
    } else {
      line("name", e.name);
    }
    const auto set = oxwire::mapi::property_set_guid(e.propset);
    line("property set", std::string(e.propset) + (set ? " " + set->to_string() : ""));
  }
  std::snprintf(buf, sizeof buf, "0x%04X", e.type_code);
  line("type", std::string(e.type) + " " + buf);
  line("area", e.area);
  line("defining reference", e.defining_ref);
  std::string alternates;
  for (auto alt : oxwire::gen::mapi::alternates_of(e))
    alternates.append(alternates.empty() ? "" : ", ").append(alt);
  line("alternate names", alternates);
  line("status", e.nonspec ? "non-spec (mfcmapi/openchange name, not in MS-OXPROPS)" : e.status);
}

int cmd_prop(std::string_view key) {
  namespace gen = oxwire::gen::mapi;
  if (key == "--list") {
    const auto list = [](const auto& rows) {
      for (const auto& e : rows)
        std::cout << e.canonical << " " << property_key(e) << " " << e.type
                  << (e.nonspec ? " non-spec" : "") << "\n";
    };
    list(gen::properties);
    list(gen::properties_nonspec);
    return 0;
  }
  if (key.starts_with("--")) return usage();
  std::uint64_t n = 0;
  if (key.starts_with("0x") || key.starts_with("0X")) {
    if (!parse_number(key, n) || n > 0xFFFFFFFF) return usage();
    // A bare property id (up to 16 bits) matches any type.
    const auto tag =
        n > 0xFFFF ? oxwire::mapi::property_tag{static_cast<std::uint32_t>(n)}
                   : oxwire::mapi::property_tag::make(static_cast<std::uint16_t>(n),
                                                      oxwire::mapi::PropertyType::PtypUnspecified);
    if (const auto* e = oxwire::mapi::find_property(tag)) {
      print_property(*e);
      return 0;
    }
  } else if (const auto m = oxwire::mapi::find_properties(key); !m.empty()) {
    for (std::size_t i = 0; i < m.size(); ++i) {
      if (i) std::cout << "\n";
      print_property(m[i]);
    }
    return 0;
  }
  std::cerr << "error: unknown property " << key << "\n";
  return exit_decode;
}

}  // namespace

int main(int argc, char** argv) {
  const std::span<char*> av(argv, static_cast<std::size_t>(argc));
  if (av.size() < 3) return usage();
  const std::string_view cmd = av[1], verb = av[2];
  if (cmd == "filetime") return cmd_filetime(verb);
  if (cmd == "guid") return cmd_guid(verb);
  if (cmd == "lookup") return av.size() == 4 ? cmd_lookup(verb, av[3]) : usage();
  if (cmd == "prop") return av.size() == 3 ? cmd_prop(verb) : usage();

  // Commands that read FILE or stdin.
  using command = int (*)(std::string_view, const args&, const std::string&);
  constexpr std::pair<std::string_view, command> commands[] = {
      {"base64", cmd_base64}, {"hex", cmd_hex}, {"utf16", cmd_utf16}, {"wbxml", cmd_wbxml},
      {"rpc", cmd_rpc},       {"rtf", cmd_rtf}, {"tnef", cmd_tnef},   {"msg", cmd_msg},
      {"oab", cmd_oab},       {"rop", cmd_rop},
  };
  const auto* c = std::find_if(std::begin(commands), std::end(commands),
                               [&](const auto& e) { return e.first == cmd; });
  if (c == std::end(commands)) return usage();
  const args a = parse(av.subspan(3));
  std::string in;
  if (!read_input(a.file, in)) return exit_usage;
  const int rc = c->second(verb, a, in);
  return rc == usage_requested ? usage() : rc;
}
