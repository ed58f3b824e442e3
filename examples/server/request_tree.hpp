// Reading the Provision request, the one body not yet read through its generated request model,
// from the WBXML tree: tags are named by namespace and name and resolved at compile time through
// the code page table, so no token number is written by hand.
#pragma once

#include <oxwire/wbxml/codepages.hpp>
#include <oxwire/wbxml/tree.hpp>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace oxwire_server {

namespace wbxml = oxwire::wbxml;

/// A tag: code page and token.
struct tag_id {
  std::uint8_t page = 0, token = 0;
};

/// The tag `name` of namespace `ns` (MS-ASWBXML 2.1.2.1): `tag("AirSync", "SyncKey")`.
consteval tag_id tag(std::string_view ns, std::string_view name) {
  for (std::size_t p = 0; p < wbxml::code_page_count; ++p)
    if (wbxml::page_namespace(static_cast<std::uint8_t>(p)) == ns)
      if (const auto t = wbxml::find_token(static_cast<std::uint8_t>(p), name))
        return {static_cast<std::uint8_t>(p), *t};
  throw "no such ActiveSync tag";
}

/// Read-only navigation over a decoded document.
class tree_view {
 public:
  static constexpr std::uint32_t npos = wbxml::document::npos;
  explicit tree_view(const wbxml::document& doc) : doc_(doc) {}

  /// The root if it is `t`, else npos.
  [[nodiscard]] std::uint32_t root(tag_id t) const { return !doc_.empty() && is(0, t) ? 0 : npos; }
  /// Element children of `parent` that are `t`.
  [[nodiscard]] std::vector<std::uint32_t> children(std::uint32_t parent, tag_id t) const {
    std::vector<std::uint32_t> out;
    if (parent == npos) return out;
    for (auto c = doc_.node_at(parent).first_child; c != npos; c = doc_.node_at(c).next_sibling)
      if (is(c, t)) out.push_back(c);
    return out;
  }
  /// The first child `t` of `parent`, or npos.
  [[nodiscard]] std::uint32_t child(std::uint32_t parent, tag_id t) const {
    const auto all = children(parent, t);
    return all.empty() ? npos : all.front();
  }
  /// The text of element `e` (its string children joined), nullopt if `e` is npos or has an
  /// element child.
  [[nodiscard]] std::optional<std::string_view> text(std::uint32_t e) const {
    if (e == npos) return std::nullopt;
    const auto first = doc_.node_at(e).first_child;
    if (first == npos) return std::string_view{};
    const auto& n = doc_.node_at(first);
    if (n.kind != wbxml::node_kind::text || n.next_sibling != npos) return std::nullopt;
    return std::string_view(reinterpret_cast<const char*>(n.data.data()), n.data.size());
  }
  /// The text of the first child `t` of `parent`.
  [[nodiscard]] std::optional<std::string_view> text(std::uint32_t parent, tag_id t) const {
    return text(child(parent, t));
  }

 private:
  [[nodiscard]] bool is(std::uint32_t i, tag_id t) const {
    const auto& n = doc_.node_at(i);
    return n.kind == wbxml::node_kind::element && n.page == t.page && n.token == t.token;
  }
  const wbxml::document& doc_;
};

/// A non-negative decimal that fits in 32 bits, or nullopt.
[[nodiscard]] inline std::optional<std::uint32_t> parse_u32(std::optional<std::string_view> s) {
  if (!s || s->empty() || s->size() > 10) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : *s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v > 0xFFFFFFFFu) return std::nullopt;
  return static_cast<std::uint32_t>(v);
}

}  // namespace oxwire_server
