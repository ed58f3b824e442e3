// oxwire — validating state machine for ActiveSync WBXML: structure, protocol version and leaf
// values against the content models generated from the XSDs (gen/activesync/schema.hpp).
//
//   auto r = oxwire::activesync::validate(body, protocol_version::v14_1, {});
//   if (!r) std::cout << r.error().message();   // "required element missing (ServerId) at ..."
//
//   oxwire::activesync::validator v(protocol_version::v16_1, {.dir = direction::request});
//   auto r = v.run(body);                     // or v.feed(event) for each tokenizer event
//   if (!r) std::cout << v.path();            // Sync/Collections/Collection/Commands/Add/...
//
// Checks, in document order, stopping at the first violation: the element is a child its
// parent's content model allows (by code page and token), in sequence order, within maxOccurs,
// not a second alternative of an exclusive choice; at END every required child is there; the tag
// exists in the protocol version (MS-ASWBXML 2.1.2.1 code page tables); leaf text is valid for
// its type (MS-ASDTYPE: integer ranges, boolean 0/1, the two dateTime forms, enumerations,
// lengths, patterns); the cross-element rules of validator_rules.hpp (MS-ASCMD "if X is present,
// Y MUST NOT be present", e.g. a Source LongId with a FolderId). Response roots have the XSD set's
// models, request roots the MS-ASCMD request models of specs/activesync-requests.json; a root
// without a schema (a request root given as a response, or the reverse) is checked laxly (every tag
// must exist in the version; an element with a global declaration, such as airsyncbase:Body or
// email:Subject, is checked strictly with its subtree; in a request, not the globals of the
// *Response.xsd files), unless options::require_schema. No allocation: the stack holds
// validator_max_depth frames.
#pragma once

#include <oxwire/activesync/ashttp.hpp>
#include <oxwire/activesync/validator_error.hpp>
#include <oxwire/activesync/validator_rules.hpp>
#include <oxwire/activesync/validator_value.hpp>
#include <oxwire/core/bytes.hpp>
#include <oxwire/core/error.hpp>
#include <oxwire/gen/activesync/schema.hpp>
#include <oxwire/wbxml/codepages.hpp>
#include <oxwire/wbxml/tokenizer.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace oxwire::activesync {

/// Who sent the document: selects the response or the request root models.
enum class direction : std::uint8_t { request, response };

/// Validator settings.
struct validate_options {
  direction dir = direction::response;
  bool require_schema = false;  // a root without a schema is a violation instead of lax
  wbxml::options wbxml{};       // tokenizer settings (max_depth is capped to the stack)
};

/// Frames of the validator's stack (elements open at once); the schema nests 11 deep without
/// recursion (Search/Find queries recurse through And/Or).
inline constexpr std::size_t validator_max_depth = 48;
static_assert(gen::activesync::schema::schema_depth < validator_max_depth);

/// The state machine; see the top of this file.
class validator {
  using particle = gen::activesync::schema::particle;

 public:
  explicit validator(protocol_version v, const validate_options& opt = {}) noexcept
      : opt_(opt), version_bit_(version_bit(v)) {}

  /// Tokenizes and validates a whole WBXML document; the first violation (or tokenizer error).
  [[nodiscard]] result<void> run(bytes_view wbxml) noexcept {
    wbxml::options wo = opt_.wbxml;
    wo.max_depth = std::min(wo.max_depth, validator_max_depth);
    auto tok = wbxml::tokenizer::create(wbxml, wo);
    if (!tok) return tok.error();
    for (;;) {
      auto ev = tok->next();
      if (!ev) return ev.error();
      if (ev->kind == wbxml::event_kind::eof) return {};
      if (auto r = feed(*ev); !r) return r;
    }
  }

  /// Feeds one tokenizer event (start, text, opaque, end; eof is ignored). After a violation
  /// every call returns it again.
  [[nodiscard]] result<void> feed(const wbxml::event& e) noexcept {
    if (failed_) [[unlikely]]
      return err_;
    switch (e.kind) {
      case wbxml::event_kind::start: start(e); break;
      case wbxml::event_kind::end: end(e.offset); break;
      case wbxml::event_kind::text:
      case wbxml::event_kind::opaque: content(e); break;
      case wbxml::event_kind::eof: break;
    }
    if (failed_) [[unlikely]]
      return err_;
    return {};
  }

  /// The element path of the violation, empty before one: "Sync/Collections/Collection/...";
  /// elements of another code page than the root's carry its namespace ("Email:Subject").
  [[nodiscard]] std::string_view path() const noexcept {
    return failed_ ? std::string_view(path_.data(), path_len_) : std::string_view{};
  }

 private:
  static constexpr std::uint16_t lax = 0xFFFE;   // frame::model: no schema, globals checked
  static constexpr std::uint16_t leaf = 0xFFFF;  // frame::model: simple content
  static constexpr std::uint16_t no_particle = 0xFFFF;
  static constexpr std::size_t text_keep = 64;  // leaf text kept for checks (longer: counted)

  struct frame {
    std::uint16_t key;       // this element: code page * 64 + token
    std::uint16_t model;     // its content model, lax or leaf
    std::uint16_t particle;  // the particle that admitted it (leaf value rule), or none
    std::uint8_t order;      // highest sequence order of a child so far
    std::array<std::uint8_t, gen::activesync::schema::max_choices> branch;
    std::array<std::uint16_t, gen::activesync::schema::max_counters> counts;
    detail::rule_bits rules;  // validator_rules.hpp: what each rule has seen among the children
  };

  static const char* name_of(std::uint16_t key) noexcept {
    const auto t = wbxml::find_tag(static_cast<std::uint8_t>(key >> 6), key & 0x3F);
    return t ? t->name.data() : "";  // table names are NUL-terminated literals
  }

  /// Records the first violation; the path is the open elements, then `key` when `child` (an
  /// element that is not, or not yet, on the stack).
  void fail(schema_errc e, std::size_t at, std::uint16_t key, bool child = true) noexcept {
    failed_ = true;
    err_ = error{e, at, name_of(key)};
    std::size_t n = 0;
    const auto put = [&](std::string_view s) noexcept {
      const std::size_t k = std::min(s.size(), path_.size() - n);
      std::copy_n(s.data(), k, path_.data() + n);
      n += k;
    };
    const std::uint8_t root_page = depth_ ? static_cast<std::uint8_t>(stack_[0].key >> 6)
                                          : static_cast<std::uint8_t>(key >> 6);
    const auto element = [&](std::uint16_t k) noexcept {
      const auto page = static_cast<std::uint8_t>(k >> 6);
      if (n) put("/");
      if (page != root_page) put(wbxml::page_namespace(page)), put(":");
      put(name_of(k));
    };
    for (std::size_t i = 0; i < depth_; ++i) element(stack_[i].key);
    if (child) element(key);
    path_len_ = n;
  }

  void push(std::uint16_t key, std::uint16_t model, std::uint16_t particle, std::size_t at) {
    if (depth_ == validator_max_depth) return fail(schema_errc::depth_exceeded, at, key);
    frame& f = stack_[depth_++];
    f.key = key, f.model = model, f.particle = particle, f.order = 0, f.rules = 0;
    f.branch.fill(0);
    if (model < gen::activesync::schema::models.size())
      std::fill_n(f.counts.begin(), gen::activesync::schema::models[model].counters, 0);
    text_len_ = chars_ = 0;
    text_at_ = at;
  }

  /// Where a child goes: the particle of the parent's model, or of the global declarations.
  void start(const wbxml::event& e) noexcept {
    const auto key = static_cast<std::uint16_t>(e.page * 64 + e.token);
    const auto tag = wbxml::find_tag(e.page, e.token);
    if (!tag || !(tag->versions >> version_bit_ & 1))
      return fail(schema_errc::not_in_version, e.offset, key);
    if (depth_ == 0) {  // the root: its command's request or response model, else lax
      const auto* root = opt_.dir == direction::response
                             ? gen::activesync::schema::find_response_root(key)
                             : gen::activesync::schema::find_request_root(key);
      if (!root && opt_.require_schema) return fail(schema_errc::no_schema, e.offset, key);
      push(key, root ? root->model : lax, no_particle, e.offset);
      if (!failed_ && !e.has_content) end(e.offset);
      return;
    }
    const particle* p = nullptr;
    frame& parent = stack_[depth_ - 1];
    if (parent.model == leaf) {
      const auto& rule =
          gen::activesync::schema::value_rules[gen::activesync::schema::particles[parent.particle]
                                                   .value];
      if (rule.type != gen::activesync::schema::value_type::any)
        return fail(schema_errc::unexpected_element, e.offset, key);
    } else if (parent.model == lax) {
      p = gen::activesync::schema::find_particle(0, key);
      if (p && p->response_only && opt_.dir == direction::request) p = nullptr;
    } else {
      p = gen::activesync::schema::find_particle(parent.model, key);
      if (!p) return fail(schema_errc::unexpected_element, e.offset, key);
      if (!admit(parent, *p, e.offset, key) || !exclude(parent, e.offset, key) ||
          !nested(e.offset, key))
        return;
    }
    const auto idx =
        p ? static_cast<std::uint16_t>(p - gen::activesync::schema::particles.data()) : no_particle;
    const std::uint16_t model = !p                                              ? lax
                                : p->child == gen::activesync::schema::no_model ? leaf
                                                                                : p->child;
    push(key, model, idx, e.offset);
    if (!failed_ && !e.has_content) end(e.offset);
  }

  /// Order, occurrences and choice of a child `p` in `parent`.
  bool admit(frame& parent, const particle& p, std::size_t at, std::uint16_t key) noexcept {
    if (p.order < parent.order) return fail(schema_errc::out_of_order, at, key), false;
    parent.order = p.order;
    if (p.choice) {
      std::uint8_t& b = parent.branch[p.choice - 1u];
      if (b && b != p.branch) return fail(schema_errc::choice_conflict, at, key), false;
      b = p.branch;
    }
    if (p.counter != gen::activesync::schema::uncounted) {
      std::uint16_t& c = parent.counts[p.counter];
      if (c == p.max_occurs) return fail(schema_errc::too_many, at, key), false;
      c = static_cast<std::uint16_t>(c + (c != 0xFFFF));
    }
    return true;
  }

  /// Whether a rule of validator_rules.hpp applies to the children of `f`: its parent element,
  /// with a content model that has the rule's element (the SmartForward request model, say, and
  /// not the SmartForward response model).
  static bool applies(const detail::element_rule& r, const frame& f) noexcept {
    return r.parent == f.key && gen::activesync::schema::find_particle(f.model, r.element);
  }

  /// The rules on a child `key` of `parent` (after admit: a schema model). An only_children
  /// rule's bit 2i + 1 is set by nested() (a child of others[0] it does not allow).
  bool exclude(frame& parent, std::size_t at, std::uint16_t key) noexcept {
    using enum detail::rule_kind;
    for (std::size_t i = 0; i < detail::element_rules.size(); ++i) {
      const auto& r = detail::element_rules[i];
      if (r.kind == once_among) continue;  // a rule on grandchildren
      const bool element = key == r.element;
      const bool other = r.kind != only_children && detail::is_other(r, key);
      if (!(element || other) || !applies(r, parent)) continue;
      const detail::rule_bits mine = detail::rule_bits{1} << (2 * i + (element ? 0 : 1));
      const detail::rule_bits theirs = detail::rule_bits{1} << (2 * i + (element ? 1 : 0));
      if (r.kind != required_unless && (parent.rules & theirs))
        return fail(schema_errc::excluded_by_sibling, at, key), false;
      parent.rules |= mine;
    }
    return true;
  }

  /// The rules on a grandchild `key`: the innermost frame is its parent (a schema model), the
  /// rule's state lives in the frame above.
  bool nested(std::size_t at, std::uint16_t key) noexcept {
    using enum detail::rule_kind;
    if (depth_ < 2) return true;
    frame& g = stack_[depth_ - 2];
    const frame& m = stack_[depth_ - 1];
    for (std::size_t i = 0; i < detail::element_rules.size(); ++i) {
      const auto& r = detail::element_rules[i];
      if (r.parent != g.key || r.others[0] != m.key) continue;
      const detail::rule_bits element = detail::rule_bits{1} << 2 * i, other = element << 1;
      if (r.kind == only_children && applies(r, g) &&
          std::find(r.others.begin() + 1, r.others.end(), key) == r.others.end()) {
        // MS-ASCMD 2.2.3.8: beside a FileReference, Options holds only a Range.
        if (g.rules & element) return fail(schema_errc::excluded_by_sibling, at, key), false;
        g.rules |= other;
      } else if (r.kind == once_among && key == r.element &&
                 gen::activesync::schema::find_particle(m.model, key)) {
        // MS-ASCMD 2.2.3.123: an audience in one OofMessage only.
        if (g.rules & element) return fail(schema_errc::too_many, at, key), false;
        g.rules |= element;
      }
    }
    return true;
  }

  void content(const wbxml::event& e) noexcept {
    if (depth_ == 0) return;  // the tokenizer never sends content outside the root
    frame& f = stack_[depth_ - 1];
    const std::string_view s = as_chars(e.data);
    if (f.model == leaf) {
      if (chars_ == 0 && text_len_ == 0) text_at_ = e.offset;
      const std::size_t k = std::min(s.size(), text_keep - std::min(text_keep, text_len_));
      std::copy_n(s.data(), k, text_.data() + std::min(text_keep, text_len_));
      text_len_ += s.size();
      // XSD lengths count characters; only string rules with a length facet need the count.
      const auto& rule =
          gen::activesync::schema::value_rules[gen::activesync::schema::particles[f.particle]
                                                   .value];
      const bool count = e.kind == wbxml::event_kind::text &&
                         (rule.min_length != gen::activesync::schema::no_length ||
                          rule.max_length != gen::activesync::schema::no_length);
      chars_ += count ? detail::code_points(s) : s.size();
    } else if (f.model != lax && !gen::activesync::schema::models[f.model].mixed &&
               !detail::collapse(s).empty()) {
      fail(schema_errc::text_not_allowed, e.offset, f.key, false);
    }
  }

  void end(std::size_t at) noexcept {
    if (depth_ == 0) return;  // likewise an END without an open element
    frame& f = stack_[depth_ - 1];
    if (f.model == leaf) {
      const auto& rule =
          gen::activesync::schema::value_rules[gen::activesync::schema::particles[f.particle]
                                                   .value];
      const bool complete = text_len_ <= text_keep;
      const auto e = detail::check_value(
          rule, std::string_view(text_.data(), std::min(text_len_, text_keep)), chars_, complete);
      if (e != schema_errc{}) return fail(e, text_at_, f.key, false);
    } else if (f.model != lax) {
      const auto& m = gen::activesync::schema::models[f.model];
      for (std::uint64_t need = m.required; need; need &= need - 1) {
        const unsigned c = static_cast<unsigned>(std::countr_zero(need));
        const auto& p = gen::activesync::schema::particles
            [gen::activesync::schema::counter_particles[m.counter_first + c]];
        if (f.counts[c] < p.min_occurs && (!p.choice || f.branch[p.choice - 1u] == p.branch))
          return fail(schema_errc::missing_required, at, p.key);
      }
      for (std::uint64_t need = m.choice_required; need; need &= need - 1) {
        const unsigned c = static_cast<unsigned>(std::countr_zero(need));
        if (!f.branch[c]) return fail(schema_errc::missing_required, at, first_of_choice(m, c + 1));
      }
      for (std::size_t i = 0; i < detail::element_rules.size(); ++i) {
        const auto& r = detail::element_rules[i];
        if (r.kind == detail::rule_kind::required_unless && !(f.rules >> (2 * i) & 3) &&
            applies(r, f))
          return fail(schema_errc::missing_required, at, r.element);
      }
    }
    --depth_;
  }

  static std::uint16_t first_of_choice(const gen::activesync::schema::model& m,
                                       unsigned choice) noexcept {
    for (std::size_t i = m.first; i < m.first + m.count; ++i)
      if (gen::activesync::schema::particles[i].choice == choice)
        return gen::activesync::schema::particles[i].key;
    return 0;
  }

  validate_options opt_;
  unsigned version_bit_;
  std::size_t depth_ = 0;
  std::array<frame, validator_max_depth> stack_{};
  std::array<char, text_keep> text_{};
  std::size_t text_len_ = 0, chars_ = 0, text_at_ = 0;
  bool failed_ = false;
  error err_{};
  std::array<char, 512> path_{};
  std::size_t path_len_ = 0;
};

/// Validates a WBXML document for `version`: `validate(body, protocol_version::v14_1, {})`.
[[nodiscard]] inline result<void> validate(bytes_view wbxml, protocol_version version,
                                           const validate_options& opt = {}) noexcept {
  return validator(version, opt).run(wbxml);
}

}  // namespace oxwire::activesync
