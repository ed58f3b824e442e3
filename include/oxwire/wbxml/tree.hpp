// oxwire — a decoded WBXML document as a tree: one vector of nodes in document order, linked by
// indexes (no pointers, one growing allocation).
//
//   auto doc = oxwire::wbxml::decode(body);                    // result<document>
//   for (auto c = doc->node_at(0).first_child; c != document::npos; c =
//   doc->node_at(c).next_sibling)
//     ...
//
// Text and opaque nodes of a decoded document view the input bytes, which must outlive the tree;
// text added with `add_text` is copied into storage the document owns.
#pragma once

#include <oxwire/core/bytes.hpp>
#include <oxwire/core/error.hpp>
#include <oxwire/wbxml/tokenizer.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace oxwire::wbxml {

enum class node_kind : std::uint8_t { element, text, opaque };

/// One element, string or opaque blob.
struct node {
  static constexpr std::uint32_t npos = 0xFFFFFFFFu;
  node_kind kind = node_kind::element;
  std::uint8_t page = 0;     // element: code page
  std::uint8_t token = 0;    // element: tag token (0x05..0x3F)
  bool has_content = false;  // element: encoded with the content bit (children or not)
  bool legacy = false;       // element: token from the legacy table
  std::uint32_t parent = npos;
  std::uint32_t first_child = npos;
  std::uint32_t last_child = npos;
  std::uint32_t next_sibling = npos;
  std::size_t offset = 0;  // decoded: offset of the token in the input
  bytes_view data{};       // text (UTF-8, no NUL) or opaque bytes
};

/// A WBXML document: header and nodes; node 0 is the root (fragments: the first top-level node;
/// further top-level nodes are its siblings).
class document {
 public:
  static constexpr std::uint32_t npos = node::npos;

  wbxml::header header{};

  [[nodiscard]] std::span<const node> nodes() const noexcept { return nodes_; }
  [[nodiscard]] const node& node_at(std::uint32_t i) const noexcept { return nodes_[i]; }
  [[nodiscard]] bool empty() const noexcept { return nodes_.empty(); }

  /// Appends an element under `parent` (npos: top level) and returns its index:
  /// `auto sync = doc.add_element(document::npos, 0x00, 0x05);`. The parent gets the content bit.
  std::uint32_t add_element(std::uint32_t parent, std::uint8_t page, std::uint8_t token,
                            bool has_content = false, bool legacy = false) {
    node n;
    n.page = page;
    n.token = token;
    n.has_content = has_content;
    n.legacy = legacy;
    return append(parent, n);
  }

  /// Appends a string under `parent`, copied into the document: `doc.add_text(key, "0");`.
  std::uint32_t add_text(std::uint32_t parent, std::string_view utf8) {
    return add_data(parent, node_kind::text, as_bytes(utf8));
  }

  /// Appends opaque bytes under `parent`, copied into the document.
  std::uint32_t add_opaque(std::uint32_t parent, bytes_view bytes) {
    return add_data(parent, node_kind::opaque, bytes);
  }

  /// Appends a node as it is (views are not copied); used by `decode`.
  std::uint32_t append(std::uint32_t parent, node n) {
    const auto i = static_cast<std::uint32_t>(nodes_.size());
    n.parent = parent;
    n.first_child = n.last_child = n.next_sibling = npos;
    std::uint32_t prev = npos;
    if (parent != npos) {
      node& p = nodes_[parent];
      p.has_content = true;
      prev = p.last_child;
      if (p.first_child == npos) p.first_child = i;
      p.last_child = i;
    } else {
      prev = last_top_;
      last_top_ = i;
    }
    if (prev != npos) nodes_[prev].next_sibling = i;
    nodes_.push_back(n);
    return i;
  }

  void reserve(std::size_t n) { nodes_.reserve(n); }

 private:
  friend result<document> decode(bytes_view, const options&);

  /// Appends every event of `tok` (decode): like `append`, but the open elements and their last
  /// children live in locals and a stack, so a node costs one push_back and one link store.
  [[nodiscard]] result<void> build(tokenizer& tok, std::size_t max_depth) {
    // The innermost open element and its last child, and below them the same pair of each
    // enclosing element packed in one word (never a struct: keeps them in registers).
    std::uint32_t cur = npos, cur_last = last_top_;
    std::vector<std::uint64_t> outer;  // one allocation
    outer.reserve(max_depth < 256 ? max_depth : 256);
    auto add = [&](const node& n) {
      const auto i = static_cast<std::uint32_t>(nodes_.size());
      nodes_.push_back(n);
      nodes_.back().parent = cur;
      if (cur_last != npos)
        nodes_[cur_last].next_sibling = i;
      else if (cur != npos)
        nodes_[cur].first_child = i;
      cur_last = i;
      return i;
    };
    auto r = tok.for_each([&](const event& ev) {
      node n;
      n.offset = ev.offset;
      switch (ev.kind) {
        case event_kind::start: {
          n.page = ev.page;
          n.token = ev.token;
          n.has_content = ev.has_content;
          n.legacy = ev.legacy;
          const std::uint32_t i = add(n);
          if (ev.has_content) {
            outer.push_back(std::uint64_t{cur} << 32 | cur_last);
            cur = i, cur_last = npos;
          }
          return;
        }
        case event_kind::end: {  // the tokenizer has checked that an element is open
          nodes_[cur].last_child = cur_last;
          const std::uint64_t up = outer.back();
          outer.pop_back();
          cur = static_cast<std::uint32_t>(up >> 32), cur_last = static_cast<std::uint32_t>(up);
          return;
        }
        case event_kind::text: n.kind = node_kind::text; break;
        case event_kind::opaque: n.kind = node_kind::opaque; break;
        case event_kind::eof: return;  // for_each stops before eof
      }
      n.data = ev.data;
      add(n);
    });
    if (cur == npos) last_top_ = cur_last;
    return r;
  }

  std::uint32_t add_data(std::uint32_t parent, node_kind kind, bytes_view bytes) {
    node n;
    n.kind = kind;
    n.data = bytes;
    if (!bytes.empty()) {
      owned_.push_back(std::make_unique<std::uint8_t[]>(bytes.size()));
      std::memcpy(owned_.back().get(), bytes.data(), bytes.size());
      n.data = {owned_.back().get(), bytes.size()};
    }
    return append(parent, n);
  }

  std::vector<node> nodes_;
  std::vector<std::unique_ptr<std::uint8_t[]>> owned_;  // copies made by add_text/add_opaque
  std::uint32_t last_top_ = npos;
};

/// Decodes a whole WBXML document into a tree (the views point into `input`):
/// `auto doc = oxwire::wbxml::decode(body);`. Errors are the tokenizer's.
[[nodiscard]] inline result<document> decode(bytes_view input, const options& opt = {}) {
  if (input.size() >= document::npos)  // node indexes are 32-bit
    return error{oxwire::errc::limit_exceeded, 0, "document size"};
  auto tok = tokenizer::create(input, opt);
  if (!tok) return tok.error();
  document doc;
  doc.header = tok->header();
  doc.reserve(input.size() / 4);  // about one node per 4 bytes of ActiveSync WBXML
  if (auto r = doc.build(*tok, opt.max_depth); !r) return r.error();
  return doc;
}

}  // namespace oxwire::wbxml
