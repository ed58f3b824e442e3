// Helpers shared by the .msg tests: the corpus and its manifest, facts of a read message.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <oxwire/msg.hpp>
#include <oxwire_test/shared.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace oxwire_test {

/// One row of ../shared/corpus/msg/manifest.tsv, by column name.
using manifest_row = std::map<std::string, std::string>;

inline std::vector<std::string> split(const std::string& s, const std::string& sep) {
  std::vector<std::string> out;
  std::size_t from = 0;
  for (std::size_t at; (at = s.find(sep, from)) != std::string::npos; from = at + sep.size())
    out.push_back(s.substr(from, at - from));
  out.push_back(s.substr(from));
  return out;
}

inline std::vector<manifest_row> read_manifest(const std::filesystem::path& dir) {
  std::ifstream f(dir / "manifest.tsv");
  std::string line;
  std::getline(f, line);
  const auto columns = split(line, "\t");
  std::vector<manifest_row> rows;
  while (std::getline(f, line)) {
    if (line.empty()) continue;
    const auto cells = split(line, "\t");
    manifest_row row;
    for (std::size_t i = 0; i < columns.size() && i < cells.size(); ++i) row[columns[i]] = cells[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

/// An attachment's file name as the manifest gives it: PidTagAttachLongFilename, else
/// PidTagAttachFilename, with " [embedded message]" after an embedded message's.
inline std::string attachment_name(const oxwire::mapi::attachment& a, std::uint32_t codepage) {
  auto n = oxwire::mapi::text_of(a.properties, 0x3707, codepage);
  if (!n) n = oxwire::mapi::text_of(a.properties, 0x3704, codepage);
  std::string out = n.value_or("");
  if (a.embedded) out += " [embedded message]";
  return out;
}

/// The attachment's data size (PidTagAttachDataBinary), if it has data.
inline std::optional<std::size_t> attachment_size(const oxwire::mapi::attachment& a) {
  const auto* v = a.properties.find(oxwire::mapi::property_tag{0x37010102});
  if (!v) return std::nullopt;
  return v->get_if<oxwire::mapi::PropertyType::PtypBinary>()->size();
}

}  // namespace oxwire_test
