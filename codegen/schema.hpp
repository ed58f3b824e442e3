// oxwire-codegen — the ActiveSync schema header (content models from the flattened XSDs).
#pragma once

#include <string>

namespace codegen {

/// Text of include/oxwire/gen/activesync/schema.hpp from specs/activesync/schema.json; throws
/// std::runtime_error naming the row on a bad table.
std::string emit_schema(const std::string& specs_dir);

}  // namespace codegen
