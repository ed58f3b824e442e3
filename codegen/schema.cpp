// oxwire-codegen — specs/activesync/schema.json (the flattened ActiveSync XSDs) as constexpr
// content models for the validating state machine (include/oxwire/activesync/validator.hpp).
//
// The rows are (content model, child) pairs; this file turns them into transitions sorted by
// (model, code page * 64 + token), occurrence counters (only for children with a maximum or a
// minimum), required-counter masks, shared value rules and the response roots. The request
// models of specs/activesync-requests.json (hand-made from MS-ASCMD; same columns, child ids
// local to that file or `schema_model` into this one) follow the XSD models, with their roots.
#include "schema.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

namespace codegen {
namespace {

constexpr const char* kFile = "activesync/schema.json";
constexpr const char* kRequests = "activesync-requests.json";
const char* current_file = kFile;  // the table being read (error messages)

[[noreturn]] void fail(std::size_t row, const std::string& why) {
  throw std::runtime_error(std::string("specs/") + current_file + ": row " +
                           std::to_string(row + 1) + ": " + why);
}

// MS-ASDTYPE names in schema.json -> enumerators of schema::value_type.
const std::map<std::string, std::string> kTypes = {
    {"container", "container"},
    {"empty", "empty"},
    {"any", "any"},
    {"string", "string"},
    {"integer", "integer"},
    {"int", "int32"},
    {"unsignedByte", "unsigned_byte"},
    {"unsignedShort", "unsigned_short"},
    {"unsignedInt", "unsigned_int"},
    {"double", "float64"},
    {"boolean", "boolean"},
    {"dateTime", "date_time"},
};

struct value_rule {
  std::string type;
  bool allow_empty = false;
  std::optional<std::int64_t> min, max;
  std::optional<std::uint64_t> min_length, max_length;
  std::vector<std::string> enumeration;
  std::string form = "none";  // schema::pattern_form of the xs:pattern
  int p[4] = {0, 0, 0, 0};    // digit_range: [0-9]{p0,p1}-[0-9]{p2,p3}
  auto tie() const {
    return std::tie(type, allow_empty, min, max, min_length, max_length, enumeration, form, p[0],
                    p[1], p[2], p[3]);
  }
  bool operator<(const value_rule& o) const { return tie() < o.tie(); }
};

struct row {
  std::uint64_t model, key, order, min, max, choice, branch;  // max 0xFFFF = unbounded
  std::optional<std::uint64_t> child;
  bool choice_required, response_only;
  std::string tag;
  std::size_t value = 0;
  std::size_t counter = 0xFF;
};

std::string quote(std::string_view s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\';
    o += c;
  }
  return o + "\"";
}

template <class T>
T get(simdjson::dom::object o, const char* key, std::size_t r) {
  T v{};
  if (o[key].get(v)) fail(r, std::string("column '") + key + "' missing or of the wrong type");
  return v;
}

template <class T>
std::optional<T> get_opt(simdjson::dom::object o, const char* key, std::size_t r) {
  simdjson::dom::element e;
  if (o[key].get(e)) fail(r, std::string("column '") + key + "' missing");
  if (e.is_null()) return std::nullopt;
  T v{};
  if (e.get(v)) fail(r, std::string("column '") + key + "' of the wrong type");
  return v;
}

}  // namespace

std::string emit_schema(const std::string& specs_dir) {
  // Models (meta.models), rows and roots (meta.roots) of both tables; request model ids are
  // offset by the number of XSD models.
  struct model_info {
    std::string path;
    bool mixed = false;
  };
  std::vector<model_info> models;
  std::vector<row> rows;
  std::set<value_rule> rule_set;
  std::vector<value_rule> row_rules;
  std::vector<std::tuple<std::uint64_t, std::string, std::uint64_t>> roots[2];  // response, request
  const std::regex range_pattern(R"(^\[0-9\]\{(\d+),(\d+)\}-\[0-9\]\{(\d+),(\d+)\}$)");
  // MS-ASCMD 6.7 Find SearchId: a GUID in its 8-4-4-4-12 hex form.
  const std::string guid_pattern =
      "[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}";
  simdjson::dom::parser parser;
  for (const char* file : {kFile, kRequests}) {
    current_file = file;
    const bool request = file == kRequests;
    const std::size_t base = models.size();
    simdjson::dom::element doc;
    if (auto err = parser.load(specs_dir + "/" + file).get(doc))
      throw std::runtime_error(std::string("specs/") + file + ": " + simdjson::error_message(err));
    for (auto m : doc["meta"]["models"].get_array()) {
      simdjson::dom::object o = m.get_object();
      if (get<std::uint64_t>(o, "id", 0) != models.size() - base)
        throw std::runtime_error(std::string("specs/") + file + ": meta.models ids not dense");
      models.push_back(
          {std::string(get<std::string_view>(o, "path", 0)), !request && get<bool>(o, "mixed", 0)});
    }
    std::size_t r = 0;
    for (auto e : doc["rows"].get_array()) {
      simdjson::dom::object o;
      if (e.get(o)) fail(r, "row is not an object");
      row x{};
      x.model = base + get<std::uint64_t>(o, "model", r);
      x.key =
          get<std::uint64_t>(o, "child_codepage", r) * 64 + get<std::uint64_t>(o, "child_token", r);
      x.tag = std::string(get<std::string_view>(o, "child_tag", r));
      x.child = get_opt<std::uint64_t>(o, "child_model", r);
      if (x.child) *x.child += base;
      if (request) {
        const auto s = get_opt<std::uint64_t>(o, "schema_model", r);
        if (s && (x.child || *s == 0 || *s >= base)) fail(r, "schema_model out of range");
        if (s) x.child = s;
      }
      x.order = get<std::uint64_t>(o, "order", r);
      x.min = get<std::uint64_t>(o, "min_occurs", r);
      x.max = get_opt<std::uint64_t>(o, "max_occurs", r).value_or(0xFFFF);
      x.choice = get_opt<std::uint64_t>(o, "choice", r).value_or(0);
      x.branch = get_opt<std::uint64_t>(o, "branch", r).value_or(0);
      x.choice_required = get<bool>(o, "choice_required", r);
      x.response_only = get<bool>(o, "response_only", r);
      if (x.model >= models.size() || (x.child && *x.child >= models.size()))
        fail(r, "model id out of range");
      if (x.max > 0xFFFF || x.min > 0xFFFE || x.order > 0xFF || x.choice > 63)
        fail(r, "occurrence, order or choice out of the generated types' range");
      value_rule v;
      const std::string type(get<std::string_view>(o, "value_type", r));
      if (!kTypes.count(type)) fail(r, "unknown value_type " + type);
      v.type = kTypes.at(type);
      v.allow_empty = get<bool>(o, "allow_empty", r);
      v.min = get_opt<std::int64_t>(o, "min_inclusive", r);
      v.max = get_opt<std::int64_t>(o, "max_inclusive", r);
      v.min_length = get_opt<std::uint64_t>(o, "min_length", r);
      v.max_length = get_opt<std::uint64_t>(o, "max_length", r);
      for (auto s : get<simdjson::dom::array>(o, "enumeration", r))
        v.enumeration.emplace_back(std::string_view(s.get_string()));
      if (auto p = get_opt<std::string_view>(o, "pattern", r)) {
        std::smatch m;
        const std::string ps(*p);
        if (ps == guid_pattern) {
          v.form = "guid";
        } else {
          if (!std::regex_match(ps, m, range_pattern)) fail(r, "pattern form not supported: " + ps);
          v.form = "digit_range";
          for (int i = 0; i < 4; ++i) v.p[i] = std::stoi(m[i + 1]);
        }
      }
      rule_set.insert(v);
      row_rules.push_back(v);
      rows.push_back(std::move(x));
      ++r;
    }
    for (auto e : doc["meta"]["roots"].get_array()) {
      simdjson::dom::object x = e.get_object();
      roots[request].emplace_back(
          get<std::uint64_t>(x, "codepage", 0) * 64 + get<std::uint64_t>(x, "token", 0),
          std::string(get<std::string_view>(x, "command", 0)),
          base + get<std::uint64_t>(x, "model", 0));
    }
  }
  const std::vector<value_rule> rules(rule_set.begin(), rule_set.end());
  for (std::size_t i = 0; i < rows.size(); ++i)
    rows[i].value = static_cast<std::size_t>(
        std::lower_bound(rules.begin(), rules.end(), row_rules[i]) - rules.begin());

  std::stable_sort(rows.begin(), rows.end(), [](const row& a, const row& b) {
    return std::tie(a.model, a.key) < std::tie(b.model, b.key);
  });
  for (std::size_t i = 1; i < rows.size(); ++i)
    if (rows[i].model == rows[i - 1].model && rows[i].key == rows[i - 1].key)
      throw std::runtime_error("specs/activesync/schema.json: child " + rows[i].tag +
                               " twice in model " + std::to_string(rows[i].model));

  // Per model: particle range, counters (children with a bound), masks.
  struct model_out {
    std::size_t first = 0, count = 0, counters = 0, choices = 0;
    std::uint64_t required = 0, choice_required = 0;
    std::vector<std::size_t> counter_particles;
  };
  std::vector<model_out> out(models.size());
  std::size_t max_counters = 0, max_choices = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    auto& m = out[rows[i].model];
    if (m.count == 0) m.first = i;
    ++m.count;
    row& x = rows[i];
    if (x.model != 0 && (x.max != 0xFFFF || x.min > 0)) {
      x.counter = m.counters++;
      if (x.counter >= 64) throw std::runtime_error("schema: more than 64 counted children");
      if (x.min > 0) m.required |= 1ULL << x.counter;
      m.counter_particles.push_back(i);
    }
    if (x.choice) {
      m.choices = std::max<std::size_t>(m.choices, x.choice);
      if (x.choice_required) m.choice_required |= 1ULL << (x.choice - 1);
    }
    max_counters = std::max(max_counters, m.counters);
    max_choices = std::max(max_choices, m.choices);
  }

  // Deepest element nesting the schema allows without recursion (roots and globals).
  std::function<std::size_t(std::size_t, std::set<std::size_t>&)> depth =
      [&](std::size_t m, std::set<std::size_t>& on_path) -> std::size_t {
    std::size_t d = 0;
    on_path.insert(m);
    for (std::size_t i = out[m].first; i < out[m].first + out[m].count; ++i) {
      const auto& c = rows[i].child;
      d = std::max<std::size_t>(d, 1 + ((c && !on_path.count(*c)) ? depth(*c, on_path) : 0));
    }
    on_path.erase(m);
    return d;
  };
  std::set<std::size_t> on_path;
  std::size_t schema_depth = depth(0, on_path);
  for (const auto& [key, command, model] : roots[1])
    schema_depth = std::max(schema_depth, 1 + depth(model, on_path));

  std::vector<std::string> enums;
  std::vector<std::pair<std::size_t, std::size_t>> enum_range;
  for (const auto& v : rules) {
    enum_range.emplace_back(enums.size(), v.enumeration.size());
    enums.insert(enums.end(), v.enumeration.begin(), v.enumeration.end());
  }

  std::ostringstream o;
  o << "// Generated by oxwire-codegen from specs/" << kFile << " and specs/" << kRequests
    << ". Do not edit: change the table and build the `regen` target.\n"
    << "// clang-format off\n#pragma once\n\n"
    << "#include <array>\n#include <cstddef>\n#include <cstdint>\n#include <string_view>\n\n"
    << "namespace oxwire::gen::activesync::schema {\n\n"
    << "/// Leaf value types (MS-ASDTYPE 2.1-2.7 over XSD built-ins); container = element "
       "content.\n"
    << "enum class value_type : std::uint8_t {";
  for (const char* t : {"container", "empty", "any", "string", "integer", "int32", "unsigned_byte",
                        "unsigned_short", "unsigned_int", "float64", "boolean", "date_time"})
    o << (*t == 'c' ? " " : ", ") << t;
  o << " };\n\n"
    << "/// The xs:pattern forms of the schema set.\n"
    << "enum class pattern_form : std::uint8_t {\n"
    << "  none,\n"
    << "  digit_range,  // [0-9]{p0,p1}-[0-9]{p2,p3}: Range (Search, Find, ItemOperations)\n"
    << "  guid,         // [a-fA-F0-9]{8}-{4}-{4}-{4}-{12}: Find SearchId (MS-ASCMD 6.7)\n"
    << "};\n\n"
    << "inline constexpr std::uint16_t unbounded = 0xFFFF;   // max_occurs\n"
    << "inline constexpr std::uint16_t no_model = 0xFFFF;    // particle::child of a leaf\n"
    << "inline constexpr std::uint8_t uncounted = 0xFF;      // particle::counter\n"
    << "inline constexpr std::uint32_t no_length = 0xFFFFFFFF;\n\n"
    << "/// What a leaf's text must be (XSD facets).\n"
    << "struct value_rule {\n"
    << "  value_type type;\n"
    << "  bool allow_empty;  // xs:union with EmptyTag\n"
    << "  bool has_min, has_max;\n"
    << "  std::int64_t min_inclusive, max_inclusive;\n"
    << "  std::uint32_t min_length, max_length;  // characters; no_length = none\n"
    << "  std::uint16_t enum_first, enum_count;  // enumerations[enum_first, +enum_count)\n"
    << "  pattern_form form;\n"
    << "  std::uint8_t pattern[4];  // digit_range: [0-9]{p0,p1}-[0-9]{p2,p3}\n"
    << "};\n\n"
    << "/// A child a content model allows: the transition (code page, token) -> child model.\n"
    << "struct particle {\n"
    << "  std::uint16_t key;    // code page * 64 + token\n"
    << "  std::uint16_t child;  // content model of the child; no_model for a leaf\n"
    << "  std::uint16_t value;  // value_rules index\n"
    << "  std::uint16_t min_occurs, max_occurs;  // min counts only in its branch (if any)\n"
    << "  std::uint8_t order;   // sequence position; equal orders interleave\n"
    << "  std::uint8_t counter; // occurrence slot in the parent, or uncounted\n"
    << "  std::uint8_t choice, branch;  // exclusive choice (1..) and its alternative; 0 = none\n"
    << "  bool response_only;  // declared in a *Response.xsd file\n"
    << "};\n\n"
    << "/// One content model (a complexType of the XSD set); model 0 = the global declarations.\n"
    << "struct model {\n"
    << "  std::uint16_t first, count;  // particles[first, first + count), sorted by key\n"
    << "  std::uint16_t counter_first;  // counter_particles[counter_first + c] has counter c\n"
    << "  std::uint8_t counters;\n"
    << "  bool mixed;  // text allowed between children\n"
    << "  std::uint64_t required;         // bit c: counter c has min_occurs > 0\n"
    << "  std::uint64_t choice_required;  // bit c - 1: exclusive choice c must take a branch\n"
    << "  std::string_view path;  // first element path with this model\n"
    << "};\n\n"
    << "/// A command root element: response roots from the XSD set, request roots from "
       "specs/activesync-requests.json.\n"
    << "struct root {\n"
    << "  std::string_view command;  // MS-ASCMD 2.2.1 command name\n"
    << "  std::uint16_t key;\n"
    << "  std::uint16_t model;\n"
    << "};\n\n";
  o << "inline constexpr std::size_t max_counters = " << max_counters << ";\n"
    << "inline constexpr std::size_t max_choices = " << max_choices << ";\n"
    << "inline constexpr std::size_t schema_depth = " << schema_depth
    << ";  // deepest nesting without recursion\n\n";

  o << "inline constexpr std::array<std::string_view, " << enums.size() << "> enumerations{{";
  for (std::size_t i = 0; i < enums.size(); ++i) o << (i ? ", " : "") << quote(enums[i]);
  o << "}};\n\n";

  o << "inline constexpr std::array<value_rule, " << rules.size() << "> value_rules{{\n";
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const auto& v = rules[i];
    o << "    {value_type::" << v.type << ", " << (v.allow_empty ? "true" : "false") << ", "
      << (v.min ? "true" : "false") << ", " << (v.max ? "true" : "false") << ", "
      << (v.min ? std::to_string(*v.min) : "0") << ", " << (v.max ? std::to_string(*v.max) : "0")
      << ", " << (v.min_length ? std::to_string(*v.min_length) : "no_length") << ", "
      << (v.max_length ? std::to_string(*v.max_length) : "no_length") << ", " << enum_range[i].first
      << ", " << enum_range[i].second << ", pattern_form::" << v.form << ", {" << v.p[0] << ", "
      << v.p[1] << ", " << v.p[2] << ", " << v.p[3] << "}},\n";
  }
  o << "}};\n\n";

  o << "inline constexpr std::array<particle, " << rows.size() << "> particles{{\n";
  for (const auto& x : rows) {
    char key[32];
    std::snprintf(key, sizeof key, "0x%02X * 64 + 0x%02X", static_cast<unsigned>(x.key / 64),
                  static_cast<unsigned>(x.key % 64));
    o << "    {" << key << ", " << (x.child ? std::to_string(*x.child) : "no_model") << ", "
      << x.value << ", " << x.min << ", " << (x.max == 0xFFFF ? "unbounded" : std::to_string(x.max))
      << ", " << x.order << ", " << (x.counter == 0xFF ? "uncounted" : std::to_string(x.counter))
      << ", " << x.choice << ", " << x.branch << ", " << (x.response_only ? "true" : "false")
      << "},  // " << x.model << " " << x.tag << "\n";
  }
  o << "}};\n\n";

  std::size_t counter_total = 0;
  for (const auto& m : out) counter_total += m.counter_particles.size();
  o << "inline constexpr std::array<std::uint16_t, " << counter_total << "> counter_particles{{";
  {
    bool first = true;
    for (const auto& m : out)
      for (std::size_t p : m.counter_particles) o << (first ? "" : ", ") << p, first = false;
  }
  o << "}};\n\n";

  o << "inline constexpr std::array<model, " << models.size() << "> models{{\n";
  std::size_t cf = 0;
  for (std::size_t i = 0; i < models.size(); ++i) {
    const auto& m = out[i];
    char masks[64];
    std::snprintf(masks, sizeof masks, "0x%llX, 0x%llX",
                  static_cast<unsigned long long>(m.required),
                  static_cast<unsigned long long>(m.choice_required));
    o << "    {" << m.first << ", " << m.count << ", " << cf << ", " << m.counters << ", "
      << (models[i].mixed ? "true" : "false") << ", " << masks << ", "
      << quote(i == 0 ? "(global declarations)" : models[i].path) << "},  // " << i << "\n";
    cf += m.counter_particles.size();
  }
  o << "}};\n\n";

  for (int req = 0; req < 2; ++req) {
    std::sort(roots[req].begin(), roots[req].end());
    o << "inline constexpr std::array<root, " << roots[req].size() << "> "
      << (req ? "request" : "response") << "_roots{{\n";
    for (const auto& [key, command, model] : roots[req])
      o << "    {" << quote(command) << ", " << key << ", " << model << "},\n";
    o << "}};\n\n";
  }

  o << "/// The particle of `model` for the child `key` (code page * 64 + token), or nullptr.\n"
    << "[[nodiscard]] constexpr const particle* find_particle(std::uint16_t m, std::uint16_t key) "
       "noexcept {\n"
    << "  std::size_t lo = models[m].first, hi = lo + models[m].count;\n"
    << "  while (lo < hi) {\n"
    << "    const std::size_t mid = lo + (hi - lo) / 2;\n"
    << "    if (particles[mid].key < key) lo = mid + 1; else hi = mid;\n"
    << "  }\n"
    << "  return lo < models[m].first + models[m].count && particles[lo].key == key ? "
       "&particles[lo] : nullptr;\n"
    << "}\n\n"
    << "/// The response root with this key, or nullptr.\n"
    << "[[nodiscard]] constexpr const root* find_response_root(std::uint16_t key) noexcept {\n"
    << "  for (const auto& r : response_roots) if (r.key == key) return &r;\n"
    << "  return nullptr;\n"
    << "}\n\n"
    << "/// The request root with this key, or nullptr.\n"
    << "[[nodiscard]] constexpr const root* find_request_root(std::uint16_t key) noexcept {\n"
    << "  for (const auto& r : request_roots) if (r.key == key) return &r;\n"
    << "  return nullptr;\n"
    << "}\n\n"
    << "static_assert(find_particle(0, 0x00 * 64 + 0x05) != nullptr);  // AirSync:Sync is "
       "global\n\n"
    << "}  // namespace oxwire::gen::activesync::schema\n";
  return o.str();
}

}  // namespace codegen
