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
// decode(encode(x)) == x and encode(decode(b)) == b for canonical b.
#pragma once

#include <oxwire/activesync/model_types.hpp>
#include <oxwire/activesync/validator_error.hpp>
#include <oxwire/core/bytes.hpp>
#include <oxwire/core/error.hpp>
#include <oxwire/core/writer.hpp>
#include <oxwire/wbxml/encoder.hpp>
#include <oxwire/wbxml/tokenizer.hpp>

#include <algorithm>
#include <array>
#include <bitset>
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

/// The field list of T as types, and the constexpr (code page, token) → field table.
template <class T>
struct table {
  static constexpr auto& fields = model::model_traits<T>::fields;
  static constexpr std::size_t size = decltype(boost::hana::length(fields))::value;
  template <std::size_t I>
  using field = std::remove_cvref_t<decltype(boost::hana::at_c<I>(fields))>;

  static_assert(size < 0xFF, "a model has at most 254 children");
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
};

struct context {
  wbxml::tokenizer* tok;
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

template <class T, std::size_t I>
result<void> on_field(context& cx, T& out, const wbxml::event& ev,
                      std::bitset<table<T>::size>& seen) {
  using F = typename table<T>::template field<I>;
  const char* name = boost::hana::at_c<I>(table<T>::fields).name;
  auto& m = out.*F::member;
  using O = occurs<std::remove_cvref_t<decltype(m)>>;
  if constexpr (O::vector) {
    if (m.size() >= F::max_occurs) return fail(schema_errc::too_many, ev.offset, name);
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
    if (seen[I]) return fail(schema_errc::too_many, ev.offset, name);
    seen[I] = true;
    return read_value(cx, m, ev, name);
  }
}

/// Every child of T's element until its END; `start` is T's start event.
template <class T>
result<void> read_struct(context& cx, T& out, const wbxml::event& start) {
  using tb = table<T>;
  using handler = result<void> (*)(context&, T&, const wbxml::event&, std::bitset<tb::size>&);
  static constexpr auto handlers = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<handler, tb::size>{&on_field<T, I>...};
  }
  (std::make_index_sequence<tb::size>{});
  std::bitset<tb::size> seen;
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
      if (auto r = handlers[i](cx, out, *ev, seen); !r) return r;
    }
  }
  // Required children (minOccurs counted outside exclusive choices).
  result<void> r;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (([&] {
       using F = typename tb::template field<I>;
       if constexpr (F::min_occurs > 0) {
         const auto& m = out.*F::member;
         bool ok;
         if constexpr (occurs<std::remove_cvref_t<decltype(m)>>::vector)
           ok = m.size() >= F::min_occurs;
         else
           ok = seen[I];
         if (!ok && r)
           r = fail(schema_errc::missing_required, end_at, boost::hana::at_c<I>(tb::fields).name);
       }
     }()),
     ...);
  }
  (std::make_index_sequence<tb::size>{});
  return r;
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

template <class V>
bool has_content(const V& v) noexcept {
  if constexpr (model::model_struct<V>) {
    bool any = false;
    boost::hana::for_each(model::model_traits<V>::fields, [&](auto f) {
      const auto& m = v.*decltype(f)::member;
      using O = occurs<std::remove_cvref_t<decltype(m)>>;
      if constexpr (O::vector)
        any = any || !m.empty();
      else if constexpr (O::optional)
        any = any || m.has_value();
      else
        any = true;
    });
    if constexpr (model::mixed_model<V>) any = any || !(v.*model::model_traits<V>::text).empty();
    return any;
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

/// The content of a leaf with content (has_content(v)).
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

template <class Sink, class V>
result<void> write_value(wbxml::basic_encoder<Sink>& enc, std::uint8_t page, std::uint8_t token,
                         const V& v) {
  const bool content = has_content(v);
  if (auto r = enc.start(page, token, content); !r || !content) return r;
  if constexpr (model::model_struct<V>) {
    result<void> r;
    if constexpr (model::mixed_model<V>)
      if (const auto text = v.*model::model_traits<V>::text; !text.empty()) r = enc.text(text);
    boost::hana::for_each(model::model_traits<V>::fields, [&](auto f) {
      using F = decltype(f);
      const auto& m = v.*F::member;
      using O = occurs<std::remove_cvref_t<decltype(m)>>;
      if (!r) return;
      if constexpr (O::vector) {
        for (const auto& x : m)
          if (r) r = write_value(enc, F::page, F::token, x);
      } else if constexpr (O::optional) {
        if (m) r = write_value(enc, F::page, F::token, *m);
      } else {
        r = write_value(enc, F::page, F::token, m);
      }
    });
    if (!r) return r;
  } else {
    if (auto r = write_leaf(enc, v); !r) return r;
  }
  return enc.end();
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

/// T as the element (page, token) through an encoder already writing a document.
template <model::model_struct T, class Sink>
[[nodiscard]] result<void> encode_element(const T& v, wbxml::basic_encoder<Sink>& enc,
                                          std::uint8_t page, std::uint8_t token) {
  return detail_model::write_value(enc, page, token, v);
}

/// A whole document (header and T's root element), canonical WBXML:
/// `vector_writer w(out); auto r = encode(model::request::FolderSync{.SyncKey = "0"}, w);`.
template <model::root_model T, class Sink>
[[nodiscard]] result<void> encode(const T& v, basic_writer<Sink>& out,
                                  const wbxml::encode_options& opt = {}) {
  wbxml::basic_encoder<Sink> enc(out);
  if (opt.header)
    if (auto r = enc.header(opt); !r) return r;
  return detail_model::write_value(enc, model::root_element<T>::page, model::root_element<T>::token,
                                   v);
}

/// The same into a new vector: `auto bytes = encode(folder_sync);`.
template <model::root_model T>
[[nodiscard]] result<std::vector<std::uint8_t>> encode(const T& v,
                                                       const wbxml::encode_options& opt = {}) {
  std::vector<std::uint8_t> bytes;
  vector_writer w(bytes);
  if (auto r = encode(v, w, opt); !r) return r.error();
  return bytes;
}

}  // namespace oxwire::activesync
