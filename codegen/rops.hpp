// oxwire-codegen — ROP request and response structs (MS-OXCROPS 2.2) from
// specs/mapi/rop-layouts.json, each with a Boost.Hana field list and a constexpr field table that
// rop/codec.hpp reads and writes generically.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace codegen {

/// (path under include/oxwire/gen/, text) of include/oxwire/gen/rop/{requests,responses,
/// dispatch}.hpp; throws std::runtime_error naming the ROP and field on a bad table.
std::vector<std::pair<std::string, std::string>> emit_rops(const std::string& specs_dir);

}  // namespace codegen
