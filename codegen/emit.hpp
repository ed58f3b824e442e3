// oxwire-codegen — the generic emitter: one JSON spec table in, constexpr C++ out.
//
// A table_def says which JSON columns become which struct fields and which keys get a sorted
// index with a constexpr find function. Everything table-specific lives in tables.hpp; this
// file knows nothing about MAPI or ActiveSync.
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

struct index {
  std::string function;             // e.g. "find_rop_by_name"
  std::vector<std::string> fields;  // key fields (members), compared as a tuple
  bool unique = true;               // duplicates are an error; else an equal_range function
};

struct enum_def {
  std::string name;         // e.g. "RopId"
  std::string underlying;   // e.g. "std::uint8_t"
  std::string name_field;   // member holding the enumerator name
  std::string value_field;  // member holding its value
};

struct table_def {
  std::string json;      // path under specs/, e.g. "mapi/rops.json"
  std::string row_type;  // struct name, e.g. "rop_entry"
  std::string array;     // array name, e.g. "rops"
  std::string doc;       // one line describing the table, with its spec section
  std::vector<column> columns;
  std::vector<index> indexes;
  std::optional<enum_def> enumeration = std::nullopt;
};

struct header_def {
  std::string path;  // under include/oxwire/gen/, e.g. "rop/rop_ids.hpp"
  std::string ns;    // e.g. "oxwire::gen::rop"
  std::vector<table_def> tables;
};

/// Reads the tables of `h` from `specs_dir` and returns the header text; throws
/// std::runtime_error naming the file, row and column on any bad row.
std::string emit_header(const header_def& h, const std::string& specs_dir);

}  // namespace codegen
