// oxwire — one generic WBXML decoder and encoder for every typed ActiveSync model
// (gen/activesync/models/*.hpp), driven by each struct's Boost.Hana field list.
//
//   #include <oxwire/gen/activesync/models/sync.hpp>
//   auto sync = oxwire::activesync::decode<oxwire::activesync::model::Sync>(body);
//   if (!sync) return sync.error();          // "element occurs too often (SyncKey) at 42"
//   for (const auto& c : sync->Collections->Collection) ...
//
//   std::vector<std::uint8_t> out;
//   oxwire::vector_writer w(out);
//   auto r = oxwire::activesync::encode(model::request::FolderSync{.SyncKey = "0"}, w);
//
// Each model is a constexpr table of its children (name, occurrences, versions, and the read,
// count and write functions of the member's C++ type, shared by every child of that type), so
// a model costs a row per child rather than a function per child: the compile time and code
// size of a program scale with the member types it uses, not with the number of children.
//
// Decoding walks the tokenizer's events once. A child element is found in its parent's model
// by a constexpr table indexed by (code page, token) (no scan); the decoder rejects what the
// struct cannot hold or would hold wrongly: an element the model does not have
// (unexpected_element), one more occurrence than maxOccurs (too_many), a required child that is
// absent (missing_required, at the parent's END), text in element content or children in a leaf
// (text_not_allowed / unexpected_element; a mixed model keeps one string of text), a value its
// C++ type cannot take (invalid_integer, integer_out_of_range, invalid_boolean,
// invalid_double). Sequence order, xs:choice
// exclusivity, enumerations, lengths, patterns and protocol versions are the validator's job
// (activesync/validator.hpp): they do not change what the struct holds, and checking them twice
// would cost the hot path; run the validator first where they matter. Nesting is bounded by
// wbxml::options::max_depth (the tokenizer's limit).
//
// Encoding writes children in schema order, every element once per value, STR_I text, OPAQUE for
// the opaque elements, integers in shortest decimal, and an element with nothing to say (empty
// string, EmptyTag, container with no child) without the content bit: canonical WBXML, so
// decode(encode(x)) == x and encode(decode(b)) == b for canonical b. Given a protocol version
// (model_encode_options::version), it leaves out every element whose tag that version does not
// have (MS-ASWBXML 2.1.2.1), with its content: one model serves every version.
#pragma once

#include <oxwire/activesync/ashttp.hpp>
#include <oxwire/activesync/model_types.hpp>
#include <oxwire/activesync/validator_error.hpp>
#include <oxwire/core/bytes.hpp>
#include <oxwire/core/error.hpp>
#include <oxwire/core/writer.hpp>
#include <oxwire/wbxml/codepages.hpp>
#include <oxwire/wbxml/encoder.hpp>
#include <oxwire/wbxml/tokenizer.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

namespace oxwire::activesync {

namespace detail_model {

template <class T>
struct occurs {
  using value = T;
  static constexpr bool optional = false, vector = false;
};
template <class T>
struct occurs<std::optional<T>> {
  using value = T;
  static constexpr bool optional = true, vector = false;
};
template <class T>
struct occurs<std::vector<T>> {
  using value = T;
  static constexpr bool optional = false, vector = true;
};

template <class T>
struct is_or_empty : std::false_type {};
template <class T>
struct is_or_empty<model::or_empty<T>> : std::true_type {};

inline error fail(schema_errc c, std::size_t offset, const char* what) noexcept {
  return error{make_error_code(c), offset, what};
}

// The code page tables' version masks and ashttp.hpp's versions agree bit for bit.
static_assert([] {
  for (const auto& e : protocol_versions)
    if (gen::activesync::protocol_versions[version_bit(e.version)] != e.text) return false;
  return true;
}());

/// A tag's protocol versions (gen::activesync::protocol_versions bits), at compile time.
template <std::uint8_t Page, std::uint8_t Token>
inline constexpr std::uint8_t tag_versions = [] {
  constexpr auto tag = wbxml::find_tag(Page, Token);
  static_assert(tag.has_value(), "a model field whose tag is not in the code page tables");
  return tag->versions;
}();

struct context {
  wbxml::tokenizer* tok;
};

// A model's children are rows of a table, and the code that reads, counts and writes a child is
// that of its member's C++ type (std::vector<std::string_view>, std::optional<model::Body>, ...),
// shared by every child of that type: a model costs a row per child, not a function per child.

/// Reads one occurrence of a child into its member; `seen` is set (a second occurrence of a
/// single member is too_many).
using read_fn = result<void> (*)(context&, void* member, const wbxml::event&, const char* name,
                                 std::uint16_t max_occurs, bool& seen);
/// The values a member holds (a plain member: 1).
using count_fn = std::size_t (*)(const void* member) noexcept;
/// Writes every value of a member as the element (page, token).
template <class Sink>
using write_fn = result<void> (*)(wbxml::basic_encoder<Sink>&, const void* member,
                                  std::uint8_t page, std::uint8_t token, std::uint8_t versions);

template <class M>
result<void> read_member(context& cx, void* member, const wbxml::event& ev, const char* name,
                         std::uint16_t max_occurs, bool& seen);
template <class M>
std::size_t count_member(const void* member) noexcept;
template <class Sink, class M>
result<void> write_member(wbxml::basic_encoder<Sink>& enc, const void* member, std::uint8_t page,
                          std::uint8_t token, std::uint8_t versions);

/// One child of a model.
struct field_row {
  const char* name;
  std::uint16_t min_occurs, max_occurs;
  std::uint8_t page, token;
  std::uint8_t versions;  // the protocol versions that have its tag
  read_fn read;
  count_fn count;
};

/// The children of T as a constexpr table of rows, the (code page, token) → row index, and the
/// members' offsets.
template <class T>
struct table {
  static constexpr auto& fields = model::model_traits<T>::fields;
  static constexpr std::size_t size = decltype(boost::hana::length(fields))::value;
  template <std::size_t I>
  using field = std::remove_cvref_t<decltype(boost::hana::at_c<I>(fields))>;
  template <std::size_t I>
  using member = std::remove_cvref_t<decltype(std::declval<T&>().*field<I>::member)>;

  static_assert(size < 0xFF, "a model has at most 254 children");
  static constexpr auto rows = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<field_row, size>{
        field_row{boost::hana::at_c<I>(fields).name, field<I>::min_occurs, field<I>::max_occurs,
                  field<I>::page, field<I>::token, tag_versions<field<I>::page, field<I>::token>,
                  &read_member<member<I>>, &count_member<member<I>>}...};
  }
  (std::make_index_sequence<size>{});
  /// The rows with minOccurs > 0, the only ones the end of an element checks.
  static constexpr std::size_t required_count = [] {
    std::size_t n = 0;
    for (const field_row& r : rows) n += r.min_occurs > 0;
    return n;
  }();
  static constexpr auto required = [] {
    std::array<std::uint8_t, required_count> r{};
    std::size_t k = 0;
    for (std::size_t i = 0; i < size; ++i)
      if (rows[i].min_occurs > 0) r[k++] = static_cast<std::uint8_t>(i);
    return r;
  }();
  template <class Sink>
  static constexpr auto writers = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<write_fn<Sink>, size>{&write_member<Sink, member<I>>...};
  }
  (std::make_index_sequence<size>{});

  static constexpr auto keys = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<std::uint16_t, size>{field<I>::key...};
  }
  (std::make_index_sequence<size>{});
  static constexpr std::uint16_t first =
      size ? *std::min_element(keys.begin(), keys.end()) : std::uint16_t{0};
  static constexpr std::uint16_t last =
      size ? *std::max_element(keys.begin(), keys.end()) : std::uint16_t{0};
  /// slot[key - first] = field index, 0xFF = not a child of this model. Direct: one load.
  static constexpr auto slot = [] {
    std::array<std::uint8_t, size ? last - first + 1 : 1> s{};
    s.fill(0xFF);
    for (std::size_t i = 0; i < size; ++i) s[keys[i] - first] = static_cast<std::uint8_t>(i);
    return s;
  }();
  [[nodiscard]] static constexpr std::size_t find(std::uint8_t page, std::uint8_t token) noexcept {
    const unsigned key = page * 64u + token;
    if (key < first || key > last) return 0xFF;
    return slot[key - first];
  }

  /// Where each member lies in a T (measured once on a default-constructed T: a member
  /// pointer's offset is not a constant expression).
  [[nodiscard]] static const std::array<std::size_t, size>& offsets() noexcept {
    static const auto at = [] {
      const T probe{};
      const auto* base = reinterpret_cast<const unsigned char*>(&probe);
      return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return std::array<std::size_t, size>{static_cast<std::size_t>(
            reinterpret_cast<const unsigned char*>(&(probe.*field<I>::member)) - base)...};
      }
      (std::make_index_sequence<size>{});
    }();
    return at;
  }
};

template <class V>
result<void> read_value(context& cx, V& v, const wbxml::event& start, const char* name);

/// Text of a leaf into its C++ type.
template <class V>
result<void> convert(V& v, bytes_view data, bool opaque, std::size_t at,
                     const char* name) noexcept {
  const std::string_view s = as_chars(data);
  if constexpr (std::is_same_v<V, std::string_view>) {
    v = s;
  } else if constexpr (std::is_same_v<V, model::opaque>) {
    v.data = data;
  } else if constexpr (std::is_same_v<V, model::date_time>) {
    v.text = s;
  } else if constexpr (std::is_same_v<V, model::empty>) {
    if (!data.empty()) return fail(schema_errc::text_not_allowed, at, name);
  } else if constexpr (is_or_empty<V>::value) {
    if (data.empty()) {
      v.value.reset();
    } else {
      v.value.emplace();
      return convert(*v.value, data, opaque, at, name);
    }
  } else if constexpr (std::is_same_v<V, bool>) {
    // MS-ASDTYPE 2.1: 0 or 1.
    if (s != "0" && s != "1") return fail(schema_errc::invalid_boolean, at, name);
    v = s == "1";
  } else if constexpr (std::is_integral_v<V> || std::is_floating_point_v<V>) {
    if (opaque || s.empty()) return fail(schema_errc::invalid_integer, at, name);
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec == std::errc::result_out_of_range ||
        (std::is_unsigned_v<V> && s.front() == '-' && s.size() > 1 && s[1] >= '0' && s[1] <= '9'))
      return fail(schema_errc::integer_out_of_range, at, name);
    if (r.ec != std::errc{} || r.ptr != s.data() + s.size())
      return fail(
          std::is_integral_v<V> ? schema_errc::invalid_integer : schema_errc::invalid_double, at,
          name);
  } else {
    static_assert(sizeof(V) == 0, "no conversion for this leaf type");
  }
  return {};
}

template <class M>
result<void> read_member(context& cx, void* member, const wbxml::event& ev, const char* name,
                         std::uint16_t max_occurs, bool& seen) {
  auto& m = *static_cast<M*>(member);
  using O = occurs<M>;
  const bool again = seen;
  seen = true;
  if constexpr (O::vector) {
    if (m.size() >= max_occurs) return fail(schema_errc::too_many, ev.offset, name);
    if constexpr (std::is_same_v<typename O::value, bool>) {  // std::vector<bool> has no bool&
      bool b = false;
      if (auto r = read_value(cx, b, ev, name); !r) return r;
      m.push_back(b);
      return {};
    } else {
      return read_value(cx, m.emplace_back(), ev, name);
    }
  } else if constexpr (O::optional) {
    if (m) return fail(schema_errc::too_many, ev.offset, name);
    return read_value(cx, m.emplace(), ev, name);
  } else {
    if (again) return fail(schema_errc::too_many, ev.offset, name);
    return read_value(cx, m, ev, name);
  }
}

template <class M>
std::size_t count_member(const void* member) noexcept {
  const auto& m = *static_cast<const M*>(member);
  using O = occurs<M>;
  if constexpr (O::vector)
    return m.size();
  else if constexpr (O::optional)
    return m.has_value();
  else
    return 1;
}

/// Every child of T's element until its END; `start` is T's start event.
template <class T>
result<void> read_struct(context& cx, T& out, const wbxml::event& start) {
  using tb = table<T>;
  const auto& offsets = tb::offsets();
  auto* const base = reinterpret_cast<unsigned char*>(&out);
  std::array<bool, tb::size> seen{};
  std::size_t end_at = start.offset;
  if (start.has_content) {
    for (;;) {
      auto ev = cx.tok->next();
      if (!ev) return ev.error();
      if (ev->kind == wbxml::event_kind::end) {
        end_at = ev->offset;
        break;
      }
      if (ev->kind != wbxml::event_kind::start) {  // text, opaque (eof: the tokenizer reports it)
        if constexpr (model::mixed_model<T>) {
          // One string (a view cannot join two), as text.
          std::string_view& text = out.*model::model_traits<T>::text;
          if (ev->kind == wbxml::event_kind::text && text.empty() && !ev->data.empty()) {
            text = as_chars(ev->data);
            continue;
          }
        }
        return fail(schema_errc::text_not_allowed, ev->offset, model::model_traits<T>::name);
      }
      const std::size_t i = tb::find(ev->page, ev->token);
      if (i == 0xFF)
        return fail(schema_errc::unexpected_element, ev->offset, model::model_traits<T>::name);
      const field_row& row = tb::rows[i];
      if (auto r = row.read(cx, base + offsets[i], *ev, row.name, row.max_occurs, seen[i]); !r)
        return r;
    }
  }
  // Required children (minOccurs counted outside exclusive choices).
  for (const std::size_t i : tb::required) {
    const field_row& row = tb::rows[i];
    if (!seen[i] || row.count(base + offsets[i]) < row.min_occurs)
      return fail(schema_errc::missing_required, end_at, row.name);
  }
  return {};
}

template <class V>
result<void> read_value(context& cx, V& v, const wbxml::event& start, const char* name) {
  if constexpr (model::model_struct<V>) {
    return read_struct(cx, v, start);
  } else {
    bytes_view data{};
    bool opaque = false;
    std::size_t at = start.offset;
    if (start.has_content) {
      auto ev = cx.tok->next();
      if (!ev) return ev.error();
      if (ev->kind == wbxml::event_kind::text || ev->kind == wbxml::event_kind::opaque) {
        data = ev->data;
        opaque = ev->kind == wbxml::event_kind::opaque;
        at = ev->offset;
        ev = cx.tok->next();
        if (!ev) return ev.error();
      }
      if (ev->kind == wbxml::event_kind::start)
        return fail(schema_errc::unexpected_element, ev->offset, name);
      if (ev->kind != wbxml::event_kind::end)  // a second string: a view cannot join them
        return fail(schema_errc::text_not_allowed, ev->offset, name);
    }
    return convert(v, data, opaque, at, name);
  }
}

// Encoding.

/// Whether the element of `v` has content in the versions written (`versions`).
template <class V>
bool has_content(const V& v, std::uint8_t versions) noexcept {
  (void)versions;  // a leaf's content is its own
  if constexpr (model::model_struct<V>) {
    if constexpr (model::mixed_model<V>)
      if (!(v.*model::model_traits<V>::text).empty()) return true;
    using tb = table<V>;
    const auto& offsets = tb::offsets();
    const auto* const base = reinterpret_cast<const unsigned char*>(&v);
    std::size_t i = 0;
    for (const field_row& row : tb::rows) {
      if ((row.versions & versions) && row.count(base + offsets[i])) return true;
      ++i;
    }
    return false;
  } else if constexpr (std::is_same_v<V, std::string_view>) {
    return !v.empty();
  } else if constexpr (std::is_same_v<V, model::opaque>) {
    return !v.data.empty();
  } else if constexpr (std::is_same_v<V, model::date_time>) {
    return !v.text.empty();
  } else if constexpr (std::is_same_v<V, model::empty>) {
    return false;
  } else if constexpr (is_or_empty<V>::value) {
    return v.value.has_value();
  } else {
    return true;
  }
}

/// The content of a leaf with content (has_content).
template <class Sink, class V>
result<void> write_leaf(wbxml::basic_encoder<Sink>& enc, const V& v) {
  if constexpr (std::is_same_v<V, std::string_view>) {
    return enc.text(v);
  } else if constexpr (std::is_same_v<V, model::opaque>) {
    return enc.opaque(v.data);
  } else if constexpr (std::is_same_v<V, model::date_time>) {
    return enc.text(v.text);
  } else if constexpr (is_or_empty<V>::value) {
    return write_leaf(enc, *v.value);
  } else if constexpr (std::is_same_v<V, model::empty>) {
    return {};  // never has content
  } else {
    char buf[32];
    char* end = buf + 1;
    if constexpr (std::is_same_v<V, bool>)
      buf[0] = v ? '1' : '0';
    else
      end = std::to_chars(buf, buf + sizeof buf, v).ptr;
    return enc.text(std::string_view(buf, static_cast<std::size_t>(end - buf)));
  }
}

/// `versions`: the bit of the version being written, or all bits.
template <class Sink, class V>
result<void> write_value(wbxml::basic_encoder<Sink>& enc, std::uint8_t page, std::uint8_t token,
                         const V& v, std::uint8_t versions) {
  const bool content = has_content(v, versions);
  if (auto r = enc.start(page, token, content); !r || !content) return r;
  if constexpr (model::model_struct<V>) {
    if constexpr (model::mixed_model<V>)
      if (const auto text = v.*model::model_traits<V>::text; !text.empty())
        if (auto r = enc.text(text); !r) return r;
    using tb = table<V>;
    const auto& offsets = tb::offsets();
    const auto* const base = reinterpret_cast<const unsigned char*>(&v);
    std::size_t i = 0;
    for (const field_row& row : tb::rows) {
      if (row.versions & versions)
        if (auto r = tb::template writers<Sink>[i](enc, base + offsets[i], row.page, row.token,
                                                   versions);
            !r)
          return r;
      ++i;
    }
  } else {
    if (auto r = write_leaf(enc, v); !r) return r;
  }
  return enc.end();
}

template <class Sink, class M>
result<void> write_member(wbxml::basic_encoder<Sink>& enc, const void* member, std::uint8_t page,
                          std::uint8_t token, std::uint8_t versions) {
  const auto& m = *static_cast<const M*>(member);
  using O = occurs<M>;
  if constexpr (O::vector) {
    for (const auto& x : m)
      if (auto r = write_value(enc, page, token, x, versions); !r) return r;
    return {};
  } else if constexpr (O::optional) {
    return m ? write_value(enc, page, token, *m, versions) : result<void>{};
  } else {
    return write_value(enc, page, token, m, versions);
  }
}

}  // namespace detail_model

/// Decoder settings.
struct model_decode_options {
  wbxml::options wbxml{};  // tokenizer settings; max_depth bounds the nesting
};

/// Fills T from its element: `tok` has just returned `start`, the start event of T's element;
/// on success the tokenizer is past that element's END. `auto a = decode<model::Email_Flag>(tok,
/// ev);` inside a caller's own event loop.
template <model::model_struct T>
[[nodiscard]] result<T> decode(wbxml::tokenizer& tok, const wbxml::event& start) {
  T out{};
  detail_model::context cx{&tok};
  if (auto r = detail_model::read_struct(cx, out, start); !r) return r.error();
  return out;
}

/// A whole WBXML document whose root is T's element (a command request or response):
/// `auto r = decode<model::FolderSync>(body);`. Strings and opaque data in the result are views
/// into `wbxml`, which must outlive it.
template <model::root_model T>
[[nodiscard]] result<T> decode(bytes_view wbxml, const model_decode_options& opt = {}) {
  auto tok = wbxml::tokenizer::create(wbxml, opt.wbxml);
  if (!tok) return tok.error();
  auto ev = tok->next();
  if (!ev) return ev.error();
  if (ev->kind != wbxml::event_kind::start || ev->page != model::root_element<T>::page ||
      ev->token != model::root_element<T>::token)
    return detail_model::fail(schema_errc::unexpected_element, ev->offset,
                              model::model_traits<T>::name);
  auto out = decode<T>(*tok, *ev);
  if (!out) return out.error();
  auto eof = tok->next();  // trailing bytes after the root are the tokenizer's error
  if (!eof) return eof.error();
  return out;
}

/// Encoder settings.
struct model_encode_options {
  wbxml::encode_options wbxml{};              // the document header
  std::optional<protocol_version> version{};  // write only the elements of this version
};

namespace detail_model {
[[nodiscard]] constexpr std::uint8_t versions_of(const model_encode_options& opt) noexcept {
  return opt.version ? static_cast<std::uint8_t>(1u << version_bit(*opt.version)) : 0xFF;
}
}  // namespace detail_model

/// T as the element (page, token) through an encoder already writing a document.
template <model::model_struct T, class Sink>
[[nodiscard]] result<void> encode_element(const T& v, wbxml::basic_encoder<Sink>& enc,
                                          std::uint8_t page, std::uint8_t token,
                                          const model_encode_options& opt = {}) {
  return detail_model::write_value(enc, page, token, v, detail_model::versions_of(opt));
}

/// A whole document (header and T's root element), canonical WBXML:
/// `vector_writer w(out); auto r = encode(model::request::FolderSync{.SyncKey = "0"}, w);`.
template <model::root_model T, class Sink>
[[nodiscard]] result<void> encode(const T& v, basic_writer<Sink>& out,
                                  const model_encode_options& opt = {}) {
  wbxml::basic_encoder<Sink> enc(out);
  if (opt.wbxml.header)
    if (auto r = enc.header(opt.wbxml); !r) return r;
  return detail_model::write_value(enc, model::root_element<T>::page, model::root_element<T>::token,
                                   v, detail_model::versions_of(opt));
}

/// The same into a new vector: `auto bytes = encode(folder_sync);`.
template <model::root_model T>
[[nodiscard]] result<std::vector<std::uint8_t>> encode(const T& v,
                                                       const model_encode_options& opt = {}) {
  std::vector<std::uint8_t> bytes;
  vector_writer w(bytes);
  if (auto r = encode(v, w, opt); !r) return r.error();
  return bytes;
}

}  // namespace oxwire::activesync
