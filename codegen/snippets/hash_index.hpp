// oxwire — constexpr string hashing and the open-addressing index the generator builds with it.
//
// One file serves both sides: oxwire-codegen includes it to place every key, and the generated
// tables use the same code to find them, so the two cannot disagree. Lookups work in constant
// expressions (`static_assert(!find_properties_by_any_name("PR_SUBJECT").empty())`) and cost one
// hash of the key, usually one probe and one string comparison at run time.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <type_traits>

namespace oxwire::detail {

/// `n` (1..8) bytes at `p` as a little-endian integer.
[[nodiscard]] constexpr std::uint64_t load_le(const char* p, std::size_t n) noexcept {
  if (!std::is_constant_evaluated() && n == 8) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
    return v;
  }
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v |= std::uint64_t{static_cast<unsigned char>(p[i])} << 8 * i;
  return v;
}

[[nodiscard]] constexpr std::uint64_t hash_mix(std::uint64_t h) noexcept {
  h *= 0x9E3779B97F4A7C15u;
  return h ^ h >> 29;
}

/// A 64-bit hash of `s`, eight bytes per step; the last step rereads the final eight bytes (or
/// reads a short string whole), so there is no byte loop at run time.
[[nodiscard]] constexpr std::uint64_t hash_string(std::string_view s) noexcept {
  const char* p = s.data();
  const std::size_t n = s.size();
  std::uint64_t h = 0x243F6A8885A308D3u ^ n;
  std::size_t i = 0;
  for (; i + 8 < n; i += 8) h = hash_mix(h ^ load_le(p + i, 8));
  if (n >= 8)
    h = hash_mix(h ^ load_le(p + n - 8, 8));
  else if (n > 0)
    h = hash_mix(h ^ load_le(p, n));
  h ^= h >> 32;
  return hash_mix(h);
}

/// What the slot of key number `key` with this hash holds.
[[nodiscard]] constexpr std::uint32_t hash_slot(std::uint64_t hash, std::size_t key) noexcept {
  return static_cast<std::uint32_t>(hash >> 48) << 16 | static_cast<std::uint32_t>(key + 1);
}

/// One distinct key: its text and its run in `hash_index::rows`.
struct hash_key {
  std::string_view text{};
  std::uint16_t first = 0;
  std::uint16_t count = 0;
};

/// Linear-probing table over `Keys` distinct keys, at most half full, so a probe sequence always
/// reaches an empty slot. A slot is 0 (empty) or the top 16 bits of the key's hash above
/// (key index + 1) (hash_slot); rows lists the table rows of each key in the order the generator
/// chose.
template <std::size_t Slots, std::size_t Keys, std::size_t Rows>
struct hash_index {
  static_assert((Slots & (Slots - 1)) == 0 && Keys < 0xFFFF && 2 * Keys <= Slots);
  std::array<std::uint32_t, Slots> slots{};
  std::array<hash_key, Keys> keys{};
  std::array<std::uint16_t, Rows> rows{};

  /// Indices of the rows listed under `text` (whose hash_string is `hash`); empty if none.
  [[nodiscard]] constexpr std::span<const std::uint16_t> find(std::string_view text,
                                                              std::uint64_t hash) const noexcept {
    const std::uint32_t tag = hash_slot(hash, 0) & 0xFFFF0000u;
    for (std::size_t i = hash & (Slots - 1);; i = (i + 1) & (Slots - 1)) {
      const std::uint32_t slot = slots[i];
      if (slot == 0) return {};
      if ((slot & 0xFFFF0000u) != tag) continue;
      const hash_key& k = keys[(slot & 0xFFFFu) - 1];
      if (k.text == text) return std::span<const std::uint16_t>(rows).subspan(k.first, k.count);
    }
  }
};

}  // namespace oxwire::detail
