#pragma once
// `oxwire rop decode|encode`: MS-OXCROPS 2.2.1 ROP buffers <-> JSON naming every ROP and field by
// its spec name. The JSON is written and read generically from the ROP layouts:
//   {"buffer": "request", "rops": [{"rop": "RopRelease", "variant": "request", "RopId": 1, ...}],
//    "handles": [4294967295]}
// Integers are numbers; GUIDs, PropertyTags and ErrorCodes strings; strings JSON strings (8-bit
// ones byte for byte as U+0000..U+00FF); raw bytes and the MAPI structures (TaggedPropertyValue,
// PropertyRow, Restriction, ...) hex strings of their wire bytes. A response ROP with rows also
// carries the "columns" it was read with.
#include <simdjson.h>

#include <charconv>
#include <oxwire/core/hex.hpp>
#include <oxwire/core/utf16.hpp>
#include <oxwire/rop.hpp>

#include "common.hpp"

namespace oxwire_cli {

inline constexpr std::string_view rop_usage =
    "  oxwire rop decode [--response] [--columns=TAG,TAG...] [FILE|-]\n"
    "  oxwire rop encode [FILE|-]\n";

namespace rop_json {

using namespace oxwire::rop;
namespace mapi = oxwire::mapi;

inline void put_string(std::string& o, std::u16string_view s) {
  static constexpr char digits[] = "0123456789abcdef";
  o += '"';
  for (const char16_t c : s) {
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
      o += static_cast<char>(c);
    } else {
      o += "\\u";
      for (int sh = 12; sh >= 0; sh -= 4) o += digits[(c >> sh) & 0xF];
    }
  }
  o += '"';
}
inline void put_string(std::string& o, std::string_view s) {
  std::u16string w(s.size(), u'\0');
  for (std::size_t i = 0; i < s.size(); ++i) w[i] = static_cast<unsigned char>(s[i]);
  put_string(o, w);
}
inline std::string hex32(std::uint32_t v) {
  char b[11];
  std::snprintf(b, sizeof b, "0x%08X", v);
  return b;
}

// A MAPI structure's wire bytes, as hex.
template <kind K>
std::string wire_hex(const oxwire::rop::detail::value_t<K>& v, const context& ctx) {
  std::vector<std::uint8_t> out;
  oxwire::vector_writer w(out);
  oxwire::rop::detail::field_args a{"", 0, false, ctx.columns};
  (void)oxwire::rop::detail::write_value<K>(w, v, a);
  return '"' + oxwire::hex::encode(out, true) + '"';
}

void write_fields(std::string& o, const void* obj, const struct_info& s, const context& ctx,
                  bool first);

template <kind K>
void write_value(std::string& o, const oxwire::rop::detail::value_t<K>& v, const field& f,
                 const context& ctx) {
  if constexpr (K == kind::u8 || K == kind::u16 || K == kind::u32 || K == kind::u64 ||
                K == kind::i32 || K == kind::u48) {
    o += std::to_string(v);
  } else if constexpr (K == kind::guid) {
    o += '"' + v.to_string() + '"';
  } else if constexpr (K == kind::bytes || K == kind::rest) {
    o += '"' + oxwire::hex::encode(oxwire::bytes_view(v.data(), v.size()), true) + '"';
  } else if constexpr (K == kind::asciiz || K == kind::flex_string) {
    put_string(o, v);
  } else if constexpr (K == kind::sized_asciiz) {
    if (v)
      put_string(o, *v);
    else
      o += "null";
  } else if constexpr (K == kind::tag) {
    o += '"' + hex32(v.value) + '"';
  } else if constexpr (K == kind::restriction) {
    o += v ? wire_hex<K>(v, ctx) : "null";
  } else if constexpr (K == kind::row) {
    context c = ctx;
    if (f.columns == columns_from::fixed) c.columns = f.fixed_columns;
    o += wire_hex<K>(v, c);
  } else {
    o += wire_hex<K>(v, ctx);
  }
}

// Field f of the struct at obj: null when absent, an array for a vector or std::array.
inline void write_field(std::string& o, const void* obj, const field& f, const context& ctx) {
  const void* m = oxwire::rop::detail::member_at(obj, f);
  if (f.kind == kind::nested) {
    const struct_info& e = *f.nested;
    if (f.shape == shape::one) return write_fields(o, m, e, ctx, true);
    const auto* p = static_cast<const std::byte*>(e.vector_data(m));
    o += '[';
    for (std::size_t i = 0; i < e.vector_size(m); ++i) {
      if (i) o += ", ";
      write_fields(o, p + i * e.element_size, e, ctx, true);
    }
    o += ']';
    return;
  }
  oxwire::rop::detail::with_kind(f.kind, [&](auto k) {
    constexpr kind K = decltype(k)::value;
    using T = oxwire::rop::detail::value_t<K>;
    auto list = [&](const T* p, std::size_t n) {
      o += '[';
      for (std::size_t i = 0; i < n; ++i) {
        if (i) o += ", ";
        write_value<K>(o, p[i], f, ctx);
      }
      o += ']';
    };
    if (f.shape == shape::array) return list(static_cast<const T*>(m), f.fixed);
    if (f.shape == shape::vector) {
      const auto* v = static_cast<const std::vector<T>*>(m);
      if (f.conditional) {
        const auto& opt = *static_cast<const std::optional<std::vector<T>>*>(m);
        if (!opt) return void(o += "null");
        v = &*opt;
      }
      return list(v->data(), v->size());
    }
    if (!f.conditional) return write_value<K>(o, *static_cast<const T*>(m), f, ctx);
    const auto& opt = *static_cast<const std::optional<T>*>(m);
    if (opt)
      write_value<K>(o, *opt, f, ctx);
    else
      o += "null";
  });
}

// {"rop": ..., "variant": ..., every field by its spec name}; a table row field also carries
// the "columns" it was read with.
inline void write_fields(std::string& o, const void* obj, const struct_info& s, const context& ctx,
                         bool first) {
  if (first) o += '{';
  for (const field& f : s.fields) {
    if (!first) o += ", ";
    first = false;
    o += '"' + std::string(f.name) + "\": ";
    write_field(o, obj, f, ctx);
    if (f.kind == kind::row && f.columns != columns_from::fixed && ctx.columns) {
      o += ", \"columns\": [";
      for (std::size_t i = 0; i < ctx.columns->size(); ++i)
        o += (i ? ", \"" : "\"") + hex32((*ctx.columns)[i].value) + '"';
      o += ']';
    }
  }
  o += '}';
}

template <class L>
void write_rop(std::string& o, const oxwire::rop::any_rop<L>& r, const context& ctx) {
  const struct_info& s = info_of(r);
  o += "{\"rop\": \"" + std::string(s.name) + "\", \"variant\": \"" + std::string(s.variant) + '"';
  write_fields(o, r.address(), s, ctx, false);
}

// ---- JSON -> structs

using oxwire::error;
using oxwire::result;
inline error bad(const char* what) {
  return error{oxwire::errc::invalid_argument, 0, what};
}

inline result<std::u16string> get_string(simdjson::dom::element e, const char* what) {
  std::string_view s;
  if (e.get(s)) return bad(what);
  auto w = oxwire::utf16::from_utf8(s);
  if (!w) return w.error();
  std::u16string out(w->size() / 2, u'\0');
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<char16_t>((*w)[2 * i] | ((*w)[2 * i + 1] << 8));
  return out;
}
inline result<std::string> get_narrow(simdjson::dom::element e, const char* what) {
  auto w = get_string(e, what);
  if (!w) return w.error();
  std::string out(w->size(), '\0');
  for (std::size_t i = 0; i < w->size(); ++i) {
    if ((*w)[i] > 0xFF) return bad(what);
    out[i] = static_cast<char>((*w)[i]);
  }
  return out;
}
inline result<std::uint64_t> get_hex_or_number(simdjson::dom::element e, const char* what) {
  std::uint64_t n = 0;
  if (!e.get(n)) return n;
  std::string_view s;
  if (e.get(s) || !s.starts_with("0x")) return bad(what);
  if (std::from_chars(s.data() + 2, s.data() + s.size(), n, 16).ptr != s.data() + s.size())
    return bad(what);
  return n;
}

result<void> read_fields(simdjson::dom::object o, void* obj, const struct_info& s,
                         const context& ctx);

template <kind K>
result<void> read_value(simdjson::dom::element e, oxwire::rop::detail::value_t<K>& v,
                        const field& f, const context& ctx) {
  using T = oxwire::rop::detail::value_t<K>;
  const char* what = f.name;
  if constexpr (K == kind::u8 || K == kind::u16 || K == kind::u32 || K == kind::u64 ||
                K == kind::i32 || K == kind::u48) {
    std::int64_t n = 0;
    std::uint64_t u = 0;
    if (!e.get(u)) {
      if (u > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) return bad(what);
      v = static_cast<T>(u);
    } else if (!e.get(n)) {
      if (n < static_cast<std::int64_t>(std::numeric_limits<T>::min())) return bad(what);
      v = static_cast<T>(n);
    } else {
      return bad(what);
    }
  } else if constexpr (K == kind::guid) {
    std::string_view s;
    if (e.get(s)) return bad(what);
    auto g = oxwire::guid::parse(s);
    if (!g) return bad(what);
    v = *g;
  } else if constexpr (K == kind::bytes || K == kind::rest) {
    std::string_view s;
    if (e.get(s)) return bad(what);
    auto b = oxwire::hex::decode(s);
    if (!b) return b.error();
    v = std::move(*b);
  } else if constexpr (K == kind::asciiz) {
    auto s = get_narrow(e, what);
    if (!s) return s.error();
    v = std::move(*s);
  } else if constexpr (K == kind::sized_asciiz) {
    if (e.is_null()) return {};
    auto s = get_narrow(e, what);
    if (!s) return s.error();
    v = std::move(*s);
  } else if constexpr (K == kind::flex_string) {
    auto s = get_string(e, what);
    if (!s) return s.error();
    v = std::move(*s);
  } else if constexpr (K == kind::tag) {
    auto n = get_hex_or_number(e, what);
    if (!n) return n.error();
    v = mapi::property_tag{static_cast<std::uint32_t>(*n)};
  } else {
    if constexpr (K == kind::restriction)
      if (e.is_null()) return {};
    std::string_view s;
    if (e.get(s)) return bad(what);
    auto b = oxwire::hex::decode(s);
    if (!b) return b.error();
    oxwire::reader in(*b);
    oxwire::rop::detail::field_args a{what, b->size(), false, ctx.columns};
    if (f.columns == columns_from::fixed) a.columns = f.fixed_columns;
    if (auto r = oxwire::rop::detail::read_value<K>(in, v, a); !r) return r;
    if (!in.empty()) return bad(what);
  }
  return {};
}

inline result<void> read_field(simdjson::dom::element e, void* obj, const field& f,
                               const context& ctx) {
  void* m = oxwire::rop::detail::member_at(obj, f);
  const char* what = f.name;
  if (f.kind == kind::nested) {
    const struct_info& n = *f.nested;
    simdjson::dom::object one;
    if (f.shape == shape::one) return e.get(one) ? bad(what) : read_fields(one, m, n, ctx);
    simdjson::dom::array a;
    if (e.get(a)) return bad(what);
    auto* p = static_cast<std::byte*>(n.vector_resize(m, a.size()));
    std::size_t i = 0;
    for (auto x : a) {
      if (x.get(one)) return bad(what);
      if (auto r = read_fields(one, p + i++ * n.element_size, n, ctx); !r) return r;
    }
    return {};
  }
  return oxwire::rop::detail::with_kind(f.kind, [&](auto k) -> result<void> {
    constexpr kind K = decltype(k)::value;
    using T = oxwire::rop::detail::value_t<K>;
    if (f.conditional && e.is_null()) return {};
    if (f.shape == shape::one) {
      T& v = f.conditional ? static_cast<std::optional<T>*>(m)->emplace() : *static_cast<T*>(m);
      return read_value<K>(e, v, f, ctx);
    }
    simdjson::dom::array a;
    if (e.get(a)) return bad(what);
    T* p = static_cast<T*>(m);
    if (f.shape == shape::vector) {
      auto& v = f.conditional ? static_cast<std::optional<std::vector<T>>*>(m)->emplace()
                              : *static_cast<std::vector<T>*>(m);
      v.resize(a.size());
      p = v.data();
    } else if (a.size() != f.fixed) {
      return bad(what);
    }
    std::size_t i = 0;
    for (auto x : a)
      if (auto ok = read_value<K>(x, p[i++], f, ctx); !ok) return ok;
    return {};
  });
}

inline result<void> read_fields(simdjson::dom::object o, void* obj, const struct_info& s,
                                const context& ctx_in) {
  context ctx = ctx_in;
  std::vector<mapi::property_tag> cols;
  if (simdjson::dom::array a; !o["columns"].get(a)) {
    for (auto t : a) {
      auto n = get_hex_or_number(t, "columns");
      if (!n) return n.error();
      cols.push_back(mapi::property_tag{static_cast<std::uint32_t>(*n)});
    }
    ctx.columns = std::span<const mapi::property_tag>(cols);
  }
  for (const field& f : s.fields) {
    simdjson::dom::element e;
    if (o[f.name].get(e)) return bad(f.name);
    if (auto r = read_field(e, obj, f, ctx); !r) return r;
  }
  return {};
}

// The alternative of V named by "rop" and "variant" (only its construction is per struct).
template <class V>
result<V> read_rop(simdjson::dom::object o, const context& ctx) {
  std::string_view name, variant;
  if (o["rop"].get(name) || o["variant"].get(variant)) return bad("rop");
  result<V> out = bad("rop");
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (void)(([&] {
      using S = typename V::template alternative<I>;
      if (info<S>.name != name || info<S>.variant != variant) return false;
      S s{};
      if (auto r = read_fields(o, &s, info<S>, ctx); r)
        out = V(std::move(s));
      else
        out = r.error();
      return true;
    }() || ...));
  }
  (std::make_index_sequence<V::size>{});
  return out;
}

template <class Buffer>
std::string to_json(const Buffer& b, bool response, auto&& context_of) {
  std::string o =
      std::string("{\"buffer\": \"") + (response ? "response" : "request") + "\", \"rops\": [\n";
  for (std::size_t i = 0; i < b.rops.size(); ++i) {
    o += "  ";
    const context ctx = context_of(i);
    write_rop(o, b.rops[i], ctx);
    o += i + 1 < b.rops.size() ? ",\n" : "\n";
  }
  o += "], \"handles\": [";
  for (std::size_t i = 0; i < b.handles.size(); ++i)
    o += (i ? ", " : "") + std::to_string(b.handles[i]);
  return o + "]}\n";
}

}  // namespace rop_json

// MS-OXCROPS 2.2.1: a ROP buffer to JSON and back.
inline int cmd_rop(std::string_view verb, const args& a, const std::string& in) {
  namespace rop = oxwire::rop;
  using namespace rop_json;
  if (verb == "decode") {
    std::vector<oxwire::mapi::property_tag> columns;
    for (std::string_view f : a.flags)
      if (f != "--response" && f != "--columns") return usage_requested;
    const bool response = a.has("--response");
    const std::string_view* list = a.value("--columns");
    if (a.has("--columns") && !list) return usage_requested;
    for (std::string_view f = list ? *list : std::string_view{}; !f.empty();) {
      const auto comma = f.find(',');
      const std::string_view t = f.substr(0, comma);
      std::uint32_t v = 0;
      const char* b = t.data() + (t.starts_with("0x") ? 2 : 0);
      if (std::from_chars(b, t.data() + t.size(), v, 16).ptr != t.data() + t.size())
        return usage_requested;
      columns.push_back(oxwire::mapi::property_tag{v});
      f = comma == std::string_view::npos ? std::string_view{} : f.substr(comma + 1);
    }
    rop::buffer_options opts;
    if (list) opts.table_columns = std::span<const oxwire::mapi::property_tag>(columns);
    const auto bytes = oxwire::as_bytes(in);
    rop::context ctx;
    ctx.columns = opts.table_columns;
    if (response) {
      auto b = rop::decode_response_buffer(bytes, {}, opts);
      if (!b) return fail(b.error());
      write(to_json(*b, true, [&](std::size_t) { return ctx; }));
    } else {
      auto b = rop::decode_request_buffer(bytes, opts);
      if (!b) return fail(b.error());
      write(to_json(*b, false, [&](std::size_t) { return ctx; }));
    }
    return 0;
  }
  if (verb != "encode" || !a.flags.empty()) return usage_requested;
  simdjson::dom::parser parser;
  simdjson::dom::object doc;
  std::string_view kind_name;
  simdjson::dom::array rops, handles;
  if (parser.parse(in).get(doc) || doc["buffer"].get(kind_name) || doc["rops"].get(rops) ||
      doc["handles"].get(handles))
    return fail(bad("JSON buffer"));
  const bool response = kind_name == "response";
  auto build = [&]<class B>(B& b) -> oxwire::result<void> {
    using V = typename decltype(b.rops)::value_type;
    for (auto e : rops) {
      simdjson::dom::object o;
      if (e.get(o)) return bad("rops");
      auto r = read_rop<V>(o, {});
      if (!r) return r.error();
      b.rops.push_back(std::move(*r));
    }
    for (auto h : handles) {
      std::uint64_t v = 0;
      if (h.get(v) || v > 0xFFFFFFFF) return bad("handles");
      b.handles.push_back(static_cast<std::uint32_t>(v));
    }
    return {};
  };
  oxwire::result<std::vector<std::uint8_t>> out = bad("buffer");
  if (response) {
    rop::response_buffer b;
    if (auto r = build(b); !r) return fail(r.error());
    // Each ROP's rows were checked against its own "columns"; encode with them again.
    std::vector<std::uint8_t> bytes;
    oxwire::vector_writer w(bytes);
    auto at = w.reserve_at<std::uint16_t>("RopSize");
    std::size_t i = 0;
    for (auto e : rops) {
      std::vector<oxwire::mapi::property_tag> cols;
      simdjson::dom::array ca;
      if (!e["columns"].get(ca))
        for (auto t : ca)
          cols.push_back(oxwire::mapi::property_tag{
              static_cast<std::uint32_t>(get_hex_or_number(t, "columns").value())});
      rop::context ctx;
      ctx.columns = std::span<const oxwire::mapi::property_tag>(cols);
      auto r = rop::encode_rop(w, b.rops[i++], ctx);
      if (!r) return fail(r.error());
    }
    if (bytes.size() > 0xFFFF) return fail(error{rop::errc::invalid_rop_size, 0, "RopSize"});
    (void)w.patch<std::uint16_t>(*at, static_cast<std::uint16_t>(bytes.size()));
    for (const auto h : b.handles) (void)w.write<std::uint32_t>(h);
    out = std::move(bytes);
  } else {
    rop::request_buffer b;
    if (auto r = build(b); !r) return fail(r.error());
    out = rop::encode_request_buffer(b);
  }
  if (!out) return fail(out.error());
  write(*out);
  return 0;
}

}  // namespace oxwire_cli
