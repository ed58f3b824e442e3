#include "emit.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <numeric>
#include <set>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include <variant>

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

loaded_table load(const table_def& t, simdjson::dom::parser& parser, const std::string& dir) {
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
    std::vector<cell> cells;
    for (const auto& c : t.columns) cells.push_back(read_cell(t, r, c, row));
    out.rows.push_back(std::move(cells));
    ++r;
  }
  if (out.rows.empty()) throw std::runtime_error("specs/" + t.json + ": no rows");
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

void emit_table(std::ostringstream& o, const loaded_table& lt) {
  const table_def& t = *lt.def;
  const std::size_t n = lt.rows.size();

  o << "// " << t.doc << "\n";
  o << "struct " << t.row_type << " {\n";
  for (const auto& c : t.columns)
    o << "  " << cpp_type(c.type) << ' ' << c.field << "{};"
      << (c.doc.empty() ? "" : "  // " + c.doc) << "\n";
  o << "};\n\n";

  std::vector<std::string> pool;
  std::ostringstream body;
  for (const auto& row : lt.rows) {
    body << "    {";
    for (std::size_t i = 0; i < t.columns.size(); ++i)
      body << (i ? ", " : "") << literal(t.columns[i], row[i], pool);
    body << "},\n";
  }
  const bool has_lists = std::any_of(t.columns.begin(), t.columns.end(),
                                     [](const column& c) { return c.type == ctype::str_list; });
  if (has_lists) {
    o << "inline constexpr std::array<std::string_view, " << pool.size() << "> " << t.array
      << "_strings{{\n";
    for (const auto& s : pool) o << "    " << quote(s) << ",\n";
    o << "}};\n\n";
  }
  o << "inline constexpr std::array<" << t.row_type << ", " << n << "> " << t.array << "{{\n"
    << body.str() << "}};\n\n";

  for (const auto& c : t.columns)
    if (c.type == ctype::str_list)
      o << "/// The `" << c.field << "` list of a row.\n"
        << "[[nodiscard]] constexpr std::span<const std::string_view> " << c.field << "_of(const "
        << t.row_type << "& row) noexcept {\n  return detail::slice_of(" << t.array
        << "_strings, row." << c.field << ");\n}\n\n";

  const char* index_type = n <= 0xFFFF ? "std::uint16_t" : "std::uint32_t";
  for (const auto& ix : t.indexes) {
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
      params += (k ? ", " : "") + cpp_type(c.type) + " " + c.field;
      args += (k ? ", " : "") + c.field;
      proj += (k ? ", " : "") + std::string("r.") + c.field;
    }
    const std::string key_expr = cols.size() == 1 ? args : "std::tuple(" + args + ")";
    const std::string proj_expr = cols.size() == 1 ? proj : "std::tuple(" + proj + ")";
    const std::string lambda = "[](const " + t.row_type + "& r) { return " + proj_expr + "; }";
    if (ix.unique) {
      o << "/// The row with this key, or nullptr.\n"
        << "[[nodiscard]] constexpr const " << t.row_type << "* " << ix.function << "(" << params
        << ") noexcept {\n  return detail::find(" << t.array << ", " << order_name << ", "
        << key_expr << ", " << lambda << ");\n}\n\n";
    } else {
      o << "/// Indices into `" << t.array << "` of every row with this key, in source order.\n"
        << "[[nodiscard]] constexpr std::span<const " << index_type << "> " << ix.function << "("
        << params << ") noexcept {\n  return detail::equal_range(" << t.array << ", " << order_name
        << ", " << key_expr << ", " << lambda << ");\n}\n\n";
    }
    // A generated check that the index and the array agree (STYLE: static_asserts are generated).
    const std::size_t probe = order[n / 2];
    std::string probe_args;
    for (std::size_t k = 0; k < cols.size(); ++k) {
      const column& c = t.columns[cols[k]];
      std::vector<std::string> scratch;
      probe_args +=
          (k ? ", " : "") +
          (c.type == ctype::str
               ? "std::string_view{" + quote(std::get<std::string>(lt.rows[probe][cols[k]])) + "}"
               : cpp_type(c.type) + "{" + literal(c, lt.rows[probe][cols[k]], scratch) + "}");
    }
    if (ix.unique)
      o << "static_assert(" << ix.function << "(" << probe_args << ") == &" << t.array << "["
        << probe << "]);\n\n";
    else
      o << "static_assert(!" << ix.function << "(" << probe_args << ").empty());\n\n";
  }

  if (t.enumeration) {
    const enum_def& e = *t.enumeration;
    const std::size_t nc = column_index(t, e.name_field), vc = column_index(t, e.value_field);
    o << "enum class " << e.name << " : " << e.underlying << " {\n";
    std::set<std::string> seen;
    for (std::size_t r = 0; r < n; ++r) {
      const auto& name = std::get<std::string>(lt.rows[r][nc]);
      if (!is_identifier(name)) fail(t.json, r, e.name_field, "not a C++ identifier: " + name);
      if (!seen.insert(name).second) fail(t.json, r, e.name_field, "duplicate enumerator " + name);
      std::vector<std::string> scratch;
      o << "  " << name << " = " << literal(t.columns[vc], lt.rows[r][vc], scratch) << ",\n";
    }
    o << "};\n\n";
  }
}

}  // namespace

std::string emit_header(const header_def& h, const std::string& specs_dir) {
  simdjson::dom::parser parser;
  std::vector<loaded_table> tables;
  std::string sources;
  for (const auto& t : h.tables) {
    tables.push_back(load(t, parser, specs_dir));
    sources += (sources.empty() ? "specs/" : ", specs/") + t.json;
  }
  const bool uses_guid = std::any_of(h.tables.begin(), h.tables.end(), [](const table_def& t) {
    return std::any_of(t.columns.begin(), t.columns.end(),
                       [](const column& c) { return c.type == ctype::guid; });
  });
  std::ostringstream o;
  o << "// Generated by oxwire-codegen from " << sources
    << ". Do not edit: change the table and build the `regen` target.\n"
    << "// clang-format off\n#pragma once\n\n"
    << "#include <oxwire/detail/table.hpp>\n";
  if (uses_guid) o << "#include <oxwire/core/guid.hpp>\n";
  o << "\n#include <array>\n#include <cstdint>\n#include <span>\n#include <string_view>\n"
    << "#include <tuple>\n\nnamespace " << h.ns << " {\n\n";
  const bool uses_versions = std::any_of(h.tables.begin(), h.tables.end(), [](const table_def& t) {
    return std::any_of(t.columns.begin(), t.columns.end(),
                       [](const column& c) { return c.type == ctype::versions; });
  });
  if (uses_versions) {
    o << "/// ActiveSync protocol versions; bit i of a `versions` mask stands for entry i.\n"
      << "inline constexpr std::array<std::string_view, " << std::size(kVersions)
      << "> protocol_versions{{";
    for (const char* v : kVersions)
      o << quote(v) << (v == kVersions[std::size(kVersions) - 1] ? "" : ", ");
    o << "}};\n\n";
  }
  for (const auto& lt : tables) emit_table(o, lt);
  o << "}  // namespace " << h.ns << "\n";
  return o.str();
}

}  // namespace codegen
