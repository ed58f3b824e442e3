// oxwire-codegen — typed ActiveSync models: one struct per content model of
// specs/activesync/schema.json (responses and item classes) and specs/activesync-requests.json
// (the command requests the XSD set lacks), with a Boost.Hana field list per struct.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace codegen {

/// (path under include/oxwire/gen/, text) of every include/oxwire/gen/activesync/models/*.hpp;
/// throws std::runtime_error naming the table and row on a bad table.
std::vector<std::pair<std::string, std::string>> emit_models(const std::string& specs_dir);

}  // namespace codegen
