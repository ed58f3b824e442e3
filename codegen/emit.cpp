#include "emit.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <numeric>
#include <set>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include <variant>

#include "snippets/hash_index.hpp"

namespace codegen {
namespace {

// ActiveSync protocol versions in mask bit order (MS-ASHTTP 2.2.1.1.2.4 MS-ASProtocolVersion).
constexpr const char* kVersions[] = {"2.5", "12.0", "12.1", "14.0", "14.1", "16.0", "16.1"};

using cell = std::variant<std::string, std::uint64_t, bool, std::vector<std::string>>;

[[noreturn]] void fail(const std::string& file, std::size_t row, const std::string& col,
                       const std::string& why) {
  throw std::runtime_error("specs/" + file + ": row " + std::to_string(row + 1) + ", column '" +
                           col + "': " + why);
}

std::string cpp_type(ctype t) {
  switch (t) {
    case ctype::str: return "std::string_view";
    case ctype::u8: return "std::uint8_t";
    case ctype::u16: return "std::uint16_t";
    case ctype::u32: return "std::uint32_t";
    case ctype::boolean: return "bool";
    case ctype::str_list: return "detail::pool_slice";
    case ctype::versions: return "std::uint8_t";
    case ctype::guid: return "oxwire::guid";
  }
  return {};
}

std::uint64_t max_of(ctype t) {
  switch (t) {
    case ctype::u8: return 0xFF;
    case ctype::u16: return 0xFFFF;
    case ctype::u32: return 0xFFFFFFFF;
    default: return ~0ULL;
  }
}

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string hex(std::uint64_t v, ctype t) {
  const int width = t == ctype::u8 ? 2 : t == ctype::u16 ? 4 : 8;
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%0*llX", width, static_cast<unsigned long long>(v));
  return buf;
}

bool is_identifier(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

struct loaded_table {
  const table_def* def;
  std::vector<std::vector<cell>> rows;  // rows[r][c] in def->columns order
};

cell read_cell(const table_def& t, std::size_t r, const column& c, simdjson::dom::object row) {
  simdjson::dom::element v;
  const bool present = row[c.json].get(v) == simdjson::SUCCESS && !v.is_null();
  if (!present && c.required) fail(t.json, r, c.json, "missing or null");
  switch (c.type) {
    case ctype::str:
    case ctype::guid: {
      if (!present) return std::string{};
      std::string_view s;
      if (v.get(s)) fail(t.json, r, c.json, "not a string");
      if (c.required && s.empty()) fail(t.json, r, c.json, "empty");
      return std::string(s);
    }
    case ctype::u8:
    case ctype::u16:
    case ctype::u32: {
      if (!present) return std::uint64_t{0};
      std::uint64_t n;
      if (v.get(n)) fail(t.json, r, c.json, "not an unsigned integer");
      if (n > max_of(c.type)) fail(t.json, r, c.json, "out of range for " + cpp_type(c.type));
      return n;
    }
    case ctype::boolean: {
      if (!present) return false;
      bool b;
      if (v.get(b)) fail(t.json, r, c.json, "not a boolean");
      return b;
    }
    case ctype::str_list:
    case ctype::versions: {
      std::vector<std::string> out;
      if (!present) return out;
      simdjson::dom::array a;
      if (v.get(a)) fail(t.json, r, c.json, "not an array");
      for (auto e : a) {
        std::string_view s;
        if (e.get(s)) fail(t.json, r, c.json, "array element not a string");
        out.emplace_back(s);
      }
      if (c.type == ctype::versions) {
        for (const auto& s : out)
          if (std::find(std::begin(kVersions), std::end(kVersions), s) == std::end(kVersions))
            fail(t.json, r, c.json, "unknown protocol version " + s);
      }
      return out;
    }
  }
  return {};
}

// Rows of `t`; with `where_field`, only those whose JSON string there equals `where_value`.
loaded_table load(const table_def& t, simdjson::dom::parser& parser, const std::string& dir,
                  const std::string& where_field = {}, const std::string& where_value = {}) {
  simdjson::dom::element doc;
  if (auto err = parser.load(dir + "/" + t.json).get(doc))
    throw std::runtime_error("specs/" + t.json + ": " + simdjson::error_message(err));
  simdjson::dom::array rows;
  if (doc["rows"].get(rows)) throw std::runtime_error("specs/" + t.json + ": no rows array");
  loaded_table out{&t, {}};
  std::size_t r = 0;
  for (auto e : rows) {
    simdjson::dom::object row;
    if (e.get(row)) fail(t.json, r, "", "row is not an object");
    std::string_view selector;
    if (!where_field.empty() && (row[where_field].get(selector) || selector != where_value)) {
      ++r;
      continue;
    }
    std::vector<cell> cells;
    for (const auto& c : t.columns) cells.push_back(read_cell(t, r, c, row));
    out.rows.push_back(std::move(cells));
    ++r;
  }
  if (out.rows.empty())
    throw std::runtime_error(
        "specs/" + t.json + ": no rows" +
        (where_field.empty() ? "" : " with " + where_field + " " + where_value));
  return out;
}

std::size_t column_index(const table_def& t, const std::string& field) {
  for (std::size_t i = 0; i < t.columns.size(); ++i)
    if (t.columns[i].field == field) return i;
  throw std::runtime_error("codegen: table " + t.array + " has no field " + field);
}

// A key value as the C++ comparison will see it: strings bytewise, integers numerically.
using key_part = std::variant<std::uint64_t, std::string>;

key_part key_of(const cell& c) {
  if (auto s = std::get_if<std::string>(&c)) return *s;
  if (auto n = std::get_if<std::uint64_t>(&c)) return *n;
  if (auto b = std::get_if<bool>(&c)) return std::uint64_t{*b};
  throw std::runtime_error("codegen: list column used as a key");
}

std::string literal(const column& c, const cell& v, std::vector<std::string>& pool) {
  switch (c.type) {
    case ctype::str: return quote(std::get<std::string>(v));
    case ctype::u8:
    case ctype::u16:
    case ctype::u32: return hex(std::get<std::uint64_t>(v), c.type);
    case ctype::boolean: return std::get<bool>(v) ? "true" : "false";
    case ctype::guid: return "oxwire::guid::from_string(" + quote(std::get<std::string>(v)) + ")";
    case ctype::str_list: {
      const auto& list = std::get<std::vector<std::string>>(v);
      const std::size_t first = pool.size();
      pool.insert(pool.end(), list.begin(), list.end());
      std::ostringstream o;  // not operator+: g++ 12 reports a false -Wrestrict on that chain
      o << '{' << first << ", " << list.size() << '}';
      return o.str();
    }
    case ctype::versions: {
      const auto& list = std::get<std::vector<std::string>>(v);
      unsigned mask = list.empty() ? (1u << std::size(kVersions)) - 1 : 0;
      for (const auto& s : list)
        mask |= 1u << (std::find(std::begin(kVersions), std::end(kVersions), s) -
                       std::begin(kVersions));
      return hex(mask, ctype::u8);
    }
  }
  return {};
}

std::string index_type_of(std::size_t rows) {
  return rows <= 0xFFFF ? "std::uint16_t" : "std::uint32_t";
}

// A key value as a C++ argument, for the generated static_asserts.
std::string argument(const column& c, const cell& v) {
  std::vector<std::string> scratch;
  return c.type == ctype::str ? "std::string_view{" + quote(std::get<std::string>(v)) + "}"
                              : cpp_type(c.type) + "{" + literal(c, v, scratch) + "}";
}

void emit_sorted_index(std::ostringstream& o, const loaded_table& lt, const index& ix) {
  const table_def& t = *lt.def;
  const std::size_t n = lt.rows.size();
  const std::string index_type = index_type_of(n);
  std::vector<std::size_t> cols;
  for (const auto& f : ix.fields) cols.push_back(column_index(t, f));
  std::vector<std::vector<key_part>> keys(n);
  for (std::size_t r = 0; r < n; ++r)
    for (auto c : cols) keys[r].push_back(key_of(lt.rows[r][c]));
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
  if (ix.unique)
    for (std::size_t i = 1; i < n; ++i)
      if (keys[order[i]] == keys[order[i - 1]])
        fail(t.json, order[i], ix.fields[0], "duplicate key for " + ix.function);

  std::string order_name = t.array + "_by";
  for (const auto& f : ix.fields) order_name += "_" + f;
  o << "inline constexpr std::array<" << index_type << ", " << n << "> " << order_name << "{{";
  for (std::size_t i = 0; i < n; ++i) o << (i % 16 ? " " : "\n    ") << order[i] << ",";
  o << "\n}};\n\n";

  std::string params, args, proj;
  for (std::size_t k = 0; k < cols.size(); ++k) {
    const column& c = t.columns[cols[k]];
    // Appends, not operator+ chains: g++ 12 reports a false -Wrestrict on those.
    params.append(k ? ", " : "").append(cpp_type(c.type)).append(" ").append(c.field);
    args.append(k ? ", " : "").append(c.field);
    proj.append(k ? ", r." : "r.").append(c.field);
  }
  const std::string key_expr = cols.size() == 1 ? args : "std::tuple(" + args + ")";
  const std::string proj_expr = cols.size() == 1 ? proj : "std::tuple(" + proj + ")";
  const std::string lambda = "[](const " + t.row_type + "& r) { return " + proj_expr + "; }";
  if (ix.unique) {
    o << "/// The row with this key, or nullptr.\n"
      << "[[nodiscard]] constexpr const " << t.row_type << "* " << ix.function << "(" << params
      << ") noexcept {\n  return detail::find(" << t.array << ", " << order_name << ", " << key_expr
      << ", " << lambda << ");\n}\n\n";
  } else {
    o << "/// Indices into `" << t.array << "` of every row with this key, in source order.\n"
      << "[[nodiscard]] constexpr std::span<const " << index_type << "> " << ix.function << "("
      << params << ") noexcept {\n  return detail::equal_range(" << t.array << ", " << order_name
      << ", " << key_expr << ", " << lambda << ");\n}\n\n";
  }
  // A generated check that the index and the array agree (STYLE: static_asserts are generated).
  const std::size_t probe = order[n / 2];
  std::string probe_args;
  for (std::size_t k = 0; k < cols.size(); ++k)
    probe_args += (k ? ", " : "") + argument(t.columns[cols[k]], lt.rows[probe][cols[k]]);
  if (ix.unique)
    o << "static_assert(" << ix.function << "(" << probe_args << ") == &" << t.array << "[" << probe
      << "]);\n\n";
  else
    o << "static_assert(!" << ix.function << "(" << probe_args << ").empty());\n\n";
}

void emit_hash_index(std::ostringstream& o, const loaded_table& lt, const index& ix) {
  const table_def& t = *lt.def;
  if (lt.rows.size() > 0xFFFF) throw std::runtime_error("codegen: " + t.array + " too big to hash");
  std::vector<std::string> keys;
  std::vector<std::vector<std::size_t>> rows_of;
  std::map<std::string, std::size_t> key_id;
  for (const auto& f : ix.fields) {
    const std::size_t c = column_index(t, f);
    if (t.columns[c].type != ctype::str && t.columns[c].type != ctype::str_list)
      throw std::runtime_error("codegen: hash index " + ix.function + " on non-string " + f);
    for (std::size_t r = 0; r < lt.rows.size(); ++r) {
      const cell& v = lt.rows[r][c];
      std::vector<std::string> strings;
      if (auto s = std::get_if<std::string>(&v))
        strings.push_back(*s);
      else
        strings = std::get<std::vector<std::string>>(v);
      for (const auto& s : strings) {
        if (s.empty()) continue;
        const auto [it, fresh] = key_id.emplace(s, keys.size());
        if (fresh) keys.push_back(s), rows_of.emplace_back();
        auto& list = rows_of[it->second];
        if (std::find(list.begin(), list.end(), r) != list.end()) continue;
        if (ix.unique && !list.empty()) fail(t.json, r, f, "duplicate key for " + ix.function);
        list.push_back(r);
      }
    }
  }
  if (keys.size() >= 0xFFFF) throw std::runtime_error("codegen: too many keys for " + ix.function);
  std::size_t slots = 2;
  while (slots < 2 * keys.size()) slots <<= 1;
  std::vector<std::uint32_t> table(slots);
  std::size_t row_count = 0;
  for (std::size_t k = 0; k < keys.size(); ++k) {
    const std::uint64_t h = oxwire::detail::hash_string(keys[k]);
    std::size_t i = h & (slots - 1);
    while (table[i]) i = (i + 1) & (slots - 1);
    table[i] = oxwire::detail::hash_slot(h, k);
    row_count += rows_of[k].size();
  }

  std::string name = t.array + "_by";
  for (const auto& f : ix.fields) name += "_" + f;
  o << "inline constexpr detail::hash_index<" << slots << ", " << keys.size() << ", " << row_count
    << "> " << name << "{{{";
  for (std::size_t i = 0; i < slots; ++i) o << (i % 16 ? " " : "\n    ") << table[i] << ",";
  o << "\n}}, {{\n";
  std::size_t first = 0;
  for (std::size_t k = 0; k < keys.size(); ++k) {
    o << "    {" << quote(keys[k]) << ", " << first << ", " << rows_of[k].size() << "},\n";
    first += rows_of[k].size();
  }
  o << "}}, {{";
  std::size_t i = 0;
  for (const auto& list : rows_of)
    for (auto r : list) o << (i++ % 16 ? " " : "\n    ") << r << ",";
  o << "\n}}};\n\n";

  std::string fields;
  for (const auto& f : ix.fields) fields += (fields.empty() ? "" : ", ") + f;
  o << "/// Indices into `" << t.array << "` of every row listing `key` (in " << fields
    << ", in that order, each in source order); `hash` is detail::hash_string(key).\n"
    << "[[nodiscard]] constexpr std::span<const std::uint16_t> " << ix.function
    << "(std::string_view key, std::uint64_t hash) noexcept {\n  return " << name
    << ".find(key, hash);\n}\n\n"
    << "[[nodiscard]] constexpr std::span<const std::uint16_t> " << ix.function
    << "(std::string_view key) noexcept {\n  return " << ix.function
    << "(key, detail::hash_string(key));\n}\n\n";
  const std::size_t probe = keys.size() / 2;
  o << "static_assert(" << ix.function << "(std::string_view{" << quote(keys[probe])
    << "}).front() == " << rows_of[probe].front() << ");\n\n";
}

// Column names and types, which tables sharing a row type must agree on.
std::string signature(const table_def& t) {
  std::string s;
  for (const auto& c : t.columns) s += c.field + ":" + cpp_type(c.type) + ";";
  return s;
}

// `enum class` of the rows (with e.group_field, one per group), enumerators in row order.
void emit_enums(std::ostringstream& o, const loaded_table& lt, const enum_def& e) {
  const table_def& t = *lt.def;
  const std::size_t nc = column_index(t, e.name_field), vc = column_index(t, e.value_field);
  std::vector<std::string> groups;  // group values in order of first appearance; {""} ungrouped
  std::vector<std::size_t> group_of(lt.rows.size());
  for (std::size_t r = 0; r < lt.rows.size(); ++r) {
    const std::string g = e.group_field.empty()
                              ? ""
                              : std::get<std::string>(lt.rows[r][column_index(t, e.group_field)]);
    const auto it = std::find(groups.begin(), groups.end(), g);
    group_of[r] = static_cast<std::size_t>(it - groups.begin());
    if (it == groups.end()) groups.push_back(g);
  }
  std::set<std::string> enum_names;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    std::string name;
    for (char c : groups[g])
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') name += c;
    name += e.name;
    if (!is_identifier(name) || !enum_names.insert(name).second)
      throw std::runtime_error("specs/" + t.json + ": enum name " + name + " of group '" +
                               groups[g] + "' is not a new C++ identifier");
    if (!groups[g].empty()) o << "// " << e.group_field << " " << groups[g] << "\n";
    o << "enum class " << name << " : " << e.underlying << " {\n";
    std::set<std::string> seen;
    for (std::size_t r = 0; r < lt.rows.size(); ++r) {
      if (group_of[r] != g) continue;
      const auto& enumerator = std::get<std::string>(lt.rows[r][nc]);
      if (!is_identifier(enumerator))
        fail(t.json, r, e.name_field, "not a C++ identifier: " + enumerator);
      if (!seen.insert(enumerator).second)
        fail(t.json, r, e.name_field, "duplicate enumerator " + enumerator);
      std::vector<std::string> scratch;
      o << "  " << enumerator << " = " << literal(t.columns[vc], lt.rows[r][vc], scratch) << ",\n";
    }
    o << "};\n\n";
  }
}

// Tables with one row type: the struct once, one string pool, then each array with its
// indexes; the list accessors follow the first array and read the shared pool, so any row works.
void emit_tables(std::ostringstream& o, const std::vector<const loaded_table*>& group) {
  const table_def& t0 = *group.front()->def;
  for (const auto* lt : group)
    if (signature(*lt->def) != signature(t0))
      throw std::runtime_error("codegen: " + lt->def->array + " and " + t0.array +
                               " share row type " + t0.row_type + " but not its columns");

  o << "// " << t0.doc << "\n";
  o << "struct " << t0.row_type << " {\n";
  for (const auto& c : t0.columns)
    o << "  " << cpp_type(c.type) << ' ' << c.field << "{};"
      << (c.doc.empty() ? "" : "  // " + c.doc) << "\n";
  o << "};\n\n";

  std::vector<std::string> pool;
  std::vector<std::string> bodies;
  for (const auto* lt : group) {
    std::ostringstream body;
    for (const auto& row : lt->rows) {
      body << "    {";
      for (std::size_t i = 0; i < lt->def->columns.size(); ++i)
        body << (i ? ", " : "") << literal(lt->def->columns[i], row[i], pool);
      body << "},\n";
    }
    bodies.push_back(body.str());
  }
  if (pool.size() > 0xFFFF) throw std::runtime_error("codegen: string pool too big");
  const bool has_lists = std::any_of(t0.columns.begin(), t0.columns.end(),
                                     [](const column& c) { return c.type == ctype::str_list; });
  if (has_lists) {
    o << "inline constexpr std::array<std::string_view, " << pool.size() << "> " << t0.array
      << "_strings{{\n";
    for (const auto& s : pool) o << "    " << quote(s) << ",\n";
    o << "}};\n\n";
  }

  for (std::size_t g = 0; g < group.size(); ++g) {
    const loaded_table& lt = *group[g];
    const table_def& t = *lt.def;
    const std::size_t n = lt.rows.size();
    if (g) o << "// " << t.doc << "\n";
    o << "inline constexpr std::array<" << t.row_type << ", " << n << "> " << t.array << "{{\n"
      << bodies[g] << "}};\n\n";
    if (g == 0)
      for (const auto& c : t0.columns)
        if (c.type == ctype::str_list)
          o << "/// The `" << c.field << "` list of a row.\n"
            << "[[nodiscard]] constexpr std::span<const std::string_view> " << c.field
            << "_of(const " << t0.row_type << "& row) noexcept {\n  return detail::slice_of("
            << t0.array << "_strings, row." << c.field << ");\n}\n\n";
    for (const auto& ix : t.indexes) {
      if (ix.kind == index_kind::hash)
        emit_hash_index(o, lt, ix);
      else
        emit_sorted_index(o, lt, ix);
    }
    if (t.enumeration) emit_enums(o, lt, *t.enumeration);
  }
}

// `pattern` with each {field} replaced by the member's literal and each {field:raw} by its text.
std::string substitute(const std::string& pattern, const table_def& t, const std::vector<cell>& row,
                       std::size_t r) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size();) {
    const std::size_t open = pattern.find('{', i);
    if (open == std::string::npos) {
      out += pattern.substr(i);
      break;
    }
    const std::size_t close = pattern.find('}', open);
    if (close == std::string::npos) throw std::runtime_error("codegen: unclosed { in " + pattern);
    out += pattern.substr(i, open - i);
    std::string field = pattern.substr(open + 1, close - open - 1);
    const bool raw = field.size() > 4 && field.ends_with(":raw");
    if (raw) field.resize(field.size() - 4);
    const std::size_t c = column_index(t, field);
    const cell& v = row[c];
    if (std::holds_alternative<std::vector<std::string>>(v))
      fail(t.json, r, field, "a list cannot be a constant's part");
    std::vector<std::string> scratch;
    if (!raw)
      out += literal(t.columns[c], v, scratch);
    else if (auto s = std::get_if<std::string>(&v))
      out += *s;
    else
      out += std::to_string(std::get<std::uint64_t>(v));
    i = close + 1;
  }
  return out;
}

std::string text_of(const cell& v) {
  if (auto s = std::get_if<std::string>(&v)) return *s;
  if (auto l = std::get_if<std::vector<std::string>>(&v)) {
    std::string out;
    for (const auto& s : *l) out += (out.empty() ? "" : ", ") + s;
    return out;
  }
  throw std::runtime_error("codegen: comment column is not text");
}

void emit_constants(std::ostringstream& o, const constant_group& g, simdjson::dom::parser& parser,
                    const std::string& dir, std::set<std::string>& names) {
  const loaded_table lt = load(g.source, parser, dir, g.where_field, g.where_value);
  const table_def& t = g.source;
  std::set<std::string> known;
  if (g.resolve) {
    simdjson::dom::element doc;
    simdjson::dom::array rows;
    if (parser.load(dir + "/" + g.resolve->json).get(doc) || doc["rows"].get(rows))
      throw std::runtime_error("specs/" + g.resolve->json + ": cannot read rows");
    for (auto e : rows) {
      std::string_view key;
      if (!e[g.resolve->key].get(key)) known.emplace(key);
    }
  }
  const std::size_t nc = column_index(t, g.name_field);
  o << "// " << t.doc << "\n";
  for (std::size_t r = 0; r < lt.rows.size(); ++r) {
    const auto& row = lt.rows[r];
    const auto& name = std::get<std::string>(row[nc]);
    if (!is_identifier(name)) fail(t.json, r, g.name_field, "not a C++ identifier: " + name);
    if (!names.insert(name).second) fail(t.json, r, g.name_field, "duplicate constant " + name);
    if (g.resolve) {
      const auto& value = text_of(row[column_index(t, g.resolve->field)]);
      if (!known.count(value)) {
        o << "// " << name << ": no constant, " << g.resolve->field << " " << value
          << " is not in specs/" << g.resolve->json << "\n";
        continue;
      }
    }
    o << "inline constexpr " << substitute(g.type, t, row, r) << ' ' << name << '{';
    for (std::size_t i = 0; i < g.init.size(); ++i)
      o << (i ? ", " : "") << substitute(g.init[i], t, row, r);
    o << "};";
    if (!g.comment_field.empty()) {
      const std::string note = text_of(row[column_index(t, g.comment_field)]);
      if (!note.empty()) o << "  // " << note;
    }
    o << "\n";
  }
  o << "\n";
}

}  // namespace

std::string emit_header(const header_def& h, const std::string& specs_dir,
                        const std::string& snippets_dir) {
  if (h.custom) return h.custom(specs_dir);
  if (!h.snippet.empty()) {
    std::ifstream f(snippets_dir + "/" + h.snippet, std::ios::binary);
    if (!f) throw std::runtime_error("cannot read codegen/snippets/" + h.snippet);
    std::ostringstream text;
    text << f.rdbuf();
    return "// Generated by oxwire-codegen from codegen/snippets/" + h.snippet +
           ". Do not edit: change the snippet and build the `regen` target.\n" + text.str();
  }
  simdjson::dom::parser parser;
  std::vector<loaded_table> tables;
  std::string sources;
  tables.reserve(h.tables.size());
  for (const auto& t : h.tables) {
    tables.push_back(load(t, parser, specs_dir));
    sources += (sources.empty() ? "specs/" : ", specs/") + t.json;
  }
  for (const auto& g : h.constants)
    if (sources.find("specs/" + g.source.json) == std::string::npos)
      sources += (sources.empty() ? "specs/" : ", specs/") + g.source.json;
  const auto any_column = [&](ctype type) {
    return std::any_of(h.tables.begin(), h.tables.end(), [&](const table_def& t) {
      return std::any_of(t.columns.begin(), t.columns.end(),
                         [&](const column& c) { return c.type == type; });
    });
  };
  const bool hashed = std::any_of(h.tables.begin(), h.tables.end(), [](const table_def& t) {
    return std::any_of(t.indexes.begin(), t.indexes.end(),
                       [](const index& ix) { return ix.kind == index_kind::hash; });
  });
  std::ostringstream o;
  o << "// Generated by oxwire-codegen from " << sources
    << ". Do not edit: change the table and build the `regen` target.\n"
    << "// clang-format off\n#pragma once\n\n";
  if (!h.tables.empty()) o << "#include <oxwire/detail/table.hpp>\n";
  if (hashed) o << "#include <oxwire/gen/detail/hash_index.hpp>\n";
  if (any_column(ctype::guid)) o << "#include <oxwire/core/guid.hpp>\n";
  for (const auto& inc : h.includes) o << "#include <" << inc << ">\n";
  if (!h.tables.empty())
    o << "\n#include <array>\n#include <cstdint>\n#include <span>\n#include <string_view>\n"
      << "#include <tuple>\n";
  o << "\nnamespace " << h.ns << " {\n\n";
  if (any_column(ctype::versions)) {
    // Several generated headers carry `versions` columns; the guard lets a TU include them all.
    o << "#ifndef OXWIRE_GEN_PROTOCOL_VERSIONS\n#define OXWIRE_GEN_PROTOCOL_VERSIONS\n"
      << "/// ActiveSync protocol versions; bit i of a `versions` mask stands for entry i.\n"
      << "inline constexpr std::array<std::string_view, " << std::size(kVersions)
      << "> protocol_versions{{";
    for (const char* v : kVersions)
      o << quote(v) << (v == kVersions[std::size(kVersions) - 1] ? "" : ", ");
    o << "}};\n#endif\n\n";
  }
  // Tables grouped by row type, in order of first appearance.
  std::vector<bool> done(tables.size());
  for (std::size_t i = 0; i < tables.size(); ++i) {
    if (done[i]) continue;
    std::vector<const loaded_table*> group;
    for (std::size_t j = i; j < tables.size(); ++j)
      if (!done[j] && tables[j].def->row_type == tables[i].def->row_type)
        group.push_back(&tables[j]), done[j] = true;
    emit_tables(o, group);
  }
  std::set<std::string> names;
  for (const auto& g : h.constants) emit_constants(o, g, parser, specs_dir, names);
  o << "}  // namespace " << h.ns << "\n";
  return o.str();
}

}  // namespace codegen
