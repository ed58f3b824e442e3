// oxwire-codegen — which spec tables become which generated headers.
#pragma once

#include <vector>

#include "emit.hpp"

namespace codegen {

/// Every generated header, in output order.
const std::vector<header_def>& headers();

}  // namespace codegen
