// oxwire-codegen — the generic emitter: one JSON spec table in, constexpr C++ out.
//
// A table_def says which JSON columns become which struct fields and which keys get an index
// (sorted or hashed) with a constexpr find function; a constant_group turns selected rows into
// one named constant each. Everything table-specific lives in tables.cpp; this file knows
// nothing about MAPI or ActiveSync.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace codegen {

enum class ctype {
  str,       // std::string_view; JSON string (null -> "")
  u8,        // std::uint8_t; JSON integer (null -> 0)
  u16,       // std::uint16_t
  u32,       // std::uint32_t
  boolean,   // bool; JSON true/false (null -> false)
  str_list,  // detail::pool_slice into the table's string pool; JSON array of strings
  versions,  // std::uint8_t mask of ActiveSync versions; JSON array, [] = every version
  guid,      // oxwire::guid; JSON string in registry form
};

struct column {
  std::string json;   // key in the row object
  std::string field;  // C++ member name
  ctype type;
  bool required = true;  // a null or missing value is an error
  std::string doc = {};  // one short comment for the member
};

enum class index_kind {
  sorted,  // permutation sorted by the key tuple; binary search
  hash,    // detail::hash_index over every string of the fields (str or str_list): each string is
           // a key of its row; a key's rows are listed field by field, each in source order
};

struct index {
  std::string function;             // e.g. "find_rop_by_name"
  std::vector<std::string> fields;  // key fields (members), compared as a tuple
  bool unique = true;               // duplicates are an error; else an equal_range function
  index_kind kind = index_kind::sorted;
};

struct enum_def {
  std::string name;         // e.g. "RopId"; with group_field, the suffix of each enum's name
  std::string underlying;   // e.g. "std::uint8_t"
  std::string name_field;   // member holding the enumerator name
  std::string value_field;  // member holding its value
  // Optional str member: one enum per distinct value (in order of first appearance), named by the
  // value without its non-identifier characters, then `name`: "ResolveRecipients.Availability"
  // and "Status" give ResolveRecipientsAvailabilityStatus.
  std::string group_field = {};
};

struct table_def {
  std::string json;      // path under specs/, e.g. "mapi/rops.json"
  std::string row_type;  // struct name, e.g. "rop_entry"
  std::string array;     // array name, e.g. "rops"
  std::string doc;       // one line describing the table, with its spec section
  std::vector<column> columns;
  std::vector<index> indexes = {};
  std::optional<enum_def> enumeration = std::nullopt;
};

/// Rows whose `field` is not the `key` of some row of `json` get a comment instead of a constant.
struct reference {
  std::string field;  // member of the group's source table
  std::string json;   // e.g. "mapi/property-sets.json"
  std::string key;    // JSON key in that table's rows
};

/// One `inline constexpr TYPE NAME{INIT...};` per selected row. In `type` and `init`, `{field}`
/// stands for the member's C++ literal and `{field:raw}` for its text as is.
struct constant_group {
  table_def source;         // json and the columns to read; row_type, array and indexes unused
  std::string where_field;  // keep rows whose JSON string `where_field` equals `where_value`
  std::string where_value;
  std::string name_field;  // member holding the constant's name (a C++ identifier)
  std::string type;
  std::vector<std::string> init;
  std::string comment_field = {};  // member printed as a comment after each constant
  std::optional<reference> resolve = std::nullopt;
};

struct header_def {
  std::string path;               // under include/oxwire/gen/, e.g. "rop/rop_ids.hpp"
  std::string ns;                 // e.g. "oxwire::gen::rop"
  std::vector<table_def> tables;  // tables sharing a row_type share one struct and string pool
  std::vector<constant_group> constants = {};
  std::vector<std::string> includes = {};  // further headers, e.g. "oxwire/mapi/property_tag.hpp"
  std::string snippet = {};  // copy codegen/snippets/<snippet> instead (no tables or constants)
  std::string (*custom)(const std::string& specs_dir) = nullptr;  // a header of its own shape
};

/// Reads the tables of `h` from `specs_dir` (or its snippet from `snippets_dir`) and returns the
/// header text; throws std::runtime_error naming the file, row and column on any bad row.
std::string emit_header(const header_def& h, const std::string& specs_dir,
                        const std::string& snippets_dir);

}  // namespace codegen
