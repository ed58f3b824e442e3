// oxwire — O(1) tag lookups over the generated MS-ASWBXML code-page tables.
//
//   auto tag = oxwire::wbxml::find_tag(0x11, 0x0A);   // {ns "AirSyncBase", name "Body"}
//   auto tok = oxwire::wbxml::find_token(0x00, "Sync");  // 0x05
//
// The generated tables (gen/activesync/wbxml_codepages.hpp) are sorted arrays with binary-search
// lookups; the tokenizer needs (page, token) -> tag on every start tag, so this header folds both
// tables (spec rows and the legacy rows real clients send) into one constexpr array indexed by
// page * 64 + token.
#pragma once

#include <oxwire/gen/activesync/wbxml_codepages.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace oxwire::wbxml {

/// A tag of a code page: its namespace and name as MS-ASWBXML 2.1.2.1 writes them.
struct tag_ref {
  std::string_view ns;           // code page namespace, e.g. "AirSyncBase"
  std::string_view name;         // e.g. "Body"
  bool legacy = false;           // from the legacy table (2.5-era and other tokens clients send)
  bool opaque = false;           // content is carried as OPAQUE in practice
  std::uint8_t versions = 0x7F;  // gen::activesync::protocol_versions mask (legacy: 0x7F)
};

namespace detail {

namespace gen = oxwire::gen::activesync;

/// Highest code page of either table, plus one (26: pages 0..25, MS-ASWBXML 2.1.2.1).
inline constexpr std::size_t page_count = [] {
  std::size_t n = 0;
  for (const auto& r : gen::wbxml_tags) n = r.codepage + 1u > n ? r.codepage + 1u : n;
  for (const auto& r : gen::wbxml_legacy_tags) n = r.codepage + 1u > n ? r.codepage + 1u : n;
  return n;
}();

/// page * 64 + token -> 0 (no tag), row + 1 of wbxml_tags, or -(row + 1) of wbxml_legacy_tags.
inline constexpr std::array<std::int16_t, page_count* 64> tag_slots = [] {
  std::array<std::int16_t, page_count * 64> t{};
  for (std::size_t i = 0; i < gen::wbxml_legacy_tags.size(); ++i) {
    const auto& r = gen::wbxml_legacy_tags[i];
    t[r.codepage * 64u + r.token] = static_cast<std::int16_t>(-static_cast<int>(i) - 1);
  }
  for (std::size_t i = 0; i < gen::wbxml_tags.size(); ++i) {  // spec rows win over legacy ones
    const auto& r = gen::wbxml_tags[i];
    t[r.codepage * 64u + r.token] = static_cast<std::int16_t>(i + 1);
  }
  return t;
}();

/// Namespace of each code page ("" for none).
inline constexpr std::array<std::string_view, page_count> page_namespaces = [] {
  std::array<std::string_view, page_count> t{};
  for (const auto& r : gen::wbxml_legacy_tags) t[r.codepage] = r.ns;
  for (const auto& r : gen::wbxml_tags) t[r.codepage] = r.ns;
  return t;
}();

}  // namespace detail

/// Number of code pages (MS-ASWBXML 2.1.2.1: 0..25).
inline constexpr std::size_t code_page_count = detail::page_count;

/// The namespace of a code page, or "" if the page is unknown: `page_namespace(17)` is
/// "AirSyncBase".
[[nodiscard]] constexpr std::string_view page_namespace(std::uint8_t page) noexcept {
  return page < detail::page_count ? detail::page_namespaces[page] : std::string_view{};
}

/// The tag with this token (low 6 bits, 0x05..0x3F) on this code page, or nullopt:
/// `find_tag(0, 0x05)->name == "Sync"`.
[[nodiscard]] constexpr std::optional<tag_ref> find_tag(std::uint8_t page,
                                                        std::uint8_t token) noexcept {
  if (page >= detail::page_count || token >= 64) return std::nullopt;
  const int slot = detail::tag_slots[page * 64u + token];
  if (slot > 0) {
    const auto& r = detail::gen::wbxml_tags[static_cast<std::size_t>(slot - 1)];
    return tag_ref{r.ns, r.tag, false, r.opaque, r.versions};
  }
  if (slot < 0) {
    const auto& r = detail::gen::wbxml_legacy_tags[static_cast<std::size_t>(-slot - 1)];
    return tag_ref{r.ns, r.tag, true, false, 0x7F};
  }
  return std::nullopt;
}

/// The token of a tag by name on a code page (spec rows first, then legacy rows), or nullopt:
/// `find_token(0x0D, "HeartbeatInterval") == 0x05`.
[[nodiscard]] constexpr std::optional<std::uint8_t> find_token(std::uint8_t page,
                                                               std::string_view name) noexcept {
  if (const auto* r = detail::gen::find_wbxml_tag_by_name(page, name)) return r->token;
  for (const auto& r : detail::gen::wbxml_legacy_tags)
    if (r.codepage == page && r.tag == name) return r.token;
  return std::nullopt;
}

static_assert(find_tag(0x00, 0x05)->name == "Sync" && !find_tag(0x00, 0x05)->legacy);
static_assert(find_tag(0x03, 0x05)->name == "Notify" && find_tag(0x03, 0x05)->legacy);
static_assert(page_namespace(0x11) == "AirSyncBase" && !find_tag(0x00, 0x04));

}  // namespace oxwire::wbxml
