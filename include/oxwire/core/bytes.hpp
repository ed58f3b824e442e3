// oxwire — byte views used by every codec.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace oxwire {

/// Read-only bytes of a wire buffer; decoders return views into it.
using bytes_view = std::span<const std::uint8_t>;
/// Writable bytes an encoder fills.
using mutable_bytes = std::span<std::uint8_t>;

/// View the characters of a string as bytes (no copy).
[[nodiscard]] inline bytes_view as_bytes(std::string_view s) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

/// View bytes as characters (no copy).
[[nodiscard]] inline std::string_view as_chars(bytes_view b) noexcept {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

}  // namespace oxwire
