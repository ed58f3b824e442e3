// oxwire-codegen — include/oxwire/gen/activesync/models/*.hpp: the content models of
// specs/activesync/schema.json (the flattened XSDs: command responses and item classes) and of
// specs/activesync-requests.json (hand-made from the MS-ASCMD 2.2.1.x request sections) as plain
// structs with a Boost.Hana field list each, read and written by activesync/model_codec.hpp.
//
// Naming (documented in include/oxwire/activesync/model_types.hpp):
//   struct   the model's path with '/' and ':' turned into '_' (Sync_Collections_Collection);
//            when two models share that name, each is prefixed with the code page namespace of
//            its element (Calendar_Categories, Tasks_Categories); request models live in the
//            nested namespace `request` (request::FolderSync).
//   member   the child element's tag (SyncKey); when one model has the same tag from several
//            code pages, each such member is <Namespace>_<Tag> (Email_Subject, Calendar_Subject);
//            a C++ keyword gets a trailing '_' (none occurs today).
//   header   per XSD file without its "Response" suffix (sync.hpp, email.hpp, calendar.hpp, ...);
//            requests per command (foldersync_request.hpp).
// Types: optional child (maxOccurs 1, minOccurs 0, or any child of an exclusive choice) ->
// std::optional; maxOccurs > 1 -> std::vector (also for recursive children); containers ->
// their struct; leaves per MS-ASDTYPE (string -> std::string_view, opaque per MS-ASWBXML ->
// model::opaque, integer -> the smallest type holding the type's and facets' range, boolean ->
// bool, dateTime -> model::date_time, double, EmptyTag -> model::empty, anyType ->
// std::string_view); an xs:union with EmptyTag -> model::or_empty<T>; a mixed model
// (meta.models[].mixed) gets a `std::string_view text` member for its character content. The XSD
// enumerations are all numeric without names: they stay integers (the validator checks the values).
#include "models.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace codegen {
namespace {

constexpr std::uint64_t kUnbounded = 0xFFFF;

struct mrow {
  std::uint64_t page = 0, token = 0, order = 0, min = 0, max = kUnbounded;
  std::string tag, value_type, xsd;
  std::optional<std::uint64_t> child;  // global model index
  bool choice = false, allow_empty = false;
  std::optional<std::int64_t> lo, hi;
  std::vector<std::string> enumeration;
  std::size_t index = 0;  // row position in its table (tie-break of equal orders)
};

struct mmodel {
  std::string path, header, name, source;
  bool request = false, mixed = false;
  std::optional<std::uint64_t> owner_page;
  std::vector<mrow> rows;
};

struct root {
  std::size_t model;
  std::uint64_t page, token;
  std::string command;
};

[[noreturn]] void fail(const std::string& file, std::size_t row, const std::string& why) {
  throw std::runtime_error("specs/" + file + ": row " + std::to_string(row + 1) + ": " + why);
}

template <class T>
T get(simdjson::dom::object o, const char* key, const std::string& file, std::size_t r) {
  T v{};
  if (o[key].get(v))
    fail(file, r, std::string("column '") + key + "' missing or of the wrong type");
  return v;
}

template <class T>
std::optional<T> get_opt(simdjson::dom::object o, const char* key, const std::string& file,
                         std::size_t r) {
  simdjson::dom::element e;
  if (o[key].get(e) || e.is_null()) return std::nullopt;
  T v{};
  if (e.get(v)) fail(file, r, std::string("column '") + key + "' of the wrong type");
  return v;
}

// One table (schema.json or requests.json): models appended to `models` with their rows; child
// model ids of the table are local (offset by `base`), `schema_model` refers to schema.json.
void load(const std::string& specs_dir, const std::string& file, bool request,
          std::vector<mmodel>& models, std::vector<root>& roots, simdjson::dom::parser& parser) {
  simdjson::dom::element doc;
  if (auto err = parser.load(specs_dir + "/" + file).get(doc))
    throw std::runtime_error("specs/" + file + ": " + simdjson::error_message(err));
  const std::size_t base = models.size();
  for (auto m : doc["meta"]["models"].get_array()) {
    simdjson::dom::object o = m.get_object();
    if (get<std::uint64_t>(o, "id", file, 0) != models.size() - base)
      throw std::runtime_error("specs/" + file + ": meta.models ids not dense");
    mmodel x;
    x.path = std::string(get<std::string_view>(o, "path", file, 0));
    x.request = request;
    x.source = file;
    if (auto h = get_opt<std::string_view>(o, "header", file, 0)) x.header = std::string(*h);
    x.mixed = get_opt<bool>(o, "mixed", file, 0).value_or(false);
    models.push_back(std::move(x));
  }
  std::size_t r = 0;
  for (auto e : doc["rows"].get_array()) {
    simdjson::dom::object o;
    if (e.get(o)) fail(file, r, "row is not an object");
    const std::uint64_t model = get<std::uint64_t>(o, "model", file, r);
    if (base + model >= models.size()) fail(file, r, "model id out of range");
    mrow x;
    x.page = get<std::uint64_t>(o, "child_codepage", file, r);
    x.token = get<std::uint64_t>(o, "child_token", file, r);
    x.tag = std::string(get<std::string_view>(o, "child_tag", file, r));
    x.order = get<std::uint64_t>(o, "order", file, r);
    x.min = get<std::uint64_t>(o, "min_occurs", file, r);
    x.max = get_opt<std::uint64_t>(o, "max_occurs", file, r).value_or(kUnbounded);
    x.choice = get_opt<std::uint64_t>(o, "choice", file, r).has_value();
    x.value_type = std::string(get<std::string_view>(o, "value_type", file, r));
    x.allow_empty = get_opt<bool>(o, "allow_empty", file, r).value_or(false);
    x.lo = get_opt<std::int64_t>(o, "min_inclusive", file, r);
    x.hi = get_opt<std::int64_t>(o, "max_inclusive", file, r);
    if (auto xsd = get_opt<std::string_view>(o, "xsd", file, r)) x.xsd = std::string(*xsd);
    simdjson::dom::array en;
    if (!o["enumeration"].get(en))
      for (auto s : en) x.enumeration.emplace_back(std::string_view(s.get_string()));
    if (auto c = get_opt<std::uint64_t>(o, "child_model", file, r)) {
      if (base + *c >= models.size()) fail(file, r, "child_model out of range");
      x.child = base + *c;
    } else if (auto s = get_opt<std::uint64_t>(o, "schema_model", file, r)) {
      if (!request || *s == 0 || *s >= base) fail(file, r, "schema_model out of range");
      x.child = *s;
    }
    if (x.max == 0 || x.max > kUnbounded || x.page > 0xFF || x.token > 0x3F)
      fail(file, r, "occurrence or token out of range");
    if ((x.value_type == "container") != x.child.has_value())
      fail(file, r, "container without child model, or leaf with one");
    x.index = r;
    auto& target = models[base + model];
    if (auto p = get_opt<std::uint64_t>(o, "parent_codepage", file, r))
      if (!target.owner_page) target.owner_page = *p;
    target.rows.push_back(std::move(x));
    ++r;
  }
  for (auto e : doc["meta"]["roots"].get_array()) {
    simdjson::dom::object o = e.get_object();
    root x;
    x.model = base + get<std::uint64_t>(o, "model", file, 0);
    x.page = get<std::uint64_t>(o, "codepage", file, 0);
    x.token = get<std::uint64_t>(o, "token", file, 0);
    x.command = std::string(get<std::string_view>(o, "command", file, 0));
    if (x.model >= models.size()) throw std::runtime_error("specs/" + file + ": root out of range");
    roots.push_back(std::move(x));
  }
}

std::string identifier(std::string s) {
  for (char& c : s)
    if (c == '/' || c == ':' || c == '-') c = '_';
  return s;
}

bool is_keyword(const std::string& s) {
  static const std::set<std::string> kw = {
      "alignas",  "alignof",   "and",      "asm",      "auto",     "bool",     "break",    "case",
      "catch",    "char",      "class",    "concept",  "const",    "continue", "default",  "delete",
      "do",       "double",    "else",     "enum",     "explicit", "export",   "extern",   "false",
      "float",    "for",       "friend",   "goto",     "if",       "inline",   "int",      "long",
      "mutable",  "namespace", "new",      "noexcept", "not",      "nullptr",  "operator", "or",
      "private",  "protected", "public",   "register", "requires", "return",   "short",    "signed",
      "sizeof",   "static",    "struct",   "switch",   "template", "this",     "throw",    "true",
      "try",      "typedef",   "typename", "union",    "unsigned", "using",    "virtual",  "void",
      "volatile", "while",     "xor"};
  return kw.count(s) != 0;
}

std::string hex2(std::uint64_t v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02llX", static_cast<unsigned long long>(v));
  return buf;
}

// The smallest integer type holding [lo, hi] (nullopt = unbounded).
std::string integer_type(std::optional<std::int64_t> lo, std::optional<std::int64_t> hi) {
  struct cand {
    const char* name;
    std::int64_t min, max;
  };
  static const cand c[] = {
      {"std::uint8_t", 0, 0xFF},          {"std::int8_t", -128, 127},
      {"std::uint16_t", 0, 0xFFFF},       {"std::int16_t", -32768, 32767},
      {"std::uint32_t", 0, 0xFFFFFFFFLL}, {"std::int32_t", -2147483648LL, 2147483647LL},
  };
  if (lo && hi)
    for (const auto& x : c)
      if (*lo >= x.min && *hi <= x.max) return x.name;
  if (lo && *lo >= 0 && !hi) return "std::int64_t";
  return "std::int64_t";
}

std::string leaf_type(const mrow& x, const std::set<std::pair<std::uint64_t, std::string>>& opaque,
                      const std::string& file) {
  std::optional<std::int64_t> lo, hi;
  const std::string& t = x.value_type;
  std::string type;
  if (t == "empty") {
    type = "model::empty";
  } else if (t == "string" || t == "any") {
    type = opaque.count({x.page, x.tag}) ? "model::opaque" : "std::string_view";
  } else if (t == "dateTime") {
    type = "model::date_time";
  } else if (t == "boolean") {
    type = "bool";
  } else if (t == "double") {
    type = "double";
  } else {
    if (t == "int")
      lo = -2147483648LL, hi = 2147483647LL;
    else if (t == "unsignedByte")
      lo = 0, hi = 0xFF;
    else if (t == "unsignedShort")
      lo = 0, hi = 0xFFFF;
    else if (t == "unsignedInt")
      lo = 0, hi = 0xFFFFFFFFLL;
    else if (t != "integer")
      throw std::runtime_error("specs/" + file + ": value_type " + t);
    if (x.lo) lo = lo ? std::max(*lo, *x.lo) : *x.lo;
    if (x.hi) hi = hi ? std::min(*hi, *x.hi) : *x.hi;
    if (!x.enumeration.empty()) {
      std::int64_t a = std::numeric_limits<std::int64_t>::max(),
                   b = std::numeric_limits<std::int64_t>::min();
      for (const auto& v : x.enumeration) {
        const std::int64_t n = std::stoll(v);
        a = std::min(a, n), b = std::max(b, n);
      }
      lo = lo ? std::max(*lo, a) : a;
      hi = hi ? std::min(*hi, b) : b;
    }
    type = integer_type(lo, hi);
  }
  return x.allow_empty ? "model::or_empty<" + type + ">" : type;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> emit_models(const std::string& specs_dir) {
  simdjson::dom::parser parser;
  std::vector<mmodel> models;
  std::vector<root> roots;
  load(specs_dir, "activesync/schema.json", false, models, roots, parser);
  const std::size_t schema_models = models.size();
  load(specs_dir, "activesync-requests.json", true, models, roots, parser);

  // Opaque elements (MS-ASWBXML 2.1.2.1 marks them) and code page namespaces.
  std::set<std::pair<std::uint64_t, std::string>> opaque;
  std::map<std::uint64_t, std::string> namespaces;
  {
    simdjson::dom::element doc;
    if (auto err = parser.load(specs_dir + "/activesync/wbxml-codepages.json").get(doc))
      throw std::runtime_error(std::string("specs/activesync/wbxml-codepages.json: ") +
                               simdjson::error_message(err));
    std::size_t r = 0;
    for (auto e : doc["rows"].get_array()) {
      simdjson::dom::object o = e.get_object();
      const std::string f = "activesync/wbxml-codepages.json";
      const auto page = get<std::uint64_t>(o, "codepage", f, r);
      namespaces[page] = std::string(get<std::string_view>(o, "namespace", f, r));
      if (get<bool>(o, "opaque", f, r))
        opaque.insert({page, std::string(get<std::string_view>(o, "tag", f, r))});
      ++r;
    }
  }
  auto ns_of = [&](std::uint64_t page) {
    auto it = namespaces.find(page);
    if (it == namespaces.end())
      throw std::runtime_error("no namespace for code page " + std::to_string(page));
    return it->second;
  };

  // Header of each schema model: the XSD file of its element, without "Response".
  for (std::size_t m = 1; m < schema_models; ++m)
    for (std::size_t p = 0; p < models.size() && models[m].header.empty(); ++p)
      for (const auto& x : models[p].rows)
        if (x.child == m && !x.xsd.empty()) {
          std::string stem = x.xsd.substr(0, x.xsd.size() - 4);
          if (stem.size() > 8 && stem.ends_with("Response")) stem.resize(stem.size() - 8);
          std::transform(stem.begin(), stem.end(), stem.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
          models[m].header = stem;
          break;
        }
  for (std::size_t m = 1; m < models.size(); ++m)
    if (models[m].header.empty())
      throw std::runtime_error("model " + models[m].path + " has no header");

  // Struct names: the path, then the namespace prefix where that is ambiguous, then the id.
  std::map<std::pair<bool, std::string>, std::vector<std::size_t>> by_name;
  for (std::size_t m = 1; m < models.size(); ++m)
    by_name[{models[m].request, identifier(models[m].path)}].push_back(m);
  for (auto& [key, list] : by_name)
    for (std::size_t m : list) {
      models[m].name = key.second;
      if (list.size() > 1) {
        if (!models[m].owner_page)
          throw std::runtime_error("model " + models[m].path + " has no owner page");
        models[m].name = ns_of(*models[m].owner_page) + "_" + key.second;
      }
    }
  {
    std::map<std::pair<bool, std::string>, int> seen;
    for (std::size_t m = 1; m < models.size(); ++m) ++seen[{models[m].request, models[m].name}];
    for (std::size_t m = 1; m < models.size(); ++m)
      if (seen[{models[m].request, models[m].name}] > 1) models[m].name += "_" + std::to_string(m);
  }
  auto qualified = [&](std::size_t m) {
    return std::string(models[m].request ? "model::request::" : "model::") + models[m].name;
  };
  auto local = [&](std::size_t m) {
    return std::string(models[m].request ? "request::" : "") + models[m].name;
  };

  // Per header: models in dependency order (children first; recursion through vectors).
  std::map<std::string, std::vector<std::size_t>> order;
  {
    std::vector<int> state(models.size(), 0);
    std::function<void(std::size_t)> visit = [&](std::size_t m) {
      state[m] = 1;
      for (const auto& x : models[m].rows)
        if (x.child && *x.child != 0 && state[*x.child] == 0) visit(*x.child);
      state[m] = 2;
      order[models[m].header].push_back(m);
    };
    for (std::size_t m = 1; m < models.size(); ++m)
      if (state[m] == 0) visit(m);
  }

  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [header, list] : order) {
    std::set<std::string> includes, sources;
    for (std::size_t m : list) {
      sources.insert(models[m].source);
      for (const auto& x : models[m].rows)
        if (x.child && models[*x.child].header != header)
          includes.insert("oxwire/gen/activesync/models/" + models[*x.child].header + ".hpp");
    }
    std::ostringstream o;
    o << "// Generated by oxwire-codegen from";
    for (const auto& s : sources) o << " specs/" << s;
    o << " and specs/activesync/wbxml-codepages.json. Do not edit: change the table and build the "
         "`regen` target.\n// clang-format off\n#pragma once\n\n#include "
         "<oxwire/activesync/model_types.hpp>\n";
    for (const auto& i : includes) o << "#include <" << i << ">\n";
    o << "\nnamespace oxwire::activesync::model {\n";
    std::vector<std::string> names;
    for (std::size_t m : list) {
      const mmodel& mm = models[m];
      std::vector<mrow> rows = mm.rows;
      std::stable_sort(rows.begin(), rows.end(), [](const mrow& a, const mrow& b) {
        return std::tie(a.order, a.index) < std::tie(b.order, b.index);
      });
      std::map<std::string, int> tags;
      for (const auto& x : rows) ++tags[x.tag];
      std::set<std::string> members;
      std::ostringstream body, fields;
      std::string xsd;
      for (std::size_t p = 0; p < models.size() && xsd.empty(); ++p)
        for (const auto& x : models[p].rows)
          if (x.child == m && !x.xsd.empty()) xsd = x.xsd;
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const mrow& x = rows[i];
        std::string member = tags[x.tag] > 1 ? ns_of(x.page) + "_" + x.tag : x.tag;
        if (is_keyword(member)) member += "_";
        if (!members.insert(member).second)
          throw std::runtime_error("model " + mm.path + ": member " + member + " twice");
        const std::string value = x.child ? qualified(*x.child) : leaf_type(x, opaque, mm.source);
        const std::uint64_t min = x.choice ? 0 : x.min;
        std::string type;
        if (x.max > 1)
          type = "std::vector<" + value + ">";
        else if (min == 0)
          type = "std::optional<" + value + ">";
        else
          type = value;
        if (x.child && *x.child == m && x.max == 1)
          throw std::runtime_error("model " + mm.path + ": recursive child " + x.tag +
                                   " not repeated");
        body << "  " << type << " " << member << "{};  // " << ns_of(x.page) << ":" << x.tag << " "
             << min << ".." << (x.max == kUnbounded ? std::string("*") : std::to_string(x.max));
        if (x.choice) body << ", choice";
        if (!x.enumeration.empty()) {
          body << ", one of";
          for (const auto& v : x.enumeration) body << " " << v;
        }
        body << "\n";
        fields << "      field<&" << local(m) << "::" << member << ", " << hex2(x.page) << ", "
               << hex2(x.token) << ", " << min << ", "
               << (x.max == kUnbounded ? std::string("unbounded") : std::to_string(x.max)) << ">{\""
               << x.tag << "\"}" << (i + 1 < rows.size() ? ",\n" : "");
      }
      if (mm.mixed) body << "  std::string_view text{};  // character content (mixed)\n";
      if (mm.request) o << "\nnamespace request {";
      o << "\n/// " << mm.path << " (" << (mm.owner_page ? ns_of(*mm.owner_page) + "; " : "")
        << (xsd.empty() ? mm.source : xsd) << ").\nstruct " << mm.name << " {\n"
        << body.str() << "  friend bool operator==(const " << mm.name << "&, const " << mm.name
        << "&) = default;\n};\n";
      if (mm.request) o << "}  // namespace request\n";
      o << "template <>\nstruct model_traits<" << local(m) << "> {\n"
        << "  static constexpr const char* name = \"" << mm.path << "\";\n"
        << (mm.mixed ? "  static constexpr auto text = &" + local(m) + "::text;\n" : "")
        << "  static constexpr auto fields = boost::hana::make_tuple(\n"
        << fields.str() << ");\n};\n";
      names.push_back(local(m));
    }
    bool any_root = false;
    for (const auto& r : roots)
      if (models[r.model].header == header) {
        if (!any_root) o << "\n// Root elements (MS-ASCMD 2.2.1).\n";
        any_root = true;
        o << "template <>\nstruct root_element<" << local(r.model) << "> {  // " << r.command
          << (models[r.model].request ? " request" : " response")
          << "\n  static constexpr std::uint8_t page = " << hex2(r.page)
          << ", token = " << hex2(r.token) << ";\n};\n";
      }
    o << "\n/// Every model of this header, for generic code and tests.\ninline constexpr auto "
      << identifier(header) << "_models = boost::hana::tuple_t<";
    for (std::size_t i = 0; i < names.size(); ++i) o << (i ? ", " : "") << names[i];
    o << ">;\n\n}  // namespace oxwire::activesync::model\n";
    out.emplace_back("activesync/models/" + header + ".hpp", o.str());
  }
  return out;
}

}  // namespace codegen
